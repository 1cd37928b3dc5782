"""The system Chromium and the flags of every browser run in this repository: the e2e
tests (``tests/e2e/conftest.py``), the dashboard benchmark and the load test
(``bench/bench_dashboard.py``). Headless, drawn in software, and nothing that calls
home, so a run makes no request outside 127.0.0.1 (the tests assert that).

The e2e conftest imports it as ``chromium_flags`` (pytest puts this folder on
``sys.path``); the benchmark as ``tests.e2e.chromium_flags`` (it puts the repository on
``sys.path``).
"""

from __future__ import annotations

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
