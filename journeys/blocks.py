"""Journey steps and the actions a step can carry.

A step is a GOV.UK step-by-step step: a title, a short body, whether the next step is
"and" or "or", an optional flag, substeps, and the actions that let a resident act there and
then (start a form, see local services, follow another journey, contact someone...).

Every block has a typed API representation, so an app can render a journey without
parsing HTML.
"""

from bs4 import BeautifulSoup
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.rich_text import expand_db_html

from core.blocks import ContactBlock
from directory.api import DirectoryQuery, render_listing, term_choices
from eforms.api import form_choices as choices
from eforms.api import get_form, render_start, start_url

STEP_TEXT_FEATURES = ["bold", "ol", "ul", "link", "document-link"]


def form_choices():

    return choices()


def directory_term_choices():

    return term_choices()


def rich_text_representation(value):
    """Rich text as expanded HTML plus plain text, so apps can pick what they can render."""

    html = expand_db_html(value.source if hasattr(value, "source") else str(value))
    return {"html": html, "text": BeautifulSoup(html, "html.parser").get_text(" ", strip=True)}


class EformBlock(blocks.StructBlock):
    """Starts one of the council's online forms inside the step."""

    form = blocks.ChoiceBlock(
        choices=form_choices, help_text=_("The online form residents start here.")
    )

    class Meta:
        icon = "form"
        label = _("Online form")
        template = "journeys/blocks/eform.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)

        request = (parent_context or {}).get("request")
        form = get_form(value["form"])
        context["form_html"] = render_start(form, request) if form is not None else ""
        return context

    def get_api_representation(self, value, context=None):

        form = get_form(value["form"])
        return {
            "form": value["form"],
            "title": getattr(form, "title", ""),
            "start_url": start_url(form) if form else None,
            "api_url": f"/api/v1/forms/{value['form']}/",
        }


class DirectoryListingBlock(blocks.StructBlock):
    """A saved directory query whose live matches show in the step."""

    heading = blocks.CharBlock(
        max_length=120, help_text=_("e.g. “Falls prevention classes near you”")
    )
    terms = blocks.MultipleChoiceBlock(
        choices=directory_term_choices, help_text=_("Kinds of service to show.")
    )
    min_age = blocks.IntegerBlock(
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only services open to someone this old or older."),
    )
    max_age = blocks.IntegerBlock(required=False, min_value=0, max_value=120)
    distance_km = blocks.DecimalBlock(
        required=False,
        min_value=0,
        max_value=50,
        decimal_places=1,
        help_text=_("Used when the resident gives a postcode."),
    )
    limit = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    class Meta:
        icon = "list-ul"
        label = _("Directory listing")
        template = "journeys/blocks/directory_listing.html"

    @staticmethod
    def to_query(value: dict, postcode: str | None = None) -> "DirectoryQuery":
        """The listing's saved filter as a directory query.

        The ages are a range of residents ("0 to 25"), not one resident's age: a service belongs
        in the listing when its own ages overlap the range, so a youth club for 11 to 25 shows
        in a listing for 0 to 25. A service without age limits is open to every age.
        """

        distance = value.get("distance_km")
        return DirectoryQuery(
            taxonomy_terms=tuple(value.get("terms") or ()),
            age_range_from=value.get("min_age"),
            age_range_to=value.get("max_age"),
            postcode=postcode or None,
            proximity_km=float(distance) if (distance and postcode) else None,
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)

        request = (parent_context or {}).get("request")
        postcode = request.GET.get("postcode", "").strip() if request is not None else ""
        try:
            query = self.to_query(value, postcode)
        except Exception:
            query = self.to_query(value)
        parent = parent_context or {}
        step, number = parent.get("step_number"), parent.get("action_number")
        listing_id = (
            f"step-{step}-listing-{number}"
            if step and number
            else f"listing-{slugify(value['heading'])[:40] or 'services'}"
        )
        context["listing_html"] = render_listing(
            query,
            request,
            heading=value["heading"],
            limit=value.get("limit") or 5,
            listing_id=listing_id,
            step=step,
        )
        return context

    def get_api_representation(self, value, context=None):
        terms = list(value.get("terms") or ())
        return {
            "heading": value["heading"],
            "taxonomy_terms": terms,
            "min_age": value.get("min_age"),
            "max_age": value.get("max_age"),
            "distance_km": float(value["distance_km"]) if value.get("distance_km") else None,
            "limit": value.get("limit"),
            "api_url": "/api/directory/services?"
            + "&".join(f"taxonomy_term_id={t}" for t in terms),
        }


