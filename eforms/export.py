"""Requests as CSV: one column per question, the same column for a question in every version.

Answers are stored by the question's machine name (``Submission.answers``). Editors change a
question's words freely, and its block keeps its id, so a column is keyed by the block id and
headed with the question's newest words: requests sent before and after a question was
reworded (or renamed, as long as it stayed the same block) line up in one column. Questions
since removed keep a column at the end, headed with their last words. A form and its
translations share names, so they share columns; answers are shown in the default language.

The file is streamed row by row (``StreamingHttpResponse``), so a large export starts at once
and is never held in memory. It opens cleanly in Excel (UTF-8 with a byte-order mark), and no
cell can start a formula.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from wagtail.models import Locale, Revision

from .blocks import CONTENT_TYPES
from .fields import display
from .models import FormDefinition, Submission
from .schema import FieldSpec, FormSchema
from .versions import Versions

BOM = "\ufeff"
FIXED_HEADINGS = [
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
# Answers to questions no version of the form on record has (a form changed outside the
# admin, with no revision): kept, as "name: value" lines, rather than dropped.
OTHER_ANSWERS = "Other answers"
# Spreadsheets run cells that start with these as formulas (or as commands, after a tab or a
# carriage return): never let residents' text do that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """The text, with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


@dataclass
class Family:
    """A form and its translations: one set of question columns."""

    source: FormDefinition
    columns: dict[str, str] = field(default_factory=dict)  # column key -> heading
    alias: dict[str, str] = field(default_factory=dict)  # question name -> column key
    schemas: dict[int, FormSchema] = field(default_factory=dict)
    specs: dict[str, FieldSpec] = field(default_factory=dict)  # question name -> how to show it

    def schema_for(self, form: FormDefinition) -> FormSchema:
        if form.pk not in self.schemas:
            self.schemas[form.pk] = form.schema
        return self.schemas[form.pk]


def _raw_pages(pages: Any) -> list[dict[str, Any]]:
    """A StreamField's raw data, from a form (a list) or a revision (a JSON string)."""
    if isinstance(pages, str):
        pages = json.loads(pages or "[]")
    return list(pages or [])


def _questions(pages: Iterable[dict[str, Any]]) -> Iterator[tuple[str, str, str]]:
    """(block id, name, words) of each question, in the form's order."""
    for page in pages:
        if page.get("type") != "page":
            continue
        for item in page.get("value", {}).get("items", []):
            if item.get("type") in CONTENT_TYPES:
                continue
            value = item.get("value") or {}
            name = value.get("name")
            if not name:
                continue
            words = value.get("label") or value.get("checkbox_label") or name
            yield item.get("id") or "", name, words


def build_family(source: FormDefinition) -> Family:
    """The columns of a form: its live questions in order, then any its earlier versions had."""
    family = Family(source=source)
    versions: list[tuple[int | None, Any]] = [
        (None, FormDefinition._meta.get_field("pages").get_prep_value(source.pages))
    ]
    revisions = Revision.objects.for_instance(source).order_by("-created_at", "-pk")
    versions.extend(
        (pk, content.get("pages")) for pk, content in revisions.values_list("pk", "content")
    )
    removed_in: dict[str, int] = {}  # a question the live form lacks -> its newest revision
    for revision_pk, pages in versions:
        for block_id, name, words in _questions(_raw_pages(pages)):
            key = block_id or f"name:{name}"
            # Seen already in a newer version (the newest words head the column): the same
            # block under an older name, or the same name in a block made again.
            if key in family.columns:
                family.alias.setdefault(name, key)
            elif name not in family.alias:
                family.columns[key] = words
                family.alias[name] = key
            if revision_pk is not None and name not in family.specs:
                removed_in.setdefault(name, revision_pk)
        if revision_pk is None:
            family.specs.update(family.schema_for(source).questions)
    # Answers to removed questions are shown as the version that asked them would show them.
    for revision_pk in set(removed_in.values()):
        old = Revision.objects.get(pk=revision_pk).as_object().schema.questions
        for name, pk in removed_in.items():
            if pk == revision_pk and name in old:
                family.specs[name] = old[name]
    return family


def families_for(submissions: Any) -> list[Family]:
    """One family per form the requests were sent with, by title (default-language forms)."""
    keys = set(submissions.order_by().values_list("form__translation_key", flat=True).distinct())
    default = Locale.get_default()
    sources: dict[Any, FormDefinition] = {}
    for form in FormDefinition.objects.filter(translation_key__in=keys).order_by("pk"):
        if form.translation_key not in sources or form.locale_id == default.pk:
            sources[form.translation_key] = form
    return sorted((build_family(form) for form in sources.values()), key=lambda f: f.source.title)


def _headings(families: list[Family]) -> list[str]:
    headings: list[str] = []
    seen: dict[str, int] = {}
    for family in families:
        for words in family.columns.values():
            heading = words if len(families) == 1 else f"{family.source.title}: {words}"
            seen[heading] = seen.get(heading, 0) + 1
            headings.append(heading if seen[heading] == 1 else f"{heading} ({seen[heading]})")
    return headings


def _plain(value: Any) -> str:
    """An answer to a question the form no longer has: its stored value, readably."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _answer_cells(
    family: Family, submission: Submission, versions: Versions
) -> tuple[dict[str, str], str]:
    """The request's answers by column key, and those with no column as "name: value" lines.

    Each answer is shown as the version of the form it was given to showed it (a choice's words
    then), under the column of its question.
    """
    own_schema = family.schema_for(submission.form)
    as_asked = versions.schema(submission).questions if submission.form_revision_id else {}
    cells: dict[str, str] = {}
    others: list[str] = []
    for name, value in (submission.answers or {}).items():
        spec = as_asked.get(name) or family.specs.get(name) or own_schema.questions.get(name)
        text = str(display(spec, value, staff=True)) if spec is not None else _plain(value)
        text = text.replace("\r\n", "\n")
        key = family.alias.get(name)
        if key is None:
            others.append(f"{name}: {text}")
        else:
            cells[key] = text
    return cells, "\n".join(others)


def _fixed_cells(submission: Submission, versions: Versions) -> list[str]:
    assignee = submission.assigned_to
    return [
        submission.reference,
        submission.form_title,
        versions.label(submission),
        str(submission.get_status_display()),
        timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M"),
        submission.due_date.isoformat() if submission.due_date else "",
        timezone.localtime(submission.closed_at).strftime("%Y-%m-%d %H:%M")
        if submission.closed_at
        else "",
        (assignee.get_full_name() or assignee.get_username()) if assignee else "",
        submission.get_channel_display(),
        submission.email,
        submission.mobile,
        submission.postcode,
    ]


class _Echo:
    """A file that hands back what is written, so csv.writer makes one line at a time."""

    def write(self, text: str) -> str:
        return text


def csv_lines(submissions: Any) -> Iterator[str]:
    """The export, line by line: a byte-order mark and the headings, then one row per request."""
    families = families_for(submissions)
    by_key = {family.source.translation_key: family for family in families}
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(FIXED_HEADINGS + _headings(families) + [OTHER_ANSWERS])
    versions = Versions()
    rows = submissions.select_related("form", "assigned_to").iterator(chunk_size=500)
    for submission in rows:
        cells = [safe_cell(text) for text in _fixed_cells(submission, versions)]
        own = by_key.get(submission.form.translation_key)
        others = ""
        for family in families:
            answers: dict[str, str] = {}
            if family is own:
                answers, others = _answer_cells(family, submission, versions)
            cells.extend(safe_cell(answers.get(key, "")) for key in family.columns)
        cells.append(safe_cell(others))
        yield writer.writerow(cells)
