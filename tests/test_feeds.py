"""Feed formats of spec §1: listing pages, single pages, JSON Lines, CSV; encodings; bad input.

Small inputs live in tests/data/feeds/ (readable examples of each format) or are built in
tmp_path (bad bytes, encodings), so every case states exactly what it feeds the parser.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import os
from pathlib import Path

import pytest

from analysis import feeds

HERE = Path(__file__).resolve().parent
FEEDS = HERE / "data" / "feeds"
RAW = HERE.parent / "data" / "raw"
KZ = dt.timezone(dt.timedelta(hours=5))

BODY = (
    "The Ministry of Foreign Affairs of Kazakhstan held political consultations with the "
    "delegation of Japan on a broad range of bilateral and multilateral issues."
)
BODY2 = "The sides agreed to hold the next round of consultations in Tokyo next year."
TITLE = "Kazakhstan and Japan Hold Political Consultations"


def parse(name: str) -> feeds.ParseResult:
    return feeds.parse_file(FEEDS / name, name)


def only(result: feeds.ParseResult) -> feeds.Article:
    assert len(result.articles) == 1, [a.title for a in result.articles]
    return result.articles[0]


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def messages(result: feeds.ParseResult) -> list[str]:
    return [str(w) for w in result.warnings]


def jline(title: str, published: str, text: str) -> str:
    return json.dumps({"title": title, "published": published, "text": text}, ensure_ascii=False)


# --------------------------------------------------------------------------- listing pages


def test_listing_stamp_dates_the_article_after_it_in_both_stamp_forms():
    result = parse("listing_stamps.txt")
    assert result.warnings == []
    got = [(a.title, a.date, a.date_source, a.datetime) for a in result.articles]
    assert got == [
        (
            "Kazakhstan and Estonia Hold Consultations in Tallinn",
            dt.date(2024, 7, 4),  # the stamp on the header line wins over ` date 2024-07-06`
            "stamp",
            dt.datetime(2024, 7, 4, 13, 49, tzinfo=KZ),
        ),
        (
            "Kazakhstan and Kenya Discuss Cooperation in Nairobi",
            dt.date(2024, 7, 5),  # `DD.MM.YYYY HH:MM:SS N`
            "stamp",
            dt.datetime(2024, 7, 5, 10, 15, 30, tzinfo=KZ),
        ),
        (
            "Constitutional Reforms in Kazakhstan Discussed in Vienna",
            dt.date(2024, 7, 3),  # `DD.MM.YYYY, HH:MM N`
            "stamp",
            dt.datetime(2024, 7, 3, 9, 5, tzinfo=KZ),
        ),
    ]
    first, second, third = result.articles
    assert (first.line_start, first.line_end) == (2, 4)
    assert (second.line_start, third.line_start) == (6, 10)
    # no stamp line and no neighbour's text leaks into a body
    assert not any("13:49" in a.text or "10:15" in a.text for a in result.articles)
    assert "Kenya" not in first.text and "Estonia" not in second.text
    assert all(a.source_files == ["listing_stamps.txt"] for a in result.articles)


def test_listing_unstamped_head_articles_take_the_header_date_and_split():
    result = parse("listing_unstamped_head.txt")
    assert result.warnings == []
    got = [(a.title, a.date.isoformat(), a.date_source) for a in result.articles]
    assert got == [
        ("Upcoming Referendum Discussed in Tallinn", "2026-02-20", "header"),
        ("Kazakhstan and Ethiopia Outline Paths to Strengthen Partnership", "2026-02-20", "header"),
        ("Constitutional Reforms Discussed in Vienna", "2026-02-19", "stamp"),
        ("Kenya Commends Kazakhstan's Achievements in Digital Technology", "2026-02-18", "stamp"),
    ]
    tallinn, ethiopia = result.articles[:2]
    assert tallinn.text.endswith("development of the country.")
    assert "Ethiopia" not in tallinn.text
    assert ethiopia.text.startswith("The Ambassador of Kazakhstan met the State Minister")
    assert ethiopia.datetime is None
    # the ticker junk on the header line is not an article and not part of one
    assert not any("National Fund" in a.title + a.text for a in result.articles)


def test_listing_trailing_popular_and_related_blocks_are_not_article_text():
    last = parse("listing_unstamped_head.txt").articles[-1]
    assert last.text.endswith("to discuss artificial intelligence.")
    for junk in ("Popular", "Weather forecast", "Related news", "Foreign Minister of Estonia", "©"):
        assert junk not in last.text


def test_seed_listing_real_scrape():
    result = feeds.parse_file(RAW / "seeds" / "000_3cf1bdfecc258288.txt", "seed.txt")
    assert result.warnings == []
    assert len(result.articles) == 9
    head = result.articles[:2]
    assert [a.date_source for a in head] == ["header", "header"]
    assert {a.date for a in head} == {dt.date(2026, 2, 20)}
    assert all(a.date_source == "stamp" for a in result.articles[2:])
    assert result.articles[2].datetime == dt.datetime(2026, 2, 19, 14, 56, tzinfo=KZ)


def test_listing_unstamped_article_without_page_date_is_kept_undated():
    text = page("Kazakhstan and Estonia Hold Talks", BODY, "04.07.2024, 13:49 5", TITLE, BODY)
    result = feeds.parse_text(text, "nohead.txt")
    assert [(a.title, a.date, a.date_source) for a in result.articles] == [
        ("Kazakhstan and Estonia Hold Talks", None, "undated"),
        (TITLE, dt.date(2024, 7, 4), "stamp"),
    ]
    assert messages(result) == [] and result.rejected == 0


def test_listing_title_printed_above_its_stamp_goes_with_the_stamp():
    text = page(TITLE, "25.02.2026 08:14:44 192", BODY, BODY2)
    article = only(feeds.parse_text(text, "stamp_under_title.txt"))
    assert (article.title, article.date, article.date_source) == (
        TITLE,
        dt.date(2026, 2, 25),
        "stamp",
    )
    assert article.text == BODY + "\n" + BODY2


def test_listing_impossible_stamp_warns_with_line_and_falls_back_to_header():
    text = page(" date 2024-07-06", "31.02.2024, 10:00 9", TITLE, BODY)
    result = feeds.parse_text(text, "bad_stamp.txt")
    assert messages(result) == ["bad_stamp.txt:2: stamp with an impossible date"]
    article = only(result)
    assert (article.date, article.date_source) == (dt.date(2024, 7, 6), "header")


# --------------------------------------------------------------------------- single pages


def test_page_junk_is_removed_and_title_and_date_line_kept():
    article = only(parse("page_junk.txt"))
    assert article.title == "Ambassador of Kazakhstan Presents Credentials to Pope Francis"
    # the date line beats the ` date 2020-12-09` header
    assert (article.date, article.date_source) == (dt.date(2020, 12, 7), "dateline")
    assert article.datetime == dt.datetime(2020, 12, 7, 17, 11, tzinfo=KZ)
    assert article.text.startswith("VATICAN CITY. KAZINFORM – Ambassador of Kazakhstan")
    assert article.text.endswith("invited the Pontiff to visit Kazakhstan again.")
    assert len(article.text.split("\n")) == 4
    for junk in (
        "cookie",  # cookie notice
        "Home |",  # menu
        "Main Page",  # breadcrumb
        "EUR 509.40",  # currency rates
        "usd/kzt",
        "Tags:",
        "Frosts down",  # "Popular" list
        "metro",  # "Read also"
        "memorandum on cultural",  # "Related news"
        "©",
        "17:11",  # the date line itself
    ):
        assert junk not in article.text, junk


@pytest.mark.parametrize("fmt", ["page", "jsonl"])
def test_kept_title_carries_no_invisible_characters(fmt):
    """A CMS's zero-width space or soft hyphen inside a title word never reaches the store,
    the app or its search: every reader's title comes out clean (issue 17)."""
    dirty = "Ja\u200bpan and Ger\u00admany Hold Talks\u2060 in Astana"
    if fmt == "page":
        result = feeds.parse_bytes(page(dirty, "", BODY).encode(), "t.txt")
    else:
        result = feeds.parse_bytes(jline(dirty, "2025-05-28", BODY).encode(), "t.jsonl")
    assert only(result).title == "Japan and Germany Hold Talks in Astana"


