"""Articles: the filtered list (the sidebar search narrows it) and the evidence card.

Scraped text is only ever shown as dataframe cells (plain text) or through
``dashboard.evidence``, which escapes every piece before highlighting it.
"""

from __future__ import annotations

import functools
import urllib.parse

import pandas as pd
import streamlit as st

from analysis import countries
from analysis.aggregate import Data
from analysis.vocabulary import label
from dashboard import downloads, evidence, nav, ui
from dashboard.views import event_card

DATE_SOURCES = {
    "stamp": "the stamp line above it in a listing",
    "dateline": "a date line in the article",
    "header": "the page's date header",
    "published": "the feed's published field",
    "file_time": "the file's modification time (a guess)",
}
MAX_CHOICES = 2000  # a selectbox sends every option to the browser
COLUMNS = {
    "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "url": st.column_config.LinkColumn(
        "Source", display_text=r"https?://(?:www\.)?([^/?#]+)", width="small"
    ),
    "partners": st.column_config.TextColumn("Partners", width="medium"),
    "event_type": st.column_config.TextColumn("Event", width="small"),
    "kz_actor_level": st.column_config.TextColumn("Kazakh actor", width="small"),
    "topics": st.column_config.TextColumn("Topics", width="medium"),
}
VISIBLE_ROWS = 20  # the table's height in rows; it scrolls beyond


def render(ctx: ui.Context) -> None:
    if ctx.empty:
        ui.empty_state()
        return
    st.caption(
        f"{ctx.view.n_articles:,} articles. Use the sidebar search to narrow the "
        "list; select a row to open its evidence card."
    )
    rows = listing(ctx.view.articles)
    table(rows, key="articles-table", switch=False)
    left, right = st.columns(2)
    with left:
        downloads.csv_button(
            article_export(ctx.view), "articles", ctx.period, "All articles", ctx.selection
        )
    with right:
        engagements = ctx.view.engagements.drop(columns="article")
        downloads.csv_button(
            engagements, "engagements", ctx.period, "All engagements", ctx.selection
        )
    st.divider()
    card_picker(ctx.data, rows)


def article_export(view: Data) -> pd.DataFrame:
    """The filtered articles with every stored column (evidence as its JSON text)."""
    return view.articles.reset_index(drop=True)


def table(rows: pd.DataFrame, key: str, switch: bool = True) -> None:
    """The :func:`listing` rows; selecting one opens that article's evidence card."""
    st.dataframe(
        rows,
        column_config=COLUMNS,
        column_order=list(COLUMNS),
        hide_index=True,
        width="stretch",
        height=38 + 35 * min(VISIBLE_ROWS, max(len(rows), 1)),
        on_select=functools.partial(_open_selected, key, rows["id"].tolist(), switch),
        selection_mode="single-row",
        key=key,
    )


def listing(articles: pd.DataFrame) -> pd.DataFrame:
    """One display row per article: list columns joined, codes made readable."""
    rows = articles.sort_values(["date", "title"], ascending=[False, True])
    partners = [
        _join([*map(country_name, codes or []), *(orgs or [])])
        for codes, orgs in zip(rows["partner_countries"], rows["partner_orgs"], strict=True)
    ]
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "date": rows["date"].to_numpy(),
            "title": rows["title"].to_numpy(),
            "url": [safe_url(u) for u in rows["url"]],
            "partners": partners,
            "event_type": [_code_label(v) for v in rows["event_type"]],
            "kz_actor_level": [_code_label(v) for v in rows["kz_actor_level"]],
            "topics": [_join(map(label, t or [])) for t in rows["topics"]],
        }
    )


def safe_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL with a host, else None: a scraped
    ``javascript:`` or ``data:`` link never becomes clickable."""
    if not isinstance(value, str):
        return None
    parts = urllib.parse.urlsplit(value.strip())
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def timeline_rows(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per dated article for the profile's time line: date, event type, title
    (oldest first)."""
    dated = articles[articles["date"].notna()].sort_values("date")
    return pd.DataFrame(
        {
            "date": dated["date"].to_numpy(),
            "event_type": [_code_label(v) for v in dated["event_type"]],
            "title": dated["title"].fillna("").astype(str).to_numpy(),
        }
    )


