"""Trends: engagements per period, stacked by topic or region, as counts or shares."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import ordering, periods
from analysis.aggregate import Data, by_date, region_by_period, topic_by_period, undated_note
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
TITLES = {
    "topic": "{Counted} per {freq} by topic (counted once per topic)",
    "region": "{Counted} with partner countries per {freq} by region",
    "none": "{Counted} per {freq}",
}
MAX_COLOURS = 6
MEASURES = {"count": "Counts", "share": "Shares"}
NOTES = {
    "topic": "An article with two topics counts once in each (an event: once in each topic "
    "of its reports); those without a topic are not shown, so the stack can differ from "
    "the total.",
    "region": "Partner countries only (organisations have no region); an event or article "
    "with partners in two regions counts in both.",
    "none": "All of them: with partner countries, organisations, or none.",
}


def render(ctx: ui.Context) -> None:
    if ctx.empty:
        ui.empty_state()
        return
    step, stack, measure = _controls()
    freq = frames.auto_freq(ctx.period) if step == "auto" else step
    frame, column = _frame(ctx.view, freq, stack)
    shown, value, hidden = _shown(frame, column, measure, ctx.measure)
    if measure == "share":  # the CSV: every row, as `diplodash aggregate` gives it
        frame = frames.with_share(frame, ctx.measure, within="period" if column else None)
    title, name = _titles(stack, measure, freq, ctx.counted)
    colour = _stack_column(column) if column else None
    partial = tuple(periods.partial_periods(ctx.view, freq))
    fig = ui.figure(
        charts.trend,
        shown,
        value,
        title,
        stack=colour,
        noun=STACKS[stack],
        partial=partial,
        counts=ctx.measure,
    )
    ui.chart(ctx, fig, frame, name)
    notes = [NOTES[stack], "Periods without news show as zero."]
    if undated := undated_note(ctx.view):  # counted in the analysis layer, said here
        notes.append(f"{undated} (here or in the CSV): they have no date.")
    if column:
        notes.append(
            f"The {MAX_COLOURS} largest are coloured, the rest summed as Other (the CSV "
            "lists each)."
        )
    if hidden:
        notes.append(
            f"{hidden} periods with fewer than {frames.MIN_SHARE_ITEMS} {ctx.measure} are "
            "not shown as shares."
        )
    st.caption(" ".join(notes))


def _shown(
    frame: pd.DataFrame, column: str | None, measure: str, counted: str
) -> tuple[pd.DataFrame, str, int]:
    """What the chart draws of ``counted`` (events, articles, engagements): a stack
    reduced to its largest parts plus Other; shares with the counts behind them, periods
    too small for a share left out (how many is the third value)."""
    if column:
        frame = ordering.top_and_other(frame, _stack_column(column), counted, MAX_COLOURS)
    if measure != "share":
        return frame, counted, 0
    if not column:
        return frames.with_share(frame, counted), frames.SHARE, 0
    shares, hidden = frames.period_shares(frame, counted)
    return shares, frames.SHARE, hidden


def _titles(stack: str, measure: str, freq: str, counted: str) -> tuple[str, str]:
    """The chart's title and CSV name. Each says what it counts, so two charts with the
    same title always show the same measure (a topic stack counts an engagement once
    per topic, a region stack partner countries only)."""
    what = TITLES[stack]
    if measure == "share":
        what = "Share of " + what[0].lower() + what[1:]
    title = what.format(freq=freq, Counted=counted)
    return title, title.split(" (")[0].replace(",", "")


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
