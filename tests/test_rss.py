"""RSS 2.0 and Atom feeds (spec §1): one article per item, dated by the item; a malformed
feed is a warning naming the file, an undated item stays undated, and the rest goes on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import feeds
from analysis.feeds import rss

WEB = Path(__file__).resolve().parent / "data" / "web"


def feed(name: str) -> feeds.ParseResult:
    return feeds.parse_file(WEB / name, name)


def test_rss2_items_with_content_summary_and_no_date() -> None:
    result = feed("rss2.rss")
    egypt, chile, notice = result.articles
    assert egypt.title == "Kazakhstan and Egypt Hold Political Consultations"
    # content:encoded wins over the one-line description; 21:30 UTC is the next day in Astana
    assert egypt.text.startswith("The Deputy Foreign Minister of Kazakhstan held political")
    assert egypt.text.count("\n") == 1
    assert (egypt.date, egypt.date_source) == (dt.date(2024, 6, 5), "published")
    assert egypt.url == "https://mfa.example.kz/en/news/egypt-consultations"
    assert chile.datetime == dt.datetime(2024, 6, 3, 10, 0, tzinfo=feeds.KZ_TZ)
    assert "<p>" not in chile.text and chile.text.endswith("forest fires in the country.")
    assert (chile.line_start, chile.line_end) == (2, 2)  # the item's number in the feed
    assert (notice.date, notice.date_source, notice.datetime) == (None, "undated", None)
    assert result.rejected == 0 and result.warnings == []


def test_atom_entries_published_else_updated() -> None:
    italy, qatar = feed("atom.atom").articles
    assert italy.date == dt.date(2021, 3, 5)  # published 19:30 UTC = 00:30 next day in Astana
    assert italy.datetime == dt.datetime(2021, 3, 4, 19, 30, tzinfo=dt.UTC)
    assert qatar.date == dt.date(2021, 3, 1)  # no <published>: its <updated>
    assert qatar.text.startswith("The foreign ministers of Kazakhstan and Qatar signed")


def test_malformed_feed_is_one_warning_and_unreadable() -> None:
    result = feed("broken.xml")
    assert result.articles == [] and not result.readable
    assert str(result.warnings[0]).startswith("broken.xml: malformed feed (")


def test_an_xml_file_that_is_no_feed(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_bytes(b"<?xml version='1.0'?><urlset><url/></urlset>")
    result = feeds.parse_file(tmp_path / "sitemap.xml", "sitemap.xml")
    assert result.articles == []
    assert [str(w) for w in result.warnings] == ["sitemap.xml: feed without items, nothing read"]


def test_a_broken_item_does_not_stop_the_feed(tmp_path: Path) -> None:
    data = (WEB / "rss2.rss").read_bytes().replace(b"</channel>", b"<item><title>x</channel>")
    result = rss.parse_feed(data, "cut.rss")
    assert len(result.articles) == 3
    assert any("malformed feed" in str(w) for w in result.warnings)


def test_a_feed_given_as_text_is_never_opened_as_a_path_or_url(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes((WEB / "rss2.rss").read_bytes())
    for body in (str(secret), str(secret).encode(), b"file://" + str(secret).encode()):
        assert rss.parse_feed(body, "name.rss").articles == []


def test_looks_like_feed_by_type_or_first_tag() -> None:
    assert rss.looks_like_feed(b"", "application/rss+xml; charset=utf-8")
    assert rss.looks_like_feed(b"\n <?xml version='1.0'?><rss>", "text/plain")
    assert not rss.looks_like_feed(b"<!DOCTYPE html><html>", "text/html")
    assert not rss.looks_like_feed(b"<?xml version='1.0'?><html>", "application/xhtml+xml")


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>A &x; title</title>'
        "<pubDate>Mon, 03 Jun 2024 10:00:00 +0500</pubDate><description>Text &x; here, and "
        "more of it.</description></item></channel></rss>"
    ).encode()
    (article,) = rss.parse_feed(data, "x.rss").articles
    assert "TOPSECRET" not in article.title + article.text


def test_entity_expansion_bomb_is_refused() -> None:
    refs = ["lol"] + [f"&l{i - 1};" * 10 for i in range(1, 10)]
    entities = "".join(f'<!ENTITY l{i} "{ref}">' for i, ref in enumerate(refs))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE d [{entities}]><rss version="2.0"><channel>'
        "<item><title>&l9;</title><description>x</description></item></channel></rss>"
    ).encode()
    result = rss.parse_feed(data, "bomb.rss")
    assert all(len(a.title) < 10_000 for a in result.articles)
    assert "amplification" in str(result.warnings[0])


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(st.binary(max_size=4000) | st.text(alphabet="<>/&;!?[]x =\"'rssitemtleAom", max_size=600))
def test_any_bytes_as_a_feed_never_raise(data: bytes | str) -> None:
    raw = data.encode() if isinstance(data, str) else data
    result = feeds.parse_bytes(raw, "any.rss")
    assert result.readable or not result.articles
    assert all(w.file == "any.rss" for w in result.warnings)
    for article in result.articles:
        assert article.title and article.text and isinstance(article.date, dt.date)
