"""Load: 20 browser sessions filter the dashboard at once for a minute, on a synthetic
store of 100,000 articles (~250,000 engagements), and every one of them keeps working.

One system Chromium holds 20 pages (one context each, so 20 Streamlit sessions). All
pages open the Overview (world map, trend, topics) first; then, together, each one
changes a filter again and again until the minute is over, with no pause between:
mostly it types a new start year into the date widget (a rerun of its session); one
change in five (staggered over the sessions) follows a link with another partner
country and date range instead (a new page load, a new session: ~4 CPU-s of Chromium).
A change is finished when the page shows the caption the analysis layer expects for the
new selection, the script has finished and nothing is stale (bench_dashboard's in-page
timer, from the key press or the navigation start); on a *drawing* page, also when
every chart has been drawn again.

The pages are *light* by default: the real frontend, protocol and server work, but
Streamlit's Plotly chunk is replaced by a stub, so charts are received and not drawn.
Browser and server share the 2 cores, and drawing the Overview costs Chromium ~2 CPU-s
per change more (the server needs ~0.4): with drawing pages the test mostly measures
its own browser (chart latency is bench_dashboard's job, on one page).
``DIPLODASH_LOAD_DRAWING=N`` makes the first N pages draw; the CPU each side used is
printed with the percentiles (``pytest -s``); docs/performance.md quotes them.

Asserted: no exception on any page, no JavaScript error, every started change
finished, no rerun stalled behind the others (p99 within P99_RATIO of the median of the
same run: see there), the server's CPU per change under SERVER_CPU_PER_CHANGE_S, every
step (page loads too) under the step timeout, nothing requested from a host other than
127.0.0.1, and a clean, healthy server at the end.

    DIPLODASH_SLOW=1 pytest tests/reliability/test_load.py -s
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import statistics
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(REPO))

from bench import bench_dashboard as bench  # noqa: E402

pytestmark = pytest.mark.slow

SESSIONS = int(os.environ.get("DIPLODASH_LOAD_SESSIONS", "20"))
DRAWING = int(os.environ.get("DIPLODASH_LOAD_DRAWING", "0"))  # pages that draw the charts
DURATION_S = float(os.environ.get("DIPLODASH_LOAD_SECONDS", "60"))
ARTICLES, ENGAGEMENTS = 100_000, 250_000
# A stall detector, not a target: with 20 sessions changing filters back to back, the
# two shared cores are saturated (server ~0.4 CPU-s per rerun, the test's own Chromium
# ~1 CPU-s per rerun on a light page), so a rerun waits for most of the others, and how
# long that is depends on what else the machine runs: the rerun p99 was 11.5-15.8 s with
# the tests alone and once over 30 s with two other jobs' test suites beside it. So the
# bound is relative to the same run: the reruns' p99 within P99_RATIO × their median (the
# ratio was 1.4-1.8 in four runs), which a session stuck behind a lock or starved would
# break whatever the load; and the load-independent cost, server CPU-seconds per change,
# under SERVER_CPU_PER_CHANGE_S (0.34-0.48 measured). A page load (first load, link) costs
# the test's Chromium ~4 CPU-s of script parsing, and with 20 renderers sharing 2 cores
# that alone takes 45-70 s, so page loads are only held to STEP_TIMEOUT_S (reported).
P99_RATIO = float(os.environ.get("DIPLODASH_LOAD_P99_RATIO", "4"))
SERVER_CPU_PER_CHANGE_S = 2.0
STEP_TIMEOUT_S = 180.0  # one page load or rerun; beyond this the iteration has failed
POLL_MS = 50  # the in-page timer's polling step (20 pages poll at once)
YEARS = (2021, 2009, 2017, 2001, 2013, 2005, 2019, 2011, 2003, 2015)
LINK_COUNTRIES = ("Russia", "China", "Uzbekistan", "Kyrgyzstan", "Türkiye", "Germany")


@pytest.fixture(scope="session")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's store, copied when bench/out has it, else built (~10 s). (Unless the
    slow run is on, the test is skipped at collection, before this fixture runs.)"""
    if not Path(bench.CHROMIUM).exists():
        pytest.skip("needs the system chromium (apt-get install chromium)")
    pytest.importorskip("playwright.async_api")
    target = tmp_path_factory.mktemp("store100k")
    source = bench.DEFAULT_STORE
    meta = bench.store_mod.read_meta(source)
    if (meta.get("articles"), meta.get("engagements")) == (ARTICLES, ENGAGEMENTS):
        shutil.copy2(bench.store_mod.store_path(source), bench.store_mod.store_path(target))
    return bench.ensure_store(target, ARTICLES, ENGAGEMENTS)


