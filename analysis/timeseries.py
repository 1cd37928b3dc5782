"""Counts per period: by date, and country, region and topic over time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import countries
from analysis.data import (
    _EPOCH,
    _MAX_DAY,
    _NO_DAY,
    FREQS,
    UNKNOWN,
    Data,
    _Base,
    _day_number,
    _topic_pairs_of,
    day_range,
)
from analysis.dates import plausible_span
from analysis.measures import DEFAULT_MEASURE
from analysis.rankings import _labelled, _ranked

_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}
MAX_GRID = 2_000_000  # cells of a rows x periods table (a day per country for 35 years)
_OUTSIDE = np.iinfo(np.int64).min // 2  # the period number of an undated item


def period_numbers(days: np.ndarray, freq: str) -> np.ndarray:
    """Period number of each day number (days since 1970-01-01); weeks start on Monday."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, not {freq!r}")
    days = days.astype(np.int64)
    if freq == "day":
        return days
    if freq == "week":
        return (days + 3) // 7  # 1970-01-01 was a Thursday
    months = (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)
    return months // _MONTHS_PER[freq]


def _article_periods(base: _Base, rows: np.ndarray, freq: str) -> np.ndarray:
    """Period numbers of articles, from the month numbers computed at load."""
    if freq in ("day", "week"):
        return period_numbers(base.art_day[rows], freq)
    return base.art_month[rows].astype(np.int64) // _MONTHS_PER[freq]


def _period_starts(numbers: np.ndarray, freq: str) -> pd.DatetimeIndex:
    if freq in ("day", "week"):
        days = numbers * 7 - 3 if freq == "week" else numbers
        starts = _EPOCH + days.astype("timedelta64[D]")
    else:
        months = numbers * _MONTHS_PER[freq]
        starts = np.datetime64("1970-01", "M") + months.astype("timedelta64[M]")
    return pd.DatetimeIndex(starts.astype("datetime64[us]"))


def _period_labels(starts: pd.DatetimeIndex, freq: str) -> list[str]:
    if freq == "quarter":
        return [f"{s.year}-Q{s.quarter}" for s in starts]
    formats = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}
    return list(starts.strftime(formats[freq]))


@dataclass(frozen=True, eq=False)
class _Periods:
    """The periods of a view's range and counting into them."""

    base: _Base
    freq: str
    first: int
    n: int

    @classmethod
    def of(cls, data: Data, freq: str) -> _Periods:
        """The periods of the view's range, cut to the days that can hold data: the
        plausible span and the store's own first and last day. A range opened at year 1
        lists 1991 on, not two thousand years of zeros."""
        period = _grid_range(data)
        if period is None:
            period_numbers(np.zeros(0), freq)  # still reject an unknown freq
            return cls(data.base, freq, 0, 0)
        days = np.array([_day_number(day) for day in period])
        low, high = period_numbers(days, freq)
        return cls(data.base, freq, int(low), int(high - low + 1)).checked(1)

    def checked(self, n_codes: int) -> _Periods:
        """Refuse a codes x periods table over ``MAX_GRID`` before building it: a range
        opened at year 1 by day asked for 100 million rows (350 s, 13 GB)."""
        if n_codes * self.n > MAX_GRID:
            raise ValueError(
                f"the table would have {n_codes * self.n:,} rows ({n_codes:,} x {self.n:,} "
                f"periods of a {self.freq}), over the limit of {MAX_GRID:,}: choose a longer "
                "period (freq) or a shorter date range"
            )
        return self

    def frame(self) -> pd.DataFrame:
        starts = _period_starts(np.arange(self.first, self.first + self.n), self.freq)
        return pd.DataFrame({"period": starts, "period_label": _period_labels(starts, self.freq)})

    def count(
        self,
        rows: np.ndarray,
        codes: np.ndarray | None = None,
        n_codes: int = 1,
        weights: np.ndarray | None = None,
    ) -> np.ndarray:
        """A codes x periods matrix: how many article ``rows`` (of each code) fall in
        each period; ``weights`` counts each row that many times (its engagements)."""
        return self._tally(_article_periods(self.base, rows, self.freq), codes, n_codes, weights)

    def count_days(
        self,
        days: np.ndarray,
        months: np.ndarray,
        codes: np.ndarray | None = None,
        n_codes: int = 1,
    ) -> np.ndarray:
        """The same for items dated by day and month numbers (events: those of their
        earliest kept report); an undated item falls outside every period."""
        if self.freq in ("day", "week"):
            numbers = period_numbers(days, self.freq)
        else:
            numbers = months.astype(np.int64) // _MONTHS_PER[self.freq]
        dated = (days != _NO_DAY) & (days != _MAX_DAY)
        return self._tally(np.where(dated, numbers, _OUTSIDE), codes, n_codes)

    def _tally(
        self,
        numbers: np.ndarray,
        codes: np.ndarray | None,
        n_codes: int,
        weights: np.ndarray | None = None,
    ) -> np.ndarray:
        self.checked(n_codes)
        offsets = numbers - self.first
        inside = (offsets >= 0) & (offsets < self.n)  # the no-date sentinel is far outside
        flat = offsets[inside]
        if codes is not None:
            flat = flat + codes[inside].astype(np.int64) * self.n
        if weights is not None:
            weights = weights[inside]
        counts = np.bincount(flat, weights, minlength=n_codes * self.n)
        return counts.astype(np.int64).reshape(n_codes, self.n)


def _grid_range(data: Data) -> tuple[dt.date, dt.date] | None:
    if data.period is None:
        return None
    first, last = plausible_span()
    stored = day_range(data.base.art_day[data.base.art_day != _NO_DAY])
    if stored:
        first, last = min(first, stored[0]), max(last, stored[1])
    start, end = max(data.period[0], first), min(data.period[1], last)
    return (start, end) if start <= end else None


