"""Figure builders: each takes a frame the analysis layer computed and returns a Figure.

They only draw: no counting, filtering or I/O beyond the bundled map's list of shapes, so
a chart shows exactly the rows of the CSV offered beside it. Colours are colour-blind
safe: CARTO "Safe" for categories, one blue ramp for quantities, Okabe-Ito orange for
Kazakhstan itself.

Built for speed, because every filter change redraws every chart of the open view in the
browser (in software, on the machines we measured): plain ``graph_objects`` traces with
one small template instead of plotly express and the full ``plotly_white`` (a third of
the build time and ~7 KB of JSON per chart), and a 110m world map with the states it
lacks drawn as dots (a seventh of the 50m map's drawing time). Measurements:
docs/performance.md.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio

from analysis import countries, ordering
from analysis.aggregate import MEASURES

CATEGORICAL = px.colors.qualitative.Safe
BLUES = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
BAR = "#2171b5"
OTHER_GREY = "#b3b3b3"  # the "Other" group of a stack
HOME_ISO3 = "KAZ"
HOME_FILL = "#E69F00"  # Okabe-Ito orange
HOME_MARK = "#D55E00"  # Okabe-Ito vermillion
DOT_LINE = "#404040"  # outline of a small state's dot, visible on the palest blue
AXES = {"x": "", "y": ""}  # a heat map's axes need no title
MAX_BARS = 100  # more periods than this draw as an area chart
FONT = "Source Sans Pro, Arial, sans-serif"
# Natural Earth 110m, served from dashboard/static/topojson (never a CDN). The 50m file
# there draws ~60 more small states as shapes but takes ~7x longer to project in the
# browser (0.35 s against 0.05 s per draw, measured); here they are dots instead.
MAP_RESOLUTION = 110
TOPOJSON = Path(__file__).resolve().parent / "static" / "topojson"


def _template() -> go.layout.Template:
    """The parts of ``plotly_white`` these charts use: white background, light grid,
    white bar outlines. The full template holds defaults for every trace type."""
    white = pio.templates["plotly_white"].to_plotly_json()
    layout = ("autotypenumbers", "font", "hovermode", "hoverlabel", "paper_bgcolor")
    layout += ("plot_bgcolor", "xaxis", "yaxis", "coloraxis")
    data = {kind: white["data"][kind] for kind in ("bar", "choropleth")}
    return go.layout.Template(layout={k: white["layout"][k] for k in layout}, data=data)


TEMPLATE = _template()


def _layout(title: str, height: int = 420, **extra: object) -> dict[str, object]:
    """One look for every chart: a title, white background, room for labels."""
    return {
        "template": TEMPLATE,
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 56, "b": 10},
        "font": {"family": FONT, "size": 13},
        "legend": {"title": {"text": ""}},
        "hoverlabel": {"font_size": 13},
        **extra,
    }


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
    rows = [f"{names.get(label, label)}: %{{y}}", f"{names.get(value, value)}: %{{x:,}}"]
    rows += [f"{names.get(c, c)}: %{{customdata[{i}]}}" for i, c in enumerate(hover)]
    bars = go.Bar(
        x=frame[value],
        y=frame[label],
        orientation="h",
        text=frame[value],
        textposition="outside",
        cliponaxis=False,
        marker_color=BAR,
        customdata=frame[list(hover)].fillna("").to_numpy() if hover else None,
        hovertemplate="<br>".join(rows) + "<extra></extra>",
    )
    top = float(frame[value].max()) if len(frame) else 0.0
    xaxis = {"title": {"text": names.get(value, value)}, "range": [0, max(top, 1) * 1.18]}
    yaxis = {"autorange": "reversed", "title": {"text": None}, "automargin": True}
    layout = _layout(title, max(260, 90 + 26 * len(frame)), xaxis=xaxis, yaxis=yaxis)
    _whole_ticks(layout, top, axis="xaxis")
    return go.Figure(bars, layout)


PARTIAL_NOTE = "partial"  # the mark over a period the range or the data covers only in part


def trend(
    frame: pd.DataFrame,
    value: str,
    title: str,
    stack: str | None = None,
    noun: str = "",
    partial: tuple[pd.Timestamp, ...] = (),
    counts: str = "engagements",
) -> go.Figure:
    """Counts (or shares) per period, stacked by ``stack`` (named ``noun``) in the order
    of its categories, first at the bottom and first in the legend; an area chart when
    there are too many periods for bars. Periods come zero-filled from the analysis.

    ``partial``: first days of periods only partly covered; their bars are hatched and
    labelled "partial" (a band on an area chart), so they are not read as full. A share
    chart's frame carries ``counts`` (the measure) and ``total``, shown in the hover.
    """
    area = frame["period"].nunique() > MAX_BARS
    names = _labels(frame, {stack: noun} if stack else {})
    counted = value if value in MEASURES else counts
    what = names.get(value, value)
    groups = [("", frame)]
    if stack:
        values = frame[stack]
        ordered = isinstance(values.dtype, pd.CategoricalDtype)
        order = list(values.cat.categories) if ordered else sorted(values.unique())
        groups = [(name, frame[values == name]) for name in order]
    marked = set(partial)
    traces = []
    for i, (name, rows) in enumerate(groups):
        colour = CATEGORICAL[i % len(CATEGORICAL)] if stack else BAR
        if name == ordering.OTHER:
            colour = OTHER_GREY
        hover = (f"{names.get(stack, stack)}: %{{fullData.name}}<br>" if stack else "") + (
            f"Period: %{{customdata[0]}}<br>{what}: %{{y:,}}"
        )
        custom = [rows["period_label"]]
        if "total" in rows:
            hover += f"<br>%{{customdata[1]:,}} of %{{customdata[2]:,}} {counted}"
            custom += [rows[counted], rows["total"]]
        common = {
            "x": rows["period"],
            "y": rows[value],
            "name": str(name),
            "legendgroup": str(name),
            "legendrank": i,
            "customdata": np.column_stack(custom),
            "hovertemplate": hover + "<extra></extra>",
            "showlegend": bool(stack),
        }
        if area:
            line = {"width": 0.5, "color": colour}
            traces.append(go.Scatter(mode="lines", stackgroup="one", line=line, **common))
        else:
            pattern = ["/" if p in marked else "" for p in rows["period"]]
            marker = {"color": colour, "pattern": {"shape": pattern, "solidity": 0.35}}
            traces.append(go.Bar(marker=marker, **common))
    layout = _layout(
        title,
        460,
        xaxis={"title": {"text": None}},
        yaxis={"title": {"text": what}},
        legend={"orientation": "h", "y": -0.12, "x": 0, "title": {"text": ""}, "tracegroupgap": 0},
        **({} if area else {"barmode": "stack", "bargap": 0.15}),
    )
    if value in MEASURES:
        peak = frame.groupby("period")[value].sum().max() if len(frame) else 0
        _whole_ticks(layout, float(peak), axis="yaxis")
    fig = go.Figure(traces, layout)
    _mark_partial(fig, frame, sorted(marked & set(frame["period"])), area)
    return fig


def _mark_partial(fig: go.Figure, frame: pd.DataFrame, starts: list, area: bool) -> None:
    """A "partial" label over each partly covered period (and a band on area charts)."""
    periods = sorted(frame["period"].unique())
    for start in starts:
        if area:
            later = [p for p in periods if p > start]
            step = periods[-1] - periods[-2] if len(periods) > 1 else pd.Timedelta(days=1)
            end = later[0] if later else start + step
            fig.add_vrect(x0=start, x1=end, fillcolor=OTHER_GREY, opacity=0.25, line_width=0)
        fig.add_annotation(
            x=start,
            y=1,
            yref="paper",
            yanchor="bottom",
            text=PARTIAL_NOTE,
            showarrow=False,
            font={"size": 11, "color": "#595959"},
        )


RISE, FALL, FLAT = "#1a9850", "#d73027", "#7f7f7f"


def slope(
    frame: pd.DataFrame, title: str, ranges: tuple[str, str], axis: str = "Engagements"
) -> go.Figure:
    """One line per row of ``frame`` (``label``, ``before``, ``now``, ``change``) from
    the previous range (left) to the selected one (right): green up, red down, both
    counts at the ends and the names at the higher end. Rows with the same two counts
    share a line (names joined), so equal lines do not print on top of each other."""
    traces = []
    for (before, now), rows in frame.groupby(["before", "now"], sort=False):
        change = now - before
        colour = RISE if change > 0 else FALL if change < 0 else FLAT
        names = list(rows["label"])
        named = ", ".join(names[:2]) + (f" +{len(names) - 2} more" if len(names) > 2 else "")
        traces.append(
            go.Scatter(
                x=[0, 1],
                y=[before, now],
                mode="lines+markers+text",
                line={"color": colour, "width": 2},
                marker={"size": 7, "color": colour},
                # the name at the higher end, where lines spread out instead of meeting
                text=[f"{named} {before:,}", f"{now:,}"]
                if change < 0
                else [f"{before:,}", f"{now:,} {named}"],
                textposition=["middle left", "middle right"],
                textfont={"size": 12, "color": "#262626"},
                name=named,
                hovertemplate=f"{', '.join(names)}: {before:,} → {now:,} ({change:+,})"
                "<extra></extra>",
                cliponaxis=False,
            )
        )
    top = float(frame[["before", "now"]].to_numpy().max()) if len(frame) else 1.0
    xaxis = {
        "tickvals": [0, 1],
        "ticktext": list(ranges),
        "range": [-1.1, 2.1],
        "showgrid": False,
        "zeroline": False,
    }
    yaxis = {"title": {"text": axis}, "rangemode": "tozero"}
    layout = _layout(title, 380, xaxis=xaxis, yaxis=yaxis, showlegend=False)
    _whole_ticks(layout, top, axis="yaxis")
    return go.Figure(traces, layout)


def timeline(frame: pd.DataFrame, title: str) -> go.Figure:
    """Each article (``date``, ``event_type``, ``title``) as a dot at its date, one row
    per event type; the title, escaped, in the hover (plotly reads hover text as HTML)."""
    titles = [html.escape(" ".join(t.split())[:120]) for t in frame["title"]]
    dots = go.Scatter(
        x=frame["date"],
        y=frame["event_type"],
        mode="markers",
        marker={"size": 11, "color": BAR, "line": {"color": "white", "width": 1}},
        customdata=np.array(titles, dtype=object).reshape(-1, 1),
        hovertemplate="%{x|%Y-%m-%d} · %{y}<br>%{customdata[0]}<extra></extra>",
    )
    rows = frame["event_type"].nunique()
    yaxis = {"title": {"text": None}, "type": "category", "automargin": True}
    layout = _layout(title, 160 + 40 * rows, xaxis={"title": {"text": None}}, yaxis=yaxis)
    return go.Figure(dots, layout)


def _whole_ticks(layout: dict[str, object], top: float, axis: str) -> None:
    """Counts have no halves: small ranges get a tick per whole number."""
    if top <= 8:
        layout[axis] = {**layout.get(axis, {}), "dtick": 1, "tick0": 0}  # type: ignore[dict-item]


def heatmap(
    frame: pd.DataFrame, rows: str, columns: str, title: str, value: str = "engagements"
) -> go.Figure:
    """``value`` per (row, column) pair, written in each cell: engagements, or each
    row's percentage shares (``share_pct``)."""
    grid = frame.pivot(index=rows, columns=columns, values=value)  # one cell each
    share = value == "share_pct"
    fig = px.imshow(
        grid,
        text_auto=".0f" if share else True,
        aspect="auto",
        color_continuous_scale=["#f7fbff", *BLUES],
        labels={"color": "Share of row (%)" if share else _LABELS.get(value, value)} | AXES,
        template=TEMPLATE,
    )
    fig.update_xaxes(side="bottom", tickangle=-30 if len(grid.columns) > 6 else 0)
    return fig.update_layout(_layout(title, max(320, 120 + 36 * len(grid))))


