"""Routes and show-if conditions are now chosen from lists of what the form holds, and checked
on save. Forms written before held values typed by hand: a route value "No" where the option's
value is "no" never matched, and residents who answered No went on. This migration rewrites
each reference that differs from a question, answer or page only in case to the real one
(when exactly one matches), in each form and its latest draft. What it cannot mend is left for
``manage.py check_form_logic`` to report."""

import json

import django.core.validators
import wagtail.fields
from django.db import migrations


YES_NO = ["yes", "no"]


def _unique_case_match(wanted, available):
    if not wanted or wanted in available:
        return None
    found = [value for value in available if value.lower() == wanted.lower()]
    return found[0] if len(found) == 1 else None


def _list_items(raw):
    """ListBlock children, in the list-of-blocks format or the older plain list."""
    return [
        child["value"] if isinstance(child, dict) and child.get("type") == "item" else child
        for child in raw or []
    ]


def _answer_values(item, lookups):
    kind, value = item.get("type"), item.get("value") or {}
    if kind in ("radios", "checkboxes"):
        return [(option or {}).get("value", "") for option in _list_items(value.get("options"))]
    if kind == "yes_no":
        return YES_NO
    if kind == "lookup":
        return lookups.get(value.get("lookup_list"), [])
    return None


def _fix_condition(condition, questions):
    """Mend one condition in place; True when something changed."""
    if not isinstance(condition, dict) or not condition.get("field"):
        return False
    changed = False
    field = _unique_case_match(condition["field"], list(questions))
    if field:
        condition["field"], changed = field, True
    values = questions.get(condition["field"])
    operator = condition.get("operator") or "equals"
    if values is None or operator == "contains" or not condition.get("value"):
        return changed
    parts = condition["value"].split(",") if operator == "one_of" else [condition["value"]]
    fixed = [_unique_case_match(part.strip(), values) or part.strip() for part in parts]
    joined = ", ".join(fixed) if operator == "one_of" else fixed[0]
    if joined != condition["value"].strip():
        condition["value"], changed = joined, True
    return changed


def normalise(pages, lookups):
    """Mend a form's pages (StreamField JSON) in place; True when anything changed."""
    changed = False
    page_names = [page.get("value", {}).get("name", "") for page in pages]
    questions = {}
    for page in pages:
        if page.get("type") != "page":
            continue
        for item in page["value"].get("items", []):
            name = (item.get("value") or {}).get("name") if isinstance(item.get("value"), dict) else None
            if name:
                questions[name] = _answer_values(item, lookups)
    for page in pages:
        if page.get("type") != "page":
            continue
        for item in page["value"].get("items", []):
            value = item.get("value")
            if not isinstance(value, dict):
                continue
            changed |= _fix_condition(value.get("show_if"), questions)
            if item.get("type") == "group":
                siblings = {
                    child["value"]["name"]: _answer_values(child, lookups)
                    for child in value.get("fields", [])
                    if isinstance(child.get("value"), dict) and child["value"].get("name")
                }
                for child in value.get("fields", []):
                    if isinstance(child.get("value"), dict):
                        changed |= _fix_condition(child["value"].get("show_if"), siblings)
        for route in _list_items(page["value"].get("routes")):
            changed |= _fix_condition(route.get("when"), questions)
            target = _unique_case_match(route.get("go_to", ""), page_names)
            if target:
                route["go_to"], changed = target, True
    return changed


def _lookups(apps):
    lookups = {}
    for lookup in apps.get_model("eforms", "LookupList").objects.all():
        codes = [line.partition("|")[0].strip() for line in lookup.options.splitlines()]
        lookups[lookup.pk] = [code for code in codes if code]
    return lookups


