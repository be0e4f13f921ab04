"""A form's pages as plain Python: what to ask, in what order, and where each answer leads.

Built once from the StreamField, then used by the HTML flow, the JSON API and the staff
views alike, so all three follow exactly the same rules.
"""

from dataclasses import dataclass, field

from wagtail.rich_text import expand_db_html

from .blocks import CONTENT_TYPES


@dataclass
class FieldSpec:
    type: str
    name: str
    label: str
    hint: str = ""
    required: bool = True
    error_message: str = ""
    show_if: dict | None = None
    config: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # repeating groups only

    is_question = True

    @property
    def options(self):
        return self.config.get("options", [])

    def option_label(self, value):
        for option in self.options:
            if option["value"] == value:
                return option["label"]
        return value


@dataclass
class ContentSpec:
    type: str
    html: str = ""
    summary: str = ""

    is_question = False


@dataclass
class PageSpec:
    name: str
    kind: str  # "page" or "exit"
    heading: str = ""
    items: list = field(default_factory=list)
    routes: list = field(default_factory=list)  # [(condition dict, page name)]
    body_html: str = ""
    links: list = field(default_factory=list)

    @property
    def questions(self):
        return [item for item in self.items if item.is_question]

    @property
    def title(self):
        if self.heading:
            return self.heading
        questions = self.questions
        if len(questions) == 1:
            return questions[0].label
        return ""

    @property
    def single_question(self):
        """GOV.UK's one-question page: the label is the page heading."""
        questions = self.questions
        return questions[0] if not self.heading and len(questions) == 1 else None


def _condition(value):
    if not value or not value.get("field"):
        return None
    return {
        "field": value["field"],
        "operator": value.get("operator") or "equals",
        "value": value.get("value") or "",
    }


def _options(values):
    return [{"value": o["value"], "label": o["label"], "hint": o.get("hint") or ""} for o in values]


def _question(block_type, value):
    config = {}
    if block_type in ("short_text", "long_text"):
        config["max_length"] = value["max_length"]
    elif block_type == "email":
        config["use_for_updates"] = bool(value["use_for_updates"])
    elif block_type == "phone":
        config["offer_text_updates"] = bool(value["offer_text_updates"])
    elif block_type == "number":
        config.update(
            min_value=value["min_value"],
            max_value=value["max_value"],
            whole_number=bool(value["whole_number"]),
        )
    elif block_type == "date":
        config.update(
            allow_past=bool(value["allow_past"]),
            allow_today=bool(value["allow_today"]),
            allow_future=bool(value["allow_future"]),
        )
    elif block_type in ("radios", "checkboxes"):
        config["options"] = _options(value["options"])
    elif block_type == "lookup":
        lookup = value["lookup_list"]
        choices = lookup.choices() if lookup is not None else []
        config["options"] = [{"value": code, "label": label, "hint": ""} for code, label in choices]
        config["lookup_list"] = lookup.slug if lookup is not None else ""
    elif block_type == "address":
        config["use_address_lookup"] = bool(value["use_address_lookup"])
    elif block_type == "file_upload":
        config.update(
            allowed_types=list(value["allowed_types"] or []),
            max_size_mb=value["max_size_mb"],
            max_files=value["max_files"],
        )
    elif block_type == "group":
        config.update(
            min_items=value["min_items"],
            max_items=value["max_items"],
            add_another_label=value["add_another_label"],
        )
    if block_type == "consent":
        return FieldSpec(
            type="consent",
            name=value["name"],
            label=value["checkbox_label"],
            required=True,
            error_message=value["error_message"] or "",
            config={"privacy_notice_html": expand_db_html(value["privacy_notice"].source)},
        )
    spec = FieldSpec(
        type=block_type,
        name=value["name"],
        label=value["label"],
        hint=value.get("hint") or "",
        required=bool(value.get("required", True))
        if block_type != "group"
        else value["min_items"] > 0,
        error_message=value.get("error_message") or "",
        show_if=_condition(value.get("show_if")),
        config=config,
    )
    if block_type == "group":
        spec.children = [_question(child.block_type, child.value) for child in value["fields"]]
    return spec


