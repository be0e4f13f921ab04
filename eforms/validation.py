"""One set of rules for every way in: a page posted in the HTML flow, or a whole form via the API."""

from django.utils.translation import gettext as _

from .fields import AnswerError, CleanContext, GroupErrors, clean
from .schema import matches


def clean_page(schema, page, raw_answers, earlier_answers, ctx):
    """Check the answers to one page.

    Returns (cleaned, errors). ``errors`` maps an input id (the anchor the error summary links
    to) to a message, in the order the questions appear. Questions hidden by show-if are skipped
    and dropped; a question may depend on one earlier on the same page.
    """
    cleaned, errors = {}, {}
    answers = dict(earlier_answers)
    for spec in page.questions:
        if not matches(spec.show_if, answers):
            continue
        try:
            value = clean(spec, raw_answers.get(spec.name), ctx)
        except GroupErrors as error:
            errors.update(error.errors)
            continue
        except AnswerError as error:
            errors[spec.name + error.anchor_suffix] = error.message
            continue
        cleaned[spec.name] = value
        answers[spec.name] = value
    return cleaned, errors


def validate_answers(schema, raw_answers, ctx=None):
    """Check a whole set of answers by following the pages they lead through.

    Returns (cleaned, errors, path). Answers to pages off the path are dropped. Reaching an
    exit page is an error: the form says the resident can't go on.
    """
    ctx = ctx or CleanContext()
    if not isinstance(raw_answers, dict):
        return {}, {"answers": _("Send the answers as an object of question names and values")}, []
    cleaned, errors, path = {}, {}, []
    for page in schema.walk(cleaned):  # each page's cleaned answers choose the next page
        path.append(page)
        if page.kind == "exit":
            errors["__all__"] = page.heading
            break
        page_cleaned, page_errors = clean_page(schema, page, raw_answers, cleaned, ctx)
        cleaned.update(page_cleaned)
        errors.update(page_errors)
    unknown = sorted(set(raw_answers) - set(schema.questions))
    if unknown:
        errors["__all__"] = _("These are not questions on this form: %(names)s") % {
            "names": ", ".join(unknown)
        }
    return cleaned, errors, path
