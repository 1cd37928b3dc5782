"""Run every benchmark, each in its own process so peak memory is its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    *("bench_extract.py", "bench_languages.py", "bench_morph.py"),
    *("bench_aggregate.py", "bench_events.py", "bench_dashboard.py", "bench_web.py"),
]


def main() -> int:
    status = 0
    for name in BENCHMARKS:
        print(f"\n=== {name}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / name), *sys.argv[1:]])
    return status


if __name__ == "__main__":
    sys.exit(main())
