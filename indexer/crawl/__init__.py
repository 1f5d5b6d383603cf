"""Fetch documents from official sites into a corpus folder, with provenance, politely.

`crawler.Crawler(out_dir, sources, settings).run()` does one crawl (or resumes an interrupted
one); `sources.load_sources(path)` reads corpus/sources.toml; `sources.source_for_url(url)` makes
a one-site source. The package itself imports nothing, so registering the `crawl` command
(cli.py) does not load the crawler.
"""