def test_page_body_sentences_that_look_like_junk_are_kept():
    """A money amount is not a currency ticker; a sentence starting "Popular" is not a heading."""
    text = only(parse("page_junk.txt")).text
    assert "reached USD 2.5 billion in the first nine months" in text
    assert "Popular destinations for Kazakh pilgrims" in text


@pytest.mark.parametrize(
    ("date_line", "day", "when"),
    [
        ("7 December 2020, 17:11", dt.date(2020, 12, 7), dt.datetime(2020, 12, 7, 17, 11)),
        ("21 December 2015 [16:34]", dt.date(2015, 12, 21), dt.datetime(2015, 12, 21, 16, 34)),
        ("2019-05-14", dt.date(2019, 5, 14), None),
        ("Publication: 04.07.2024", dt.date(2024, 7, 4), None),
        ("18 June 2025", dt.date(2025, 6, 18), None),
        ("December 7, 2020", dt.date(2020, 12, 7), None),
        # no view count: a page's date line, not a listing stamp
        ("04.07.2024, 13:49", dt.date(2024, 7, 4), dt.datetime(2024, 7, 4, 13, 49)),
    ],
)
def test_page_date_line_forms_beat_the_header(date_line, day, when):
    text = page(
        " date 2001-01-01", "Home | World | Politics | Economy", TITLE, date_line, BODY, BODY2
    )
    article = only(feeds.parse_text(text, "p.txt"))
    assert (article.title, article.date, article.date_source) == (TITLE, day, "dateline")
    assert article.datetime == (when.replace(tzinfo=KZ) if when else None)
    assert article.text == BODY + "\n" + BODY2


