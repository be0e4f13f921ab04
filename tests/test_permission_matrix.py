"""Who may do what: every staff role (and the public) against every kind of thing Signpost guards.

The matrix below is the specification. Each row is one action on one object, "own" meaning an
object of the user's delivery unit (street scene) and "other" one of another unit (parking); each
column is one role. The cell says what the user must get back:

- ``OK``         the action works (200, or for a change the redirect after it, and the change is made)
- ``LOGIN``      a redirect to the admin sign-in page (Wagtail's answer to anyone without admin access)
- ``REFUSED``    Wagtail's "Sorry, you do not have permission" redirect to the admin home (the view
                 raised PermissionDenied), and nothing changes
- ``NOT_FOUND``  404: the object is outside what the user may see, so it does not exist for them
- ``FILTERED``   200, but the object is left out of the list or export
- ``DRAFT_ONLY``  pressing "Publish" only saves a draft (the redirect back to the editor): the page
                 stays as it was for residents until the web team approves it
- ``IGNORED``    a bulk action answers with its usual redirect but leaves out objects the user may
                 not touch

Each case builds only a small world of its own (two units, two pages, two forms with a request
and a file each, two stories) so a change made by one case never leaks into another.
"""

import base64
import datetime
import json
from functools import cached_property

import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from backlog.models import UserStory
from backlog.stories import create_story
from cms.models import ContentPage, HomePage
from core.models import DeliveryUnit
from core.permissions import CENTRAL_WEB_TEAM, DELIVERY_UNIT_EDITOR, PRODUCT_OWNER
from core.roles import ensure_roles
from directory.models import Service
from directory.tests.factories import ServiceFactory
from directory.wagtail_hooks import ServiceViewSet
from eforms import builders as b
from eforms.models import FormDefinition, Submission, UploadedFile
from eforms.tests.files import png
from personas.models import Persona
from tests.test_approval_workflow import form_data

OK, LOGIN, REFUSED, NOT_FOUND = "OK", "LOGIN", "REFUSED", "NOT_FOUND"
FILTERED, DRAFT_ONLY, IGNORED = "FILTERED", "DRAFT_ONLY", "IGNORED"

ROLES = ["unit_editor", "product_owner", "web_team", "no_role", "anonymous"]

