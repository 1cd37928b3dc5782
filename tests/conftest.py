"""Shared test fixtures: repository paths and a throwaway store. Keep this file small."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent  # tests read data/raw here, never /work/shared


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, as `diplodash ingest` is: stored paths are `data/raw/...`."""
    monkeypatch.chdir(REPO)
    return REPO


@pytest.fixture
def tmp_store(tmp_path: Path) -> Path:
    """A store folder that does not exist yet."""
    return tmp_path / "store"
