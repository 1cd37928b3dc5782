"""Figure builders: each takes a frame the analysis layer computed and returns a Figure.

They only draw: no counting, filtering or I/O, so a chart shows exactly the rows of the
CSV offered beside it. Colours are colour-blind safe: CARTO "Safe" for categories, one
blue ramp for quantities, Okabe-Ito orange for Kazakhstan itself.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analysis import countries

CATEGORICAL = px.colors.qualitative.Safe
BLUES = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
BAR = "#2171b5"
HOME_ISO3 = "KAZ"
HOME_FILL = "#E69F00"  # Okabe-Ito orange
HOME_MARK = "#D55E00"  # Okabe-Ito vermillion
MAX_BARS = 100  # more periods than this draw as an area chart
FONT = "Source Sans Pro, Arial, sans-serif"


def _style(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """One look for every chart: a title, white background, room for labels."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 56, "b": 10},
        font={"family": FONT, "size": 13},
        legend={"title": {"text": ""}},
        hoverlabel={"font_size": 13},
    )
    return fig


def ranked_bars(
    frame: pd.DataFrame,
    label: str,
    title: str,
    value: str = "engagements",
    hover: tuple[str, ...] = (),
    noun: str = "",
) -> go.Figure:
    """Horizontal bars, largest on top (``frame`` comes ranked from the analysis layer);
    ``noun`` names the ``label`` column in the hover ("Country", "Topic")."""
    names = _labels(frame, {label: noun})
    fig = px.bar(
        frame,
        x=value,
        y=label,
        orientation="h",
        hover_data=list(hover),
        text=value,
        labels=names,
        color_discrete_sequence=[BAR],
    )
    fig.update_traces(textposition="outside", cliponaxis=False)
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    top = float(frame[value].max()) if len(frame) else 0.0
    fig.update_xaxes(title=names.get(value, value), range=[0, max(top, 1) * 1.18])
    _whole_ticks(fig, top, axis="x")
    return _style(fig, title, height=max(260, 90 + 26 * len(frame)))


def trend(
    frame: pd.DataFrame, value: str, title: str, stack: str | None = None, noun: str = ""
) -> go.Figure:
    """Counts (or shares) per period, stacked by ``stack`` (named ``noun``); an area chart
    when there are too many periods for bars. Periods come zero-filled from the analysis."""
    periods = frame["period"].nunique()
    names = _labels(frame, {stack: noun} if stack else {})
    order = {stack: sorted(frame[stack].unique())} if stack else {}
    common = {
        "x": "period",
        "y": value,
        "color": stack,
        "labels": names,
        "category_orders": order,
        "hover_data": {"period": False, "period_label": True},
        "color_discrete_sequence": CATEGORICAL if stack else [BAR],
    }
    if periods > MAX_BARS:
        fig = px.area(frame, **common)
        fig.update_traces(line={"width": 0.5})
    else:
        fig = px.bar(frame, **common)
        fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=names.get(value, value))
    if value == "engagements":
        peak = frame.groupby("period")[value].sum().max() if len(frame) else 0
        _whole_ticks(fig, float(peak), axis="y")
    fig.update_layout(legend={"orientation": "h", "y": -0.12, "x": 0, "title": {"text": ""}})
    return _style(fig, title, height=460)


def _whole_ticks(fig: go.Figure, top: float, axis: str) -> None:
    """Counts have no halves: small ranges get a tick per whole number."""
    if top <= 8:
        (fig.update_xaxes if axis == "x" else fig.update_yaxes)(dtick=1, tick0=0)


def heatmap(frame: pd.DataFrame, rows: str, columns: str, title: str) -> go.Figure:
    """Engagements per (row, column) pair, the count written in each cell."""
    grid = frame.pivot(index=rows, columns=columns, values="engagements")  # one cell each
    fig = px.imshow(
        grid,
        text_auto=True,
        aspect="auto",
        color_continuous_scale=["#f7fbff", *BLUES],
        labels={"color": "Engagements", "x": "", "y": ""},
    )
    fig.update_xaxes(side="bottom", tickangle=-30 if len(grid.columns) > 6 else 0)
    return _style(fig, title, height=max(320, 120 + 36 * len(grid)))


