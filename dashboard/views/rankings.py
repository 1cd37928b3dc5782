"""Countries & regions, and Topics: ranked bars, regional breakdowns, topic x region.

Each CSV is the analysis frame itself (every row, zeros included), i.e. exactly what
``diplodash aggregate --by …`` prints for the same filters; the country chart draws the
top of that ranking when it is too long to read.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from analysis.aggregate import (
    Data,
    by_country,
    by_event_type,
    by_format,
    by_grouping,
    by_organisation,
    by_region,
    by_topic,
    crosstab_topic_region,
)
from dashboard import charts, frames, ui

TOP_COUNTRIES = 30
LEVELS = {"region": "UN M49 regions", "subregion": "Sub-regions"}
NOUNS = {"region": "region", "subregion": "sub-region"}


def render_countries(ctx: ui.Context) -> None:
    if ctx.empty:
        ui.empty_state()
        return
    partner_countries(ctx)
    level = st.radio(
        "Regions",
        list(LEVELS),
        format_func=LEVELS.get,
        key="level",
        horizontal=True,
        bind="query-params",
    )
    left, right = st.columns(2, gap="large")
    with left:
        ui.ranking(
            ctx,
            by_region(ctx.view, level, measure=ctx.measure),
            level,
            f"{ctx.counted} by {NOUNS[level]}",
            f"{ctx.measure}-by-{level}",
            hover=("countries", "articles"),
            noun=NOUNS[level].capitalize(),
        )
    with right:
        ui.ranking(
            ctx,
            by_grouping(ctx.view, measure=ctx.measure),
            "label",
            f"{ctx.counted} by grouping",
            f"{ctx.measure}-by-grouping",
            hover=("countries", "articles"),
            noun="Grouping",
        )
        st.caption("A country counts in every grouping it belongs to; rows overlap.")
    organisations(ctx)


def bilateral_view(ctx: ui.Context) -> Data:
    """The selection's bilateral events only (the map's and the ranking's toggle)."""
    return dataclasses.replace(ctx.selection, formats=("bilateral",)).apply(ctx.data)


def partner_countries(ctx: ui.Context) -> None:
    bilateral = st.toggle(
        "Bilateral only",
        key="ranking-bilateral",
        bind="query-params",
        help="Only events with one partner state and no organisation: bilateral ties",
    )
    view = bilateral_view(ctx) if bilateral else ctx.view
    frame = by_country(view, measure=ctx.measure)
    if frame.empty:
        st.info("No partner country in this selection (only organisations).")
        return
    shown = frame.head(TOP_COUNTRIES)
    kind = "bilateral " if bilateral else ""
    title = f"Partner countries by {kind}{ctx.measure}"
    if len(frame) > len(shown):
        title += f" (top {len(shown)} of {len(frame)}; the CSV has all)"
    ui.ranking(
        ctx,
        frame,
        "name",
        title,
        f"{ctx.measure}-by-country" + ("-bilateral" if bilateral else ""),
        shown=shown,
        hover=("region", "top_topics"),
        noun="Country",
    )


def organisations(ctx: ui.Context) -> None:
    frame = by_organisation(ctx.view, measure=ctx.measure)
    if frame.empty:
        st.caption("No partner organisation in this selection.")
        return
    ui.ranking(
        ctx,
        frame,
        "organisation",
        f"Partner organisations by {ctx.measure}",
        f"{ctx.measure}-by-organisation",
        noun="Organisation",
    )


def render_topics(ctx: ui.Context) -> None:
    if ctx.empty:
        ui.empty_state()
        return
    left, right = st.columns(2, gap="large")
    with left:
        topics(ctx)
    with right:
        ui.ranking(
            ctx,
            by_event_type(ctx.view, measure=ctx.measure),
            "label",
            f"{ctx.counted} by event type",
            f"{ctx.measure}-by-event-type",
            hover=("articles",),
            noun="Event type",
        )
        ui.ranking(
            ctx,
            by_format(ctx.view, measure=ctx.measure),
            "label",
            f"{ctx.counted} by format",
            f"{ctx.measure}-by-format",
            hover=("articles", "engagements", "events"),
            noun="Format",
        )
        st.caption(
            "Bilateral: one partner state and no organisation. Multilateral: an "
            "organisation, several states or a conference. Decided per event."
        )
    topic_region(ctx)


def topics(ctx: ui.Context) -> None:
    """The measure by topic (on the Overview too)."""
    ui.ranking(
        ctx,
        by_topic(ctx.view, measure=ctx.measure),
        "label",
        f"{ctx.counted} by topic",
        f"{ctx.measure}-by-topic",
        hover=("articles",),
        noun="Topic",
    )


def topic_region(ctx: ui.Context) -> None:
    left, right = st.columns(2)
    sub = left.toggle("Sub-regions", key="heat-sub", bind="query-params")
    shares = right.toggle(
        "Row shares", key="heat-share", bind="query-params", help="Each topic's split by region"
    )
    level = "subregion" if sub else "region"
    frame = crosstab_topic_region(ctx.view, level)
    shown = frames.trimmed_grid(frame, "label", level, ctx.measure)
    if shown.empty:
        st.caption("No partner-country engagement with a topic in this selection.")
        return
    value = ctx.measure
    if shares:
        shown, value = frames.with_share(shown, ctx.measure, within="label"), frames.SHARE
    what = f"share of each topic's {ctx.measure}" if shares else ctx.measure
    title = f"What is discussed with whom: {what} by topic and {NOUNS[level]}"
    fig = ui.figure(charts.heatmap, shown, "label", level, title, value=value)
    ui.chart(ctx, fig, frame, f"topic-by-{level}")
    st.caption(
        "Partner-country engagements whose article has the topic; an article with "
        "two topics counts in both rows. Topics and regions without any are left out "
        "(the CSV lists every pair)."
    )
