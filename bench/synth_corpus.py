"""A large synthetic feed corpus made from the bundled sample, for the extraction benchmark.

Articles recombine real sample sentences and swap the states they name for other
states, so the extractor meets realistic language at realistic density, at any size.
Each article gets a cast of states as large as a sample article's (drawn from the
sample's own counts), so its partner comes back sentence after sentence as in a real
release, rather than a dozen states being named once each.
Half the articles go to listing pages (stamp lines, as scraped), half to JSON Lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis import feeds  # noqa: E402
from analysis.countries import country_table  # noqa: E402
from analysis.extract.gazetteer import get_gazetteer  # noqa: E402

SAMPLE = HERE.parent / "data" / "raw"
PER_FILE = 500


def _sample_articles() -> list[feeds.Article]:
    files, _ = feeds.discover([SAMPLE])
    return [a for f in files for a in feeds.parse_file(f).articles]


def _swapper(rng: random.Random):
    """Replace the foreign states a text names with an article's cast of states.

    ``swap(text, cast)`` maps each original state to the next member of ``cast`` (a list
    of stand-ins, reused in turn), so an article built from sentences of many releases
    still names as few states, as often, as a real release does.
    """
    gaz = get_gazetteer()

    def swap(text: str, cast: list[str], roles: dict[str, str]) -> str:
        out, last = [], 0
        for m in gaz.find_countries(text):
            if m.key == "KAZ" or m.kind not in {"name", "alias"}:
                continue
            stand_in = roles.setdefault(m.key, cast[len(roles) % len(cast)])
            out += [text[last : m.start], stand_in]
            last = m.end
        return "".join([*out, text[last:]])

    return swap


def _cast_sizes(sample: list[feeds.Article]) -> list[int]:
    """How many foreign states each sample article names (at least one)."""
    gaz = get_gazetteer()
    return [
        max(1, len({m.key for m in gaz.find_countries(f"{a.title}\n{a.text}")} - {"KAZ"}))
        for a in sample
    ]


def generate(out_dir: Path, n: int, seed: int = 11) -> list[Path]:
    """Write ``n`` synthetic articles as feed files under ``out_dir``; return the files."""
    rng = random.Random(seed)
    sample = _sample_articles()
    sentences = [s for a in sample for s in a.text.split("\n") if len(s) > 40]
    swap, sizes = _swapper(rng), _cast_sizes(sample)
    names = [n for n in country_table()["name"] if n != "Kazakhstan"]
    out_dir.mkdir(parents=True, exist_ok=True)
    paths, start = [], dt.date(1996, 1, 1)
    for chunk in range(0, n, PER_FILE):
        rows = []
        for i in range(chunk, min(n, chunk + PER_FILE)):
            cast, roles = rng.sample(names, rng.choice(sizes)), {}
            title = f"{swap(rng.choice(sample).title, cast, roles)} ({i})"
            picked = rng.sample(sentences, rng.randint(4, 8))
            body = "\n".join(swap(s, cast, roles) for s in picked)
            day = start + dt.timedelta(days=rng.randrange(30 * 365))
            rows.append((title, day, body))
        paths.append(_write(out_dir, chunk // PER_FILE, rows))
    return paths


def ensure(out_dir: Path, n: int, seed: int = 11) -> list[Path]:
    """The corpus of ``n`` articles in ``out_dir``, generated again unless a manifest shows
    that this generator (same source, seed and size) wrote it already."""
    stamp = {
        "articles": n,
        "seed": seed,
        "generator": hashlib.sha1(Path(__file__).read_bytes()).hexdigest(),
    }
    manifest = out_dir / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["stamp"] == stamp:
        return [out_dir / name for name in json.loads(manifest.read_text())["files"]]
    if out_dir.exists():
        shutil.rmtree(out_dir)
    print(f"generating {n:,} synthetic articles in {out_dir} …", flush=True)
    files = generate(out_dir, n, seed)
    manifest.write_text(json.dumps({"stamp": stamp, "files": [f.name for f in files]}))
    return files


def _write(out_dir: Path, index: int, rows: list[tuple[str, dt.date, str]]) -> Path:
    if index % 2:
        path = out_dir / f"export_{index:05d}.jsonl"
        lines = [
            json.dumps({"title": t, "published": d.isoformat(), "text": b}, ensure_ascii=False)
            for t, d, b in rows
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    path = out_dir / f"listing_{index:05d}.txt"
    parts = [f" date {rows[0][1].isoformat()} ticker"]
    for t, d, b in rows:
        parts += [f"{d:%d.%m.%Y}, 12:00 {len(b)}", t, b]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "corpus")
    args = parser.parse_args(argv)
    files = ensure(args.out, args.articles)
    print(f"wrote {args.articles} articles in {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
