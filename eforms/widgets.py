"""What a question template needs: its input name, the value to show, its error and options."""

import datetime
import math

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .maps import describe_pin, in_area, map_options

ERROR_SUFFIXES = (
    "",
    "-day",
    "-month",
    "-year",
    "-postcode",
    "-uprn",
    "-line_1",
    "-description",
    "-latitude",
)


def as_raw(spec, value):
    """A stored value in the shape the inputs are filled from (the same shape a post gives)."""
    if value is None:
        return None
    if spec.type == "date" and isinstance(value, str):
        try:
            date = datetime.date.fromisoformat(value)
        except ValueError:
            return {}
        return {"day": str(date.day), "month": str(date.month), "year": str(date.year)}
    if spec.type == "phone" and isinstance(value, str):
        return {"number": value, "text_updates": False}
    if spec.type == "group" and isinstance(value, list):
        return [
            {child.name: as_raw(child, row.get(child.name)) for child in spec.children}
            for row in value
        ]
    return value


def question_context(spec, value, errors, prefix="", page_heading=False, extra=None):
    """Everything ``eforms/includes/question.html`` renders one question from."""
    name = prefix + spec.name
    raw = as_raw(spec, value)
    error = error_at = ""
    for suffix in ERROR_SUFFIXES:
        if name + suffix in errors:
            error, error_at = errors[name + suffix], suffix
            break
    context = {
        "spec": spec,
        "name": name,
        "value": raw if raw is not None else "",
        "error": error,
        # Which input the error is about ("-uprn": the address list), so that one is marked.
        "error_at": error_at,
        "errors": errors,
        "page_heading": page_heading,
        "describedby": " ".join(
            part
            for part in (f"{name}-hint" if spec.hint else "", f"{name}-error" if error else "")
            if part
        ),
    }
    if spec.type == "checkboxes":
        context["chosen"] = raw if isinstance(raw, list) else []
    if spec.type == "phone":
        context["number"] = raw.get("number", "") if isinstance(raw, dict) else raw or ""
        context["text_updates"] = bool(raw.get("text_updates")) if isinstance(raw, dict) else False
    if spec.type in ("date", "address", "location"):
        context["parts"] = raw if isinstance(raw, dict) else {}
    if spec.type == "location":
        context.update(_location_context(context["parts"]))
    if spec.type == "address" and context["parts"].get("uprn") == "manual":
        # "manual" is the list's "N addresses found" line: no address chosen from it.
        context["parts"] = {**context["parts"], "uprn": ""}
    if spec.type == "file_upload":
        context["files"] = [
            item for item in (raw or []) if isinstance(item, dict) and "file" in item
        ]
    if spec.type == "group":
        rows = raw if isinstance(raw, list) and raw else [{}]
        minimum = max(spec.config.get("min_items") or 0, 1)
        while len(rows) < minimum:
            rows.append({})
        context["rows"] = [
            {
                "number": index + 1,
                "index": index,
                "questions": [
                    render_question(
                        question_context(
                            child, row.get(child.name), errors, prefix=f"{name}-{index}-"
                        )
                    )
                    for child in spec.children
                ],
            }
            for index, row in enumerate(rows)
        ]
        context["count"] = len(rows)
        context["can_add"] = len(rows) < (spec.config.get("max_items") or 20)
    if extra:
        context.update(extra.get(spec.name, {}))
    return context


def _location_context(parts):
    """The map's options (None: no map) and the pin already chosen, in words."""
    context = {"map": map_options(), "pin_words": "", "latitude": "", "longitude": ""}
    if context["map"] is not None:
        context["map"]["search_url"] = reverse("eforms:find_place")
    try:
        latitude, longitude = float(parts.get("latitude")), float(parts.get("longitude"))
    except (TypeError, ValueError):
        return context
    if not (math.isfinite(latitude) and math.isfinite(longitude) and in_area(latitude, longitude)):
        # A refused pin is not carried on: describing the place is then enough to go on.
        return context
    context.update(latitude=latitude, longitude=longitude)
    context["pin_words"] = describe_pin(latitude, longitude)
    return context


def render_question(context):
    return mark_safe(render_to_string("eforms/includes/question.html", context))