def mend_case(apps, schema_editor):
    FormDefinition = apps.get_model("eforms", "FormDefinition")
    Revision = apps.get_model("wagtailcore", "Revision")
    lookups = _lookups(apps)
    for form in FormDefinition.objects.all():
        pages = json.loads(json.dumps(list(form.pages.raw_data)))
        if normalise(pages, lookups):
            form.pages = pages
            form.save(update_fields=["pages"])
        revision = Revision.objects.filter(pk=form.latest_revision_id).first()
        if revision is None or "pages" not in revision.content:
            continue
        stored = revision.content["pages"]
        draft = json.loads(stored) if isinstance(stored, str) else stored
        if isinstance(draft, list) and normalise(draft, lookups):
            revision.content["pages"] = json.dumps(draft) if isinstance(stored, str) else draft
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('eforms', '0005_case_handling'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AlterField(
            model_name='formdefinition',
            name='pages',
            field=wagtail.fields.StreamField([('page', 58), ('exit_page', 64)], block_lookup={0: ('eforms.blocks.MachineValueBlock', (), {'help_text': 'A short unique name for this answer, like home_address. Residents never see it.', 'max_length': 50, 'validators': [django.core.validators.RegexValidator('^[a-z][a-z0-9_]*$', 'Use lowercase letters, numbers and underscores, starting with a letter, like home_address.')]}), 1: ('wagtail.blocks.CharBlock', (), {'help_text': 'Leave blank when the page asks one question: its label becomes the heading.', 'max_length': 200, 'required': False}), 2: ('eforms.blocks.GuidanceBlock', (), {'features': ['h2', 'h3', 'bold', 'ol', 'ul', 'link']}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'link', 'ul']}), 4: ('wagtail.blocks.StructBlock', [[('text', 3)]], {}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. “Help if you can’t use a computer”', 'max_length': 120}), 6: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'ol', 'ul', 'link', 'document-link']}), 7: ('wagtail.blocks.StructBlock', [[('summary', 5), ('body', 6)]], {}), 8: ('wagtail.blocks.CharBlock', (), {'max_length': 200}), 9: ('wagtail.blocks.CharBlock', (), {'max_length': 400, 'required': False}), 10: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'required': False}), 11: ('wagtail.blocks.CharBlock', (), {'help_text': 'Shown when a required answer is missing, like “Enter your full name”.', 'max_length': 200, 'required': False}), 12: ('eforms.blocks.QuestionReferenceBlock', (), {'help_text': 'Choose a question asked before this one.', 'label': 'Question', 'max_length': 50, 'required': False}), 13: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('equals', 'is'), ('one_of', 'is one of'), ('contains', 'contains (for typed answers)')], 'label': 'Check'}), 14: ('eforms.blocks.AnswerReferenceBlock', (), {'label': 'Answer', 'max_length': 200, 'required': False}), 15: ('wagtail.blocks.StructBlock', [[('field', 12), ('operator', 13), ('value', 14)]], {'required': False}), 16: ('wagtail.blocks.IntegerBlock', (), {'default': 200, 'max_value': 500, 'min_value': 1}), 17: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('max_length', 16)]], {}), 18: ('wagtail.blocks.IntegerBlock', (), {'default': 2000, 'max_value': 5000, 'min_value': 1}), 19: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('max_length', 18)]], {}), 20: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'help_text': 'Send the acknowledgement and updates to this address.', 'required': False}), 21: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('use_for_updates', 20)]], {}), 22: ('wagtail.blocks.BooleanBlock', (), {'default': False, 'help_text': 'Let residents choose updates by text message.', 'required': False}), 23: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('offer_text_updates', 22)]], {}), 24: ('wagtail.blocks.FloatBlock', (), {'required': False}), 25: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('min_value', 24), ('max_value', 24), ('whole_number', 10)]], {}), 26: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('allow_past', 10), ('allow_today', 10), ('allow_future', 10)]], {}), 27: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15)]], {}), 28: ('eforms.blocks.MachineValueBlock', (), {'help_text': 'Stored with the answer; stays the same in every language.', 'max_length': 80, 'validators': [django.core.validators.RegexValidator('^[a-z0-9_-]+$', 'Use lowercase letters, numbers, - and _.')]}), 29: ('wagtail.blocks.CharBlock', (), {'max_length': 200, 'required': False}), 30: ('wagtail.blocks.StructBlock', [[('label', 8), ('value', 28), ('hint', 29)]], {}), 31: ('wagtail.blocks.ListBlock', (30,), {'min_num': 2}), 32: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('options', 31)]], {}), 33: ('wagtail.blocks.ListBlock', (30,), {'min_num': 1}), 34: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('options', 33)]], {}), 35: ('wagtail.snippets.blocks.SnippetChooserBlock', ('eforms.LookupList',), {}), 36: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('lookup_list', 35)]], {}), 37: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'help_text': 'Offer a list of addresses for the postcode when we know them; residents can always type it.', 'required': False}), 38: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('use_address_lookup', 37)]], {}), 39: ('wagtail.blocks.MultipleChoiceBlock', [], {'choices': [('jpg', 'JPEG image (.jpg)'), ('png', 'PNG image (.png)'), ('heic', 'HEIC photo (.heic)'), ('pdf', 'PDF document (.pdf)'), ('docx', 'Word document (.docx)')]}), 40: ('wagtail.blocks.IntegerBlock', (), {'default': 10, 'max_value': 25, 'min_value': 1}), 41: ('wagtail.blocks.IntegerBlock', (), {'default': 1, 'max_value': 10, 'min_value': 1}), 42: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 8), ('hint', 9), ('required', 10), ('error_message', 11), ('show_if', 15), ('allowed_types', 39), ('max_size_mb', 40), ('max_files', 41)]], {}), 43: ('wagtail.blocks.CharBlock', (), {'help_text': 'What one item is called, like “Child”.', 'max_length': 80}), 44: ('wagtail.blocks.IntegerBlock', (), {'default': 1, 'max_value': 20, 'min_value': 0}), 45: ('wagtail.blocks.IntegerBlock', (), {'default': 6, 'max_value': 20, 'min_value': 1}), 46: ('wagtail.blocks.CharBlock', (), {'default': 'Add another', 'max_length': 80}), 47: ('wagtail.blocks.StreamBlock', [[('short_text', 17), ('long_text', 19), ('email', 21), ('phone', 23), ('number', 25), ('date', 26), ('yes_no', 27), ('radios', 32), ('checkboxes', 34), ('lookup', 36)]], {'min_num': 1}), 48: ('wagtail.blocks.StructBlock', [[('name', 0), ('label', 43), ('hint', 9), ('min_items', 44), ('max_items', 45), ('add_another_label', 46), ('fields', 47), ('show_if', 15)]], {}), 49: ('eforms.blocks.MachineValueBlock', (), {'default': 'consent', 'help_text': 'A short unique name for this answer, like home_address. Residents never see it.', 'max_length': 50, 'validators': [django.core.validators.RegexValidator('^[a-z][a-z0-9_]*$', 'Use lowercase letters, numbers and underscores, starting with a letter, like home_address.')]}), 50: ('wagtail.blocks.CharBlock', (), {'default': 'I understand how the council will use my information', 'max_length': 200}), 51: ('wagtail.blocks.CharBlock', (), {'default': 'Confirm you understand how we will use your information', 'max_length': 200, 'required': False}), 52: ('wagtail.blocks.StructBlock', [[('name', 49), ('privacy_notice', 3), ('checkbox_label', 50), ('error_message', 51)]], {}), 53: ('wagtail.blocks.StreamBlock', [[('guidance', 2), ('inset', 4), ('details', 7), ('short_text', 17), ('long_text', 19), ('email', 21), ('phone', 23), ('number', 25), ('date', 26), ('yes_no', 27), ('radios', 32), ('checkboxes', 34), ('lookup', 36), ('address', 38), ('location', 27), ('file_upload', 42), ('group', 48), ('consent', 52)]], {}), 54: ('wagtail.blocks.StructBlock', [[('field', 12), ('operator', 13), ('value', 14)]], {'collapsed': False, 'label': 'When'}), 55: ('eforms.blocks.PageReferenceBlock', (), {'help_text': 'Choose a page.', 'label': 'Go to', 'max_length': 50}), 56: ('wagtail.blocks.StructBlock', [[('when', 54), ('go_to', 55)]], {}), 57: ('wagtail.blocks.ListBlock', (56,), {'default': [], 'help_text': 'Checked in order; otherwise go to the next page.'}), 58: ('wagtail.blocks.StructBlock', [[('name', 0), ('heading', 1), ('items', 53), ('routes', 57)]], {}), 59: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'bold', 'ul', 'ol', 'link']}), 60: ('wagtail.blocks.CharBlock', (), {'max_length': 120}), 61: ('wagtail.blocks.CharBlock', (), {'max_length': 300}), 62: ('wagtail.blocks.StructBlock', [[('label', 60), ('url', 61)]], {}), 63: ('wagtail.blocks.ListBlock', (62,), {'default': []}), 64: ('wagtail.blocks.StructBlock', [[('name', 0), ('heading', 8), ('body', 59), ('links', 63)]], {})}),
        ),
        migrations.RunPython(mend_case, migrations.RunPython.noop),
    ]
