"""Frame rules: pages may never be framed by other sites, but Wagtail's preview frames
admin views inside the admin itself, so admin responses say SAMEORIGIN. Django's
XFrameOptionsMiddleware (X_FRAME_OPTIONS = "DENY") leaves a header already set alone."""

from django.conf import settings
from django.http import HttpResponse

from core.ratelimit import Lockout, client_address


class AdminSameOriginFramesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and "X-Frame-Options" not in response:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class AdminLoginThrottleMiddleware:
    """Slow down password guessing on the admin sign-in page.

    Failed sign-ins are counted per client address by core.ratelimit (the address is hashed,
    never stored). Past ADMIN_LOGIN_MAX_FAILURES, sign-in attempts get a 429 with a plain
    explanation until ADMIN_LOGIN_LOCKOUT_SECONDS pass with no new failure.
    """

    LOGIN_PATH = "/admin/login/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != self.LOGIN_PATH or request.method != "POST":
            return self.get_response(request)
        failures = Lockout(
            "admin-login", settings.ADMIN_LOGIN_MAX_FAILURES, settings.ADMIN_LOGIN_LOCKOUT_SECONDS
        )
        address = client_address(request)
        if failures.is_limited(address):
            minutes = max(1, settings.ADMIN_LOGIN_LOCKOUT_SECONDS // 60)
            return HttpResponse(
                f"Too many failed sign-in attempts. Wait {minutes} minutes, then try again.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        response = self.get_response(request)
        signed_in = request.user.is_authenticated
        if not signed_in and response.status_code == 200:
            failures.hit(address)
        elif signed_in:
            failures.reset(address)
        return response
