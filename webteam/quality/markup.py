"""Checks on a page's markup: headings in order, link text that makes sense alone, images with alt text.

The markup is Wagtail's stored rich text (`<a linktype="page" id="3">`, `<embed embedtype="image">`)
or rendered HTML; both are read the same way.
"""

import re

from bs4 import BeautifulSoup

from .findings import ERROR, WARNING, Finding

VAGUE_LINK_TEXT = {
    "click here",
    "here",
    "more",
    "read more",
    "more info",
    "more information",
    "find out more",
    "this link",
    "link",
    "this page",
    "learn more",
    "see more",
    "this",
}


def soup(html):
    return BeautifulSoup(html or "", "html.parser")


def text_of(html):
    """The words of the markup, one block element a line, so sentences don't run together."""
    return soup(html).get_text("\n", strip=True)


def check_heading_order(html, start_level=1):
    """Headings may go down one level at a time (h1 title, then h2, then h3), never skip one."""
    previous = start_level
    for heading in soup(html).find_all(re.compile(r"^h[1-6]$")):
        level = int(heading.name[1])
        if level > previous + 1:
            return [
                Finding(
                    "heading-order",
                    WARNING,
                    f"The heading \u201c{heading.get_text(strip=True)}\u201d skips a level (h{previous} to h{level}). "
                    "Use headings in order so screen reader users can find their way.",
                )
            ]
        previous = level
    return []


def check_link_text(html):
    vague = []
    for link in soup(html).find_all("a"):
        label = re.sub(r"\s+", " ", link.get_text(" ", strip=True)).strip(" .:\u2026").lower()
        if label in VAGUE_LINK_TEXT or not label:
            vague.append(label or "(no text)")
    if not vague:
        return []
    return [
        Finding(
            "vague-link-text",
            WARNING,
            f"Link text \u201c{vague[0]}\u201d doesn\u2019t say where the link goes"
            + (f" ({len(vague)} links like this)" if len(vague) > 1 else "")
            + ". Use words that make sense on their own, like \u201cPay your council tax\u201d.",
        )
    ]


def check_image_alt(html, block_images=()):
    """Images in rich text without alt text, plus image blocks (`block_images`: their alt texts)."""
    missing = 0
    for image in soup(html).find_all(["img", "embed"]):
        if image.name == "embed" and image.get("embedtype") != "image":
            continue
        if not (image.get("alt") or "").strip():
            missing += 1
    missing += sum(1 for alt in block_images if not (alt or "").strip())
    if not missing:
        return []
    return [
        Finding(
            "image-alt",
            ERROR,
            f"{missing} image{'s have' if missing > 1 else ' has'} no alternative text. "
            "Describe what each image shows, or mark it as decorative.",
        )
    ]


def internal_link_ids(html):
    """Page ids linked from stored rich text (`<a linktype="page" id="...">`)."""
    ids = []
    for link in soup(html).find_all("a", attrs={"linktype": "page"}):
        try:
            ids.append(int(link.get("id")))
        except (TypeError, ValueError):
            ids.append(None)
    return ids