def _join(items: object) -> str:
    return ", ".join(items) or "—"  # type: ignore[arg-type]


def _code_label(value: object) -> str:
    return label(str(value)) if pd.notna(value) else "—"


@functools.cache
def _names() -> dict[str, str]:
    table = countries.country_table()
    return dict(zip(table["iso3"], table["name"], strict=True))


def country_name(iso3: str) -> str:
    return _names().get(iso3, iso3)


def _open_selected(key: str, ids: list[str], switch: bool) -> None:
    selected = st.session_state[key].selection.rows
    if selected:
        nav.open_article(ids[selected[0]], switch=switch)


def card_picker(data: Data, rows: pd.DataFrame) -> None:
    """The article chooser (seeded from ``?article=<id>``) and its evidence card.

    It offers the newest ``MAX_CHOICES`` listed articles (the search narrows the list),
    plus the article a shared link names, whatever the filters.
    """
    shown = rows.head(MAX_CHOICES)
    labels = dict(zip(shown["id"], map(_option, shown["date"], shown["title"]), strict=True))
    wanted = st.session_state.get(nav.ARTICLE) or st.query_params.get(nav.ARTICLE)
    if wanted not in labels and (linked := find(data, wanted)) is not None:
        labels = {wanted: _option(linked["date"], linked["title"]), **labels}
    nav.seed(nav.ARTICLE, list(labels))
    chosen = st.selectbox(
        "Evidence card",
        list(labels),
        index=None,
        format_func=labels.get,
        key=nav.ARTICLE,
        on_change=nav.on_change,
        args=(nav.ARTICLE,),
        placeholder="Choose an article, or select a row above",
    )
    if chosen:
        event_card.render(data, chosen)
        evidence_card(find(data, chosen))


def find(data: Data, article_id: object) -> pd.Series | None:
    """The stored article with this id, or None (a stale or hand-made link)."""
    if not isinstance(article_id, str):
        return None
    hits = data.articles[data.articles["id"] == article_id]
    return hits.iloc[0] if len(hits) else None


def _option(date: pd.Timestamp, title: object) -> str:
    text = " ".join(str(title or "(untitled)").split())
    return f"{date:%Y-%m-%d} · {text[:110]}"


def evidence_card(row: pd.Series) -> None:
    """Date and where it came from, source, the extracted fields, and the text with the
    words that decided them highlighted."""
    with st.container(border=True):
        ui.key_values(facts(row))
        spans = evidence.parse(row["evidence"])
        st.html(evidence.card(str(row["title"] or ""), str(row["text"] or ""), spans))
        if spans:
            with st.expander(f"Evidence ({len(spans)} items)"):
                st.dataframe(pd.DataFrame([vars(s) for s in spans]), hide_index=True)


def _named(iso3: str) -> str:
    return f"{country_name(iso3)} ({iso3})"


def facts(row: pd.Series) -> dict[str, str]:
    """The card's header: date and its origin, source, URL and the extracted fields."""
    source = DATE_SOURCES.get(str(row["date_source"]), str(row["date_source"]))
    items = {
        "Date": f"{row['date']:%Y-%m-%d} (from {source})",
        "Source files": "; ".join(row["source_files"] or [row["source_file"] or ""]),
        "URL": str(row["url"]) if pd.notna(row["url"]) and row["url"] else "—",
        "Partner countries": _join(map(_named, row["partner_countries"] or [])),
        "Partner organisations": _join(row["partner_orgs"] or []),
        "Location": _named(row["location_country"]) if pd.notna(row["location_country"]) else "—",
        "Event type": _code_label(row["event_type"]),
        "Kazakh actor level": _code_label(row["kz_actor_level"]),
        "Topics": _join(map(label, row["topics"] or [])),
    }
    return items
