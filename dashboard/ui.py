"""Pieces every view uses: the page context, a chart with its CSV button, empty states,
and Markdown escaping for the few places that put scraped words into Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.aggregate import DEFAULT_MEASURE, Data, Filter
from dashboard import charts, downloads, filters, frames, measure

EMPTY = "Nothing matches these filters. Widen the date range or clear a filter in the sidebar."
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


@dataclass(frozen=True)
class Context:
    """What a view needs: the whole store, the filtered view of it and how to draw."""

    data: Data
    view: Data
    selection: Filter
    choices: filters.Choices
    image_format: str = "png"
    measure: str = DEFAULT_MEASURE  # what every chart counts (the sidebar's switch)

    @property
    def period(self) -> downloads.Period:
        return self.view.period

    @property
    def counted(self) -> str:
        """The measure as a title says it: 'Events', 'Articles', 'Engagements'."""
        return measure.title(self.measure)

    @property
    def empty(self) -> bool:
        return self.view.n_articles == 0


def figure(build: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """``build(*args, **kwargs)``, built once per distinct input (a chart builder of
    ``dashboard.charts`` and the analysis frame it draws) and shared by every session:
    a new session on the default view, a return to a tab, or a control that leaves a
    chart's data alone reuse the figure instead of building and validating it again.

    A resource, not ``cache_data``: a pickled copy would cost as much to restore as the
    build itself. The figure is shared, so it must never be modified: ``chart`` and
    ``st.plotly_chart`` only read it.
    """
    return _figure(f"{build.__module__}.{build.__qualname__}", build, *args, **kwargs)


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(name: str, _build: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """``name`` stands for ``_build`` in the cache key (functions are not hashed)."""
    return _build(*args, **kwargs)


def ranking(
    ctx: Context,
    frame: pd.DataFrame,
    label: str,
    title: str,
    name: str,
    *,
    shown: pd.DataFrame | None = None,
    hover: tuple[str, ...] = (),
    noun: str = "",
) -> None:
    """Ranked bars of ``frame`` (or of its top rows, ``shown``) with the CSV of all of it:
    every ranking of the app (countries, regions, topics, event types, actors …)."""
    bars = frame if shown is None else shown
    fig = figure(charts.ranked_bars, bars, label, title, ctx.measure, hover=hover, noun=noun)
    chart(ctx, fig, frame, name)


def chart(
    ctx: Context,
    fig: go.Figure,
    frame: pd.DataFrame,
    name: str,
    on_select: Callable[[], None] | None = None,
    key: str | None = None,
) -> None:
    """Draw ``fig`` and, under it, the button that downloads ``frame`` (the data it shows).

    ``on_select`` makes the chart clickable (point selection), e.g. the map.
    """
    options: dict[str, Any] = {"on_select": on_select, "selection_mode": "points"}
    st.plotly_chart(
        fig,
        width="stretch",
        config=downloads.chart_config(name, ctx.period, ctx.image_format, ctx.selection),
        key=key or f"chart-{downloads.button_key(name)}",
        alt=fig.layout.title.text,
        **(options if on_select else {}),
    )
    small_sample(ctx.view, ctx.measure)
    downloads.csv_button(frame, name, ctx.period, selection=ctx.selection)


SMALL_SAMPLE = 20  # fewer items than this: a chart shows anecdotes, not a pattern


def small_sample(view: Data, measure: str) -> None:
    """Say so under a chart that rests on fewer than ``SMALL_SAMPLE`` of what it counts."""
    count = view.count(measure)
    if 0 < count < SMALL_SAMPLE:
        noun = measure[:-1] if count == 1 else measure
        st.caption(f"This chart rests on {count} {noun}: too few to read a pattern into.")


def kpi_row(row: frames.KpiRow) -> None:
    """Counts as metrics; leaders (top partner, top topic) as cards whose names wrap
    instead of being cut off, with the same kind of change badge. A change of 0 and a
    change that cannot be known ("n/a") are grey and arrowless."""
    widths = [1.2 if card.leader else 1 for card in row.cards]
    for column, card in zip(st.columns(widths, gap="small"), row.cards, strict=True):
        with column:
            if card.leader:
                _leader_card(card)
            else:
                neutral = card.change == 0
                st.metric(
                    card.label,
                    card.value,
                    card.delta,
                    "off" if neutral else "normal",
                    delta_arrow="off" if neutral else "auto",
                    border=True,
                    height="stretch",
                )


def _leader_card(card: frames.Card) -> None:
    """Label, the leader's name, then its change badge and the previous leader, in
    one text block, so the card is no taller than the metrics beside it."""
    with st.container(border=True, height="stretch", gap="xxsmall", key=f"kpi-{card.label}"):
        st.caption(card.label)
        lines = [f"**{escape_markdown(card.value)}**"]
        if card.delta:
            colour = "green" if card.change > 0 else "red" if card.change < 0 else "gray"
            arrow = "↑ " if card.change > 0 else "↓ " if card.change < 0 else ""
            badge = f":{colour}-badge[{escape_markdown(arrow + card.delta)}]"
            note = f" :gray[{escape_markdown(card.note)}]" if card.note else ""
            lines.append(badge + note)
        st.markdown("  \n".join(lines))


# The page's own compact look (no scraped text): a smaller top margin and KPI values, so
# the header and the KPI row stay under ~180 px and the map starts above the fold.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
[data-testid="stMetricValue"] { font-size: 1.5rem; line-height: 1.2; }
[data-testid="stMetric"] { padding: 0.4rem 0.75rem; }
[data-testid="stMetric"] > div { gap: 0.1rem; }
[data-testid="stMetricLabel"] { min-height: 0; margin-bottom: 0; }
[class*="st-key-kpi-"] { padding: 0.4rem 0.75rem; }
</style>"""


def compact_page() -> None:
    st.html(COMPACT_CSS)


def key_values(items: dict[str, str], names: tuple[str, str] = ("Field", "Value")) -> None:
    """A two-column table of labels and values; cells are plain text, never Markdown,
    so scraped values (titles, URLs, file names) cannot inject anything."""
    frame = pd.DataFrame({names[0]: list(items), names[1]: list(items.values())})
    st.dataframe(frame, hide_index=True, width="stretch")


def empty_state(message: str = EMPTY) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def escape_markdown(text: str) -> str:
    """``text`` shown literally by ``st.markdown``: no links, HTML or emphasis."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def date_range_text(period: downloads.Period) -> str:
    return f"{period[0]:%Y-%m-%d} – {period[1]:%Y-%m-%d}" if period else "no dates"
