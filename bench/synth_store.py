"""A synthetic article store of realistic shape, for the aggregation benchmark.

About 400,000 articles over 30 years yielding exactly 1,000,000 engagements (partner
countries plus partner organisations), written through ``analysis.store`` so the
benchmark reads the same Parquet file a real ingest would produce. As in real feeds,
a third of the articles are other sources' reports of an event already reported (same
actor, type and partners, the same day or the next), so the events measure has copies
to merge; event ids are clustered before writing, as an ingest would. Partner countries
follow a Zipf-like popularity (neighbours first), as in the real feed; texts are short
so that the benchmark measures the analysis layer rather than string storage.

    python bench/synth_store.py bench/out/synth --articles 400000 --engagements 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import clustering, store
from analysis.vocabulary import ACTOR_LEVELS, EVENT_TYPES, topic_labels

TOPICS = list(topic_labels()) or ["energy", "trade_investment", "security", "multilateral"]
ORGS = ["UN", "OSCE", "EU", "SCO", "CIS", "EAEU", "OTS", "OIC", "CICA", "IAEA", "GCC", "ASEAN"]
NEIGHBOURS = ["RUS", "CHN", "UZB", "KGZ", "TJK", "TKM", "TUR", "AZE", "USA", "DEU"]
WORDS = [
    "cooperation", "talks", "bilateral", "partnership", "investment", "energy", "transit",
    "corridor", "security", "culture", "ministers", "agreed", "discussed", "signed",
    "delegation", "forum", "summit", "embassy", "ambassador", "trade", "digital", "water",
    "climate", "humanitarian", "parliament", "referendum", "constitution",
]  # fmt: skip
START = dt.date(1996, 1, 1)
DAYS = 30 * 365


def _country_pool() -> np.ndarray:
    """Partner ISO3 codes, most frequent first: neighbours, then every other UN state."""
    import pycountry

    others = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in NEIGHBOURS)
    return np.array([*NEIGHBOURS, *others])


def _partner_counts(rng: np.random.Generator, articles: int, engagements: int) -> np.ndarray:
    """Partners per article: mostly one, some none, a tail of summits; sums to ``engagements``."""
    counts = rng.choice([0, 1, 2, 3, 5, 8], size=articles, p=[0.08, 0.45, 0.2, 0.15, 0.08, 0.04])
    diff = engagements - int(counts.sum())
    step = 1 if diff > 0 else -1
    while diff:
        pick = rng.integers(0, articles, size=abs(diff))
        if step < 0:
            pick = pick[counts[pick] > 0]
        np.add.at(counts, np.unique(pick)[: abs(diff)], step)
        diff = engagements - int(counts.sum())
    return counts


def _sample_lists(rng: np.random.Generator, pool: np.ndarray, sizes: np.ndarray, zipf: float):
    """One sorted, duplicate-free list per article, drawn with a Zipf-like preference.

    Gumbel top-k: adding Gumbel noise to log-weights and keeping the k largest is a
    weighted sample without replacement, vectorised over a chunk of articles at a time.
    """
    log_w = -zipf * np.log(np.arange(1, len(pool) + 1))
    sizes = np.minimum(sizes, len(pool))
    out: list[list[str]] = [[] for _ in sizes]
    for k in np.unique(sizes[sizes > 0]):
        rows = np.flatnonzero(sizes == k)
        for chunk in np.array_split(rows, max(1, len(rows) // 20_000)):
            keys = log_w + rng.gumbel(size=(len(chunk), len(pool)))
            top = np.argpartition(-keys, k - 1, axis=1)[:, :k]
            for row, picks in zip(chunk, np.sort(pool[top], axis=1).tolist(), strict=True):
                out[row] = picks
    return out


def _texts(rng: np.random.Generator, n: int) -> list[str]:
    words = np.array(WORDS)
    picks = words[rng.integers(0, len(words), size=(n, 30))]
    return [" ".join(row) for row in picks]


COPY_SHARE = 0.35  # articles that are another source's report of an existing event
SOURCES = ["mfa.jsonl", "akorda.jsonl", "agency-en.jsonl", "agency-ru.jsonl"]
VERSION = 3  # bump when the shape changes: the benchmark rebuilds an older store


def add_copies(frame: pd.DataFrame, rng: np.random.Generator, share: float = COPY_SHARE) -> None:
    """Make ``share`` of the rows reports of another row's event, in place: its actor,
    type, partners and topics, dated the same day or the next, from another source.
    A copy takes an original with as many partners, so the engagement total holds."""
    sizes = frame["partner_countries"].map(len) * 16 + frame["partner_orgs"].map(len)
    rows = np.flatnonzero(rng.random(len(frame)) < share)
    originals = np.empty(len(rows), np.int64)
    for size in np.unique(sizes.to_numpy()[rows]):
        pool = np.flatnonzero(sizes.to_numpy() == size)
        mine = sizes.to_numpy()[rows] == size
        originals[mine] = rng.choice(pool, mine.sum())
    for column in ("event_type", "kz_actor_level", "partner_countries", "partner_orgs", "topics"):
        values = frame[column].to_numpy(copy=True)
        values[rows] = values[originals]
        frame[column] = values
    lag = pd.to_timedelta(rng.integers(0, 2, len(rows)), unit="D")
    dates = pd.to_datetime(frame["date"]).to_numpy(copy=True)
    dates[rows] = pd.to_datetime(frame["date"].iloc[originals]).to_numpy() + lag.to_numpy()
    frame["date"] = pd.to_datetime(dates).date
    frame["source_file"] = np.array(SOURCES)[rng.integers(0, len(SOURCES), len(frame))]
    frame["source_files"] = [[f] for f in frame["source_file"]]


def build_frame(articles: int, engagements: int, seed: int = 7) -> pd.DataFrame:
    """The synthetic article table, in the store's column layout, with copies."""
    rng = np.random.default_rng(seed)
    counts = _partner_counts(rng, articles, engagements)
    org_share = rng.random(articles) < 0.12
    n_orgs = np.where(org_share & (counts > 0), 1, 0)
    n_countries = counts - n_orgs
    dates = [START + dt.timedelta(days=int(d)) for d in rng.integers(0, DAYS, size=articles)]
    partners = _sample_lists(rng, _country_pool(), n_countries, zipf=1.1)
    orgs = _sample_lists(rng, np.array(ORGS), n_orgs, zipf=0.8)
    topics = _sample_lists(rng, np.array(TOPICS), rng.choice([0, 1, 2, 3], articles), zipf=0.5)
    frame = pd.DataFrame(
        {
            "id": [f"a{i:07d}" for i in range(articles)],
            "title": [f"Kazakhstan holds talks, item {i}" for i in range(articles)],
            "text": _texts(rng, articles),
            "date": dates,
            "date_source": "stamp",
            "datetime": pd.NaT,
            "source_file": "synthetic.jsonl",
            "source_files": [["synthetic.jsonl"]] * articles,
            "line_start": np.arange(articles, dtype="int32"),
            "line_end": np.arange(articles, dtype="int32"),
            "url": None,
            "partner_countries": partners,
            "partner_orgs": orgs,
            "location_country": [p[0] if p else None for p in partners],
            "event_type": rng.choice(EVENT_TYPES, size=articles),
            "kz_actor_level": rng.choice(ACTOR_LEVELS, size=articles),
            "topics": topics,
            "mentioned_countries": [[]] * articles,
            "evidence": "[]",
            "lang": "en",
        }
    )
    add_copies(frame, rng)
    return frame


def build_store(store_dir: Path, articles: int, engagements: int, seed: int = 7) -> Path:
    """Write the synthetic store into ``store_dir`` and return the Parquet path."""
    frame = build_frame(articles, engagements, seed)
    frame["event_id"] = clustering.cluster(frame)
    meta = {"synthetic": VERSION, "articles": articles, "engagements": engagements}
    meta["event_window"] = clustering.DEFAULT_WINDOW
    return store.write_articles(store_dir, frame, meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--articles", type=int, default=400_000)
    parser.add_argument("--engagements", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    path = build_store(args.store, args.articles, args.engagements, args.seed)
    summary = {"path": str(path), "seconds": round(time.perf_counter() - began, 1)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
