"""Which version a visitor sees: the same one every visit, with no personal data.

The visitor id is a random token in a cookie, set only for visitors who accepted analytics
cookies. Hashing it with the test id gives a number from 0 to 9,999; the split decides the
version. Visitors who declined (or haven't chosen), and bots, always see A and are never counted.
"""

import hashlib
import json
import re
import secrets
from urllib.parse import unquote

VISITOR_COOKIE = "signpost_ab"
CONSENT_COOKIE = "cookies_policy"  # GOV.UK pattern: JSON like {"analytics": true}
BUCKETS = 10_000
_BOT = re.compile(
    r"bot|crawl|spider|slurp|preview|monitor|headless|python-requests|curl|wget|httpclient|lighthouse",
    re.IGNORECASE,
)


def new_visitor_id():
    return secrets.token_hex(16)


def bucket(visitor_id, test_id):
    digest = hashlib.sha256(f"{test_id}:{visitor_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def choose_label(visitor_id, test_id, control_share, labels):
    """The label (A, B, ...) for this visitor: A for `control_share`% of buckets, the rest shared equally."""
    position = bucket(visitor_id, test_id)
    control_buckets = BUCKETS * control_share // 100
    if position < control_buckets or len(labels) == 1:
        return labels[0]
    others = labels[1:]
    share = (BUCKETS - control_buckets) / len(others)
    return others[min(int((position - control_buckets) // share), len(others) - 1)]


def is_bot(user_agent):
    return not user_agent or bool(_BOT.search(user_agent))


def analytics_allowed(cookies):
    """True only when the visitor said yes to analytics cookies."""
    raw = cookies.get(CONSENT_COOKIE)
    if not raw:
        return False
    try:
        policy = json.loads(unquote(raw))
    except ValueError:
        return False
    return isinstance(policy, dict) and policy.get("analytics") is True


def may_take_part(request):
    return analytics_allowed(request.COOKIES) and not is_bot(
        request.META.get("HTTP_USER_AGENT", "")
    )
