"""Helpers for the reliability tests: bounded runs, synthetic feeds, store fingerprints.

Hostile input may hang a regular expression inside C code, where neither a signal nor a
thread can stop it, so every "must finish" check runs in a forked child that is killed at
its deadline (:func:`bounded`). Feeds of any size are built by repeating the bundled
sample in chunks, so a 200 MB file takes seconds to write.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import pickle
import resource
import select
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "data" / "raw" / "corpus"
MB = 2**20


# --------------------------------------------------------------------------- bounded runs


@dataclasses.dataclass
class Outcome:
    """What a bounded call did: its value or error, its time, and how much memory it took."""

    value: object = None
    error: str | None = None
    timed_out: bool = False
    wall: float = 0.0
    cpu: float = 0.0
    rss_growth: int = 0  # bytes of peak RSS above the RSS at the start of the call

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out


def _peak_rss() -> int:
    """This process's peak RSS in bytes (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak_rss() -> None:
    """Make VmHWM restart from the current RSS (Linux ≥ 4.0), so growth is this call's."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def _vm_hwm() -> int | None:
    with contextlib.suppress(OSError), open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


def bounded(fn: Callable[..., object], *args: object, timeout: float = 10.0) -> Outcome:
    """Run ``fn(*args)`` in a forked child; kill it at ``timeout`` seconds.

    The child reports its value (pickled), any exception with its traceback, its CPU and
    wall time and its peak-RSS growth. A child that hangs is SIGKILLed: ``timed_out``.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: compute, report, leave without running the parent's cleanup
        os.close(read_fd)
        code = 0
        try:
            # The parent's heap is not this call's: without freeze, every collection would
            # walk it (and copy it, page by page, out of the shared fork) on the call's clock.
            gc.freeze()
            _reset_peak_rss()
            start_rss = _vm_hwm() or _peak_rss()
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                value, error = fn(*args), None
            except BaseException as err:  # the point is to catch everything
                value, error = None, "".join(traceback.format_exception(err))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            growth = max(0, (_vm_hwm() or _peak_rss()) - start_rss)
            try:
                payload = pickle.dumps((value, error, wall, cpu, growth))
            except Exception as err:
                payload = pickle.dumps((None, f"unpicklable result: {err!r}", wall, cpu, growth))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view) :]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if timed_out:
        return Outcome(timed_out=True, wall=timeout)
    if not chunks:
        return Outcome(error="child died without reporting")
    value, error, wall, cpu, growth = pickle.loads(b"".join(chunks))
    return Outcome(value, error, False, wall, cpu, growth)


# --------------------------------------------------------------------------- synthetic feeds


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def repeat_to(chunk: bytes, size: int, head: bytes = b"") -> bytes:
    """``head`` then ``chunk`` repeated, cut to exactly ``size`` bytes at a line end."""
    reps = max(1, (size - len(head)) // max(1, len(chunk)) + 1)
    data = head + chunk * reps
    cut = data.rfind(b"\n", 0, size)
    return data[: cut + 1] if cut > 0 else data[:size]


def feed_chunk(kind: str) -> tuple[bytes, bytes, str]:
    """(head, repeated body, file suffix) of a realistic feed of the given kind."""
    if kind == "listing":
        body = corpus_bytes("a_listing_1.txt")
        return b"", body if body.endswith(b"\n") else body + b"\n", ".txt"
    if kind == "page":
        return b"", corpus_bytes("a_page_01.txt"), ".txt"
    if kind == "jsonl":
        body = corpus_bytes("a_export.jsonl")
        return b"", body if body.endswith(b"\n") else body + b"\n", ".jsonl"
    if kind == "csv":
        head, _, rest = corpus_bytes("a_export.csv").partition(b"\n")
        return head + b"\n", rest if rest.endswith(b"\n") else rest + b"\n", ".csv"
    raise ValueError(kind)


def write_feed(path: Path, kind: str, size: int) -> Path:
    """Write a ``kind`` feed of about ``size`` bytes in 4 MB chunks (fast, little memory)."""
    head, body, _ = feed_chunk(kind)
    block = body * max(1, (4 * MB) // len(body))
    with path.open("wb") as fh:
        fh.write(head)
        written = len(head)
        while written < size:
            part = block if written + len(block) <= size else body
            fh.write(part)
            written += len(part)
    return path


PARSE_PROBE = """
import json, sys, time
from pathlib import Path
from analysis import feeds
feeds._junk_rules()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")  # peak RSS restarts from here: the imports' own peak does not count
base = status("VmRSS:")
wall, cpu = time.perf_counter(), time.process_time()
result = feeds.parse_file(Path(sys.argv[1]))
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(json.dumps({"wall": wall, "cpu": cpu, "base_rss": base, "peak_rss": status("VmHWM:"),
                  "articles": len(result.articles), "warnings": len(result.warnings)}))
"""


def parse_in_fresh_process(path: Path, timeout: float) -> dict[str, float]:
    """parse_file in a new interpreter: clean peak-RSS figures for one file."""
    out = subprocess.run(
        [sys.executable, "-c", PARSE_PROBE, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- store & CLI


def ingest_cmd(paths: list[Path], store_dir: Path) -> list[str]:
    """`diplodash ingest` as the user runs it, without relying on the console script."""
    paths_ = [str(p) for p in paths]
    return [
        sys.executable,
        "-m",
        "analysis.cli",
        "ingest",
        *paths_,
        "--store",
        str(store_dir),
        "--quiet",
    ]


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if hasattr(value, "tolist") and not isinstance(value, str):
        return value.tolist()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def rows_of(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    """The table as {id: {column: plain value}}: comparable across reads and processes."""
    records = {}
    for row in frame.to_dict(orient="records"):
        records[row["id"]] = {k: _plain(v) for k, v in row.items()}
    return records


def fingerprint(frame: pd.DataFrame) -> str:
    """A hash of the whole table's content, independent of row order."""
    rows = rows_of(frame)
    blob = json.dumps([rows[k] for k in sorted(rows)], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@contextlib.contextmanager
def unprivileged() -> Iterator[bool]:
    """As root, act as ``nobody`` for the block, so permission bits bite; yields whether it
    could (a non-root user already is unprivileged)."""
    if os.geteuid() != 0:
        yield True
        return
    try:
        os.setegid(65534)
        os.seteuid(65534)
    except OSError:
        yield False
        return
    try:
        yield True
    finally:
        os.seteuid(0)
        os.setegid(0)