def world_map(frame: pd.DataFrame, title: str, lines: bool = False) -> go.Figure:
    """Engagements per partner country, Kazakhstan in orange as home.

    ``frame``: ``iso3``, ``name``, ``engagements``, ``share_pct``, ``top_topics``. The
    50m map draws small states (Singapore, Bahrain, Malta); ``lines`` adds a line from
    Astana to each partner's capital, thicker for more engagements.
    """
    partners = frame[frame["iso3"] != HOME_ISO3]
    fig = go.Figure(_choropleth(partners))
    if lines:
        fig.add_traces(_lines(partners))
    fig.add_traces(_home())
    fig.update_geos(
        resolution=50,
        fitbounds=False,
        projection_type="natural earth",
        showcountries=True,
        countrycolor="#a6a6a6",
        showland=True,
        landcolor="#f0f0f0",
        showocean=True,
        oceancolor="#f4f8fb",
        showlakes=False,
        showframe=False,
        coastlinecolor="#a6a6a6",
        lataxis_range=[-58, 85],
    )
    fig.update_layout(showlegend=False, dragmode=False)
    fig = _style(fig, title, height=470)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 48, "b": 0})
    return fig


def _choropleth(partners: pd.DataFrame) -> go.Choropleth:
    custom = partners[["name", "engagements", "share_pct", "top_topics"]].fillna("")
    return go.Choropleth(
        locations=partners["iso3"],
        z=partners["engagements"],
        customdata=custom.to_numpy(),
        colorscale=BLUES,
        zmin=0,
        marker_line_color="#7f7f7f",
        marker_line_width=0.4,
        colorbar={"title": {"text": "Engagements"}, "thickness": 14, "len": 0.7},
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>%{customdata[1]:,} engagements "
            "(%{customdata[2]:.1f}%)<br>Top topics: %{customdata[3]}<extra></extra>"
        ),
        unselected={"marker": {"opacity": 1}},
    )


def _home() -> list[go.BaseTraceType]:
    """Kazakhstan filled in orange, and a star on Astana."""
    lat, lon = _capitals().get(HOME_ISO3, (51.13, 71.43))
    return [
        go.Choropleth(
            locations=[HOME_ISO3],
            z=[1],
            colorscale=[[0, HOME_FILL], [1, HOME_FILL]],
            showscale=False,
            marker_line_color="#7f7f7f",
            hovertemplate="<b>Kazakhstan</b> (home)<extra></extra>",
        ),
        go.Scattergeo(
            lat=[lat],
            lon=[lon],
            mode="markers",
            marker={"symbol": "star", "size": 13, "color": HOME_MARK, "line_width": 0.8},
            hovertemplate="Astana<extra></extra>",
        ),
    ]


def _lines(partners: pd.DataFrame, bands: int = 4) -> list[go.Scattergeo]:
    """Lines from Astana to partner capitals, grouped into a few width bands (one trace
    per band keeps the figure small)."""
    capitals = _capitals()
    home = capitals.get(HOME_ISO3, (51.13, 71.43))
    rows = partners[partners["iso3"].isin(list(capitals))]
    if rows.empty:
        return []
    top = rows["engagements"].max()
    band = np.ceil(bands * rows["engagements"] / top).clip(1, bands).astype(int)
    traces = []
    for width, group in rows.groupby(band):
        lat, lon = [], []
        for iso3 in group["iso3"]:
            lat += [home[0], capitals[iso3][0], None]
            lon += [home[1], capitals[iso3][1], None]
        traces.append(
            go.Scattergeo(
                lat=lat,
                lon=lon,
                mode="lines",
                line={"width": 0.8 + 1.2 * width, "color": HOME_MARK},
                opacity=0.55,
                hoverinfo="skip",
            )
        )
    return traces


@functools.cache
def _capitals() -> dict[str, tuple[float, float]]:
    table = countries.country_table().dropna(subset=["capital_lat", "capital_lon"])
    return {r.iso3: (r.capital_lat, r.capital_lon) for r in table.itertuples()}


_LABELS = {
    "engagements": "Engagements",
    "articles": "Articles",
    "share_pct": "Share (%)",
    "period_label": "Period",
    "region": "Region",
    "subregion": "Sub-region",
    "countries": "Partner countries",
    "top_topics": "Top topics",
}


def _labels(frame: pd.DataFrame, extra: dict[str, str]) -> dict[str, str]:
    """Readable axis and hover names for the columns of ``frame``."""
    return {k: v for k, v in {**_LABELS, **extra}.items() if k in frame}
