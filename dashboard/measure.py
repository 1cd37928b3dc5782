"""The sidebar's measure switch and format filter (spec §3), both kept in the URL.

The switch sets what every chart, KPI card, map and download of the page counts:
events (the default: real-world occurrences, however many sources reported them),
articles or engagements. Every title and axis names it, through :func:`title`.
"""

from __future__ import annotations

import streamlit as st

from analysis.aggregate import DEFAULT_MEASURE, MEASURES
from analysis.clustering import DEFAULT_WINDOW
from analysis.vocabulary import FORMATS

KEY = "count"  # ?count=events (``measure`` is the Trends tab's counts-or-shares switch)
FORMAT_KEY = "format"
WINDOW_KEY = "window"
MAX_WINDOW = 7
ALL = "all"
LABELS = {"events": "Events", "articles": "Articles", "engagements": "Engagements"}
HELP = (
    "Events: real-world occurrences; the reports of one meeting by several sources, in "
    "any language, count once. Articles: reports. Engagements: article × partner, so a "
    "summit with twenty states counts twenty."
)
FORMAT_LABELS = {ALL: "All", "bilateral": "Bilateral", "multilateral": "Multilateral"}


def switch() -> str:
    """The measure radio; returns ``events``, ``articles`` or ``engagements``."""
    options = [DEFAULT_MEASURE, *(m for m in MEASURES if m != DEFAULT_MEASURE)]
    return st.radio(
        "Count",
        options,
        format_func=LABELS.get,
        key=KEY,
        horizontal=True,
        bind="query-params",
        help=HELP,
    )


def window() -> int:
    """Days a report may follow its event's first report (calls and messages: 1 at
    most). The store's events are clustered with the default; another clusters again."""
    return st.slider(
        "Same event within (days)",
        min_value=0,
        max_value=MAX_WINDOW,
        value=DEFAULT_WINDOW,
        key=WINDOW_KEY,
        bind="query-params",
        help="Reports of one occurrence: same Kazakh actor and event type, a shared "
        "partner, dated at most this many days after its first report (calls and "
        "messages: one day at most).",
    )


def format_choice() -> tuple[str, ...]:
    """The format radio, as the ``formats`` of a Filter (empty: both)."""
    picked = st.radio(
        "Format",
        [ALL, *FORMATS],
        format_func=FORMAT_LABELS.get,
        key=FORMAT_KEY,
        horizontal=True,
        bind="query-params",
        help="Bilateral: one partner state and no organisation. Multilateral: an "
        "organisation, several states, or a conference (decided per event).",
    )
    return () if picked in (None, ALL) else (picked,)


def title(measure: str) -> str:
    """'Events', 'Articles', 'Engagements': what a chart title and axis say it counts."""
    return LABELS[measure]
