"""Dates as web pages and feeds write them, read with the feed parser's own date rules.

Markup and feeds carry a date in one of three shapes: ISO 8601 (``article:published_time``,
JSON-LD, ``<time datetime>``, Atom), RFC 822 (RSS ``pubDate``), or a human date line
(``7 December 2020, 17:11``). The first and last are what the other formats already read
(:mod:`analysis.feeds.dates`), so they go through it and every format dates alike (naive
times are Kazakhstan's, the day is the day in Astana); RFC 822 is the standard library's.
"""

from __future__ import annotations

import datetime as dt
import email.utils

from analysis.feeds.dates import parse_date_line, parse_published
from analysis.vocabulary import KZ_TZ

Dated = tuple[dt.date, dt.datetime | None]


def parse_web_date(value: object) -> Dated | None:
    """A date string from markup or a feed → (day in Kazakhstan, instant or None)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        return None
    value = value.strip()
    try:
        return parse_published(value)
    except (ValueError, OverflowError):
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return parse_date_line(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=KZ_TZ)
    try:
        return when.astimezone(KZ_TZ).date(), when
    except OverflowError:
        return None
