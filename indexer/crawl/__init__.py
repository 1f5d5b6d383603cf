"""Fetch documents from official sites into a corpus folder, with provenance, politely.

`Crawler(out_dir, sources, settings).run()` does one crawl (or resumes an interrupted one);
`load_sources(path)` reads corpus/sources.toml; `source_for_url(url)` makes a one-site source.
"""

from indexer.crawl.crawler import Crawler
from indexer.crawl.fetch import Fetcher, FetchError, Response
from indexer.crawl.report import CrawlReport
from indexer.crawl.sources import CrawlSettings, Source, SourcesError, load_sources, source_for_url

__all__ = [
    "CrawlReport",
    "CrawlSettings",
    "Crawler",
    "FetchError",
    "Fetcher",
    "Response",
    "Source",
    "SourcesError",
    "load_sources",
    "source_for_url",
]
