"""Shared content blocks, usable by every page type (content pages, journeys, personas).

Each block renders a GOV.UK Design System pattern with the council's own styling.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "ol", "ul", "link", "document-link"]


class InsetBlock(blocks.StructBlock):
    """Callout: something the resident should notice, such as a deadline."""

    text = blocks.RichTextBlock(features=["bold", "link", "ul"])

    class Meta:
        icon = "pick"
        label = _("Inset (callout)")
        template = "core/blocks/inset.html"


class WarningBlock(blocks.StructBlock):
    """Warning text: for consequences, such as a fine or losing a place."""

    text = blocks.CharBlock(max_length=300)

    class Meta:
        icon = "warning"
        template = "core/blocks/warning.html"


class DetailsBlock(blocks.StructBlock):
    """Details: secondary help that most residents won't need, hidden until asked for."""

    summary = blocks.CharBlock(
        max_length=120, help_text=_("e.g. “Help if you can’t use a computer”")
    )
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        template = "core/blocks/details.html"


class ContactBlock(blocks.StructBlock):
    """A way to reach a person: phone, email, address and when someone is there."""

    heading = blocks.CharBlock(max_length=120, required=False)
    phone = blocks.CharBlock(max_length=40, required=False)
    email = blocks.EmailBlock(required=False)
    address = blocks.TextBlock(required=False)
    opening_hours = blocks.CharBlock(max_length=200, required=False)
    url = blocks.URLBlock(required=False, label=_("Web address"))
    url_text = blocks.CharBlock(max_length=120, required=False, label=_("Link text"))

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if not any(value.get(name) for name in ("phone", "email", "address", "url")):
            raise blocks.StructBlockValidationError(
                block_errors={"phone": ValidationError(_("Give at least one way to get in touch."))}
            )
        return value

    class Meta:
        icon = "mail"
        template = "core/blocks/contact.html"


class AccessibleImageBlock(blocks.StructBlock):
    """An image whose alternative text is required, so no image is silent to a screen reader."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        required=True,
        help_text=_("Describe what the image shows for people who can’t see it."),
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image.html"


class CaptionedTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(max_length=200, help_text=_("Says what the table shows."))
    table = TableBlock(table_options={"startRows": 3, "startCols": 2})

    class Meta:
        icon = "table"
        label = _("Table")
        template = "core/blocks/table.html"


class SharedContentBlocks(blocks.StreamBlock):
    """The blocks every information page can use."""

    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="core/blocks/text.html")
    inset = InsetBlock()
    warning = WarningBlock()
    details = DetailsBlock()
    contact = ContactBlock()
    image = AccessibleImageBlock()
    table = CaptionedTableBlock()


class TopTaskBlock(blocks.StructBlock):
    """A top task on the home page (Pay, Report, Apply, Find help)."""

    category = blocks.ChoiceBlock(
        choices=[
            ("pay", _("Pay")),
            ("report", _("Report")),
            ("apply", _("Apply")),
            ("find-help", _("Find help")),
        ]
    )
    label = blocks.CharBlock(max_length=80)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        max_length=300, required=False, help_text=_("Used when no page is chosen.")
    )

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or give a web address."))}
            )
        return value

    class Meta:
        icon = "link"


class FooterLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(max_length=300, required=False)


class FooterColumnBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    links = blocks.ListBlock(FooterLinkBlock())


class ContactRouteBlock(blocks.StructBlock):
    """A contact route in the site settings: how and when to reach the council."""

    channel = blocks.ChoiceBlock(
        choices=[
            ("phone", _("Phone")),
            ("email", _("Email")),
            ("in-person", _("In person")),
            ("web", _("Online")),
        ]
    )
    label = blocks.CharBlock(max_length=120)
    value = blocks.CharBlock(max_length=200, help_text=_("The number, address or link."))
    hours = blocks.CharBlock(max_length=120, required=False)