@pytest.fixture(scope="module")
def server(big_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The dashboard on a free port of 127.0.0.1: (URL, its log file)."""
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with bench.dashboard(big_store, log) as url:
        yield url, log


@dataclass
class Step:
    session: int
    draws: bool  # a drawing page (else light: charts not drawn, drawn == done)
    kind: str  # "first load", "date widget", "link"
    done: float  # seconds until the run was finished and the page up to date
    drawn: float  # seconds until every chart was drawn again


@dataclass
class Run:
    steps: list[Step] = field(default_factory=list)
    cpu: list[dict[str, float]] = field(default_factory=list)  # at launch, go, end
    minute: float = 0.0  # wall seconds from the start signal to the last step's end
    started: int = 0  # iterations begun in the filtering minute
    errors: list[str] = field(default_factory=list)  # failed steps, page errors
    external: list[str] = field(default_factory=list)  # requests that left 127.0.0.1
    exceptions: int = 0  # stException elements left on the pages at the end


def _cpu() -> dict[str, float]:
    """CPU seconds used so far by the server (Streamlit) and by the browser (Chromium),
    from /proc: every live descendant of this process, sorted by its command line."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, used, kind = {}, {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        pid = int(entry.name)
        parent[pid], used[pid] = int(stat[1]), (int(stat[11]) + int(stat[12])) / tick
        kind[pid] = "server" if "streamlit" in command else "browser" if "chrom" in command else ""
    totals = {"server": 0.0, "browser": 0.0}
    for pid, what in kind.items():
        ancestor = parent.get(pid)
        while ancestor and ancestor != os.getpid():
            ancestor = parent.get(ancestor)
        if what and ancestor == os.getpid():
            totals[what] += used[pid]
    return totals


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == "127.0.0.1"


async def _watch(page: object, since: float | None, caption: str, charts: int) -> dict:
    return await page.evaluate(
        "([s, c, n, t, e]) => window.__bench.watch(s, c, n, t, e)",
        [since, caption, charts, STEP_TIMEOUT_S * 1000, POLL_MS],
    )


async def _stub_plotly(route: object) -> None:
    await route.fulfill(body=bench.PLOTLY_STUB, content_type="text/javascript")


async def _session(
    n: int, browser: object, url: str, expect: bench.Expect, go: asyncio.Event, run: Run
) -> object:
    """One user: open the Overview, wait for the start signal, filter until the end."""
    draws = n < DRAWING
    charts = bench.CHARTS if draws else 0
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(bench.BENCH_JS)
    if not draws:
        await context.route(bench.PLOTLY_CHUNK, _stub_plotly)
    context.on("request", lambda r: None if _local(r.url) else run.external.append(r.url))
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_S * 1000)
    page.on("pageerror", lambda err: run.errors.append(f"session {n}: page error {err}"))
    span_end = expect.span[1]
    state: dict[str, object] = {"start": expect.span[0], "countries": []}

    def caption() -> str:
        return expect.caption(start=state["start"], countries=list(state["countries"]))

    async def step(kind: str, action: object, since: float | None) -> None:
        try:
            await action()
            times = await _watch(page, since, caption(), charts)
            run.steps.append(Step(n, draws, kind, times["done"] / 1000, times["drawn"] / 1000))
        except Exception as err:  # recorded, asserted by the test
            run.errors.append(f"session {n} {kind}: {str(err).splitlines()[0][:300]}")

    async def first_load() -> None:
        await page.goto(f"{url}/", wait_until="commit")

    await step("first load", first_load, 0)
    await go.wait()
    deadline = time.monotonic() + DURATION_S
    i = 0
    while time.monotonic() < deadline and not run.errors:
        run.started += 1
        year = YEARS[(n + i) % len(YEARS)]
        if year == state["start"].year:
            year = YEARS[(n + i + 1) % len(YEARS)]
        state["start"] = dt.date(year, 1, 1)
        if (n + i) % 5 == 4:  # a shared link: another country and range, a new page load
            name = LINK_COUNTRIES[(n + i) % len(LINK_COUNTRIES)]
            state["countries"] = [expect.iso3(name)]
            query = f"country={quote_plus(name)}&dates={state['start']}&dates={span_end}"

            async def follow(query: str = query) -> None:
                await page.goto(f"{url}/?{query}", wait_until="commit")

            await step("link", follow, 0)
        else:  # the date widget: type the start year, Escape commits and reruns

            async def type_year(year: int = year) -> None:
                await page.get_by_role("spinbutton", name="year, Date range start date").click()
                await page.keyboard.type(str(year))
                await page.evaluate("window.__bench.arm()")
                await page.keyboard.press("Escape")

            await step("date widget", type_year, None)
        i += 1
    run.exceptions += await page.get_by_test_id("stException").count()
    return context


