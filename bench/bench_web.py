"""HTML pages and RSS/Atom feeds: parse speed on one core, its share of ingest, and how
well the main-content extractor keeps the article and drops the site around it.

Pages are built from the bundled sample's articles in three layouts a news site uses
(a semantic ``<article>``, a div soup with class names, an old table layout), each with
a menu, a share bar, a cookie notice, a "Read also" block of other headlines and a
footer. "kept" is the share of the article's sentences in the extracted text; "junk" the
share of pages where any headline of the "Read also" block or the footer leaked in. The
same pages saved as text dumps give the text parser's speed for comparison. Other
extractors (jusText, which trafilatura ships with; readability-lxml when installed) are
measured beside trafilatura on the same pages.

    python bench/bench_web.py [--pages 300] [--items 3000]
"""

from __future__ import annotations

import argparse
import html
import itertools
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis import feeds, pipeline  # noqa: E402
from analysis.extract.gazetteer import get_gazetteer  # noqa: E402
from analysis.feeds import rss  # noqa: E402

SAMPLE = HERE.parent / "data" / "raw"
CHUNK = 50
LAYOUTS = ("article", "divs", "table")


def sample() -> list[feeds.Article]:
    files, _ = feeds.discover([SAMPLE])
    return [a for f in files for a in feeds.parse_file(f).articles if len(a.text) > 300]


def page_html(article: feeds.Article, others: list[feeds.Article], layout: str) -> str:
    esc = html.escape
    paras = "".join(f"<p>{esc(p)}</p>" for p in article.text.split("\n"))
    related = "".join(f'<li><a href="/n/{i}">{esc(o.title)}</a></li>' for i, o in enumerate(others))
    nav = '<a href="/">Home</a> | <a href="/news">News</a> | <a href="/about">About us</a>'
    share = '<div class="share">Share: <a href="#">Facebook</a> <a href="#">Telegram</a></div>'
    cookie = '<div class="cookie">This site uses cookies. <button>OK</button></div>'
    foot = "Example Ministry press service, all rights reserved, reprint with a link only"
    day = article.date.isoformat()
    head = (
        f'<head><meta charset="utf-8"><title>{esc(article.title)} | Example</title>'
        f'<meta property="article:published_time" content="{day}"></head>'
    )
    blocks = {
        "article": f"<header><nav>{nav}</nav></header><main><article><h1>{esc(article.title)}"
        f"</h1>{paras}{share}</article><aside><h3>Read also</h3><ul>{related}</ul></aside>"
        f"</main>{cookie}<footer>{foot}</footer>",
        "divs": f'<div class="top">{nav}</div><div class="news-body"><h2>{esc(article.title)}'
        f'</h2><div class="text">{paras}</div>{share}</div><div class="related"><b>Read also'
        f'</b><ul>{related}</ul></div>{cookie}<div class="bottom">{foot}</div>',
        "table": f"<table><tr><td>{nav}</td></tr><tr><td><h3>{esc(article.title)}</h3>"
        f"{paras}</td><td><b>Read also</b><ul>{related}</ul></td></tr><tr><td>{foot}</td>"
        "</tr></table>",
    }
    return f"<!DOCTYPE html><html lang='en'>{head}<body>{blocks[layout]}</body></html>"


def build(folder: Path, n: int) -> list[tuple[Path, Path, feeds.Article, list[str]]]:
    """``n`` pages as .html and as .txt; with each its article and its junk strings."""
    articles = sample()
    pool = itertools.cycle(articles)
    pages = []
    for i in range(n):
        article = next(pool)
        others = [articles[(i * 7 + k) % len(articles)] for k in range(1, 5)]
        others = [o for o in others if o.title != article.title]
        page = folder / f"page_{i:05d}.html"
        page.write_text(page_html(article, others, LAYOUTS[i % 3]), encoding="utf-8")
        text = folder / "text" / f"page_{i:05d}.txt"
        text.parent.mkdir(exist_ok=True)
        dateline = article.date.strftime("%d %B %Y").lstrip("0")
        text.write_text(f"{article.title}\n{dateline}\n{article.text}\n", encoding="utf-8")
        junk = [o.title for o in others] + ["reprint with a link only"]
        pages.append((page, text, article, junk))
    return pages


