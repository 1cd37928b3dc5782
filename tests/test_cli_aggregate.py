"""`diplodash aggregate`: the CLI prints the very frames the dashboard draws and downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
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
    code, out, _ = run(capsysbinary, "--by", "country", "--store", str(tmp_path / "none"))
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
