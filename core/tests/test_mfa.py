"""The second step for signing in (core/mfa.py): who needs it, the gate, codes, lockouts, reset.

Against the real database, cache tables and the admin's own views, through the test client.
The browser walk of the same story is tests/e2e/test_staff_mfa.py.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from core import mfa
from core.models import AuditEntry
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER, TRANSLATOR
from core.tests.factories import UserFactory
from core.tests.otp import app_code
from core.views.mfa import WRONG_CODE

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

OFFICE, HOME = "198.51.100.20", "198.51.100.30"
SET_UP, VERIFY, BACKUP = (
    "/admin/second-step/set-up/",
    "/admin/second-step/",
    "/admin/second-step/backup-codes/",
)
LOCKED = "You have entered too many wrong codes. Wait 15 minutes, then try again"


@pytest.fixture(autouse=True)
def mfa_on(settings: Settings) -> None:
    settings.SIGNPOST_MFA_REQUIRED = True


def sign_in(client: Client, user: Any, address: str = OFFICE) -> TestResponse:
    return client.post(
        "/admin/login/",
        {"username": user.username, "password": "pw", "next": "/admin/pages/"},
        REMOTE_ADDR=address,
    )


def shown_key(response: TestResponse) -> str:
    match = re.search(r'id="mfa-key">([A-Z2-7 ]+)<', response.content.decode())
    assert match, "the set-up page shows the key as text"
    return match.group(1)


def set_up_app(client: Client, user: Any, address: str = OFFICE) -> tuple[str, list[str]]:
    """Sign in and set up an app as the person would: the key from the page, then a code."""
    sign_in(client, user, address)
    page = client.get(SET_UP, REMOTE_ADDR=address)
    key = shown_key(page)
    done = client.post(
        SET_UP, {"code": app_code(key), "next": "/admin/pages/"}, REMOTE_ADDR=address
    )
    assert done.status_code == 302 and done["Location"].startswith(BACKUP)
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", client.get(done["Location"]).content.decode())
    return key, codes


def last_step(user: Any) -> int:
    return int(TOTPDevice.objects.get(user=user, confirmed=True).last_t)


# --- Who must use it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER, TRANSLATOR]
)
def test_by_default_every_role_must_use_a_second_step(role: str) -> None:
    assert mfa.must_use_second_step(UserFactory(role=role))


def test_superusers_must_whatever_the_roles_setting_says(settings: Settings) -> None:
    settings.SIGNPOST_MFA_REQUIRED_ROLES = [CENTRAL_WEB_TEAM]
    assert mfa.must_use_second_step(UserFactory(is_superuser=True))


def test_the_roles_setting_narrows_who_must(settings: Settings) -> None:
    settings.SIGNPOST_MFA_REQUIRED_ROLES = [CENTRAL_WEB_TEAM, TRANSLATOR]
    assert mfa.must_use_second_step(UserFactory(role=CENTRAL_WEB_TEAM))
    assert mfa.must_use_second_step(UserFactory(role=TRANSLATOR))
    assert not mfa.must_use_second_step(UserFactory(role=PRODUCT_OWNER))
    assert not mfa.must_use_second_step(UserFactory(role=DELIVERY_UNIT_EDITOR))


def test_all_staff_includes_admin_access_from_any_group() -> None:
    someone = UserFactory()
    assert not mfa.must_use_second_step(someone), "no way into the admin: nothing to protect"
    own_group = Group.objects.create(name="Council comms")
    own_group.permissions.add(
        *Group.objects.get(name=PRODUCT_OWNER).permissions.filter(codename="access_admin")
    )
    someone.groups.add(own_group)
    someone = type(someone).objects.get(pk=someone.pk)  # permissions are cached per object
    assert mfa.must_use_second_step(someone)


def test_off_means_nobody_is_asked(settings: Settings, client: Client) -> None:
    settings.SIGNPOST_MFA_REQUIRED = False
    admin = UserFactory(is_superuser=True)
    assert not mfa.must_use_second_step(admin)
    assert sign_in(client, admin)["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_role_outside_the_setting_goes_straight_in(settings: Settings, client: Client) -> None:
    settings.SIGNPOST_MFA_REQUIRED_ROLES = [CENTRAL_WEB_TEAM]
    owner = UserFactory(role=PRODUCT_OWNER)
    sign_in(client, owner)
    assert client.get("/admin/").status_code == 200


# --- The gate ----------------------------------------------------------------------------------


def test_without_an_app_every_admin_page_leads_to_set_up(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    signed_in = sign_in(client, editor)
    assert signed_in.status_code == 302
    for path in ("/admin/pages/", "/admin/", "/admin/users/", "/admin/account/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SET_UP + "?next="), path
    page = client.get(SET_UP)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Set up a second step for signing in" in text
    assert 'src="data:image/svg+xml;base64,' in text, "the QR code"
    assert "otpauth://totp/Signpost" in text, "the key for an app on this device"
    assert shown_key(page) == shown_key(client.get(SET_UP)), "reloading keeps the same key"


def test_half_signed_in_staff_are_nobody_outside_the_admin(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    sign_in(client, editor)
    refused = client.post("/api/v1/preview/links/999999/")
    assert refused.status_code == 403, "a password alone makes no preview link"
    set_up_app(client, editor)
    assert client.post("/api/v1/preview/links/999999/").status_code == 404  # signed in: no page


def test_setting_up_with_a_right_code_lets_them_in_and_shows_backup_codes_once(
    client: Client,
) -> None:
    editor = UserFactory(role=DELIVERY_UNIT_EDITOR)
    _key, codes = set_up_app(client, editor)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(BACKUP)["Location"] == "/admin/", "shown once only"
    assert client.get("/admin/pages/").status_code == 200


def test_setting_up_refuses_a_wrong_or_malformed_code_in_plain_english(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    sign_in(client, editor)
    client.get(SET_UP)
    empty = client.post(SET_UP, {"code": ""}).content.decode()
    assert "There is a problem" in empty
    assert "Enter the 6-digit code from your authenticator app" in empty
    letters = client.post(SET_UP, {"code": "abc"}).content.decode()
    assert "Enter the code as 6 numbers, like 123456" in letters
    wrong = client.post(SET_UP, {"code": "000000"}).content.decode()
    assert "That code is not right" in wrong and "<title>Error:" in wrong
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def test_with_an_app_they_are_asked_for_a_code_after_the_password(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    key, _codes = set_up_app(client, editor)
    client.post("/admin/logout/")
    sign_in(client, editor)
    asked = client.get("/admin/pages/")
    assert asked["Location"] == VERIFY + "?next=%2Fadmin%2Fpages%2F"
    wrong = client.post(VERIFY, {"code": "123 456"})
    assert wrong.status_code == 200 and WRONG_CODE in wrong.content.decode()
    right = client.post(VERIFY, {"code": app_code(key, last_step(editor)), "next": "/admin/pages/"})
    assert right["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_used_code_does_not_work_again(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    key, _codes = set_up_app(client, editor)
    client.post("/admin/logout/")
    sign_in(client, editor)
    code = app_code(key, last_step(editor))
    assert client.post(VERIFY, {"code": code})["Location"] == "/admin/"
    client.post("/admin/logout/")
    sign_in(client, editor)
    assert WRONG_CODE in client.post(VERIFY, {"code": code}).content.decode()


def test_a_backup_code_works_once(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    _key, codes = set_up_app(client, editor)
    client.post("/admin/logout/")
    sign_in(client, editor)
    assert client.post(VERIFY, {"code": codes[0].upper()})["Location"] == "/admin/"
    assert StaticToken.objects.filter(device__user=editor).count() == 9
    client.post("/admin/logout/")
    sign_in(client, editor)
    assert WRONG_CODE in client.post(VERIFY, {"code": codes[0]}).content.decode()


def test_backup_codes_are_kept_only_as_a_keyed_hash(client: Client) -> None:
    """A copy of the database holds no code that would open the second step."""
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    _key, codes = set_up_app(client, editor)
    stored = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes)
    assert stored == {mfa.backup_code_digest(code) for code in codes}
    client.post("/admin/logout/")
    sign_in(client, editor)
    digest_typed = next(iter(stored))
    assert WRONG_CODE in client.post(VERIFY, {"code": digest_typed}).content.decode()
    assert client.post(VERIFY, {"code": f"{codes[3][:4]} {codes[3][4:]}"})["Location"] == "/admin/"


def test_signing_out_means_both_steps_again(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    set_up_app(client, editor)
    client.post("/admin/logout/")
    assert client.get("/admin/pages/")["Location"].startswith("/admin/login/")
    sign_in(client, editor)
    assert client.get("/admin/pages/")["Location"].startswith(VERIFY)


def test_next_never_leaves_the_site(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    _key, codes = set_up_app(client, editor)
    client.post("/admin/logout/")
    sign_in(client, editor)
    response = client.post(VERIFY, {"code": codes[1], "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


# --- Wrong codes are rate limited --------------------------------------------------------------


def test_five_wrong_codes_lock_that_account_at_that_address_only(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    other = UserFactory(role=CENTRAL_WEB_TEAM)
    key, codes = set_up_app(client, editor)
    _other_key, other_codes = set_up_app(Client(), other)
    client.post("/admin/logout/")
    sign_in(client, editor)
    for _ in range(5):
        assert client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR=OFFICE).status_code == 200
    refused = client.post(VERIFY, {"code": codes[0]}, REMOTE_ADDR=OFFICE)
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert StaticToken.objects.filter(token=mfa.backup_code_digest(codes[0])).exists(), (
        "a refused code is not used up"
    )
    # The same person from home, and a colleague in the office, get in.
    assert client.post(VERIFY, {"code": codes[0]}, REMOTE_ADDR=HOME)["Location"] == "/admin/"
    colleague = Client()
    sign_in(colleague, other, OFFICE)
    assert colleague.post(VERIFY, {"code": other_codes[0]}, REMOTE_ADDR=OFFICE).status_code == 302


def test_wrong_codes_from_many_addresses_lock_the_account_everywhere(
    client: Client, settings: Settings
) -> None:
    settings.SIGNPOST_MFA_MAX_FAILURES_PER_ACCOUNT = 6
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    _key, codes = set_up_app(client, editor)
    client.post("/admin/logout/")
    sign_in(client, editor)
    for guess in range(6):
        client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR=f"203.0.113.{guess}")
    refused = client.post(VERIFY, {"code": codes[0]}, REMOTE_ADDR=HOME)
    assert refused.status_code == 429 and LOCKED in refused.content.decode()


def test_setting_up_counts_wrong_codes_too(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    sign_in(client, editor)
    key = shown_key(client.get(SET_UP))
    for _ in range(5):
        client.post(SET_UP, {"code": "000000"})
    refused = client.post(SET_UP, {"code": app_code(key)})
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def test_a_right_code_forgets_earlier_wrong_ones_at_that_address(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    _key, codes = set_up_app(client, editor)
    for code in codes[:2]:
        client.post("/admin/logout/")
        sign_in(client, editor)
        for _ in range(4):
            client.post(VERIFY, {"code": "000000"})
        assert client.post(VERIFY, {"code": code}).status_code == 302


# --- An administrator's reset ------------------------------------------------------------------
# Wagtail answers a refusal in the admin by sending the person to the dashboard with
# "Sorry, you do not have permission to access this area".


def test_an_administrator_resets_a_colleagues_second_step(client: Client) -> None:
    admin = UserFactory(is_superuser=True, username="ada")
    editor = UserFactory(role=CENTRAL_WEB_TEAM, username="una", first_name="Una", last_name="Ed")
    editor_client = Client()
    set_up_app(editor_client, editor)
    set_up_app(client, admin)

    edit_page = client.get(f"/admin/users/edit/{editor.pk}/").content.decode()
    assert "Reset second step for signing in" in edit_page
    confirm = client.get(f"/admin/second-step/reset/{editor.pk}/").content.decode()
    assert "Una Ed set up an authenticator app on" in confirm
    done = client.post(f"/admin/second-step/reset/{editor.pk}/")
    assert done["Location"] == f"/admin/users/edit/{editor.pk}/"
    assert (
        "second step for signing in has been reset" in client.get(done["Location"]).content.decode()
    )
    assert not mfa.has_second_step(editor)

    entry = AuditEntry.objects.get()
    assert (entry.username, entry.action, entry.subject) == ("ada", "changed", "staff account una")
    assert "second step" in entry.detail and entry.row_count == 2
    # Una, signed in now, must set up a new app before anything else.
    assert editor_client.get("/admin/pages/")["Location"].startswith(SET_UP)


def test_only_people_who_may_change_users_may_reset(client: Client) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    colleague = UserFactory(role=CENTRAL_WEB_TEAM)
    set_up_app(Client(), colleague)
    set_up_app(client, editor)
    refused = client.post(f"/admin/second-step/reset/{colleague.pk}/", follow=True)
    assert "Sorry, you do not have permission to access this area" in refused.content.decode()
    assert mfa.has_second_step(colleague)
    assert not AuditEntry.objects.exists()


def test_a_superusers_second_step_is_reset_only_by_a_superuser(client: Client) -> None:
    manager = UserFactory(role=CENTRAL_WEB_TEAM)
    manager.user_permissions.add(*Permission.objects.filter(codename="change_user"))
    admin = UserFactory(is_superuser=True)
    set_up_app(Client(), admin)
    set_up_app(client, manager)
    refused = client.post(f"/admin/second-step/reset/{admin.pk}/", follow=True)
    assert "Sorry, you do not have permission to access this area" in refused.content.decode()
    assert mfa.has_second_step(admin)


def test_the_command_resets_a_second_step_when_nobody_can_sign_in() -> None:
    admin = UserFactory(is_superuser=True, username="ada")
    set_up_app(Client(), admin)
    out = io.StringIO()
    call_command("reset_second_step", "ada", stdout=out)
    assert "Reset ada's second step for signing in." in out.getvalue()
    assert not mfa.has_second_step(admin)
    entry = AuditEntry.objects.get()
    assert (entry.username, entry.subject) == ("manage.py reset_second_step", "staff account ada")
    with pytest.raises(CommandError, match="There is no user with the username 'nobody'"):
        call_command("reset_second_step", "nobody")


# --- Which settings ask for it -----------------------------------------------------------------


def settings_value(module: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """SIGNPOST_MFA_REQUIRED as a fresh process with that settings module reads it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNPOST_MFA", "DEBUG"))}
    env.update(DJANGO_SETTINGS_MODULE=module, SECRET_KEY="x" * 50, **environment)
    script = "from django.conf import settings; print(settings.SIGNPOST_MFA_REQUIRED)"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings_dir(),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_dir() -> str:
    return str(Path(__file__).resolve().parents[2])


