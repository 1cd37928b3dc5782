"""Feed files in, articles out: the one place that knows the formats of spec §1.

Scraped dumps are messy and untrusted, so every reader here is defensive: a broken
file or line becomes a :class:`FeedWarning` naming the file and line, and the rest of
the input still yields its articles. Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import charset_normalizer

from analysis.identity import normalise_key
from analysis.vocabulary import KZ_TZ

FEED_SUFFIXES = {".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson", ".json", ".csv", ""}
MIN_BODY_CHARS = 120  # shorter "bodies" on a page are error notices and teasers, not news

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
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”»)\]]*(?=\s+[\"'“«(]?[A-ZА-ЯЁ0-9])")
TERMINAL_PUNCT = ".!?…:;"
CLOSERS = "\"'”»)]’"


@dataclass(slots=True)
class FeedWarning:
    """A problem found in one file (and line): shown to the user, never fatal."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Article:
    """One news item as the feed gave it, with where it came from and how it was dated."""

    title: str
    text: str
    date: dt.date
    date_source: str  # stamp | dateline | header | published | file_time
    source_file: str
    line_start: int
    line_end: int
    datetime: dt.datetime | None = None
    url: str | None = None
    source_files: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Spec §2 identity: normalised title + date, or the body when there is no title."""
        key = normalise_key(self.title) or "body:" + normalise_key(self.text)
        return hashlib.sha1(f"{key}|{self.date.isoformat()}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class ParseResult:
    """What one file gave: its articles and the warnings met on the way."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[FeedWarning] = field(default_factory=list)
    readable: bool = True
    rejected: int = 0  # records seen but dropped (each has a warning)


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex for a list of them; an empty list matches nothing."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _junk_rules() -> dict[str, re.Pattern[str]]:
    """Site-junk patterns live in a data file so users can teach the parser new sites.

    Junk lines are tested on every short line of every listing, so the patterns anchored
    at the line's start (``^``, most of them) are one regex tried there only
    (``junk_line_start``, used with ``match``); only the others are searched along the
    line: a quarter of the cost of searching them all.
    """
    path = Path(__file__).with_name("data") / "page_junk.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = {name: _any_of(patterns) for name, patterns in raw.items()}
    lines = raw.get("junk_line", [])
    rules["junk_line_start"] = _any_of([p for p in lines if p.startswith("^")])
    rules["junk_line"] = _any_of([p for p in lines if not p.startswith("^")])
    return rules


# --------------------------------------------------------------------------- decoding


# Byte-order marks of the UTF-16/32 encodings; UTF-32-LE's starts with UTF-16-LE's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\xfe\xff", "utf-16-be", 2),
)
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
MIXED_MIN_UTF8 = 4  # valid non-ASCII UTF-8 characters that make a legacy file "mixed"
MAX_LINE_WARNINGS = 20


def decode_bytes(data: bytes, file: str) -> tuple[str | None, list[FeedWarning]]:
    """Bytes → text, trusting UTF-8 first and a real detector for legacy encodings."""
    warnings: list[FeedWarning] = []
    if not data.strip():
        return None, [FeedWarning(file, None, "empty file, skipped")]
    for bom, encoding, width in _BOMS:
        if data.startswith(bom):
            return _decode_wide(data[len(bom) :], encoding, width, file)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _looks_binary(data):
        return None, [FeedWarning(file, None, _binary_message(data))]
    try:
        return _normalise_newlines(data.decode("utf-8")), warnings
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 4:
            line = data[: err.start].count(b"\n") + 1
            warnings.append(FeedWarning(file, line, "truncated UTF-8 at end of file; cut there"))
            return _normalise_newlines(data[: err.start].decode("utf-8")), warnings
    return _decode_not_utf8(data, file)


def _decode_wide(
    data: bytes, encoding: str, width: int, file: str
) -> tuple[str | None, list[FeedWarning]]:
    """UTF-16 or UTF-32 announced by a byte-order mark (Windows "Unicode" exports)."""
    warnings: list[FeedWarning] = []
    name = encoding.upper()
    cut = len(data) - len(data) % width
    if cut < len(data):
        line = _wide_line(data[:cut], encoding)
        warnings.append(FeedWarning(file, line, f"truncated {name} at end of file; cut there"))
        data = data[:cut]
    text = data.decode(encoding, errors="replace")
    if "\ufffd" in text:  # unpaired surrogates, code points beyond U+10FFFF
        bad = [i + 1 for i, ln in enumerate(text.split("\n")) if "\ufffd" in ln]
        for line in bad[:MAX_LINE_WARNINGS]:
            warnings.append(FeedWarning(file, line, f"invalid {name} replaced with U+FFFD"))
    if not text.strip():
        return None, [*warnings, FeedWarning(file, None, "empty file, skipped")]
    if _looks_binary_text(text):
        return None, [FeedWarning(file, None, "binary content (not a text feed), skipped")]
    return _normalise_newlines(text), warnings


