"""Case handling on the staff side: who a request is assigned to, internal notes, finding a
request by reference, email or postcode, the CSV's columns, and exits apart from drop-offs."""

import copy
import csv
import datetime
import importlib
import io
import logging
import uuid

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User

from core.models import DeliveryUnit
from core.permissions import (
    CENTRAL_WEB_TEAM,
    DELIVERY_UNIT_EDITOR,
    PRODUCT_OWNER,
    user_may_edit_owned,
    users_who_may_work_on,
)
from core.roles import ensure_roles
from eforms import builders as b
from eforms.api import form_analytics
from eforms.export import BOM
from eforms.models import CaseNote, Draft, FormDefinition, OutboxMessage, Submission
from eforms.services import assignable_staff
from eforms.tests.factories import SubmissionFactory, small_pages
from tests.tasks import run_queued_tasks

from .conftest import make_form
from .test_flow import fill_to_check, start
from .test_submissions import ANSWERS, post_api

pytestmark = pytest.mark.django_db

NOTE = "Rang the resident: the hole is by the bus stop, not the school."


def member(role, username, unit=None, **fields):
    ensure_roles()
    user = User.objects.create_user(
        username, f"{username}@northbrook.example", "pw", first_name=username.title(), **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if unit is not None:
        user.delivery_units.add(unit)
    return user


@pytest.fixture
def people(unit):
    housing = DeliveryUnit.objects.create(slug="housing", name="Housing")
    return {
        "web": member(CENTRAL_WEB_TEAM, "webby"),
        "editor": member(DELIVERY_UNIT_EDITOR, "streets", unit),
        "other_editor": member(DELIVERY_UNIT_EDITOR, "housing", housing),
        "owner": member(PRODUCT_OWNER, "product"),
        "gone": member(CENTRAL_WEB_TEAM, "leaver", is_active=False),
        "root": User.objects.create_superuser("root", "root@northbrook.example", "pw"),
    }


@pytest.fixture
def request_sent(client, form):
    reference = post_api(client, form.slug, ANSWERS).json()["reference"]
    return Submission.objects.get(reference=reference)


def listed(response):
    """The references in the inbox's table (not in its messages)."""
    from bs4 import BeautifulSoup

    table = BeautifulSoup(response.content, "html.parser").select("table.listing tbody a")
    return {link.get_text(strip=True) for link in table}


def csv_rows(response):
    assert response.streaming  # written as it is read, not built in memory
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :])))


# ----- who a request may be assigned to --------------------------------------------------------


def test_assignable_staff_are_those_who_may_read_the_request(people, request_sent):
    names = set(assignable_staff(request_sent).values_list("username", flat=True))
    assert names == {"webby", "streets", "root"}
    # The same answer as asking each user the two questions one by one.
    for user in User.objects.all():
        expected = (
            user.is_active
            and user.has_perm("eforms.view_submission")
            and user_may_edit_owned(user, request_sent)
        )
        assert (user.username in names) == expected, user.username


def test_a_request_with_no_unit_is_for_unconfined_staff_only(people):
    names = set(
        users_who_may_work_on("eforms.view_submission", None).values_list("username", flat=True)
    )
    assert names == {"webby", "root"}


def test_assign_to_me_and_to_a_colleague_is_noted_and_not_told_to_the_resident(
    client, people, request_sent
):
    run_queued_tasks()
    messages_before = OutboxMessage.objects.count()
    client.force_login(people["editor"])
    url = f"/admin/submissions/{request_sent.pk}/"
    page = client.get(url).content.decode()
    assert "Assign to me" in page
    assert ">Webby<" in page and ">Housing<" not in page  # only staff who can see it

    response = client.post(url, {"action": "assign", "assign_to_me": "1"}, follow=True)
    assert f"{request_sent.reference} is assigned to you." in response.content.decode()
    request_sent.refresh_from_db()
    assert request_sent.assigned_to == people["editor"]

    client.post(url, {"action": "assign", "assignee": people["web"].pk})
    request_sent.refresh_from_db()
    assert request_sent.assigned_to == people["web"]
    assert list(CaseNote.objects.values_list("text", "author__username")) == [
        ("Assigned to Streets.", "streets"),
        ("Assigned to Webby.", "streets"),
    ]
    assert OutboxMessage.objects.count() == messages_before

    assert request_sent.reference not in listed(
        client.get("/admin/submissions/", {"assigned": "nobody"})
    )
    assert request_sent.reference not in listed(
        client.get("/admin/submissions/", {"assigned": "me"})
    )
    client.force_login(people["web"])
    assert listed(client.get("/admin/submissions/", {"assigned": "me"})) == {request_sent.reference}


