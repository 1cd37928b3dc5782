"""The article store: one Parquet file, replaced atomically, guarded by a lock.

A single file (not a folder of parts) is what makes the store crash-safe: the new
version is written beside the old one and swapped in with ``os.replace``, so a reader
or a crash mid-write always sees either the old store or the new one, never half.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import filelock
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ARTICLES_FILE = "articles.parquet"
META_KEY = b"diplodash"

_list_str = pa.list_(pa.string())
SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("date", pa.date32()),
        ("date_source", pa.string()),
        ("datetime", pa.timestamp("us", tz="UTC")),
        ("source_file", pa.string()),
        ("source_files", _list_str),
        ("line_start", pa.int32()),
        ("line_end", pa.int32()),
        ("url", pa.string()),
        ("lang", pa.string()),  # en, ru, kk
        ("partner_countries", _list_str),
        ("partner_orgs", _list_str),
        ("location_country", pa.string()),
        ("event_type", pa.string()),
        ("kz_actor_level", pa.string()),
        ("topics", _list_str),
        ("mentioned_countries", _list_str),
        ("evidence", pa.string()),  # JSON list of evidence objects
        ("event_id", pa.string()),  # the event it reports (analysis.clustering)
    ]
)
COLUMNS = SCHEMA.names
# Every store has had these since the first version; a Parquet file without them is
# another program's (later columns may be missing from an older store: they read as null).
CORE_COLUMNS = ("id", "title", "text", "date", "source_file", "partner_countries")


class StoreError(RuntimeError):
    """The store cannot be read or written; the message says why and what to do."""


class StoreBusy(StoreError):
    """Another process holds the store's write lock."""


def store_path(store_dir: Path) -> Path:
    return Path(store_dir) / ARTICLES_FILE


def require(store_dir: Path) -> None:
    """For commands that only read: the folder must hold a store. A missing, mistyped or
    wrong ``--store`` printed an empty table and succeeded, as if there were no news."""
    folder = Path(store_dir)
    if not folder.exists():
        raise StoreError(f"no store at {folder}: the folder does not exist")
    if not folder.is_dir():
        raise StoreError(f"no store at {folder}: it is a file; give the folder that holds "
                         f"{ARTICLES_FILE}")  # fmt: skip
    if not store_path(folder).is_file():
        raise StoreError(f"no store in {folder}: it has no {ARTICLES_FILE} (build one with "
                         f"diplodash ingest FILES --store {folder})")  # fmt: skip


def empty_frame() -> pd.DataFrame:
    return SCHEMA.empty_table().to_pandas()


def read_articles(store_dir: Path) -> pd.DataFrame:
    """The whole article table; an empty, correctly typed frame when no store exists yet."""
    path = store_path(store_dir)
    if not path.exists():
        return empty_frame()
    try:
        # One open file, not a path: pyarrow may open a path twice (footer, then data),
        # and an ingest swapping the file in between would mix two versions. A native
        # file, not a Python one: pyarrow 26's reading threads, left in a Python file
        # object when a short command exits, aborted it (exit 134, "terminate called
        # without an active exception") in 4 of 10 runs.
        with pa.OSFile(str(path)) as fh:
            table = pq.read_table(fh)
    except (OSError, pa.ArrowException) as err:
        raise StoreError(f"cannot read store {path}: {err}") from err
    _check_columns(path, table.schema)
    for name in SCHEMA.names:  # a store written before a column existed: nulls
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(len(table), SCHEMA.field(name).type))
    try:
        table = table.select(SCHEMA.names).cast(SCHEMA)
    except (pa.ArrowException, ValueError) as err:
        raise StoreError(f"{path} is not a diplodash store ({err}); it was left as it is") from err
    return table.to_pandas()


def _check_columns(path: Path, schema: pa.Schema) -> None:
    """Another program's Parquet file given as the store is refused, never half-read:
    ``aggregate`` aborted on one and ``ingest`` raised deep inside the merge."""
    missing = [name for name in CORE_COLUMNS if name not in schema.names]
    if missing:
        raise StoreError(
            f"{path} is not a diplodash store: it has no {', '.join(missing)} column"
            f"{'s' if len(missing) > 1 else ''}; it was left as it is"
        )


def read_meta(store_dir: Path) -> dict[str, object]:
    """Build metadata (when, by which extractor version, counts) without reading the data."""
    path = store_path(store_dir)
    if not path.exists():
        return {}
    try:
        with pa.OSFile(str(path)) as fh:
            schema = pq.read_schema(fh)
    except (OSError, pa.ArrowException) as err:
        raise StoreError(f"cannot read store {path}: {err}") from err
    _check_columns(path, schema)
    return json.loads((schema.metadata or {}).get(META_KEY, b"{}"))


def write_articles(store_dir: Path, frame: pd.DataFrame, meta: dict[str, object]) -> Path:
    """Write the table to a temp file beside the store, fsync it, then swap it in."""
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    table = pa.Table.from_pandas(frame[COLUMNS], schema=SCHEMA, preserve_index=False)
    table = table.replace_schema_metadata({META_KEY: json.dumps(meta).encode()})
    target = store_path(store_dir)
    for stale in store_dir.glob(".articles-*.parquet.tmp"):  # left by a killed writer
        stale.unlink(missing_ok=True)
    fd, tmp = _create_temp(store_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(table, fh, compression="zstd")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(store_dir)
    return target


def _create_temp(store_dir: Path) -> tuple[int, str]:
    """A new, exclusive temp file beside the store, created with mode 0666 less the umask
    (as ``open(path, "w")`` would; ``tempfile.mkstemp`` makes 0600, which a dashboard
    running as another user could not read)."""
    while True:
        tmp = str(store_dir / f".articles-{secrets.token_hex(8)}.parquet.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:  # 64 random bits: practically never
            continue


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def write_lock(store_dir: Path, timeout: float = 0) -> Iterator[None]:
    """One writer at a time; a second ingest is told so instead of corrupting the store."""
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(store_dir / ".ingest.lock"))
    try:
        lock.acquire(timeout=timeout)
    except filelock.Timeout as err:
        raise StoreBusy(
            f"another ingest is writing to {store_dir}; wait for it to finish and run again"
        ) from err
    try:
        yield
    finally:
        lock.release()
