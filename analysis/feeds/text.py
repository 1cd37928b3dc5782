"""Text dumps (spec §1): listing pages split on their stamps, single pages cleaned of site
furniture. What counts as furniture is data (``data/page_junk.toml``) a user can extend.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from analysis.feeds.dates import (
    HEADER_RE,
    STAMP_IN_HEADER_RE,
    STAMP_RE,
    DateInfo,
    _stamp_datetime,
    parse_body_dateline,
    parse_date_line,
)
from analysis.feeds.model import UNDATED, Article, FeedWarning, ParseResult

MIN_BODY_CHARS = 120  # shorter "bodies" on a page are error notices and teasers, not news
# Not after an initial ("N. Nazarbayev", "U.S. side").
SENTENCE_END_RE = re.compile(
    r"(?<=[.!?…])(?<!\b[A-ZА-ЯЁ]\.)[\"'”»)\]]*(?=\s+[\"'“«(]?[A-ZА-ЯЁ0-9])"
)
TERMINAL_PUNCT = ".!?…:;"
CLOSERS = "\"'”»)]’"
# A longer line without a full stop is a paragraph cut short, not a title (the longest
# title lines of real pages are ~130 characters; their lead paragraphs run to 2,000).
MAX_TITLE_LINE = 160


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
    size = len(line.strip())
    return 0 < size <= MAX_TITLE_LINE and not stripped.endswith(tuple(TERMINAL_PUNCT))


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


# An agency dateline opening a body line: "ASTANA. KAZINFORM –", "NUR-SULTAN –",
# "ASTANA, Kazakhstan, October 2.", "НУР-СУЛТАН, 2 февраля.", "ASTANA (Agency - ...)".
# A line that opens so is the article's first paragraph, never a title.
OPENING_DATELINE_RE = re.compile(
    r"^[A-ZА-ЯЁ][A-ZА-ЯЁ'-]+(?:\s[A-ZА-ЯЁ'-]+){0,2}"
    r"(?:\.\s[A-ZА-ЯЁ]{3,}|\s?[–—-]\s|\s\([^()]{0,40}[–—-]"
    r"|,\s(?:[A-Z][a-z]+,\s)?(?:\d{1,2}\s[^\W\d]{3,}|[^\W\d]{3,}\s\d{1,2})\b)"
)
MIN_SENTENCE_WORDS = 6  # a shorter first "sentence" is a dateline ("ASTANA.") or a fragment
MAX_TITLE_CHARS = 300
MIN_TITLE_WORDS = 3  # shorter lines above a body are section names and site labels
STANDFIRST_CHARS = 100  # a title-like line this long under a shorter one is a standfirst
DATE_LINES_BELOW = 3  # a page's date line may also stand just under its first paragraph


def _first_sentence(text: str) -> str:
    """The title of a page without a title line: its first sentence, dateline included
    (as printed), hard-wrapped lines joined."""
    head = " ".join(text[: MAX_TITLE_CHARS * 2].split())
    parts = SENTENCE_END_RE.split(head)
    title = parts[0]
    for part in parts[1:]:
        if len(title.split()) >= MIN_SENTENCE_WORDS:
            break
        title += part  # the part keeps the space it was split at
    return title.strip()[:MAX_TITLE_CHARS]


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
    blocks: list[tuple[tuple[dt.datetime, int] | None, list[tuple[int, str]]]] = []
    block: list[tuple[int, str]] = []
    ended = False  # after "Popular", "Related news", "©"...: junk until the next stamp
    for lineno, line in enumerate(lines[start:], start=start + 1):
        m = STAMP_RE.match(line)
        if m:
            blocks.append((stamp, block))
            block, ended = [], False
            when = _stamp_datetime(m)
            if when is None:
                result.warnings.append(FeedWarning(file, lineno, "stamp with an impossible date"))
            stamp = (when, lineno) if when else None
            continue
        ended = ended or _is_terminator(line)
        if not ended and line.strip() and not _is_junk(line):
            block.append((lineno, line))
    blocks.append((stamp, block))
    _move_titles_printed_above_their_stamp(blocks)
    for stamp, block in blocks:
        _emit_listing_block(block, stamp, header_date, file, result)
    return result


def _move_titles_printed_above_their_stamp(
    blocks: list[tuple[tuple[dt.datetime, int] | None, list[tuple[int, str]]]],
) -> None:
    """Some sites print the stamp between an article's title and its body: a title left
    without a body at the end of one block belongs to the next, when that starts with a
    paragraph."""
    for (_, block), (_, following) in itertools.pairwise(blocks):
        if not block or not following or _is_title_like(following[0][1]):
            continue
        last = block[-1][1]
        if _is_title_like(last) and (len(block) == 1 or not _is_title_like(block[-2][1])):
            following.insert(0, block.pop())


def _emit_listing_block(
    block: list[tuple[int, str]],
    stamp: tuple[dt.datetime, int] | None,
    header_date: dt.date | None,
    file: str,
    result: ParseResult,
) -> None:
    """One stamp's block may hold several unstamped articles (the head of a page); those
    take the page's date, and without one they are kept undated."""
    for i, chunk in enumerate(_split_titled_chunks(block)):
        if i == 0 and stamp is not None:
            day, when, source = stamp[0].date(), stamp[0], "stamp"
        elif header_date is not None:
            day, when, source = header_date, None, "header"
        else:
            day, when, source = None, None, UNDATED
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
    day: dt.date | None,
    when: dt.datetime | None,
    source: str,
) -> Article | None:
    if len(chunk) < 2:
        return None
    title = chunk[0][1].strip()
    text = "\n".join(ln.strip() for _, ln in chunk[1:])
    return Article(title, text, day, source, file, chunk[0][0], chunk[-1][0], when)


