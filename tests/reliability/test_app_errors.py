"""One bad record, link or file name must never take the dashboard down, and a user never
sees a traceback: pages with a typo'd year, a backwards date range in the URL, an upload
whose name holds a NUL byte, and a page that fails for a reason nobody foresaw."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import pipeline
from dashboard import app, nav
from dashboard.views import overview

APP = Path(app.__file__)
BODY = "The Foreign Minister of Kazakhstan met the Ambassador of Japan in Astana on trade. " * 3
DAYS = {"Typo'd year": "0205-02-03", "Visit in spring": "2025-02-03", "Visit in June": "2025-06-03"}


def _store(folder: Path, days: dict[str, str]) -> Path:
    lines = [json.dumps({"title": t, "published": d, "text": BODY}) for t, d in days.items()]
    report = pipeline.ingest_uploads([("feed.jsonl", "\n".join(lines).encode())], folder)
    assert report.new == len(days)
    return folder


@pytest.fixture(scope="module")
def typo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("typo"), DAYS)


@pytest.fixture(scope="module")
def plain_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Without the typo'd year, which alone took every page down before."""
    return _store(tmp_path_factory.mktemp("plain"), {t: d for t, d in DAYS.items() if d > "1"})


def run_app(store: Path, monkeypatch: pytest.MonkeyPatch, **query: str | list[str]) -> AppTest:
    monkeypatch.setenv("DIPLODASH_STORE", str(store))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    return at.run()


def no_trace(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize("view", nav.TABS)
def test_a_year_205_record_does_not_crash_any_page(typo_store, monkeypatch, view):
    at = run_app(typo_store, monkeypatch, view=view)
    no_trace(at)
    assert not at.error
    # kept out of the default range: the charts span the plausible dates only
    assert at.date_input(key="dates").value == (dt.date(2025, 2, 3), dt.date(2025, 6, 3))


def test_a_backwards_date_range_in_the_url_is_swapped(plain_store, monkeypatch):
    at = run_app(plain_store, monkeypatch, dates=["2025-06-01", "2025-02-05"])
    no_trace(at)
    assert not at.error
    assert "2025-02-05" in at.caption[0].value and "2025-06-01" in at.caption[0].value


def test_a_backwards_range_outside_the_store_is_swapped_and_clamped(plain_store, monkeypatch):
    at = run_app(plain_store, monkeypatch, dates=["2026-01-01", "2020-01-01"])
    no_trace(at)
    assert at.date_input(key="dates").value == (dt.date(2025, 2, 3), dt.date(2025, 6, 3))


def test_an_unforeseen_failure_is_a_message_not_a_traceback(plain_store, monkeypatch):
    def broken(ctx: object) -> None:
        raise RuntimeError("/secret/source/path.py line 1")

    monkeypatch.setattr(overview, "render", broken)
    at = run_app(plain_store, monkeypatch)
    no_trace(at)
    (message,) = at.error
    assert message.value == app.FAILED and "/secret" not in message.value


def test_dashboard_command_hides_error_details(monkeypatch):
    """The second line of defence: Streamlit itself shows no trace either."""
    from analysis import cli

    seen: list[list[str]] = []
    monkeypatch.setattr(cli.os, "execve", lambda exe, argv, env: seen.append(argv))
    monkeypatch.setattr(subprocess, "call", lambda argv, env: seen.append(argv) or 0)  # as it was
    cli.main(["dashboard", "--store", "x"])
    assert "--client.showErrorDetails=none" in seen[0]


def test_an_upload_named_with_a_nul_byte_is_a_warning_row(plain_store, tmp_path, monkeypatch):
    store = tmp_path / "store"
    shutil.copytree(plain_store, store)
    line = json.dumps({"title": "Talks in Tokyo", "published": "2025-03-01", "text": BODY})
    at = run_app(store, monkeypatch, view=nav.ADD_DATA)
    at.get("file_uploader")[0].set_value(
        [
            ("evil\x00.exe.jsonl", line.encode(), "application/json"),
            ("feed.exe", b"MZ", "application/octet-stream"),
            ("tokyo.jsonl", line.encode(), "application/json"),
        ]
    ).run()
    no_trace(at)
    at.button(key="ingest").click().run()
    no_trace(at)
    (table,) = at.dataframe
    rows = list(table.value["warning"])
    assert any("NUL byte" in row for row in rows) and any("feed.exe" in row for row in rows)
    assert all("\x00" not in row for row in rows)
    assert at.success[0].value.startswith("Added 1 new articles")  # the good file went in
