"""Exports from other tools: JSON Lines and CSV rows with title, published and text."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from analysis.feeds.dates import parse_published
from analysis.feeds.model import UNDATED, Article, FeedWarning, ParseResult

REQUIRED_COLUMNS = ("title", "published", "text")


def _record_to_article(
    rec: dict[str, object], file: str, line: int, line_end: int, path: Path | None
) -> tuple[Article | None, list[FeedWarning]]:
    missing = [c for c in REQUIRED_COLUMNS if not str(rec.get(c) or "").strip()]
    if "title" in missing or "text" in missing:
        return None, [FeedWarning(file, line, f"missing {', '.join(missing)}; record skipped")]
    warnings: list[FeedWarning] = []
    day, when, source = None, None, UNDATED
    if "published" in missing:
        warnings.append(FeedWarning(file, line, "no published date; kept undated"))
    else:
        try:
            day, when = parse_published(str(rec["published"]))
            source = "published"
        except (ValueError, TypeError, OverflowError):  # Overflow: year 1 or 9999 + offset
            message = f"unparseable date {rec.get('published')!r}; kept undated"
            warnings.append(FeedWarning(file, line, message))
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
