"""Presentation-only reshaping of the analysis layer's frames.

Every number starts in ``analysis.aggregate``; this module only adds what a chart shows
on top of it (shares, a regrouping by region, KPI card texts), so the CSV behind a
chart can hold exactly the columns the chart draws. Nothing here filters or counts
articles by itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analysis.aggregate import (
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
    ``change`` gives the delta's sign (colour), ``note`` what the previous period had."""

    label: str
    value: str
    delta: str | None = None
    change: int = 0
    note: str = ""
    leader: bool = False


@dataclass(frozen=True)
class KpiRow:
    cards: list[Card]
    previous: str | None  # the comparison period, "2004-10-13 – 2015-06-30"


def kpi_cards(data: Data, selection: Filter, view: Data | None = None) -> KpiRow:
    """Engagements, partner countries, articles, top partner and top topic, each against
    the previous period of the same length (``aggregate.kpis`` defines that period).
    ``view``: ``selection.apply(data)`` when the caller has it already."""
    table = kpis(data, selection).set_index("metric")
    first = table.iloc[0]
    if pd.isna(first["start"]):
        return KpiRow([Card(name, "—", leader=name.startswith("Top")) for name in _NAMES], None)
    previous = dataclasses.replace(
        selection, start=first["previous_start"].date(), end=first["previous_end"].date()
    )
    now_view, before_view = view or selection.apply(data), previous.apply(data)
    cards = [_count_card(title, table.loc[metric]) for metric, title in _COUNTS]
    partners = (by_country(now_view), by_country(before_view))
    topics = (by_topic(now_view), by_topic(before_view))
    cards.append(_top_card("Top partner", *partners, key="iso3", name="name"))
    cards.append(_top_card("Top topic", *topics, key="topic", name="label"))
    return KpiRow(cards, f"{first['previous_start']:%Y-%m-%d} – {first['previous_end']:%Y-%m-%d}")


_COUNTS = (
    ("engagements", "Engagements"),
    ("countries", "Partner countries"),
    ("articles", "Articles"),
)
_NAMES = ("Engagements", "Partner countries", "Articles", "Top partner", "Top topic")


def _count_card(title: str, row: pd.Series) -> Card:
    change, pct = int(row["change"]), row["change_pct"]
    delta = f"{change:+,}" + ("" if pd.isna(pct) else f" ({pct:+.0f}%)")
    return Card(title, f"{int(row['value']):,}", delta, change)


def _top_card(title: str, now: pd.DataFrame, before: pd.DataFrame, *, key: str, name: str) -> Card:
    """The leader now, with the change of *its* engagements against the previous period."""
    now = now[now["engagements"] > 0]
    if now.empty:
        return Card(title, "—", leader=True)
    top = now.iloc[0]
    earlier = before.loc[before[key] == top[key], "engagements"]
    change = int(top["engagements"]) - (int(earlier.iloc[0]) if len(earlier) else 0)
    leader = before[before["engagements"] > 0]
    note = f"Previous period: {leader.iloc[0][name]}" if len(leader) else "Previous period: none"
    return Card(title, str(top[name]), f"{change:+,} engagements", change, note, leader=True)
