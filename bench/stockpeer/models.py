"""Wagtail's own form page (wagtail.contrib.forms) and a plain StreamField page, as a Wagtail
project would write them from the documentation: the peers of Signpost's form flow and
journey page in ``bench/forms_flow.py``."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import StreamField
from wagtail.models import Page


class StockFormField(AbstractFormField):
    page = ParentalKey("StockFormPage", on_delete=models.CASCADE, related_name="form_fields")


class StockFormPage(AbstractForm):
    """Every question on one page, stored as a FormSubmission: stock Wagtail's forms."""

    template = "stockpeer/stock_form_page.html"
    landing_page_template = "stockpeer/stock_form_page_landing.html"


class StockStreamPage(Page):
    """Headings and rich text in a StreamField, rendered with ``include_block``."""

    body = StreamField(
        [("heading", blocks.CharBlock()), ("paragraph", blocks.RichTextBlock())],
        blank=True,
    )
    template = "stockpeer/stock_stream_page.html"
