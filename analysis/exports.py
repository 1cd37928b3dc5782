"""Frames and records to files: CSV, JSON, JSON Lines and Parquet, named after the chart.

The one place that decides how data leaves the app, so a download, a CLI export and an
extraction dump of the same data look the same:

* CSV is UTF-8 with a byte-order mark, so Excel opens Cyrillic and "Türkiye" correctly,
  and formula-safe: a text cell starting with ``= + - @``, tab or carriage return gets a
  leading apostrophe, so a hostile headline cannot run as a spreadsheet formula.
  Numbers are never touched. List cells are joined with ``;``.
* JSON is an array of records with ISO dates; Parquet keeps the dtypes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

FORMATS = ("csv", "json", "parquet")
RECORD_FORMATS = ("jsonl", "csv")
MIME_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
LIST_SEPARATOR = ";"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BARE_CR = re.compile(r"\r(?!\n)")


# -- cells --------------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would run it as a formula.

    A bare carriage return becomes a newline: before Python 3.13 the csv writer does not
    quote a field holding one, and readers would split the row there.
    """
    value = "'" + value if value.startswith(_FORMULA_START) else value
    return _BARE_CR.sub("\n", value) if "\r" in value else value


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | set | frozenset) or (
        hasattr(value, "tolist") and getattr(value, "ndim", 0) == 1
    )


def _is_structure(value: object) -> bool:
    """A value CSV can only hold as JSON: a mapping, a nested list, a dataclass."""
    is_instance = dataclasses.is_dataclass(value) and not isinstance(value, type)
    return is_instance or isinstance(value, Mapping | list | tuple)


def _text_cell(value: object) -> object:
    """One CSV cell: lists ";"-joined, structures as JSON, dates ISO, text made safe."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if _is_list(value):
        items = list(value.tolist() if hasattr(value, "tolist") else value)
        if any(_is_structure(item) for item in items):
            return safe_text(json.dumps(items, ensure_ascii=False, default=_json_default))
        return safe_text(LIST_SEPARATOR.join(str(item) for item in items))
    if _is_structure(value):
        return safe_text(json.dumps(value, ensure_ascii=False, default=_json_default))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return value


def _json_default(value: object) -> object:
    """JSON for what ``json`` cannot encode: dates, dataclasses, sets, numpy scalars."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


# -- frames -------------------------------------------------------------------------------


def _is_text_column(column: pd.Series) -> bool:
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
    )


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell made spreadsheet-safe and list cells joined."""
    out = frame.copy()
    for name in out.columns:
        if _is_text_column(out[name]):
            out[name] = out[name].astype(object).map(_text_cell)
    return out


def to_csv(frame: pd.DataFrame, bom: bool = True) -> bytes:
    """CSV bytes for Excel (UTF-8 with BOM unless ``bom=False``), formula-safe."""
    text = csv_ready(frame).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig" if bom else "utf-8")


def _json_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ``YYYY-MM-DD`` (timestamps as ISO 8601), list cells as JSON arrays."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            out[name] = _iso_dates(column)
        elif _is_text_column(column):
            out[name] = column.astype(object).map(_json_cell)
    return out


def _iso_dates(column: pd.Series) -> pd.Series:
    dates_only = column.dt.tz is None and (column.dropna() == column.dropna().dt.normalize()).all()
    text = column.dt.strftime("%Y-%m-%d") if dates_only else column.map(_isoformat)
    return text.astype(object).where(column.notna(), None)


def _isoformat(value: pd.Timestamp) -> str | None:
    return None if pd.isna(value) else value.isoformat()


def _json_cell(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if _is_list(value):
        return list(value.tolist() if hasattr(value, "tolist") else value)
    return value


def to_json(frame: pd.DataFrame) -> bytes:
    """A JSON array of records (UTF-8, not ASCII-escaped), missing values as null."""
    records = _json_ready(frame).to_json(orient="records", force_ascii=False)
    return records.encode("utf-8")


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet bytes, dtypes (categories, lists) kept; calendar days (``date``,
    ``first_date`` …) as Parquet DATE, not a midnight TIMESTAMP a reader must cut."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for i, field in enumerate(table.schema):
        if _is_day_column(field):
            table = table.set_column(i, field.name, pc.cast(table.column(i), pa.date32()))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _is_day_column(field: pa.Field) -> bool:
    named = field.name == "date" or field.name.endswith("_date")
    return named and pa.types.is_timestamp(field.type) and field.type.tz is None


_WRITERS = {"csv": to_csv, "json": to_json, "parquet": to_parquet}


def frame_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The download of ``frame`` in ``fmt`` (csv, json or parquet)."""
    try:
        return _WRITERS[fmt](frame)
    except KeyError:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}") from None


