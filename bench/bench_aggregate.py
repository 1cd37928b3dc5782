"""Benchmark of the analysis layer on a synthetic store of 1,000,000 engagements.

Measures what a dashboard user waits for: loading the store once, then for each kind
of filter change, applying the filter and computing every aggregate the dashboard
draws. Targets: filter + all aggregates under 300 ms, peak memory under 1.5 GB.
Prints a table; nothing here is a test (timings depend on the machine).

    python bench/bench_aggregate.py            # builds bench/out/synth on first run
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis import aggregate as agg  # noqa: E402
from analysis import store  # noqa: E402

DEFAULT_STORE = HERE / "out" / "synth"
TARGET_MS = 300
TARGET_MB = 1536

SCENARIOS: dict[str, agg.Filter] = {
    "no filter": agg.Filter(),
    "last 5 years": agg.Filter(start="2021-01-01", end="2025-12-31"),
    "year + Central Asia": agg.Filter(
        start="2024-01-01", end="2024-12-31", regions=["Central Asia"]
    ),
    "country RUS": agg.Filter(countries=["RUS"]),
    "grouping EU + topic": agg.Filter(regions=["eu"], topics=["energy", "transport"]),
    "event + level": agg.Filter(event_types=["visit", "meeting"], actor_levels=["president"]),
    "organisation SCO": agg.Filter(organisations=["SCO"]),
    "bilateral only": agg.Filter(formats=["bilateral"]),
    "text 'corridor'": agg.Filter(start="2020-01-01", text="corridor"),
}

# Everything the dashboard draws for one selection.
DASHBOARD: dict[str, Callable[[agg.Data], object]] = {
    "by_country": agg.by_country,
    "by_region": agg.by_region,
    "by_subregion": lambda d: agg.by_region(d, "subregion"),
    "by_grouping": agg.by_grouping,
    "by_topic": agg.by_topic,
    "by_event_type": agg.by_event_type,
    "by_organisation": agg.by_organisation,
    "by_format": agg.by_format,
    "by_date(month)": lambda d: agg.by_date(d, "month"),
    "crosstab_topic_region": agg.crosstab_topic_region,
    "country_by_period(year)": agg.country_by_period,
    "topic_by_period(year)": agg.topic_by_period,
}


def peak_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ensure_store(store_dir: Path) -> None:
    """Build the synthetic store in a child process, so its memory is not counted here."""
    from bench.synth_store import VERSION

    if store.read_meta(store_dir).get("synthetic") == VERSION:
        return
    print(f"building synthetic store in {store_dir} ...", file=sys.stderr)
    subprocess.run([sys.executable, str(HERE / "synth_store.py"), str(store_dir)], check=True)


def timed(function: Callable[[], object]) -> tuple[object, float]:
    began = time.perf_counter()
    result = function()
    return result, (time.perf_counter() - began) * 1000


def one_change(data: agg.Data, selection: agg.Filter) -> dict[str, float]:
    """Milliseconds of each step of one filter change, on a fresh view (no caching)."""
    data.base.search.cache_clear()  # time a new search word, not a remembered one
    view, ms = timed(lambda: selection.apply(data))
    steps = {"filter": ms}
    _, steps["kpis"] = timed(lambda: agg.kpis(data, selection))
    for name, function in DASHBOARD.items():
        _, steps[name] = timed(lambda f=function: f(view))
    return steps


def median_steps(data: agg.Data, selection: agg.Filter, repeat: int) -> dict[str, float]:
    runs = [one_change(data, selection) for _ in range(repeat)]
    return {step: statistics.median(run[step] for run in runs) for step in runs[0]}


def print_scenarios(data: agg.Data, rows: dict[str, dict[str, float]]) -> float:
    """One line per kind of filter change; returns the worst total."""
    print(f"{'filter change':<22}{'engagements':>12}{'filter':>9}{'kpis':>9}"
          f"{'charts':>9}{'total ms':>10}")  # fmt: skip
    for name, steps in rows.items():
        kept = len(SCENARIOS[name].apply(data).engagements)
        charts = sum(v for k, v in steps.items() if k in DASHBOARD)
        print(f"{name:<22}{kept:>12,}{steps['filter']:>9.1f}{steps['kpis']:>9.1f}"
              f"{charts:>9.1f}{sum(steps.values()):>10.1f}")  # fmt: skip
    return max(sum(steps.values()) for steps in rows.values())


def print_steps(rows: dict[str, dict[str, float]]) -> None:
    """One line per step: its median and worst time over the filter changes."""
    print(f"{'step':<26}{'median ms':>10}{'worst ms':>10}")
    for step in next(iter(rows.values())):
        times = [steps[step] for steps in rows.values()]
        print(f"{step:<26}{statistics.median(times):>10.1f}{max(times):>10.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--repeat", type=int, default=5, help="runs per scenario (median)")
    args = parser.parse_args(argv)
    ensure_store(args.store)
    before = peak_mb()
    data, load_ms = timed(lambda: agg.load(args.store))
    after_load = peak_mb()
    print(f"store: {args.store}")
    print(f"articles {data.base.n_articles:,}  engagements {data.base.n_engagements:,}")
    print(f"load: {load_ms / 1000:.2f} s; peak memory {before:.0f} MB before, "
          f"{after_load:.0f} MB after load")  # fmt: skip
    rows = {name: median_steps(data, f, args.repeat) for name, f in SCENARIOS.items()}
    print()
    worst = print_scenarios(data, rows)
    print()
    print_steps(rows)
    print()
    peak = peak_mb()
    print(f"worst filter change + all aggregates: {worst:.0f} ms "
          f"(target {TARGET_MS} ms: {'OK' if worst < TARGET_MS else 'OVER'})")  # fmt: skip
    print(f"peak memory of the whole run: {peak:.0f} MB "
          f"(target {TARGET_MB} MB: {'OK' if peak < TARGET_MB else 'OVER'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
