"""Text dumps (spec §1): listing pages split on their stamps, single pages cleaned of site
furniture. What counts as furniture is data (``data/page_junk.toml``) a user can extend.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from analysis.feeds.dates import (
    BODY_DATELINE_RE,
    DATELINE_RE,
    HEADER_RE,
    MONTHS,
    STAMP_IN_HEADER_RE,
    STAMP_RE,
    _file_date,
    _stamp_datetime,
    parse_date_line,
)
from analysis.feeds.model import Article, FeedWarning, ParseResult

MIN_BODY_CHARS = 120  # shorter "bodies" on a page are error notices and teasers, not news
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”»)\]]*(?=\s+[\"'“«(]?[A-ZА-ЯЁ0-9])")
TERMINAL_PUNCT = ".!?…:;"
CLOSERS = "\"'”»)]’"


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
    path = Path(__file__).parent.parent / "data" / "page_junk.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = {name: _any_of(patterns) for name, patterns in raw.items()}
    lines = raw.get("junk_line", [])
    rules["junk_line_start"] = _any_of([p for p in lines if p.startswith("^")])
    rules["junk_line"] = _any_of([p for p in lines if not p.startswith("^")])
    return rules


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