GEO = {
    "resolution": MAP_RESOLUTION,
    "fitbounds": False,
    "projection": {"type": "natural earth"},
    "showcountries": True,
    "countrycolor": "#a6a6a6",
    "showland": True,
    "landcolor": "#f0f0f0",
    "showocean": True,
    "oceancolor": "#f4f8fb",
    "showlakes": False,
    "showframe": False,
    "coastlinecolor": "#a6a6a6",
    # no lataxis range: the projection's own outline, not a globe cut flat at 85°N / 58°S
}
# The hover box: white with dark text and a dark border, readable on every blue.
MAP_HOVERLABEL = {
    "bgcolor": "white",
    "bordercolor": "#404040",
    "font": {"color": "#1a1a1a", "size": 13},
    "align": "left",
}
MAP_HOVER = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]:,} MEASURE "
    "(%{customdata[3]:.1f}%)<br>Top topics: %{customdata[4]}<extra></extra>"
)
_COUNT = "_count"  # the measure the map draws, whichever it is


def world_map(
    frame: pd.DataFrame, title: str, lines: bool = False, value: str = "engagements"
) -> go.Figure:
    """``value`` (events, articles or engagements) per partner country, Kazakhstan in
    orange as home.

    ``frame``: ``iso3``, ``name``, ``value``, ``share_pct``, ``top_topics``. States
    the 110m map has no shape for (Singapore, Bahrain, Malta, Holy See …) are dots on
    their capital, on the same colour scale; ``lines`` adds a line from Astana to each
    partner's capital, thicker for more engagements. The scale runs from 0 to the
    largest count (at least 1), so one partner alone is drawn dark, not pale.
    """
    partners = frame[frame["iso3"] != HOME_ISO3]
    partners = partners.assign(**{_COUNT: partners[value]})
    top = max(1, int(partners[_COUNT].max())) if len(partners) else 1
    shaped = partners["iso3"].isin(map_shapes())
    hover = MAP_HOVER.replace("MEASURE", value)
    traces = [_choropleth(partners[shaped], hover)]
    if lines:
        traces += _lines(partners)
    traces += [_dots(partners[~shaped], hover), *_home()]
    colours = {
        "colorscale": BLUES,
        "cmin": 0,
        "cmax": top,
        "colorbar": {
            "title": {"text": _LABELS.get(value, value)},
            "thickness": 14,
            "len": 0.7,
            **_integer_ticks(top),
        },
    }
    layout = _layout(
        title,
        470,
        geo=GEO,
        coloraxis=colours,
        showlegend=False,
        margin={"l": 0, "r": 0, "t": 48, "b": 0},
        # What Streamlit sets for a selectable chart anyway: stating it here saves a
        # second full draw of the map right after the first (a layout update).
        clickmode="event+select",
        hovermode="closest",
        dragmode="pan",
        hoverlabel=MAP_HOVERLABEL,
    )
    return go.Figure(traces, layout)