async def _drive(url: str, expect: bench.Expect) -> Run:
    from playwright.async_api import async_playwright

    run = Run()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=bench.CHROMIUM, args=bench.FLAGS)
        run.cpu.append(_cpu())
        go = asyncio.Event()
        tasks = [
            asyncio.create_task(_session(n, browser, url, expect, go, run)) for n in range(SESSIONS)
        ]
        while len([s for s in run.steps if s.kind == "first load"]) + len(run.errors) < SESSIONS:
            await asyncio.sleep(0.2)  # every page open (or failed) before the minute starts
        run.cpu.append(_cpu())
        go.set()
        began = time.monotonic()
        contexts = await asyncio.gather(*tasks)
        run.minute = time.monotonic() - began
        run.cpu.append(_cpu())
        for context in contexts:
            await context.close()
        await browser.close()
    return run


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else []

    def pct(p: int) -> float:
        return cuts[p - 1] if cuts else ordered[0]

    return {"p50": pct(50), "p90": pct(90), "p99": pct(99), "max": ordered[-1]}


def _table(run: Run) -> str:
    """Percentiles of each kind of step, in seconds; "drawn" only on drawing pages."""
    rows = {
        "first load, all pages at once: run done": ("first load", None, "done"),
        "first load, drawing pages: charts drawn": ("first load", True, "drawn"),
        "filter change, all pages: run done": ("change", None, "done"),
        # only when some pages draw ("-" matches no step)
        "filter change, light pages: run done": ("change", False if DRAWING else "-", "done"),
        "filter change, drawing pages: charts drawn": ("change", True, "drawn"),
        "date widget (rerun), all pages: run done": ("date widget", None, "done"),
        "link (page load), all pages: run done": ("link", None, "done"),
    }
    lines = ["| step | n | p50 s | p90 s | p99 s | max s |", "|---|--:|--:|--:|--:|--:|"]
    for label, (kind, draws, what) in rows.items():
        values = [
            getattr(s, what)
            for s in run.steps
            if (s.kind == kind or (kind == "change" and s.kind != "first load"))
            and (draws is None or s.draws == draws)
        ]
        if values:
            q = _percentiles(values)
            lines.append(
                f"| {label} | {len(values)} | {q['p50']:.1f} | {q['p90']:.1f} "
                f"| {q['p99']:.1f} | {q['max']:.1f} |"
            )
    return "\n".join(lines)


def test_twenty_sessions_filter_for_a_minute(server: tuple[str, Path], big_store: Path) -> None:
    url, log = server
    expect = bench.Expect(big_store)
    load_before = bench.loadavg()
    began = time.perf_counter()
    run = asyncio.run(_drive(url, expect))
    wall = time.perf_counter() - began
    changes = [s for s in run.steps if s.kind != "first load"]

    print(
        f"\n{SESSIONS} sessions ({DRAWING} drawing, {SESSIONS - DRAWING} light), "
        f"{DURATION_S:.0f} s of filtering on {expect.total:,} articles"
    )
    print(f"machine: {bench.machine()}")
    print(f"load average before: {load_before}, after: {bench.loadavg()}; wall {wall:.0f} s")
    print(f"iterations: {run.started} started, {len(changes)} finished, errors {len(run.errors)}")
    print(_table(run))
    for phase, (a, b) in {"first loads": (0, 1), "filtering": (1, 2)}.items():
        server = run.cpu[b]["server"] - run.cpu[a]["server"]
        browser = run.cpu[b]["browser"] - run.cpu[a]["browser"]
        print(f"CPU during the {phase}: server {server:.0f} s, browser {browser:.0f} s")
    server = run.cpu[2]["server"] - run.cpu[1]["server"]
    print(
        f"filtering phase: {run.minute:.0f} s wall, {len(changes)} filter changes, "
        f"{len(changes) / max(run.minute, 1e-9):.2f}/s, server "
        f"{server / max(len(changes), 1):.2f} CPU-s per change"
    )
    reruns = _percentiles([s.drawn for s in changes if s.kind == "date widget"] or [0.0])
    print(f"reruns p99 / p50 = {reruns['p99'] / max(reruns['p50'], 1e-9):.2f} (bound {P99_RATIO})")
    for error in run.errors[:10]:
        print("ERROR", error)

    assert run.errors == []
    assert run.exceptions == 0
    assert run.external == []
    assert len(changes) == run.started >= SESSIONS  # every session got through at least one
    assert len({s.session for s in changes}) == SESSIONS
    reruns = _percentiles([s.drawn for s in changes if s.kind == "date widget"])
    assert reruns["p99"] < P99_RATIO * reruns["p50"], f"rerun stalled: {reruns}"
    assert server / max(len(changes), 1) < SERVER_CPU_PER_CHANGE_S
    assert max(s.drawn for s in run.steps) < STEP_TIMEOUT_S  # page loads included
    health = urllib.request.urlopen(url + "/_stcore/health", timeout=10).read()
    assert health == b"ok"
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text and "Error" not in text, text[-2000:]
