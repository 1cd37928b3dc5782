"""The one place that turns a frame into a download: CSV bytes and file names come from
``analysis.exports``, so a download equals ``diplodash aggregate`` for the same filters
(UTF-8 with BOM for Excel, formula-injection safe, named after the chart and the range).
"""

from __future__ import annotations

import datetime as dt
import functools
import urllib.parse

import pandas as pd
import streamlit as st

from analysis import exports
from analysis.aggregate import Filter

Period = tuple[dt.date, dt.date] | None
EAGER_ROWS = 5_000  # bigger frames are converted only when the button is clicked


def file_name(chart: str, period: Period, ext: str = "csv", selection: Filter | None = None) -> str:
    """``engagements-by-country_2024-01-01_2024-12-31_country-jpn.csv``: the chart, the
    range and every other active filter of ``selection``."""
    start, end = period or (None, None)
    tag = exports.filter_tag(selection) if selection else ""
    return exports.download_name(chart, start, end, ext, tag)


def csv_button(
    frame: pd.DataFrame,
    chart: str,
    period: Period,
    label: str = "CSV",
    selection: Filter | None = None,
) -> None:
    """A button that downloads ``frame`` as CSV without rerunning the page, and beside
    it the page link that holds the whole filter set (the CSV itself stays plain data:
    header first, no preamble).

    The key derives from the chart's name, so the same chart keeps its button identity
    across reruns and tests can find it (``dl-engagements-by-country``). A chart's frame
    is small and converted at once; a big one (all articles, with their texts) only on
    click, so the page never waits for a file nobody asked for.
    """
    name = file_name(chart, period, selection=selection)
    csv = functools.partial(exports.to_csv, frame)
    button, link = st.columns([1, 7], vertical_alignment="center")
    with link:
        st.caption(f"Filters of this CSV, in the page link: `{page_query()}`")
    button.download_button(
        label,
        data=csv() if len(frame) <= EAGER_ROWS else csv,
        file_name=name,
        mime=exports.MIME_TYPES["csv"],
        key=button_key(chart),
        on_click="ignore",
        icon=":material/download:",
        help=f"Download as CSV: {name}",
    )


def button_key(chart: str) -> str:
    return "dl-" + exports.download_name(chart, None, None, "x").split("_")[0]


def page_query() -> str:
    """The query string of the page (``?dates=…&country=…``): every filter widget is
    bound to it, so it names the selection a download came from. URL-encoded, so no
    scraped or typed character can break out of the caption's code span."""
    query = urllib.parse.urlencode(
        [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    )
    return f"?{query}" if query else "(no filters: the whole store)"


def chart_config(
    chart: str, period: Period, image_format: str, selection: Filter | None = None
) -> dict[str, object]:
    """Plotly toolbar settings: the camera button saves PNG or SVG named like the CSV;
    map shapes come from the app's own static folder, never from a CDN."""
    stem = file_name(chart, period, "x", selection)[: -len(".x")]
    return {
        "displaylogo": False,
        "topojsonURL": "app/static/topojson/",
        "toImageButtonOptions": {"format": image_format, "filename": stem, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
