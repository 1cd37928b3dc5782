"""Sidebar widgets ↔ :class:`analysis.aggregate.Filter` ↔ the page URL.

Every filter widget is bound to a query parameter (``bind="query-params"``), so the URL
always holds the current selection and a copied link reopens the same view. Streamlit
validates bound values against the options and drops what does not fit, so a hand-edited
or stale link can never crash the page; dates outside the store's span are clamped to it
first, because a link made on a bigger store should narrow, not reset, the range.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import streamlit as st

from analysis import countries
from analysis.aggregate import (
    Data,
    Filter,
    by_country,
    by_organisation,
    by_topic,
    languages,
)
from analysis.vocabulary import ACTOR_LEVELS, EVENT_TYPES, label
from dashboard import measure

DATES, COUNTRIES, REGIONS, ORGS = "dates", "country", "region", "org"
TOPICS, EVENTS, ACTORS, LANGS, SEARCH = "topic", "event", "actor", "lang", "q"
LIST_KEYS = (COUNTRIES, REGIONS, ORGS, TOPICS, EVENTS, ACTORS, LANGS)
SPAN_SEEN = "dates-span"  # the store span the date widget was last drawn for
MAX_SEARCH = 200


@dataclass(frozen=True)
class Choices:
    """What the sidebar offers: option value -> label, taken from the whole store."""

    span: tuple[dt.date, dt.date]
    countries: Mapping[str, str]
    regions: Mapping[str, str]
    organisations: Mapping[str, str]
    topics: Mapping[str, str]
    event_types: Mapping[str, str]
    actor_levels: Mapping[str, str]
    languages: Mapping[str, str]


def choices(data: Data) -> Choices:
    """Options from the store itself, so a filter never offers a value with no data.

    Computed once per loaded store (~25 ms on 100,000 articles): the store object is
    shared by every session until the store changes (``state.load_data``).
    """
    found = _CHOICES.get(data)
    if found is None:
        found = _CHOICES[data] = _choices(data)
    return found


_CHOICES: weakref.WeakKeyDictionary[Data, Choices] = weakref.WeakKeyDictionary()


def _choices(data: Data) -> Choices:
    span = data.span or (dt.date.today(), dt.date.today())
    partners = by_country(data).sort_values("name")
    topics = by_topic(data).sort_values("label")
    return Choices(
        span=span,
        countries=dict(zip(partners["iso3"], partners["name"], strict=True)),
        regions=region_choices(),
        organisations={o: o for o in by_organisation(data)["organisation"]},
        topics=dict(zip(topics["topic"], topics["label"], strict=True)),
        event_types={e: label(e) for e in EVENT_TYPES},
        actor_levels={a: label(a) for a in ACTOR_LEVELS},
        languages={code: label(code) for code in languages(data)},
    )


def region_choices() -> dict[str, str]:
    """UN M49 regions and sub-regions, then groupings by id; a grouping whose label is
    also a region's name ("Central Asia") is marked, since the URL holds the label."""
    names = countries.region_names()
    out = {name: name for name in names}
    for grouping in countries.groupings().values():
        taken = grouping.label in out.values()
        out[grouping.id] = f"{grouping.label} (grouping)" if taken else grouping.label
    return out


