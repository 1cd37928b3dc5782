"""Reliability tests: `slow` ones run only with ``--run-slow`` or ``DIPLODASH_SLOW=1``.

``--run-slow`` is registered here, so it works for ``pytest tests/reliability --run-slow``;
from the repository root pytest parses options before it reaches this folder, so there
use ``DIPLODASH_SLOW=1`` (or register the same option in the top-level conftest: the
``ValueError`` guard below then keeps the two from clashing).
"""

from __future__ import annotations

import contextlib
import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    with contextlib.suppress(ValueError):  # already registered by a higher conftest
        parser.addoption(
            "--run-slow",
            action="store_true",
            default=False,
            help="also run tests marked slow (200 MB feeds, 10,000 files, 200 SIGKILLs)",
        )


def slow_enabled(config: pytest.Config) -> bool:
    flag = False
    with contextlib.suppress(ValueError):
        flag = bool(config.getoption("--run-slow"))
    return flag or os.environ.get("DIPLODASH_SLOW", "") not in {"", "0"}


@pytest.fixture(autouse=True)
def _skip_slow_unless_asked(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("slow") and not slow_enabled(request.config):
        pytest.skip("slow: run with --run-slow or DIPLODASH_SLOW=1")


@pytest.fixture
def slow(request: pytest.FixtureRequest) -> bool:
    """True when the slow run is on: tests scale their iterations with it."""
    return slow_enabled(request.config)