def test_page_body_dateline_with_full_date_dates_the_page():
    opening = (
        "Baku, 7 September 2022 (Trend): Kazakhstan and Azerbaijan discussed the development of "
        "the Trans-Caspian International Transport Route at talks in Baku."
    )
    text = page(" date 2022-09-10", "Kazakhstan and Azerbaijan Discuss Transit Corridor", opening)
    article = only(feeds.parse_text(text, "trend.txt"))
    assert (article.date, article.date_source) == (dt.date(2022, 9, 7), "dateline")
    assert article.title == "Kazakhstan and Azerbaijan Discuss Transit Corridor"


@pytest.mark.parametrize(
    "opening",
    [
        "On 13 September 2019, the Ministry of Foreign Affairs of Kazakhstan held consultations "
        "with Austria in Vienna on cooperation within the OSCE.",
        "ASTANA, 7 September (Kazinform) – The Ministry of Foreign Affairs of Kazakhstan held "
        "consultations with Austria in Vienna on cooperation within the OSCE.",
    ],
    ids=["date-in-sentence", "dateline-without-year"],
)
def test_page_date_inside_body_is_not_the_article_date(opening, tmp_path):
    with_header = page(" date 2019-09-20", "Kazakhstan and Austria Hold Talks in Vienna", opening)
    article = only(feeds.parse_text(with_header, "p.txt"))
    assert (article.date, article.date_source) == (dt.date(2019, 9, 20), "header")

    path = tmp_path / "undated.txt"
    path.write_text(page("Kazakhstan and Austria Hold Talks in Vienna", opening, BODY2))
    stamp = dt.datetime(2021, 3, 4, 22, 0, tzinfo=dt.UTC).timestamp()  # 5 March in Astana
    os.utime(path, (stamp, stamp))
    article = only(feeds.parse_file(path))
    assert (article.date, article.date_source) == (None, "undated")
    guessed = only(feeds.parse_file(path, date_from_file_time=True))
    assert (guessed.date, guessed.date_source) == (dt.date(2021, 3, 5), "file_time")


def test_page_without_title_line_takes_its_first_sentence():
    article = only(parse("page_no_title.txt"))
    assert article.title == (
        "Kazakhstan and the Republic of South Sudan have established diplomatic relations."
    )
    assert (article.date, article.date_source) == (dt.date(2025, 12, 15), "header")
    assert "Tags" not in article.text and "Astana prepares" not in article.text


