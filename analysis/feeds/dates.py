"""Dates as feeds print them (spec §1): stamps, date lines, datelines, ISO values from exports.

Month names come from the Unicode CLDR through Babel for every language the feeds are in
(English, Russian, Kazakh): full names in both grammatical cases ("мая", "май"), the
abbreviations, and any unambiguous start of a name of three letters or more ("Фев.",
"Sept"), so no month list is typed here. Only a line that *is* a date is read as one,
and a dateline only with its year: a date inside a sentence ("On 13 September 2019, …")
or a year-less dateline ("Almaty. February 10.") does not date the article.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from babel.dates import get_month_names

from analysis.vocabulary import KZ_TZ

LOCALES = ("en", "ru", "kk")  # the feeds' languages (spec §1)
MIN_MONTH_PREFIX = 3
MAX_DATE_LINE = 60  # a date line is short; the guard also keeps the patterns linear


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Every CLDR name and abbreviation of a month in LOCALES, lower-case, without dots."""
    names: dict[str, int] = {}
    for locale in LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names[name.lower().rstrip(".")] = number
    return names


@lru_cache(maxsize=4096)
def month_number(word: str) -> int | None:
    """A month's number from its name, abbreviation or unambiguous start; else None."""
    word = word.lower().rstrip(".")
    names = month_names()
    if word in names:
        return names[word]
    if len(word) < MIN_MONTH_PREFIX:
        return None
    found = {n for name, n in names.items() if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


_MON = r"(?P<mon>[^\W\d_]{3,12}\.?)"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_YEAR_WORD = r"(?:\s?(?:г\.|года|год|ж\.|жыл\w{0,4}))?"  # "2025 г.", "2017 года", "2025 ж."
# The forms a date takes, each with the same named groups (d, mon or m, y).
DATE_FORMS = (
    rf"{_DAY}\s{{1,3}}{_MON},?\s{{1,3}}{_YEAR}{_YEAR_WORD}",  # 28 May 2025, 28 мая 2025 г.
    rf"{_MON}\s{{1,3}}{_DAY},?\s{{1,3}}{_YEAR}",  # May 28, 2025; Фев. 22, 2022
    rf"{_YEAR}\s?(?:жылғы|ж\.)?\s{{1,3}}{_DAY}\s{{1,3}}{_MON}",  # 2025 жылғы 28 мамыр
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})",  # 2019-05-14
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})",  # 04.07.2024
)
_TIME = r"\[?(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::\d{2})?\]?"
_TIME2 = _TIME.replace("hh", "hh2").replace("mm", "mm2")
_LABEL = r"(?:(?:published|publication|updated|date|опубликовано|дата)\s?:?\s?)?"
_LEAD = r"^\s{0,8}[•·*]?\s?"  # indentation and a bullet some sites print before the date
# What may follow a date on its line: a view count (stamps), an agency (" - TODAY.AZ").
_TAIL = r"(?:\s?[-–—|]\s?[\w.@ ]{1,24}|\s\d{1,9})?\s{0,8}$"
# A line that is only a date, with a time before or after it.
DATE_LINE_RES = [
    re.compile(
        rf"{_LEAD}{_LABEL}(?:{_TIME},?\s{{1,3}})?{form}(?:(?:,?\s{{1,3}}|\s?[-–—]\s?|T){_TIME2})?{_TAIL}",
        re.IGNORECASE,
    )
    for form in DATE_FORMS
]
# A dateline with a full date opening the body: "Baku, 7 September 2022 (Trend): ...",
# "АСТАНА, 30 ноября, 2017 года – ...", "ASTANA (Agency - 18th April, 2023) ...",
# "20 February 2026. A briefing ...".
_PLACE = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w'-]{1,25}(?:[ -][\w'-]{1,25}){0,2}"
BODY_DATELINE_RES = [
    re.compile(
        rf"^\s{{0,8}}(?:{_PLACE}(?:,\s?[A-ZА-Я]\w{{1,20}})?(?:,\s?|\s?\([^()]{{0,40}}?-\s?))?"
        rf"{form}"
        r"\s?(?:\([^()]{0,30}\))?\s?[.:–—)-]",
        re.IGNORECASE,
    )
    for form in DATE_FORMS[:2]
]
BODY_DATELINE_RE = BODY_DATELINE_RES[0]
# An agency dateline opening a body: "ASTANA. KAZINFORM – ", "NEW YORK. ", "BAKU, 7 Sept (Trend) -".
DATELINE_RE = re.compile(
    r"^(?:[A-ZА-ЯЁ]{2}[A-ZА-ЯЁ'-]*(?: [A-ZА-ЯЁ'-]+){0,3})\.\s+(?:[A-ZА-ЯЁ]{3,}\s*[–—-]+\s*)?"
)

HEADER_RE = re.compile(r"^\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\b(.*)$")
STAMP_RE = re.compile(
    r"^\s*(\d{2})\.(\d{2})\.(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+(\d+))?\s*$"
)
STAMP_IN_HEADER_RE = re.compile(
    r"^\s*(\d{2})\.(\d{2})\.(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+\d+\b"
)

DateInfo = tuple[dt.date, dt.datetime | None]


def _stamp_datetime(m: re.Match[str]) -> dt.datetime | None:
    day, month, year, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=KZ_TZ)
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> DateInfo | None:
    """The date (and local time, if printed) a date pattern matched; None if impossible."""
    groups = m.groupdict()
    month = int(groups["m"]) if groups.get("m") else month_number(groups["mon"])
    if month is None:
        return None
    try:
        day = dt.date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    hour, minute = groups.get("hh") or groups.get("hh2"), groups.get("mm") or groups.get("mm2")
    when = None
    if hour is not None:
        try:
            when = dt.datetime.combine(day, dt.time(int(hour), int(minute)), tzinfo=KZ_TZ)
        except ValueError:
            when = None
    return day, when


def parse_date_line(line: str) -> DateInfo | None:
    """A line that is only a date (and maybe a time, a view count) → its date; else None."""
    if len(line) > MAX_DATE_LINE:
        return None
    for rx in DATE_LINE_RES:
        m = rx.match(line)
        if m and (found := _from_match(m)):
            return found
    return None


BODY_DATELINE_LINES = 3  # a page may repeat its title above the dateline paragraph


def parse_body_dateline(text: str) -> DateInfo | None:
    """The full date of a dateline opening one of the body's first paragraphs; a year-less
    one gives None."""
    for line in text.split("\n", BODY_DATELINE_LINES)[:BODY_DATELINE_LINES]:
        for rx in BODY_DATELINE_RES:
            m = rx.match(line[:120])
            if m and (found := _from_match(m)):
                return found[0], None
    return None


def parse_published(value: str) -> DateInfo:
    """ISO date or datetime from an export. Naive times are Kazakhstan's local time.

    The article's date is its day in Kazakhstan (UTC+5), the calendar every other
    format uses, so ``2021-03-04T19:30Z`` (00:30 in Astana) is dated 5 March.
    """
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value), None
    when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=KZ_TZ)
    return when.astimezone(KZ_TZ).date(), when


def _file_date(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, KZ_TZ).date()
