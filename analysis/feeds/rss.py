"""RSS and Atom feeds (``.xml``, ``.rss``, ``.atom``) → one article per item.

feedparser reads every RSS and Atom dialect ministries and agencies publish, with their
encodings and their broken XML (it says so in ``bozo`` and reads on). An item's text is
its full content when the feed carries it (``content:encoded``, Atom ``content``), else
its summary; :mod:`analysis.fetch` replaces a summary with the linked page. The date is
the item's own (``published``, else ``updated``); an item without one stays undated
(``date_source = "undated"``), as every format's does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import feedparser

from analysis.feeds.html_pages import fragment_text, web_url
from analysis.feeds.model import UNDATED, Article, FeedWarning, ParseResult
from analysis.feeds.text import _first_sentence
from analysis.feeds.web_dates import Dated, parse_web_date

SUFFIXES = {".xml", ".rss", ".atom"}
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
FEED_HEADS = (b"<rss", b"<feed", b"<rdf:rdf", b"<?xml")


@dataclass(slots=True)
class FeedItem:
    """One item as the feed gave it, before it becomes an article."""

    index: int  # 1-based position in the feed: what a warning names
    title: str
    link: str | None
    dated: Dated | None
    content: str  # plain text of the full content, "" when the feed has only a summary
    summary: str  # plain text of the summary


@dataclass(slots=True)
class Feed:
    items: list[FeedItem] = field(default_factory=list)
    warnings: list[FeedWarning] = field(default_factory=list)
    readable: bool = True


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """A response is a feed by its declared type, or by its first tag when it is vague."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in FEED_TYPES[:2]:
        return True
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(FEED_HEADS) and b"<html" not in data[:2048].lower()


def read_feed(data: bytes, file: str) -> Feed:
    """The items of a feed; a feed that cannot be read at all is one warning.

    A stream, never a string: feedparser opens a ``str`` or ``bytes`` that names a URL or
    a local file, and a fetched body is whatever the server sent.
    """
    feed = Feed()
    stream = io.BytesIO(data)
    parsed = feedparser.parse(stream, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        message = "malformed feed" if parsed.get("bozo") else "feed without items"
        feed.warnings.append(FeedWarning(file, None, f"{message}{reason}, nothing read"))
        feed.readable = not parsed.get("bozo") and bool(parsed.get("version"))
        return feed
    if parsed.get("bozo"):
        feed.warnings.append(
            FeedWarning(file, None, f"malformed feed ({parsed.get('bozo_exception')}); read on")
        )
    for index, entry in enumerate(parsed.entries, start=1):
        feed.items.append(_item(entry, index))
    return feed


def _item(entry: feedparser.FeedParserDict, index: int) -> FeedItem:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    summary = fragment_text(entry.get("summary", ""))
    content = fragment_text(max(contents, key=len)) if contents else ""
    when = parse_web_date(entry.get("published")) or parse_web_date(entry.get("updated"))
    return FeedItem(
        index=index,
        title=" ".join(fragment_text(entry.get("title", "")).split()),
        link=web_url(entry.get("link")),
        dated=when,
        content=content,
        summary=summary,
    )


def item_article(
    item: FeedItem, file: str, text: str | None = None, dated: Dated | None = None
) -> tuple[Article | None, FeedWarning | None]:
    """An item as an article, from ``text`` (its linked page's) or its own; a warning if
    it has no title or no text. ``dated`` is the page's date, used when the item has none
    of its own; with neither it stays undated (never the fetch time)."""
    where = f"item {item.index}"
    body = text or item.content or item.summary
    title = item.title or (_first_sentence(body) if body else "")
    dated = item.dated or dated
    problem = "no text" if not body else "no title" if not title else None
    if problem:
        message = f"{where} ({item.link or 'no link'}): {problem}; skipped"
        return None, FeedWarning(file, None, message)
    day, when = dated or (None, None)
    source = "published" if dated else UNDATED
    lines = (item.index, item.index)
    return Article(title, body, day, source, file, *lines, when, item.link), None


def parse_feed(text_or_data: str | bytes, file: str, path: object = None) -> ParseResult:
    """A feed file: every item with its own content or summary (nothing is fetched)."""
    del path
    data = text_or_data.encode("utf-8") if isinstance(text_or_data, str) else text_or_data
    feed = read_feed(data, file)
    result = ParseResult(warnings=feed.warnings, readable=feed.readable)
    for item in feed.items:
        article, warning = item_article(item, file)
        if article:
            result.articles.append(article)
        else:
            result.warnings.append(warning)
            result.rejected += 1
    return result
