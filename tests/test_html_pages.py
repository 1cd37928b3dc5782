"""Saved HTML pages (spec §1): main text without site furniture, the date from the page's
own markup, inert text from hostile markup, a warning for a page with nothing to read.

Fixtures in tests/data/web/ are pages written for these tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis import feeds, pipeline, store
from analysis.feeds.html_pages import fragment_text, parse_html

WEB = Path(__file__).resolve().parent / "data" / "web"


def page(name: str) -> feeds.ParseResult:
    return feeds.parse_file(WEB / name, name)


def only(result: feeds.ParseResult) -> feeds.Article:
    assert len(result.articles) == 1, result.warnings
    return result.articles[0]


def test_article_published_time_meta_dates_the_page_and_furniture_is_dropped() -> None:
    article = only(page("meta_published.html"))
    assert article.title == "Kazakhstan and Norway Discuss Energy Cooperation"
    assert (article.date, article.date_source) == (dt.date(2024, 5, 3), "published")
    assert article.datetime == dt.datetime(2024, 5, 3, 5, 15, tzinfo=dt.UTC)
    assert article.url == "https://mfa.example.kz/en/news/kazakhstan-norway-energy"
    assert article.text.startswith("The Deputy Minister of Foreign Affairs of Kazakhstan met")
    assert "industry forum" in article.text
    for junk in ("Read also", "Contacts", "All rights reserved", "Telegram", "Consular office"):
        assert junk not in article.text, junk
    assert article.title not in article.text  # the heading is the title, not the body


def test_json_ld_date_published_inside_a_graph() -> None:
    article = only(page("jsonld_published.html"))
    assert article.title == "Казахстан и Венгрия обсудили транзит"
    assert article.datetime == dt.datetime(2023, 11, 20, 16, 40, tzinfo=feeds.KZ_TZ)
    assert "Главная" not in article.text and "Подписывайтесь" not in article.text


def test_time_element_in_the_article_not_in_the_sidebar() -> None:
    article = only(page("time_element.html"))
    assert article.date == dt.date(2022, 9, 14)  # 11:00 in Seoul is 07:00 in Astana
    assert "Some older story" not in article.text


def test_date_line_opening_the_main_text() -> None:
    html = (
        "<html><body><article><h1>Kazakhstan and Oman Discuss Trade</h1>"
        "<p>7 December 2020, 17:11</p><p>"
        + "The sides discussed trade and transit. " * 5
        + "</p></article></body></html>"
    )
    article = only(parse_html(html, "dated.html"))
    assert (article.date, article.date_source) == (dt.date(2020, 12, 7), "dateline")


def test_a_date_in_a_body_sentence_does_not_date_the_page() -> None:
    html = (
        "<html><body><article><h1>Ministers Meet in Astana</h1><p>"
        + "The ministers met in Astana and recalled the treaty they signed on "
        "13 September 2019 in Geneva. " * 3 + "</p></article></body></html>"
    )
    article = only(parse_html(html, "undated.html"))
    assert (article.date, article.date_source, article.datetime) == (None, "undated", None)


def test_undated_page_is_kept_undated_not_given_the_file_time(tmp_path: Path) -> None:
    article = only(page("no_date.html"))
    assert (article.date, article.date_source) == (None, "undated")
    assert article.title == "Consular Office Hours Change"
    report = pipeline.ingest([WEB / "no_date.html"], tmp_path / "store", progress=False)
    assert report.undated == 1 and "1 article without a date" in (report.date_warning() or "")
    guessed = feeds.parse_file(WEB / "no_date.html", "no_date.html", date_from_file_time=True)
    assert guessed.articles[0].date_source == "file_time"  # only when asked


def test_page_without_main_text_is_a_warning_naming_it() -> None:
    result = page("no_main_text.html")
    assert result.articles == []
    warnings = [str(w) for w in result.warnings]
    assert warnings == ["no_main_text.html: no main text found on this page"]


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02binary" * 100])
def test_empty_or_binary_html_file_is_a_warning(data: bytes, tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_bytes(data)
    result = feeds.parse_file(tmp_path / "bad.html", "bad.html")
    assert result.articles == [] and result.warnings
    assert all(str(w).startswith("bad.html") for w in result.warnings)


def test_scripts_and_event_handlers_ingest_as_inert_text(tmp_path: Path) -> None:
    article = only(page("hostile.html"))
    stored = tmp_path / "store"
    report = pipeline.ingest([WEB / "hostile.html"], stored, progress=False)
    assert report.new == 1
    row = store.read_articles(stored).iloc[0]
    for text in (article.title, article.text, row["title"], row["text"]):
        for active in ("<", "script", "onerror", "onclick", "onload", "javascript:", "cookie"):
            assert active not in text, (active, text)
    assert "Enable JavaScript" not in article.text  # <noscript> is not the article
    assert "signed a memorandum on cooperation in digitalisation and education" in row["text"]


def test_fragment_text_keeps_blocks_apart_and_drops_scripts() -> None:
    html = "<p>One <b>bold</b> line.</p><script>alert(1)</script><ul><li>Two</li><li>3</li></ul>"
    assert fragment_text(html) == "One bold line.\nTwo\n3"


def test_a_folder_of_pages_and_feeds_ingests_like_any_other(tmp_path: Path) -> None:
    stored = tmp_path / "store"
    report = pipeline.ingest([WEB], stored, progress=False)
    frame = store.read_articles(stored)
    titles = set(frame["title"])
    assert {
        "Kazakhstan and Norway Discuss Energy Cooperation",  # .html
        "Kazakhstan and Egypt Hold Political Consultations",  # .rss
        "President Receives Ambassador of Italy",  # .atom
    } <= titles
    assert report.files_seen == 9 and report.new == len(frame) == 10  # 5 pages, 5 items
    assert report.undated == 2  # the undated page and the undated feed item
    warned = {w.file for w in report.warnings}
    assert {Path(f).name for f in warned} == {"broken.xml", "no_main_text.html"}
    norway = frame[frame["title"].str.contains("Norway")].iloc[0]
    assert "NOR" in list(norway["partner_countries"])


def test_a_table_layout_keeps_the_article_and_drops_the_cells_around_it() -> None:
    body = "The Ambassador of Kazakhstan met the Speaker of the Parliament of Latvia in Riga. " * 3
    html = (
        "<html><head><title>Ambassador Meets Speaker of Latvian Parliament</title>"
        '<meta property="article:published_time" content="2019-04-02"></head><body><table>'
        "<tr><td><a href='/'>Home</a> | <a href='/n'>News</a></td></tr>"
        f"<tr><td><h3>Ambassador Meets Speaker of Latvian Parliament</h3><p>{body}</p></td>"
        "<td><b>Read also</b><ul><li>An older story about another visit</li></ul></td></tr>"
        "<tr><td>Press service of the embassy, reprint only with a link</td></tr></table>"
        "</body></html>"
    )
    article = only(parse_html(html, "table.html"))
    assert article.text == body.strip()


def test_the_app_upload_takes_saved_pages_and_feeds(tmp_path: Path) -> None:
    from dashboard.views import upload

    files = [(name, (WEB / name).read_bytes()) for name in ("meta_published.html", "atom.atom")]
    assert [upload.problem(name, len(data)) for name, data in files] == [None, None]
    outcome = upload.ingest(files, tmp_path / "store")
    assert outcome.report.new == 3 and not outcome.refused


def test_a_page_saved_in_windows_1251_reads_as_cyrillic() -> None:
    saved = (WEB / "jsonld_published.html").read_text(encoding="utf-8")
    saved = saved.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251")
    article = only(feeds.parse_bytes(saved, "cp1251.html"))
    assert article.title == "Казахстан и Венгрия обсудили транзит"
    assert article.text.startswith("Министр иностранных дел Казахстана")
