"""Checking links to other websites: nightly only, because it is slow and touches other people's servers.

Each address is checked once a run, with a short timeout, at most one request a second to any
one host, and a User-Agent that says who we are.
"""

import time
from urllib.parse import urlsplit

import requests

from .findings import WARNING, Finding
from .markup import soup

USER_AGENT = "SignpostLinkChecker/1.0 (council website link check)"


def external_links(html):
    return sorted(
        {
            a["href"]
            for a in soup(html).find_all("a", href=True)
            if a["href"].startswith(("http://", "https://"))
        }
    )


class LinkChecker:
    def __init__(
        self, timeout=5.0, per_host_delay=1.0, session=None, clock=time.monotonic, sleep=time.sleep
    ):
        self.timeout, self.per_host_delay = timeout, per_host_delay
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.clock, self.sleep = clock, sleep
        self.results, self._last_request = {}, {}

    def is_broken(self, url):
        if url not in self.results:
            self.results[url] = self._fetch(url)
        status = self.results[url]
        return status is None or status >= 400

    def _fetch(self, url):
        host = urlsplit(url).netloc
        wait = self._last_request.get(host, -1e9) + self.per_host_delay - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last_request[host] = self.clock()
        try:
            response = self.session.head(url, timeout=self.timeout, allow_redirects=True)
            if response.status_code in (405, 501):  # some servers refuse HEAD
                response = self.session.get(
                    url, timeout=self.timeout, allow_redirects=True, stream=True
                )
                response.close()
            return response.status_code
        except requests.RequestException:
            return None

    def check(self, html):
        broken = [url for url in external_links(html) if self.is_broken(url)]
        if not broken:
            return []
        return [
            Finding(
                "broken-external-link",
                WARNING,
                f"{len(broken)} link{'s' if len(broken) > 1 else ''} to other websites "
                f"{'do' if len(broken) > 1 else 'does'} not work, for example {broken[0]}.",
            )
        ]
