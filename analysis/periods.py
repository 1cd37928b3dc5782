"""Ranges and periods a comparison or a time chart needs to be honest about.

Two questions every "how is it changing" number depends on: what the selected range is
compared with (the range of equal length just before it, and whether the store has any
article there at all: a delta against a range the data does not reach is not a fall
from zero but unknown), and which periods of a time chart are only partly covered (the
range ends mid-quarter, the data stops mid-month), so their bars are not read as full.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.aggregate import FREQS, Data, Filter

Range = tuple[dt.date, dt.date]
# pandas period codes for the aggregate's steps (weeks run Monday to Sunday there too).
_PANDAS_FREQ = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


@dataclass(frozen=True)
class Comparison:
    """The selected range, the previous one of equal length, and whether the store has
    articles dated in the previous one (``covered``: else changes are "n/a")."""

    current: Range
    previous: Range
    covered: bool

    @property
    def previous_text(self) -> str:
        return range_text(self.previous)


def range_text(days: Range | None) -> str:
    """``2024-01-01 – 2024-06-30`` (``no dates`` without a range)."""
    return f"{days[0]:%Y-%m-%d} – {days[1]:%Y-%m-%d}" if days else "no dates"


def comparison(data: Data, selection: Filter, view: Data | None = None) -> Comparison | None:
    """What ``selection`` over ``data`` (the whole store) is compared with; None when it
    has no range (an empty store, or dates outside the store's span) or nothing can come
    before it (a range from year 1).

    ``view``: ``selection.apply(data)`` when the caller has it already.
    """
    current = (view or selection.apply(data)).period
    if current is None:
        return None
    earlier = Filter(start=current[0], end=current[1]).shifted_back()
    if earlier is None:
        return None
    previous = (earlier.start, earlier.end)
    covered = earlier.apply(data).n_articles > 0
    return Comparison(current, previous, covered)


def previous_filter(selection: Filter, compared: Comparison) -> Filter:
    """``selection`` moved to the previous range (every other field kept)."""
    start, end = compared.previous
    return dataclasses.replace(selection, start=start, end=end, undated=False)


def coverage(days: Range | None, span: Range | None, freq: str) -> pd.DataFrame:
    """Per period of ``days`` at step ``freq``: how many of its days the chart covers.

    A day is covered when it is inside both the selected range ``days`` and the store's
    ``span`` (first to last dated article). Columns: ``period`` (first day, as in
    ``aggregate.by_date``), ``days`` (length of the period), ``covered`` and
    ``partial`` (covered < days). No rows without a range.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, not {freq!r}")
    if days is None:
        return pd.DataFrame({"period": [], "days": [], "covered": [], "partial": []})
    periods = pd.period_range(days[0], days[1], freq=_PANDAS_FREQ[freq])
    starts = periods.start_time.normalize()
    ends = periods.end_time.normalize()
    low, high = pd.Timestamp(days[0]), pd.Timestamp(days[1])
    if span is not None:
        low, high = max(low, pd.Timestamp(span[0])), min(high, pd.Timestamp(span[1]))
    first = starts.where(starts > low, low)
    last = ends.where(ends < high, high)
    covered = np.maximum((last - first).days.to_numpy() + 1, 0)
    length = (ends - starts).days.to_numpy() + 1
    return pd.DataFrame(
        {
            "period": starts.astype("datetime64[us]"),
            "days": length,
            "covered": covered,
            "partial": covered < length,
        }
    )


def partial_periods(data: Data, freq: str) -> list[pd.Timestamp]:
    """First days of the periods of ``data``'s chart range that are only partly covered
    (see :func:`coverage`): the time charts mark these instead of drawing full bars."""
    table = coverage(data.period, data.span, freq)
    return list(table.loc[table["partial"], "period"])