# action: (unit editor, product owner, central web team, signed in with no role, anonymous)
MATRIX = {
    # Pages (Wagtail admin). Editors change their own unit's pages; publishing waits for the web team.
    "page: open editor, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "page: open editor, other unit": (REFUSED, REFUSED, OK, LOGIN, LOGIN),
    "page: save draft, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "page: save draft, other unit": (REFUSED, REFUSED, OK, LOGIN, LOGIN),
    "page: publish, own unit": (DRAFT_ONLY, REFUSED, OK, LOGIN, LOGIN),
    "page: publish, other unit": (REFUSED, REFUSED, OK, LOGIN, LOGIN),
    # Services (directory snippets): the same owner rule; publishing waits for the web team.
    "service: open editor, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "service: open editor, other unit": (REFUSED, REFUSED, OK, LOGIN, LOGIN),
    "service: publish, own unit": (DRAFT_ONLY, REFUSED, OK, LOGIN, LOGIN),
    "service: publish, other unit": (REFUSED, REFUSED, OK, LOGIN, LOGIN),
    # Forms (e-forms snippets).
    "form: open editor, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "form: open editor, other unit": (REFUSED, REFUSED, OK, LOGIN, LOGIN),
    # Residents' requests. Product owners see figures, never what residents told us.
    "requests: inbox lists own unit's": (OK, REFUSED, OK, LOGIN, LOGIN),
    "requests: inbox lists other unit's": (FILTERED, REFUSED, OK, LOGIN, LOGIN),
    "requests: read one, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "requests: read one, other unit": (NOT_FOUND, REFUSED, OK, LOGIN, LOGIN),
    "requests: change status, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "requests: change status, other unit": (NOT_FOUND, REFUSED, OK, LOGIN, LOGIN),
    "requests: bulk close, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "requests: bulk close, other unit": (IGNORED, REFUSED, OK, LOGIN, LOGIN),
    "requests: CSV export has own unit's": (OK, REFUSED, OK, LOGIN, LOGIN),
    "requests: CSV export has other unit's": (FILTERED, REFUSED, OK, LOGIN, LOGIN),
    # Residents' uploaded files: staff who may see the request, nobody else, ever.
    "files: download, own unit": (OK, REFUSED, OK, LOGIN, LOGIN),
    "files: download, other unit": (NOT_FOUND, REFUSED, OK, LOGIN, LOGIN),
    # The product owners' backlog: everyone on staff reads it; owners change their own unit's.
    "stories: read, own unit": (OK, OK, OK, LOGIN, LOGIN),
    "stories: read, other unit": (OK, OK, OK, LOGIN, LOGIN),
    "stories: open edit form, own unit": (REFUSED, OK, REFUSED, LOGIN, LOGIN),
    "stories: open edit form, other unit": (REFUSED, REFUSED, REFUSED, LOGIN, LOGIN),
    "stories: re-rank, own unit": (REFUSED, OK, REFUSED, LOGIN, LOGIN),
    "stories: re-rank, other unit": (REFUSED, REFUSED, REFUSED, LOGIN, LOGIN),
    # Reports.
    # Unit editors get their own units' dashboard (webteam/tests/test_dashboard.py checks what it lists).
    "reports: web team dashboard": (OK, OK, OK, LOGIN, LOGIN),
    "reports: KPI dashboard": (OK, OK, OK, LOGIN, LOGIN),
    "reports: search analytics": (REFUSED, OK, OK, LOGIN, LOGIN),
    "reports: form statistics": (REFUSED, OK, OK, LOGIN, LOGIN),
    # Queues, failed messages (masked) and the schedule: for the people who run the site.
    "reports: operations": (REFUSED, REFUSED, OK, LOGIN, LOGIN),
}

CASES = [
    pytest.param(action, role, expected, id=f"{action} | {role}")
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]

PNG = png()  # a real picture: uploads are redrawn, so a bare signature is refused


def _user(username, role=None, unit=None):
    user = User.objects.create_user(username, f"{username}@northbrook.example", "pw")
    if role:
        user.groups.add(Group.objects.get(name=role))
    if unit:
        unit.members.add(user)
    return user


def _page(home, slug, unit):
    page = home.add_child(
        instance=ContentPage(
            title=slug.replace("-", " ").capitalize(),
            slug=slug,
            summary="A page for tests.",
            body=[{"type": "text", "value": "<p>Some words.</p>"}],
            delivery_unit=unit,
            review_by=datetime.date(2030, 1, 1),
        )
    )
    page.save_revision().publish()
    return page