# A stamp glued between two blocks when a scraper dropped the line breaks around it:
# "…прибывшими в Казахстан08.10.2018 14:49Астана - 8 октября …".
GLUED_STAMP_RE = re.compile(r"(?<=[^\d\s])(\d{2}\.\d{2}\.\d{4},?\s\d{1,2}:\d{2})(?=[^\d\s:,])")


GLUED_HEAD_LINES = 12  # blocks are glued at the head of a page, where title and stamp are


def _unglue(lines: list[str]) -> list[list[str]]:
    """The page's head lines split where a scraper glued title, stamp and body together,
    and cleared of a photo credit glued in front of the text; each line gives its pieces,
    so line numbers stay the file's (the pieces of a split line share its number)."""
    prefix = _junk_rules()["glued_prefix"]
    head = [prefix.sub("", line, count=1) for line in lines[:GLUED_HEAD_LINES]]
    pieces = [GLUED_STAMP_RE.split(ln, maxsplit=1) if ":" in ln else [ln] for ln in head]
    return pieces + [[line] for line in lines[GLUED_HEAD_LINES:]]


def parse_page(
    lines: list[str], file: str, header_date: dt.date | None, header_line: bool = False
) -> ParseResult:
    """A single article page: drop the site furniture, keep title, date and body.

    Above the body (its first sentence-like paragraph) stand the title and the date line,
    in either order, among site labels; below it, junk lines are dropped and a
    "Read also"-like heading ends the article. ``header_line``: the first line is what
    followed the ` date` header, the article's start or a ticker of other news.
    """
    result = ParseResult()
    keep = [
        (n, piece)
        for n, pieces in enumerate(_unglue(lines), start=1)
        for piece in pieces
        if piece.strip() and not _is_junk(piece)
    ]
    header = 1 if header_line else None
    body_start = _body_start(keep, header)
    body = _body(keep[body_start:]) if body_start is not None else []
    text = "\n".join(ln for _, ln in body)
    if len(text) < MIN_BODY_CHARS or _junk_rules()["error_page"].search(text):
        result.warnings.append(FeedWarning(file, None, "no article found on this page"))
        return result
    top = keep[:body_start]
    near = top + keep[body_start : body_start + DATE_LINES_BELOW]
    date_info = next((d for _, ln in near if (d := parse_date_line(ln))), None)
    title_line = _title_above(top, header)
    title = title_line[1].strip().lstrip("•·*- ") if title_line else _first_sentence(text)
    day, when, source = _page_date(text, date_info, header_date)
    first_line = title_line[0] if title_line else body[0][0]
    result.articles.append(Article(title, text, day, source, file, first_line, body[-1][0], when))
    return result


def _body(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The body's lines up to the first "Read also"-like heading, without date lines."""
    body = []
    for n, ln in lines:
        if _is_terminator(ln):
            break
        if not parse_date_line(ln):
            body.append((n, ln.strip()))
    return body


def _is_paragraph(line: str) -> bool:
    """A body paragraph: a finished sentence of some length, or a line opening with a dateline."""
    s = line.strip()
    if OPENING_DATELINE_RE.match(s):
        return True
    return not _is_title_like(s) and len(s.split()) >= MIN_SENTENCE_WORDS - 2 and len(s) >= 30


def _is_finished(line: str) -> bool:
    return line.strip().rstrip(CLOSERS).endswith(tuple(TERMINAL_PUNCT))


def _body_start(keep: list[tuple[int, str]], header: int | None) -> int | None:
    """Index of the first body paragraph; headings such as "Share" above it are labels.
    The header line's text starts the body only as a finished sentence or a dateline:
    unfinished, it is a title or a ticker of other news."""
    for i, (n, ln) in enumerate(keep):
        if parse_date_line(ln) or _is_terminator(ln) or not _is_paragraph(ln):
            continue
        if n == header and not (_is_finished(ln) or OPENING_DATELINE_RE.match(ln.strip())):
            continue
        return i
    return None


def _title_above(top: list[tuple[int, str]], header: int | None) -> tuple[int, str] | None:
    """The title is the title-like line nearest above the body, skipping date lines and
    short labels ("Images", "Politics"); a finished sentence there means the page has none.
    A long line right under a shorter title line is its standfirst, not the title."""
    found: list[tuple[int, str]] = []
    for n, ln in reversed(top):
        if parse_date_line(ln) or _is_terminator(ln) or len(ln.split()) < MIN_TITLE_WORDS:
            continue
        if _is_finished(ln) or (n != header and not _is_title_like(ln)) or len(found) == 2:
            break
        found.append((n, ln))
    if len(found) == 2 and found[1][0] != header:
        lower, upper = (len(found[0][1].strip()), len(found[1][1].strip()))
        return found[1] if lower > STANDFIRST_CHARS and lower > upper else found[0]
    return found[0] if found else None


def _page_date(
    text: str, date_info: DateInfo | None, header_date: dt.date | None
) -> tuple[dt.date | None, dt.datetime | None, str]:
    """The page's own date line, else a dateline with a full date, else the header; else none."""
    if date_info:
        return date_info[0], date_info[1], "dateline"
    if found := parse_body_dateline(text):
        return found[0], None, "dateline"
    if header_date:
        return header_date, None, "header"
    return None, None, UNDATED


def parse_text(text: str, file: str, path: Path | None = None) -> ParseResult:
    """A text dump: a listing when it carries stamp lines, else a single page, whose text
    may begin on the header line."""
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
    if header:
        lines = [header.group(2), *lines[1:]]
    return parse_page(lines, file, header_date, header_line=bool(header))
