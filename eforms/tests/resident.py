"""A resident with JavaScript off: plain HTTP (requests) and HTML parsing (BeautifulSoup)."""

from urllib.parse import urljoin

import requests
from bs4 import BeautifulSoup


class Resident:
    def __init__(self, base_url):
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        # A returning visitor who has already answered the cookie banner (so it isn't the first form).
        self.http.cookies.set("cookies_policy", '{"essential": true, "analytics": false}')
        self.url = None
        self.page = None

    def get(self, path):
        response = self.http.get(urljoin(self.base + "/", path.lstrip("/")), timeout=30)
        self._read(response)
        return response

    def _read(self, response):
        self.url = response.url
        self.page = BeautifulSoup(response.text, "html.parser")
        self.status = response.status_code

    def submit(self, data=None, files=None, button=None, form_index=-1):
        """Post the page's form (the last one unless told) with its hidden inputs plus ``data``."""
        form = self._visible_post_forms()[form_index]
        fields = {}
        for hidden in form.find_all("input", type="hidden"):
            if hidden.get("name"):
                fields[hidden["name"]] = hidden.get("value", "")
        fields.update(data or {})
        if button:
            fields["_action"] = button
        action = urljoin(self.url, form.get("action") or self.url)
        response = self.http.post(
            action, data=fields, files=files, headers={"Referer": self.url}, timeout=30
        )
        self._read(response)
        return response

    def start(self, slug):
        self.get(f"/forms/{slug}/")
        start_form = self.page.find("form", action=f"/forms/{slug}/start/")
        assert start_form is not None, "no start button"
        return self.submit(form_index=self._visible_post_forms().index(start_form))

    def _visible_post_forms(self):
        """The POST forms a resident without JavaScript sees: not the script-shown cookie banner."""
        return [
            f
            for f in self.page.find_all("form")
            if f.get("method", "").lower() == "post" and not f.find_parent(attrs={"hidden": True})
        ]

    @property
    def heading(self):
        h1 = self.page.find("h1")
        return h1.get_text(" ", strip=True) if h1 else ""

    @property
    def errors(self):
        return [a.get_text(strip=True) for a in self.page.select(".sp-error-summary a")]

    @property
    def error_links(self):
        return [a["href"] for a in self.page.select(".sp-error-summary a")]

    def summary(self):
        rows = {}
        for row in self.page.select(".sp-summary-list__row"):
            key = row.select_one(".sp-summary-list__key").get_text(" ", strip=True)
            rows[key] = row.select_one(".sp-summary-list__value").get_text("\n", strip=True)
        return rows

    def change_link(self, label):
        for row in self.page.select(".sp-summary-list__row"):
            if row.select_one(".sp-summary-list__key").get_text(" ", strip=True) == label:
                return row.select_one(".sp-summary-list__actions a")["href"]
        raise AssertionError(f"no change link for {label}")