def test_production_always_asks_and_a_developers_machine_need_not() -> None:
    assert settings_value("cms.settings.production").stdout.strip() == "True"
    refused = settings_value("cms.settings.production", SIGNPOST_MFA_REQUIRED="0")
    assert refused.returncode != 0
    assert "production always asks staff for a code after their password" in refused.stderr
    assert settings_value("cms.settings.dev").stdout.strip() == "False"
    assert settings_value("cms.settings.dev", SIGNPOST_MFA_REQUIRED="1").stdout.strip() == "True"


def test_a_misspelt_role_is_warned_about(settings: Settings) -> None:
    settings.SIGNPOST_MFA_REQUIRED_ROLES = [CENTRAL_WEB_TEAM, "Central web tem"]
    warnings = mfa.check_required_roles()
    assert [w.id for w in warnings] == ["signpost.W001"]
    assert "'Central web tem', which is not one of Signpost's roles" in warnings[0].msg
    settings.SIGNPOST_MFA_REQUIRED_ROLES = ["*", TRANSLATOR]
    assert mfa.check_required_roles() == []


def test_codes_kept_before_hashing_are_hashed_by_the_migration_and_still_work(
    client: Client,
) -> None:
    editor = UserFactory(role=CENTRAL_WEB_TEAM)
    _key, codes = set_up_app(client, editor)
    # As a release before migration core 0005 kept them: the codes themselves.
    for stored, code in zip(
        StaticToken.objects.filter(device__user=editor).order_by("pk"), codes, strict=True
    ):
        stored.token = code
        stored.save()
    migration = importlib.import_module("core.migrations.0005_hash_backup_codes")
    migration.hash_plain_codes(django_apps, None)
    migration.hash_plain_codes(django_apps, None)  # run twice (a re-run), hashed only once
    stored = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert stored == {mfa.backup_code_digest(code) for code in codes}
    client.post("/admin/logout/")
    sign_in(client, editor)
    assert client.post(VERIFY, {"code": codes[5]})["Location"] == "/admin/"
