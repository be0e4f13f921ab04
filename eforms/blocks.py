"""The blocks editors compose forms from: pages, questions, content and routing.

A form is a stream of pages. A question page holds one question or one group of questions
(as the editor chooses); an exit page ends the flow early (for example "You are not eligible")
and can signpost elsewhere. Every question has a machine name that is unique in the form:
answers, conditions and routing refer to it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from core.blocks import DetailsBlock, InsetBlock

from . import logic

NAME_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use lowercase letters, numbers and underscores, starting with a letter, like home_address."),
)

# How a condition compares the answer: the words read in the editor's lists, after the
# question ("Do you get benefits?" is "No").
OPERATORS = [
    ("equals", _("is")),
    ("one_of", _("is one of")),
    ("contains", _("contains (for typed answers)")),
]

FILE_TYPES = [
    ("jpg", "JPEG image (.jpg)"),
    ("png", "PNG image (.png)"),
    ("heic", "HEIC photo (.heic)"),
    ("pdf", "PDF document (.pdf)"),
    ("docx", "Word document (.docx)"),
    ("xlsx", "Excel spreadsheet (.xlsx)"),
    ("odt", "OpenDocument text (.odt)"),
]


CONTENT_TYPES = ("guidance", "inset", "details")


class MachineValueBlock(blocks.CharBlock):
    """A value stored with answers (a question's name, an option's value), not words residents read.

    wagtail-localize leaves it out of what translators see, so every language keeps the same
    value and answers, conditions and reports line up across languages."""

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


def name_block(**kwargs):
    return MachineValueBlock(
        max_length=50,
        validators=[NAME_VALIDATOR],
        help_text=_(
            "A short unique name for this answer, like home_address. Residents never see it."
        ),
        **kwargs,
    )


class LogicChoiceInput(forms.TextInput):
    """A reference in the form's logic, chosen from a list of what is above it in the editor.

    The stored value stays in this text input; the ``eforms-logic`` controller draws a list of
    the form's earlier questions, their answers or its pages beside it, read from the editor as
    it is now (``kind`` says which). The server checks the reference on save (``eforms.logic``).
    """

    template_name = "eforms/admin/logic_choice_input.html"

    def __init__(self, kind: str, attrs: dict | None = None) -> None:
        self.kind = kind
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["kind"] = self.kind
        return context

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            js=["eforms/admin/form-logic.js"], css={"all": ["eforms/admin/form-logic.css"]}
        )


class LogicChoiceBlock(MachineValueBlock):
    """A machine value (question name, answer value, page name) the editor picks from a list."""

    kind = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.field.widget = LogicChoiceInput(self.kind)


class QuestionReferenceBlock(LogicChoiceBlock):
    kind = "question"


class AnswerReferenceBlock(LogicChoiceBlock):
    kind = "answer"


class PageReferenceBlock(LogicChoiceBlock):
    kind = "page"


class ConditionBlock(blocks.StructBlock):
    """An earlier answer compared with a value: used by show-if and by routing."""

    field = QuestionReferenceBlock(
        max_length=50,
        required=False,
        label=_("Question"),
        help_text=_("Choose a question asked before this one."),
    )
    operator = blocks.ChoiceBlock(choices=OPERATORS, default="equals", label=_("Check"))
    value = AnswerReferenceBlock(max_length=200, required=False, label=_("Answer"))

    class Meta:
        icon = "cogs"
        label = _("Only show if")
        collapsed = True

    # wagtail-localize: a condition compares machine values (question names, option values),
    # so translators never see it and every language keeps the same logic.
    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=200)
    value = MachineValueBlock(
        max_length=80,
        validators=[
            RegexValidator(r"^[a-z0-9_-]+$", _("Use lowercase letters, numbers, - and _."))
        ],
        help_text=_("Stored with the answer; stays the same in every language."),
    )
    hint = blocks.CharBlock(max_length=200, required=False)


class QuestionBlock(blocks.StructBlock):
    """What every question has: a name, a label, a hint, whether it is required and when to show it."""

    name = name_block()
    label = blocks.CharBlock(max_length=200)
    hint = blocks.CharBlock(max_length=400, required=False)
    required = blocks.BooleanBlock(required=False, default=True)
    error_message = blocks.CharBlock(
        max_length=200,
        required=False,
        help_text=_("Shown when a required answer is missing, like “Enter your full name”."),
    )
    show_if = ConditionBlock(required=False)

    class Meta:
        icon = "form"


class ShortTextBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(default=200, min_value=1, max_value=500)

    class Meta:
        label = _("Short text")


class LongTextBlock(QuestionBlock):
    max_length = blocks.IntegerBlock(default=2000, min_value=1, max_value=5000)

    class Meta:
        label = _("Long text")
        icon = "pilcrow"


class EmailQuestionBlock(QuestionBlock):
    use_for_updates = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_("Send the acknowledgement and updates to this address."),
    )

    class Meta:
        label = _("Email address")
        icon = "mail"


class PhoneQuestionBlock(QuestionBlock):
    offer_text_updates = blocks.BooleanBlock(
        required=False, default=False, help_text=_("Let residents choose updates by text message.")
    )

    class Meta:
        label = _("UK phone number")
        icon = "mobile-alt"


class NumberQuestionBlock(QuestionBlock):
    min_value = blocks.FloatBlock(required=False)
    max_value = blocks.FloatBlock(required=False)
    whole_number = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        label = _("Number")
        icon = "plus-inverse"


class DateQuestionBlock(QuestionBlock):
    allow_past = blocks.BooleanBlock(required=False, default=True)
    allow_today = blocks.BooleanBlock(required=False, default=True)
    allow_future = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        label = _("Date")
        icon = "date"


class YesNoBlock(QuestionBlock):
    class Meta:
        label = _("Yes or no")
        icon = "tick-inverse"


class RadiosBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), min_num=2)

    class Meta:
        label = _("Choose one (radios)")
        icon = "radio-full"


class CheckboxesBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), min_num=1)

    class Meta:
        label = _("Choose any (checkboxes)")
        icon = "tasks"


class LookupQuestionBlock(QuestionBlock):
    lookup_list = SnippetChooserBlock("eforms.LookupList")

    class Meta:
        label = _("Choose from a list (like schools)")
        icon = "list-ul"


class AddressQuestionBlock(QuestionBlock):
    use_address_lookup = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_(
            "Offer a list of addresses for the postcode when we know them; residents can always type it."
        ),
    )

    class Meta:
        label = _("UK postcode and address")
        icon = "home"


class LocationQuestionBlock(QuestionBlock):
    class Meta:
        label = _("Location (map pin, or describe it)")
        icon = "site"


class FileUploadBlock(QuestionBlock):
    allowed_types = blocks.MultipleChoiceBlock(choices=FILE_TYPES, default=["jpg", "png", "pdf"])
    max_size_mb = blocks.IntegerBlock(default=10, min_value=1, max_value=25)
    max_files = blocks.IntegerBlock(default=1, min_value=1, max_value=10)

    class Meta:
        label = _("File upload")
        icon = "doc-full"


class ConsentBlock(blocks.StructBlock):
    """The privacy notice inline with one checkbox: never a page of its own."""

    name = name_block(default="consent")
    privacy_notice = blocks.RichTextBlock(features=["bold", "link", "ul"])
    checkbox_label = blocks.CharBlock(
        max_length=200, default="I understand how the council will use my information"
    )
    error_message = blocks.CharBlock(
        max_length=200,
        required=False,
        default="Confirm you understand how we will use your information",
    )

    class Meta:
        label = _("Consent and privacy notice")
        icon = "lock"


class GuidanceBlock(blocks.RichTextBlock):
    class Meta:
        label = _("Guidance text")
        icon = "pilcrow"


def simple_question_blocks():
    return [
        ("short_text", ShortTextBlock()),
        ("long_text", LongTextBlock()),
        ("email", EmailQuestionBlock()),
        ("phone", PhoneQuestionBlock()),
        ("number", NumberQuestionBlock()),
        ("date", DateQuestionBlock()),
        ("yes_no", YesNoBlock()),
        ("radios", RadiosBlock()),
        ("checkboxes", CheckboxesBlock()),
        ("lookup", LookupQuestionBlock()),
    ]


class RepeatingGroupBlock(blocks.StructBlock):
    """A set of questions answered once per thing, like "add another child"."""

    name = name_block()
    label = blocks.CharBlock(max_length=80, help_text=_("What one item is called, like “Child”."))
    hint = blocks.CharBlock(max_length=400, required=False)
    min_items = blocks.IntegerBlock(default=1, min_value=0, max_value=20)
    max_items = blocks.IntegerBlock(default=6, min_value=1, max_value=20)
    add_another_label = blocks.CharBlock(max_length=80, default="Add another")
    fields = blocks.StreamBlock(simple_question_blocks(), min_num=1)
    show_if = ConditionBlock(required=False)

    class Meta:
        label = _("Repeating group (add another)")
        icon = "list-ol"


class PageItemsBlock(blocks.StreamBlock):
    guidance = GuidanceBlock(features=["h2", "h3", "bold", "ol", "ul", "link"])
    inset = InsetBlock()
    details = DetailsBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    email = EmailQuestionBlock()
    phone = PhoneQuestionBlock()
    number = NumberQuestionBlock()
    date = DateQuestionBlock()
    yes_no = YesNoBlock()
    radios = RadiosBlock()
    checkboxes = CheckboxesBlock()
    lookup = LookupQuestionBlock()
    address = AddressQuestionBlock()
    location = LocationQuestionBlock()
    file_upload = FileUploadBlock()
    group = RepeatingGroupBlock()
    consent = ConsentBlock()


class RouteBlock(blocks.StructBlock):
    """Go to another page (or an exit page) when an answer matches."""

    when = ConditionBlock(label=_("When"), collapsed=False)
    go_to = PageReferenceBlock(max_length=50, label=_("Go to"), help_text=_("Choose a page."))

    class Meta:
        icon = "redirect"
        label = _("Route")


class QuestionPageBlock(blocks.StructBlock):
    name = name_block()
    heading = blocks.CharBlock(
        max_length=200,
        required=False,
        help_text=_("Leave blank when the page asks one question: its label becomes the heading."),
    )
    items = PageItemsBlock()
    routes = blocks.ListBlock(
        RouteBlock(), default=[], help_text=_("Checked in order; otherwise go to the next page.")
    )

    class Meta:
        icon = "doc-empty"
        label = _("Question page")


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=120)
    url = blocks.CharBlock(max_length=300)


class ExitPageBlock(blocks.StructBlock):
    """Where a route ends the form early, with what to do instead."""

    name = name_block()
    heading = blocks.CharBlock(max_length=200)
    body = blocks.RichTextBlock(features=["h2", "bold", "ul", "ol", "link"])
    links = blocks.ListBlock(LinkBlock(), default=[])

    class Meta:
        icon = "logout"
        label = _("Exit page")


class FormPagesBlock(blocks.StreamBlock):
    page = QuestionPageBlock()
    exit_page = ExitPageBlock()

    def clean(self, value):
        value = super().clean(value)
        names, page_names = set(), set()
        for child in value:
            page_name = child.value["name"]
            if page_name in page_names:
                raise ValidationError(
                    _("Two pages are called %(name)s. Give each page its own name.")
                    % {"name": page_name}
                )
            page_names.add(page_name)
            if child.block_type != "page":
                continue
            for item in child.value["items"]:
                if item.block_type in CONTENT_TYPES:
                    continue
                name = item.value["name"]
                if name in names:
                    raise ValidationError(
                        _("Two questions are called %(name)s. Give each question its own name.")
                        % {"name": name}
                    )
                names.add(name)
        problems = logic.problems(logic.read(value))
        if problems:
            raise logic_error(problems)
        return value


# What kind of block holds each named child, to rebuild the editor's nested errors.
_CHILD_KINDS = {"routes": "list", "items": "stream", "fields": "stream"}


def _nested_error(tree: dict, kind: str) -> ValidationError:
    if kind in ("stream", "list"):
        errors = {index: _nested_error(sub, "struct") for index, sub in tree.items()}
        if kind == "stream":
            return StreamBlockValidationError(block_errors=errors)
        return ListBlockValidationError(block_errors=errors)
    struct_errors: dict[str, ValidationError] = {}
    for name, sub in tree.items():
        if isinstance(sub, str):
            struct_errors[name] = ValidationError(sub)
        else:
            struct_errors[name] = _nested_error(sub, _CHILD_KINDS.get(name, "struct"))
    return StructBlockValidationError(block_errors=struct_errors)


def logic_error(problems: list[logic.Problem]) -> StreamBlockValidationError:
    """Every problem listed above the pages, and each also beside the field it is about."""
    tree: dict = {}
    for problem in problems:
        node = tree
        for key in problem.path[:-1]:
            node = node.setdefault(key, {})
        node.setdefault(problem.path[-1], problem.message)
    block_errors = {index: _nested_error(sub, "struct") for index, sub in tree.items()}
    return StreamBlockValidationError(
        block_errors=block_errors, non_block_errors=[p.message for p in problems]
    )
