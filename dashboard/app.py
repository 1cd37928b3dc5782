"""diplodash: Kazakhstan's diplomatic activity. Layout only; run with
``diplodash dashboard --store DIR`` (or ``streamlit run dashboard/app.py``).

Every run: load the store (cached per file version), read the sidebar into a Filter,
draw the KPI row, then only the open tab (tabs are bound to ``?view=``).
"""

from __future__ import annotations

import logging

import streamlit as st

from analysis.aggregate import Data
from analysis.store import StoreError
from dashboard import filters, frames, measure, nav, state, ui
from dashboard.views import about, articles, changes, overview, profile, rankings, trends, upload

LOG = logging.getLogger("diplodash.dashboard")
FAILED = (
    "This page could not be drawn: something in the data or the link is not as expected. "
    "The details are in the server's log. Try **Clear filters**, or open the page without "
    "its link parameters."
)
RENDERERS = {
    nav.OVERVIEW: overview.render,
    nav.CHANGES: changes.render,
    nav.TRENDS: trends.render,
    nav.COUNTRIES: rankings.render_countries,
    nav.TOPICS: rankings.render_topics,
    nav.PROFILE: profile.render,
    nav.ARTICLES: articles.render,
    nav.ADD_DATA: upload.render,
    nav.ABOUT: about.render,
}


def main() -> None:
    st.set_page_config(
        page_title="diplodash · Kazakhstan's diplomacy",
        page_icon="🌐",
        layout="wide",
    )
    try:
        page()
    except Exception:  # the last line of defence: a message for the user, the trace in the log
        LOG.exception("the page failed")
        st.error(FAILED)


def page() -> None:
    with st.sidebar:
        counted = measure.switch()
        window = measure.window()
    try:
        data = state.load_data(window)
    except StoreError as err:
        st.error(f"The store cannot be read: {ui.escape_markdown(str(err))}")
        return
    if not data.n_articles:
        empty_store()
        return
    choices = filters.choices(data)
    with st.sidebar:
        selection = filters.sidebar(choices)
    view = selection.apply(data)
    ui.compact_page()
    kpis = frames.kpi_cards(data, selection, view, counted)
    with st.container(gap="xxsmall"):
        image_format = header(data, view, kpis.previous)
        ui.kpi_row(kpis)
    ctx = ui.Context(data, view, selection, choices, image_format, counted)
    tabs = st.tabs(list(RENDERERS), key=nav.VIEW, bind="query-params")
    for tab, render in zip(tabs, RENDERERS.values(), strict=True):
        if tab.open:
            with tab:
                render(ctx)


def header(data: Data, view: Data, compared: str | None) -> str:
    """The title with the chart-image setting beside it (not a filter, so not in the
    sidebar), and one line of coverage; returns the image format. Kept short: with the
    KPI row under it, the map starts above the fold of a 1440 x 900 window (when the
    store was built is on the About page)."""
    left, right = st.columns([8, 1], vertical_alignment="center")
    with left, st.container(gap="xxsmall"):
        st.markdown("**Kazakhstan's diplomatic activity**")
        changes = f" · changes {compared}, the period as long just before" if compared else ""
        st.caption(
            f"{view.n_articles:,} of {data.n_articles:,} articles in the selection, "
            f"{ui.date_range_text(view.period)}{changes}"
        )
    with right, st.popover("Images", icon=":material/image:"):
        image_format = st.radio(
            "Chart images",
            ["png", "svg"],
            horizontal=True,
            format_func=str.upper,
            key="image-format",
            help="Format of the camera button in each chart's toolbar",
        )
    return image_format


def empty_store() -> None:
    """No articles yet: say how to build the store, and offer the upload."""
    st.title("Kazakhstan's diplomatic activity")
    where = state.store_dir()
    st.info(
        f"The store is empty: no articles in `{where}` yet. Build it from feed files "
        "with the command below, or upload feed files here."
    )
    st.code(f"diplodash ingest data/raw --store {where}", language="bash")
    upload.render()


main()