def sidebar(options: Choices) -> Filter:
    """Draw the filter widgets and return the selection they describe."""
    st.header("Filters")
    start, end = _date_range(options.span)
    picked = {
        COUNTRIES: _multi("Partner countries", options.countries, COUNTRIES),
        REGIONS: _multi("Regions & groupings", options.regions, REGIONS),
        ORGS: _multi("Partner organisations", options.organisations, ORGS),
        TOPICS: _multi("Topics", options.topics, TOPICS),
        EVENTS: _multi("Event types", options.event_types, EVENTS),
        ACTORS: _multi("Kazakh actor level", options.actor_levels, ACTORS),
        LANGS: _multi("Languages", options.languages, LANGS),
    }
    formats = measure.format_choice()
    text = st.text_input(
        "Search titles and texts",
        key=SEARCH,
        bind="query-params",
        max_chars=MAX_SEARCH,
        placeholder="e.g. Middle Corridor",
    )
    st.button("Clear filters", on_click=clear, args=(options.span,), key="clear-filters")
    st.caption(
        "A region narrows the chosen countries; countries and organisations combine with "
        "OR; every other filter with AND."
    )
    return Filter(
        start=start,
        end=end,
        countries=picked[COUNTRIES],
        regions=picked[REGIONS],
        organisations=picked[ORGS],
        topics=picked[TOPICS],
        event_types=picked[EVENTS],
        actor_levels=picked[ACTORS],
        formats=formats,
        languages=picked[LANGS],
        text=text or "",
        undated=(start, end) == tuple(options.span),  # the whole range lists undated articles
    )


def _date_range(span: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The picked range; while only the start is picked, it runs to the span's end."""
    _clamp_url_dates(span)
    _follow_store(span)
    picked = st.date_input(
        "Date range",
        value=span,
        min_value=span[0],
        max_value=span[1],
        key=DATES,
        bind="query-params",
        format="YYYY-MM-DD",
    )
    days = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
    days = tuple(sorted(d for d in days if d)) or span  # a backwards URL range, swapped
    return days[0], days[1] if len(days) > 1 else span[1]


def _clamp_url_dates(span: tuple[dt.date, dt.date]) -> None:
    """Seed the widget from a URL range that overlaps the span but sticks out of it.

    Streamlit would drop such a range entirely; only on the first run of a session, and
    only when needed, so the widget's own value is never overridden.
    """
    if DATES in st.session_state:
        return
    days = _parse_days(st.query_params.get_all(DATES))
    if len(days) != 2 or span[0] <= days[0] <= days[1] <= span[1]:
        return
    low, high = max(days[0], span[0]), min(days[1], span[1])
    if low <= high:
        st.session_state[DATES] = (low, high)


def _follow_store(span: tuple[dt.date, dt.date]) -> None:
    """Keep the range in step with the store: after an upload widens the span, a range
    that covered the whole old span covers the new one (the new articles show); a
    narrower range is kept, clamped into the span."""
    old, st.session_state[SPAN_SEEN] = st.session_state.get(SPAN_SEEN), span
    current = st.session_state.get(DATES)
    if old is None or old == span or not current or len(current) != 2:
        return
    if tuple(current) == tuple(old):
        st.session_state[DATES] = span
    else:
        low, high = max(current[0], span[0]), min(current[1], span[1])
        st.session_state[DATES] = (low, high) if low <= high else span


def _parse_days(values: list[str]) -> list[dt.date]:
    try:
        return sorted(dt.date.fromisoformat(v) for v in values[:2])
    except ValueError:
        return []


def _multi(title: str, options: Mapping[str, str], key: str) -> list[str]:
    """An empty selection means all, so the bulk "Select all" / "Select N matches" row
    is hidden (``select_all=False``): with it, typing a name and pressing Enter picked
    every fuzzy match ("Guinea" → Equatorial Guinea, Guinea, Guinea-Bissau), because
    Enter commits the first row of the list. Without it Enter picks the best match."""
    return st.multiselect(
        title,
        list(options),
        format_func=_labeller(options),
        key=key,
        bind="query-params",
        placeholder="All",
        select_all=False,
    )


def _labeller(options: Mapping[str, str]) -> Callable[[str], str]:
    return lambda value: options.get(value, value)


def clear(span: tuple[dt.date, dt.date]) -> None:
    """Reset every filter (a callback: bound widgets are only writable through state)."""
    for key in LIST_KEYS:
        st.session_state[key] = []
    st.session_state[SEARCH] = ""
    st.session_state[measure.FORMAT_KEY] = measure.ALL
    st.session_state[DATES] = span
