"""Where the store is and how it is loaded: once per store version, shared by all sessions.

Loading explodes the whole store into arrays (``analysis.aggregate.load``), which is the
slow part of a page view, so it is cached process-wide. The cache key includes the
Parquet file's modification time: an upload (or a CLI ingest) swaps the file atomically,
the key changes, and every session sees the new data on its next rerun.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import streamlit as st

from analysis import store
from analysis.aggregate import Data, load

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORE = ROOT / "data" / "processed"
ACCURACY_FILE = ROOT / "docs" / "accuracy.json"


def store_dir() -> Path:
    """The store folder: ``$DIPLODASH_STORE`` (set by ``diplodash dashboard``) or the
    repository's ``data/processed``."""
    return Path(os.environ.get("DIPLODASH_STORE") or DEFAULT_STORE)


def store_version(path: Path) -> int:
    """Changes whenever the store file is replaced; 0 when there is no store yet."""
    try:
        return store.store_path(path).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@st.cache_resource(max_entries=3, show_spinner="Loading the store…")
def _load(path: str, version: int, window: int | None = None) -> Data:
    """``version`` is only part of the cache key. A resource, not data: ``Data`` is
    read-only and large, so every session shares one object instead of a pickled copy.
    ``window``: the events' window in days (another than the store's clusters again)."""
    return load(path, window)


@st.cache_data(max_entries=4, show_spinner=False)
def _meta(path: str, version: int) -> dict[str, Any]:
    return store.read_meta(Path(path))


def load_data(window: int | None = None) -> Data:
    """The whole store (raises ``store.StoreError`` when the file cannot be read), its
    events clustered with ``window`` days (None: as stored)."""
    path = store_dir()
    return _load(str(path), store_version(path), window)


def load_meta() -> dict[str, Any]:
    """Build metadata of the store: ``built_at``, ``extractor_version``, ``sources`` …"""
    path = store_dir()
    return _meta(str(path), store_version(path))


def accuracy_file() -> Path:
    """``$DIPLODASH_ACCURACY`` or ``docs/accuracy.json`` (written by the evaluation)."""
    return Path(os.environ.get("DIPLODASH_ACCURACY") or ACCURACY_FILE)


def load_accuracy() -> Any | None:
    """The measured extraction accuracy, or None when it was never measured or the file
    is unreadable (the About page then says "not measured" instead of failing)."""
    path = accuracy_file()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
