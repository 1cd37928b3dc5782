"""Parse + extract throughput on one core, on a large synthetic corpus.

Target: 5,000 articles/s per core or better. One process, no parallelism, so the
figure is per core; peak memory is the process's maximum resident set.

    python bench/bench_extract.py [--articles 50000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis import feeds  # noqa: E402
from analysis.extract import extract_record  # noqa: E402
from analysis.extract.gazetteer import get_gazetteer  # noqa: E402
from bench.synth_corpus import generate  # noqa: E402

TARGET = 5_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "corpus")
    args = parser.parse_args(argv)
    files = sorted(args.out.glob("*")) if args.out.exists() else []
    if sum(1 for _ in files) * 500 < args.articles:
        print(f"generating {args.articles} synthetic articles …", flush=True)
        files = generate(args.out, args.articles)
    files = files[: -(-args.articles // 500)]
    t0 = time.perf_counter()
    get_gazetteer()
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    articles = [a for f in files for a in feeds.parse_file(f).articles]
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in articles:
        extract_record(a.title, a.text)
    t_extract = time.perf_counter() - t0
    n = len(articles)
    chars = sum(len(a.text) for a in articles) / max(n, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = n / (t_parse + t_extract)
    print(f"\narticles {n:,} (mean body {chars:,.0f} chars), one core")
    print(f"{'step':<26}{'seconds':>9}{'articles/s':>12}")
    print(f"{'gazetteer build (once)':<26}{t_build:>9.2f}{'':>12}")
    print(f"{'parse':<26}{t_parse:>9.2f}{n / t_parse:>12,.0f}")
    print(f"{'extract':<26}{t_extract:>9.2f}{n / t_extract:>12,.0f}")
    print(f"{'parse + extract':<26}{t_parse + t_extract:>9.2f}{total:>12,.0f}")
    print(f"peak memory {peak:,.0f} MB; target {TARGET:,} articles/s: "
          + ("met" if total >= TARGET else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
