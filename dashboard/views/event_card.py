"""The event card: the occurrence an article reports, and every report of it.

Shown above an article's evidence card: the event's date (its earliest report), type,
partners, Kazakh actor and format, and its reports with source, date, language, title
and link; selecting a report opens its own evidence card. Cells are plain text and a
link is shown only when it is http(s), so scraped values cannot inject anything.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from analysis.aggregate import Data
from analysis.event_reports import Event, event_of
from analysis.vocabulary import label
from dashboard import nav, ui

LANGUAGES = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
COLUMNS = {
    "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small"),
    "source": st.column_config.TextColumn("Source"),
    "language": st.column_config.TextColumn("Language", width="small"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "url": st.column_config.LinkColumn("Link", display_text="open"),
}


def render(data: Data, article_id: str) -> None:
    """The card of the event ``article_id`` reports (nothing for an unknown id)."""
    event = event_of(data, article_id)
    if event is None:
        return
    count = len(event.reports)
    with st.container(border=True):
        st.markdown(f"**Event** · reported {count} time{'s' if count != 1 else ''}")
        ui.key_values(fields(event))
        rows = reports(event)
        st.dataframe(
            rows,
            column_config=COLUMNS,
            column_order=list(COLUMNS),
            hide_index=True,
            width="stretch",
            height=38 + 35 * len(rows),
            on_select=functools.partial(_open, f"event-{event.event_id}", list(rows["id"])),
            selection_mode="single-row",
            key=f"event-{event.event_id}",
        )
        st.caption("Select a report to open its evidence card.")


def fields(event: Event) -> dict[str, str]:
    """The event's header: its date and the union of its reports' fields."""
    partners = [*event.partner_countries, *event.partner_orgs]
    return {
        "Date": f"{event.date:%Y-%m-%d} (earliest report)" if event.date else "undated",
        "Event type": label(event.event_type) if event.event_type else "—",
        "Kazakh actor": label(event.kz_actor_level) if event.kz_actor_level else "—",
        "Partners": ", ".join(partners) or "—",
        "Format": label(event.format) if event.format else "— (no partner)",
        "Topics": ", ".join(map(label, event.topics)) or "—",
    }


def reports(event: Event) -> pd.DataFrame:
    """The reports as display rows: languages named, links only when http(s)."""
    rows = event.reports.copy()
    rows["language"] = rows["language"].map(LANGUAGES).fillna(rows["language"])
    rows["url"] = [u if isinstance(u, str) and u.startswith(("https://", "http://")) else None
                   for u in rows["url"]]  # fmt: skip
    return rows


def _open(key: str, ids: list[str]) -> None:
    selected = st.session_state[key].selection.rows
    if selected:
        nav.open_article(ids[selected[0]], switch=False)
