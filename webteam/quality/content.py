"""Reading a page's content out of its fields and StreamFields, whatever its type."""

from dataclasses import dataclass, field

from django.utils.html import escape
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.rich_text import RichText

TEXT_FIELDS = ("summary", "intro", "what_happens_next")


@dataclass
class PageContent:
    html_parts: list = field(default_factory=list)
    image_alts: list = field(default_factory=list)
    chosen_pages: list = field(default_factory=list)

    @property
    def html(self):
        return "\n".join(self.html_parts)


def read_page(page):
    content = PageContent()
    for name in TEXT_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, str) and value.strip():
            content.html_parts.append(f"<p>{escape(value)}</p>")
    for model_field in page._meta.get_fields():
        if isinstance(model_field, StreamField):
            _walk(getattr(page, model_field.name), model_field.stream_block, content)
    return content


def _walk(value, block, content):
    if value is None:
        return
    if isinstance(value, blocks.StreamValue):
        for child in value:
            _walk(child.value, child.block, content)
    elif isinstance(value, blocks.StructValue):
        if "image" in value and "alt_text" in value:
            content.image_alts.append(value.get("alt_text"))
        for name, child_value in value.items():
            _walk(child_value, value.block.child_blocks[name], content)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _walk(getattr(item, "value", item), block.child_block, content)
    elif isinstance(value, RichText):
        content.html_parts.append(value.source)
    elif isinstance(block, blocks.PageChooserBlock):
        content.chosen_pages.append(value)
    elif (
        isinstance(block, (blocks.CharBlock, blocks.TextBlock))
        and isinstance(value, str)
        and value.strip()
    ):
        content.html_parts.append(f"<p>{escape(value)}</p>")


def journey_steps_without_action(page):
    """Titles of a journey's steps that give the resident nothing to do."""
    steps = getattr(page, "steps", None)
    if steps is None:
        return []
    return [
        step.value.get("title") or "(untitled)" for step in steps if not step.value.get("actions")
    ]
