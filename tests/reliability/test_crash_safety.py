"""Crash safety: SIGKILL at random points, two ingests at once, readers during ingests.

The store must always be readable and equal to either the state before an ingest or the
state after it: never half, never an error. The lab store is padded with a few thousand
synthetic articles so reading, merging and writing take a real share of each run and the
random kills land inside them, not only in the interpreter's start-up.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import random
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from reliability_support import CORPUS, REPO, fingerprint, ingest_cmd

from analysis import pipeline, store
from analysis.extract import EXTRACTOR_VERSION

FILLER_ROWS = 1500  # ~0.1 s to read and to write: kills can land there
WORDS = ["Kazakhstan", "Astana", "ministry", "delegation", "cooperation", "trade", "energy"]


def filler(n: int, seed: int = 7) -> pd.DataFrame:
    """Synthetic, already-extracted store rows (no extraction cost, real write cost)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(200))
        rows.append(
            {
                "id": f"filler{i:010d}",
                "title": f"Synthetic article {i}",
                "text": text,
                "date": dt.date(2000, 1, 1) + dt.timedelta(days=i % 9000),
                "date_source": "published",
                "datetime": None,
                "source_file": "filler.jsonl",
                "source_files": ["filler.jsonl"],
                "line_start": i + 1,
                "line_end": i + 1,
                "url": None,
                "partner_countries": [],
                "partner_orgs": [],
                "location_country": None,
                "event_type": "other",
                "kz_actor_level": "other",
                "topics": [],
                "mentioned_countries": [],
                "evidence": "[]",
            }
        )
    return pd.DataFrame(rows, columns=store.COLUMNS)


@dataclasses.dataclass
class Lab:
    root: Path
    old: Path  # the store before the ingest under test
    new_input: Path  # what the ingest under test reads
    part_a: list[Path]  # the two halves of new_input's files
    part_b: list[Path]
    states: dict[str, str]  # name → fingerprint: old, new, a, b (old+a, old+b = new)
    keys: dict[str, int]  # the same states' quick keys
    duration: float  # wall time of one unkilled `diplodash ingest new_input`

    def copy_old(self, to: Path) -> Path:
        shutil.copytree(self.old, to)
        return to


def _copy_inputs(names: list[str], to: Path) -> Path:
    to.mkdir(parents=True)
    for name in names:
        shutil.copy(CORPUS / name, to / name)
    return to


def _fp(store_dir: Path) -> str:
    return fingerprint(store.read_articles(store_dir))


def quick_key(frame: pd.DataFrame) -> int:
    """Cheap identity of a table for readers polling in a loop (the full fingerprint of a
    few thousand rows costs more CPU than the ingest it is watching)."""
    return hash((tuple(frame["id"]), tuple(map(len, frame["source_files"])), tuple(frame["title"])))


def _key(store_dir: Path) -> int:
    return quick_key(store.read_articles(store_dir))


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    root = tmp_path_factory.mktemp("crash-lab")
    pages_a = [f"a_page_{i:02d}.txt" for i in range(1, 4)]
    pages_b = [f"b_page_{i:02d}.txt" for i in range(1, 5)]
    old_input = _copy_inputs(pages_a, root / "in-old")
    new_input = _copy_inputs(pages_b, root / "in-new")
    part_a = [new_input / name for name in pages_b[:2]]
    part_b = [new_input / name for name in pages_b[2:]]
    old = root / "old"
    store.write_articles(old, filler(FILLER_ROWS), {"extractor_version": EXTRACTOR_VERSION})
    pipeline.ingest([old_input], old, progress=False)
    states, keys = {"old": _fp(old)}, {"old": _key(old)}
    for name, inputs in [("a", [part_a]), ("b", [part_b]), ("new", [part_a, part_b])]:
        shutil.copytree(old, root / name)
        for paths in inputs:
            pipeline.ingest(paths, root / name, progress=False)
        states[name], keys[name] = _fp(root / name), _key(root / name)
    # the CLI reading the whole folder at once must reach the same state as the two halves
    durations = []
    for attempt in range(2):  # the faster of two: one run may meet a busy machine
        timed = root / f"timed-{attempt}"
        shutil.copytree(old, timed)
        start = time.perf_counter()
        run = subprocess.run(
            ingest_cmd([new_input], timed), cwd=REPO, capture_output=True, text=True
        )
        durations.append(time.perf_counter() - start)
        assert run.returncode == 0, run.stderr
        assert _fp(timed) == states["new"]
    duration = min(durations)
    assert len(set(states.values())) == len(set(keys.values())) == 4
    return Lab(root, old, new_input, part_a, part_b, states, keys, duration)