def write_frame(frame: pd.DataFrame, fmt: str, output: Path | None = None) -> None:
    """Write ``frame`` to ``output``, or to standard output when it is None.

    A file gets exactly the download's bytes; standard output gets CSV without the
    byte-order mark, which would confuse the next program in a pipe, and JSON with a
    final newline.
    """
    if output is None and fmt == "parquet" and sys.stdout.isatty():
        raise ValueError("Parquet is binary, not for a terminal: give --output FILE or pipe it")
    data = to_csv(frame, bom=False) if fmt == "csv" and output is None else frame_bytes(frame, fmt)
    if output is None:
        data += b"\n" if fmt == "json" else b""
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        Path(output).write_bytes(data)


# -- extraction records -------------------------------------------------------------------


def write_records(records: Iterable[Mapping[str, Any]], stream: IO[str], fmt: str) -> None:
    """Extraction records as JSON Lines (one object a line) or CSV (lists ";"-joined).

    CSV columns are the keys in the order they first appear, so every record fits.
    """
    if fmt == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
        return
    if fmt != "csv":
        raise ValueError(f"format must be one of {', '.join(RECORD_FORMATS)}, not {fmt!r}")
    rows = list(records)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text_cell(row.get(column)) for column in columns])


# -- file names ---------------------------------------------------------------------------


def download_name(chart: str, start: object, end: object, ext: str, tag: str = "") -> str:
    """File name for a download: the chart, the date range and the other filters
    (``tag``, see :func:`filter_tag`), e.g.
    ``engagements-by-country_2024-01-01_2024-12-31_country-jpn.csv``; an open end reads
    ``from-2024-01-01`` / ``to-2024-12-31``, no range at all ``all-dates``."""
    first, last = _iso_day(start), _iso_day(end)
    if first and last:
        span = f"{first}_{last}"
    elif first or last:
        span = f"from-{first}" if first else f"to-{last}"
    else:
        span = "all-dates"
    return f"{_slug(chart)}_{span}{'_' + tag if tag else ''}.{ext.lstrip('.')}"


# Filter fields named in a file name, in this order, with their short names.
_TAGGED = {
    "countries": "country",
    "regions": "region",
    "organisations": "org",
    "topics": "topic",
    "event_types": "event",
    "actor_levels": "actor",
}
MAX_TAGGED = 3  # more values of one field are counted, not listed


def filter_tag(selection: object) -> str:
    """The filters of ``selection`` (an ``aggregate.Filter``) other than its dates, for
    a file name: ``country-jpn_topic-energy``, ``country-5-values``, ``search-corridor``;
    empty when nothing but dates is set. A Japan-only CSV thus never carries the same
    name as the all-countries one."""
    parts = []
    for field_name, short in _TAGGED.items():
        values = getattr(selection, field_name, ())
        if len(values) > MAX_TAGGED:
            parts.append(f"{short}-{len(values)}-values")
        elif values:
            parts.append(f"{short}-" + "-".join(_slug(v) for v in values))
    text = getattr(selection, "text", "")
    if text:
        parts.append("search-" + _slug(text)[:40].strip("-"))
    return "_".join(parts)


def _iso_day(value: object) -> str | None:
    from analysis.aggregate import to_day

    day = to_day(value)  # type: ignore[arg-type]
    return day.isoformat() if day else None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "diplodash"
