"""Parse + extract, this checkout against another one, in alternating runs.

On a shared machine the speed of a run drifts with the load; only runs of the two
versions taken in turn, on the same articles, compare. Each run is a fresh process that
imports ``analysis`` from its checkout, builds its gazetteer and extracts one article
untimed, then times parsing and extraction of the same feed files in CPU seconds.

    git archive <old-commit> | tar -x -C /tmp/old        # the old code beside the new
    python bench/bench_extract_ab.py --old /tmp/old [--rounds 5] [--articles 5000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEW = HERE.parent


def _worker(root: Path, files: list[Path]) -> dict[str, float]:
    """One timed run with ``root``'s ``analysis`` package (called in a fresh process)."""
    import resource
    import time

    sys.path.insert(0, str(root))
    from analysis import feeds
    from analysis.extract import extract_record

    extract_record("Kazakhstan and Japan Hold Talks", "The ministers met in Tokyo.")
    t0 = time.process_time()
    articles = [a for f in files for a in feeds.parse_file(f).articles]
    t1 = time.process_time()
    for a in articles:
        extract_record(a.title, a.text).as_row()
    t2 = time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": len(articles), "parse": t1 - t0, "extract": t2 - t1, "peak_mb": peak}


def _run(root: Path, files: list[Path]) -> dict[str, float]:
    args = [sys.executable, __file__, "--worker", str(root), *map(str, files)]
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=root).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--old", type=Path, help="checkout of the version to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker, [Path(p) for p in rest])))
        return 0
    if args.old is None:
        parser.error("--old is required")
    sys.path.insert(0, str(NEW))
    from bench.synth_corpus import PER_FILE, ensure

    files = ensure(HERE / "out" / "corpus", args.articles)[: max(1, args.articles // PER_FILE)]
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for i in range(args.rounds):
        order = [("old", args.old), ("new", NEW)]
        for name, root in order if i % 2 == 0 else order[::-1]:
            runs[name].append(_run(root.resolve(), files))
            r = runs[name][-1]
            print(f"round {i + 1} {name}: {r['n'] / (r['parse'] + r['extract']):,.0f} art/s")
    print(f"\n{runs['new'][0]['n']:,} articles, {args.rounds} alternating rounds, CPU time")
    print(f"{'median articles/s':<20}{'old':>10}{'new':>10}{'ratio':>8}")
    for step in ("parse", "extract", "parse + extract"):
        keys = ("parse", "extract") if step == "parse + extract" else (step,)
        old, new = (
            statistics.median(r["n"] / sum(r[k] for k in keys) for r in runs[name])
            for name in ("old", "new")
        )
        print(f"{step:<20}{old:>10,.0f}{new:>10,.0f}{new / old:>7.2f}×")
    for name in ("old", "new"):
        print(f"peak memory {name}: {max(r['peak_mb'] for r in runs[name]):,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
