"""Short helpers that write a form's pages in StreamField's raw JSON, for demo content and tests.

pages = [
    page("where", q("address", "address", "Where was the bin missed?")),
    page("contact", q("email", "email", "Email address", error="Enter your email address"), consent()),
]
"""


def when(field, value, operator="equals"):
    return {"field": field, "operator": operator, "value": value}


def options(*pairs):
    """options(("yes", "Yes"), ...) or options("Yes", "No") (value made from the label)."""
    result = []
    for pair in pairs:
        if isinstance(pair, str):
            value = pair.lower().replace(" ", "-").replace("’", "").replace("'", "")
            pair = (value, pair)
        result.append(
            {"value": pair[0], "label": pair[1], "hint": pair[2] if len(pair) > 2 else ""}
        )
    return result


def q(kind, name, label, hint="", required=True, error="", show_if=None, **config):
    value = {
        "name": name,
        "label": label,
        "hint": hint,
        "required": required,
        "error_message": error,
    }
    if show_if:
        value["show_if"] = show_if
    value.update(config)
    return {"type": kind, "value": value}


def group(
    name,
    label,
    *fields,
    hint="",
    min_items=1,
    max_items=6,
    add_another_label="Add another",
    show_if=None,
):
    value = {
        "name": name,
        "label": label,
        "hint": hint,
        "min_items": min_items,
        "max_items": max_items,
        "add_another_label": add_another_label,
        "fields": list(fields),
    }
    if show_if:
        value["show_if"] = show_if
    return {"type": "group", "value": value}


def consent(
    privacy_html=(
        "<p>We will use your information to deal with your request and keep you updated. "
        'Read our <a href="/privacy-notice/">privacy notice</a>.</p>'
    ),
    label="I understand how the council will use my information",
    name="consent",
):
    return {
        "type": "consent",
        "value": {
            "name": name,
            "privacy_notice": privacy_html,
            "checkbox_label": label,
            "error_message": "Confirm you understand how we will use your information",
        },
    }


def guidance(html):
    return {"type": "guidance", "value": html}


def inset(html):
    return {"type": "inset", "value": {"text": html}}


def details(summary, html):
    return {"type": "details", "value": {"summary": summary, "body": html}}


def page(name, *items, heading="", routes=()):
    return {
        "type": "page",
        "value": {
            "name": name,
            "heading": heading,
            "items": list(items),
            "routes": [{"when": condition, "go_to": target} for condition, target in routes],
        },
    }


def exit_page(name, heading, body_html, links=()):
    return {
        "type": "exit_page",
        "value": {
            "name": name,
            "heading": heading,
            "body": body_html,
            "links": [{"label": label, "url": url} for label, url in links],
        },
    }


def contact_page(phone=False, texts=False):
    """The usual last page: how we keep in touch, with the privacy notice inline."""
    items = [
        q("short_text", "full_name", "Full name", error="Enter your full name", max_length=100),
        q(
            "email",
            "email",
            "Email address",
            hint="We will send your reference and updates here",
            error="Enter your email address",
            use_for_updates=True,
        ),
    ]
    if phone:
        items.append(
            q(
                "phone",
                "phone",
                "Phone number",
                hint="For example, 07700 900 982",
                required=False,
                offer_text_updates=texts,
            )
        )
    items.append(consent())
    return page("contact", *items, heading="Your contact details")
