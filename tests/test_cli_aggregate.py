"""`diplodash aggregate`: the CLI prints the very frames the dashboard draws and downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import aggregate as agg
from analysis import cli, store

LABELS = Path(__file__).resolve().parent / "data" / "labels.jsonl"


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store written from the gold labels (the extractor is not needed to test counting)."""
    records = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    frame = pd.DataFrame(records)
    frame["id"] = [f"gold-{i}" for i in range(len(frame))]
    frame["date"] = [dt.date.fromisoformat(d) for d in frame["date"]]
    frame["source_files"] = frame.pop("files")
    frame["mentioned_countries"] = [[] for _ in range(len(frame))]
    for column in store.COLUMNS:
        if column not in frame:
            frame[column] = None
    folder = tmp_path_factory.mktemp("gold") / "store"
    store.write_articles(folder, frame, {"source": "gold labels"})
    return folder


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    code = cli.main(["aggregate", *argv])
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


def as_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_by_country_prints_the_dashboard_frame(gold_store, capsysbinary):
    code, out, _ = run(capsysbinary, "--by", "country", "--store", str(gold_store))
    assert code == 0
    expected = agg.by_country(agg.load(gold_store))
    printed = as_rows(out)
    assert [r["iso3"] for r in printed] == expected["iso3"].tolist()
    assert [int(r["engagements"]) for r in printed] == expected["engagements"].tolist()


def test_filters_and_freq(gold_store, capsysbinary):
    argv = ["--by", "date", "--freq", "year", "--from", "2024-01-01", "--to", "2025-12-31",
            "--region", "Central Asia", "--topic", "trade_investment",
            "--store", str(gold_store)]  # fmt: skip
    code, out, _ = run(capsysbinary, *argv)
    assert code == 0
    selection = agg.Filter(
        start="2024-01-01", end="2025-12-31", regions=["Central Asia"], topics=["trade_investment"]
    )
    expected = agg.by_date(selection.apply(agg.load(gold_store)), "year")
    printed = as_rows(out)
    assert [r["period_label"] for r in printed] == ["2024", "2025"]
    assert [int(r["articles"]) for r in printed] == expected["articles"].tolist()


def test_several_countries_and_event_types(gold_store, capsysbinary):
    argv = ["--by", "country", "--country", "UZB", "Kyrgyzstan", "--event-type", "visit",
            "--store", str(gold_store)]  # fmt: skip
    code, out, _ = run(capsysbinary, *argv)
    assert code == 0
    assert {r["iso3"] for r in as_rows(out)} <= {"UZB", "KGZ"}


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_output_file_in_every_format(gold_store, tmp_path, capsysbinary, fmt):
    target = tmp_path / f"topics.{fmt}"
    argv = ["--by", "topic", "--format", fmt, "--output", str(target), "--store", str(gold_store)]
    code, out, _ = run(capsysbinary, *argv)
    assert code == 0 and out == b""
    expected = agg.by_topic(agg.load(gold_store))
    if fmt == "csv":
        assert target.read_bytes().startswith(b"\xef\xbb\xbf")
        written = pd.read_csv(target, encoding="utf-8-sig")
    elif fmt == "json":
        written = pd.DataFrame(json.loads(target.read_text(encoding="utf-8")))
    else:
        written = pd.read_parquet(target)
    assert written["engagements"].tolist() == expected["engagements"].tolist()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--by", "region", "--region", "Atlantis"], "unknown region"),
        (["--by", "country", "--from", "2025-02-01", "--to", "2025-01-01"], "starts"),
        (["--by", "country", "--from", "last tuesday"], "error"),
    ],
)
def test_bad_input_is_reported(gold_store, capsysbinary, argv, message):
    code, out, err = run(capsysbinary, *argv, "--store", str(gold_store))
    assert code == 2 and out == b""
    assert message in err


