"""``diplodash fetch``: feeds and pages from the web, politely, into the one pipeline.

:mod:`~analysis.fetch.client` is the HTTP side (robots.txt, rate limit, retries, caps),
:mod:`~analysis.fetch.cache` the responses on disk, :mod:`~analysis.fetch.crawl` what
a feed or a page URL turns into.
"""

from analysis.fetch.client import Policy
from analysis.fetch.crawl import FetchReport, Options, fetch

__all__ = ["FetchReport", "Options", "Policy", "fetch"]
