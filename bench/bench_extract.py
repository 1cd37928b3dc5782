"""Parse + extract throughput on one core, on a large synthetic corpus.

Target: 5,000 articles/s per core or better. One process, no parallelism, so the
figure is per core; peak memory is the process's maximum resident set. The "store row"
step (a record's fields as ingest stores them) is timed apart: ingest pays it too. The corpus is
read in chunks of ``--chunk`` articles and each chunk timed apart, so the table gives
medians; it gives CPU time beside wall time because on a shared machine other
processes stretch the wall clock, not the work.

    python bench/bench_extract.py [--articles 50000] [--chunk 10000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis import feeds  # noqa: E402
from analysis.extract import extract_record  # noqa: E402
from analysis.extract.gazetteer import get_gazetteer  # noqa: E402
from bench.synth_corpus import PER_FILE, ensure  # noqa: E402

TARGET = 5_000


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(t0: tuple[float, float]) -> tuple[float, float]:
    """Wall and CPU seconds since ``t0``."""
    wall, cpu = _clock()
    return wall - t0[0], cpu - t0[1]


def _chunk(files: list[Path]) -> dict[str, object]:
    """Parse then extract one chunk of files; the articles and both steps' seconds."""
    t0 = _clock()
    articles = [a for f in files for a in feeds.parse_file(f).articles]
    parse = _since(t0)
    t0 = _clock()
    records = [extract_record(a.title, a.text) for a in articles]
    extract = _since(t0)
    t0 = _clock()
    for record in records:
        record.as_row()
    row = _since(t0)
    both = (parse[0] + extract[0], parse[1] + extract[1])
    steps = {"parse": parse, "extract": extract, "store row": row, "parse + extract": both}
    return {"n": len(articles), **steps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "corpus")
    args = parser.parse_args(argv)
    files = ensure(args.out, args.articles)
    t0 = _clock()
    get_gazetteer()
    build = _since(t0)
    step = max(1, args.chunk // PER_FILE)
    chunks = [_chunk(files[i : i + step]) for i in range(0, len(files), step)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{sum(c['n'] for c in chunks):,} articles in {len(chunks)} chunks, one core")
    print(f"{'median of chunks':<20}{'articles/s (wall)':>19}{'articles/s (CPU)':>18}")
    rates = {}
    for name in ("parse", "extract", "store row", "parse + extract"):
        wall, cpu = (statistics.median(c["n"] / c[name][k] for c in chunks) for k in (0, 1))
        rates[name] = cpu
        print(f"{name:<20}{wall:>19,.0f}{cpu:>18,.0f}")
    print(f"gazetteer build once: {build[0]:.2f} s; peak memory {peak:,.0f} MB")
    met = rates["parse + extract"] >= TARGET
    print(f"target {TARGET:,} articles/s per core (CPU): " + ("met" if met else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
