"""The site's own middleware: frame rules for the admin and previews, and the admin sign-in lockout.

Frame rules: pages may never be framed by other sites, but Wagtail's preview frames admin
views inside the admin itself, so admin responses say SAMEORIGIN. Django's
XFrameOptionsMiddleware (X_FRAME_OPTIONS = "DENY") leaves a header already set alone.

The resident pages' content security policy says ``frame-ancestors 'none'``. Wagtail builds a
preview by running a pretend request for the page's own address through every middleware
(``PreviewableMixin.make_preview_request``), so that policy landed on the preview too and the
editor's preview panel stayed blank. ``ContentSecurityPolicyMiddleware`` lets a preview be framed
by the site's own origin (the admin) and nobody else; resident pages keep ``'none'``.

Bodies too large: ``BodySizeLimitMiddleware`` answers a body longer than its path takes with a
413 before anything reads it (the forms API 30 MB, other bodies Django's usual 2.5 MB; a
resident's uploads, multipart, are streamed to disk by Django and limited by each form).

Unreadable input: ``RefuseUnreadableInputMiddleware`` answers NUL and control characters, and
JSON nested too deeply, with a 400 before any view or database sees them."""

import re
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.ratelimit import Lockout, client_address
from eforms.api import SUBMISSION_MAX_BODY_BYTES

PREVIEW_FRAME_ANCESTORS = ["'self'"]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with one exception: previews may be framed by the admin.

    ``request.is_preview`` is set by Wagtail's preview handler on its own pretend request,
    never from anything a visitor sends, so a resident page can't claim it.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if getattr(request, "is_preview", False) is True:
            parts.replace = {**(parts.replace or {}), "frame-ancestors": PREVIEW_FRAME_ANCESTORS}
        return parts


# Django's default DATA_UPLOAD_MAX_MEMORY_SIZE: what any other non-multipart body may be.
DEFAULT_MAX_BODY_BYTES = 2_621_440
FORMS_SUBMISSION_PATH = re.compile(r"^/api/v1/forms/[^/]+/submissions/$")


def body_limit(request: HttpRequest) -> int | None:
    """The most bytes this request's body may have, or None (multipart: streamed to disk)."""
    if request.content_type == "multipart/form-data":
        return None
    if FORMS_SUBMISSION_PATH.match(request.path):
        return SUBMISSION_MAX_BODY_BYTES
    return DEFAULT_MAX_BODY_BYTES


