"""Ingest = feeds → extract → store: the one path the CLI and the app's upload share."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from analysis import clustering, dates, feeds, identity, store
from analysis.extract import EXTRACTOR_VERSION, extract_record
from analysis.feeds import Article, FeedWarning, ParseResult

DEFAULT_RAW = Path("data/raw")
DEFAULT_STORE = Path("data/processed")
# A worker is a fresh interpreter that builds its own gazetteer, about two seconds
# before its first record; below this many articles one process finishes first.
PARALLEL_MIN = 20_000
CHUNK = 500  # articles per task: large enough to amortise the hand-over, small for progress


@dataclasses.dataclass
class IngestReport:
    """What an ingest did, for the summary line, the app's message and the exit code."""

    files_seen: int = 0
    files_read: int = 0
    articles_parsed: int = 0
    new: int = 0
    duplicate: int = 0
    rejected: int = 0
    total: int = 0
    undated: int = 0  # articles of this ingest with no date of their own or of their page
    guessed: int = 0  # dated by the file's time, on request (--date-from-file-time)
    written: bool = False
    warnings: list[FeedWarning] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Failure means nothing at all could be read; partial input is still a success."""
        return self.files_read > 0

    def summary(self) -> str:
        return (
            f"files read {self.files_read}/{self.files_seen}; articles new {self.new}, "
            f"duplicate {self.duplicate}, rejected {self.rejected}; "
            f"warnings {len(self.warnings)}; store holds {self.total} articles"
            + ("" if self.written else " (unchanged)")
        )

    def date_warning(self) -> str | None:
        """What the user must know about dates: undated articles and guessed ones. Shown
        as a warning (never as plain success) by ``ingest`` and the app's upload."""
        parts = []
        if self.undated:
            parts.append(
                f"{self.undated} article{'s' if self.undated != 1 else ''} without a date: "
                "kept and listed, left out of time charts and dated downloads"
            )
        if self.guessed:
            parts.append(f"{self.guessed} dated by file time (a guess, flagged file_time)")
        return "; ".join(parts) or None


def article_row(article: Article) -> dict[str, object]:
    """An article plus its extracted record, as one store row."""
    return _article_fields(article) | extract_record(article.title, article.text).as_row()


def default_jobs() -> int:
    """The CPUs this process may run on (what ``--jobs`` defaults to)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_rows(
    pairs: list[tuple[str, str]],
    jobs: int = 1,
    desc: str = "extracting",
    progress: bool | None = None,
) -> list[dict[str, object]]:
    """The store fields of the records of ``(title, text)`` pairs, in their order.

    Extraction is CPU-bound Python, so a large batch (a first ingest of an archive, or
    the whole store after the rules changed) goes to ``jobs`` worker processes in
    chunks. Workers are spawned, not forked: the parent may already run pyarrow's and
    tqdm's threads, which a fork would copy mid-lock. Output is the same either way.
    """
    chunks = [pairs[i : i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    bar = tqdm(
        total=len(pairs),
        desc=desc,
        unit="article",
        disable=None if progress is None else not progress,
    )
    rows: list[dict[str, object]] = []
    with bar:
        if jobs > 1 and len(pairs) >= PARALLEL_MIN:
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=spawn) as pool:
                for done in pool.map(_rows, chunks):
                    rows.extend(done)
                    bar.update(len(done))
        else:
            for chunk in chunks:
                rows.extend(_rows(chunk))
                bar.update(len(chunk))
    return rows


def _rows(pairs: list[tuple[str, str]]) -> list[dict[str, object]]:
    return [extract_record(title, text).as_row() for title, text in pairs]


def _article_fields(article: Article) -> dict[str, object]:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "date": article.date,
        "date_source": article.date_source,
        "datetime": feeds.utc(article.datetime),  # None when it has no UTC instant (year 1)
        "source_file": article.source_file,
        "source_files": sorted(article.source_files or [article.source_file]),
        "line_start": article.line_start,
        "line_end": article.line_end,
        "url": article.url,
    }


def display_name(path: Path) -> str:
    """Paths are stored relative to the working folder when they are below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return str(path)


def parse_paths(
    paths: Iterable[Path], progress: bool | None = None, date_from_file_time: bool = False
) -> Iterator[ParseResult | FeedWarning]:
    """Parse every feed file below ``paths``; yields results (and discovery warnings).
    ``date_from_file_time``: undated articles take their file's day, flagged as a guess."""
    files, warnings = feeds.discover(paths)
    yield from warnings
    bar = tqdm(
        files, desc="parsing", unit="file", disable=None if progress is None else not progress
    )
    for path in bar:
        yield feeds.parse_file(path, display_name(path), date_from_file_time)