def test_unknown_table_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["aggregate", "--by", "planet"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_empty_store_prints_a_header(tmp_path, capsysbinary):
    store.write_articles(tmp_path / "empty", store.empty_frame(), {})
    code, out, _ = run(capsysbinary, "--by", "country", "--store", str(tmp_path / "empty"))
    assert code == 0
    assert out.decode().splitlines()[0].startswith("iso3,iso2,name,region")


def test_by_country_lists_all_three_measures_ranked_by_the_chosen_one(gold_store, capsysbinary):
    code, out, _ = run(capsysbinary, "--by", "country", "--measure", "articles",
                       "--store", str(gold_store))  # fmt: skip
    assert code == 0
    printed = as_rows(out)
    assert {"articles", "engagements", "events"} <= set(printed[0])
    expected = agg.by_country(agg.load(gold_store), measure="articles")
    assert [r["iso3"] for r in printed] == expected["iso3"].tolist()
    assert [int(r["events"]) for r in printed] == expected["events"].tolist()


def test_format_filter_and_breakdown(gold_store, capsysbinary):
    data = agg.load(gold_store)
    code, out, _ = run(capsysbinary, "--by", "format", "--store", str(gold_store))
    assert code == 0
    expected = agg.by_format(data)
    assert [int(r["events"]) for r in as_rows(out)] == expected["events"].tolist()
    code, out, _ = run(capsysbinary, "--by", "country", "--bilateral", "--store", str(gold_store))
    bilateral = agg.by_country(agg.Filter(formats=["bilateral"]).apply(data))
    assert code == 0 and [r["iso3"] for r in as_rows(out)] == bilateral["iso3"].tolist()
    assert bilateral["events"].sum() == expected.set_index("format").loc["bilateral", "events"]


def test_bilateral_and_multilateral_exclude_each_other(gold_store, capsys):
    with pytest.raises(SystemExit):
        cli.main(["aggregate", "--by", "country", "--bilateral", "--multilateral"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_event_window_and_measure_are_checked(gold_store, capsysbinary):
    code, out, _ = run(capsysbinary, "--by", "format", "--event-window", "0",
                       "--store", str(gold_store))  # fmt: skip
    assert code == 0 and as_rows(out)
    with pytest.raises(SystemExit):
        cli.main(["aggregate", "--by", "country", "--measure", "meetings"])
    with pytest.raises(SystemExit):
        cli.main(["aggregate", "--by", "country", "--event-window", "-1"])


# -- values that match nothing, dates read wrongly, a wrong --store (issue 17) -----------


def _counts(capsysbinary, store_dir: Path, *argv: str) -> tuple[int, list[dict[str, str]], str]:
    code, out, err = run(capsysbinary, "--by", "topic", *argv, "--store", str(store_dir))
    return code, as_rows(out) if code == 0 else [], err


@pytest.mark.parametrize(
    ("flag", "typed", "stored"),
    [
        ("--topic", "trade & investment", "trade_investment"),
        ("--topic", "TRADE-INVESTMENT", "trade_investment"),
        ("--organisation", "un", "UN"),
        ("--actor-level", "President", "president"),
        ("--actor-level", "foreign minister", "foreign_minister"),
        ("--event-type", "Meeting", "meeting"),
    ],
)
def test_labels_and_any_case_select_what_the_id_selects(
    gold_store, capsysbinary, flag, typed, stored
):
    code, by_label, _ = _counts(capsysbinary, gold_store, flag, typed)
    assert code == 0
    _, by_id, _ = _counts(capsysbinary, gold_store, flag, stored)
    assert by_label == by_id
    assert sum(int(r["articles"]) for r in by_label) > 0  # not the all-zero table of before


@pytest.mark.parametrize(
    ("flag", "value", "valid"),
    [
        ("--topic", "Enrgy", "trade_investment"),
        ("--organisation", "United Natons", "OSCE"),
        ("--actor-level", "king", "prime_minister"),
        ("--event-type", "nosuch", "phone_call"),
    ],
)
def test_unknown_values_are_refused_with_the_valid_ones(
    gold_store, capsysbinary, flag, value, valid
):
    code, rows, err = _counts(capsysbinary, gold_store, flag, value)
    assert code == 2 and rows == []
    assert "unknown" in err and repr(value) in err and valid in err


def test_dates_are_iso_or_day_first(gold_store, capsysbinary):
    """11.09.2017 is the 11th of September (two gold articles), not 9 November (none)."""
    _, iso, _ = _counts(capsysbinary, gold_store, "--from", "2017-09-11", "--to", "2017-09-11")
    _, day_first, _ = _counts(
        capsysbinary, gold_store, "--from", "11.09.2017", "--to", "11.09.2017"
    )
    assert day_first == iso
    assert len({r["articles"] for r in iso} - {"0"}) > 0  # the day has articles


@pytest.mark.parametrize(
    "typed", ["now", "today", "02/01/2025", "2025-02-30", "13.13.2025", "2025"]
)
def test_other_date_forms_are_refused(gold_store, capsysbinary, typed):
    code, _, err = _counts(capsysbinary, gold_store, "--from", typed)
    assert code == 2 and "--from" in err and repr(typed) in err


def test_help_says_which_date_forms(capsys):
    with pytest.raises(SystemExit):
        cli.main(["aggregate", "--help"])
    assert "DD.MM.YYYY (day first" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("kind", ["missing", "file", "not a store"])
def test_a_wrong_store_is_an_error_naming_it(tmp_path, capsysbinary, kind):
    target = tmp_path / "wrong"
    if kind == "file":
        target.write_text("x")
    elif kind == "not a store":
        target.mkdir()
    code, out, err = run(capsysbinary, "--by", "country", "--store", str(target))
    assert code == 2 and out == b""
    assert str(target) in err


def test_a_foreign_parquet_file_is_refused_and_left_intact(tmp_path, capsysbinary):
    target = tmp_path / "foreign" / store.ARTICLES_FILE
    target.parent.mkdir()
    pd.DataFrame({"a": [1, 2], "title": ["x", "y"]}).to_parquet(target)
    before = target.read_bytes()
    code, out, err = run(capsysbinary, "--by", "country", "--store", str(target.parent))
    assert code == 2 and out == b"" and "not a diplodash store" in err
    assert target.read_bytes() == before


def test_a_period_grid_opened_at_year_1_stops_where_dates_can_be(gold_store, capsysbinary):
    argv = [
        "--by",
        "country_period",
        "--freq",
        "day",
        "--from",
        "0001-01-01",
        "--store",
        str(gold_store),
    ]
    code, out, _ = run(capsysbinary, *argv)
    assert code == 0
    days = {r["period_label"] for r in as_rows(out)}
    assert min(days) == "1991-01-01" and len(days) < 13_000  # was every day since year 1


def test_a_period_grid_over_the_limit_is_refused_saying_so(gold_store, tmp_path, capsysbinary):
    frame = agg.load(gold_store).articles.head(3).copy()
    frame["date"] = [dt.date(205, 2, 3), dt.date(2024, 1, 1), dt.date(9000, 1, 1)]
    frame["id"] = ["a", "b", "c"]
    folder = tmp_path / "typo"
    store.write_articles(folder, frame.reindex(columns=store.COLUMNS), {})
    argv = ["--by", "country_period", "--freq", "day", "--from", "0001-01-01", "--to", "9999-12-31"]
    code, out, err = run(capsysbinary, *argv, "--store", str(folder))
    assert code == 2 and out == b"" and "over the limit" in err


def test_parquet_is_not_written_to_a_terminal(gold_store):
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    command = [str(Path(sys.executable).with_name("diplodash")), "aggregate", "--by", "country",
               "--format", "parquet", "--store", str(gold_store)]  # fmt: skip
    try:
        done = subprocess.run(command, stdout=follower, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2 and b"--output" in done.stderr


def test_parquet_days_are_dates(gold_store, tmp_path, capsysbinary):
    target = tmp_path / "countries.parquet"
    argv = [
        "--by",
        "country",
        "--format",
        "parquet",
        "--output",
        str(target),
        "--store",
        str(gold_store),
    ]
    assert run(capsysbinary, *argv)[0] == 0
    schema = pq.read_schema(target)
    assert schema.field("first_date").type == pa.date32() == schema.field("last_date").type
