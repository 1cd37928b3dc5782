"""Idempotence: the same files twice, in another order, or by another path, give the
same store (same ids, same counts, the same rows field for field).

Extraction is deterministic (checked below), so these tests memoise ``extract_record`` to
ingest the bundled sample many times in a few seconds.

Which copy of a repeated article is kept (and so its ``source_file``, lines, date source
and time) used to be the first one met, so it followed the order of the input; it is now
the preferred copy by ``feeds.copy_rank`` (most complete text, then a time of day, then
the surer date source, then the first file in sorted order), within an ingest and across
ingests, and ``source_files`` is sorted.
"""

from __future__ import annotations

import functools
import itertools
import json
import random
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import REPO, rows_of

from analysis import feeds, identity, pipeline, store

SAMPLE = Path("data/raw")


@pytest.fixture(autouse=True)
def _repo_and_memoised_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # stored paths are relative to the working folder
    monkeypatch.setattr(pipeline, "extract_record", _memo_extract)


@functools.cache
def _memo_extract(title: str, text: str):
    return _real_extract(title, text)


_real_extract = pipeline.extract_record


@functools.lru_cache(maxsize=1)
def sample_files() -> tuple[Path, ...]:
    files, warnings = feeds.discover([SAMPLE])
    assert not warnings
    return tuple(files)


def ingest_each(batches: list[list[Path]], store_dir: Path) -> list[pipeline.IngestReport]:
    return [pipeline.ingest(batch, store_dir, progress=False) for batch in batches]


def table(store_dir: Path) -> dict[str, dict[str, object]]:
    return rows_of(store.read_articles(store_dir))


def assert_same_store(a: dict, b: dict) -> None:
    """Same ids and every field of every row equal (provenance and source_files too)."""
    assert sorted(a) == sorted(b)
    for article_id in a:
        assert a[article_id] == b[article_id], article_id


def test_extraction_is_deterministic():
    files = sample_files()[:6]
    articles = [a for f in files for a in feeds.parse_file(f).articles]
    for article in articles:
        first = _real_extract(article.title, article.text).as_row()
        assert _real_extract(article.title, article.text).as_row() == first