class Reader(threading.Thread):
    """The dashboard's side: read the store in a loop, note what it saw (or what failed)."""

    def __init__(self, store_dir: Path, pause: float = 0.005):
        super().__init__(daemon=True)
        self.store_dir = store_dir
        self.pause = pause
        self.stop = threading.Event()
        self.seen: collections.Counter[int] = collections.Counter()
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.seen[_key(self.store_dir)] += 1
            except Exception as err:  # a torn read is exactly what we are looking for
                self.errors.append(repr(err))
            self.stop.wait(self.pause)

    def __enter__(self) -> Reader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join(timeout=60)


def _temp_files(store_dir: Path) -> list[Path]:
    return list(store_dir.glob(".articles-*.parquet.tmp"))


def _kill_at(proc: subprocess.Popen, work: Path, mode: str, delay: float) -> None:
    """SIGKILL ``proc`` ``delay`` s after start ("anywhere") or after its temp file appears
    ("writing"): wall-clock delays alone rarely hit a 0.1 s write on a loaded machine."""
    if mode == "writing":
        deadline = time.monotonic() + 120
        while proc.poll() is None and not _temp_files(work) and time.monotonic() < deadline:
            time.sleep(0.001)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.kill()  # SIGKILL: no cleanup handler runs


def test_sigkill_at_random_points_leaves_the_old_or_the_new_store(lab, tmp_path, slow):
    """20 kills (200 in the slow run) at seeded random points: half anywhere in the run,
    half within 80 ms of the temp file appearing (its write, fsync and the swap take
    25-55 ms here). Every 10th killed store is ingested again: the lock is free and the
    stale temp file is swept."""
    iterations = 200 if slow else 20
    rng = random.Random(20250101)
    outcomes: collections.Counter[str] = collections.Counter()
    for i in range(iterations):
        work = lab.copy_old(tmp_path / f"store-{i}")
        mode = "anywhere" if i % 2 == 0 else "writing"
        delay = rng.uniform(0, 1.1 * lab.duration) if mode == "anywhere" else rng.uniform(0, 0.08)
        proc = subprocess.Popen(
            ingest_cmd([lab.new_input], work),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _kill_at(proc, work, mode, delay)
        _, err = proc.communicate(timeout=60)
        killed = proc.returncode == -9
        assert killed or proc.returncode == 0, err
        left = _temp_files(work)
        got = _fp(work)
        assert got in (lab.states["old"], lab.states["new"]), f"kill {i} after {delay:.2f} s"
        meta = store.read_meta(work)
        assert meta["articles"] == len(store.read_articles(work))
        if not killed:
            outcomes["finished before the kill"] += 1
        elif got == lab.states["new"]:
            outcomes["killed after the swap"] += 1
        elif left:
            outcomes["killed while writing the temp file"] += 1
        else:
            outcomes["killed before writing"] += 1
        if i % 10 == 9:
            again = subprocess.run(
                ingest_cmd([lab.new_input], work), cwd=REPO, capture_output=True, text=True
            )
            assert again.returncode == 0, again.stderr
            assert _fp(work) == lab.states["new"]
            assert not _temp_files(work)
        shutil.rmtree(work)
    print(f"\n{iterations} SIGKILLs, run {lab.duration:.2f} s: {dict(outcomes)}")
    assert outcomes["killed before writing"] and outcomes["killed while writing the temp file"]


def test_two_ingests_at_once_never_corrupt_the_store(lab, tmp_path, slow):
    """Two `diplodash ingest` started together: the lock lets one write at a time, the one
    that finds it taken says so and exits 2, and no update is lost; a reader meanwhile sees
    only whole states."""
    rounds = 15 if slow else 2
    busy_rounds = 0
    for r in range(rounds):
        work = lab.copy_old(tmp_path / f"store-{r}")
        with Reader(work) as reader:
            procs = [
                subprocess.Popen(
                    ingest_cmd(part, work),
                    cwd=REPO,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for part in (lab.part_a, lab.part_b)
            ]
            results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
        for p in procs:
            p.stderr.close()
        codes = [code for code, _ in results]
        assert set(codes) <= {0, 2} and 0 in codes, results
        for code, err in results:
            if code == 2:
                assert "error: another ingest is writing to" in err, err
                assert "wait for it to finish and run again" in err and "Traceback" not in err
        busy_rounds += 2 in codes
        expected = {(0, 0): "new", (0, 2): "a", (2, 0): "b"}[tuple(codes)]
        assert _fp(work) == lab.states[expected]
        assert not reader.errors, reader.errors[:3]
        assert set(reader.seen) <= set(lab.keys.values()) and reader.seen
        shutil.rmtree(work)
    print(f"\n{rounds} rounds of two ingests at once: {busy_rounds} with a busy second")


def test_an_ingest_that_finds_the_lock_taken_says_so(lab, tmp_path):
    work = lab.copy_old(tmp_path / "store")
    with store.write_lock(work):
        run = subprocess.run(
            ingest_cmd([lab.new_input], work), cwd=REPO, capture_output=True, text=True
        )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1] == (
        f"error: another ingest is writing to {work}; wait for it to finish and run again"
    )
    assert _fp(work) == lab.states["old"]


def test_readers_see_whole_tables_during_successive_ingests(lab, tmp_path, slow):
    """The dashboard reading while ingests add one file after another: every read is one
    of the states between ingests, and none fails."""
    files = sorted(lab.new_input.iterdir())[: None if slow else 2]
    work = lab.copy_old(tmp_path / "store")
    states = [_key(work)]
    with Reader(work, pause=0.0) as reader:
        for path in files:
            run = subprocess.run(ingest_cmd([path], work), cwd=REPO, capture_output=True)
            assert run.returncode == 0, run.stderr
            states.append(_key(work))
    assert not reader.errors, reader.errors[:3]
    assert set(reader.seen) <= set(states)
    assert sum(reader.seen.values()) >= len(files)
    print(f"\n{len(files)} ingests, {sum(reader.seen.values())} whole reads, 0 errors")


def _frame(n: int, tag: str) -> pd.DataFrame:
    frame = filler(n, seed=n)
    frame["id"] = [f"{tag}{i:08d}" for i in range(n)]
    return frame


def test_reads_never_mix_two_versions_of_the_file(tmp_path, slow):
    """Regression: pyarrow opened the path twice (footer, then pages), so a swap in between
    gave 'Invalid column metadata' or 'Page was smaller than expected' (7 of 249 reads in
    10 s before read_articles held one open file)."""
    small, large = _frame(300, "s"), _frame(900, "l")
    expected = {quick_key(small), quick_key(large)}
    work = tmp_path / "store"
    store.write_articles(work, small, {})
    writes = 0
    deadline = time.monotonic() + (30 if slow else 3)
    with Reader(work, pause=0.0) as reader:
        while time.monotonic() < deadline:
            store.write_articles(work, large if writes % 2 else small, {})
            writes += 1
    assert not reader.errors, f"{len(reader.errors)} failed reads: {reader.errors[:3]}"
    assert set(reader.seen) <= expected and sum(reader.seen.values()) > 10
    print(f"\n{writes} swaps, {sum(reader.seen.values())} reads, 0 torn")
