"""Trends: engagements per period, stacked by topic or region, as counts or shares."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.aggregate import Data, by_date, region_by_period, topic_by_period
from dashboard import charts, frames, ui

STEPS = {
    "auto": "Auto",
    "day": "Day",
    "week": "Week",
    "month": "Month",
    "quarter": "Quarter",
    "year": "Year",
}
STACKS = {"topic": "Topic", "region": "Region", "none": "Total"}
MEASURES = {"count": "Counts", "share": "Shares"}
NOTES = {
    "topic": "An engagement whose article has two topics counts once in each; engagements "
    "without a topic are not shown, so the stack can differ from the total.",
    "region": "Partner-country engagements only (organisations have no region).",
    "none": "All engagements: partner countries and organisations.",
}


def render(ctx: ui.Context) -> None:
    if ctx.empty:
        ui.empty_state()
        return
    step, stack, measure = _controls()
    freq = frames.auto_freq(ctx.period) if step == "auto" else step
    frame, column = _frame(ctx.view, freq, stack)
    value = "engagements"
    if measure == "share":
        frame = frames.with_share(frame, within="period" if column else None)
        value = frames.SHARE
    what = "Share of engagements" if measure == "share" else "Engagements"
    title = f"{what} per {freq}" + (f", by {column}" if column else "")
    name = f"{what} per {freq}" + (f" by {column}" if column else "")
    colour = _stack_column(column) if column else None
    fig = ui.figure(charts.trend, frame, value, title, stack=colour, noun=STACKS[stack])
    ui.chart(ctx, fig, frame, name)
    st.caption(NOTES[stack] + " Periods without news show as zero.")


def _controls() -> tuple[str, str, str]:
    left, middle, right = st.columns([4, 2, 2])
    with left:
        step = _radio("Time step", STEPS, "step")
    with middle:
        stack = _radio("Stack by", STACKS, "stack")
    with right:
        measure = _radio("Show", MEASURES, "measure")
    return step, stack, measure


def _radio(title: str, options: dict[str, str], key: str) -> str:
    return st.radio(
        title, list(options), format_func=options.get, key=key, horizontal=True, bind="query-params"
    )


def _frame(view: Data, freq: str, stack: str) -> tuple[pd.DataFrame, str | None]:
    """The analysis frame behind the chart, and the column it is stacked by."""
    if stack == "topic":
        return topic_by_period(view, freq), "topic"
    if stack == "region":
        return region_by_period(view, freq), "region"
    return by_date(view, freq), None


def _stack_column(column: str) -> str:
    """Topics are coloured by their label, regions by their name."""
    return "label" if column == "topic" else column
