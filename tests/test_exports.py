"""Downloads: Excel-safe CSV, JSON, Parquet, extraction records and file names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import exports
from analysis.extract.model import Evidence


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Türkiye", "=1+1", "-cmd", "@SUM(A1)", "\tTab", "+7", "Қазақстан"],
            "kind": pd.Categorical(["a", "=b", "a", "a", "a", "a", "a"]),
            "engagements": [3, -5, 0, 1, 2, 7, 1],
            "share": [0.5, -0.25, np.nan, 0.0, 1.0, 2.0, 3.0],
            "date": pd.to_datetime(["2024-01-31"] * 6 + [None]),
        }
    )


def _read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_a_bom_and_neutralises_formulas(frame):
    data = exports.to_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _read_csv(data)
    assert [r["name"] for r in rows] == [
        "Türkiye",
        "'=1+1",
        "'-cmd",
        "'@SUM(A1)",
        "'\tTab",
        "'+7",
        "Қазақстан",
    ]
    assert rows[1]["kind"] == "'=b"  # categories are text too


def test_csv_leaves_numbers_and_dates_alone(frame):
    rows = _read_csv(exports.to_csv(frame))
    assert rows[1]["engagements"] == "-5" and rows[1]["share"] == "-0.25"
    assert rows[0]["date"] == "2024-01-31" and rows[-1]["date"] == ""
    assert rows[2]["share"] == ""


def test_csv_joins_list_cells():
    lists = pd.DataFrame({"partners": [["KGZ", "RUS"], [], None], "n": [2, 0, 0]})
    rows = _read_csv(exports.to_csv(lists, bom=False))
    assert [r["partners"] for r in rows] == ["KGZ;RUS", "", ""]


def test_json_records_with_iso_dates_and_nulls(frame):
    records = json.loads(exports.to_json(frame))
    assert records[0] == {
        "name": "Türkiye",
        "kind": "a",
        "engagements": 3,
        "share": 0.5,
        "date": "2024-01-31",
    }
    assert records[2]["share"] is None and records[-1]["date"] is None
    assert "Қазақстан".encode() in exports.to_json(frame)  # not \\u-escaped


def test_json_keeps_timestamps_and_lists():
    frame = pd.DataFrame(
        {"at": pd.to_datetime(["2024-01-31 10:30"]), "topics": [np.array(["it", "energy"])]}
    )
    assert json.loads(exports.to_json(frame)) == [
        {"at": "2024-01-31T10:30:00", "topics": ["it", "energy"]}
    ]


def test_parquet_round_trip(frame):
    data = exports.to_parquet(frame)
    back = pd.read_parquet(io.BytesIO(data))
    days = frame.assign(date=[d.date() if pd.notna(d) else None for d in frame["date"]])
    pd.testing.assert_frame_equal(back, days, check_dtype=False)
    assert isinstance(back["kind"].dtype, pd.CategoricalDtype)
    assert pq.read_schema(io.BytesIO(data)).field("date").type == pa.date32()  # a DATE


def test_frame_bytes_dispatches_and_rejects_unknown_formats(frame):
    assert exports.frame_bytes(frame, "csv") == exports.to_csv(frame)
    with pytest.raises(ValueError, match="format must be one of"):
        exports.frame_bytes(frame, "xlsx")


def test_write_frame_to_a_file_and_to_stdout(frame, tmp_path, capsysbinary):
    target = tmp_path / "out.csv"
    exports.write_frame(frame, "csv", target)
    assert target.read_bytes() == exports.to_csv(frame)
    exports.write_frame(frame, "csv")
    assert capsysbinary.readouterr().out == exports.to_csv(frame, bom=False)


RECORDS = [
    {
        "title": "=Talks",
        "date": dt.date(2024, 1, 31),
        "partner_countries": ["KGZ", "RUS"],
        "partner_orgs": [],
        "location_country": None,
        "evidence": [Evidence("partner_countries", "KGZ", "Kyrgyz", 0, 6)],
    },
    {"title": "Visit", "topics": ["energy"]},
]


def test_write_records_csv():
    stream = io.StringIO()
    exports.write_records(RECORDS, stream, "csv")
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(rows[0]) == [
        "title",
        "date",
        "partner_countries",
        "partner_orgs",
        "location_country",
        "evidence",
        "topics",
    ]
    assert rows[0]["title"] == "'=Talks"
    assert rows[0]["date"] == "2024-01-31"
    assert rows[0]["partner_countries"] == "KGZ;RUS"
    assert rows[0]["location_country"] == "" and rows[1]["topics"] == "energy"
    assert json.loads(rows[0]["evidence"])[0]["surface"] == "Kyrgyz"


def test_write_records_jsonl():
    stream = io.StringIO()
    exports.write_records(RECORDS, stream, "jsonl")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["date"] == "2024-01-31" and lines[0]["title"] == "=Talks"
    assert lines[0]["evidence"][0]["value"] == "KGZ"
    assert lines[1] == {"title": "Visit", "topics": ["energy"]}
    with pytest.raises(ValueError):
        exports.write_records(RECORDS, stream, "xml")


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("Engagements by country", dt.date(2024, 1, 1), "2024-12-31", "csv"),
         "engagements-by-country_2024-01-01_2024-12-31.csv"),
        (("Türkiye / topics", None, None, ".json"), "turkiye-topics_all-dates.json"),
        (("map", "2024-06-10", None, "parquet"), "map_from-2024-06-10.parquet"),
        (("map", None, dt.datetime(2024, 6, 30, 22, tzinfo=dt.UTC), "csv"),
         "map_to-2024-07-01.csv"),  # 03:00 on 1 July in Astana
        (("???", None, None, "csv"), "diplodash_all-dates.csv"),
    ],
)  # fmt: skip
def test_download_name(args, name):
    assert exports.download_name(*args) == name
