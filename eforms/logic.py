"""A form's logic (routes and show-if conditions) read as editors think of it.

Routes and conditions are stored as machine values: a question's name, an option's value, a
page's name. Editors choose them from lists in the form editor, but a saved form can still
refer to something that is gone (an option deleted, a question renamed), and forms written
before the lists existed may hold values typed by hand. This module is the one place that
checks those references, in the editor's words, and writes each route as a sentence
("If 'Do you get benefits?' is No → Not eligible"). The form editor's validation, its
"Form logic" panel, the flow preview and ``manage.py check_form_logic`` all read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# Question types whose answer is one (or several) of a fixed set of values.
CHOICE_TYPES = ("radios", "checkboxes", "yes_no", "lookup")
# Items on a page that ask nothing (content) or whose answer no condition can test.
NOT_TESTABLE = ("guidance", "inset", "details", "consent", "file_upload", "group")
YES_NO_OPTIONS = (("yes", "Yes"), ("no", "No"))

# Where a problem sits in the stream, as keys from the top: page index, then child names and
# indexes, e.g. (2, "routes", 0, "when", "value"). The editor shows the message there.
Path = tuple[int | str, ...]


@dataclass
class Question:
    name: str
    label: str
    type: str
    page_index: int
    options: list[tuple[str, str]] | None = None  # None: a typed answer, any value
    show_if: dict[str, str] | None = None
    children: list[Question] = field(default_factory=list)

    @property
    def testable(self) -> bool:
        return self.type not in NOT_TESTABLE

    def option_label(self, value: str) -> str:
        for option_value, label in self.options or ():
            if option_value == value:
                return label
        return value


@dataclass
class Route:
    field: str
    operator: str
    value: str
    go_to: str


@dataclass
class FormPage:
    index: int
    name: str
    kind: str  # "page" or "exit_page"
    heading: str
    questions: list[Question] = field(default_factory=list)
    # Every item's position on the page, content included, as the stream numbers them.
    item_indexes: list[int] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)

    @property
    def title(self) -> str:
        """What editors call the page: its heading, its one question's label, else its name."""
        if self.heading:
            return self.heading
        if len(self.questions) == 1:
            return self.questions[0].label
        return self.name


@dataclass
class Problem:
    message: str
    path: Path


def _condition(value: Any) -> dict[str, str] | None:
    if not value:
        return None
    return {
        "field": (value.get("field") or "").strip(),
        "operator": value.get("operator") or "equals",
        "value": (value.get("value") or "").strip(),
    }


def _question(block_type: str, value: Any, page_index: int) -> Question:
    if block_type == "consent":
        return Question(value["name"], value["checkbox_label"], "consent", page_index)
    options: list[tuple[str, str]] | None = None
    if block_type in ("radios", "checkboxes"):
        options = [(o["value"], o["label"]) for o in value["options"]]
    elif block_type == "yes_no":
        options = [(v, _(label)) for v, label in YES_NO_OPTIONS]
    elif block_type == "lookup":
        lookup = value["lookup_list"]
        options = list(lookup.choices()) if lookup is not None else []
    question = Question(
        value["name"],
        value["label"],
        block_type,
        page_index,
        options=options,
        show_if=_condition(value.get("show_if")),
    )
    if block_type == "group":
        question.children = [
            _question(child.block_type, child.value, page_index) for child in value["fields"]
        ]
    return question


def read(stream: Any) -> list[FormPage]:
    """The form's pages, questions and routes from its StreamField value (saved or just posted)."""
    pages = []
    for page_index, child in enumerate(stream):
        value = child.value
        page = FormPage(page_index, value["name"], child.block_type, value.get("heading") or "")
        if child.block_type == "page":
            for item_index, item in enumerate(value["items"]):
                if item.block_type in ("guidance", "inset", "details"):
                    continue
                page.questions.append(_question(item.block_type, item.value, page_index))
                page.item_indexes.append(item_index)
            for route in value["routes"]:
                when = _condition(route["when"]) or {"field": "", "operator": "equals", "value": ""}
                page.routes.append(
                    Route(when["field"], when["operator"], when["value"], route["go_to"])
                )
        pages.append(page)
    return pages


