"""Shared test fixtures: repository paths, a throwaway store, refused file access; and the
switch for the slow tests. Keep this file small.

Tests marked ``slow`` (200 MB feeds, 10,000 files, 200 SIGKILLs, the 20-session load
test) and the larger iteration counts of the reliability tests (the ``slow`` fixture) run
only when asked: ``make test SLOW=1`` (what CI runs), ``DIPLODASH_SLOW=1 pytest …`` or
``pytest --run-slow …``, from the repository root or any folder below it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent  # tests read data/raw here, never /work/shared
SLOW_HINT = "slow: run with make test SLOW=1, DIPLODASH_SLOW=1 or --run-slow"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run tests marked slow (200 MB feeds, 10,000 files, SIGKILLs, load)",
    )


def slow_enabled(config: pytest.Config) -> bool:
    flag = bool(config.getoption("--run-slow", default=False))
    return flag or os.environ.get("DIPLODASH_SLOW", "") not in {"", "0"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip slow tests at collection, before any of their (expensive) fixtures is set up."""
    if slow_enabled(config):
        return
    skip = pytest.mark.skip(reason=SLOW_HINT)
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


@pytest.fixture
def slow(request: pytest.FixtureRequest) -> bool:
    """True in the slow run: reliability tests scale their iterations with it."""
    return slow_enabled(request.config)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, as `diplodash ingest` is: stored paths are `data/raw/...`."""
    monkeypatch.chdir(REPO)
    return REPO


@pytest.fixture
def tmp_store(tmp_path: Path) -> Path:
    """A store folder that does not exist yet."""
    return tmp_path / "store"


class _Denied:
    """Paths refused from now on; as a context manager, only inside the block."""

    def __init__(self, names: set[str], more: tuple[str, ...]) -> None:
        self.names, self.more = names, set(more) - names
        names.update(self.more)

    def __enter__(self) -> _Denied:
        return self

    def __exit__(self, *exc: object) -> None:
        self.names.difference_update(self.more)


@pytest.fixture
def deny_access(monkeypatch: pytest.MonkeyPatch) -> Callable[..., _Denied]:
    """``deny_access("secret.txt", "locked")``: EACCES from the very calls the feed reader
    makes (``os.open`` for a file, ``os.scandir`` inside ``os.walk`` for a folder) on paths
    of those names, as chmod 000 gives a normal user. Root reads chmod 000 files, so this
    is how the permission paths run as root (as CI does)."""
    real_open, real_scandir = os.open, os.scandir
    names: set[str] = set()

    def refuse(path: object) -> None:
        if isinstance(path, int):  # a file descriptor
            return
        if os.path.basename(os.fspath(path)) in names:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))

    def fake_open(path, flags, *args, **kwargs):
        refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def fake_scandir(path="."):
        refuse(path)
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    return lambda *more: _Denied(names, more)
