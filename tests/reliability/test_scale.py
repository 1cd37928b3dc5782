"""Scale: a 200 MB feed and a folder of 10,000 small files (slow), and their default-run
small brothers. Files are written in 4 MB chunks; each parse runs in a fresh interpreter so
its peak RSS is its own. The figures are printed (run with ``-s``) for docs/reliability.md.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from reliability_support import CORPUS, MB, REPO, ingest_cmd, parse_in_fresh_process, write_feed

from analysis import store

KINDS = {"listing": ".txt", "jsonl": ".jsonl", "csv": ".csv"}


def _measure(tmp_path: Path, kind: str, size: int, timeout: float) -> dict[str, float]:
    path = write_feed(tmp_path / f"feed-{size // MB}mb{KINDS[kind]}", kind, size)
    try:
        figures = parse_in_fresh_process(path, timeout=timeout)
    finally:
        mb = path.stat().st_size / MB
        path.unlink()
    figures["mb"] = mb
    figures["cpu_per_mb"] = figures["cpu"] / mb
    figures["rss_growth_x"] = (figures["peak_rss"] - figures["base_rss"]) / (mb * MB)
    return figures


def _report(kind: str, rows: dict[int, dict[str, float]]) -> str:
    return f"{kind}: " + "; ".join(
        f"{f['mb']:.0f} MB {f['wall']:.2f} s ({f['mb'] / f['wall']:.1f} MB/s, "
        f"{f['cpu_per_mb']:.3f} CPU s/MB), peak RSS +{(f['peak_rss'] - f['base_rss']) / MB:.0f} MB"
        f" = {f['rss_growth_x']:.1f}× input, {f['articles']} articles"
        for f in rows.values()
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_200_mb_feed_parses_in_linear_time_and_bounded_memory(tmp_path, kind):
    rows = {size: _measure(tmp_path, kind, size, timeout=900) for size in (MB, 10 * MB, 200 * MB)}
    print("\n" + _report(kind, rows))
    base = rows[MB]["cpu_per_mb"]
    for size in (10 * MB, 200 * MB):
        assert rows[size]["cpu_per_mb"] <= 3 * base, _report(kind, rows)  # linear
        assert rows[size]["rss_growth_x"] < 10, _report(kind, rows)  # bounded
    assert rows[200 * MB]["articles"] > 100 * rows[MB]["articles"]


def _small_files(folder: Path, n: int, distinct: int) -> Path:
    """``n`` one-article pages, ``distinct`` different articles among them."""
    folder.mkdir(parents=True)
    body = (CORPUS / "a_page_01.txt").read_bytes()
    title = b"Japanese Prime Minister Shinzo Abe Pays First Official Visit to Kazakhstan"
    assert title in body
    for i in range(n):
        k = i % distinct
        # The page's own title line varies (a line above it would be site junk).
        head = f"Kazakhstan and Partner Number {k} Hold Political Consultations"
        (folder / f"feed-{i:05d}.txt").write_bytes(body.replace(title, head.encode()))
    return folder


def _ingest_folder(folder: Path, store_dir: Path, timeout: float) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run(
        ingest_cmd([folder], store_dir), cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert run.returncode == 0, run.stderr
    return time.perf_counter() - start, run.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "n, distinct",
    [
        pytest.param(300, 10, id="300-files"),
        pytest.param(10_000, 100, id="10000-files", marks=pytest.mark.slow),
        pytest.param(10_000, 1, id="10000-copies-of-one-article", marks=pytest.mark.slow),
    ],
)
def test_folder_of_many_small_files(tmp_path, tmp_store, n, distinct):
    """Every file is read and named; repeats collapse; a second ingest changes nothing; the
    time per file stays flat (10,000 copies of one article used to be quadratic)."""
    folder = _small_files(tmp_path / "feeds", n, distinct)
    first, summary = _ingest_folder(folder, tmp_store, timeout=600)
    assert summary.startswith(
        f"files read {n}/{n}; articles new {distinct}, duplicate {n - distinct}"
    )
    frame = store.read_articles(tmp_store)
    assert len(frame) == distinct
    assert sum(len(files) for files in frame["source_files"]) == n
    again, summary = _ingest_folder(folder, tmp_store, timeout=600)
    assert summary.endswith(f"store holds {distinct} articles (unchanged)")
    print(f"\n{n} files ({distinct} distinct): ingest {first:.1f} s, again {again:.1f} s")
    assert first < 0.05 * n + 10  # 50 ms a file would be a regression, not noise
