"""Saved web pages (``.html``, ``.htm``) and fetched ones → one article each.

The main text comes from trafilatura, the maintained main-content extractor that leads
the published comparisons (ScrapingHub's article-extraction benchmark, Bevendorff et
al. 2023): it drops menus, footers, share bars and "Read also" blocks, which a text
dump's junk rules would have to learn site by site (see docs/formats.md for what was
measured). The date is read from the page's own markup, most explicit first
(``article:published_time`` and its kin, JSON-LD ``datePublished``, a ``<time>`` in the
article), then a date line at the top of the main text; a page with none stays undated.
Scripts, styles and event handlers never reach the text: only text nodes do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import lxml.etree
import lxml.html
import trafilatura

from analysis.feeds.dates import parse_date_line
from analysis.feeds.model import UNDATED, Article, FeedWarning, ParseResult, normalise_key
from analysis.feeds.text import MIN_BODY_CHARS, _first_sentence
from analysis.feeds.web_dates import Dated, parse_web_date

# <meta> names and properties that carry a page's publication date, surest first.
DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.date",
    "parsely-pub-date",
    "sailthru.date",
    "date",
)
DATE_LINES_LOOKED_AT = 3  # a date line opens the main text or it is a body sentence
MAX_URL_CHARS = 2048
MAX_HTML_CHARS = 8 << 20  # a page beyond this is a dump, not an article: cut there
_SKIP = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "header", "footer", "table", "ul", "ol",
)  # fmt: skip


def parse_html(text: str, file: str, path: object = None, url: str | None = None) -> ParseResult:
    """One page: its title, date, main text and canonical url; a warning when it has none.

    ``url`` is where the page was fetched from (a saved file has none): the fallback for
    a page without a canonical link. ``path`` is unused; it keeps the parsers' signature.
    """
    del path
    result = ParseResult()
    tree = _tree(text[:MAX_HTML_CHARS])
    if tree is None:
        result.warnings.append(FeedWarning(file, None, "not a readable HTML page, skipped"))
        result.readable = False
        return result
    dated = markup_date(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = _main_text(doc)
    if len(body) < MIN_BODY_CHARS:
        result.warnings.append(FeedWarning(file, None, "no main text found on this page"))
        return result
    title = " ".join(str(getattr(doc, "title", None) or "").split())
    body = _without_title(body, title)
    title = title or _first_sentence(body)
    source = "published"
    if dated is None and (dated := _date_line(body)):
        source = "dateline"
    if dated is None:
        dated = parse_web_date(getattr(doc, "date", None))
        source = "published"
    day, when = dated or (None, None)  # undated stays undated: never the save or fetch time
    source = source if dated else UNDATED
    canonical = web_url(getattr(doc, "url", None)) or web_url(url)
    lines = text.count("\n") + 1
    result.articles.append(Article(title, body, day, source, file, 1, lines, when, canonical))
    return result


def _tree(text: str) -> lxml.html.HtmlElement | None:
    if not text.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None
    return tree


def _main_text(doc: object) -> str:
    raw = str(getattr(doc, "text", None) or "") if doc is not None else ""
    return "\n".join(" ".join(line.split()) for line in raw.split("\n") if line.strip())


def _without_title(body: str, title: str) -> str:
    """trafilatura keeps the article's heading as its first line; the title says it."""
    first, _, rest = body.partition("\n")
    same = normalise_key(first) == normalise_key(title)
    return rest if title and same and rest else body


def _date_line(body: str) -> Dated | None:
    for line in body.split("\n")[:DATE_LINES_LOOKED_AT]:
        if dated := parse_date_line(line):
            return dated
    return None


def markup_date(tree: lxml.html.HtmlElement) -> Dated | None:
    """The publication date the page's markup states, surest source first."""
    for value in _date_candidates(tree):
        if dated := parse_web_date(value):
            return dated
    return None


def _date_candidates(tree: lxml.html.HtmlElement) -> Iterator[object]:
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in DATE_META and key not in metas:
            metas[key] = meta.get("content") or ""
    yield from (metas[k] for k in DATE_META if k in metas)
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            yield from _json_ld_dates(script.text or "")
    for xpath in (
        "//*[@itemprop='datePublished']/@datetime",
        "//time[@pubdate]/@datetime",
        "//article//time/@datetime",
    ):
        yield from tree.xpath(xpath)[:1]


def _json_ld_dates(raw: str) -> Iterator[object]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return
    stack = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "datePublished" in node:
                yield node["datePublished"]
            stack.extend(v for k, v in node.items() if k in {"@graph", "mainEntity"})


def web_url(value: object) -> str | None:
    """An http(s) address, or None: a page's own links are untrusted input."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    web = value.lower().startswith(("http://", "https://")) and len(value) < MAX_URL_CHARS
    return value if web else None


def fragment_text(html: str) -> str:
    """A feed item's HTML content → plain text, one line per block; scripts dropped."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return " ".join(html.split())
    for bad in list(root.iter(*_SKIP)):
        bad.drop_tree()
    for block in root.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