def test_page_without_title_takes_its_first_sentence_as_printed_dateline_included():
    """As the real-page labels print it (their title_prefix keeps "ASTANA. KAZINFORM –"):
    the dateline is not a sentence of its own, and the extractor reads it in the text."""
    text = page(" date 2024-07-06", "ASTANA. KAZINFORM – " + BODY, BODY2)
    article = only(feeds.parse_text(text, "p.txt"))
    assert article.title == "ASTANA. KAZINFORM – " + BODY
    assert article.text.startswith("ASTANA. KAZINFORM – ")


@pytest.mark.parametrize("path", [FEEDS / "page_error.txt", RAW / "corpus" / "b_page_09.txt"])
def test_error_page_yields_no_article_and_a_warning(path):
    result = feeds.parse_file(path, path.name)
    assert result.articles == []
    assert messages(result) == [f"{path.name}: no article found on this page"]


def test_cookie_banner_above_an_undated_page_does_not_hide_the_article():
    text = page("This site uses cookies. Accept", "Home | World | Politics", TITLE, BODY, BODY2)
    article = only(feeds.parse_text(text, "p.txt"))
    assert article.title == TITLE
    assert "cookies" not in article.text


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_dates_datetimes_and_urls():
    result = parse("export.jsonl")
    assert result.warnings == []
    iaea, macedonia, japan, credentials = result.articles
    assert (iaea.date, iaea.datetime, iaea.date_source) == (dt.date(2015, 8, 27), None, "published")
    assert iaea.url == "https://news.example.kz/en/2015/08/27/leu-bank"
    # +05:00: the article keeps its local (Astana) calendar day
    assert macedonia.date == dt.date(2015, 7, 1)
    assert macedonia.datetime == dt.datetime(2015, 7, 1, 23, 20, tzinfo=KZ)
    # naive datetime = Kazakhstan's local time (UTC+5)
    assert japan.date == dt.date(2015, 11, 4)
    assert japan.datetime == dt.datetime(2015, 11, 4, 23, 30, tzinfo=KZ)
    assert japan.datetime.utcoffset() == dt.timedelta(hours=5)
    # missing and empty url are both "no url"
    assert macedonia.url is None and japan.url is None
    assert credentials.datetime == dt.datetime(2021, 3, 4, 19, 30, tzinfo=dt.UTC)
    assert [a.line_start for a in result.articles] == [1, 2, 3, 4]
    assert iaea.text.startswith("ASTANA. KAZINFORM – ")


def test_jsonl_bad_lines_are_reported_with_line_and_the_rest_ingests():
    good = jline(TITLE, "2024-07-04", BODY)
    data = "\n".join(
        [
            good,
            '{"title": "Broken", "published": ',
            '{"title": "No Text Here", "published": "2024-07-04"}',
            '["a", "list"]',
            "",
            good.replace("Japan", "Korea"),
        ]
    )
    result = feeds.parse_bytes(data.encode(), "mixed.jsonl")
    assert [a.title for a in result.articles] == [TITLE, TITLE.replace("Japan", "Korea")]
    assert [a.line_start for a in result.articles] == [1, 6]
    assert result.rejected == 3
    msgs = messages(result)
    assert len(msgs) == 3
    assert msgs[0].startswith("mixed.jsonl:2: not valid JSON")
    assert msgs[1] == "mixed.jsonl:3: missing text; record skipped"
    assert msgs[2] == "mixed.jsonl:4: not a JSON object"


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        (
            "dates.jsonl",
            jline("Ok", "2024-01-01", "x") + "\n" + jline(TITLE, "sometime in July", BODY),
            2,
        ),
        ("dates.csv", f'title,published,text\n"{TITLE}",07/04/24 or so,"{BODY}"\n', 2),
    ],
)
def test_unparseable_date_keeps_the_article_undated(tmp_path, name, content, line):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    stamp = dt.datetime(2021, 3, 4, 22, 0, tzinfo=dt.UTC).timestamp()  # 5 March in Astana
    os.utime(path, (stamp, stamp))
    result = feeds.parse_file(path, name)
    article = next(a for a in result.articles if a.title == TITLE)
    assert (article.date, article.date_source, article.datetime) == (None, "undated", None)
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert (warning.file, warning.line) == (name, line)
    assert "unparseable date" in warning.message and "kept undated" in warning.message
    assert result.rejected == 0
    # Only when asked: the file's day, flagged as a guess.
    guessed = feeds.parse_file(path, name, date_from_file_time=True)
    article = next(a for a in guessed.articles if a.title == TITLE)
    assert (article.date, article.date_source) == (dt.date(2021, 3, 5), "file_time")