def test_assigning_to_someone_who_cannot_see_the_request_is_refused(client, people, request_sent):
    client.force_login(people["editor"])
    url = f"/admin/submissions/{request_sent.pk}/"
    for assignee, error in [
        (people["other_editor"].pk, "Housing cannot see this request"),
        (people["owner"].pk, "Product cannot see this request"),
        (people["gone"].pk, "Leaver cannot see this request"),
        (999999, "Choose a member of staff from the list."),
        ("banana", "Choose a member of staff from the list."),
    ]:
        response = client.post(url, {"action": "assign", "assignee": assignee})
        assert response.status_code == 200 and error in response.content.decode()
    request_sent.refresh_from_db()
    assert request_sent.assigned_to is None and not CaseNote.objects.exists()


def test_a_product_owner_cannot_assign_or_note(client, people, request_sent):
    client.force_login(people["owner"])
    url = f"/admin/submissions/{request_sent.pk}/"
    client.post(url, {"action": "note", "note": NOTE})
    client.post(url, {"action": "assign", "assign_to_me": "1"})
    request_sent.refresh_from_db()
    assert request_sent.assigned_to is None and not CaseNote.objects.exists()


# ----- internal notes ----------------------------------------------------------------------------


def test_internal_notes_never_reach_the_resident(client, people, request_sent, form):
    run_queued_tasks()
    sent_before = OutboxMessage.objects.count()
    staff = client_class_login(people["editor"])
    url = f"/admin/submissions/{request_sent.pk}/"
    response = staff.post(url, {"action": "note", "note": NOTE}, follow=True)
    page = response.content.decode()
    assert "Note added. Only staff can see it." in page
    assert "Rang the resident: the hole is by the bus stop" in page and "Streets" in page

    empty = staff.post(url, {"action": "note", "note": "   "})
    assert "Enter a note." in empty.content.decode()
    too_long = staff.post(url, {"action": "note", "note": "x" * 5001})
    assert "A note must be 5000 characters or fewer." in too_long.content.decode()
    assert CaseNote.objects.count() == 1

    # Nothing was queued for the resident, and a status change tells them only its own message.
    assert OutboxMessage.objects.count() == sent_before
    staff.post(url, {"action": "status", "status": "in_progress", "message": "On our list."})
    run_queued_tasks()
    assert not OutboxMessage.objects.filter(body__contains="bus stop").exists()

    # The resident's tracking page and the API show the history, never the notes.
    resident = type(client)()
    tracking = resident.get(f"/track/{request_sent.track_token}/", follow=True).content.decode()
    assert "On our list." in tracking and "bus stop" not in tracking and "Streets" not in tracking
    replay = post_api(resident, form.slug, ANSWERS, HTTP_IDEMPOTENCY_KEY="k1")
    again = post_api(resident, form.slug, ANSWERS, HTTP_IDEMPOTENCY_KEY="k1")
    assert replay.status_code == 201 and again.status_code == 200
    assert "bus stop" not in again.content.decode()
    api_form = resident.get(f"/api/v1/forms/{form.slug}/").content.decode()
    assert "bus stop" not in api_form


def client_class_login(user):
    from django.test import Client

    staff = Client()
    staff.force_login(user)
    return staff


# ----- finding a request -------------------------------------------------------------------------


