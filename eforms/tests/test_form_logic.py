"""Form logic without identifiers: every route and show-if condition refers to a question,
answer and page the form has, checked on save in words the editor chose; each route reads as
a sentence; the flow preview lists the way through; old hand-typed values are mended."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.blocks.stream_block import StreamBlockValidationError

import personas.demo
from eforms import builders as b
from eforms import demo, logic
from eforms.models import FormDefinition

from .conftest import make_form

pytestmark = pytest.mark.django_db

mend = importlib.import_module("eforms.migrations.0006_form_logic_from_lists")


def benefits_pages(route_value="no", options=(("yes", "Yes"), ("no", "No")), field="benefits"):
    return [
        b.page(
            "benefits",
            b.q("radios", "benefits", "Do you get benefits?", options=b.options(*options)),
            routes=[(b.when(field, route_value), "not_eligible")],
        ),
        b.page(
            "about",
            b.q("short_text", "full_name", "Your name"),
            b.q(
                "short_text",
                "benefit_name",
                "Which benefit?",
                show_if=b.when("benefits", "yes"),
            ),
        ),
        b.exit_page("not_eligible", "Not eligible", "<p>You cannot get help.</p>"),
    ]


def clean(pages):
    block = FormDefinition._meta.get_field("pages").stream_block
    return block.clean(block.to_python(pages))


def refused(pages):
    with pytest.raises(StreamBlockValidationError) as caught:
        clean(pages)
    return caught.value


def all_messages(error):
    return [e.message for e in error.non_block_errors.as_data()]


def test_a_route_to_an_answer_the_question_has_is_accepted():
    clean(benefits_pages())


def test_a_route_value_differing_only_in_case_is_refused_and_the_real_value_suggested():
    error = refused(benefits_pages(route_value="No"))
    assert all_messages(error) == [
        "Route 1 on page 'Do you get benefits?' checks whether 'Do you get benefits?' is “No”, "
        "but 'Do you get benefits?' has no such answer. Did you mean “no” (No)?"
    ]
    # Shown beside the answer in the editor too: page 0, its first route, the condition's value.
    route = error.block_errors[0].block_errors["routes"].block_errors[0]
    assert route.block_errors["when"].block_errors["value"].message == all_messages(error)[0]


def test_a_route_to_a_deleted_option_is_refused_naming_the_route():
    error = refused(benefits_pages(options=(("yes", "Yes"), ("maybe", "Not sure"))))
    assert all_messages(error) == [
        "Route 1 on page 'Do you get benefits?' checks whether 'Do you get benefits?' is “no”, "
        "but 'Do you get benefits?' has no such answer. Choose one of its answers: Yes, Not sure."
    ]


def test_a_route_on_a_missing_question_is_refused():
    error = refused(benefits_pages(field="benefit"))
    assert all_messages(error) == [
        "Route 1 on page 'Do you get benefits?' checks a question called “benefit”, but there is "
        "no such question before it. Choose an earlier question."
    ]
    route = error.block_errors[0].block_errors["routes"].block_errors[0]
    assert "field" in route.block_errors["when"].block_errors


def test_a_route_with_no_question_chosen_is_refused():
    error = refused(benefits_pages(field=""))
    assert all_messages(error) == [
        "Route 1 on page 'Do you get benefits?' has no question to check. Choose an earlier question."
    ]


def test_a_route_to_a_missing_page_is_refused():
    pages = benefits_pages()
    pages[0]["value"]["routes"][0]["go_to"] = "not_eligable"
    assert all_messages(refused(pages)) == [
        "Route 1 on page 'Do you get benefits?' goes to a page called “not_eligable”, but there is "
        "no such page. Choose a page."
    ]


def test_a_misspelt_show_if_question_is_refused_rather_than_hiding_the_question_for_ever():
    pages = benefits_pages()
    pages[1]["value"]["items"][1]["value"]["show_if"] = b.when("benfits", "yes")
    error = refused(pages)
    assert all_messages(error) == [
        "The question 'Which benefit?' on page 'about' checks a question called “benfits”, but "
        "there is no such question before it. Choose an earlier question."
    ]
    item = error.block_errors[1].block_errors["items"].block_errors[1]
    assert "field" in item.block_errors["show_if"].block_errors


def test_a_show_if_on_a_later_question_is_refused():
    pages = benefits_pages()
    pages[1]["value"]["items"][0]["value"]["show_if"] = b.when("benefit_name", "x")
    assert all_messages(refused(pages)) == [
        "The question 'Your name' on page 'about' checks 'Which benefit?', which is asked later, "
        "so its answer is not known yet. Choose a question asked before it."
    ]


def test_a_show_if_value_not_among_the_answers_is_refused():
    pages = benefits_pages()
    pages[1]["value"]["items"][1]["value"]["show_if"] = b.when("benefits", "Yes")
    assert "Did you mean “yes” (Yes)?" in all_messages(refused(pages))[0]


def test_yes_no_and_is_one_of_conditions_are_checked_against_their_answers():
    pages = [
        b.page(
            "start",
            b.q("yes_no", "urgent", "Is it urgent?"),
            b.q(
                "radios",
                "kind",
                "What kind?",
                options=b.options(("a", "A"), ("b", "B"), ("c", "C")),
            ),
            routes=[
                (b.when("urgent", "yes"), "call_us"),
                (b.when("kind", "a, c", operator="one_of"), "call_us"),
            ],
        ),
        b.exit_page("call_us", "Call us", "<p>Ring us.</p>"),
    ]
    clean(pages)
    pages[0]["value"]["routes"][1]["when"]["value"] = "a, d"
    assert all_messages(refused(pages)) == [
        "Route 2 on page 'start' checks whether 'What kind?' is “d”, but 'What kind?' has no such "
        "answer. Choose one of its answers: A, B, C."
    ]


def test_typed_answers_accept_any_value_but_not_none():
    pages = [
        b.page(
            "start",
            b.q("short_text", "street", "Street"),
            routes=[(b.when("street", "High", operator="contains"), "elsewhere")],
        ),
        b.exit_page("elsewhere", "Not ours", "<p>Another council.</p>"),
    ]
    clean(pages)
    pages[0]["value"]["routes"][0]["when"]["value"] = ""
    assert all_messages(refused(pages)) == [
        "Route 1 on page 'Street' has no answer to compare 'Street' with. Enter one."
    ]


def test_every_demo_form_has_sound_logic():
    personas.demo.load()
    demo.load()
    call_command("check_form_logic")
    for form in FormDefinition.objects.all():
        clean(form.pages.get_prep_value())


def test_a_route_reads_as_a_sentence(unit):
    form = make_form(unit, pages=benefits_pages())
    pages = logic.read(form.pages)
    assert logic.route_summary(pages, pages[0].routes[0]) == (
        "If 'Do you get benefits?' is No → Not eligible"
    )
    steps = logic.flow(pages)
    assert [step.otherwise for step in steps] == [
        "Otherwise → about",
        "Otherwise → Check your answers",
        "The form ends here.",
    ]
    assert steps[1].questions[1][1] == "Only shown if 'Do you get benefits?' is Yes"


def test_the_form_editor_lists_each_route_as_a_sentence(admin_client, unit):
    form = make_form(unit, pages=benefits_pages())
    response = admin_client.get(f"/admin/snippets/eforms/formdefinition/edit/{form.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Routes and conditions" in html
    assert "If &#x27;Do you get benefits?&#x27; is No → Not eligible" in html
    assert "Only shown if &#x27;Do you get benefits?&#x27; is Yes" in html
    # The lists the editor chooses from are drawn by the form-logic controller.
    assert "eforms/admin/form-logic.js" in html


def test_the_flow_preview_lists_every_page_and_route_in_order(unit):
    form = make_form(unit, pages=benefits_pages())
    response = form.make_preview_request(preview_mode="flow")
    assert response.status_code == 200
    html = response.content.decode()
    order = [
        html.index(text)
        for text in (
            "Do you get benefits?</h2>",
            "If &#x27;Do you get benefits?&#x27; is No → Not eligible",
            "Otherwise → about",
            "Only shown if &#x27;Do you get benefits?&#x27; is Yes",
            "Exit page: Not eligible",
        )
    ]
    assert order == sorted(order)


def test_check_form_logic_lists_forms_to_fix_and_fails(unit, capsys):
    make_form(unit, slug="broken", title="Broken form", pages=benefits_pages(route_value="maybe"))
    with pytest.raises(CommandError, match="1 form"):
        call_command("check_form_logic")
    out = capsys.readouterr().out
    assert "Broken form (en-gb) /admin/snippets/eforms/formdefinition/edit/" in out
    assert "checks whether 'Do you get benefits?' is “maybe”" in out


def test_migrating_mends_values_that_differ_only_in_case(unit):
    pages = benefits_pages(route_value="No", field="Benefits")
    pages[0]["value"]["routes"][0]["go_to"] = "Not_Eligible"
    pages[1]["value"]["items"][1]["value"]["show_if"] = b.when("benefits", "YES")
    form = make_form(unit, pages=pages)
    revision = form.save_revision(clean=False)

    mend.mend_case(django_apps, None)

    form.refresh_from_db()
    route = form.pages[0].value["routes"][0]
    assert (route["when"]["field"], route["when"]["value"], route["go_to"]) == (
        "benefits",
        "no",
        "not_eligible",
    )
    assert form.pages[1].value["items"][1].value["show_if"]["value"] == "yes"
    clean(form.pages.get_prep_value())
    # The editor opens the latest revision: it is mended too.
    revision.refresh_from_db()
    assert clean(revision.as_object().pages.get_prep_value())
    # A resident who answers No now reaches the exit page.
    form.refresh_from_db()
    schema = FormDefinition.objects.get(pk=form.pk).schema
    first = schema.first_page()
    assert schema.page_after(first, {"benefits": "no"}).name == "not_eligible"


def test_migrating_leaves_what_it_cannot_mend_for_check_form_logic():
    lookups = {}
    pages = benefits_pages(route_value="perhaps", field="benefits")
    assert mend.normalise(pages, lookups) is False
    assert pages[0]["value"]["routes"][0]["when"]["value"] == "perhaps"


def test_a_refused_save_keeps_the_form_unchanged(admin_client, unit):
    form = make_form(unit, pages=benefits_pages())
    before = form.pages.get_prep_value()
    with pytest.raises(ValidationError):
        clean(benefits_pages(options=(("yes", "Yes"), ("maybe", "Maybe"))))
    form.refresh_from_db()
    assert form.pages.get_prep_value() == before