def ingest(
    paths: Iterable[Path],
    store_dir: Path = DEFAULT_STORE,
    progress: bool | None = None,
    jobs: int = 1,
    window: int = clustering.DEFAULT_WINDOW,
    date_from_file_time: bool = False,
) -> IngestReport:
    """Ingest files and folders into the store (see :func:`ingest_results`)."""
    results = parse_paths(paths, progress, date_from_file_time)
    return ingest_results(results, store_dir, progress, jobs, window)


def ingest_uploads(uploads: Iterable[tuple[str, bytes]], store_dir: Path) -> IngestReport:
    """Ingest in-memory files (the app's upload); names are labels only, never paths."""
    results = (feeds.parse_bytes(data, _upload_name(name)) for name, data in uploads)
    return ingest_results(results, store_dir, progress=False)


def _upload_name(name: str) -> str:
    return os.path.basename(name.replace("\\", "/")) or "upload"


def ingest_results(
    results: Iterable[ParseResult | FeedWarning],
    store_dir: Path,
    progress: bool | None = None,
    jobs: int = 1,
    window: int = clustering.DEFAULT_WINDOW,
) -> IngestReport:
    """Merge parsed articles into the store: new ones are extracted (on up to ``jobs``
    processes) and added, repeats only add the file they were seen in, and the store is
    rewritten only on change. Events are clustered with ``window`` days: only those the
    new or changed articles touch are clustered again (:func:`clustering.update`)."""
    report = IngestReport()
    parsed: list[Article] = []
    for item in results:
        if isinstance(item, FeedWarning):
            report.warnings.append(item)
            continue
        report.files_seen += 1
        report.files_read += item.readable
        report.rejected += item.rejected
        report.warnings.extend(item.warnings)
        report.warnings.extend(_implausible_dates(item.articles))
        parsed.extend(item.articles)
    report.articles_parsed = len(parsed)
    unique, report.duplicate = feeds.dedupe(parsed)
    report.undated = sum(a.date is None for a in unique)
    report.guessed = sum(a.date_source == feeds.FILE_TIME for a in unique)
    with store.write_lock(store_dir):
        existing = store.read_articles(store_dir)
        meta = store.read_meta(store_dir)
        clustering.window_for("", window)  # a bad window fails before any work
        if meta.get("event_window") != window:
            existing[clustering.COLUMN] = None  # clustered with another window: all again
        frame, changed = _merge(existing, unique, meta, report, progress, jobs)
        stale = frame[clustering.COLUMN].isna()
        if stale.any():
            frame[clustering.COLUMN] = clustering.update(frame, window)
            changed = True
        if changed:
            store.write_articles(store_dir, frame, _meta(frame, window))
            report.written = True
    report.total = len(frame)
    return report


def _implausible_dates(articles: list[Article]) -> Iterator[FeedWarning]:
    """A date outside ``dates.plausible_span`` is kept (the user may mean it) but said."""
    for a in articles:
        if a.date and not dates.is_plausible(a.date):
            yield FeedWarning(a.source_file, a.line_start, dates.implausible_message(a.date))


def _merge(
    existing: pd.DataFrame,
    unique: list[Article],
    meta: dict[str, object],
    report: IngestReport,
    progress: bool | None,
    jobs: int,
) -> tuple[pd.DataFrame, bool]:
    existing, undated = undate_file_time_guesses(existing, meta)
    existing, rekeyed = rekey(existing, meta)
    changed = undated or rekeyed
    if len(existing) and meta.get("extractor_version") != EXTRACTOR_VERSION:
        existing = reextract(existing, progress, jobs)
        changed = True
    known = dict(zip(existing["id"], range(len(existing)), strict=True))
    fresh = [a for a in unique if a.id not in known]
    report.duplicate += len(unique) - len(fresh)
    changed |= _merge_known(existing, [a for a in unique if a.id in known], known)
    report.new = len(fresh)
    if not fresh:
        return existing, changed
    records = extract_rows([(a.title, a.text) for a in fresh], jobs, progress=progress)
    rows = [_article_fields(a) | r for a, r in zip(fresh, records, strict=True)]
    added = pd.DataFrame(rows, columns=store.COLUMNS)
    frame = pd.concat([existing, added], ignore_index=True) if len(existing) else added
    return frame.sort_values(["date", "id"], ignore_index=True), True


# Stores written before this policy dated undated articles by file time, silently.
DATE_POLICY = "undated unless asked"