def test_find_a_request_by_reference_email_or_postcode_without_logging_it(
    client, people, form, caplog
):
    sam = post_api(client, form.slug, ANSWERS).json()["reference"]
    other = post_api(
        client,
        form.slug,
        {
            **ANSWERS,
            "email": "alex@resident.example",
            "address": {"postcode": "NB2 3CD", "line_1": "2 High Street", "town": "Northbrook"},
        },
    ).json()["reference"]
    assert Submission.objects.get(reference=sam).postcode == "NB1 1AA"  # stored normalised
    client.force_login(people["editor"])
    caplog.set_level(logging.DEBUG)

    def search(term):
        response = client.post("/admin/submissions/", {"q": term, "status": "open"})
        assert response.status_code == 302
        location = response["Location"]
        assert "status=open" in location and "s=" in location
        assert term not in location and term.replace(" ", "+") not in location
        found = listed(client.get(location))
        return sam in found, other in found, location

    assert search("nb11aa")[:2] == (True, False)  # any spacing, any case
    assert search("NB1-1AA")[:2] == (True, False)
    assert search("NB2")[:2] == (False, True)  # a whole district
    assert search("ALEX@resident.example")[:2] == (False, True)
    assert search(sam.lower().replace("-", " "))[:2] == (True, False)
    assert search("nobody@resident.example")[:2] == (False, False)
    found_sam, found_other, location = search("sam@resident.example")
    assert (found_sam, found_other) == (True, False)

    # The export of the search is the search's rows only.
    rows = csv_rows(
        client.get(location.replace("/admin/submissions/?", "/admin/submissions/export.csv?"))
    )
    assert [row[0] for row in rows[1:]] == [sam]

    # Another member of staff with the same address sees nothing: the term is in the session.
    colleague = client_class_login(people["web"])
    response = colleague.get(location)
    assert listed(response) == {sam, other}  # the token means nothing in their session
    assert "sam@resident.example" not in response.content.decode()

    logged = "\n".join(record.getMessage() for record in caplog.records)
    for term in ("nb11aa", "NB1-1AA", "ALEX@resident.example", "sam@resident.example"):
        assert term not in logged


# ----- the CSV -----------------------------------------------------------------------------------


def edit_form(form, change):
    """Change the form's pages like an editor in the admin: a new revision, published."""
    pages = copy.deepcopy(list(FormDefinition._meta.get_field("pages").get_prep_value(form.pages)))
    change(pages)
    form.pages = pages
    form.save_revision().publish()
    return FormDefinition.objects.get(pk=form.pk)


def give_ids(pages):
    """The admin's editor gives every block an id (the builders' raw data has none inside pages)."""
    for page in pages:
        for item in page["value"].get("items", []):
            item.setdefault("id", str(uuid.uuid4()))


def question(pages, name):
    for page in pages:
        for item in page["value"].get("items", []):
            if item["value"].get("name") == name:
                return item
    raise KeyError(name)


