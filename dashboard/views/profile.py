"""Country profile: one partner's engagements over time, by topic and event type, the
Kazakh actors involved and its articles.

The profile is the sidebar's selection with the partner fields replaced by this one
country: dates, topics, event types, actor levels and the search still apply.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from analysis import ordering, periods
from analysis.aggregate import (
    Data,
    Filter,
    by_actor_level,
    by_country,
    by_date,
    by_event_type,
    by_topic,
)
from dashboard import charts, downloads, frames, nav, ui
from dashboard.views import articles


def render(ctx: ui.Context) -> None:
    names = ctx.choices.countries
    nav.seed(nav.PARTNER, list(names))
    iso3 = st.selectbox(
        "Partner country",
        list(names),
        index=None,
        format_func=lambda code: names.get(code, code),
        key=nav.PARTNER,
        on_change=nav.on_change,
        args=(nav.PARTNER,),
        placeholder="Choose a country, or click one on the map",
    )
    if iso3 is None:
        st.info("Choose a partner country above, or click a country on the Overview map.")
        return
    selection = profile_filter(ctx.selection, iso3)
    view = selection.apply(ctx.data)
    country = names.get(iso3, iso3)
    st.caption("Dates, topics, event types, actor levels and the search from the sidebar apply.")
    if view.n_articles == 0:
        ui.empty_state(f"No engagement with {country} matches these filters.")
        return
    summary(ctx, view, iso3)
    profile_ctx = dataclasses.replace(ctx, view=view, selection=selection)
    if view.count(ctx.measure) < ui.SMALL_SAMPLE:
        timeline(profile_ctx, iso3, country)
    else:
        over_time(profile_ctx, iso3, country)
    breakdowns(profile_ctx, iso3, country)
    st.subheader(f"Articles with {country}")
    articles.table(articles.listing(view.articles), key=f"profile-articles-{iso3}")
    downloads.csv_button(
        articles.article_export(view),
        f"{iso3} articles",
        profile_ctx.period,
        selection=selection,
    )


def profile_filter(selection: Filter, iso3: str, alone: bool = True) -> Filter:
    """The sidebar's selection about ``iso3`` alone: other partner choices are replaced
    (``alone=False``: with every partner country, to rank ``iso3`` among them)."""
    chosen = (iso3,) if alone else ()
    return dataclasses.replace(selection, countries=chosen, regions=(), organisations=())


def summary(ctx: ui.Context, view: Data, iso3: str) -> None:
    """Where the country sits, its rank and share among the partners of the sidebar's
    selection, and when, counted in the sidebar's measure (``by_country``)."""
    row = by_country(view, measure=ctx.measure).iloc[0]
    st.caption(
        f"{row['name']} · {row['subregion']} ({row['region']}) · top topics: "
        f"{row['top_topics'] or 'none'}"
    )
    others = profile_filter(ctx.selection, iso3, alone=False).apply(ctx.data)
    rank, of, share = ordering.standing(
        by_country(others, measure=ctx.measure), "iso3", iso3, "name", ctx.measure
    )
    cells = st.columns(4)
    cells[0].metric(ctx.counted, f"{row[ctx.measure]:,}")
    cells[1].metric(
        "Rank and share",
        f"#{rank} of {of}" if rank else "—",
        f"{share:.1f}% share" if rank else None,
        "off",
        delta_arrow="off",
        help="Among all partner countries with these filters (ties by name); share of "
        f"their {ctx.measure}",
    )
    cells[2].metric("First", f"{row['first_date']:%Y-%m-%d}")
    cells[3].metric("Latest", f"{row['last_date']:%Y-%m-%d}")


def over_time(ctx: ui.Context, iso3: str, country: str) -> None:
    """Engagements per period over the span of the country's own engagements (not the
    whole range, which would leave most of the axis empty); partial periods are those
    of the sidebar's range and the store's span."""
    first, last = ctx.view.engagements["date"].agg(["min", "max"])
    own = ctx.view
    if pd.notna(first):
        own = dataclasses.replace(ctx.selection, start=first.date(), end=last.date())
        own = own.apply(ctx.data)
    freq = frames.auto_freq(own.period)
    frame = by_date(own, freq)
    partial = tuple(periods.partial_periods(ctx.view, freq))
    title = f"{ctx.counted} with {country} per {freq}"
    fig = ui.figure(charts.trend, frame, ctx.measure, title, partial=partial)
    ui.chart(ctx, fig, frame, f"{iso3} {ctx.measure} per {freq}")


def timeline(ctx: ui.Context, iso3: str, country: str) -> None:
    """Few items: each article as a dot on a time line (date, event type, title) instead
    of bars on a near-empty axis."""
    frame = articles.timeline_rows(ctx.view.articles)
    title = f"Articles with {country}, one dot each"
    fig = ui.figure(charts.timeline, frame, title)
    ui.chart(ctx, fig, frame, f"{iso3} timeline")


def breakdowns(ctx: ui.Context, iso3: str, country: str) -> None:
    topics = by_topic(ctx.view, measure=ctx.measure)
    events = by_event_type(ctx.view, measure=ctx.measure)
    actors = by_actor_level(ctx.view)
    panels = (
        (topics, "Topics", "topic", "Topic"),
        (events, "Event types", "event type", "Event type"),
        (actors, "Kazakh actors", "actor level", "Kazakh actor"),
    )
    for column, (frame, title, what, noun) in zip(st.columns(3), panels, strict=True):
        with column:
            title = f"{title} with {country}"
            name = f"{iso3} {ctx.measure} by {what}"
            ui.ranking(ctx, frame, "label", title, name, noun=noun)