def by_date(data: Data, freq: str = "month") -> pd.DataFrame:
    """Engagements and articles per period, every period of the range listed (zeros too).

    ``freq``: day, week (from Monday), month, quarter or year. The range is the
    filter's, or the whole store's plausible span where the filter leaves it open, so a
    period without news shows as 0 instead of vanishing (never before 1991 or after
    tomorrow unless the store has articles there); the first and last period count only
    the days inside the range. Columns: ``period`` (first day, datetime64), ``period_label``
    ("2024-03", "2024-Q1", "2024-W09", "2024"), ``engagements``, ``articles``,
    ``events`` (in the period of their earliest kept report). No rows when there is no
    range (see :attr:`Data.period`).
    """
    periods = _Periods.of(data, freq)
    rows = data._art
    frame = periods.frame()
    frame["engagements"] = periods.count(rows, weights=data._eng_per_article[rows])[0]
    frame["articles"] = periods.count(rows)[0]
    frame["events"] = periods.count_days(data.ev.day, data.ev.month)[0]
    return frame


def undated_note(data: Data) -> str | None:
    """What a time chart or dated download says about the articles it cannot place."""
    n = data.n_undated
    return f"{n} undated article{'s' if n != 1 else ''} not shown" if n else None


def _long(rows: pd.DataFrame, periods: _Periods, **matrices: np.ndarray) -> pd.DataFrame:
    """Rows x periods matrices as a tidy long frame: one line per (row, period)."""
    grid = periods.frame()
    frame = rows.iloc[np.repeat(np.arange(len(rows)), periods.n)].reset_index(drop=True)
    for column in grid:
        frame[column] = np.tile(grid[column].to_numpy(), len(rows))
    for name, matrix in matrices.items():
        frame[name] = matrix.reshape(-1)
    return frame


def country_by_period(
    data: Data, freq: str = "year", measure: str = DEFAULT_MEASURE
) -> pd.DataFrame:
    """Engagements per partner country and period: the country x time heatmap.

    Columns: ``iso3``, ``name``, ``period``, ``period_label``, ``engagements``,
    ``articles`` (equal to engagements), ``events``. Countries with at least one
    engagement, most ``measure`` first, each with every period of the range (zeros
    included).
    """
    periods = _Periods.of(data, freq)
    base = data.base
    codes, art = data._country_eng
    n = len(base.countries)
    matrix = periods.count(art, codes, n)
    pair_codes, pair_events = data.ev.country_pairs
    days = data.ev.by_code(data.ev.day, _MAX_DAY)[pair_events]
    months = data.ev.by_code(data.ev.month, 0)[pair_events]
    events = periods.count_days(days, months, pair_codes, n)
    counts = np.bincount(codes, minlength=n)
    totals = {"engagements": counts, "articles": counts}
    totals["events"] = np.bincount(pair_codes, minlength=n)
    rows = _ranked(base.country_info[["iso3", "name"]].assign(**totals), "name", measure)
    rows = rows[rows["engagements"] > 0]
    keep = rows.index.to_numpy()
    rows = rows[["iso3", "name"]].reset_index(drop=True)
    return _long(
        rows, periods, engagements=matrix[keep], articles=matrix[keep], events=events[keep]
    )


def region_by_period(data: Data, freq: str = "year", level: str = "region") -> pd.DataFrame:
    """Country engagements, articles and events per UN M49 region (or sub-region) and
    period.

    Columns: ``region``, ``period``, ``period_label``, ``engagements``, ``articles``
    (distinct articles with a partner there), ``events`` (likewise); every region with
    engagements x every period (zeros included). Engagements are summed from
    ``country_by_period`` (a country is in one region); articles and events, which
    cannot be summed, are counted from each one's set of regions.
    """
    frame = country_by_period(data, freq)
    table = countries.country_table().set_index("iso3")[level]
    frame["region"] = frame["iso3"].map(table).fillna(UNKNOWN)
    keys = ["region", "period", "period_label"]
    out = frame.groupby(keys, as_index=False, observed=True, sort=False)["engagements"].sum()
    periods = _Periods.of(data, freq)
    names = data.base.sets.names[level]
    shift = np.uint64(data.base.sets.offsets[level])
    pos, region = _topic_pairs_of(data._set_bits >> shift, len(names))
    articles = periods.count(data._art[pos], region, len(names))
    pos, region = _topic_pairs_of(data.ev.set_bits >> shift, len(names))
    events = periods.count_days(data.ev.day[pos], data.ev.month[pos], region, len(names))
    row = names.get_indexer(out["region"])
    column = pd.Index(periods.frame()["period"]).get_indexer(out["period"])
    return out.assign(articles=articles[row, column], events=events[row, column])


def topic_by_period(data: Data, freq: str = "year") -> pd.DataFrame:
    """Engagements, articles and events per topic and period: topics over time.

    Columns: ``topic``, ``label``, ``period``, ``period_label``, ``engagements``,
    ``articles``, ``events``; every topic x every period of the range (zeros included).
    """
    periods = _Periods.of(data, freq)
    art, topic = data._at
    n = len(data.base.topics)
    weights = data._eng_per_article[art]
    pos, topics = _topic_pairs_of(data.ev.topic_bits, n)
    return _long(
        _labelled("topic", data.base.topics),
        periods,
        engagements=periods.count(art, topic, n, weights),
        articles=periods.count(art, topic, n),
        events=periods.count_days(data.ev.day[pos], data.ev.month[pos], topics, n),
    )
