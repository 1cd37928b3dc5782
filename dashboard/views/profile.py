"""Country profile: one partner's engagements over time, by topic and event type, the
Kazakh actors involved and its articles.

The profile is the sidebar's selection with the partner fields replaced by this one
country: dates, topics, event types, actor levels and the search still apply.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from analysis import periods
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
    summary(view)
    profile_ctx = dataclasses.replace(ctx, view=view, selection=selection)
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


def profile_filter(selection: Filter, iso3: str) -> Filter:
    """The sidebar's selection about ``iso3`` alone: other partner choices are replaced."""
    return dataclasses.replace(selection, countries=(iso3,), regions=(), organisations=())


def summary(view: Data) -> None:
    """Where the country sits and when the engagements happened, from ``by_country``."""
    row = by_country(view).iloc[0]
    st.caption(
        f"{row['name']} · {row['subregion']} ({row['region']}) · top topics: "
        f"{row['top_topics'] or 'none'}"
    )
    cells = st.columns(3)
    cells[0].metric("Engagements", f"{row['engagements']:,}")
    cells[1].metric("First", f"{row['first_date']:%Y-%m-%d}")
    cells[2].metric("Latest", f"{row['last_date']:%Y-%m-%d}")


def over_time(ctx: ui.Context, iso3: str, country: str) -> None:
    freq = frames.auto_freq(ctx.period)
    frame = by_date(ctx.view, freq)
    partial = tuple(periods.partial_periods(ctx.view, freq))
    title = f"Engagements with {country} per {freq}"
    fig = ui.figure(charts.trend, frame, "engagements", title, partial=partial)
    ui.chart(ctx, fig, frame, f"{iso3} engagements per {freq}")


def breakdowns(ctx: ui.Context, iso3: str, country: str) -> None:
    topics = by_topic(ctx.view)
    events = by_event_type(ctx.view)
    actors = by_actor_level(ctx.view)
    panels = (
        (topics, "Topics", "topic", "Topic"),
        (events, "Event types", "event type", "Event type"),
        (actors, "Kazakh actors", "actor level", "Kazakh actor"),
    )
    for column, (frame, title, what, noun) in zip(st.columns(3), panels, strict=True):
        with column:
            title = f"{title} with {country}"
            ui.ranking(ctx, frame, "label", title, f"{iso3} engagements by {what}", noun=noun)