def _content(block_type, value):
    if block_type == "guidance":
        return ContentSpec(type="guidance", html=expand_db_html(value.source))
    if block_type == "inset":
        return ContentSpec(type="inset", html=expand_db_html(value["text"].source))
    return ContentSpec(
        type="details", summary=value["summary"], html=expand_db_html(value["body"].source)
    )


def matches(condition, answers):
    """Does an earlier answer meet the condition? Unanswered never matches."""
    if not condition:
        return True
    answer = answers.get(condition["field"])
    if answer in (None, "", [], {}):
        return False
    expected = condition["value"].strip()
    values = answer if isinstance(answer, list) else [answer]
    values = [str(v) for v in values]
    operator = condition["operator"]
    if operator == "equals":
        return any(v == expected for v in values)
    if operator == "contains":
        return any(expected.lower() in v.lower() for v in values)
    if operator == "one_of":
        wanted = {part.strip() for part in expected.split(",")}
        return any(v in wanted for v in values)
    return False


class FormSchema:
    def __init__(self, pages):
        self.pages = pages
        self.page_by_name = {page.name: page for page in pages}
        self.questions = {}
        for page in pages:
            for item in page.questions:
                self.questions[item.name] = item

    @classmethod
    def from_definition(cls, form):
        pages = []
        for child in form.pages:
            value = child.value
            if child.block_type == "exit_page":
                pages.append(
                    PageSpec(
                        name=value["name"],
                        kind="exit",
                        heading=value["heading"],
                        body_html=expand_db_html(value["body"].source),
                        links=[
                            {"label": link["label"], "url": link["url"]} for link in value["links"]
                        ],
                    )
                )
                continue
            items = []
            for item in value["items"]:
                if item.block_type in CONTENT_TYPES:
                    items.append(_content(item.block_type, item.value))
                else:
                    items.append(_question(item.block_type, item.value))
            routes = [(_condition(route["when"]), route["go_to"]) for route in value["routes"]]
            pages.append(
                PageSpec(
                    name=value["name"],
                    kind="page",
                    heading=value["heading"] or "",
                    items=items,
                    routes=routes,
                )
            )
        return cls(pages)

    @property
    def takes_files(self):
        """Only file questions read a draft's uploads (groups hold no file questions)."""
        return any(spec.type == "file_upload" for spec in self.questions.values())

    @property
    def question_pages(self):
        return [page for page in self.pages if page.kind == "page"]

    def first_page(self):
        pages = self.question_pages
        return pages[0] if pages else None

    def page_after(self, page, answers):
        """Where a page leads: the first matching route, else the next question page."""
        for condition, target in page.routes:
            if condition and matches(condition, answers) and target in self.page_by_name:
                return self.page_by_name[target]
        pages = self.question_pages
        index = pages.index(page)
        return pages[index + 1] if index + 1 < len(pages) else None

    def walk(self, answers):
        """Yield the pages a resident meets, in order, following each page's routes.

        The one walk through a form, for the resident's flow and for validating a whole set of
        answers. ``answers`` is read after each page is yielded, so a caller that adds a page's
        cleaned answers to it before asking for the next page steers the walk by them. Ends
        after an exit page, after the last page, or where routes would loop back.
        """
        page = self.first_page()
        seen = set()
        while page is not None and page.name not in seen:
            seen.add(page.name)
            yield page
            if page.kind == "exit":
                return
            page = self.page_after(page, answers)

    def path(self, answers, answered_pages=None):
        """The pages this resident goes through, given their answers so far.

        Stops at the first page not yet answered (when ``answered_pages`` is given) or at an
        exit page. Returns (pages, next_page) where next_page is None when every page is done.
        """
        pages = []
        for page in self.walk(answers):
            if page.kind == "exit":
                return [*pages, page], page
            if answered_pages is not None and page.name not in answered_pages:
                return pages, page
            pages.append(page)
        return pages, None

    def visible_questions(self, page, answers):
        return [item for item in page.questions if matches(item.show_if, answers)]