def per_second(paths: list[Path], parse: Callable[[Path], object]) -> float:
    """Median pages per CPU second over chunks of ``CHUNK`` pages."""
    rates = []
    for i in range(0, len(paths), CHUNK):
        chunk = paths[i : i + CHUNK]
        t0 = time.process_time()
        for path in chunk:
            parse(path)
        rates.append(len(chunk) / max(time.process_time() - t0, 1e-9))
    return statistics.median(rates)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 40]


def quality(pages: list, extract: Callable[[str], str]) -> tuple[float, float]:
    """(share of article sentences kept, share of pages with junk in the text)."""
    kept, total, leaks = 0, 0, 0
    for page, _, article, junk in pages:
        text = " ".join(extract(page.read_text(encoding="utf-8")).split())
        wanted = [" ".join(s.split()) for s in _sentences(article.text)]
        kept += sum(s in text for s in wanted)
        total += len(wanted)
        leaks += any(j in text for j in junk)
    return kept / max(total, 1), leaks / max(len(pages), 1)


def extractors() -> dict[str, Callable[[str], str]]:
    import justext
    import trafilatura

    from analysis.feeds.html_pages import parse_html

    def ours(page: str) -> str:
        result = parse_html(page, "bench.html")
        return result.articles[0].text if result.articles else ""

    found: dict[str, Callable[[str], str]] = {
        "trafilatura (html_pages)": ours,
        "trafilatura fast=True": lambda h: (
            trafilatura.extract(h, fast=True, include_tables=False) or ""
        ),
        "jusText": lambda h: "\n".join(
            p.text
            for p in justext.justext(h, justext.get_stoplist("English"))
            if not p.is_boilerplate
        ),
    }
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return found
    found["readability-lxml"] = lambda h: lxml.html.fromstring(Document(h).summary()).text_content()
    return found


def feed_rate(n: int, articles: list[feeds.Article]) -> float:
    """Items per CPU second of an RSS feed of ``n`` items with full content, median of 5."""
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>https://x.example/{i}</link>"
        f"<pubDate>Mon, 03 Jun 2024 10:00:00 +0500</pubDate><description><![CDATA["
        + "".join(f"<p>{html.escape(p)}</p>" for p in a.text.split("\n"))
        + "]]></description></item>"
        for i, a in zip(range(n), itertools.cycle(articles), strict=False)
    )
    data = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    rates = []
    for _ in range(5):
        t0 = time.process_time()
        got = len(rss.parse_feed(data.encode(), "bench.rss").articles)
        rates.append(got / (time.process_time() - t0))
    return statistics.median(rates)


def ingest_share(folder: Path, store_dir: Path) -> tuple[float, float]:
    """(ingest seconds of the HTML folder, share of them spent parsing the pages)."""
    parsing = 0.0
    real = feeds.parse_file

    def timed(path: Path, name: str | None = None) -> feeds.ParseResult:
        nonlocal parsing
        t0 = time.process_time()
        result = real(path, name)
        parsing += time.process_time() - t0
        return result

    get_gazetteer()  # built once per process: not the pages' cost, nor the ingest's
    pipeline.feeds.parse_file = timed
    try:
        t0 = time.process_time()
        pipeline.ingest([folder], store_dir, progress=False)
        total = time.process_time() - t0
    finally:
        pipeline.feeds.parse_file = real
    return total, parsing / total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--items", type=int, default=3000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        pages = build(folder, args.pages)
        html_rate = per_second([p for p, *_ in pages], feeds.parse_file)
        text_rate = per_second([t for _, t, *_ in pages], feeds.parse_file)
        total, share = ingest_share(folder, Path(tmp) / "store")
        print(f"{args.pages} pages, layouts {', '.join(LAYOUTS)}; one core, CPU time")
        print(f"{'':28} {'pages/s':>9} {'kept':>7} {'junk':>7}")
        print(f"{'HTML page (parse_file)':28} {html_rate:9.0f}")
        ratio = text_rate / html_rate
        print(f"{'same page as text dump':28} {text_rate:9.0f}   (HTML costs {ratio:.1f}x)")
        for name, extract in extractors().items():
            rate = per_second([p for p, *_ in pages], lambda p, e=extract: e(p.read_text()))
            kept, junk = quality(pages, extract)
            print(f"{name:28} {rate:9.0f} {kept:7.1%} {junk:7.1%}")
        print(f"ingest of the HTML folder: {total:.2f} CPU s, parsing pages {share:.0%} of it")
        items = feed_rate(args.items, sample())
        print(f"RSS feed, {args.items} items with content: {items:,.0f} items/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