def test_ingesting_the_same_files_twice_changes_nothing(tmp_store):
    first, second = ingest_each([[SAMPLE], [SAMPLE]], tmp_store)
    assert first.written and first.new == 129
    assert not second.written and second.new == 0 and second.total == 129
    path = store.store_path(tmp_store)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    third = pipeline.ingest(list(sample_files()), tmp_store, progress=False)
    assert not third.written and (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_the_same_folder_by_another_path_changes_nothing(tmp_path, tmp_store):
    """Absolute path, a symlinked alias, "./data/../data/raw": one file, one name."""
    pipeline.ingest([SAMPLE], tmp_store, progress=False)
    before = table(tmp_store)
    alias = tmp_path / "alias"
    alias.symlink_to(REPO / "data" / "raw", target_is_directory=True)
    for spelling in [REPO / "data" / "raw", alias, Path("./data/../data/raw")]:
        report = pipeline.ingest([spelling], tmp_store, progress=False)
        assert not report.written and report.new == 0, spelling
    assert table(tmp_store) == before


def test_uploading_the_same_bytes_twice_changes_nothing(tmp_store):
    uploads = [(p.name, p.read_bytes()) for p in sample_files()]
    first = pipeline.ingest_uploads(uploads, tmp_store)
    before = table(tmp_store)
    second = pipeline.ingest_uploads(list(reversed(uploads)), tmp_store)
    assert first.new == 129 and not second.written and table(tmp_store) == before


def test_order_and_batching_do_not_change_ids_counts_or_fields(tmp_path, slow):
    """Any order of the sample's files, in one ingest or in several: the same store."""
    reference_dir = tmp_path / "reference"
    pipeline.ingest([SAMPLE], reference_dir, progress=False)
    reference = table(reference_dir)
    assert len(reference) == 129
    runs = iter(range(10**6))

    @settings(
        max_examples=60 if slow else 6,
        deadline=None,
        database=None,
        derandomize=not slow,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.randoms(use_true_random=False), st.integers(min_value=1, max_value=6))
    def check(rng: random.Random, n_batches: int) -> None:
        files = list(sample_files())
        rng.shuffle(files)
        cuts = sorted(rng.sample(range(1, len(files)), n_batches - 1))
        batches = [files[i:j] for i, j in zip([0, *cuts], [*cuts, len(files)], strict=True)]
        work = tmp_path / f"run-{next(runs)}"
        reports = ingest_each(batches, work)
        got = table(work)
        assert_same_store(reference, got)
        assert reports[-1].total == 129
        assert sum(r.new for r in reports) == 129
        assert sum(r.new + r.duplicate for r in reports) == 133  # every occurrence counted
        shutil.rmtree(work)

    check()


def test_reversed_input_keeps_the_same_copy_of_each_repeat(tmp_path):
    """The four articles the sample holds twice: forward and reversed input store the
    same row, and the kept copy is the preferred one, not the first met (here: the copy
    with a stamp's time over the one dated by its page header, else the first file)."""
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    pipeline.ingest(list(sample_files()), forward, progress=False)
    pipeline.ingest(list(reversed(sample_files())), backward, progress=False)
    a, b = table(forward), table(backward)
    assert a == b
    repeats = {i: row for i, row in a.items() if len(row["source_files"]) > 1}
    assert len(repeats) == 4
    for row in repeats.values():
        assert row["source_files"] == sorted(row["source_files"])
        assert row["date_source"] == "stamp" and row["datetime"] is not None
    # two are stamped in both files: the first file in sorted order wins
    both_stamped = [r for r in repeats.values() if r["title"].startswith(("Tokayev", "Deputy"))]
    assert [r["source_file"] == r["source_files"][0] for r in both_stamped] == [True, True]


def test_a_better_copy_in_a_later_ingest_replaces_the_stored_row(tmp_path):
    """Across ingests too: whichever batch brings the preferred copy (here the longer,
    timed one), the stored row is that copy, re-extracted when its text differs."""
    title = "Kazakhstan and Japan Hold Political Consultations"
    short = "ASTANA. KAZINFORM – The sides discussed trade with Japan."
    long = short + " The Deputy Foreign Minister of Kazakhstan met the Ambassador of Japan."
    files = {
        "a_short.jsonl": (title, "2024-07-04", short),
        "b_long.jsonl": (title, "2024-07-04T13:49:00+05:00", long),
        "c_short_timed.jsonl": (title, "2024-07-04T09:00:00+05:00", short),
    }
    feed = tmp_path / "feeds"
    feed.mkdir()
    paths = []
    for name, (t, published, text) in files.items():
        path = feed / name
        path.write_text(json.dumps({"title": t, "published": published, "text": text}) + "\n")
        paths.append(path)
    stores = []
    for n, order in enumerate(itertools.permutations(paths)):
        work = tmp_path / f"store-{n}"
        reports = ingest_each([[p] for p in order], work)
        assert [r.new for r in reports] == [1, 0, 0]
        stores.append(table(work))
    assert all(s == stores[0] for s in stores)
    (row,) = stores[0].values()
    assert row["text"] == long and row["source_file"] == str(feed / "b_long.jsonl")
    assert row["datetime"] == "2024-07-04T08:49:00+00:00"
    assert row["source_files"] == sorted(str(p) for p in paths)
    assert "JPN" in row["partner_countries"]


# --------------------------------------------------------------------------- identity


def reference_key(text: str) -> str:
    """normalise_key per character, as first written: the sliced path must agree."""
    text = identity.fold(text)
    text = "".join(ch for ch in text if ch.isalnum() or ch.isspace())
    return " ".join(text.split())


def test_normalise_key_is_unchanged_on_every_code_point():
    """The sliced, regex-based normalise_key (bounded memory) against the original, on all
    of Unicode at once, cut by whitespace runs that straddle the 64 K slice boundaries."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    text = "".join(ch + (" \t\u3000 " if i % 9973 == 0 else "") for i, ch in enumerate(chars))
    assert identity.normalise_key(text) == reference_key(text)


def test_normalise_key_is_unchanged_on_random_text(slow, monkeypatch):
    """Slices of 1-7 characters and no short-text path: every boundary case, cheaply."""
    pieces = st.one_of(
        st.text(max_size=20),
        st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2028", "_", "-", ".", "ﬁ", "Ⅻ", "İ", "ß"]),
        st.builds(lambda n: " " * n, st.integers(0, 5)),
    )

    @settings(max_examples=3000 if slow else 300, deadline=None, database=None)
    @given(st.lists(pieces, max_size=40), st.integers(1, 7))
    def check(parts: list[str], slice_size: int) -> None:
        text = "".join(parts)
        expected = reference_key(text)
        assert identity.normalise_key(text) == expected  # the short-text path
        with monkeypatch.context() as m:
            m.setattr(identity, "_KEY_SHORT", 0)
            m.setattr(identity, "_KEY_SLICE", slice_size)
            assert identity.normalise_key(text) == expected  # the sliced path

    check()