def _quote(text: str) -> str:
    return f"'{text}'"


def _values(operator: str, value: str) -> list[str]:
    if operator == "one_of":
        return [part.strip() for part in value.split(",") if part.strip()]
    return [value] if value else []


def _or(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def describe_condition(condition: dict[str, str] | Route, questions: dict[str, Question]) -> str:
    """'Do you get benefits?' is No: the condition in the words the editor chose from."""
    if isinstance(condition, Route):
        name, operator, value = condition.field, condition.operator, condition.value
    else:
        name, operator, value = condition["field"], condition["operator"], condition["value"]
    question = questions.get(name)
    label = _quote(question.label if question else name)
    if operator == "contains":
        return _("%(question)s contains “%(value)s”") % {"question": label, "value": value}
    words = [question.option_label(v) if question else v for v in _values(operator, value)]
    return _("%(question)s is %(answers)s") % {"question": label, "answers": _or(words)}


def all_questions(pages: list[FormPage]) -> dict[str, Question]:
    return {q.name: q for page in pages for q in page.questions}


def target_title(pages: list[FormPage], name: str) -> str:
    for page in pages:
        if page.name == name:
            return page.title
    return name


def route_summary(pages: list[FormPage], route: Route) -> str:
    """If 'Do you get benefits?' is No → Not eligible."""
    return _("If %(condition)s → %(target)s") % {
        "condition": describe_condition(route, all_questions(pages)),
        "target": target_title(pages, route.go_to),
    }


def show_if_summary(pages: list[FormPage], question: Question, scope: list[Question]) -> str:
    """Only shown if 'Did you see who dumped it?' is Yes."""
    assert question.show_if is not None
    return _("Only shown if %(condition)s") % {
        "condition": describe_condition(question.show_if, {q.name: q for q in scope})
    }


def _case_insensitive(wanted: str, available: list[str]) -> str | None:
    """The one available value that differs from ``wanted`` only in case, if there is exactly one."""
    found = [value for value in available if value.lower() == wanted.lower()]
    return found[0] if len(found) == 1 else None


def _check_condition(
    condition: dict[str, str],
    earlier: list[Question],
    later: dict[str, Question],
    what: str,
    path: Path,
) -> list[Problem]:
    """``what`` names the route or question in messages ("Route 1 on page 'Benefits'")."""
    name = condition["field"]
    by_name = {q.name: q for q in earlier if q.testable}
    if not name:
        return [
            Problem(
                _("%(what)s has no question to check. Choose an earlier question.")
                % {"what": what},
                (*path, "field"),
            )
        ]
    question = by_name.get(name)
    if question is None:
        if name in later:
            message = _(
                "%(what)s checks %(question)s, which is asked later, so its answer is not known "
                "yet. Choose a question asked before it."
            ) % {"what": what, "question": _quote(later[name].label)}
        else:
            message = _(
                "%(what)s checks a question called “%(name)s”, but there is no such question "
                "before it. Choose an earlier question."
            ) % {"what": what, "name": name}
        return [Problem(message, (*path, "field"))]
    if question.options is None or condition["operator"] == "contains":
        if not condition["value"]:
            return [
                Problem(
                    _("%(what)s has no answer to compare %(question)s with. Enter one.")
                    % {"what": what, "question": _quote(question.label)},
                    (*path, "value"),
                )
            ]
        return []
    values = [value for value, _label in question.options]
    wanted = _values(condition["operator"], condition["value"])
    if not wanted:
        return [
            Problem(
                _("%(what)s has no answer of %(question)s chosen. Choose one of: %(choices)s.")
                % {
                    "what": what,
                    "question": _quote(question.label),
                    "choices": ", ".join(label for _v, label in question.options),
                },
                (*path, "value"),
            )
        ]
    problems = []
    for value in wanted:
        if value in values:
            continue
        near = _case_insensitive(value, values)
        hint = (
            _("Did you mean “%(value)s” (%(label)s)?")
            % {"value": near, "label": question.option_label(near)}
            if near
            else _("Choose one of its answers: %(choices)s.")
            % {"choices": ", ".join(label for _v, label in question.options) or _("none")}
        )
        problems.append(
            Problem(
                _(
                    "%(what)s checks whether %(question)s is “%(value)s”, but %(question)s has no "
                    "such answer. %(hint)s"
                )
                % {"what": what, "question": _quote(question.label), "value": value, "hint": hint},
                (*path, "value"),
            )
        )
    return problems


def problems(pages: list[FormPage]) -> list[Problem]:
    """Every route and show-if condition that refers to a question, answer or page that is not there.

    A route may test any question on its page or an earlier one; a question's show-if, one
    asked before it; a question inside a repeating group, one before it in the same group.
    """
    found: list[Problem] = []
    questions = all_questions(pages)
    page_names = {page.name for page in pages}
    earlier: list[Question] = []
    for page in pages:
        page_label = _quote(page.title)
        for question, item_index in zip(page.questions, page.item_indexes, strict=True):
            later = {q.name: q for q in questions.values() if q not in earlier}
            if question.show_if and question.show_if["field"]:
                what = _("The question %(question)s on page %(page)s") % {
                    "question": _quote(question.label),
                    "page": page_label,
                }
                found += _check_condition(
                    question.show_if,
                    earlier,
                    later,
                    what,
                    (page.index, "items", item_index, "show_if"),
                )
            for child_index, child in enumerate(question.children):
                if not (child.show_if and child.show_if["field"]):
                    continue
                siblings = question.children[:child_index]
                what = _("The question %(question)s in %(group)s") % {
                    "question": _quote(child.label),
                    "group": _quote(question.label),
                }
                found += _check_condition(
                    child.show_if,
                    siblings,
                    {q.name: q for q in question.children[child_index:]},
                    what,
                    (page.index, "items", item_index, "fields", child_index, "show_if"),
                )
            earlier.append(question)
        later = {q.name: q for q in questions.values() if q not in earlier}
        for route_index, route in enumerate(page.routes):
            what = _("Route %(number)s on page %(page)s") % {
                "number": route_index + 1,
                "page": page_label,
            }
            condition = {"field": route.field, "operator": route.operator, "value": route.value}
            found += _check_condition(
                condition, earlier, later, what, (page.index, "routes", route_index, "when")
            )
            if route.go_to not in page_names:
                found.append(
                    Problem(
                        _(
                            "%(what)s goes to a page called “%(name)s”, but there is no such "
                            "page. Choose a page."
                        )
                        % {"what": what, "name": route.go_to},
                        (page.index, "routes", route_index, "go_to"),
                    )
                )
            elif route.go_to == page.name:
                found.append(
                    Problem(
                        _("%(what)s goes back to the same page. Choose another page.")
                        % {"what": what},
                        (page.index, "routes", route_index, "go_to"),
                    )
                )
    return found


@dataclass
class FlowStep:
    """One page as the flow preview and the editor's panel list it."""

    page: FormPage
    questions: list[tuple[Question, str]]  # (question, "Only shown if ..." or "")
    routes: list[str]
    otherwise: str  # where the page leads when no route matches


def flow(pages: list[FormPage]) -> list[FlowStep]:
    """Every page in order with its questions, its routes as sentences and where it goes next."""
    steps = []
    question_pages = [page for page in pages if page.kind == "page"]
    earlier: list[Question] = []
    for page in pages:
        rows = []
        for question in page.questions:
            note = (
                show_if_summary(pages, question, earlier + page.questions)
                if (question.show_if and question.show_if["field"])
                else ""
            )
            rows.append((question, note))
        earlier += page.questions
        if page.kind != "page":
            steps.append(FlowStep(page, rows, [], _("The form ends here.")))
            continue
        position = question_pages.index(page)
        following = question_pages[position + 1] if position + 1 < len(question_pages) else None
        otherwise = (
            _("Otherwise → %(page)s") % {"page": following.title}
            if following
            else _("Otherwise → Check your answers")
        )
        steps.append(
            FlowStep(page, rows, [route_summary(pages, route) for route in page.routes], otherwise)
        )
    return steps
