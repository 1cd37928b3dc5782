"""`diplodash dashboard` stopped the way a service manager stops it (SIGTERM to the pid it
started) must free its port: it used to start Streamlit as a child, which kept running
and holding the port after the command itself was gone."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from reliability_support import REPO


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_taken(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the dashboard exited during start-up"
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the dashboard did not start")


def test_sigterm_to_the_command_stops_the_server_and_frees_the_port(tmp_path: Path):
    port = _free_port()
    diplodash = str(Path(sys.executable).with_name("diplodash"))
    command = [diplodash, "dashboard", "--store", str(tmp_path / "store"),
               "--port", str(port), "--address", "127.0.0.1"]  # fmt: skip
    env = {**os.environ, "STREAMLIT_SERVER_HEADLESS": "true",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc)
        proc.send_signal(signal.SIGTERM)  # the pid the caller knows, not its group
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _port_taken(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _port_taken(port), "a server still holds the port after SIGTERM"
    finally:
        with contextlib.suppress(ProcessLookupError):  # this test's own session only
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