# --------------------------------------------------------------------------- CSV


def test_csv_rfc4180_quoting_embedded_newlines_crlf_and_header_case(tmp_path):
    rows = [
        "Title,PUBLISHED,Url,Text",
        '"Kazakhstan, Japan Hold ""Strategic"" Talks",2024-07-04,,"ASTANA. First line, with comma.',
        'Second line with ""quotes"".',
        '"',
        "Plain Title,2024-07-05T10:00:00,https://x.example/2,One line body",
    ]
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    result = feeds.parse_file(path, "export.csv")
    assert result.warnings == []
    first, second = result.articles
    assert first.title == 'Kazakhstan, Japan Hold "Strategic" Talks'
    assert first.text == 'ASTANA. First line, with comma.\nSecond line with "quotes".'
    assert "\r" not in first.text
    assert (first.date, first.datetime, first.url) == (dt.date(2024, 7, 4), None, None)
    assert (first.line_start, first.line_end) == (2, 4)
    assert second.title == "Plain Title"
    assert second.datetime == dt.datetime(2024, 7, 5, 10, tzinfo=KZ)
    assert second.url == "https://x.example/2"
    assert (second.line_start, second.line_end) == (5, 5)


def test_csv_missing_required_column_is_reported_and_file_not_read():
    result = feeds.parse_bytes(b"title,url,text\nA title,https://x,Some body\n", "nodate.csv")
    assert result.articles == []
    assert not result.readable
    assert messages(result) == ["nodate.csv:1: CSV header lacks required column(s): published"]


def test_csv_row_missing_text_is_skipped_with_its_line():
    data = f"title,published,text\nEmpty Body,2024-07-04,\n{TITLE},2024-07-04,{BODY}\n"
    result = feeds.parse_bytes(data.encode(), "rows.csv")
    assert [a.title for a in result.articles] == [TITLE]
    assert messages(result) == ["rows.csv:2: missing text; record skipped"]
    assert result.rejected == 1


def test_sample_csv_and_jsonl_exports_parse_without_warnings():
    for name in ("a_export.csv", "b_export.csv", "a_export.jsonl", "b_export.jsonl"):
        result = feeds.parse_file(RAW / "corpus" / name, name)
        assert result.warnings == [], name
        assert result.articles, name
        assert all(a.date_source == "published" and a.title and a.text for a in result.articles)


# --------------------------------------------------------------------------- encodings

RU_TITLE = "Казахстан и Эстония провели консультации в Таллине"
RU_BODY = (
    "Министерство иностранных дел Казахстана провело консультации с делегацией Эстонии "
    "по широкому кругу двусторонних вопросов — «цифровое правительство» и транзит."
)
RU_PAGE = page(" date 2024-07-06", RU_TITLE, "4 июля 2024, 13:49", RU_BODY, BODY2)


