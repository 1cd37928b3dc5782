"""Dashboard latency on a synthetic store of 100,000 articles (~250,000 engagements).

Starts the app as users do (``diplodash dashboard --store DIR``) on a free port of
127.0.0.1 and drives it with Playwright and the system Chromium:

  (a) first full render: navigation start -> the script has finished, nothing is stale
      and every chart is drawn, the world map's country shapes included. The first load
      after start-up is cold (the server loads the store); then fresh pages, warm server.
  (b) filter change -> every chart redrawn, in the same browser session: the date range
      through the date widget, a partner country through the multiselect, and the date
      range through the URL (a new page load with ``?dates=...``).
  (c) server side only: the script run itself, timed with ``streamlit.testing.v1.AppTest``
      on the same store (first run, cold and warm cache; filter-change reruns).

Also measured, not targets: page loads by a returning visitor (same browser, scripts in
its cache) and pages whose Plotly code is a stub (no chart drawn), and, for each browser
measurement, where the time goes: when Streamlit's Plotly code had arrived, when the first
chart was handed to plotly, when every chart's first draw was done.

Times in the browser are taken inside the page (``performance.now()``: from navigation
start, or from the key press that commits the filter, to the paint of the last chart),
so Playwright's own round trips are not counted. Targets: first render < 3 s, filter
change < 1 s. Prints tables; nothing here is a test (timings depend on the machine).

    python bench/bench_dashboard.py            # builds bench/out/dash100k on first run
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from analysis import aggregate as agg  # noqa: E402
from analysis import store as store_mod  # noqa: E402
from tests.e2e.chromium_flags import CHROMIUM, FLAGS  # noqa: E402

DEFAULT_STORE = HERE / "out" / "dash100k"
APP = REPO / "dashboard" / "app.py"
TARGET_FIRST_S = 3.0
TARGET_CHANGE_S = 1.0
CHARTS = 3  # the Overview tab: map, engagements over time, topics
# A *light* page (to split the browser's time): Streamlit's Plotly chunk is replaced by a
# stub, so the page gets every message of the run but draws no chart.
PLOTLY_CHUNK = re.compile(r"/static/js/PlotlyChart\.[^/]+\.js$")
PLOTLY_STUB = "export function PlotlyChart() { return null; }\nexport default PlotlyChart;\n"
START_YEARS = (2021, 2017, 2013, 2009, 2005, 2001, 2019, 2011)  # date-widget changes
PARTNERS = ("Russia", "China", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Türkiye")

# Installed in every page before the app's own scripts. Plotly announces a finished
# draw by calling ``gd.emit('plotly_afterplot')``; the setter below wraps the ``emit``
# that plotly assigns to each chart's div and stamps the time of its last draw on it.
# The app replaces its chart elements on every rerun, so "every chart drawn after t0"
# means "every chart of the new run drawn". ``t0`` is the key press (Escape, Enter) or
# click that commits a filter widget, once armed; after a navigation it is 0.
BENCH_JS = r"""
(() => {
  const B = (window.__bench = { t0: null, armed: false });
  Object.defineProperty(HTMLElement.prototype, 'emit', {
    configurable: true,
    get() { return undefined; },
    set(fn) {
      const el = this;
      el.__benchMounted = performance.now();  // plotly starts on a new chart div
      Object.defineProperty(el, 'emit', {
        configurable: true, writable: true,
        value(name, data) {
          if (name === 'plotly_afterplot') {
            el.__benchDrawn = performance.now();
            el.__benchFirst = el.__benchFirst || el.__benchDrawn;
          }
          return fn.call(el, name, data);
        },
      });
    },
  });
  const commit = (e) => {
    if (B.armed && (e.type === 'click' || e.key === 'Escape' || e.key === 'Enter')) {
      B.t0 = performance.now();
      B.armed = false;
    }
  };
  document.addEventListener('keydown', commit, true);
  document.addEventListener('click', commit, true);
  B.arm = () => { B.t0 = null; B.armed = true; };
  // Resolves with {done, drawn} in ms after `since`: `done` when the run is finished
  // (connected, notRunning, nothing stale, the caption reads `caption`), `drawn` when
  // every chart (at least `charts` of them, map shapes present) was drawn after `since`;
  // `charts` 0: charts are not waited for (`drawn` = `done`).
  B.watch = (since, caption, charts, timeoutMs, everyMs) => new Promise((resolve, reject) => {
    since = since === null ? B.t0 : since;
    const began = performance.now();
    let done = null;
    const tick = () => {
      const now = performance.now();
      const exc = document.querySelector('[data-testid="stException"]');
      if (exc) return reject(new Error('stException: ' + exc.innerText.slice(0, 400)));
      if (since === null) return reject(new Error('the filter change was not committed'));
      const app = document.querySelector('[data-testid="stApp"]');
      const idle = !!app && app.dataset.testConnectionState === 'CONNECTED'
        && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-stale="true"]');
      const captionOk = !caption || Array.from(
        document.querySelectorAll('[data-testid="stCaptionContainer"]')
      ).some((e) => e.innerText.startsWith(caption));
      if (idle && captionOk) { if (done === null) done = now; } else { done = null; }
      const gds = Array.from(
        document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'));
      const drawn = charts === 0 || (gds.length >= charts
        && gds.every((g) => g.__benchDrawn > since)
        && !!document.querySelector('.choroplethlocation'));
      if (done !== null && drawn) {
        const last = charts === 0 ? done : Math.max(done, ...gds.map((g) => g.__benchDrawn));
        // Where the time went (ms after `since`, charts of this run only): Streamlit's
        // Plotly code fetched, the first chart div handed to plotly, every chart's first
        // draw finished (the rest is Streamlit updating each chart once after mounting).
        const fresh = gds.filter((g) => g.__benchMounted > since);
        const code = performance.getEntriesByType('resource')
          .filter((e) => /PlotlyChart\.[^/]+\.js$/.test(e.name) && e.responseEnd > since);
        const split = charts === 0 || !fresh.length ? {} : {
          code: code.length ? code[0].responseEnd - since : null,
          mounted: Math.min(...fresh.map((g) => g.__benchMounted)) - since,
          first: Math.max(...fresh.map((g) => g.__benchFirst)) - since,
        };
        return resolve({ done: done - since, drawn: last - since, ...split });
      }
      if (now - began > timeoutMs) {
        const state = app ? app.dataset.testScriptState : 'no app';
        const shown = Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
          .map((e) => e.innerText).find((t) => t.includes(' articles in the selection'));
        return reject(new Error(`timeout: state=${state} charts=${gds.length}`
          + ` drawn=${gds.filter((g) => g.__benchDrawn > since).length}`
          + ` caption wanted "${caption}", shown "${shown}"`));
      }
      setTimeout(tick, everyMs);
    };
    tick();
  });
})();
"""


# -- store and server --------------------------------------------------------------------


def ensure_store(store_dir: Path, articles: int, engagements: int) -> Path:
    """Reuse ``store_dir`` when it holds a synthetic store of that size, else build it
    (in a child process, like bench_aggregate, so its memory is not counted here)."""
    meta = store_mod.read_meta(store_dir)
    if meta.get("synthetic") and (meta.get("articles"), meta.get("engagements")) == (
        articles,
        engagements,
    ):
        return store_dir
    print(f"building synthetic store in {store_dir} ...", file=sys.stderr, flush=True)
    command = [sys.executable, str(HERE / "synth_store.py"), str(store_dir)]
    command += ["--articles", str(articles), "--engagements", str(engagements)]
    subprocess.run(command, check=True)
    return store_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(store_dir: Path, log_path: Path) -> Iterator[str]:
    """``diplodash dashboard`` on a free port of 127.0.0.1; the URL while it runs.

    The command starts Streamlit as its child: both run in a session of their own, and
    only that process group is stopped at the end."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("diplodash")), "dashboard"]
    command += ["--store", str(store_dir), "--port", str(port), "--address", "127.0.0.1"]
    env = {
        **os.environ,
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                if proc.poll() is not None:
                    raise RuntimeError(f"the dashboard exited during start-up; see {log_path}")
                try:
                    if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError(f"the dashboard did not start; see {log_path}")
            yield url
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


# -- expected page text ------------------------------------------------------------------


class Expect:
    """The caption the app must show for a selection, from the analysis layer."""

    def __init__(self, store_dir: Path) -> None:
        self.data = agg.load(store_dir)
        self.span = self.data.span
        self.total = len(self.data.articles)

    def caption(self, **selection: object) -> str:
        chosen = agg.Filter(**{"start": self.span[0], "end": self.span[1], **selection})
        return f"{len(chosen.apply(self.data).articles):,} of {self.total:,} articles"

    def iso3(self, name: str) -> str:
        table = agg.by_country(self.data)
        return str(table.loc[table["name"] == name, "iso3"].iloc[0])


# -- the browser -------------------------------------------------------------------------


class Browser:
    """One Chromium; each measured page load gets a fresh context (no HTTP cache)."""

    def __init__(self, playwright: object, url: str, timeout_s: float) -> None:
        self.url, self.timeout_ms = url, timeout_s * 1000
        self.external: list[str] = []
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

    def page(self, light: bool = False) -> object:
        context = self.browser.new_context(viewport={"width": 1440, "height": 1000})
        context.add_init_script(BENCH_JS)
        if light:
            stub = {"body": PLOTLY_STUB, "content_type": "text/javascript"}
            context.route(PLOTLY_CHUNK, lambda route: route.fulfill(**stub))
        local = (self.url, "data:", "blob:", "about:")
        context.on(
            "request", lambda r: None if r.url.startswith(local) else self.external.append(r.url)
        )
        page = context.new_page()
        page.set_default_timeout(self.timeout_ms)
        return page

    def watch(
        self, page: object, since: float | None, caption: str, charts: int = CHARTS
    ) -> dict[str, float]:
        """Milliseconds to {done, drawn} (see BENCH_JS); raises on an exception or timeout."""
        return page.evaluate(
            "([s, c, n, t]) => window.__bench.watch(s, c, n, t, 10)",
            [since, caption, charts, self.timeout_ms],
        )

    def load(
        self, query: str, caption: str, light: bool = False
    ) -> tuple[object, dict[str, float]]:
        """A fresh page on ``/?query``; times from navigation start."""
        page = self.page(light)
        page.goto(f"{self.url}/{'?' + query if query else ''}", wait_until="commit")
        return page, self.watch(page, 0, caption, 0 if light else CHARTS)

    def close(self) -> None:
        self.browser.close()


def fresh_loads(browser: Browser, expect: Expect, n: int, light: bool = False) -> list[dict]:
    """``n`` page loads of the Overview, each in a fresh context."""
    runs = []
    for _ in range(n):
        page, times = browser.load("", expect.caption(), light)
        runs.append(times)
        page.context.close()
    return runs


def return_visits(browser: Browser, expect: Expect, n: int) -> list[dict]:
    """``n`` page loads of the Overview in one context after a first visit: the HTTP cache
    (and Chromium's compiled-code cache) holds Streamlit's scripts, as for a returning
    user. Not the target's measurement (that is a fresh page), but it shows what the 4.7 MB
    Plotly chunk costs a first visit."""
    page, _ = browser.load("", expect.caption())
    runs = []
    for _ in range(n):
        page.goto(f"{browser.url}/", wait_until="commit")
        runs.append(browser.watch(page, 0, expect.caption()))
    page.context.close()
    return runs


def first_renders(browser: Browser, expect: Expect, warm: int) -> tuple[dict, list[dict]]:
    """The cold first load after start-up, then ``warm`` fresh page loads."""
    runs = fresh_loads(browser, expect, 1 + warm)
    return runs[0], runs[1:]


def date_widget_changes(
    browser: Browser, expect: Expect, repeat: int, light: bool = False
) -> list[dict]:
    """Type a new start year into the date widget; Escape commits it and reruns."""
    page, _ = browser.load("", expect.caption(), light)
    runs = []
    for year in START_YEARS[:repeat]:
        start = dt.date(year, expect.span[0].month, expect.span[0].day)
        page.get_by_role("spinbutton", name="year, Date range start date").click()
        page.keyboard.type(str(year))
        page.evaluate("window.__bench.arm()")
        page.keyboard.press("Escape")
        runs.append(browser.watch(page, None, expect.caption(start=start), 0 if light else CHARTS))
    page.context.close()
    return runs


def country_widget_changes(browser: Browser, expect: Expect, repeat: int) -> list[dict]:
    """Add one more partner country in the multiselect: type its name, press Enter (the
    best match; the app hides Streamlit's "Select N matches" row, see filters._multi)."""
    page, _ = browser.load("", expect.caption())
    box = page.get_by_test_id("stMultiSelect").filter(has_text="Partner countries")
    runs, chosen = [], []
    for name in PARTNERS[:repeat]:
        chosen.append(expect.iso3(name))
        box.locator("input").click()
        page.keyboard.type(name)
        option = page.get_by_role("option", name=name, exact=True)
        option.wait_for()
        page.evaluate("window.__bench.arm()")
        page.keyboard.press("Enter")
        runs.append(browser.watch(page, None, expect.caption(countries=list(chosen))))
        page.keyboard.press("Escape")  # close the option list
    page.context.close()
    return runs


def date_url_changes(browser: Browser, expect: Expect, repeat: int) -> list[dict]:
    """A link with another date range: a fresh page load on ``?dates=A&dates=B``."""
    runs = []
    for year in START_YEARS[:repeat]:
        start = dt.date(year, 1, 1)
        query = f"dates={start}&dates={expect.span[1]}"
        page, times = browser.load(query, expect.caption(start=start))
        runs.append(times)
        page.context.close()
    return runs


# -- AppTest: the script run alone -------------------------------------------------------


def apptest_runs(store_dir: Path, expect: Expect, repeat: int) -> dict[str, list[float]]:
    """Seconds of ``AppTest.run()`` of dashboard/app.py (same process, no browser)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # Clearing the caches outside a script run logs "missing ScriptRunContext": noise.
    logging.disable(logging.WARNING)

    os.environ["DIPLODASH_STORE"] = str(store_dir)
    timings: dict[str, list[float]] = {k: [] for k in APPTEST_ROWS}

    def timed(key: str, function: Callable[[], AppTest]) -> AppTest:
        began = time.perf_counter()
        at = function()
        timings[key].append(time.perf_counter() - began)
        if at.exception:
            raise RuntimeError(f"{key}: {[e.message for e in at.exception]}")
        return at

    def new_session() -> AppTest:
        return AppTest.from_file(str(APP), default_timeout=300).run()

    span_end = expect.span[1]
    for n in range(repeat):
        st.cache_resource.clear()
        st.cache_data.clear()
        timed("first run, cold cache", new_session)
        at = timed("first run, warm cache", new_session)
        start = dt.date(START_YEARS[n % len(START_YEARS)], 1, 1)
        at.date_input(key="dates").set_value((start, span_end))
        timed("rerun: date range", at.run)
        at.multiselect(key="country").set_value([expect.iso3(PARTNERS[n % len(PARTNERS)])])
        timed("rerun: + country", at.run)
    logging.disable(logging.NOTSET)
    return timings


APPTEST_ROWS = (
    "first run, cold cache",
    "first run, warm cache",
    "rerun: date range",
    "rerun: + country",
)


# -- report ------------------------------------------------------------------------------


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    except OSError:
        chromium = "chromium: not found"
    import streamlit

    return (
        f"{platform.node()}: {cores} cores (nproc), {platform.machine()}, "
        f"Python {platform.python_version()}, streamlit {streamlit.__version__}, "
        f"{chromium.strip()}"
    )


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def row(name: str, seconds: list[float], target: float | None = None, note: str = "") -> str:
    med = statistics.median(seconds)
    verdict = "" if target is None else ("OK" if med < target else "OVER")
    return (
        f"| {name} | {len(seconds)} | {med:.2f} | {min(seconds):.2f} | {max(seconds):.2f} "
        f"| {verdict} | {note} |"
    )


NOT_DRAWN = "no Plotly (stub): "
HEADER = (
    "| measurement | n | median s | min s | max s | target | note |\n|---|--:|--:|--:|--:|---|---|"
)


def print_browser(cold: dict, warm: list[dict], changes: dict[str, list[dict]]) -> None:
    print("Browser (Playwright + Chromium), seconds; 'run done' = script finished and page")
    print("up to date, 'charts' = every chart drawn (the end of the measurement):")
    print(HEADER)
    print(row("first render, cold server: run done", [cold["done"] / 1000]))
    print(row("first render, cold server: charts", [cold["drawn"] / 1000], TARGET_FIRST_S))
    print(row("first render, fresh page: run done", [r["done"] / 1000 for r in warm]))
    print(
        row("first render, fresh page: charts", [r["drawn"] / 1000 for r in warm], TARGET_FIRST_S)
    )
    for name, runs in changes.items():
        target = TARGET_FIRST_S if "page load" in name else TARGET_CHANGE_S
        print(row(f"{name}: run done", [r["done"] / 1000 for r in runs]))
        if not name.startswith(NOT_DRAWN):
            print(row(f"{name}: charts", [r["drawn"] / 1000 for r in runs], target))
    print()
    print_split({"first render, fresh page": warm, **changes})


SPLIT = (
    ("done", "run done"),
    ("code", "Plotly code fetched"),
    ("mounted", "first chart mounted"),
    ("first", "charts' first draws done"),
    ("drawn", "charts final"),
)


def print_split(measured: dict[str, list[dict]]) -> None:
    """Medians of the moments inside each measurement (see BENCH_JS): where time goes."""
    print("Where the time goes, median seconds after the navigation or the key press")
    print("(Plotly code: only when the page fetched it, i.e. page loads):")
    print("| measurement | " + " | ".join(title for _, title in SPLIT) + " |")
    print("|---|" + "--:|" * len(SPLIT))
    for name, runs in measured.items():
        if name.startswith(NOT_DRAWN):
            continue
        cells = []
        for key, _ in SPLIT:
            values = [r[key] / 1000 for r in runs if r.get(key) is not None]
            cells.append(f"{statistics.median(values):.2f}" if values else "–")
        print(f"| {name} | " + " | ".join(cells) + " |")


def print_apptest(timings: dict[str, list[float]]) -> None:
    print("Server side (AppTest run of dashboard/app.py, Overview tab), seconds:")
    print(HEADER)
    notes = {
        "first run, cold cache": "includes loading the store",
        "first run, warm cache": "a new session",
    }
    for name, seconds in timings.items():
        print(row(name, seconds, note=notes.get(name, "")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--engagements", type=int, default=250_000)
    parser.add_argument("--loads", type=int, default=3, help="warm fresh page loads (median)")
    parser.add_argument("--changes", type=int, default=5, help="filter changes per kind")
    parser.add_argument("--runs", type=int, default=5, help="AppTest runs per kind")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per measurement")
    parser.add_argument("--no-browser", action="store_true", help="AppTest part only")
    args = parser.parse_args(argv)

    store_dir = ensure_store(args.store, args.articles, args.engagements)
    expect = Expect(store_dir)
    eng = expect.data.base.n_engagements
    print(f"date: {dt.datetime.now():%Y-%m-%d %H:%M}")
    print(f"machine: {machine()}")
    print(f"load average at start: {loadavg()}")
    print(f"store: {store_dir}: {expect.total:,} articles, {eng:,} engagements")
    print()

    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        began = time.perf_counter()
        log = HERE / "out" / "bench-dashboard.log"
        with dashboard(store_dir, log) as url, sync_playwright() as p:
            browser = Browser(p, url, args.timeout)
            try:
                cold, warm = first_renders(browser, expect, args.loads)
                changes = {
                    "date range, widget": date_widget_changes(browser, expect, args.changes),
                    "+ country, widget": country_widget_changes(browser, expect, args.changes),
                    "date range, URL (page load)": date_url_changes(browser, expect, args.changes),
                    "return visit, same browser (page load)": return_visits(
                        browser, expect, args.loads
                    ),
                    NOT_DRAWN + "first render, fresh page": fresh_loads(
                        browser, expect, args.loads, light=True
                    ),
                    NOT_DRAWN + "date range, widget": date_widget_changes(
                        browser, expect, args.changes, light=True
                    ),
                }
            finally:
                browser.close()
        print_browser(cold, warm, changes)
        print(f"requests to other hosts than 127.0.0.1: {len(browser.external)}")
        print(f"load average after the browser part: {loadavg()} "
              f"({time.perf_counter() - began:.0f} s)")  # fmt: skip
        print()

    began = time.perf_counter()
    timings = apptest_runs(store_dir, expect, args.runs)
    print_apptest(timings)
    print(f"load average after the AppTest part: {loadavg()} "
          f"({time.perf_counter() - began:.0f} s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
