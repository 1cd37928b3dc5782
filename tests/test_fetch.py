"""`diplodash fetch` against a web site the tests run on 127.0.0.1 (tests/web_server.py):
feeds and pages in, politeness (robots.txt, rate limit), safety (timeouts, retries, size
cap, redirects, schemes), the cache that makes re-runs cheap and fetches resumable, and
the fetched store as the dashboard loads it.

Timeouts, back-off and the rate limit are set short by each test (``FAST``).
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from web_server import Handler, Reply, Site

from analysis import cli, store
from analysis.aggregate import load
from analysis.fetch import Options, Policy, fetch
from analysis.fetch.cache import Cache
from analysis.fetch.client import Client, FetchError

WEB = Path(__file__).resolve().parent / "data" / "web"
FAST = Policy(interval=0.0, timeout=0.5, retries=1, backoff=0.01, max_bytes=1 << 20)
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
KIND = {"headers": HTML}
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request of these tests goes to the test site, never to the internet."""
    wait_turn = Client._wait_turn

    def checked(self: Client, host: str) -> None:
        assert host.startswith("127.0.0.1:"), f"a test tried to reach {host}"
        wait_turn(self, host)

    monkeypatch.setattr(Client, "_wait_turn", checked)


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        running.routes["/robots.txt"] = Reply(body=ROBOTS, headers={"Content-Type": "text/plain"})
        yield running


def local(site: Site, name: str) -> bytes:
    """A fixture feed whose links point at the test site: a test never goes online."""
    data = (WEB / name).read_bytes()
    for host in (b"https://mfa.example.kz", b"https://agency.example"):
        data = data.replace(host, site.base.encode())
    return data


def page(title: str, day: str, words: str) -> bytes:
    body = f"The Minister of Foreign Affairs of Kazakhstan {words}. " * 3
    return (
        f'<html><head><title>{title}</title><meta property="article:published_time" '
        f'content="{day}"></head><body><nav><a href="/">Home</a> | <a href="/n">News</a></nav>'
        f"<article><h1>{title}</h1><p>{body}</p></article><footer>© Ministry</footer>"
        "</body></html>"
    ).encode()


