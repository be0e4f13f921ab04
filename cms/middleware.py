"""The site's own middleware: frame rules for the admin, and the admin sign-in lockout.

Frame rules: pages may never be framed by other sites, but Wagtail's preview frames admin
views inside the admin itself, so admin responses say SAMEORIGIN. Django's
XFrameOptionsMiddleware (X_FRAME_OPTIONS = "DENY") leaves a header already set alone."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from core.ratelimit import Lockout, client_address


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
