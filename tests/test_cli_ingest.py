"""`diplodash ingest`: summary on stderr, warnings naming file and line, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli, store

TITLE = "Kazakhstan and Mongolia Hold Political Consultations in Ulaanbaatar"
BODY = "Deputy Foreign Minister of Kazakhstan held consultations with Mongolia on trade."


@pytest.fixture(autouse=True)
def _from_repo_root(in_repo):
    """Stored paths are relative to the working folder, so pin it (tmp files stay absolute)."""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["ingest", "--quiet", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_sample_exits_0_with_a_summary_on_stderr(in_repo, tmp_store, capsys):
    code, out, err = run(capsys, "data/raw", "--store", str(tmp_store))
    assert code == 0
    assert out == ""
    assert "warning: data/raw/corpus/b_page_09.txt: no article found on this page" in err
    summary = err.strip().splitlines()[-1]
    assert summary == (
        "files read 38/38; articles new 129, duplicate 4, rejected 0; "
        "warnings 1; store holds 129 articles"
    )
    assert len(store.read_articles(tmp_store)) == 129

    code, _, err = run(capsys, "data/raw", "--store", str(tmp_store))
    assert code == 0
    assert err.strip().splitlines()[-1].endswith("store holds 129 articles (unchanged)")


def test_ingest_via_the_installed_command_defaults_to_data_raw(in_repo, tmp_store):
    proc = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "ingest", "--store", str(tmp_store)],
        cwd=in_repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "files read 38/38; articles new 129, duplicate 4" in proc.stderr
    assert "store holds 129 articles" in proc.stderr
    assert store.read_meta(tmp_store)["articles"] == 129


def test_warnings_name_file_and_line_and_partial_input_still_succeeds(tmp_path, tmp_store, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"title": TITLE, "published": "2026-03-20", "text": BODY})
        + "\nnot json at all\n"
        + json.dumps({"title": "Undated", "published": "soon", "text": BODY})
        + "\n"
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = run(capsys, str(tmp_path), "--store", str(tmp_store))
    assert code == 0
    assert f"warning: {feed}:2: not valid JSON" in err
    assert f"warning: {feed}:3: unparseable date 'soon'; kept undated" in err
    assert f"warning: {tmp_path / 'empty.txt'}: empty file, skipped" in err
    assert "files read 1/2; articles new 2, duplicate 0, rejected 1; warnings 3" in err


def test_only_an_empty_file_exits_non_zero(tmp_path, tmp_store, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run(capsys, str(empty), "--store", str(tmp_store))
    assert code == 1
    assert f"warning: {empty}: empty file, skipped" in err
    assert "error: nothing could be read from the given paths" in err


def test_missing_path_exits_non_zero(tmp_path, tmp_store, capsys):
    missing = tmp_path / "no" / "such.txt"
    code, _, err = run(capsys, str(missing), "--store", str(tmp_store))
    assert code == 1
    assert f"warning: {missing}: no such file or folder" in err
    assert not Path(store.store_path(tmp_store)).exists()


def test_busy_store_is_reported_not_raised(tmp_path, tmp_store, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"title": TITLE, "published": "2026-03-20", "text": BODY}) + "\n")
    with store.write_lock(tmp_store):
        code, _, err = run(capsys, str(feed), "--store", str(tmp_store))
    assert code == 2
    assert f"error: another ingest is writing to {tmp_store}" in err


@pytest.mark.parametrize("jobs", ["0", "-2", "many"])
def test_jobs_must_be_a_positive_number(tmp_store, capsys, jobs):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["ingest", "--jobs", jobs, "--store", str(tmp_store)])
    assert exit_info.value.code == 2
    assert "--jobs" in capsys.readouterr().err
    assert not tmp_store.exists() or not any(tmp_store.iterdir())


def _feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"title": TITLE, "published": "2026-03-20", "text": BODY}) + "\n")
    return feed


def test_a_foreign_parquet_store_is_refused_and_left_intact(tmp_path, tmp_store, capsys):
    """Another program's Parquet file in the store's place: an error naming it, not a
    traceback from inside the merge (nor an abort), and not one byte of it changed."""
    import pandas as pd

    target = store.store_path(tmp_store)
    target.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"a": [1, 2], "title": ["x", "y"]}).to_parquet(target)
    before = target.read_bytes()
    code, _, err = run(capsys, str(_feed(tmp_path)), "--store", str(tmp_store))
    assert code == 2
    assert f"error: {target} is not a diplodash store" in err and "left as it is" in err
    assert target.read_bytes() == before


def test_a_store_of_the_wrong_types_is_refused(tmp_path, tmp_store, capsys):
    import pandas as pd

    target = store.store_path(tmp_store)
    target.parent.mkdir(parents=True, exist_ok=True)
    columns = {name: ["not a value of its type"] for name in store.CORE_COLUMNS}
    pd.DataFrame(columns).to_parquet(target)
    code, _, err = run(capsys, str(_feed(tmp_path)), "--store", str(tmp_store))
    assert code == 2 and "not a diplodash store" in err


def test_a_store_that_is_a_file_is_an_error_naming_it(tmp_path, capsys):
    target = tmp_path / "store-file"
    target.write_text("x")
    code, _, err = run(capsys, str(_feed(tmp_path)), "--store", str(target))
    assert code == 2 and str(target) in err
    assert target.read_text() == "x"


def test_reading_a_store_never_aborts_the_process_at_exit(tmp_path):
    """pyarrow 26's pre-buffering thread, left reading a Python file object when a short
    command exits, aborted it (exit 134) in about 4 of 10 runs, a valid store or not."""
    import pandas as pd

    pd.DataFrame({"a": [1, 2]}).to_parquet(tmp_path / "articles.parquet")
    script = (
        "import sys; from pathlib import Path; from analysis import store\n"
        "try: store.read_articles(Path(sys.argv[1]))\n"
        "except store.StoreError: pass\n"
    )
    codes = [
        subprocess.run([sys.executable, "-c", script, str(tmp_path)], timeout=60).returncode
        for _ in range(10)
    ]
    assert codes == [0] * 10


def test_a_foreign_parquet_store_never_aborts_the_process(tmp_path):
    """`aggregate` ended in `terminate called without an active exception` (exit 134)."""
    import pandas as pd

    folder = tmp_path / "foreign"
    folder.mkdir()
    pd.DataFrame({"a": [1, 2]}).to_parquet(store.store_path(folder))
    command = [str(Path(sys.executable).with_name("diplodash")), "aggregate", "--by", "country",
               "--store", str(folder)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=60)
    assert done.returncode == 2 and b"not a diplodash store" in done.stderr
