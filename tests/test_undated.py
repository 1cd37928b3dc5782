"""Undated is undated (spec §1): kept, listed and counted, never dated by the file's time
unless the user asks, and then flagged as a guess; time charts say how many they leave out."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from analysis import aggregate, cli, feeds, pipeline, store

TITLE = "Kazakhstan and Chile Hold Consultations on Trade"
BODY = (
    "The Deputy Foreign Minister of Kazakhstan held consultations with the delegation of "
    "Chile on trade, mining and the supply of copper concentrate."
)
BODY2 = "The sides agreed to meet again in Santiago in the spring of next year."
DATED = " date 2024-05-06\n" + "Kazakhstan and Chile Sign a Memorandum on Mining\n" + BODY + "\n"


def write(path: Path, text: str, day: dt.datetime) -> Path:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (day.timestamp(), day.timestamp()))
    return path


def undated_feed(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "dated.txt", DATED, dt.datetime(2024, 5, 7, tzinfo=dt.UTC))
    return write(
        folder / "undated.txt",
        f"{TITLE}\n{BODY}\n{BODY2}\n",
        dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    )


def test_an_undated_article_is_stored_undated_and_reported(tmp_path):
    undated_feed(tmp_path / "raw")
    report = pipeline.ingest([tmp_path / "raw"], tmp_path / "store")
    assert (report.new, report.undated, report.guessed) == (2, 1, 0)
    assert report.date_warning() == (
        "1 article without a date: kept and listed, left out of time charts and dated downloads"
    )
    frame = store.read_articles(tmp_path / "store")
    row = frame[frame["title"] == TITLE].iloc[0]
    assert row["date"] is None and row["date_source"] == "undated"
    assert store.read_meta(tmp_path / "store")["first_date"] == "2024-05-06"


def test_time_charts_leave_undated_articles_out_and_say_how_many(tmp_path):
    undated_feed(tmp_path / "raw")
    pipeline.ingest([tmp_path / "raw"], tmp_path / "store")
    data = aggregate.Filter().apply(aggregate.load(tmp_path / "store"))
    assert data.n_articles == 2 and data.n_undated == 1  # listed and counted
    assert aggregate.by_date(data, "year")["articles"].sum() == 1
    assert aggregate.undated_note(data) == "1 undated article not shown"
    dated_only = aggregate.Filter(start="2024-01-01").apply(aggregate.load(tmp_path / "store"))
    assert aggregate.undated_note(dated_only) is None


def test_cli_ingest_warns_about_undated_articles(tmp_path, capsys):
    undated_feed(tmp_path / "raw")
    code = cli.main(["ingest", "--quiet", str(tmp_path / "raw"), "--store", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 0
    assert err.strip().splitlines()[-1].startswith("warning: 1 article without a date")
    cli.main(["aggregate", "--by", "date", "--freq", "year", "--store", str(tmp_path / "s")])
    assert "note: 1 undated article not shown" in capsys.readouterr().err


def test_file_time_only_on_request_and_flagged(tmp_path, capsys):
    raw = tmp_path / "raw"
    undated_feed(raw)
    argv = ["ingest", "--quiet", str(raw), "--store", str(tmp_path / "s"), "--date-from-file-time"]
    assert cli.main(argv) == 0
    assert "1 dated by file time (a guess, flagged file_time)" in capsys.readouterr().err
    frame = store.read_articles(tmp_path / "s")
    row = frame[frame["title"] == TITLE].iloc[0]
    assert (row["date"], row["date_source"]) == (dt.date(2026, 1, 2), "file_time")


def test_a_copy_with_a_new_file_time_adds_no_article(tmp_path):
    """Issue 17: identity never depends on the file's time or the upload day."""
    original = undated_feed(tmp_path / "raw")
    for guess in (False, True):
        store_dir = tmp_path / f"store-{guess}"
        pipeline.ingest([tmp_path / "raw"], store_dir, date_from_file_time=guess)
        copy = tmp_path / "again" / "undated.txt"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(original, copy)
        os.utime(copy, (dt.datetime(2026, 6, 30, tzinfo=dt.UTC).timestamp(),) * 2)
        report = pipeline.ingest([copy.parent], store_dir, date_from_file_time=guess)
        assert (report.new, report.total) == (0, 2)


def test_an_older_store_loses_its_silent_file_time_dates(tmp_path):
    """Stores written before this rule dated undated articles by file time: an ingest
    migrates them to undated, and the same article read again is not added twice."""
    raw = tmp_path / "raw"
    undated_feed(raw)
    store_dir = tmp_path / "store"
    pipeline.ingest([raw], store_dir, date_from_file_time=True)
    frame = store.read_articles(store_dir)
    old_id = feeds.article_id(TITLE, "", dt.date(2026, 1, 2), "dateline")  # the old identity
    frame.loc[frame["title"] == TITLE, "id"] = old_id
    meta = {k: v for k, v in store.read_meta(store_dir).items() if k != "date_policy"}
    store.write_articles(store_dir, frame, meta)

    report = pipeline.ingest([raw], store_dir)
    frame = store.read_articles(store_dir)
    row = frame[frame["title"] == TITLE]
    assert len(row) == 1 and report.total == 2
    assert (row.iloc[0]["date"], row.iloc[0]["date_source"]) == (None, "undated")
    assert store.read_meta(store_dir)["date_policy"] == pipeline.DATE_POLICY


def test_the_app_upload_reports_undated_articles_as_a_warning_not_a_success(tmp_path, monkeypatch):
    from dashboard.views import upload

    shown: list[tuple[str, str]] = []

    class Recorder:  # stands in for streamlit: records what the upload report shows
        def __getattr__(self, name):
            return lambda *args, **kwargs: shown.append((name, str(args[0]) if args else ""))

    monkeypatch.setattr(upload, "st", Recorder())
    page = f"{TITLE}\n{BODY}\n{BODY2}\n".encode()
    upload.show(upload.ingest([("page.txt", page)], tmp_path / "store"))
    kind, message = shown[0]
    assert kind == "warning" and "1 article without a date" in message
    dated = upload.ingest([("dated.txt", DATED.encode())], tmp_path / "store")
    shown.clear()
    upload.show(dated)
    assert shown[0][0] == "success"


def test_the_whole_range_still_lists_and_counts_undated_articles(tmp_path):
    """The dashboard always sets a range (the store's whole span by default): undated
    articles must not vanish from its counts and list because of it."""
    undated_feed(tmp_path / "raw")
    pipeline.ingest([tmp_path / "raw"], tmp_path / "store")
    data = aggregate.load(tmp_path / "store")
    whole = aggregate.Filter(start="2024-05-06", end="2024-05-06", undated=True).apply(data)
    assert (whole.n_articles, whole.n_undated) == (2, 1)
    assert aggregate.undated_note(whole) == "1 undated article not shown"
    assert aggregate.Filter(start="2024-05-06", end="2024-05-06").apply(data).n_articles == 1
    previous = aggregate.Filter(start="2024-05-06", end="2024-05-06", undated=True).shifted_back()
    assert previous.apply(data).n_undated == 0


def test_the_trends_chart_says_how_many_undated_articles_it_leaves_out(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    undated_feed(tmp_path / "raw")
    pipeline.ingest([tmp_path / "raw"], tmp_path / "store")
    monkeypatch.setenv("DIPLODASH_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("DIPLODASH_ACCURACY", str(tmp_path / "no-accuracy.json"))
    app = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60)
    at.query_params.update({"view": "Trends"})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("1 undated article not shown" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Articles"] == "2"  # still counted