def _submission(client, unit, slug):
    form = FormDefinition.objects.create(
        title=f"Report {slug}",
        slug=slug,
        purpose="Tell us about a problem.",
        service_level="5 working days.",
        service_level_days=5,
        reference_prefix="RPT",
        delivery_unit=unit,
        pages=[
            b.page("photo", b.q("file_upload", "photo", "Photo", allowed_types=["png"])),
            b.page("contact", b.q("email", "email", "Email")),
        ],
    )
    answers = {
        "photo": [{"name": "hole.png", "content_base64": base64.b64encode(PNG).decode()}],
        "email": f"resident-{slug}@resident.example",
    }
    response = client.post(
        f"/api/v1/forms/{form.slug}/submissions/",
        data=json.dumps({"answers": answers}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    submission = Submission.objects.get(reference=response.json()["reference"])
    # Here only who may download matters; the virus check that must pass first is tested
    # against a real clamd in eforms/tests/test_virus_scan.py.
    submission.files.update(scan_status=UploadedFile.CLEAN)
    return submission


class World:
    """Users always; pages, requests and stories only when a case asks for them (it keeps the run fast)."""

    def __init__(self, client):
        ensure_roles()
        self.client = client
        self.own = DeliveryUnit.objects.create(slug="street-scene", name="Street scene")
        self.other = DeliveryUnit.objects.create(slug="parking", name="Parking")
        self.users = {
            "unit_editor": _user("editor", DELIVERY_UNIT_EDITOR, self.own),
            "product_owner": _user("owner", PRODUCT_OWNER, self.own),
            "web_team": _user("web", CENTRAL_WEB_TEAM),
            "no_role": _user("resident"),
            "anonymous": None,
        }

    @cached_property
    def pages(self):
        root = Page.get_first_root_node()
        for placeholder in root.get_children():
            placeholder.delete()
        home = root.add_child(instance=HomePage(title="Home", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
        )
        return {
            "own": _page(home, "potholes", self.own),
            "other": _page(home, "permits", self.other),
        }

    @cached_property
    def services(self):
        return {
            "own": ServiceFactory(owner=self.own, name="Pothole patrol"),
            "other": ServiceFactory(owner=self.other, name="Permit desk"),
        }

    @cached_property
    def submissions(self):
        return {
            "own": _submission(self.client, self.own, "pothole"),
            "other": _submission(self.client, self.other, "parking"),
        }

    @cached_property
    def stories(self):
        persona = Persona.objects.create(
            slug="report-and-transact", name="Report and transact", intent="Report", order=1
        )
        scores = {
            "benefit_residents": 3,
            "benefit_borough": 3,
            "benefit_council": 3,
            "demand": 10,
            "effort": 3,
        }
        return {
            "own": create_story(
                None, delivery_unit=self.own, persona=persona, story="Report a pothole", **scores
            ),
            "other": create_story(
                None, delivery_unit=self.other, persona=persona, story="Renew a permit", **scores
            ),
        }


@pytest.fixture
def world(db, client):
    return World(client)


# --- The actions: each returns (response, whether the action took effect) ---------------------


def _page_form(page, title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "summary": page.summary,
            "body": streamfield([("text", rich_text("<p>Some words.</p>"))]),
            "delivery_unit": page.delivery_unit_id,
            "review_by": "2030-01-01",
            "comments": {
                "TOTAL_FORMS": 0,
                "INITIAL_FORMS": 0,
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            },
            **extra,
        }
    )


def open_page_editor(client, world, which):
    return client.get(f"/admin/pages/{world.pages[which].pk}/edit/"), None


def save_page_draft(client, world, which):
    page = world.pages[which]
    response = client.post(f"/admin/pages/{page.pk}/edit/", _page_form(page, "Draft title"))
    page.refresh_from_db()
    return response, page.get_latest_revision_as_object().title == "Draft title"


def publish_page(client, world, which):
    page = world.pages[which]
    response = client.post(
        f"/admin/pages/{page.pk}/edit/",
        _page_form(page, "Published title", **{"action-publish": "1"}),
    )
    page.refresh_from_db()
    return response, page.title == "Published title" and page.live


def open_service_editor(client, world, which):
    return client.get(f"/admin/snippets/directory/service/edit/{world.services[which].pk}/"), None


def publish_service(client, world, which):
    service = world.services[which]
    form_class = ServiceViewSet.edit_handler.bind_to_model(Service).get_form_class()
    data = {
        **form_data(form_class(instance=service, for_user=world.users["web_team"])),
        "name": "Published name",
        "action-publish": "1",
    }
    response = client.post(f"/admin/snippets/directory/service/edit/{service.pk}/", data)
    service.refresh_from_db()
    return response, service.name == "Published name" and service.live


def open_form_editor(client, world, which):
    form = world.submissions[which].form
    return client.get(f"/admin/snippets/eforms/formdefinition/edit/{form.pk}/"), None


def inbox_lists(client, world, which):
    reference = world.submissions[which].reference
    response = client.get("/admin/submissions/")
    return response, reference in response.content.decode()


def read_request(client, world, which):
    return client.get(f"/admin/submissions/{world.submissions[which].pk}/"), None


def change_status(client, world, which):
    submission = world.submissions[which]
    response = client.post(
        f"/admin/submissions/{submission.pk}/", {"status": "closed", "message": "Duplicate."}
    )
    submission.refresh_from_db()
    return response, submission.status == "closed"


def bulk_close(client, world, which):
    submission = world.submissions[which]
    response = client.post(
        "/admin/submissions/close/", {"selected": [submission.pk], "message": "Duplicate."}
    )
    submission.refresh_from_db()
    return response, submission.status == "closed"


def export_has(client, world, which):
    reference = world.submissions[which].reference
    response = client.get("/admin/submissions/export.csv")
    # The export streams; refusals (redirects, 403s) are ordinary responses.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, reference in body.decode()


def download_file(client, world, which):
    submission = world.submissions[which]
    response = client.get(
        f"/admin/submissions/{submission.pk}/files/{submission.files.get().token}/"
    )
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PNG
    return response, None


def read_story(client, world, which):
    return client.get(f"/admin/backlog/{world.stories[which].pk}/"), None


def open_story_form(client, world, which):
    return client.get(f"/admin/backlog/{world.stories[which].pk}/edit/"), None


def rerank_story(client, world, which):
    story = world.stories[which]
    response = client.post(
        f"/admin/backlog/{story.pk}/", {"rank": "1", "reason": "Urgent for residents"}
    )
    return response, UserStory.objects.get(pk=story.pk).manual_rank == 1


def get(url):
    return lambda client, world, which: (client.get(url), None)


ACTIONS = {
    "page: open editor": open_page_editor,
    "page: save draft": save_page_draft,
    "page: publish": publish_page,
    "service: open editor": open_service_editor,
    "service: publish": publish_service,
    "form: open editor": open_form_editor,
    "requests: inbox lists": inbox_lists,
    "requests: read one": read_request,
    "requests: change status": change_status,
    "requests: bulk close": bulk_close,
    "requests: CSV export has": export_has,
    "files: download": download_file,
    "stories: read": read_story,
    "stories: open edit form": open_story_form,
    "stories: re-rank": rerank_story,
    "reports: web team dashboard": get("/admin/webteam/"),
    "reports: KPI dashboard": get("/admin/backlog/kpis/"),
    "reports: search analytics": get("/admin/reports/search/"),
    "reports: form statistics": get("/admin/submissions/statistics/"),
    "reports: operations": get("/admin/reports/operations/"),
}


def perform(client, world, action):
    """Split "requests: read one, own unit" into the action and which object it works on."""
    name = action.partition(",")[0].removesuffix(" own unit's").removesuffix(" other unit's")
    which = "other" if "other unit" in action else "own"
    return ACTIONS[name.strip()](client, world, which)


def outcome(response, effect):
    """Name what the user got back, in the matrix's words."""
    code = response.status_code
    location = response.get("Location", "")
    if code == 302 and location.startswith("/admin/login/"):
        return LOGIN
    if code == 302 and location == "/admin/":
        return REFUSED
    if code == 404:
        return NOT_FOUND
    if code in (200, 302) and effect is False:
        # A form shown again with errors, or a list without the object: nothing happened.
        if code == 200:
            return FILTERED
        if location.endswith("/edit/") or "/edit/" in location:  # a page's or a snippet's editor
            return DRAFT_ONLY
        return IGNORED if location == "/admin/submissions/" else f"302 to {location} without effect"
    if code == 200 or (code == 302 and effect is True):
        return OK
    return f"{code} {location}".strip()


@pytest.mark.django_db
@pytest.mark.parametrize("action, role, expected", CASES)
def test_permission_matrix(client, world, action, role, expected):
    client.logout()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response, effect = perform(client, world, action)
    assert outcome(response, effect) == expected, (
        f"{role} doing '{action}': expected {expected}, got {response.status_code} {response.get('Location', '')}"
    )


def test_matrix_covers_every_role_and_object():
    """Every role meets every kind of object; pages, requests and files for both own and other unit."""
    assert all(len(row) == len(ROLES) for row in MATRIX.values())
    kinds = {action.split(":")[0] for action in MATRIX}
    assert kinds == {"page", "service", "form", "requests", "files", "stories", "reports"}
    for name in ACTIONS:
        if not name.startswith("reports"):
            assert any(a.startswith(name) and "own unit" in a for a in MATRIX), name
            assert any(a.startswith(name) and "other unit" in a for a in MATRIX), name