def _wide_line(data: bytes, encoding: str) -> int:
    return data.decode(encoding, errors="replace").count("\n") + 1


def _decode_not_utf8(data: bytes, file: str) -> tuple[str | None, list[FeedWarning]]:
    """Not valid UTF-8: a legacy code page, UTF-8 with stray bytes, or a mix of the two.

    A line with bytes that are not UTF-8 *looks legacy* when it has no more valid UTF-8
    characters than bad bytes (a Cyrillic line in Windows-1251 has almost only bad
    ones). No real UTF-8 text outside such lines: the whole file is in one legacy code
    page, as the detector says. Real UTF-8 text as well: with at least one legacy-looking
    line of two or more bad bytes the file mixes encodings, and each line is decoded in
    its own, with a warning naming the lines; otherwise the bad bytes are stray, each is
    replaced with U+FFFD, with a warning naming its line.
    """
    looks_legacy: list[tuple[int, int, int, int]] = []  # (line, start, end, bad bytes)
    stray: list[int] = []
    utf8_chars = 0  # valid non-ASCII UTF-8 characters outside legacy-looking lines
    lineno, pos = 1, 0
    while m := _HIGH_BYTE_RE.search(data, pos):  # each line with a non-ASCII byte, once
        k = data.rfind(b"\n", pos, m.start())
        start = k + 1 if k >= 0 else pos
        end = data.find(b"\n", m.start())
        end = len(data) if end < 0 else end
        lineno += data.count(b"\n", pos, start)
        pos = end
        raw = data[start:end]
        try:
            utf8_chars += _non_ascii(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        line = raw.decode("utf-8", errors="replace")
        bad = line.count("\ufffd")
        valid = _non_ascii(line) - bad
        if valid <= bad:
            looks_legacy.append((lineno, start, end, bad))
        else:
            stray.append(lineno)
            utf8_chars += valid
    if utf8_chars < MIXED_MIN_UTF8:
        best = charset_normalizer.from_bytes(_detection_sample(data)).best()
        if best is not None and best.encoding not in {"utf_8", "utf_8_sig"}:
            return _normalise_newlines(data.decode(best.encoding, errors="replace")), []
    elif any(bad >= 2 for *_, bad in looks_legacy):
        return _decode_mixed(data, [x[:3] for x in looks_legacy], stray, file)
    return _with_replacements(data, file)


def _with_replacements(data: bytes, file: str) -> tuple[str | None, list[FeedWarning]]:
    """UTF-8 with a few bad bytes: each becomes U+FFFD, with a warning naming its line."""
    text = data.decode("utf-8", errors="replace")
    bad = sorted({i + 1 for i, ln in enumerate(text.split("\n")) if "\ufffd" in ln})
    if not bad or len(bad) > max(3, text.count("\n") // 2):
        return None, [FeedWarning(file, None, "undecodable text (unknown encoding), skipped")]
    warnings = [
        FeedWarning(file, line, "invalid UTF-8 bytes replaced with U+FFFD")
        for line in bad[:MAX_LINE_WARNINGS]
    ]
    return _normalise_newlines(text), warnings


def _decode_mixed(
    data: bytes, legacy: list[tuple[int, int, int]], stray: list[int], file: str
) -> tuple[str | None, list[FeedWarning]]:
    """UTF-8 and a legacy code page in one file: each line in its own encoding."""
    sample = b"\n".join(data[a:b] for _, a, b in legacy[:4096])[:DETECT_BYTES]
    best = charset_normalizer.from_bytes(sample).best()
    if best is None or best.encoding in {"utf_8", "utf_8_sig"}:
        return _with_replacements(data, file)
    encoding = best.encoding
    parts: list[str] = []
    pos = 0
    for _, start, end in legacy:
        parts.append(data[pos:start].decode("utf-8", errors="replace"))
        parts.append(data[start:end].decode(encoding, errors="replace"))
        pos = end
    parts.append(data[pos:].decode("utf-8", errors="replace"))
    warnings = []
    runs = _runs([n for n, _, _ in legacy])
    for first, last in runs[:MAX_LINE_WARNINGS]:
        lines = f"line {first}" if first == last else f"lines {first}-{last}"
        warnings.append(
            FeedWarning(file, first, f"mixed encodings: {lines} not UTF-8, decoded as {encoding}")
        )
    if len(runs) > MAX_LINE_WARNINGS:
        more = len(runs) - MAX_LINE_WARNINGS
        warnings.append(
            FeedWarning(
                file, runs[MAX_LINE_WARNINGS][0], f"mixed encodings: {more} more such blocks"
            )
        )
    for line in stray[:MAX_LINE_WARNINGS]:
        warnings.append(FeedWarning(file, line, "invalid UTF-8 bytes replaced with U+FFFD"))
    warnings.sort(key=lambda w: w.line or 0)
    return _normalise_newlines("".join(parts)), warnings


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) ranges: [3, 4, 5, 9] → [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))  # C speed, no loop


