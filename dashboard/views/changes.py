"""What changed: partners and topics rising and falling in the selected range against
the previous range of equal length (computed by ``analysis.changes``).

Each list shows both counts; a row opens the country profile (partners) or the Topics
tab filtered to that topic. The CSV under each subject is the whole comparison frame.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from analysis import changes
from dashboard import charts, downloads, nav, ui

LISTS = {
    "partners": (
        ("gains", "Biggest gains"),
        ("losses", "Biggest losses"),
        ("new", "New partners (none before)"),
        ("quiet", "Gone quiet (none now)"),
    ),
    "topics": (("gains", "Biggest gains"), ("losses", "Biggest losses")),
}
NOUNS = {"partners": "Partner", "topics": "Topic"}
TOP = 10


def render(ctx: ui.Context) -> None:
    if ctx.empty:
        ui.empty_state()
        return
    found = changes.what_changed(ctx.data, ctx.selection, ctx.view, ctx.measure)
    if found is None:
        ui.empty_state("This selection has no date range to compare.")
        return
    compared = found.compared
    st.caption(
        f"{ctx.counted} in {ui.date_range_text(compared.current)} against the previous range "
        f"of the same length, {compared.previous_text}. Select a row to open it."
    )
    if not compared.covered:
        st.info(
            f"The store has no article dated {compared.previous_text}, so there is nothing "
            "to compare with. Move the start date later to compare two covered ranges.",
            icon=":material/info:",
        )
        return
    left, right = st.columns(2, gap="large")
    for column, subject in zip((left, right), ("partners", "topics"), strict=True):
        with column:
            _subject(ctx, found, subject)


def _subject(ctx: ui.Context, found: changes.Changes, subject: str) -> None:
    frame: pd.DataFrame = getattr(found, subject)
    counts = frame["status"].value_counts()
    st.subheader(subject.capitalize())
    st.caption(
        f"{len(frame)} {subject} with {ctx.measure} in either range: "
        f"{counts.get(changes.UP, 0) + counts.get(changes.NEW, 0)} up "
        f"({counts.get(changes.NEW, 0)} new), "
        f"{counts.get(changes.DOWN, 0) + counts.get(changes.QUIET, 0)} down "
        f"({counts.get(changes.QUIET, 0)} gone quiet), {counts.get(changes.SAME, 0)} steady."
    )
    movers = pd.concat([found.cut(subject, "gains", 5), found.cut(subject, "losses", 5)])
    if len(movers):
        labels = (found.compared.previous_text, ui.date_range_text(found.compared.current))
        title = f"{subject.capitalize()}: biggest changes in {ctx.measure}"
        fig = ui.figure(charts.slope, movers.reset_index(drop=True), title, labels, ctx.counted)
        st.plotly_chart(fig, width="stretch", key=f"slope-{subject}", alt=title)
    for kind, heading in LISTS[subject]:
        rows = found.cut(subject, kind, TOP)
        total = found.count(subject, kind)
        st.markdown(f"**{heading}** · {total}")
        if rows.empty:
            st.caption("None.")
            continue
        _table(rows, subject, f"changes-{subject}-{kind}")
    downloads.csv_button(
        frame, f"changes in {subject}", found.compared.current, selection=ctx.selection
    )


def _table(rows: pd.DataFrame, subject: str, key: str) -> None:
    """Both counts and the change; selecting a row opens the partner or topic."""
    shown = pd.DataFrame(
        {
            NOUNS[subject]: rows["label"],
            "Before": rows["before"],
            "Now": rows["now"],
            "Change": [f"{c:+,}" for c in rows["change"]],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=38 + 35 * len(shown),
        on_select=functools.partial(_open, key, list(rows["key"]), subject),
        selection_mode="single-row",
        key=key,
    )


def _open(key: str, keys: list[str], subject: str) -> None:
    selected = st.session_state[key].selection.rows
    if not selected:
        return
    chosen = keys[selected[0]]
    if subject == "partners":
        nav.open_profile(chosen)
    else:
        nav.open_topic(chosen)
