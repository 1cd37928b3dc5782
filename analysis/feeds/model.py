"""The article and the warnings every reader returns; identity and de-duplication.

One article is one article whatever file, order or batch it came in: its id is spec §2's
normalised title + date, and :func:`dedupe` keeps the same preferred copy of it in any order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from analysis.identity import INVISIBLE_RE, normalise_key


@dataclass(slots=True)
class FeedWarning:
    """A problem found in one file (and line): shown to the user, never fatal."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


UNDATED = "undated"  # date_source of an article with no date of its own or of its page
FILE_TIME = "file_time"  # date_source of a date guessed from the file's time, on request only


def article_id(title: str, text: str, date: dt.date | None, date_source: str) -> str:
    """Spec §2 identity: normalised title + date, or the body when there is no title.

    A date guessed from the file's time is no part of it: copying or touching a file must
    not turn its articles into new ones.
    """
    key = normalise_key(title) or "body:" + normalise_key(text)
    day = date.isoformat() if date is not None and date_source != FILE_TIME else ""
    return hashlib.sha1(f"{key}|{day}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class Article:
    """One news item as the feed gave it, with where it came from and how it was dated."""

    title: str
    text: str
    date: dt.date | None  # None: undated (spec §1), never the day it was read
    date_source: str  # stamp | dateline | header | published | file_time | undated
    source_file: str
    line_start: int
    line_end: int
    datetime: dt.datetime | None = None
    url: str | None = None
    source_files: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Every reader builds its articles here, so this is the one place a title is
        # cleaned of characters that print as nothing (a CMS's zero-width space, a soft
        # hyphen) before it is stored, shown and searched.
        if not self.title.isascii():
            self.title = INVISIBLE_RE.sub("", self.title)

    @property
    def id(self) -> str:
        return article_id(self.title, self.text, self.date, self.date_source)


@dataclass(slots=True)
class ParseResult:
    """What one file gave: its articles and the warnings met on the way."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[FeedWarning] = field(default_factory=list)
    readable: bool = True
    rejected: int = 0  # records seen but dropped (each has a warning)


# Which copy of a repeated article is kept (see ``copy_rank``): the surest date source first.
DATE_SOURCE_RANK = {
    "stamp": 0,
    "published": 1,
    "dateline": 2,
    "header": 3,
    FILE_TIME: 4,
    UNDATED: 5,
}


def utc(when: dt.datetime | None) -> dt.datetime | None:
    """The UTC instant of a local time; None for none, or for a time early on 1 January
    of year 1 that has no UTC instant."""
    try:
        return when.astimezone(dt.UTC) if when else None
    except OverflowError:
        return None


def copy_rank(
    title: str,
    text: str,
    date_source: str,
    when: dt.datetime | None,
    source_file: str,
    line_start: int,
    line_end: int,
) -> tuple:
    """The order in which copies of one article (same id) are preferred; the smallest is
    kept. It depends only on the copy, never on the order the copies were met, so any
    order or batching of the same files gives the same stored row: the most complete
    text; then a copy with a time of day; then the surer date source (stamp, published,
    dateline, header, file time); then the longer title; then the first source file in
    sorted order and the first line in it; the text itself last, to break every tie."""
    instant = utc(when)
    return (
        -len(text),
        instant is None,
        DATE_SOURCE_RANK.get(date_source, len(DATE_SOURCE_RANK)),
        -len(title),
        source_file,
        int(line_start),
        int(line_end),
        title,
        text,
        instant.isoformat() if instant else "",
    )


def article_rank(article: Article) -> tuple:
    return copy_rank(
        article.title,
        article.text,
        article.date_source,
        article.datetime,
        article.source_file,
        article.line_start,
        article.line_end,
    )


def dedupe(articles: Iterable[Article]) -> tuple[list[Article], int]:
    """Collapse repeats of one article (spec §2 identity) to its preferred copy
    (:func:`copy_rank`), with every file it was in (sorted) and the first of its URLs in
    sorted order: the same result whatever the order of the input."""
    kept: dict[str, tuple[tuple, Article]] = {}
    files_of: dict[str, set[str]] = {}  # sets: 10,000 copies stay linear
    urls_of: dict[str, set[str]] = {}
    duplicates = 0
    for article in articles:
        key = article.id
        files_of.setdefault(key, set()).update(article.source_files or [article.source_file])
        if article.url:
            urls_of.setdefault(key, set()).add(article.url)
        rank = article_rank(article)
        best = kept.get(key)
        if best is not None:
            duplicates += 1
            if rank >= best[0]:
                continue
        kept[key] = (rank, article)
    unique = []
    for key, (_, article) in kept.items():
        article.source_files = sorted(files_of[key])
        article.url = min(urls_of[key]) if key in urls_of else None
        unique.append(article)
    return unique, duplicates
