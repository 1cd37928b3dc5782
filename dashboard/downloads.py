"""The one place that turns a frame into a download: CSV bytes and file names come from
``analysis.exports``, so a download equals ``diplodash aggregate`` for the same filters
(UTF-8 with BOM for Excel, formula-injection safe, named after the chart and the range).
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import streamlit as st

from analysis import exports

Period = tuple[dt.date, dt.date] | None
EAGER_ROWS = 5_000  # bigger frames are converted only when the button is clicked


def file_name(chart: str, period: Period, ext: str = "csv") -> str:
    """``engagements-by-country_2024-01-01_2024-12-31.csv``."""
    start, end = period or (None, None)
    return exports.download_name(chart, start, end, ext)


def csv_button(frame: pd.DataFrame, chart: str, period: Period, label: str = "CSV") -> None:
    """A button that downloads ``frame`` as CSV without rerunning the page.

    The key derives from the chart's name, so the same chart keeps its button identity
    across reruns and tests can find it (``dl-engagements-by-country``). A chart's frame
    is small and converted at once; a big one (all articles, with their texts) only on
    click, so the page never waits for a file nobody asked for.
    """
    name = file_name(chart, period)
    csv = functools.partial(exports.to_csv, frame)
    st.download_button(
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


def chart_config(chart: str, period: Period, image_format: str) -> dict[str, object]:
    """Plotly toolbar settings: the camera button saves PNG or SVG named like the CSV;
    map shapes come from the app's own static folder, never from a CDN."""
    stem = file_name(chart, period, "x")[: -len(".x")]
    return {
        "displaylogo": False,
        "topojsonURL": "app/static/topojson/",
        "toImageButtonOptions": {"format": image_format, "filename": stem, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