def summary_feed(site: Site, links: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS feed whose items carry only a one-line summary: (title, path, pubDate)."""
    items = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link>"
        + (f"<pubDate>{day}</pubDate>" if day else "")
        + "<description>Short teaser.</description></item>"
        for title, path, day in links
    )
    channel = f"<channel><title>T</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def etagged(body: bytes, tag: str, kind: dict[str, str]) -> object:
    """A route that answers 304 to a client that already has ``tag``."""

    def reply(handler: Handler) -> Reply:
        if handler.headers.get("If-None-Match") == tag:
            return Reply(304, headers={"ETag": tag})
        return Reply(body=body, headers={**kind, "ETag": tag})

    return reply


def client(tmp_path: Path, policy: Policy = FAST) -> Client:
    return Client(policy, Cache(tmp_path / "cache"), sleep=lambda s: None)


# --------------------------------------------------------------------------- feeds and pages


def test_rss_and_atom_feeds_with_dated_items_into_the_store(site: Site, tmp_path: Path) -> None:
    site.routes["/rss"] = Reply(body=local(site, "rss2.rss"), headers=RSS)
    site.routes["/atom"] = Reply(
        body=local(site, "atom.atom"), headers={"Content-Type": "application/atom+xml"}
    )
    report = fetch([site.url("/rss"), site.url("/atom")], tmp_path / "s", FAST, progress=False)
    frame = store.read_articles(tmp_path / "s")
    assert report.ingest.new == len(frame) == 5 and report.ingest.undated == 1
    egypt = frame[frame["title"].str.contains("Egypt")].iloc[0]
    assert (egypt["date"], egypt["date_source"]) == (dt.date(2024, 6, 5), "published")
    assert egypt["source_file"] == site.url("/rss")
    assert egypt["url"] == site.url("/en/news/egypt-consultations")
    notice = frame[frame["title"].str.startswith("Undated notice")].iloc[0]
    assert pd.isna(notice["date"]) and notice["date_source"] == "undated"  # not the fetch day


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("meta_published.html", dt.date(2024, 5, 3)),
        ("jsonld_published.html", dt.date(2023, 11, 20)),
        ("time_element.html", dt.date(2022, 9, 14)),
    ],
)
def test_pages_dated_by_their_markup(site: Site, tmp_path: Path, name: str, day: dt.date) -> None:
    site.routes["/p"] = Reply(body=(WEB / name).read_bytes(), headers=HTML)
    fetch([site.url("/p")], tmp_path / "s", FAST, progress=False)
    (date,) = store.read_articles(tmp_path / "s")["date"]
    assert date == day


def test_summary_only_items_are_read_from_their_linked_pages(site: Site, tmp_path: Path) -> None:
    site.routes["/feed"] = Reply(
        body=summary_feed(
            site,
            [
                ("Kazakhstan and Peru Discuss Mining", "/a", "Wed, 05 Jun 2024 09:00:00 +0500"),
                ("Kazakhstan and Chile Talks", "/b", None),  # the page dates it
                ("Secret", "/private/c", "Thu, 06 Jun 2024 09:00:00 +0500"),
            ],
        ),
        headers=RSS,
    )
    site.routes["/a"] = Reply(
        body=page("Peru", "2024-06-05", "met the envoy of Peru"), headers=HTML
    )
    site.routes["/b"] = Reply(
        body=page("Chile", "2024-06-01", "held talks with the minister of Chile"), headers=HTML
    )
    site.routes["/private/c"] = Reply(body=page("Secret", "2024-06-06", "x"), headers=HTML)
    report = fetch([site.url("/feed")], tmp_path / "s", FAST, progress=False)
    frame = store.read_articles(tmp_path / "s").set_index("title")
    peru = frame.loc["Kazakhstan and Peru Discuss Mining"]
    assert "met the envoy of Peru" in peru["text"] and "Home" not in peru["text"]
    assert list(peru["partner_countries"]) == ["PER"]
    assert frame.loc["Kazakhstan and Chile Talks", "date"] == dt.date(2024, 6, 1)
    # robots.txt forbids /private/: never asked for; the summary stands in, with a warning
    assert site.count("/private/c") == 0
    assert frame.loc["Secret", "text"] == "Short teaser."
    assert any(
        w.file == site.url("/private/c") and "robots.txt" in w.message
        for w in report.ingest.warnings
    )


def test_since_and_max_choose_the_newest_items(site: Site, tmp_path: Path) -> None:
    days = ["Mon, 03 Jun 2024 10:00:00 +0500", "Tue, 04 Jun 2024 10:00:00 +0500",
            "Wed, 05 Jun 2024 10:00:00 +0500"]  # fmt: skip
    site.routes["/feed"] = Reply(
        body=summary_feed(site, [(f"Item {i}", f"/{i}", d) for i, d in enumerate(days)]),
        headers=RSS,
    )
    for i in range(3):
        site.routes[f"/{i}"] = Reply(body=page(f"P{i}", "2024-06-0{i + 3}", "met"), headers=HTML)
    options = Options(since=dt.date(2024, 6, 4), max_items=1)
    report = fetch([site.url("/feed")], tmp_path / "s", FAST, options, progress=False)
    assert list(store.read_articles(tmp_path / "s")["title"]) == ["Item 2"]
    assert site.count("/0") == site.count("/1") == 0
    assert report.older == 1


# --------------------------------------------------------------------------- politeness, safety


def test_robots_txt_forbids_a_page_url(site: Site, tmp_path: Path) -> None:
    site.routes["/private/p"] = Reply(body=page("P", "2024-01-01", "met"), headers=HTML)
    with pytest.raises(FetchError, match=r"forbidden by robots\.txt"):
        client(tmp_path).get(site.url("/private/p"))
    assert site.paths() == ["/robots.txt"]


def test_one_request_per_interval_per_host(site: Site, tmp_path: Path) -> None:
    for i in range(3):
        site.routes[f"/{i}"] = Reply(body=b"<html>ok</html>", headers=HTML)
    # A clock that moves only when the client sleeps: the waits are exact however long
    # the requests take on a loaded machine.
    now, slept = [0.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    polite = Client(Policy(interval=5.0, timeout=0.5), None, sleep=sleep, clock=lambda: now[0])
    for i in range(3):
        polite.get(site.url(f"/{i}"))
    assert slept == [5.0, 5.0, 5.0]  # robots.txt, then 3 pages, each a full interval apart
    assert site.paths()[1:] == ["/0", "/1", "/2"]


def test_identifying_user_agent(site: Site, tmp_path: Path) -> None:
    site.routes["/p"] = Reply(body=b"<html>ok</html>", headers=HTML)
    client(tmp_path).get(site.url("/p"))
    assert {h.headers["user-agent"] for h in site.hits} == {FAST.user_agent}
    assert FAST.user_agent.startswith("diplodash/")


def test_slow_response_times_out(site: Site, tmp_path: Path) -> None:
    site.routes["/slow"] = Reply(body=b"late", headers=HTML, delay=1.5)
    quick = Policy(interval=0.0, timeout=0.2, retries=1, backoff=0.0)
    with pytest.raises(FetchError, match=r"timed out after 0.2 s \(tried 2 times\)"):
        client(tmp_path, quick).get(site.url("/slow"))


def test_a_500_is_retried_then_succeeds(site: Site, tmp_path: Path) -> None:
    answers = iter([Reply(500, b"oops"), Reply(body=b"<html>fine</html>", headers=HTML)])
    site.routes["/flaky"] = lambda handler: next(answers)
    slept: list[float] = []
    response = Client(FAST, None, sleep=slept.append).get(site.url("/flaky"))
    assert response.body == b"<html>fine</html>"
    assert site.count("/flaky") == 2 and FAST.backoff in slept


def test_http_error_is_not_retried_forever(site: Site, tmp_path: Path) -> None:
    site.routes["/down"] = Reply(503, b"down")
    with pytest.raises(FetchError, match="HTTP 503"):
        client(tmp_path).get(site.url("/down"))
    assert site.count("/down") == FAST.retries + 1


def test_redirect_loop_is_bounded(site: Site, tmp_path: Path) -> None:
    site.routes["/a"] = Reply(302, headers={"Location": "/b"})
    site.routes["/b"] = Reply(302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="too many redirects"):
        client(tmp_path).get(site.url("/a"))
    assert site.count("/a") + site.count("/b") == FAST.max_redirects + 1


def test_redirect_to_another_scheme_is_refused(site: Site, tmp_path: Path) -> None:
    site.routes["/r"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="not an http"):
        client(tmp_path).get(site.url("/r"))
    with pytest.raises(FetchError, match="not an http"):
        client(tmp_path).get("ftp://127.0.0.1/feed.xml")


def test_a_50_mb_response_is_cut_at_the_cap_while_streaming(site: Site, tmp_path: Path) -> None:
    site.routes["/huge"] = Reply(stream=50 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="larger than 1,048,576 bytes"):
            client(tmp_path).get(site.url("/huge"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # never the 50 MB in memory
    assert site.sent.get("/huge", 0) < 25 << 20  # the download stopped, not drained


def test_a_declared_length_over_the_cap_is_not_downloaded(site: Site, tmp_path: Path) -> None:
    site.routes["/big"] = Reply(body=b"x" * (2 << 20), headers=HTML)
    with pytest.raises(FetchError, match=r"Content-Length 2097152"):
        client(tmp_path).get(site.url("/big"))


# --------------------------------------------------------------------------- bad input


def test_bad_urls_warn_and_the_rest_goes_on(site: Site, tmp_path: Path) -> None:
    site.routes["/good"] = Reply(body=(WEB / "meta_published.html").read_bytes(), headers=HTML)
    site.routes["/pdf"] = Reply(body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    site.routes["/broken"] = Reply(body=local(site, "broken.xml"), headers=RSS)
    site.routes["/empty"] = Reply(body=(WEB / "no_main_text.html").read_bytes(), headers=HTML)
    urls = [site.url(p) for p in ("/pdf", "/missing", "/broken", "/empty", "/good")]
    report = fetch(urls, tmp_path / "s", FAST, progress=False)
    said = {w.file: w.message for w in report.ingest.warnings}
    assert (
        said[site.url("/pdf")] == "not an HTML page or an RSS/Atom feed (application/pdf), skipped"
    )
    assert said[site.url("/missing")] == "HTTP 404"
    assert said[site.url("/broken")].startswith("malformed feed")
    assert said[site.url("/empty")] == "no main text found on this page"
    assert report.ingest.new == 1 and report.ingest.ok


def test_script_and_event_handlers_in_a_fetched_page_are_inert(site: Site, tmp_path: Path) -> None:
    site.routes["/p"] = Reply(body=(WEB / "hostile.html").read_bytes(), headers=HTML)
    fetch([site.url("/p")], tmp_path / "s", FAST, progress=False)
    row = store.read_articles(tmp_path / "s").iloc[0]
    assert "<" not in row["text"] and "alert" not in row["text"] and "onerror" not in row["text"]
    assert row["url"] == site.url("/p")  # no canonical link: where it was fetched from


# --------------------------------------------------------------------------- cache, resume


def test_a_re_run_downloads_nothing_that_did_not_change(site: Site, tmp_path: Path) -> None:
    site.routes["/feed"] = etagged(
        summary_feed(
            site, [("Kazakhstan and Peru Talks", "/a", "Wed, 05 Jun 2024 09:00:00 +0500")]
        ),
        '"v1"',
        RSS,
    )
    site.routes["/a"] = Reply(
        body=page("Peru", "2024-06-05", "met the envoy of Peru"), headers=HTML
    )
    first = fetch([site.url("/feed")], tmp_path / "s", FAST, progress=False)
    again = fetch([site.url("/feed")], tmp_path / "s", FAST, progress=False)
    assert (first.stats.downloaded, first.ingest.new) == (2, 1)
    assert (again.stats.downloaded, again.stats.not_modified, again.stats.from_cache) == (0, 1, 1)
    assert site.count("/feed", 200) == 1 and site.count("/feed", 304) == 1
    assert site.count("/a") == 1
    assert again.ingest.new == 0 and not again.ingest.written


def test_last_modified_is_sent_back(site: Site, tmp_path: Path) -> None:
    stamp = "Wed, 05 Jun 2024 09:00:00 GMT"
    site.routes["/p"] = lambda h: (
        Reply(304)
        if h.headers.get("If-Modified-Since") == stamp
        else Reply(body=b"<html>v1</html>", headers={**HTML, "Last-Modified": stamp})
    )
    c = client(tmp_path)
    assert c.get(site.url("/p")).body == c.get(site.url("/p")).body == b"<html>v1</html>"
    assert c.stats.not_modified == 1


def test_an_interrupted_fetch_keeps_what_it_read_and_resumes(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    links = [(f"Kazakhstan and Peru Talks {i}", f"/{i}", f"0{i + 1} Jun 2024") for i in range(3)]
    links = [(t, p, f"Mon, {d} 10:00:00 +0500") for t, p, d in links]
    site.routes["/feed"] = Reply(body=summary_feed(site, links), headers=RSS)
    for i in range(3):
        site.routes[f"/{i}"] = Reply(body=page(f"P{i}", f"2024-06-0{i + 1}", "met"), headers=HTML)
    real_get = Client.get

    def interrupted(self: Client, url: str, revalidate: bool = True) -> object:
        if url.endswith("/0"):  # the oldest item is read last: Ctrl-C there
            raise KeyboardInterrupt
        return real_get(self, url, revalidate)

    monkeypatch.setattr(Client, "get", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch([site.url("/feed")], tmp_path / "s", FAST, progress=False)
    assert len(store.read_articles(tmp_path / "s")) == 2  # the two read before Ctrl-C
    monkeypatch.setattr(Client, "get", real_get)
    report = fetch([site.url("/feed")], tmp_path / "s", FAST, progress=False)
    assert report.ingest.new == 1 and report.stats.from_cache == 2
    assert [site.count(f"/{i}") for i in range(3)] == [1, 1, 1]


def test_a_torn_cache_entry_reads_as_missing(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("http://x/a", "http://x/a", b"body", "text/html", {"ETag": '"1"'})
    body = next(tmp_path.rglob("*.body"))
    body.write_bytes(b"other")
    assert cache.get("http://x/a") is None


# --------------------------------------------------------------------------- CLI, dashboard


def test_cli_fetch_into_a_store_the_dashboard_loads(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/rss"] = Reply(body=local(site, "rss2.rss"), headers=RSS)
    stored = tmp_path / "store"
    argv = ["fetch", site.url("/rss"), "--store", str(stored), "--interval", "0",
            "--timeout", "1", "--quiet"]  # fmt: skip
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    # robots.txt, the feed, and the linked pages of the two items with only a summary (404)
    assert "urls 1; requests 4: downloaded 1" in err
    assert "articles new 3" in err and "warning: 1 article without a date" in err
    data = load(stored)
    assert set(data.articles["title"]) == {
        "Kazakhstan and Egypt Hold Political Consultations",
        "Minister Sends Condolences to Counterpart in Chile",
        "Undated notice about the press centre",
    }
    assert {"EGY", "CHL"} <= set(data.engagements["partner"])


def test_cli_fetch_of_nothing_readable_fails(site: Site, tmp_path: Path, capsys) -> None:
    argv = ["fetch", site.url("/missing"), "--store", str(tmp_path / "s"), "--interval", "0",
            "--retries", "0", "--quiet"]  # fmt: skip
    assert cli.main(argv) == 1
    assert "error: nothing could be read from the given URLs" in capsys.readouterr().err


def test_the_dashboard_shows_what_was_fetched(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    site.routes["/rss"] = Reply(body=local(site, "rss2.rss"), headers=RSS)
    stored = tmp_path / "store"
    assert fetch([site.url("/rss")], stored, FAST, progress=False).ingest.new == 3
    monkeypatch.setenv("DIPLODASH_STORE", str(stored))
    monkeypatch.setenv("DIPLODASH_ACCURACY", str(tmp_path / "no-accuracy.json"))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py"))
    at.run(timeout=60)
    assert not at.exception, [e.message for e in at.exception]
    # the whole range lists and counts the undated item too (Filter.undated)
    assert {m.label: m.value for m in at.metric}["Articles"] == "3"


def test_a_linked_page_without_text_leaves_the_summary(site: Site, tmp_path: Path) -> None:
    teaser = "A teaser long enough to stand in for the article when its page has no text."
    feed = summary_feed(site, [("Talks in Lima", "/a", "Wed, 05 Jun 2024 09:00 +0500")])
    site.routes["/feed"] = Reply(body=feed.replace(b"Short teaser.", teaser.encode()), **KIND)
    site.routes["/a"] = Reply(body=(WEB / "no_main_text.html").read_bytes(), **KIND)
    report = fetch([site.url("/feed")], tmp_path / "s", FAST, progress=False)
    assert list(store.read_articles(tmp_path / "s")["text"]) == [teaser]
    assert [(w.file, w.message) for w in report.ingest.warnings] == [
        (site.url("/a"), "no main text found on this page; the item's summary is used")
    ]


@pytest.mark.parametrize(
    ("flag", "value"), [("--interval", "-1"), ("--timeout", "nan"), ("--retries", "-2")]
)
def test_cli_fetch_refuses_negative_settings(flag: str, value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["fetch", "http://127.0.0.1:9/feed", flag, value])
    assert exit_.value.code == 2 and "must be 0 or more" in capsys.readouterr().err
