"""Benchmark of event clustering on the synthetic store (400,000 articles, copies across
sources): a full clustering, as after a first ingest or a new window, and the
incremental cost of adding 1,000 articles, as an ingest of a new file pays it.

Prints a table of medians; nothing here is a test (timings depend on the machine).

    python bench/bench_events.py                # builds bench/out/synth on first run
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis import clustering, store  # noqa: E402
from bench.bench_aggregate import DEFAULT_STORE, ensure_store, peak_mb, timed  # noqa: E402

ADDED = 1_000


def new_articles(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` new reports: half of them copies of stored events (another source, the
    next day), half new events on random days, as a new feed file brings them."""
    rng = np.random.default_rng(seed)
    picked = frame.iloc[rng.integers(0, len(frame), n)].copy()
    lag = rng.integers(0, 2, n) + np.where(np.arange(n) < n // 2, 0, 400)
    dates = pd.to_datetime(picked["date"]) + pd.to_timedelta(lag, unit="D")
    picked["date"] = dates.dt.date.to_numpy()
    picked["id"] = [f"new-{seed}-{i:05d}" for i in range(n)]
    picked["event_id"] = None
    return picked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (median)")
    args = parser.parse_args(argv)
    ensure_store(args.store)
    frame = store.read_articles(args.store)
    before = peak_mb()
    full = []
    for _ in range(args.repeat):
        ids, ms = timed(lambda: clustering.cluster(frame))
        full.append(ms / 1000)
    after = peak_mb()
    frame["event_id"] = ids
    added = []
    for seed in range(args.repeat):
        grown = pd.concat([frame, new_articles(frame, ADDED, seed)], ignore_index=True)
        updated, ms = timed(lambda g=grown: clustering.update(g))
        added.append(ms / 1000)
        assert updated.iloc[: len(frame)].eq(ids).mean() > 0.99  # old events kept
    events = ids.nunique()
    print(f"store: {args.store}")
    print(f"articles {len(frame):,}  events {events:,} ({events / len(frame):.0%} of articles)")
    print(f"{'step':<36}{'median s':>10}{'runs':>6}")
    print(f"{'cluster every article':<36}{statistics.median(full):>10.2f}{len(full):>6}")
    label = f"add {ADDED:,} articles (update)"
    print(f"{label:<36}{statistics.median(added):>10.2f}{len(added):>6}")
    print(f"peak memory: {before:.0f} MB with the store read, {after:.0f} MB after clustering")
    return 0


if __name__ == "__main__":
    sys.exit(main())