class BodySizeLimitMiddleware:
    """A 413 in plain English for a body over its path's limit, read from Content-Length before
    any of it is read (JSON for the APIs, the site's error page elsewhere)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is None or length <= limit:
            return self.get_response(request)
        megabytes = f"{limit / (1024 * 1024):g}"
        message = str(
            _("The request is too large: send %(size)s MB at most.") % {"size": megabytes}
        )
        if FORMS_SUBMISSION_PATH.match(request.path):
            message = str(
                _(
                    "The request is too large: a submission may be %(size)s MB at most, "
                    "with each file 10 MB at most before base64 encoding."
                )
                % {"size": megabytes}
            )
        if request.path.startswith("/api/"):
            return JsonResponse({"error": message, "limit_bytes": limit}, status=413)
        return render(request, "400.html", {"message": message}, status=413)


class AdminSameOriginFramesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "X-Frame-Options" not in response:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class AdminLoginThrottleMiddleware:
    """Slow down password guessing on the admin sign-in page, without locking out staff.

    Failures are counted twice by core.ratelimit (addresses and usernames hashed, never
    stored), both from the client address that ``client_address`` finds behind the proxy:

    - per account and address: ADMIN_LOGIN_MAX_FAILURES wrong passwords for one username from
      one address refuse that username from that address. The same person elsewhere, and
      everyone else in the office, can still sign in: a guesser cannot lock staff out.
    - per address: ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS failures from one address, whichever
      usernames they tried, refuse that address for everyone, so trying a few passwords on
      every account from one machine is stopped too.

    A refused attempt gets a 429 with a plain explanation until ADMIN_LOGIN_LOCKOUT_SECONDS
    pass with no new failure. Signing in forgets the account's failures from that address, but
    not the address's: one known password must not buy a guesser a fresh allowance.
    """

    LOGIN_PATH = "/admin/login/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path != self.LOGIN_PATH or request.method != "POST":
            return self.get_response(request)
        seconds = settings.ADMIN_LOGIN_LOCKOUT_SECONDS
        per_account = Lockout("admin-login-account", settings.ADMIN_LOGIN_MAX_FAILURES, seconds)
        per_address = Lockout("admin-login", settings.ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS, seconds)
        address = client_address(request)
        account = account_at_address(request.POST.get("username", ""), address)
        if per_account.is_limited(account) or per_address.is_limited(address):
            minutes = max(1, seconds // 60)
            return HttpResponse(
                f"Too many failed sign-in attempts. Wait {minutes} minutes, then try again.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        response = self.get_response(request)
        signed_in = request.user.is_authenticated
        if not signed_in and response.status_code == 200:
            per_account.hit(account)
            per_address.hit(address)
        elif signed_in:
            per_account.reset(account)
        return response


def account_at_address(username: str, address: str) -> str:
    """What the per-account count is kept under: the username as typed, and the address.

    Case and surrounding spaces are ignored, so "Editor " and "editor" share one count: a
    guesser gains nothing by varying them. The address comes first and never contains "|",
    so no username can make two different pairs look the same.
    """
    return f"{address}|{username.strip().casefold()}"


# C0 control characters and DEL. Tabs and line breaks are ordinary in a form's text (a textarea
# sends "\r\n"), so bodies and query strings may hold them; a path never may.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PATH_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# The same characters written as JSON escapes (\u0000), which decode to the real thing.
JSON_CONTROL_ESCAPES = re.compile(rb"\\u00(?:[01][0-8bcefBCEF]|1[0-9a-fA-F]|7[fF])")
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
JSON_BRACKETS = re.compile(rb"[\[\]{}]")
MAX_JSON_DEPTH = 64
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

UNREADABLE_MESSAGE = _(
    "Your request contains characters we cannot read, such as a null or control character. "
    "Remove them and try again."
)
TOO_DEEP_MESSAGE = _(
    "The JSON in your request is nested too deeply (more than %(depth)s levels). "
    "Send a simpler document."
)


def json_depth(body: bytes) -> int:
    """How deeply a JSON document nests, counted without parsing it (strings skipped).

    Python's json module recurses once per level, so a document 100,000 levels deep is a
    RecursionError inside whichever view parses it; this counts brackets in one pass instead.
    """
    deepest = depth = 0
    for bracket in JSON_BRACKETS.findall(JSON_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class RefuseUnreadableInputMiddleware:
    """A 400 with a plain-English message for input no view can use, before any view sees it.

    NUL bytes in a path, query string or form field reach the database as they are, and
    PostgreSQL refuses any text holding one ("A string literal cannot contain NUL"): a 500 on
    every page that searches or looks something up. Other control characters are never typed by
    a person. JSON nested deeper than ``MAX_JSON_DEPTH`` is refused before it is parsed. API paths
    (``/api/``) get JSON, ``{"error": ..., "parameter": ...}`` (Wagtail's own API, ``/api/v2/``,
    its ``{"message": ...}``), and everything else the site's 400 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        problem = self.problem(request)
        if problem is None:
            return self.get_response(request)
        message, parameter = problem
        return refuse(request, message, parameter)

    def problem(self, request: HttpRequest) -> tuple[str, str | None] | None:
        """(message, the parameter at fault) for unreadable input, or None when all is well."""
        if PATH_CONTROL_CHARACTERS.search(request.path):
            return str(UNREADABLE_MESSAGE), "path"
        for name, values in request.GET.lists():
            if CONTROL_CHARACTERS.search(name) or any(map(CONTROL_CHARACTERS.search, values)):
                return str(UNREADABLE_MESSAGE), name
        for name, value in request.COOKIES.items():
            if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value):
                return str(UNREADABLE_MESSAGE), "cookie"
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if request.content_type in FORM_CONTENT_TYPES:
            for name, values in request.POST.lists():
                if CONTROL_CHARACTERS.search(name) or any(map(CONTROL_CHARACTERS.search, values)):
                    return str(UNREADABLE_MESSAGE), name
            return None
        # Any other body is read as the JSON APIs read it, whatever its Content-Type says
        # (json.loads ignores the header): raw or escaped NULs, and nesting, are checked.
        body = request.body
        if b"\x00" in body or JSON_CONTROL_ESCAPES.search(body):
            return str(UNREADABLE_MESSAGE), "body"
        if json_depth(body) > MAX_JSON_DEPTH:
            return str(TOO_DEEP_MESSAGE % {"depth": MAX_JSON_DEPTH}), "body"
        return None


def refuse(request: HttpRequest, message: str, parameter: str | None) -> HttpResponse:
    """The 400 an API client or a resident gets for input the site cannot use."""
    if request.path.startswith("/api/v2/"):
        return JsonResponse({"message": message}, status=400)
    if request.path.startswith("/api/v1/forms/"):  # the forms API's 400s also list answers'
        body = {"error": message, "parameter": parameter, "errors": {}}
        return JsonResponse(body, status=400)
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message, "parameter": parameter}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
