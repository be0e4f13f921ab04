"""The second step for signing in, as staff see it: set up an app, enter a code, reset one.

Thin views over ``core.mfa``. The three sign-in pages live in the admin (``register_admin_urls``,
so they ask for a signed-in member of staff) but look like Wagtail's sign-in page, without the
admin's menu: until the code is in, nothing else in the admin is open to them. Each page is a
plain form (GOV.UK patterns: one question, a hint, an error summary and the error beside the
field) and works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.admin.utils import get_user_display_name

from .. import audit, mfa
from ..models import AuditEntry

ENTER_CODE = "Enter the 6-digit code from your authenticator app"
APP_CODE_FORMAT = "Enter the code as 6 numbers, like 123456"
WRONG_SET_UP_CODE = (
    "That code is not right. Check the app shows Signpost and enter the 6-digit code it shows now"
)
WRONG_CODE = (
    "That code is not right. Enter the 6-digit code your app shows now, or one of your backup codes"
)


def too_many_wrong_codes() -> str:
    return f"You have entered too many wrong codes. Wait {mfa.lockout_minutes()} minutes, then try again"


class CodeForm(forms.Form):
    """One box for a code. ``app_only``: six digits (setting up), else a backup code as well."""

    code = forms.CharField(
        max_length=40,
        strip=True,
        error_messages={"required": ENTER_CODE, "max_length": WRONG_CODE},
    )

    def __init__(self, *args: Any, app_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app_only = app_only

    def clean_code(self) -> str:
        code = mfa.normalise_code(self.cleaned_data["code"])
        if self.app_only and not mfa.APP_CODE.fullmatch(code):
            raise forms.ValidationError(APP_CODE_FORMAT)
        return code


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"next": mfa.next_url(request), "username": request.user.get_username(), **context}
    return render(request, f"core/mfa/{template}", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """The page "Set up a second step for signing in": scan the QR code (or type the key), enter a code."""
    if mfa.is_verified(request.user):
        return redirect(mfa.next_url(request))
    if mfa.has_second_step(request.user):
        return redirect(mfa.step_url("verify", mfa.next_url(request)))
    device = mfa.pending_app(request.user)  # type: ignore[arg-type]  # signed in: a User
    form = CodeForm(request.POST or None, app_only=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        check = mfa.check_code(request, form.cleaned_data["code"], device=device)
        if check.accepted:
            codes = mfa.confirm_app(request, check.device)
            request.session[mfa.BACKUP_CODES_SESSION_KEY] = codes
            return redirect(mfa.step_url("backup_codes", mfa.next_url(request)))
        form.add_error("code", too_many_wrong_codes() if check.refused else WRONG_SET_UP_CODE)
        status = 429 if check.refused else 200
    config_url = device.config_url
    context = {
        "form": form,
        "qr_code": mfa.qr_code_data_uri(config_url),
        "key": mfa.app_key(device),
        "config_url": config_url,
    }
    return _page(request, "set_up.html", context, status)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The page "Enter the code from your authenticator app", after the password."""
    if mfa.is_verified(request.user):
        return redirect(mfa.next_url(request))
    if not mfa.has_second_step(request.user):
        return redirect(mfa.step_url("set_up", mfa.next_url(request)))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        check = mfa.check_code(request, form.cleaned_data["code"])
        if check.accepted:
            mfa.signed_in_with(request, check.device)
            return redirect(mfa.next_url(request))
        form.add_error("code", too_many_wrong_codes() if check.refused else WRONG_CODE)
        status = 429 if check.refused else 200
    return _page(request, "verify.html", {"form": form}, status)


@never_cache
@require_http_methods(["GET"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes, shown once: the session forgets them as the page is made."""
    codes = request.session.pop(mfa.BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(mfa.next_url(request))
    return _page(request, "backup_codes.html", {"codes": codes})


def _may_reset(request: HttpRequest, person: Any) -> bool:
    """Whoever may change users may reset a second step; a superuser's only by a superuser."""
    user = request.user
    if not user.has_perm(f"{person._meta.app_label}.change_{person._meta.model_name}"):
        return False
    return bool(user.is_superuser or not person.is_superuser)


@never_cache
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest, pk: str) -> HttpResponse:
    """The page "Reset second step for signing in", from the user's page in Settings › Users; recorded in the trail."""
    person = get_object_or_404(get_user_model(), pk=pk)
    if not _may_reset(request, person):
        raise PermissionDenied
    name = get_user_display_name(person)
    edit_url = reverse("wagtailusers_users:edit", args=[person.pk])
    if request.method == "POST":
        removed = mfa.reset(person)
        audit.record(
            request,
            AuditEntry.CHANGED,
            f"staff account {person.get_username()}",
            detail="Reset their second step for signing in (authenticator app and backup codes)",
            row_count=removed,
        )
        messages.success(
            request,
            f"{name}'s second step for signing in has been reset. They will set up a new "
            "authenticator app the next time they sign in.",
        )
        return HttpResponseRedirect(edit_url)
    context = {
        "person": person,
        "name": name,
        "set_up_on": mfa.set_up_on(person),
        "edit_url": edit_url,
        "header_title": f"Reset second step for signing in: {name}",
        "page_title": "Reset second step for signing in",
        "page_subtitle": name,
        "header_icon": "key",
    }
    return render(request, "core/mfa/reset.html", context)
