"""Ingest = feeds → extract → store, on the bundled sample and on broken input.

The sample in data/raw/ must give exactly the 129 labelled articles of
tests/data/labels.jsonl; re-ingesting is a no-op; the store is replaced atomically and
guarded by a lock; the raw files are never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from analysis import pipeline, store

SAMPLE = Path("data/raw")  # relative, as `diplodash ingest` stores it (tests run via in_repo)
TITLE = "Kazakhstan and Mongolia Hold Political Consultations in Ulaanbaatar"
BODY = (
    "ULAANBAATAR. KAZINFORM – Deputy Foreign Minister of Kazakhstan held political "
    "consultations with the Ministry of Foreign Affairs of Mongolia on trade and transit."
)


@pytest.fixture(autouse=True)
def _from_repo_root(in_repo):
    """Stored paths are relative to the working folder, so pin it (tmp files stay absolute)."""


def gold_labels(repo: Path) -> list[dict]:
    lines = (repo / "tests" / "data" / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file below ``folder``: content hash and mtime."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def store_state(store_dir: Path) -> tuple[bytes, int]:
    path = store.store_path(store_dir)
    return path.read_bytes(), path.stat().st_mtime_ns


def leftovers(store_dir: Path) -> list[str]:
    return sorted(p.name for p in store_dir.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def sample_store(in_repo, tmp_store) -> Path:
    report = pipeline.ingest([SAMPLE], tmp_store, progress=False)
    assert report.written
    return tmp_store


# --------------------------------------------------------------------------- the sample


def test_sample_ingests_exactly_the_labelled_articles(in_repo, tmp_store):
    report = pipeline.ingest([SAMPLE], tmp_store, progress=False)

    assert (report.files_seen, report.files_read) == (38, 38)
    assert report.articles_parsed == 133  # occurrences
    assert (report.new, report.duplicate, report.rejected) == (129, 4, 0)
    assert report.total == 129 and report.written and report.ok
    assert [str(w) for w in report.warnings] == [
        "data/raw/corpus/b_page_09.txt: no article found on this page"
    ]

    frame = store.read_articles(tmp_store)
    got = {
        (row.title, row.date.isoformat()): sorted(row.source_files)
        for row in frame.itertuples(index=False)
    }
    gold = {
        (g["title"], g["date"]): sorted(f"data/raw/{f}" for f in g["files"])
        for g in gold_labels(in_repo)
    }
    assert len(gold) == 129
    assert set(got) == set(gold), {
        "missing": sorted(set(gold) - set(got)),
        "extra": sorted(set(got) - set(gold)),
    }
    wrong_files = {k: (got[k], gold[k]) for k in gold if got[k] != gold[k]}
    assert wrong_files == {}
    assert frame["id"].is_unique
    # source_files sorted; source_file is the kept copy's (feeds.copy_rank), one of them
    assert all(list(fs) == sorted(fs) for fs in frame["source_files"])
    assert all(f in fs for f, fs in zip(frame["source_file"], frame["source_files"], strict=True))
    meta = store.read_meta(tmp_store)
    assert meta["articles"] == 129
    assert meta["extractor_version"] == pipeline.EXTRACTOR_VERSION


def test_reingest_is_a_no_op(in_repo, sample_store):
    before = store_state(sample_store)
    report = pipeline.ingest([SAMPLE], sample_store, progress=False)
    assert not report.written
    assert (report.new, report.total) == (0, 129)
    assert report.summary().endswith("store holds 129 articles (unchanged)")
    assert store_state(sample_store) == before


def test_adding_one_file_adds_only_its_new_articles(in_repo, sample_store, tmp_path):
    repeat = store.read_articles(sample_store).iloc[0]
    extra = tmp_path / "extra"
    extra.mkdir()
    rows = [
        {"title": TITLE, "published": "2026-03-20", "text": BODY},
        {"title": repeat["title"], "published": repeat["date"].isoformat(), "text": repeat["text"]},
    ]
    new_file = extra / "new.jsonl"
    new_file.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    old = store.read_articles(sample_store).set_index("id")

    report = pipeline.ingest([SAMPLE, extra], sample_store, progress=False)

    assert (report.new, report.total) == (1, 130) and report.written
    frame = store.read_articles(sample_store).set_index("id")
    added = frame.loc[frame.index.difference(old.index)]
    assert list(added["title"]) == [TITLE]
    assert list(added.iloc[0]["source_files"]) == [str(new_file)]  # outside the repo: absolute
    # the repeat is not a new article; it only remembers the new file it was seen in
    kept = frame.loc[repeat["id"]]
    assert list(kept["source_files"]) == sorted([*repeat["source_files"], str(new_file)])
    assert kept["text"] == repeat["text"] and kept["date"] == repeat["date"]
    # every other article is untouched
    others = old.index.drop(repeat["id"])
    assert frame.loc[others, "title"].equals(old.loc[others, "title"])
    files = frame.loc[others, "source_files"].map(list)
    assert files.equals(old.loc[others, "source_files"].map(list))


def test_raw_files_are_never_modified(in_repo, tmp_store):
    before = snapshot(in_repo / "data" / "raw")
    assert len(before) == 39  # README + 38 feeds
    pipeline.ingest([SAMPLE], tmp_store, progress=False)
    pipeline.ingest([SAMPLE], tmp_store, progress=False)
    assert snapshot(in_repo / "data" / "raw") == before
    assert not list((in_repo / "data" / "raw").rglob("*.lock"))


# --------------------------------------------------------------------------- bad input


def test_bad_files_are_named_in_warnings_and_the_rest_still_ingests(tmp_path, tmp_store):
    feeds_dir = tmp_path / "in"
    feeds_dir.mkdir()
    good = feeds_dir / "good.jsonl"
    good.write_text(
        json.dumps({"title": TITLE, "published": "2026-03-20", "text": BODY})
        + "\n{oops\n"
        + json.dumps({"title": "No Text", "published": "2026-03-20"})
        + "\n"
    )
    (feeds_dir / "empty.txt").write_bytes(b"")
    (feeds_dir / "binary.txt").write_bytes(b"\x00\x01\x02" * 500)
    (feeds_dir / "nodate.csv").write_text("title,text\nA,B\n")
    (feeds_dir / "dir.txt").mkdir()  # a folder named like a file is just walked
    (feeds_dir / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (feeds_dir / "loop").symlink_to(feeds_dir, target_is_directory=True)

    report = pipeline.ingest([feeds_dir], tmp_store, progress=False)

    assert report.ok and report.written
    assert (report.files_seen, report.files_read) == (5, 1)
    assert (report.new, report.rejected, report.total) == (1, 2, 1)
    assert list(store.read_articles(tmp_store)["title"]) == [TITLE]
    text = "\n".join(str(w) for w in report.warnings)
    for expected in (
        f"{good}:2: not valid JSON",
        f"{good}:3: missing text; record skipped",
        f"{feeds_dir / 'empty.txt'}: empty file",
        f"{feeds_dir / 'binary.txt'}: binary content",
        f"{feeds_dir / 'nodate.csv'}:1: CSV header lacks required column(s): published",
        f"{feeds_dir / 'dangling.txt'}: cannot read",
        f"{feeds_dir / 'loop'}: folder visited twice (symlink loop)",
    ):
        assert expected in text


def test_nothing_readable_is_not_ok_and_writes_no_store(tmp_path, tmp_store):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    report = pipeline.ingest([empty, tmp_path / "missing"], tmp_store, progress=False)
    assert not report.ok and not report.written
    assert report.total == 0
    assert [str(w) for w in report.warnings] == [
        f"{tmp_path / 'missing'}: no such file or folder",
        f"{empty}: empty file, skipped",
    ]
    assert not store.store_path(tmp_store).exists()


# --------------------------------------------------------------------------- the store


def new_feed(tmp_path: Path) -> Path:
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps({"title": TITLE, "published": "2026-03-20", "text": BODY}) + "\n")
    return path


def test_crash_while_writing_keeps_the_previous_store(in_repo, sample_store, tmp_path, monkeypatch):
    before = store_state(sample_store)

    def half_write(table, where, **kwargs):
        where.write(b"PAR1 half a parquet file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", half_write)
    with pytest.raises(OSError, match="No space left"):
        pipeline.ingest([SAMPLE, new_feed(tmp_path)], sample_store, progress=False)

    assert store_state(sample_store) == before
    assert len(store.read_articles(sample_store)) == 129
    assert leftovers(sample_store) == []
    monkeypatch.undo()
    # the lock was released: the next ingest goes through
    assert pipeline.ingest([new_feed(tmp_path)], sample_store, progress=False).total == 130


def test_crash_at_the_swap_keeps_the_previous_store(in_repo, sample_store, tmp_path, monkeypatch):
    before = store_state(sample_store)
    real_replace = os.replace

    def failing_replace(src, dst):
        assert os.path.getsize(src) > 0  # the new version was fully written beside the old
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="Input/output error"):
        pipeline.ingest([new_feed(tmp_path)], sample_store, progress=False)
    monkeypatch.setattr(os, "replace", real_replace)

    assert store_state(sample_store) == before
    assert len(store.read_articles(sample_store)) == 129
    assert leftovers(sample_store) == []


def test_second_concurrent_writer_is_told_the_store_is_busy(tmp_path, tmp_store):
    with store.write_lock(tmp_store), pytest.raises(store.StoreBusy) as err:
        pipeline.ingest([new_feed(tmp_path)], tmp_store, progress=False)
    message = str(err.value)
    assert str(tmp_store) in message and "another ingest" in message
    assert not store.store_path(tmp_store).exists()
    # once the first writer is done, ingest works
    assert pipeline.ingest([new_feed(tmp_path)], tmp_store, progress=False).written


def test_store_round_trips_types_and_datetimes_in_utc(tmp_path, tmp_store):
    path = tmp_path / "t.jsonl"
    path.write_text(
        json.dumps({"title": TITLE, "published": "2026-03-20T23:30:00", "text": BODY}) + "\n"
    )
    pipeline.ingest([path], tmp_store, progress=False)
    row = store.read_articles(tmp_store).iloc[0]
    assert row["date"].isoformat() == "2026-03-20"  # the local calendar day
    assert row["datetime"].isoformat() == "2026-03-20T18:30:00+00:00"  # 23:30 in Astana
    assert row["date_source"] == "published"
    assert list(row["source_files"]) == [str(path)]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077], ids=["022", "027", "077"])
def test_store_file_follows_the_umask_like_a_normal_file(tmp_path, tmp_store, umask):
    """Not mkstemp's 0600: a dashboard running as another user must be able to read it."""
    old = os.umask(umask)
    try:
        pipeline.ingest([new_feed(tmp_path)], tmp_store, progress=False)
        first = store.store_path(tmp_store).stat().st_mode & 0o777
        path = tmp_path / "again.jsonl"
        path.write_text(
            json.dumps({"title": "Another " + TITLE, "published": "2026-03-21", "text": BODY})
            + "\n"
        )
        assert pipeline.ingest([path], tmp_store, progress=False).written  # the swap path
        second = store.store_path(tmp_store).stat().st_mode & 0o777
    finally:
        os.umask(old)
    assert first == second == 0o666 & ~umask
    assert leftovers(tmp_store) == []