def test_csv_has_one_column_per_question_stable_across_versions(client, people, form):
    form.review_by = datetime.date(2030, 1, 1)  # the admin asks for one before publishing
    form = edit_form(form, give_ids)  # the first version, as the admin's editor saves it
    first = post_api(client, form.slug, {**ANSWERS, "description": "Hole one"}).json()["reference"]

    def reword_and_rename(pages):
        question(pages, "description")["value"]["label"] = "What is wrong?"
        question(pages, "other_detail")["value"]["name"] = "kind_of_problem"

    form = edit_form(form, reword_and_rename)
    second = post_api(
        client,
        form.slug,
        {
            **{k: v for k, v in ANSWERS.items() if k != "other_detail"},
            "description": "Hole two",
            "kind_of_problem": "Subsidence",
        },
    ).json()["reference"]
    form = edit_form(form, lambda pages: pages[1]["value"]["items"].pop(2))  # "noticed" goes

    client.force_login(people["web"])
    rows = csv_rows(client.get("/admin/submissions/export.csv"))
    headings, *data = rows
    assert headings[:12] == [
        "Reference",
        "Form",
        "Form version",
        "Status",
        "Received",
        "Expected by",
        "Closed",
        "Assigned to",
        "Channel",
        "Email",
        "Mobile",
        "Postcode",
    ]
    assert headings[12:] == [
        "What is the problem?",
        "What is wrong?",  # the newest words head the column
        "What kind of problem?",
        "Where is it?",
        "Full name",
        "Email address",
        "Phone number",
        "I understand how the council will use my information",
        "When did you notice it?",  # removed since: kept, at the end
        "Other answers",
    ]
    by_reference = {row[0]: dict(zip(headings, row, strict=True)) for row in data}
    assert by_reference[first]["What is wrong?"] == "Hole one"
    assert by_reference[second]["What is wrong?"] == "Hole two"
    assert by_reference[first]["What kind of problem?"] == "Sinkhole"  # its old name
    assert by_reference[second]["What kind of problem?"] == "Subsidence"
    assert by_reference[first]["When did you notice it?"] == "1 February 2024"
    assert by_reference[first]["What is the problem?"] == "Something else"  # the option's words
    assert by_reference[first]["Where is it?"] == "14 Mill Lane\nNorthbrook\nNB1 1AA"
    assert by_reference[first]["Postcode"] == "NB1 1AA"
    assert by_reference[first]["Other answers"] == ""


def test_answers_are_shown_and_exported_as_the_version_they_were_given_to(client, people, form):
    """Issue 19, part 9: a reworded question or choice never puts words in a resident's mouth."""
    form.review_by = datetime.date(2030, 1, 1)
    form = edit_form(form, give_ids)
    first_version = form.live_revision
    first = post_api(client, form.slug, {**ANSWERS, "description": "Hole one"}).json()["reference"]

    def reword(pages):
        question(pages, "description")["value"]["label"] = "What is wrong?"
        options = question(pages, "problem")["value"]["options"]
        next(o for o in options if o["value"] == "other")["label"] = "Another problem"

    form = edit_form(form, reword)
    second = post_api(client, form.slug, {**ANSWERS, "description": "Hole two"}).json()["reference"]
    sent = {s.reference: s for s in Submission.objects.all()}
    assert sent[first].form_revision == first_version
    assert sent[second].form_revision == form.live_revision != first_version

    client.force_login(people["web"])
    page = BeautifulSoup(client.get(f"/admin/submissions/{sent[first].pk}/").content, "html.parser")
    rows = {
        th.find(string=True, recursive=False).strip(): th
        for th in page.select("table th[scope=row]")
    }
    assert "Describe the problem" in rows and "What is wrong?" not in rows
    assert rows["Describe the problem"].select_one("[data-label-now]").get_text() == (
        "Now asked as: What is wrong?"
    )
    assert rows["What is the problem?"].find_next_sibling("td").get_text() == "Something else"
    assert "the form published on" in page.select_one("[data-form-version]").get_text()
    newer = client.get(f"/admin/submissions/{sent[second].pk}/").content.decode()
    assert "Another problem" in newer and "Now asked as" not in newer

    headings, *data = csv_rows(client.get("/admin/submissions/export.csv"))
    by_reference = {row[0]: dict(zip(headings, row, strict=True)) for row in data}
    assert by_reference[first]["What is the problem?"] == "Something else"
    assert by_reference[second]["What is the problem?"] == "Another problem"
    versions = {by_reference[first]["Form version"], by_reference[second]["Form version"]}
    assert len(versions) == 2 and "" not in versions


def test_requests_sent_before_versions_were_recorded_get_the_version_then_live(form):
    """Migration eforms 0011: the revision published last before the request arrived."""
    form.review_by = datetime.date(2030, 1, 1)
    form = edit_form(form, give_ids)
    older = form.live_revision
    before = SubmissionFactory(form=form, answers=ANSWERS)
    form = edit_form(form, lambda pages: None)
    after = SubmissionFactory(form=form, answers=ANSWERS)
    Submission.objects.update(form_revision=None)
    migration = importlib.import_module("eforms.migrations.0011_fill_form_revision")
    migration.fill(django_apps, None)
    assert Submission.objects.get(pk=before.pk).form_revision == older
    assert Submission.objects.get(pk=after.pk).form_revision == form.live_revision


