"""One event and the reports behind it: what the dashboard's event card shows.

An event's date is its earliest report's; its partners and topics are the union of what
its reports say (spec §3); its type and Kazakh actor are its reports' (equal by the
clustering rule). Each report keeps its source, date, language, title and link, so a
reader can check every one of them against its evidence card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from analysis.data import Data

_KAZAKH = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC = re.compile("[а-яёА-ЯЁ]")


@dataclass(frozen=True)
class Event:
    """An event's fields (the union of its reports') and its reports, earliest first."""

    event_id: str
    date: pd.Timestamp | None
    event_type: str | None
    kz_actor_level: str | None
    partner_countries: tuple[str, ...]
    partner_orgs: tuple[str, ...]
    topics: tuple[str, ...]
    format: str | None
    reports: pd.DataFrame  # id, date, source, language, title, url


def language(title: object, text: object) -> str:
    """``kk``, ``ru`` or ``en`` for an article stored without its ``lang``: Kazakh
    letters, else Cyrillic, else Latin script."""
    sample = f"{title or ''} {str(text or '')[:400]}"
    if _KAZAKH.search(sample):
        return "kk"
    return "ru" if _CYRILLIC.search(sample) else "en"


def event_of(data: Data, article_id: str) -> Event | None:
    """The event that the article ``article_id`` reports (None for an unknown id)."""
    articles = data.base.articles
    hit = articles.loc[articles["id"] == article_id, "event_id"]
    if hit.empty:
        return None
    rows = articles[articles["event_id"] == hit.iloc[0]]
    rows = rows.sort_values(["date", "id"], na_position="last")
    first = rows.iloc[0]
    return Event(
        event_id=str(hit.iloc[0]),
        date=first["date"] if pd.notna(first["date"]) else None,
        event_type=_value(first["event_type"]),
        kz_actor_level=_value(first["kz_actor_level"]),
        partner_countries=_union(rows["partner_countries"]),
        partner_orgs=_union(rows["partner_orgs"]),
        topics=_union(rows["topics"]),
        format=_value(first["format"]),
        reports=_reports(rows),
    )


def _reports(rows: pd.DataFrame) -> pd.DataFrame:
    urls = rows["url"].tolist()
    files = [[] if pd.api.types.is_scalar(f) else list(f) for f in rows["source_files"]]
    sources = [
        _source(url, found, one)
        for url, found, one in zip(urls, files, rows["source_file"], strict=True)
    ]
    stored = rows["lang"] if "lang" in rows else pd.Series(None, index=rows.index)
    texts = zip(stored, rows["title"], rows["text"], strict=True)
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "date": rows["date"].to_numpy(),
            "source": sources,
            "language": [_language(*fields) for fields in texts],
            "title": rows["title"].to_numpy(),
            "url": urls,
        }
    )


def _language(lang: object, title: object, text: object) -> str:
    return str(lang) if pd.notna(lang) else language(title, text)


def _source(url: object, files: list[str], file: object) -> str:
    """Who published it: the link's host, else the file it was read from."""
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return str(files[0] if files else file or "—")


def _union(values: pd.Series) -> tuple[str, ...]:
    lists = (items for items in values if not pd.api.types.is_scalar(items))
    return tuple(sorted({item for items in lists for item in items}))


def _value(value: object) -> str | None:
    return None if pd.isna(value) else str(value)
