"""Countries & regions, and Topics: ranked bars, regional breakdowns, topic x region.

Each CSV is the analysis frame itself (every row, zeros included), i.e. exactly what
``diplodash aggregate --by …`` prints for the same filters; the country chart draws the
top of that ranking when it is too long to read.
"""

from __future__ import annotations

import streamlit as st

from analysis.aggregate import (
    by_country,
    by_event_type,
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
            by_region(ctx.view, level),
            level,
            f"Engagements by {NOUNS[level]}",
            f"engagements-by-{level}",
            hover=("countries", "articles"),
            noun=NOUNS[level].capitalize(),
        )
    with right:
        ui.ranking(
            ctx,
            by_grouping(ctx.view),
            "label",
            "Engagements by grouping",
            "engagements-by-grouping",
            hover=("countries", "articles"),
            noun="Grouping",
        )
        st.caption("A country counts in every grouping it belongs to; rows overlap.")
    organisations(ctx)


def partner_countries(ctx: ui.Context) -> None:
    frame = by_country(ctx.view)
    if frame.empty:
        st.info("No partner country in this selection (only organisations).")
        return
    shown = frame.head(TOP_COUNTRIES)
    title = "Partner countries by engagements"
    if len(frame) > len(shown):
        title += f" (top {len(shown)} of {len(frame)}; the CSV has all)"
    ui.ranking(
        ctx,
        frame,
        "name",
        title,
        "engagements-by-country",
        shown=shown,
        hover=("region", "top_topics"),
        noun="Country",
    )


def organisations(ctx: ui.Context) -> None:
    frame = by_organisation(ctx.view)
    if frame.empty:
        st.caption("No partner organisation in this selection.")
        return
    ui.ranking(
        ctx,
        frame,
        "organisation",
        "Partner organisations by engagements",
        "engagements-by-organisation",
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
            by_event_type(ctx.view),
            "label",
            "Engagements by event type",
            "engagements-by-event-type",
            hover=("articles",),
            noun="Event type",
        )
    topic_region(ctx)


def topics(ctx: ui.Context) -> None:
    """Engagements by topic (on the Overview too)."""
    ui.ranking(
        ctx,
        by_topic(ctx.view),
        "label",
        "Engagements by topic",
        "engagements-by-topic",
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
    shown = frames.trimmed_grid(frame, "label", level)
    if shown.empty:
        st.caption("No partner-country engagement with a topic in this selection.")
        return
    value = "engagements"
    if shares:
        shown, value = frames.with_share(shown, within="label"), frames.SHARE
    what = "share of each topic's engagements" if shares else "engagements"
    title = f"What is discussed with whom: {what} by topic and {NOUNS[level]}"
    fig = ui.figure(charts.heatmap, shown, "label", level, title, value=value)
    ui.chart(ctx, fig, frame, f"topic-by-{level}")
    st.caption(
        "Partner-country engagements whose article has the topic; an article with "
        "two topics counts in both rows. Topics and regions without any are left out "
        "(the CSV lists every pair)."
    )