def _integer_ticks(top: int) -> dict[str, object]:
    """Colour-bar ticks on whole numbers only (a count has no 0.5): one per step of
    1, 2, 5, 10, 20 … chosen for about five ticks."""
    step = 1
    while top / step > 6:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return {"tick0": 0, "dtick": step, "tickformat": ",d"}


@functools.cache
def map_shapes() -> frozenset[str]:
    """ISO3 codes the map draws as shapes (the countries of the bundled topojson)."""
    topo = json.loads((TOPOJSON / f"world_{MAP_RESOLUTION}m.json").read_text(encoding="utf-8"))
    return frozenset(g["id"] for g in topo["objects"]["countries"]["geometries"] if g.get("id"))


def _customdata(partners: pd.DataFrame) -> np.ndarray:
    """``iso3`` first (a click on a dot names its country), then what the hover shows."""
    columns = ["iso3", "name", _COUNT, "share_pct", "top_topics"]
    return partners[columns].fillna("").to_numpy()


def _choropleth(partners: pd.DataFrame, hover: str) -> go.Choropleth:
    return go.Choropleth(
        locations=partners["iso3"],
        z=partners[_COUNT],
        customdata=_customdata(partners),
        coloraxis="coloraxis",
        marker_line_color="#7f7f7f",
        marker_line_width=0.4,
        hovertemplate=hover,
        unselected={"marker": {"opacity": 1}},
    )


def _dots(partners: pd.DataFrame, hover: str) -> go.Scattergeo:
    """Partners without a shape on the map, as dots on their capitals."""
    capitals = _capitals()
    rows = partners[partners["iso3"].isin(list(capitals))]
    places = [capitals[iso3] for iso3 in rows["iso3"]]
    return go.Scattergeo(
        lat=[lat for lat, _ in places],
        lon=[lon for _, lon in places],
        mode="markers",
        marker={
            "color": rows[_COUNT],
            "coloraxis": "coloraxis",
            "size": 9,
            "line": {"color": DOT_LINE, "width": 1},
        },
        customdata=_customdata(rows),
        hovertemplate=hover,
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
    top = max(rows[_COUNT].max(), 1)
    band = np.ceil(bands * rows[_COUNT] / top).clip(1, bands).astype(int)
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
    "events": "Events",
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
