"""One store, three languages: an article's language is stored, filtered and offered."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import aggregate as agg
from analysis import cli, pipeline, store

ARTICLES = [
    ("Kazakh Foreign Minister Meets Ambassador of Italy",
     "The sides discussed trade and investment cooperation."),
    ("Министр иностранных дел Казахстана встретился с послом Франции",
     "Стороны обсудили вопросы торгово-экономического сотрудничества."),
    ("Қазақстан Сыртқы істер министрі Түркия елшісімен кездесті",
     "Тараптар сауда-экономикалық ынтымақтастық мәселелерін талқылады."),
]  # fmt: skip


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder, one feed of three languages, one store."""
    root = tmp_path_factory.mktemp("mixed")
    feed = root / "feeds" / "mixed.jsonl"
    feed.parent.mkdir()
    lines = [
        json.dumps({"title": t, "published": f"2026-02-1{i}", "text": x}, ensure_ascii=False)
        for i, (t, x) in enumerate(ARTICLES)
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = root / "store"
    pipeline.ingest([feed.parent], folder, progress=False)
    return folder


def test_each_article_keeps_its_language(mixed_store: Path) -> None:
    frame = store.read_articles(mixed_store)
    by_lang = dict(zip(frame["lang"], frame["partner_countries"], strict=True))
    assert sorted(by_lang) == ["en", "kk", "ru"]
    assert list(by_lang["en"]) == ["ITA"]
    assert list(by_lang["ru"]) == ["FRA"]
    assert list(by_lang["kk"]) == ["TUR"]


def test_filter_by_language(mixed_store: Path) -> None:
    data = agg.load(mixed_store)
    assert agg.languages(data) == ["en", "ru", "kk"]
    view = agg.Filter(languages=["ru", "kk"]).apply(data)
    assert sorted(agg.by_country(view)["iso3"]) == ["FRA", "TUR"]


def test_cli_lang(mixed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["aggregate", "--by", "country", "--lang", "kk", "--store", str(mixed_store)])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert code == 0
    assert [r["iso3"] for r in rows] == ["TUR"]


def test_cli_rejects_an_unknown_language(mixed_store: Path) -> None:
    with pytest.raises(SystemExit):
        cli.main(["aggregate", "--by", "country", "--lang", "xx", "--store", str(mixed_store)])


def test_a_store_without_the_language_column_still_reads(tmp_path: Path) -> None:
    frame = store.empty_frame().drop(columns=["lang"])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    path = store.store_path(tmp_path)
    pq.write_table(table, path)
    assert "lang" in store.read_articles(tmp_path).columns


def test_search_finds_a_russian_word_in_any_of_its_forms(mixed_store: Path) -> None:
    data = agg.load(mixed_store)
    # the Russian article says "послом Франции"; the English one says "Italy"
    assert sorted(agg.by_country(agg.Filter(text="Франция").apply(data))["iso3"]) == ["FRA"]
    assert sorted(agg.by_country(agg.Filter(text="франции").apply(data))["iso3"]) == ["FRA"]
    assert sorted(agg.by_country(agg.Filter(text="Italy").apply(data))["iso3"]) == ["ITA"]