@pytest.mark.parametrize(
    "data",
    [
        RU_PAGE.encode("utf-8"),
        b"\xef\xbb\xbf" + RU_PAGE.encode("utf-8"),
        RU_PAGE.replace("\n", "\r\n").encode("utf-8"),
        RU_PAGE.encode("cp1251"),
        RU_PAGE.replace("\n", "\r\n").encode("cp1251"),
        b"\xff\xfe" + RU_PAGE.encode("utf-16-le"),
        b"\xfe\xff" + RU_PAGE.encode("utf-16-be"),
        b"\xff\xfe" + RU_PAGE.replace("\n", "\r\n").encode("utf-16-le"),
        b"\xff\xfe\x00\x00" + RU_PAGE.encode("utf-32-le"),
        b"\x00\x00\xfe\xff" + RU_PAGE.encode("utf-32-be"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "crlf",
        "cp1251",
        "cp1251-crlf",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le-bom-crlf",
        "utf32le-bom",
        "utf32be-bom",
    ],
)
def test_encodings_decode_to_the_same_article(data):
    result = feeds.parse_bytes(data, "ru.txt")
    assert result.warnings == []
    article = only(result)
    assert article.title == RU_TITLE
    assert article.text == RU_BODY + "\n" + BODY2
    assert article.datetime == dt.datetime(2024, 7, 4, 13, 49, tzinfo=KZ)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_bom_does_not_break_export_headers(suffix):
    if suffix == ".csv":
        text = f"Title,Published,Text\n{TITLE},2024-07-04,{BODY}\n"
    else:
        text = jline(TITLE, "2024-07-04", BODY) + "\n"
    result = feeds.parse_bytes(b"\xef\xbb\xbf" + text.encode(), "bom" + suffix)
    assert result.warnings == []
    assert only(result).title == TITLE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_utf16_and_utf32_exports_with_a_bom(suffix, encoding):
    """Excel's and Windows tools' "Unicode" exports: UTF-16 with a byte-order mark."""
    if suffix == ".csv":
        text = f'Title,Published,Text\r\n{RU_TITLE},2024-07-04,"{RU_BODY}"\r\n'
    else:
        text = jline(RU_TITLE, "2024-07-04", RU_BODY) + "\n"
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")  # "utf-16", "utf-32" write their own
    result = feeds.parse_bytes(bom + text.encode(encoding), "unicode" + suffix)
    assert result.warnings == []
    article = only(result)
    assert (article.title, article.text) == (RU_TITLE, RU_BODY)


def test_utf16_cut_in_the_middle_of_a_character_is_cut_there_with_a_warning():
    data = b"\xff\xfe" + RU_PAGE.encode("utf-16-le") + "Ж".encode("utf-16-le")[:1]
    result = feeds.parse_bytes(data, "cut.txt")
    assert messages(result) == ["cut.txt:6: truncated UTF-16-LE at end of file; cut there"]
    assert only(result).text == RU_BODY + "\n" + BODY2


def test_utf16_unpaired_surrogate_is_replaced_with_a_warning_naming_the_line():
    body = RU_BODY.encode("utf-16-be").replace("Эстонии".encode("utf-16-be"), b"\xd8\x00")
    data = b"\xfe\xff" + page(" date 2024-07-06", RU_TITLE).encode("utf-16-be") + body
    result = feeds.parse_bytes(data + page("", BODY2).encode("utf-16-be"), "sur.txt")
    assert messages(result) == ["sur.txt:3: invalid UTF-16-BE replaced with U+FFFD"]
    assert "делегацией \ufffd по" in only(result).text


def test_joined_files_leave_no_byte_order_mark_inside_the_text():
    one = b"\xff\xfe" + page(RU_TITLE, "4 июля 2024, 13:49").encode("utf-16-le")
    two = b"\xff\xfe" + page(RU_BODY, BODY2).encode("utf-16-le")  # `cat one two`
    article = only(feeds.parse_bytes(one + two, "joined.txt"))
    assert "\ufeff" not in article.title + article.text
    assert article.text == RU_BODY + "\n" + BODY2


def test_utf16_without_a_bom_is_skipped_with_a_hint():
    result = feeds.parse_bytes(page(TITLE, BODY, BODY2).encode("utf-16-le"), "nobom.txt")
    assert not result.readable and result.articles == []
    assert messages(result) == [
        "nobom.txt: binary content, skipped: looks like UTF-16-LE without a byte-order mark; "
        "save it as UTF-8, or as UTF-16 with a BOM"
    ]


@pytest.mark.parametrize(
    "encodings",
    [
        pytest.param(["utf-8", "utf-8", "cp1251", "cp1251", "utf-8"], id="mostly-utf8"),
        # the detector's whole-file guess used to garble the one UTF-8 line silently
        pytest.param(["cp1251", "utf-8", "cp1251", "cp1251", "cp1251"], id="mostly-legacy"),
    ],
)
def test_mixed_utf8_and_cp1251_lines_each_decode_in_their_own_with_a_warning(encodings):
    """One file, two encodings (feeds appended by different tools): no line is garbled,
    and a warning names the file and the lines that were not UTF-8."""
    lines = [" date 2024-07-06", RU_TITLE, "4 июля 2024, 13:49", RU_BODY, BODY2]
    data = b"".join((ln + "\n").encode(enc) for ln, enc in zip(lines, encodings, strict=True))
    result = feeds.parse_bytes(data, "mixed.txt")
    assert messages(result) == [
        "mixed.txt:3: mixed encodings: lines 3-4 not UTF-8, decoded as cp1251"
    ]
    article = only(result)
    assert (article.title, article.text) == (RU_TITLE, RU_BODY + "\n" + BODY2)
    assert article.datetime == dt.datetime(2024, 7, 4, 13, 49, tzinfo=KZ)


def test_sample_windows_1251_page_is_decoded_correctly():
    path = RAW / "corpus" / "a_page_07.txt"
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the file really is legacy-encoded
    article = only(feeds.parse_file(path, "a_page_07.txt"))
    assert article.title == "President Tokayev Concludes Official Visit to Germany"
    assert "Kazakhstan’s key partner in Europe" in article.text  # cp1251 0x92 → ’
    assert "Читайте" not in article.text and "Курс валют" not in article.text
    assert "\ufffd" not in article.text


def test_truncated_utf8_at_end_is_cut_with_a_warning():
    data = RU_PAGE.encode() + "Ж".encode()[:1]
    result = feeds.parse_bytes(data, "cut.txt")
    assert messages(result) == ["cut.txt:6: truncated UTF-8 at end of file; cut there"]
    article = only(result)
    assert article.title == RU_TITLE and article.text.endswith(BODY2)


def test_stray_bad_byte_in_utf8_is_replaced_not_misdecoded():
    text = page(
        "Kazakhstan’s Diplomats Hold “Strategic” Talks — Tokyo",
        BODY.replace("delegation", "delegation’s"),
        BODY2,
    )
    data = text.encode().replace(b"The sides", b"\x81The sides")
    result = feeds.parse_bytes(data, "stray.txt")
    article = only(result)
    assert article.title == "Kazakhstan’s Diplomats Hold “Strategic” Talks — Tokyo"
    assert "delegation’s" in article.text
    assert messages(result) == ["stray.txt:3: invalid UTF-8 bytes replaced with U+FFFD"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file, skipped"),
        (b" \r\n\n\t\n", "empty file, skipped"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary content"),
        (
            b"\n".join(
                bytes((0x80 + (i * 37 + j * 11) % 128) for j in range(60)) for i in range(20)
            ),
            "undecodable text",
        ),
    ],
    ids=["empty", "blank", "binary", "undecodable"],
)
def test_unusable_file_gives_a_warning_naming_it(tmp_path, data, message):
    path = tmp_path / "feed.txt"
    path.write_bytes(data)
    result = feeds.parse_file(path, "in/feed.txt")
    assert result.articles == []
    assert not result.readable
    assert len(result.warnings) == 1
    assert result.warnings[0].file == "in/feed.txt"
    assert message in result.warnings[0].message


def test_directory_named_like_a_file_is_a_read_warning(tmp_path):
    folder = tmp_path / "feed.txt"
    folder.mkdir()
    result = feeds.parse_file(folder)
    assert not result.readable and result.articles == []
    assert messages(result) == [f"{folder}: cannot read (Is a directory)"]


@pytest.mark.parametrize("how", ["simulated", "chmod"])
def test_permission_denied_is_a_read_warning(tmp_path, deny_access, how):
    path = tmp_path / "secret.txt"
    path.write_text(page(TITLE, BODY))
    if how == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root reads a chmod 000 file (the simulated case covers root)")
        path.chmod(0)
    else:
        deny_access("secret.txt")
    result = feeds.parse_file(path, "secret.txt")
    assert not result.readable and result.articles == []
    assert messages(result) == ["secret.txt: cannot read (Permission denied)"]


def test_unlistable_folder_is_a_warning_and_the_rest_is_found(tmp_path, deny_access):
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "inside.txt").write_text(page(TITLE, BODY))
    (root / "a.txt").write_text(page(TITLE, BODY))
    deny_access("locked")
    files, warnings = feeds.discover([root])
    assert files == [root / "a.txt"]
    assert [str(w) for w in warnings] == [
        f"{root / 'locked'}: cannot list folder (Permission denied)"
    ]