def test_unreadable_store_is_a_clear_error(tmp_store):
    tmp_store.mkdir()
    store.store_path(tmp_store).write_bytes(b"not parquet")
    with pytest.raises(store.StoreError, match="cannot read store"):
        store.read_articles(tmp_store)


def test_copy_of_sample_outside_repo_gives_the_same_articles(tmp_path, tmp_store, in_repo):
    copy = tmp_path / "raw"
    shutil.copytree(in_repo / "data" / "raw", copy)
    report = pipeline.ingest([copy], tmp_store, progress=False)
    assert (report.new, report.duplicate, report.total) == (129, 4, 129)


def test_uploads_are_labelled_by_base_name_only(tmp_store):
    data = (json.dumps({"title": TITLE, "published": "2026-03-20", "text": BODY}) + "\n").encode()
    report = pipeline.ingest_uploads(
        [("C:\\Users\\me\\feeds\\win.jsonl", data), ("../../etc/x.jsonl", b"")], tmp_store
    )
    assert (report.files_seen, report.files_read, report.new) == (2, 1, 1)
    assert list(store.read_articles(tmp_store)["source_files"][0]) == ["win.jsonl"]
    assert [str(w) for w in report.warnings] == ["x.jsonl: empty file, skipped"]


def test_new_extractor_version_reextracts_the_store(in_repo, sample_store, monkeypatch):
    """Improved rules (or an edited taxonomy) reach stores built before them."""
    stale = store.read_articles(sample_store)
    stale["topics"] = [[] for _ in range(len(stale))]
    store.write_articles(sample_store, stale, {"extractor_version": "0-old"})
    report = pipeline.ingest([Path("data/raw")], sample_store, progress=False)
    assert report.written and report.new == 0
    fresh = store.read_articles(sample_store)
    assert store.read_meta(sample_store)["extractor_version"] == pipeline.EXTRACTOR_VERSION
    assert sum(len(t) for t in fresh["topics"]) > 100
    assert sorted(fresh["id"]) == sorted(stale["id"])


def test_worker_processes_give_the_same_store(in_repo, sample_store, tmp_path, monkeypatch):
    """``--jobs``: a batch spread over spawned workers, in chunks, gives the rows that one
    process gives, in the same order, for new articles and for a re-extraction."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "CHUNK", 40)  # 129 articles: four chunks, two workers
    parallel = tmp_path / "parallel"
    assert pipeline.ingest([SAMPLE], parallel, progress=False, jobs=2).new == 129
    one = store.read_articles(sample_store)
    assert store.read_articles(parallel).equals(one)
    again = pipeline.reextract(one, progress=False, jobs=2)
    assert again.equals(pipeline.reextract(one, progress=False, jobs=1))