class JourneyLinkBlock(blocks.StructBlock):
    journey = blocks.PageChooserBlock(page_type="journeys.JourneyPage")
    text = blocks.CharBlock(
        max_length=150, required=False, help_text=_("Leave blank to use the journey’s title.")
    )

    class Meta:
        icon = "redirect"
        label = _("Link to another journey")
        template = "journeys/blocks/journey_link.html"

    def get_api_representation(self, value, context=None):
        journey = value.get("journey")
        return {
            "journey_id": journey.pk if journey else None,
            "title": value.get("text") or (journey.title if journey else ""),
            "url": journey.url if journey else None,
        }


class ExternalServiceBlock(blocks.StructBlock):
    """A partner's website, with why it's elsewhere and any cost, so nobody is surprised."""

    title = blocks.CharBlock(max_length=150)
    url = blocks.URLBlock()
    why = blocks.CharBlock(max_length=300, help_text=_("Why this is on another website."))
    cost = blocks.CharBlock(max_length=120, required=False)

    class Meta:
        icon = "site"
        label = _("External service")
        template = "journeys/blocks/external_service.html"


class JourneyContactBlock(ContactBlock):
    class Meta:
        icon = "mail"
        label = _("Contact")
        template = "core/blocks/contact.html"


class ChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="What you’ll need")
    items = blocks.ListBlock(blocks.CharBlock(max_length=200))

    class Meta:
        icon = "tick"
        label = _("Checklist")
        template = "journeys/blocks/checklist.html"


class SelfCheckOptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=120)
    outcome = blocks.CharBlock(
        max_length=300, help_text=_("What this answer means for the resident.")
    )
    journey = blocks.PageChooserBlock(page_type="journeys.JourneyPage", required=False)


class SelfCheckBlock(blocks.StructBlock):
    """A short question whose answer points to the right next step, journey or service.

    Rendered as a plain form (GET) so it works without JavaScript: the chosen answer's
    outcome is shown on the same page.
    """

    question = blocks.CharBlock(max_length=200)
    options = blocks.ListBlock(SelfCheckOptionBlock(), min_num=2)

    class Meta:
        icon = "help"
        label = _("Self-check")
        template = "journeys/blocks/self_check.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        block_id = slugify(value["question"])[:40] or "question"
        request = (parent_context or {}).get("request")
        raw = request.GET.get(f"check-{block_id}", "") if request is not None else ""
        options = list(value["options"])
        chosen = int(raw) if raw.isdigit() and 1 <= int(raw) <= len(options) else None
        context.update(
            block_id=block_id, chosen=chosen, chosen_option=options[chosen - 1] if chosen else None
        )
        return context

    def get_api_representation(self, value, context=None):
        return {
            "question": value["question"],
            "options": [
                {
                    "label": option["label"],
                    "outcome": option["outcome"],
                    "journey_id": option["journey"].pk if option.get("journey") else None,
                    "journey_url": option["journey"].url if option.get("journey") else None,
                }
                for option in value["options"]
            ],
        }


class ActionsBlock(blocks.StreamBlock):
    eform = EformBlock()
    directory_listing = DirectoryListingBlock()
    journey_link = JourneyLinkBlock()
    external_service = ExternalServiceBlock()
    contact = JourneyContactBlock()
    checklist = ChecklistBlock()
    self_check = SelfCheckBlock()

    class Meta:
        required = False


class SubstepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=150)
    body = blocks.RichTextBlock(features=STEP_TEXT_FEATURES)

    def get_api_representation(self, value, context=None):
        return {"title": value["title"], "body": rich_text_representation(value["body"])}


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=150)
    body = blocks.RichTextBlock(features=STEP_TEXT_FEATURES, required=False)
    logic = blocks.ChoiceBlock(
        choices=[("and", _("and")), ("or", _("or"))],
        default="and",
        help_text=_("How this step joins the next: do both (and), or do one or the other (or)."),
    )
    optional = blocks.BooleanBlock(required=False, help_text=_("Residents may skip this step."))
    substeps = blocks.ListBlock(SubstepBlock(), required=False, default=[])
    actions = ActionsBlock()

    class Meta:
        icon = "list-ol"
        label = _("Step")

    def get_api_representation(self, value, context=None):
        return {
            "title": value["title"],
            "body": rich_text_representation(value["body"]) if value.get("body") else None,
            "logic": value["logic"],
            "optional": bool(value.get("optional")),
            "substeps": [
                self.child_blocks["substeps"].child_block.get_api_representation(s, context)
                for s in value.get("substeps") or []
            ],
            "actions": [
                {
                    "type": action.block_type,
                    "value": action.block.get_api_representation(action.value, context),
                }
                for action in value["actions"]
            ],
        }


class QuestionBlock(blocks.CharBlock):
    class Meta:
        icon = "help"
        label = _("Resident question")
