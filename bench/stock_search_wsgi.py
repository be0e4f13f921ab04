"""The stock Wagtail search beside Signpost's, in the same gunicorn: the served benchmark's peer.

``/bench/stock-search/?q=`` answers ``Page.objects.live().search(q)[:10]`` as JSON (titles and
URLs, what a results page needs), through the same middleware-free WSGI path; anything else goes
to Signpost's own application. Used only by ``bench/search.py``, never deployed.
"""

import json
from urllib.parse import parse_qs

from cms.wsgi import application as signpost

STOCK_PATH = "/bench/stock-search/"


def application(environ, start_response):
    if environ.get("PATH_INFO") != STOCK_PATH:
        return signpost(environ, start_response)
    from django.db import close_old_connections
    from wagtail.models import Page

    close_old_connections()
    text = parse_qs(environ.get("QUERY_STRING", "")).get("q", [""])[0]
    pages = list(Page.objects.live().search(text)[:10])
    body = json.dumps({"results": [{"title": p.title, "url": p.url_path} for p in pages]})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body.encode()]