DETECT_BYTES = 1 << 18  # charset-normalizer takes ~40× what it is given (up to 10 MB)


def _detection_sample(data: bytes) -> bytes:
    """What the encoding detector sees: a small file whole, a big one from its first
    non-ASCII line on, so memory stays bounded and the sample still holds the letters."""
    if len(data) <= DETECT_BYTES:
        return data
    m = re.search(rb"[\x80-\xff]", data)
    start = data.rfind(b"\n", 0, m.start()) + 1 if m else 0
    return data[start : start + DETECT_BYTES]


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # not a Python loop
    return control > len(sample) * 0.05


def _looks_binary_text(text: str) -> bool:
    """The same test on decoded text (UTF-16 and UTF-32 files)."""
    sample = text[:8192]
    control = sum(sample.count(chr(b)) for b in _CONTROL_BYTES)
    return "\x00" in sample or control > len(sample) * 0.05


def _binary_message(data: bytes) -> str:
    """Say so when "binary" is really UTF-16 saved without its byte-order mark."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    if half >= 8:
        for zeros, encoding in ((sample[1::2], "UTF-16-LE"), (sample[0::2], "UTF-16-BE")):
            if zeros.count(0) > 0.9 * half:
                return (
                    f"binary content, skipped: looks like {encoding} without a byte-order "
                    "mark; save it as UTF-8, or as UTF-16 with a BOM"
                )
    return "binary content (not a text feed), skipped"


def _normalise_newlines(text: str) -> str:
    """LF line ends; no NULs; no byte-order marks left inside (files joined with `cat`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\x00", "").replace("\ufeff", "")


# --------------------------------------------------------------------------- dates


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


# --------------------------------------------------------------------------- text feeds


MENU_SPLIT_RE = re.compile(r"\s*[|•>/]\s*|\s{3,}")
_MENU_SEPARATOR_RE = re.compile(r"[|•>/]|\s{3}")  # where MENU_SPLIT_RE would split


def _is_title_like(line: str) -> bool:
    stripped = line.strip().rstrip(CLOSERS)
    return 0 < len(line.strip()) <= 250 and not stripped.endswith(tuple(TERMINAL_PUNCT))


MAX_JUNK_CHARS = 200  # menus, tickers and banners are short; paragraphs are skipped unread


def _is_junk(line: str) -> bool:
    s = line.strip()
    if len(s) > MAX_JUNK_CHARS:
        return False
    rules = _junk_rules()
    return bool(rules["junk_line_start"].match(s) or rules["junk_line"].search(s)) or _is_menu(s)


def _is_menu(line: str) -> bool:
    """Navigation bars: several short items split by |, •, >, / or wide gaps."""
    if not _MENU_SEPARATOR_RE.search(line):  # most lines: half the cost of splitting
        return False
    parts = [p for p in MENU_SPLIT_RE.split(line) if p.strip()]
    if len(parts) < 3 and not (len(parts) == 2 and re.search(r"[|•>/]", line)):
        return False
    return all(len(p.split()) <= 4 for p in parts) and not line.rstrip().endswith(".")


def _is_terminator(line: str) -> bool:
    return bool(_junk_rules()["section_end"].match(line.strip()))


def _first_sentence(text: str) -> str:
    text = DATELINE_RE.sub("", text.strip(), count=1)
    parts = SENTENCE_END_RE.split(text, maxsplit=1)
    return parts[0].strip()


def parse_listing(lines: list[str], file: str, header_date: dt.date | None) -> ParseResult:
    """A listing page: stamps stand before the article they date; split on them."""
    result = ParseResult()
    stamp: tuple[dt.datetime, int] | None = None
    header = HEADER_RE.match(lines[0]) if lines else None
    start = 0
    if header:
        start = 1
        m = STAMP_IN_HEADER_RE.match(header.group(2))
        if m and (when := _stamp_datetime(m)):
            stamp = (when, 1)
    block: list[tuple[int, str]] = []
    ended = False  # after "Popular", "Related news", "©"...: junk until the next stamp
    for lineno, line in enumerate(lines[start:], start=start + 1):
        m = STAMP_RE.match(line)
        if m:
            _emit_listing_block(block, stamp, header_date, file, result)
            block, ended = [], False
            when = _stamp_datetime(m)
            if when is None:
                result.warnings.append(FeedWarning(file, lineno, "stamp with an impossible date"))
            stamp = (when, lineno) if when else None
            continue
        ended = ended or _is_terminator(line)
        if not ended and not _is_junk(line):
            block.append((lineno, line))
    _emit_listing_block(block, stamp, header_date, file, result)
    return result


def _emit_listing_block(
    block: list[tuple[int, str]],
    stamp: tuple[dt.datetime, int] | None,
    header_date: dt.date | None,
    file: str,
    result: ParseResult,
) -> None:
    """One stamp's block may hold several unstamped articles (the head of a page)."""
    for i, chunk in enumerate(_split_titled_chunks(block)):
        if i == 0 and stamp is not None:
            day, when, source = stamp[0].date(), stamp[0], "stamp"
        elif header_date is not None:
            day, when, source = header_date, None, "header"
        else:
            result.warnings.append(
                FeedWarning(file, chunk[0][0], "article without stamp or page date; skipped")
            )
            result.rejected += 1
            continue
        article = _chunk_to_article(chunk, file, day, when, source)
        if article:
            result.articles.append(article)


def _split_titled_chunks(block: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Split where a title-like line follows a finished paragraph."""
    content = [(n, ln) for n, ln in block if ln.strip()]
    chunks: list[list[tuple[int, str]]] = []
    for idx, (n, ln) in enumerate(content):
        prev_done = idx > 0 and not _is_title_like(content[idx - 1][1])
        has_body = idx + 1 < len(content) and not _is_title_like(content[idx + 1][1])
        if not chunks or (prev_done and has_body and _is_title_like(ln)):
            chunks.append([])
        chunks[-1].append((n, ln))
    return chunks


def _chunk_to_article(
    chunk: list[tuple[int, str]],
    file: str,
    day: dt.date,
    when: dt.datetime | None,
    source: str,
) -> Article | None:
    if len(chunk) < 2:
        return None
    title = chunk[0][1].strip()
    text = "\n".join(ln.strip() for _, ln in chunk[1:])
    return Article(title, text, day, source, file, chunk[0][0], chunk[-1][0], when)


def parse_page(
    lines: list[str], file: str, header_date: dt.date | None, path: Path | None
) -> ParseResult:
    """A single article page: drop the site furniture, keep title, date and body."""
    result = ParseResult()
    start = 1 if lines and HEADER_RE.match(lines[0]) else 0
    numbered = [(n, ln) for n, ln in enumerate(lines[start:], start=start + 1) if ln.strip()]
    date_idx, date_info = next(
        ((i, d) for i, (_, ln) in enumerate(numbered) if (d := parse_date_line(ln))), (None, None)
    )
    body_start = _body_start(numbered, date_idx)
    if body_start is None:
        result.warnings.append(FeedWarning(file, None, "no article found on this page"))
        return result
    body: list[tuple[int, str]] = []
    for n, ln in numbered[body_start:]:
        if _is_terminator(ln):
            break
        if not _is_junk(ln) and not parse_date_line(ln):
            body.append((n, ln.strip()))
    text = "\n".join(ln for _, ln in body)
    if len(text) < MIN_BODY_CHARS or _junk_rules()["error_page"].search(text):
        result.warnings.append(FeedWarning(file, None, "no article found on this page"))
        return result
    title_line = _title_before(numbered, body_start, date_idx)
    title = title_line[1].strip() if title_line else _first_sentence(text)
    day, when, source = _page_date(text, date_info, header_date, path)
    first_line = title_line[0] if title_line else body[0][0]
    result.articles.append(Article(title, text, day, source, file, first_line, body[-1][0], when))
    return result


def _body_start(numbered: list[tuple[int, str]], date_idx: int | None) -> int | None:
    """Index of the first body paragraph: a long, finished sentence that is not junk."""
    first = 0 if date_idx is None else date_idx + 1
    for i in range(first, len(numbered)):
        ln = numbered[i][1]
        if _is_terminator(ln):
            return None
        if not _is_junk(ln) and not _is_title_like(ln) and len(ln.strip()) >= 60:
            return i
    return None


def _title_before(
    numbered: list[tuple[int, str]], body_start: int, date_idx: int | None
) -> tuple[int, str] | None:
    """The title is the last title-like, non-junk line above the date line or the body."""
    stop = date_idx if date_idx is not None and date_idx < body_start else body_start
    for i in range(stop - 1, -1, -1):
        n, ln = numbered[i]
        if _is_junk(ln) or parse_date_line(ln):
            continue
        if _is_title_like(ln) and len(ln.split()) >= 3:
            return n, ln
        return None
    return None


def _page_date(
    text: str,
    date_info: tuple[dt.date, dt.datetime | None] | None,
    header_date: dt.date | None,
    path: Path | None,
) -> tuple[dt.date, dt.datetime | None, str]:
    if date_info:
        return date_info[0], date_info[1], "dateline"
    m = BODY_DATELINE_RE.match(text)
    if m:
        try:
            day = dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            return day, None, "dateline"
        except ValueError:
            pass
    if header_date:
        return header_date, None, "header"
    return (_file_date(path) if path else dt.date.today()), None, "file_time"


def parse_text(text: str, file: str, path: Path | None = None) -> ParseResult:
    """A text dump: a listing when it carries stamp lines, else a single page."""
    lines = text.split("\n")
    header = HEADER_RE.match(lines[0]) if lines else None
    header_date = None
    if header:
        try:
            header_date = dt.date.fromisoformat(header.group(1))
        except ValueError:
            header_date = None
    # A listing's stamps carry a view count; a bare "04.07.2024, 13:49" is a page's date line.
    stamped = any((m := STAMP_RE.match(ln)) and m.group(7) for ln in lines) or bool(
        header and STAMP_IN_HEADER_RE.match(header.group(2))
    )
    if stamped:
        return parse_listing(lines, file, header_date)
    return parse_page(lines, file, header_date, path)


# --------------------------------------------------------------------------- exports

REQUIRED_COLUMNS = ("title", "published", "text")


def _record_to_article(
    rec: dict[str, object], file: str, line: int, line_end: int, path: Path | None
) -> tuple[Article | None, list[FeedWarning]]:
    missing = [c for c in REQUIRED_COLUMNS if not str(rec.get(c) or "").strip()]
    if "title" in missing or "text" in missing:
        return None, [FeedWarning(file, line, f"missing {', '.join(missing)}; record skipped")]
    warnings: list[FeedWarning] = []
    try:
        day, when = parse_published(str(rec["published"]))
        source = "published"
    except (ValueError, KeyError, TypeError, OverflowError):  # Overflow: year 1 or 9999 + offset
        warnings.append(
            FeedWarning(file, line, f"unparseable date {rec.get('published')!r}; file date used")
        )
        day, when, source = (_file_date(path) if path else dt.date.today()), None, "file_time"
    url = str(rec.get("url") or "").strip() or None
    title = " ".join(str(rec["title"]).split())
    text = str(rec["text"]).replace("\r\n", "\n").replace("\r", "\n").strip()
    return Article(title, text, day, source, file, line, line_end, when, url), warnings


def _add_record(
    result: ParseResult, rec: dict[str, object], file: str, line: int, end: int, path: Path | None
) -> None:
    article, warns = _record_to_article(rec, file, line, end, path)
    result.warnings.extend(warns)
    if article:
        result.articles.append(article)
    else:
        result.rejected += 1


def parse_jsonl(text: str, file: str, path: Path | None = None) -> ParseResult:
    """JSON Lines: one object per line; a broken line is reported and skipped."""
    result = ParseResult()
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            result.warnings.append(FeedWarning(file, lineno, f"not valid JSON ({err.msg})"))
            result.rejected += 1
            continue
        except RecursionError:
            result.warnings.append(FeedWarning(file, lineno, "JSON nested too deeply"))
            result.rejected += 1
            continue
        if not isinstance(rec, dict):
            result.warnings.append(FeedWarning(file, lineno, "not a JSON object"))
            result.rejected += 1
            continue
        _add_record(result, rec, file, lineno, lineno, path)
    return result


_CSV_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")


def parse_csv(text: str, file: str, path: Path | None = None) -> ParseResult:
    """CSV with a header row naming title, published, text (and optionally url)."""
    result = ParseResult()
    csv.field_size_limit(64 * 1024 * 1024)
    # Lines sliced lazily: io.StringIO would hold a 4-bytes-a-character copy of the file.
    reader = csv.DictReader(m.group() for m in _CSV_LINE_RE.finditer(text))
    try:
        columns = {c.strip().lower(): c for c in (reader.fieldnames or [])}
    except csv.Error as err:
        result.warnings.append(FeedWarning(file, 1, f"unreadable CSV header ({err})"))
        result.readable = False
        return result
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        result.warnings.append(
            FeedWarning(file, 1, f"CSV header lacks required column(s): {', '.join(missing)}")
        )
        result.readable = False
        return result
    prev_end = 1
    try:
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            rec = {key: row.get(orig) for key, orig in columns.items()}
            _add_record(result, rec, file, start, prev_end, path)
    except csv.Error as err:
        result.warnings.append(FeedWarning(file, reader.line_num, f"broken CSV ({err})"))
        result.rejected += 1
    return result


# --------------------------------------------------------------------------- entry points


def detect_format(path: Path, text: str) -> str:
    """By extension first; for unknown extensions, by the first non-blank character."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "jsonl"
    head = text.lstrip()[:1]
    return "jsonl" if head == "{" else "text"


def parse_bytes(data: bytes, file: str, path: Path | None = None) -> ParseResult:
    """Parse one feed given as bytes (used for uploads, where there is no path)."""
    text, warnings = decode_bytes(data, file)
    if text is None:
        return ParseResult(warnings=warnings, readable=False)
    fmt = detect_format(Path(file), text)
    parser = {"jsonl": parse_jsonl, "csv": parse_csv, "text": parse_text}[fmt]
    result = parser(text, file, path)
    result.warnings[:0] = warnings
    for article in result.articles:
        article.source_files = [file]
    return result


def parse_file(path: Path, display_name: str | None = None) -> ParseResult:
    """Parse one file from disk; unreadable files become a warning, not an exception."""
    name = display_name or str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files are read.
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return ParseResult(
                    warnings=[FeedWarning(name, None, "not a regular file, skipped")],
                    readable=False,
                )
            data = fh.read()
    except OSError as err:
        return ParseResult(
            warnings=[FeedWarning(name, None, f"cannot read ({err.strerror})")], readable=False
        )
    return parse_bytes(data, name, path)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FeedWarning]]:
    """Expand folders into feed files (sorted, deterministic), skipping symlink loops."""
    found: list[Path] = []
    warnings: list[FeedWarning] = []
    seen_dirs: set[tuple[int, int]] = set()
    for root in paths:
        if not root.exists():
            warnings.append(FeedWarning(str(root), None, "no such file or folder"))
        elif root.is_file():
            found.append(root)
        else:
            found.extend(_walk(root, seen_dirs, warnings))
    return found, warnings


def _walk(root: Path, seen: set[tuple[int, int]], warnings: list[FeedWarning]) -> Iterator[Path]:
    def unreadable(err: OSError) -> None:
        message = f"cannot list folder ({err.strerror})"
        warnings.append(FeedWarning(str(err.filename), None, message))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unreadable):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen:
            warnings.append(FeedWarning(dirpath, None, "folder visited twice (symlink loop)"))
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if not name.startswith(".") and p.suffix.lower() in FEED_SUFFIXES:
                yield p


# Which copy of a repeated article is kept (see ``copy_rank``): the surest date source first.
DATE_SOURCE_RANK = {"stamp": 0, "published": 1, "dateline": 2, "header": 3, "file_time": 4}


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
