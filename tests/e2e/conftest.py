"""Fixtures for the browser tests: a throwaway store, one Streamlit server and one
system Chromium per module (2 cores: start each once, share them between tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium_flags import CHROMIUM, FLAGS  # shared with bench/bench_dashboard.py

from analysis import pipeline

REPO = Path(__file__).resolve().parents[2]
# Test runs write screenshots to an ignored folder; `make screenshots` refreshes the ones
# the docs show (DIPLODASH_SCREENSHOTS=docs/screenshots), so a test run leaves git clean.
SCREENSHOTS = REPO / os.environ.get("DIPLODASH_SCREENSHOTS", "tests/e2e/screenshots")

try:
    from playwright import sync_api as playwright_api
except ImportError:  # the browser tests skip; everything else still runs
    playwright_api = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh store built from the bundled feeds; never the repository's data/processed."""
    store = tmp_path_factory.mktemp("store")
    report = pipeline.ingest([REPO / "data" / "raw"], store, progress=False)
    assert report.total > 0
    return store


@pytest.fixture(scope="module")
def app_url(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard as users start it: `diplodash dashboard --store ... --port ...`.

    The command starts Streamlit as its child, so both run in a session of their own
    and the whole group (this fixture's processes only) is stopped at the end.
    """
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    diplodash = Path(sys.executable).with_name("diplodash")
    command = [
        str(diplodash),
        "dashboard",
        "--store",
        str(store_dir),
        "--port",
        str(port),
        "--address",
        "127.0.0.1",
    ]
    env = {
        **os.environ,
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)


def _wait_healthy(url: str, proc: subprocess.Popen) -> None:
    for _ in range(150):
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited during start-up")
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not start")


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One Chromium for the whole module (a persistent context, downloads allowed)."""
    if playwright_api is None or not Path(CHROMIUM).exists():
        pytest.skip("needs playwright and the system chromium (apt-get install chromium)")
    playwright_api.expect.set_options(timeout=20_000)  # 2 busy cores: the map can be slow
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            accept_downloads=True,
            viewport={"width": 1440, "height": 1000},
        )
        yield context
        context.close()


class Dash:
    """One browser tab on the dashboard, with what every test needs."""

    def __init__(self, page: object, url: str, store: Path) -> None:
        self.page, self.url, self.store = page, url, store
        self.external: list[str] = []  # requests that left 127.0.0.1
        self.errors: list[str] = []  # uncaught errors in the page
        local = (url, "data:", "blob:", "about:")
        page.on(
            "request", lambda r: None if r.url.startswith(local) else self.external.append(r.url)
        )
        page.on("pageerror", lambda err: self.errors.append(str(err)))

    def open(self, query: str = "") -> object:
        self.page.goto(f"{self.url}/{'?' + query if query else ''}")
        self.wait()
        return self.page

    def wait(self) -> None:
        """Connected, the script finished, and nothing on the page is stale."""
        page = self.page
        page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        playwright_api.expect(page.locator('[data-stale="true"]')).to_have_count(0)

    def metric(self, label: str) -> object:
        """The value element of the KPI card called ``label``."""
        card = self.page.get_by_test_id("stMetric").filter(has_text=label).first
        return card.get_by_test_id("stMetricValue")

    def assert_clean(self) -> None:
        """No Python exception on the page, no JavaScript error, nothing fetched remotely."""
        playwright_api.expect(self.page.get_by_test_id("stException")).to_have_count(0)
        assert self.errors == []
        assert self.external == []

    def screenshot(self, name: str) -> Path:
        """Save the whole view to SCREENSHOTS/<name>.png.

        Streamlit scrolls inside its main block, so a "full page" shot would stop at the
        window: the window is stretched to the content's height for the shot instead.
        """
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        size = self.page.viewport_size
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        self.page.wait_for_timeout(300)  # tables and charts finish drawing
        height = self.page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
        )
        self.page.set_viewport_size({"width": size["width"], "height": min(height + 40, 4000)})
        self.page.wait_for_timeout(500)  # let plotly re-layout to the new size
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size(size)
        return path


@pytest.fixture()
def dash(browser_context: object, app_url: str, store_dir: Path) -> Iterator[Dash]:
    """A fresh tab per test; the test ends by checking nothing left 127.0.0.1."""
    page = browser_context.new_page()
    page.set_default_timeout(30_000)
    yield Dash(page, app_url, store_dir)
    page.close()
