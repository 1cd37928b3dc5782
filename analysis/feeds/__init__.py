"""Feed files in, articles out: the one place that knows the formats of spec §1.

Scraped dumps are messy and untrusted, so every reader here is defensive: a broken
file or line becomes a :class:`FeedWarning` naming the file and line, and the rest of
the input still yields its articles. Files are only ever opened for reading.

One module per job: ``decoding`` (bytes → text), ``dates``, ``text`` (listing and single
pages), ``records`` (JSONL, CSV), ``html_pages`` (saved web pages), ``rss`` (RSS and
Atom feeds, dated by ``web_dates``), ``model`` (the article, identity, de-duplication); this
module finds the files and sends each to its reader.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from analysis.feeds.dates import (
    BODY_DATELINE_RE,
    DATE_LINE_RES,
    DATELINE_RE,
    HEADER_RE,
    STAMP_IN_HEADER_RE,
    STAMP_RE,
    _file_date,
    parse_date_line,
    parse_published,
)
from analysis.feeds.decoding import decode_bytes
from analysis.feeds.model import (
    FILE_TIME,
    UNDATED,
    Article,
    FeedWarning,
    ParseResult,
    article_id,
    article_rank,
    copy_rank,
    dedupe,
    normalise_key,
    utc,
)
from analysis.feeds.records import parse_csv, parse_jsonl
from analysis.feeds.text import (
    MAX_JUNK_CHARS,
    MENU_SPLIT_RE,
    SENTENCE_END_RE,
    _first_sentence,
    _is_junk,
    _is_menu,
    _is_terminator,
    _is_title_like,
    _junk_rules,
    parse_text,
)
from analysis.vocabulary import KZ_TZ

__all__ = [  # the names other modules and the tests import from analysis.feeds
    "BODY_DATELINE_RE",
    "DATELINE_RE",
    "DATE_LINE_RES",
    "FEED_SUFFIXES",
    "FILE_TIME",
    "HEADER_RE",
    "KZ_TZ",
    "MAX_JUNK_CHARS",
    "MENU_SPLIT_RE",
    "SENTENCE_END_RE",
    "STAMP_IN_HEADER_RE",
    "STAMP_RE",
    "UNDATED",
    "Article",
    "FeedWarning",
    "ParseResult",
    "_first_sentence",
    "_is_junk",
    "_is_menu",
    "_is_terminator",
    "_is_title_like",
    "_junk_rules",
    "article_id",
    "article_rank",
    "copy_rank",
    "decode_bytes",
    "dedupe",
    "detect_format",
    "discover",
    "guess_dates_from_file_time",
    "normalise_key",
    "parse_bytes",
    "parse_csv",
    "parse_date_line",
    "parse_file",
    "parse_jsonl",
    "parse_published",
    "parse_text",
    "utc",
]

FEED_SUFFIXES = {
    ".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson", ".json", ".csv", ".xml", ".rss",
    ".atom", "",
}  # fmt: skip


def detect_format(path: Path, text: str) -> str:
    """By extension first; for unknown extensions, by the first non-blank character."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "jsonl"
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in {".xml", ".rss", ".atom"}:
        return "feed"
    head = text.lstrip()[:1]
    return "jsonl" if head == "{" else "text"


def parse_bytes(data: bytes, file: str, path: Path | None = None) -> ParseResult:
    """Parse one feed given as bytes (used for uploads, where there is no path)."""
    if detect_format(Path(file), "") == "feed":  # XML declares its encoding: feedparser reads it
        result, warnings = _markup_parser("feed")(data, file, path), []
    else:
        text, warnings = decode_bytes(data, file)
        if text is None:
            return ParseResult(warnings=warnings, readable=False)
        fmt = detect_format(Path(file), text)
        parsers = {"jsonl": parse_jsonl, "csv": parse_csv, "text": parse_text}
        result = (parsers.get(fmt) or _markup_parser(fmt))(text, file, path)
    result.warnings[:0] = warnings
    for article in result.articles:
        article.source_files = [file]
    return result


def _markup_parser(fmt: str) -> Callable[..., ParseResult]:
    """HTML pages and RSS/Atom feeds have their own modules, imported on first use: their
    libraries (trafilatura, feedparser) cost half a second to import."""
    if fmt == "html":
        from analysis.feeds.html_pages import parse_html

        return parse_html
    from analysis.feeds.rss import parse_feed

    return parse_feed


def parse_file(
    path: Path, display_name: str | None = None, date_from_file_time: bool = False
) -> ParseResult:
    """Parse one file from disk; unreadable files become a warning, not an exception.

    Undated articles stay undated (spec §1) unless ``date_from_file_time``: then they
    take the day the file was last modified, flagged ``date_source = "file_time"``.
    """
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
    result = parse_bytes(data, name, path)
    if date_from_file_time:
        guess_dates_from_file_time(result, path)
    return result


def guess_dates_from_file_time(result: ParseResult, path: Path) -> None:
    """Date the undated articles of one file by its modification day, flagged as a guess."""
    undated = [a for a in result.articles if a.date is None]
    if not undated:
        return
    try:
        day = _file_date(path)
    except OSError:
        return
    for article in undated:
        article.date, article.date_source = day, FILE_TIME


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
