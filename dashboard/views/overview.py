"""Overview: the world map of partners, engagements over time and the leading topics."""

from __future__ import annotations

import functools

import streamlit as st

from analysis import periods
from analysis.aggregate import by_country, by_date
from dashboard import charts, frames, nav, ui
from dashboard.views import rankings

MAP = "by-country-map"  # the file names start with the measure: events-by-country-map
MAP_GENERATION = "map-generation"
LINES = "lines"
BILATERAL = "map-bilateral"


def render(ctx: ui.Context) -> None:
    if ctx.empty:
        ui.empty_state()
        return
    world_map(ctx)
    left, right = st.columns(2, gap="large")
    with left:
        over_time(ctx)
    with right:
        rankings.topics(ctx)


def world_map(ctx: ui.Context) -> None:
    """The choropleth; a click on a country opens its profile."""
    bilateral = st.toggle(
        "Bilateral only",
        key=BILATERAL,
        bind="query-params",
        help="Only events with one partner state and no organisation: bilateral ties",
    )
    view = rankings.bilateral_view(ctx) if bilateral else ctx.view
    frame = frames.with_share(by_country(view, measure=ctx.measure), ctx.measure)
    lines = st.toggle(
        "Lines from Astana", key=LINES, bind="query-params", help=f"Thicker = more {ctx.measure}"
    )
    # A fresh key after each click, so the map comes back unselected from the profile.
    key = f"map-{st.session_state.setdefault(MAP_GENERATION, 0)}"
    kind = " (bilateral)" if bilateral else ""
    title = f"{ctx.counted}{kind} per partner country, {ui.date_range_text(ctx.period)}"
    fig = ui.figure(charts.world_map, frame, title, lines=lines, value=ctx.measure)
    name = f"{ctx.measure}-{MAP}" + ("-bilateral" if bilateral else "")
    ui.chart(ctx, fig, frame, name, on_select=functools.partial(_open_clicked, key), key=key)
    st.caption(
        "Click a country to open its profile. Kazakhstan (orange, ★ Astana) is home; "
        "states too small for the map's shapes are dots on their capitals. Share = the "
        f"country's part of all partner-country {ctx.measure} in the selection."
    )


def _open_clicked(key: str) -> None:
    """Map callback: the first clicked partner country opens its profile."""
    event = st.session_state.get(key)
    points = event.selection.points if event else []
    found = [p.get("location") or _first(p.get("customdata")) for p in points]
    found = [iso3 for iso3 in found if iso3 and iso3 != charts.HOME_ISO3]
    if found:
        st.session_state[MAP_GENERATION] = st.session_state.get(MAP_GENERATION, 0) + 1
        nav.open_profile(found[0])


def _first(values: object) -> str | None:
    """A dot's ISO3 code: the first item of its customdata (shapes carry ``location``)."""
    return values[0] if isinstance(values, list | tuple) and values else None


def over_time(ctx: ui.Context) -> None:
    freq = frames.auto_freq(ctx.period)
    frame = by_date(ctx.view, freq)
    partial = tuple(periods.partial_periods(ctx.view, freq))
    title = f"{ctx.counted} per {freq}"
    fig = ui.figure(charts.trend, frame, ctx.measure, title, partial=partial)
    ui.chart(ctx, fig, frame, f"{ctx.measure}-per-{freq}")