def undate_file_time_guesses(
    frame: pd.DataFrame, meta: dict[str, object]
) -> tuple[pd.DataFrame, bool]:
    """Migrate an older store: its file-time dates were never asked for, so those
    articles become undated, with the identity an undated article has (repeats of one
    article that two file days had split become one row, its source files joined)."""
    if meta.get("date_policy") == DATE_POLICY or not len(frame):
        return frame, False
    guessed = (frame["date_source"] == feeds.FILE_TIME).to_numpy()
    if not guessed.any():
        return frame, False
    frame = frame.copy()
    frame.loc[guessed, "date"] = None
    frame.loc[guessed, "date_source"] = feeds.UNDATED
    frame.loc[guessed, "id"] = [
        feeds.article_id(title, text, None, feeds.UNDATED)
        for title, text in zip(frame["title"][guessed], frame["text"][guessed], strict=True)
    ]
    return _join_repeats(frame), True


def rekey(frame: pd.DataFrame, meta: dict[str, object]) -> tuple[pd.DataFrame, bool]:
    """Migrate a store written under an older identity (``identity.VERSION``): every id
    is recomputed, so re-ingesting ``Cote d'Ivoire`` finds the stored ``Côte d’Ivoire``,
    and repeats the old ids kept apart become one row."""
    if meta.get("identity") == identity.VERSION or not len(frame):
        return frame, False
    columns = (frame[c] for c in ("title", "text", "date", "date_source"))
    ids = [
        feeds.article_id(title, text, None if pd.isna(day) else day, source)
        for title, text, day, source in zip(*columns, strict=True)
    ]
    if ids == frame["id"].tolist():
        return frame, False
    return _join_repeats(frame.assign(id=ids)), True


def _join_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per id (the first), with the source files of all its rows."""
    files = frame.groupby("id")["source_files"].agg(
        lambda lists: sorted({f for x in lists for f in x})
    )
    frame = frame.drop_duplicates("id", keep="first").reset_index(drop=True)
    frame["source_files"] = frame["id"].map(files)
    return frame


PROVENANCE = ["title", "text", "date_source", "datetime", "source_file", "line_start", "line_end"]


def _merge_known(frame: pd.DataFrame, seen: list[Article], known: dict[str, int]) -> bool:
    """Repeats of stored articles: the row keeps the preferred copy (``feeds.copy_rank``,
    the rule ``feeds.dedupe`` applies within one ingest), the union of source files
    (sorted) and the first URL in sorted order, so several ingests in any order end
    where one ingest of everything would. Changes ``frame`` in place; True if it did."""
    if not seen:
        return False
    columns = {c: frame[c].tolist() for c in [*PROVENANCE, "source_files", "url"]}
    changed = False
    for article in seen:
        i = known[article.id]
        row = {c: values[i] for c, values in columns.items()}
        when = None if pd.isna(row["datetime"]) else row["datetime"].to_pydatetime()
        stored = feeds.copy_rank(*(when if c == "datetime" else row[c] for c in PROVENANCE))
        files = sorted({*row["source_files"], *article.source_files})
        if files != list(row["source_files"]):
            frame.at[i, "source_files"] = files
            changed = True
        urls = {u for u in (row["url"], article.url) if isinstance(u, str) and u}
        if urls and min(urls) != row["url"]:
            frame.at[i, "url"] = min(urls)
            changed = True
        if feeds.article_rank(article) < stored:
            same_text = (article.title, article.text) == (row["title"], row["text"])
            new = _provenance(article) if same_text else article_row(article)
            if not same_text:  # the record may change: its whole event is clustered again
                event = frame.at[i, clustering.COLUMN]
                frame.loc[frame[clustering.COLUMN] == event, clustering.COLUMN] = None
            for column, value in new.items():
                if column not in {"id", "source_files", "url"}:
                    frame.at[i, column] = value
            changed = True
    return changed


def _provenance(article: Article) -> dict[str, object]:
    return {
        "title": article.title,
        "text": article.text,
        "date_source": article.date_source,
        "datetime": feeds.utc(article.datetime),
        "source_file": article.source_file,
        "line_start": article.line_start,
        "line_end": article.line_end,
    }


def reextract(frame: pd.DataFrame, progress: bool | None = None, jobs: int = 1) -> pd.DataFrame:
    """Run the current extractor over stored articles (after the extractor improved)."""
    frame = frame.copy()
    pairs = list(zip(frame["title"], frame["text"], strict=True))
    records = extract_rows(pairs, jobs, "re-extracting", progress)
    for column in records[0] if records else []:
        frame[column] = [r[column] for r in records]
    frame[clustering.COLUMN] = None  # records changed: every event again
    return frame


def _meta(frame: pd.DataFrame, window: int) -> dict[str, object]:
    dates = pd.to_datetime(frame["date"]).dropna()
    return {
        "extractor_version": EXTRACTOR_VERSION,
        "event_window": window,
        "date_policy": DATE_POLICY,
        "identity": identity.VERSION,
        "articles": len(frame),
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
        "sources": sorted({f for files in frame["source_files"] for f in files}),
    }
