"""Staff's second step for signing in: a code from an authenticator app after the password.

A council's security review asks that a stolen or guessed password alone never opens the admin.
So after their password, a member of staff enters a 6-digit code from an authenticator app on
their phone (time-based one-time codes, RFC 6238), or one of the single-use backup codes they
were given when they set the app up. django-otp keeps the devices (``TOTPDevice`` for the app,
``StaticDevice`` for the backup codes) and marks a session verified (``OTPMiddleware``,
``request.user.is_verified()``); this module decides who must have one and guards the admin.

Who: superusers, and members of the roles in ``SIGNPOST_MFA_REQUIRED_ROLES`` ("*", the default,
is everyone who can reach the admin), whenever ``SIGNPOST_MFA_REQUIRED`` is on. Someone who
must and has no app yet is sent to set one up (``core.views.mfa.set_up``) before any other
admin page; someone with one is asked for a code (``core.views.mfa.verify``). A member of staff
outside the required roles who set up an app anyway is asked for its code too.

Until the second step is done, ``SecondStepMiddleware`` lets the person reach only the
sign-in, sign-out and second-step pages of the admin, and everywhere else they are treated as
signed out: a password alone shows no partner notes, makes no preview link, opens no private
page. Signing out ends the session, so the next sign-in asks for both steps again.

Wrong codes are counted per account and address with ``core.ratelimit.Lockout`` (like the
password's lockout, cms/middleware.py), and per account from any address: only someone who
already has the password can reach the code, so stopping them everywhere is the safe answer.

Backup codes are kept only as a keyed hash (``backup_code_digest``), never as typed: a copy of
the database (a backup, a restored test copy) gives nobody a way past the second step.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import checks
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER, TRANSLATOR
from .ratelimit import Lockout, client_address

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import User

#: In SIGNPOST_MFA_REQUIRED_ROLES: everyone who can reach the admin, whatever their role.
ALL_STAFF = "*"
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
#: Where the backup codes wait, between confirming the app and the page that shows them once.
BACKUP_CODES_SESSION_KEY = "signpost_mfa_backup_codes"

APP_CODE = re.compile(r"\d{6}")
# What a person may type around a code: spaces (apps show "123 456") and hyphens.
SEPARATORS = re.compile(r"[\s-]+")

# The pages a half-signed-in person may reach: signing in and out, and the second step itself.
OPEN_ADMIN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_password_reset",
    "signpost_mfa_set_up",
    "signpost_mfa_verify",
    "signpost_mfa_backup_codes",
)


# --- Who must have a second step ------------------------------------------------------------


def is_on() -> bool:
    """Whether the second step is asked for at all (``SIGNPOST_MFA_REQUIRED``)."""
    return bool(getattr(settings, "SIGNPOST_MFA_REQUIRED", True))


def required_roles() -> frozenset[str]:
    """The roles (group names) that need a second step; ``ALL_STAFF`` for everyone in the admin."""
    roles = getattr(settings, "SIGNPOST_MFA_REQUIRED_ROLES", [ALL_STAFF])
    if isinstance(roles, str):
        roles = roles.split(",")
    return frozenset(str(role).strip() for role in roles if str(role).strip())


def check_required_roles(**kwargs: Any) -> list[checks.CheckMessage]:
    """A warning for a name in SIGNPOST_MFA_REQUIRED_ROLES that is not one of Signpost's roles.

    A misspelt role would quietly let its members in with a password alone. A council's own
    group may be meant, so this warns (``manage.py check``) rather than refusing to start.
    """
    known = {ALL_STAFF, CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER, TRANSLATOR}
    return [
        checks.Warning(
            f"SIGNPOST_MFA_REQUIRED_ROLES names {role!r}, which is not one of Signpost's roles "
            f"({', '.join(sorted(known - {ALL_STAFF}))}, or * for everyone in the admin).",
            hint="Check the spelling: only members of a group with exactly that name are asked.",
            id="signpost.W001",
        )
        for role in sorted(required_roles() - known)
    ]


def must_use_second_step(user: User | AnonymousUser) -> bool:
    """Whether this person must set up and use a second step to reach the admin.

    Superusers always must. Otherwise anyone in a required role, or with ``ALL_STAFF``, anyone
    who can reach the admin at all (``wagtailadmin.access_admin``, through any group).
    """
    if not is_on() or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = required_roles()
    if ALL_STAFF in roles and user.has_perm("wagtailadmin.access_admin"):
        return True
    return user.groups.filter(name__in=roles - {ALL_STAFF}).exists()


def has_second_step(user: User | AnonymousUser) -> bool:
    """Whether the person has a confirmed authenticator app (or backup codes) to sign in with."""
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def pending_step(request: HttpRequest) -> str | None:
    """The second-step page this request's user must go through first, or None.

    ``"verify"`` for someone with an app whose session has not had a code yet, ``"set_up"``
    for someone who must have one and has none, None for everyone else. Asked once per request.
    """
    cached: str | None = getattr(request, "_signpost_mfa_step", "unknown")
    if cached != "unknown":
        return cached
    user = request.user
    step = None
    if is_on() and user.is_authenticated and not is_verified(user):
        if has_second_step(user):
            step = "verify"
        elif must_use_second_step(user):
            step = "set_up"
    request._signpost_mfa_step = step  # type: ignore[attr-defined]  # one look-up per request
    return step


def is_verified(user: Any) -> bool:
    """Whether this session has had a code (``OTPMiddleware`` sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


# --- The admin's gate ------------------------------------------------------------------------


class SecondStepMiddleware:
    """Keep a half-signed-in member of staff (password, no code yet) to the second-step pages.

    Installed after django-otp's ``OTPMiddleware``. In the admin, any page but signing in and
    out and the second step itself redirects to the step they owe, coming back afterwards to
    where they were going. Outside the admin they are treated as signed out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # No session cookie, nobody signed in: asking ``request.user`` would read the session
        # and mark every resident's page "Vary: Cookie", which no shared cache or the page cache
        # would keep (core/pagecache.py).
        if not is_on() or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        if not request.user.is_authenticated:
            return self.get_response(request)
        step = pending_step(request)
        if step is None:
            return self.get_response(request)
        if not request.path.startswith(reverse("wagtailadmin_home")):
            request.user = AnonymousUser()
            return self.get_response(request)
        if is_open_admin_path(request.path):
            return self.get_response(request)
        return HttpResponseRedirect(step_url(step, request.get_full_path()))


def is_open_admin_path(path: str) -> bool:
    """Whether an admin path is one a half-signed-in person may reach."""
    for name in OPEN_ADMIN_URL_NAMES:
        url = reverse(name)
        if path == url or (name == "wagtailadmin_password_reset" and path.startswith(url)):
            return True
    return False


def step_url(step: str, next_url: str = "") -> str:
    """The address of a second-step page, carrying where to go afterwards."""
    url = reverse(f"signpost_mfa_{step}")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def next_url(request: HttpRequest) -> str:
    """Where to go once the second step is done: ``next`` if it is this site's, else the dashboard."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("wagtailadmin_home")


# --- Setting up the app ----------------------------------------------------------------------


def pending_app(user: User) -> Any:
    """The authenticator app being set up: the same secret until it is confirmed.

    Reloading the page shows the same QR code and key, so a phone that already scanned it
    still gives the right codes.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def app_key(device: Any) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` address for an ``<img>`` with alt text."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    svg: bytes = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def confirm_app(request: HttpRequest, device: Any) -> list[str]:
    """Confirm the app that gave a right code, sign this session in with it, make backup codes.

    In one transaction: the app is confirmed, any other app or backup codes the person had
    go, and a fresh set of ``SIGNPOST_MFA_BACKUP_CODES`` backup codes is made. Returns the codes,
    to be shown once.
    """
    user = request.user
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.SIGNPOST_MFA_BACKUP_CODES)]
        StaticToken.objects.bulk_create(
            StaticToken(device=backup, token=backup_code_digest(code)) for code in codes
        )
    signed_in_with(request, device)
    return codes


def signed_in_with(request: HttpRequest, device: Any) -> None:
    """Mark the session verified by ``device``, under a new session key (no fixation)."""
    request.session.cycle_key()
    otp_login(request, device)


# --- Checking a code -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """What became of a code: the device that accepted it, or why none did."""

    device: Any = None
    #: True when the account is locked out here (or everywhere): the code was not even tried.
    refused: bool = False

    @property
    def accepted(self) -> bool:
        return self.device is not None


def code_lockouts() -> tuple[Lockout, Lockout]:
    """Wrong codes per account and address, and per account from anywhere (see the module)."""
    seconds = settings.SIGNPOST_MFA_LOCKOUT_SECONDS
    here = Lockout("mfa-code-account", settings.SIGNPOST_MFA_MAX_FAILURES, seconds)
    anywhere = Lockout("mfa-code-user", settings.SIGNPOST_MFA_MAX_FAILURES_PER_ACCOUNT, seconds)
    return here, anywhere


def lockout_minutes() -> int:
    """The lockout in whole minutes, as the error message says it."""
    return max(1, int(settings.SIGNPOST_MFA_LOCKOUT_SECONDS) // 60)


def normalise_code(code: str) -> str:
    """The code without the spaces or hyphens people type, backup codes in lower case."""
    return SEPARATORS.sub("", code).lower()


def backup_code_digest(code: str) -> str:
    """What is stored for a backup code: an HMAC of it keyed on ``SECRET_KEY``, 16 hex digits.

    A keyed hash rather than a slow password hash, because a code is found by looking its
    stored value up (django-otp's ``StaticDevice.verify_token``). The codes are random (40
    bits), so without the key a copy of the table cannot be turned back into codes. Changing
    ``SECRET_KEY`` makes existing backup codes stop working: staff then get new ones by setting
    up their app again (``manage.py reset_second_step``).
    """
    mac = salted_hmac("signpost.mfa.backup-code", normalise_code(code), algorithm="sha256")
    return mac.hexdigest()[:16]


def check_code(request: HttpRequest, code: str, device: Any = None) -> CodeCheck:
    """Check a code the signed-in person typed, counting wrong ones.

    With ``device`` (an app being set up) only that device is tried. Otherwise six digits are
    tried against the person's confirmed app and anything else against their backup codes,
    each of which then works no more.
    """
    user = request.user
    address = client_address(request)
    here, anywhere = code_lockouts()
    here_key, anywhere_key = f"{address}|{user.pk}", str(user.pk)
    if here.is_limited(here_key) or anywhere.is_limited(anywhere_key):
        return CodeCheck(refused=True)
    accepted = _matching_device(user, normalise_code(code), device)
    if accepted is None:
        here.hit(here_key)
        anywhere.hit(anywhere_key)
        return CodeCheck()
    here.reset(here_key)
    return CodeCheck(device=accepted)


def _matching_device(user: Any, code: str, pending: Any) -> Any:
    """The device that accepts ``code``, locked for the check so a code is used only once."""
    is_app_code = APP_CODE.fullmatch(code) is not None
    if pending is not None and not is_app_code:
        return None  # an app being set up knows only its own six digits
    with transaction.atomic():
        if pending is not None:
            candidates = list(TOTPDevice.objects.select_for_update().filter(pk=pending.pk))
        else:
            kind = TOTPDevice if is_app_code else StaticDevice
            candidates = [
                d
                for d in devices_for_user(user, confirmed=True, for_verify=True)
                if type(d) is kind
            ]
        token = code if is_app_code or pending is not None else backup_code_digest(code)
        for candidate in candidates:
            if candidate.verify_token(token):
                return candidate
    return None


# --- An administrator's reset ----------------------------------------------------------------


def reset(user: User) -> int:
    """Remove a person's app and backup codes; how many devices went.

    Their next sign-in (and their next admin page, if they are signed in now) asks them to set
    up a new app, if they must have one.
    """
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
    return len(devices)


def set_up_on(user: User) -> Any:
    """When the person's app was confirmed (its creation), or None when they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return getattr(device, "created_at", None) if device is not None else None