def test_discover_survives_symlink_loops_and_dangling_links(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(page(TITLE, BODY))
    (root / "sub" / "b.jsonl").write_text("{}\n")
    (root / "notes.md").write_text("not a feed")
    (root / ".hidden.txt").write_text("not a feed")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "gone.txt").symlink_to(tmp_path / "missing.txt")

    files, warnings = feeds.discover([root, tmp_path / "nowhere"])

    names = sorted(p.relative_to(root).as_posix() for p in files)
    assert names == ["a.txt", "gone.txt", "self.txt", "sub/b.jsonl"]
    assert [str(w) for w in warnings] == [
        f"{root / 'sub' / 'loop'}: folder visited twice (symlink loop)",
        f"{tmp_path / 'nowhere'}: no such file or folder",
    ]
    gone = feeds.parse_file(root / "gone.txt", "gone.txt")
    assert messages(gone) == ["gone.txt: cannot read (No such file or directory)"]
    loop = feeds.parse_file(root / "self.txt", "self.txt")
    assert messages(loop) == ["self.txt: cannot read (Too many levels of symbolic links)"]


def test_files_are_only_opened_for_reading(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(page(TITLE, "2019-05-14", BODY))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    feeds.parse_file(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_dedupe_collapses_repeats_and_keeps_every_source_file():
    text = page(" date 2024-07-06", TITLE, BODY)
    a = only(feeds.parse_bytes(text.encode(), "one.txt"))
    b = only(feeds.parse_bytes(text.upper().replace(" DATE", " date").encode(), "two.txt"))
    c = only(feeds.parse_bytes(text.replace("2024-07-06", "2024-07-07").encode(), "three.txt"))
    unique, duplicates = feeds.dedupe([a, b, c])
    assert duplicates == 1
    assert [u.source_files for u in unique] == [["one.txt", "two.txt"], ["three.txt"]]


def test_dedupe_keeps_the_same_copy_whatever_the_order():
    """The preferred copy (feeds.copy_rank), every file sorted and the first URL in sorted
    order: a pure function of the set of copies, never of the order they came in."""
    stamped = page(" date 2024-07-04", "04.07.2024, 13:49 12", TITLE, BODY)

    def record(text: str, url: str | None = None) -> str:
        return json.dumps({"title": TITLE, "published": "2024-07-04", "text": text, "url": url})

    copies = [
        ("b_listing.txt", stamped),
        ("a_listing.txt", stamped),
        ("a_page.txt", page(" date 2024-07-04", TITLE, BODY)),
        ("c_export.jsonl", record(BODY + " " + BODY2)),
        ("d_export.jsonl", record(BODY, "https://b.example/x")),
        ("e_export.jsonl", record(BODY, "https://a.example/x")),
    ]

    parsed = [only(feeds.parse_bytes(text.encode(), name)) for name, text in copies]

    def kept(indices: tuple[int, ...]) -> tuple:
        fresh = [dataclasses.replace(parsed[i], source_files=[copies[i][0]]) for i in indices]
        (a,), duplicates = feeds.dedupe(fresh)  # dedupe sets the kept copy's files and URL
        assert duplicates == len(indices) - 1
        return (
            a.source_file,
            a.line_start,
            a.date_source,
            a.datetime,
            a.url,
            a.text,
            tuple(a.source_files),
        )

    # the most complete text wins; the URL is the first in sorted order of all copies'
    assert {kept(p) for p in itertools.permutations(range(6))} == {
        (
            "c_export.jsonl",
            1,
            "published",
            None,
            "https://a.example/x",
            BODY + " " + BODY2,
            tuple(sorted(name for name, _ in copies)),
        )
    }
    # equal texts: a time of day wins, then the first file in sorted order
    assert {kept(p) for p in itertools.permutations([0, 1, 2, 4])} == {
        (
            "a_listing.txt",
            3,
            "stamp",
            dt.datetime(2024, 7, 4, 13, 49, tzinfo=KZ),
            "https://b.example/x",
            BODY,
            ("a_listing.txt", "a_page.txt", "b_listing.txt", "d_export.jsonl"),
        )
    }


def test_junk_line_patterns_anchored_or_not_both_apply():
    """Patterns starting with ^ are tried at the line's start only, the rest anywhere."""
    assert feeds._is_junk("Skip to main content")
    assert not feeds._is_junk("Please skip to main content")
    assert feeds._is_junk("Today: USD 475.20 | EUR 512.30")
    assert not feeds._is_junk("The deal is worth USD 2.5 billion.")
