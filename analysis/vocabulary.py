"""The words of the engagement record (spec §2, §3): its values, their order and labels.

Extraction writes these values, aggregation counts them and the dashboard shows them, so
they are defined here once: a value the extractor can produce is one a filter offers, and
a chart, the sidebar and a download call it by the same label. Topics are data
(``data/topics.toml``: id, label and cues), so their ids and labels are read from there.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TOPICS_FILE = DATA_DIR / "topics.toml"

# spec §1: a local time without an offset is Kazakhstan's, UTC+5 all year since 2024-03-01
# (and Astana's before then); the calendar day of an article is its day there.
KZ_TZ = dt.timezone(dt.timedelta(hours=5), "UTC+05:00")

# spec §2 event_type, in the order the spec lists them.
EVENT_TYPES: tuple[str, ...] = (
    "meeting",
    "visit",
    "briefing",
    "message",
    "phone_call",
    "signing",
    "conference",
    "credentials",
    "other",
)
# spec §2 kz_actor_level, most senior first: the record keeps the first one present.
ACTOR_LEVELS: tuple[str, ...] = (
    "president",
    "prime_minister",
    "foreign_minister",
    "deputy_foreign_minister",
    "minister",
    "parliament",
    "ambassador",
    "embassy",
    "other",
)
SENIORITY: dict[str, int] = {level: rank for rank, level in enumerate(ACTOR_LEVELS)}
# spec §3: the format of an engagement.
FORMATS: tuple[str, ...] = ("bilateral", "multilateral")
# spec §1: the language of an article.
LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")

_LABELS = {
    "en": "English",
    "ru": "Russian",
    "kk": "Kazakh",
    "phone_call": "Phone call",
    "prime_minister": "Prime minister",
    "foreign_minister": "Foreign minister",
    "deputy_foreign_minister": "Deputy foreign minister",
}


def label(value: str) -> str:
    """Display label of an event type, actor level, format or topic id.

    One function for the sidebar, the charts, the tables and the downloads, so that a
    value reads the same everywhere ("Phone call", never "Phone Call" in one place).
    """
    value = str(value)
    topic = topic_labels().get(value)
    if topic:
        return topic
    known = _LABELS.get(value)
    if known:
        return known
    words = value.replace("_", " ")
    return words.upper() if len(words) <= 2 else words.capitalize()


@functools.cache
def topic_labels() -> dict[str, str]:
    """Topic id -> display label, in taxonomy order (``topics.toml``; empty without it)."""
    if not TOPICS_FILE.exists():
        return {}
    with TOPICS_FILE.open("rb") as fh:
        tables = tomllib.load(fh)
    return {
        key: str(spec.get("label") or key.replace("_", " ").capitalize())
        for key, spec in tables.items()
        if isinstance(spec, dict)
    }


def topic_ids() -> tuple[str, ...]:
    """The topics the extractor can assign, in taxonomy order."""
    return tuple(topic_labels())


__all__ = [
    "ACTOR_LEVELS",
    "EVENT_TYPES",
    "FORMATS",
    "KZ_TZ",
    "SENIORITY",
    "label",
    "topic_ids",
    "topic_labels",
]
