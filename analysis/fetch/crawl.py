"""``diplodash fetch URL ...``: feeds and pages from the web into the store.

Each URL is a feed (RSS/Atom) or a page (HTML), told apart by what the server sends. A
feed item with its full content is read from the feed; an item with only a summary is
read from its linked page, as a saved page would be. What a URL gives is ingested
through the one pipeline as soon as that URL is done, and every response is in the
cache as soon as it arrives (:mod:`analysis.fetch.cache`), so an interrupted fetch
loses nothing: what was ingested stays, and a re-run asks the sites only for what is
new (feeds revalidated, linked pages already fetched not asked for again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from tqdm import tqdm

from analysis import feeds, pipeline
from analysis.feeds import Article, FeedWarning, ParseResult, rss
from analysis.feeds.html_pages import parse_html
from analysis.fetch.cache import Cache
from analysis.fetch.client import Client, FetchError, Policy, Response, Stats

HTML_TYPES = ("text/html", "application/xhtml+xml")
CACHE_FOLDER = "fetch-cache"


@dataclasses.dataclass
class Options:
    since: dt.date | None = None  # items dated before this day are not taken (undated are)
    max_items: int | None = None  # newest items taken from each feed


@dataclasses.dataclass
class FetchReport:
    """What a fetch did: the requests it made and the ingest of what they gave."""

    urls: int
    stats: Stats
    ingest: pipeline.IngestReport
    older: int = 0  # items left out by --since

    def summary(self) -> str:
        s = self.stats
        older = f", older than --since {self.older}" if self.older else ""
        return (
            f"urls {self.urls}; requests {s.requests}: downloaded {s.downloaded}, "
            f"not modified {s.not_modified}; pages from cache {s.from_cache}{older}; "
            + self.ingest.summary()
        )


def fetch(
    urls: list[str],
    store_dir: Path = pipeline.DEFAULT_STORE,
    policy: Policy | None = None,
    options: Options | None = None,
    cache_dir: Path | None = None,
    progress: bool | None = None,
) -> FetchReport:
    """Fetch every URL into the store; a URL that fails is a warning, the rest goes on.

    On Ctrl-C what was already read is ingested before the interrupt goes on up."""
    client = Client(policy or Policy(), Cache(cache_dir or Path(store_dir) / CACHE_FOLDER))
    options = options or Options()
    reports: list[pipeline.IngestReport] = []
    older = 0
    for url in tqdm(urls, desc="fetching", unit="url", disable=_hidden(progress)):
        batch: list[ParseResult | FeedWarning] = []
        try:
            older += _read_url(client, url, options, batch, progress)
        finally:  # also on KeyboardInterrupt: what was read is not lost
            reports.append(pipeline.ingest_results(batch, store_dir, progress=False))
    return FetchReport(len(urls), client.stats, _combined(reports), older)


def _read_url(
    client: Client,
    url: str,
    options: Options,
    batch: list[ParseResult | FeedWarning],
    progress: bool | None,
) -> int:
    """Append what ``url`` gives to ``batch``; the number of items left out as too old."""
    try:
        response = client.get(url)
    except FetchError as err:
        batch.append(FeedWarning(url, None, str(err)))
        return 0
    if rss.looks_like_feed(response.body, response.content_type):
        return _read_feed(client, response, options, batch, progress)
    result = _read_page(response, url)
    if result is None:
        batch.append(FeedWarning(url, None, _not_readable(response)))
        return 0
    kept = [a for a in result.articles if _recent(a, options.since)]
    older = len(result.articles) - len(kept)
    result.articles = kept
    batch.append(result)
    return older


def _read_page(response: Response, name: str) -> ParseResult | None:
    """An HTML response as a page; None when the response is no HTML page."""
    kind = response.content_type.split(";")[0].strip().lower()
    head = response.body[:1024].lstrip().lower()
    if kind not in HTML_TYPES and not (kind in {"", "text/plain"} and head.startswith(b"<")):
        return None
    text, warnings = feeds.decode_bytes(response.body, name)
    if text is None:
        return ParseResult(warnings=warnings, readable=False)
    result = parse_html(text, name, url=response.final_url)
    result.warnings[:0] = warnings
    for article in result.articles:
        article.source_files = [name]
    return result


def _read_feed(
    client: Client,
    response: Response,
    options: Options,
    batch: list[ParseResult | FeedWarning],
    progress: bool | None,
) -> int:
    name = response.url
    feed = rss.read_feed(response.body, name)
    result = ParseResult(warnings=feed.warnings, readable=feed.readable)
    batch.append(result)  # filled item by item: an interrupt keeps the items read so far
    items = [i for i in feed.items if i.dated is None or _recent_day(i.dated[0], options.since)]
    older = len(feed.items) - len(items)
    items.sort(key=lambda i: i.dated[0] if i.dated else dt.date.min, reverse=True)
    items = items[: options.max_items] if options.max_items else items
    for item in tqdm(items, desc="items", unit="item", leave=False, disable=_hidden(progress)):
        article, warnings = _item_article(client, item, name)
        result.warnings.extend(warnings)
        if article is not None and _recent(article, options.since):
            article.source_files = [name]
            result.articles.append(article)
        elif article is None:
            result.rejected += 1
        else:
            older += 1
    return older


def _item_article(
    client: Client, item: rss.FeedItem, feed_url: str
) -> tuple[Article | None, list[FeedWarning]]:
    """An item from its own content, or from its linked page when it has only a summary;
    a linked page that cannot be read leaves the summary, with a warning."""
    if item.content or not item.link:
        return _from_item(item, feed_url)
    try:
        page = _read_page(client.get(item.link, revalidate=False), item.link)
    except FetchError as err:
        return _from_item(item, feed_url, [FeedWarning(item.link, None, str(err))])
    if page is None:
        return _from_item(item, feed_url, [FeedWarning(item.link, None, "not an HTML page")])
    if not page.articles:
        said = page.warnings or [FeedWarning(item.link, None, "no article found")]
        return _from_item(item, feed_url, said)
    found = page.articles[0]
    return _from_item(item, feed_url, [], found)


def _from_item(
    item: rss.FeedItem,
    feed_url: str,
    problems: list[FeedWarning] | None = None,
    page: Article | None = None,
) -> tuple[Article | None, list[FeedWarning]]:
    """The article of an item, from its page when there is one; each problem with its
    linked page is said, with the summary standing in."""
    warnings = [
        FeedWarning(w.file, w.line, f"{w.message}; the item's summary is used")
        for w in problems or []
    ]
    text, dated = (page.text, (page.date, page.datetime)) if page else (None, None)
    article, warning = rss.item_article(item, feed_url, text, dated)
    return article, [*warnings, *([warning] if warning else [])]


def _hidden(progress: bool | None) -> bool | None:
    """tqdm's ``disable``: None shows the bar only on a terminal."""
    return None if progress is None else not progress


def _not_readable(response: Response) -> str:
    kind = response.content_type.split(";")[0].strip() or "no content type"
    return f"not an HTML page or an RSS/Atom feed ({kind}), skipped"


def _recent(article: Article, since: dt.date | None) -> bool:
    return _recent_day(article.date, since)


def _recent_day(day: dt.date | None, since: dt.date | None) -> bool:
    """Undated items are taken: nothing says they are older than ``since``."""
    return since is None or day is None or day >= since


def _combined(reports: list[pipeline.IngestReport]) -> pipeline.IngestReport:
    """One summary for the per-URL ingests: counts add up, the store total is the last."""
    total = pipeline.IngestReport()
    for report in reports:
        counts = ("files_seen", "files_read", "articles_parsed", "new", "duplicate", "undated")
        for name in counts:
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.rejected += report.rejected
        total.warnings.extend(report.warnings)
        total.written |= report.written
        total.total = report.total
    return total
