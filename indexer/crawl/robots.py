"""robots.txt, read once per host per run, re-validated with conditional GET on re-crawls.

Follows RFC 9309 where it differs from urllib.robotparser's own fetching: a robots.txt that
is missing or answers any 4xx allows everything; one that cannot be read (5xx, timeout,
garbage) forbids the whole host for this run, since we cannot know what it would say.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from indexer.crawl.fetch import Fetcher, FetchError
from indexer.crawl.state import CrawlState
from indexer.crawl.urls import host_of

MAX_ROBOTS_BYTES = 512_000
MAX_CRAWL_DELAY = 60.0


def _accept_any(content_type: str, url: str, disposition: str) -> str:
    return "txt"


class RobotsRules:
    """Answers `allowed(url)` for our User-Agent; applies Crawl-delay to the fetcher."""

    def __init__(self, fetcher: Fetcher, state: CrawlState) -> None:
        self.fetcher = fetcher
        self.state = state
        self.agent = fetcher.settings.user_agent.split("/", 1)[0]
        self._parsers: dict[str, RobotFileParser | None] = {}  # None: unreadable, all forbidden
        self.problems: list[tuple[str, str]] = []  # (robots.txt URL, why it could not be read)

    def _parser_for(self, url: str) -> RobotFileParser | None:
        host = host_of(url)
        if host in self._parsers:
            return self._parsers[host]
        robots_url = f"{urlsplit(url).scheme}://{host}/robots.txt"
        cached = self.state.robots(host)
        conditional = {"etag": cached[1], "last_modified": cached[2]} if cached else {}
        text: str | None
        try:
            resp = self.fetcher.fetch(
                robots_url, _accept_any, conditional, max_bytes=MAX_ROBOTS_BYTES
            )
            if resp.status == 304 and cached:
                text = cached[0]
            else:
                text = resp.body.decode("utf-8", errors="replace")
                self.state.put_robots(
                    host, text, resp.headers.get("etag", ""), resp.headers.get("last-modified", "")
                )
        except FetchError as exc:
            status = int(exc.kind[5:]) if exc.kind.startswith("http-") else 0
            if 400 <= status < 500:
                text = ""  # no robots.txt: everything allowed
            elif exc.kind == "too-large" and cached:
                text = cached[0]
            else:
                self.problems.append((robots_url, exc.message))
                text = None
        parser: RobotFileParser | None = None
        if text is not None:
            parser = RobotFileParser(robots_url)
            parser.parse(text.splitlines())
            delay = parser.crawl_delay(self.agent)
            if delay:
                self.fetcher.host_delay[host] = min(float(delay), MAX_CRAWL_DELAY)
        self._parsers[host] = parser
        return parser

    def allowed(self, url: str) -> bool:
        return self.refusal(url) is None

    def refusal(self, url: str) -> str | None:
        """None when we may fetch `url`, else why not."""
        parser = self._parser_for(url)
        if parser is None:
            return "robots.txt unreadable: host skipped this run"
        return None if parser.can_fetch(self.agent, url) else "forbidden by robots.txt"