def test_csv_guards_every_cell_and_names_each_form_when_several(client, people, form, unit):
    other = make_form(unit, slug="second-form", title="Second form", pages=small_pages())
    post_api(client, form.slug, {**ANSWERS, "description": "@SUM(1+1)", "full_name": "-2+3"})
    post_api(
        client,
        other.slug,
        {"problem": "pothole", "email": "x@resident.example"}
        | {k: v for k, v in ANSWERS.items() if k in ("full_name", "consent")},
    )
    client.force_login(people["web"])
    headings, *data = csv_rows(client.get("/admin/submissions/export.csv"))
    assert "Report a test problem: Describe the problem" in headings
    assert "Second form: What is the problem?" in headings
    cells = [cell for row in data for cell in row]
    assert "'@SUM(1+1)" in cells and "'-2+3" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_the_csv_streams_a_large_export(client, people, form):
    """Two thousand requests: the first line arrives before the rest are read."""
    import time

    from eforms.tests.factories import SubmissionFactory

    SubmissionFactory.create_batch(2000, form=form, answers=ANSWERS)
    client.force_login(people["web"])
    started = time.perf_counter()
    response = client.get("/admin/submissions/export.csv")
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_seconds = time.perf_counter() - started
    rest = b"".join(chunks)
    total_seconds = time.perf_counter() - started
    print(f"\nCSV of 2000 requests: first line {first_seconds:.3f}s, all {total_seconds:.3f}s")
    assert first.decode().startswith(BOM + "Reference,")
    assert rest.count(b"\r\n") >= 2000
    assert first_seconds < total_seconds / 2


# ----- exits are not drop-offs --------------------------------------------------------------------


def test_exit_pages_are_counted_apart_from_drop_offs(client, people, unit):
    form = make_form(
        unit,
        slug="eligibility",
        pages=[
            b.page(
                "benefits",
                b.q(
                    "radios",
                    "benefits",
                    "Do you get benefits?",
                    options=b.options(("yes", "Yes"), ("no", "No")),
                ),
                routes=[(b.when("benefits", "no"), "not-eligible")],
            ),
            b.page("details", b.q("long_text", "details", "Tell us more", max_length=200)),
            b.exit_page("not-eligible", "You cannot apply", "<p>Try Citizens Advice.</p>"),
            b.contact_page(),
        ],
    )
    for answer in ("no", "no", "yes"):
        resident = type(client)()
        start(resident, form)
        response = resident.post(f"/forms/{form.slug}/page/benefits/", {"benefits": answer})
        expected = "not-eligible" if answer == "no" else "details"
        assert response["Location"] == f"/forms/{form.slug}/page/{expected}/"
        assert "You cannot apply" in resident.get(response["Location"]).content.decode() or (
            answer == "yes"
        )
    Draft.objects.update(updated_at="2020-01-01T00:00:00Z")
    stats = form_analytics(form)
    assert stats["starts"] == 3 and stats["completions"] == 0
    assert stats["exits"] == 2 and stats["exit_pages"] == {"not-eligible": 2}
    assert stats["drop_offs"] == 1 and stats["drop_off_page"] == "benefits"

    client.force_login(people["web"])
    page = client.get("/admin/submissions/statistics/").content.decode()
    assert "Sent to an exit page" in page and "2 (not-eligible: 2)" in page


def test_the_usual_drop_off_is_still_a_drop_off(client, form):
    start(client, form)
    client.post(f"/forms/{form.slug}/page/what/", {"problem": "litter"})
    other = type(client)()
    fill_to_check(other, form)
    Draft.objects.update(updated_at="2020-01-01T00:00:00Z")
    stats = form_analytics(form)
    assert stats["exits"] == 0 and stats["drop_offs"] == 2
