"""Dates as feeds print them: stamps, date lines, datelines, ISO values from exports."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from analysis.vocabulary import KZ_TZ

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan", "января", "январь"),
            ("february", "feb", "февраля", "февраль"),
            ("march", "mar", "марта", "март"),
            ("april", "apr", "апреля", "апрель"),
            ("may", "мая", "май"),
            ("june", "jun", "июня", "июнь"),
            ("july", "jul", "июля", "июль"),
            ("august", "aug", "августа", "август"),
            ("september", "sep", "sept", "сентября", "сентябрь"),
            ("october", "oct", "октября", "октябрь"),
            ("november", "nov", "ноября", "ноябрь"),
            ("december", "dec", "декабря", "декабрь"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

HEADER_RE = re.compile(r"^\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\b(.*)$")
STAMP_RE = re.compile(
    r"^\s*(\d{2})\.(\d{2})\.(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+(\d+))?\s*$"
)
STAMP_IN_HEADER_RE = re.compile(
    r"^\s*(\d{2})\.(\d{2})\.(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+\d+\b"
)
# A line that is only a date (with optional time): "7 December 2020, 17:11", "2019-05-14",
# "21 December 2015 [16:34]", "Publication: 04.07.2024", "18 June 2025".
DATE_LINE_RES = [
    re.compile(
        rf"^\s*(?:published|publication|date)?:?\s*(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})"
        r"(?:\s*(?:г\.?)?,?\s*\[?\s*(\d{1,2}):(\d{2})\s*\]?)?\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^\s*(?:published|publication|date)?:?\s*({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
        r"(?:\s*,?\s*\[?\s*(\d{1,2}):(\d{2})\s*\]?)?\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\s*(?:published|publication|date)?:?\s*(\d{4})-(\d{2})-(\d{2})"
        r"(?:[ T,]+(\d{1,2}):(\d{2})(?::\d{2})?)?\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\s*(?:published|publication|date)?:?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})"
        r"(?:,?\s+(\d{1,2}):(\d{2})(?::\d{2})?)?\s*$",
        re.IGNORECASE,
    ),
]
# A dateline that carries a full date at the start of the body: "Baku, 7 September 2022 (Trend):"
BODY_DATELINE_RE = re.compile(
    rf"^\s*[A-ZА-Я][\w .'-]{{1,40}},\s+(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b"
    r"[^.]{0,40}?[:–—-]",
    re.IGNORECASE,
)
# An agency dateline opening a body: "ASTANA. KAZINFORM – ", "NEW YORK. ", "BAKU, 7 Sept (Trend) -".
DATELINE_RE = re.compile(
    r"^(?:[A-ZА-ЯЁ]{2}[A-ZА-ЯЁ'-]*(?: [A-ZА-ЯЁ'-]+){0,3})\.\s+(?:[A-ZА-ЯЁ]{3,}\s*[–—-]+\s*)?"
)


def _stamp_datetime(m: re.Match[str]) -> dt.datetime | None:
    day, month, year, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=KZ_TZ)
    except ValueError:
        return None


def parse_date_line(line: str) -> tuple[dt.date, dt.datetime | None] | None:
    """A line that is only a date (and maybe a time) → its date; else None."""
    if len(line) > 60:
        return None
    for i, rx in enumerate(DATE_LINE_RES):
        m = rx.match(line)
        if not m:
            continue
        g = m.groups()
        try:
            if i == 0:
                y, mo, d = int(g[2]), MONTHS[g[1].lower()], int(g[0])
            elif i == 1:
                y, mo, d = int(g[2]), MONTHS[g[0].lower()], int(g[1])
            elif i == 2:
                y, mo, d = int(g[0]), int(g[1]), int(g[2])
            else:
                y, mo, d = int(g[2]), int(g[1]), int(g[0])
            day = dt.date(y, mo, d)
        except ValueError:
            return None
        when = None
        if g[3] is not None:
            try:
                when = dt.datetime.combine(day, dt.time(int(g[3]), int(g[4])), tzinfo=KZ_TZ)
            except ValueError:
                when = None
        return day, when
    return None


def parse_published(value: str) -> tuple[dt.date, dt.datetime | None]:
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
