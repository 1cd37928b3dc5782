"""Presentation-only reshaping of the analysis layer's frames.

Every number starts in ``analysis.aggregate``; this module only adds what a chart shows
on top of it (shares, a regrouping by region, KPI card texts), so the CSV behind a
chart can hold exactly the columns the chart draws. Nothing here filters or counts
articles by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analysis import ordering, periods
from analysis.aggregate import (
    DEFAULT_MEASURE,
    Data,
    Filter,
    by_country,
    by_topic,
    kpis,
)

SHARE = "share_pct"


def with_share(
    frame: pd.DataFrame, value: str = "engagements", within: str | None = None
) -> pd.DataFrame:
    """``frame`` plus ``share_pct``: each row's percentage of ``value``, of the whole
    frame or of its ``within`` group (e.g. each period); 0 where the total is 0."""
    if within:
        totals = frame.groupby(within, observed=True)[value].transform("sum")
    else:
        totals = pd.Series(frame[value].sum(), index=frame.index)
    share = 100 * frame[value] / totals.where(totals != 0)
    return frame.assign(**{SHARE: share.fillna(0.0).round(2)})


MIN_SHARE_ITEMS = 5  # a share of fewer engagements than this is noise, not a trend


def period_shares(frame: pd.DataFrame, value: str = "engagements") -> tuple[pd.DataFrame, int]:
    """Each row's share of its period's ``value``, with the counts behind it (``total``
    per period), leaving out periods with fewer than ``MIN_SHARE_ITEMS``; also returns
    how many periods were left out, so the chart can say so."""
    total = frame.groupby("period", observed=True)[value].transform("sum")
    shown = with_share(frame.assign(total=total), value, within="period")
    kept = shown[shown["total"] >= MIN_SHARE_ITEMS]
    hidden = shown.loc[shown["total"] < MIN_SHARE_ITEMS, "period"].nunique()
    return kept.reset_index(drop=True), int(hidden)


def trimmed_grid(
    frame: pd.DataFrame, rows: str, columns: str, value: str = "engagements"
) -> pd.DataFrame:
    """A long (row, column, ``value``) frame without the rows and columns that are zero
    throughout, so a heat map shows only what was discussed with someone."""
    keep_rows = frame.groupby(rows, observed=True)[value].transform("sum") > 0
    keep_columns = frame.groupby(columns, observed=True)[value].transform("sum") > 0
    return frame[keep_rows & keep_columns].reset_index(drop=True)


def auto_freq(period: tuple[dt.date, dt.date] | None) -> str:
    """A time step that gives a readable number of bars for the range (about 10-60)."""
    if period is None:
        return "month"
    days = (period[1] - period[0]).days + 1
    for limit, freq in ((45, "day"), (300, "week"), (5 * 366, "month")):
        if days <= limit:
            return freq
    return "quarter" if days <= 15 * 366 else "year"


@dataclass(frozen=True)
class Card:
    """One KPI card. ``leader`` cards name a country or topic instead of a count;
    ``change`` gives the delta's sign (colour: 0 and "n/a" are grey), ``note`` what the
    previous period had."""

    label: str
    value: str
    delta: str | None = None
    change: int = 0
    note: str = ""
    leader: bool = False


@dataclass(frozen=True)
class KpiRow:
    cards: list[Card]
    previous: str | None  # "vs 2004-10-13 – 2015-06-30", or why there is no comparison


NOT_AVAILABLE = "n/a"


def kpi_cards(
    data: Data, selection: Filter, view: Data | None = None, measure: str = DEFAULT_MEASURE
) -> KpiRow:
    """Events, articles, engagements, partner countries, and the top partner and topic
    by ``measure``, each against the previous period of the same length
    (``analysis.periods.comparison``); every delta reads "n/a" when the store has no
    article in that period. ``view``: ``selection.apply(data)`` when the caller has it."""
    view = view or selection.apply(data)
    compared = periods.comparison(data, selection, view)
    if compared is None:
        return KpiRow([Card(name, "—", leader=name.startswith("Top")) for name in _NAMES], None)
    table = kpis(data, selection).set_index("metric")
    before_view = periods.previous_filter(selection, compared).apply(data)
    covered = compared.covered
    cards = [_count_card(title, table.loc[metric], covered) for metric, title in _COUNTS]
    partners = (by_country(view, measure=measure), by_country(before_view, measure=measure))
    topics = (by_topic(view, measure=measure), by_topic(before_view, measure=measure))
    top = {"covered": covered, "measure": measure}
    cards.append(_top_card("Top partner", *partners, **top, key="iso3", name="name"))
    cards.append(_top_card("Top topic", *topics, **top, key="topic", name="label"))
    note = f"vs {compared.previous_text}"
    if not covered:
        note += " (no articles then)"
    return KpiRow(cards, note)


_COUNTS = (
    ("events", "Events"),
    ("articles", "Articles"),
    ("engagements", "Engagements"),
    ("countries", "Partner countries"),
)
_NAMES = (*(title for _, title in _COUNTS), "Top partner", "Top topic")


def _count_card(title: str, row: pd.Series, covered: bool) -> Card:
    value = f"{int(row['value']):,}"
    if not covered:
        return Card(title, value, NOT_AVAILABLE)
    # the count alone: six cards leave a badge room for "+1,234", not for a percentage
    change = int(row["change"])
    return Card(title, value, f"{change:+,}", change)


def _top_card(
    title: str,
    now: pd.DataFrame,
    before: pd.DataFrame,
    covered: bool,
    measure: str,
    *,
    key: str,
    name: str,
) -> Card:
    """The leader now by ``measure`` (``analysis.ordering.leader``: the same rule as the
    map and every CSV), with the change of *its* count against the previous period."""
    top = ordering.leader(now, name, measure)
    if top is None:
        return Card(title, "—", leader=True)
    if not covered:
        return Card(title, str(top[name]), NOT_AVAILABLE, leader=True)
    earlier = before.loc[before[key] == top[key], measure]
    change = int(top[measure]) - (int(earlier.iloc[0]) if len(earlier) else 0)
    previous = ordering.leader(before, name, measure)
    note = f"Before: {previous[name]}" if previous is not None else "Before: none"
    return Card(title, str(top[name]), f"{change:+,} {measure}", change, note, leader=True)
