"""Dates as users write them, and which dates can be true for this data.

Kazakhstan's Foreign Ministry dates from 1991, and nothing is published tomorrow: an
article dated outside that span is a typo'd year (``0205-02-03``) or a parser's guess,
and one such date must neither stretch every chart over eighteen centuries nor crash the
date arithmetic of the KPI cards (``datetime.date`` ends at year 1).
"""

from __future__ import annotations

import datetime as dt
import re

from analysis.vocabulary import KZ_TZ

FIRST_PLAUSIBLE = dt.date(1991, 1, 1)
DATE_FORMATS = "YYYY-MM-DD or DD.MM.YYYY (day first, as Kazakhstan writes it)"

_ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def last_plausible(now: dt.datetime | None = None) -> dt.date:
    """Tomorrow in Kazakhstan: a feed's clock may run a little ahead, never a day more."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(KZ_TZ).date() + dt.timedelta(days=1)


def plausible_span(now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    return FIRST_PLAUSIBLE, last_plausible(now)


def is_plausible(day: dt.date, now: dt.datetime | None = None) -> bool:
    first, last = plausible_span(now)
    return first <= day <= last


def implausible_message(day: dt.date) -> str:
    """The ingest warning for an article dated outside :func:`plausible_span`."""
    first, last = plausible_span()
    return (
        f"date {day.isoformat()} is outside {first.isoformat()}..{last.isoformat()} "
        "(a typo in the year?): kept, but left out of the charts' default range"
    )


def parse_day(text: str) -> dt.date:
    """A day typed by a user: ISO ``2025-02-01`` or day-first ``01.02.2025``, nothing else
    (no "now", no month-first guessing); ``ValueError`` names what is accepted."""
    value = text.strip()
    iso, day_first = _ISO_RE.fullmatch(value), _DAY_FIRST_RE.fullmatch(value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError as err:
        raise ValueError(f"{text!r} is not a calendar day: {err}") from None
    raise ValueError(f"{text!r} is not a date: write {DATE_FORMATS}")
