"""JSON API: a form's structure, and submitting it with exactly the HTML flow's rules."""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import ratelimit
from .api import API_MAX_FILE_BYTES, SUBMISSION_MAX_BODY_BYTES, get_form, start_url
from .fields import CleanContext
from .services import KeyReused, Replayed, submit, track_path
from .validation import validate_answers

MEGABYTE = 1024 * 1024


def _error(status, message, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def _base64_size(text):
    """The decoded size of base64 text, without decoding it."""
    text = text.rstrip()
    return len(text) * 3 // 4 - (len(text) - len(text.rstrip("=")))


def oversized_files(schema, answers):
    """The questions (``photo``, ``items-0-photo``) whose files are over the API's 10 MB each."""
    found = []

    def look(specs, values, prefix=""):
        if not isinstance(values, dict):
            return
        for spec in specs:
            value = values.get(spec.name)
            if spec.type == "group" and isinstance(value, list):
                for index, row in enumerate(value):
                    look(spec.children, row, f"{prefix}{spec.name}-{index}-")
            elif spec.type == "file_upload":
                items = value if isinstance(value, list) else [value]
                for item in items:
                    encoded = item.get("content_base64") if isinstance(item, dict) else None
                    if isinstance(encoded, str) and _base64_size(encoded) > API_MAX_FILE_BYTES:
                        found.append(prefix + spec.name)
                        break

    look(schema.questions.values(), answers)
    return found


def field_json(spec):
    data = {
        "name": spec.name,
        "type": spec.type,
        "label": spec.label,
        "hint": spec.hint,
        "required": spec.required,
        "show_if": spec.show_if,
        "validation": {k: v for k, v in spec.config.items() if k != "privacy_notice_html"},
    }
    if spec.type == "consent":
        data["privacy_notice_html"] = spec.config.get("privacy_notice_html", "")
    if spec.type == "group":
        data["fields"] = [field_json(child) for child in spec.children]
    return data


def page_json(page):
    if page.kind == "exit":
        return {
            "name": page.name,
            "kind": "exit",
            "heading": page.heading,
            "body_html": page.body_html,
            "links": page.links,
        }
    items = []
    for item in page.items:
        if item.is_question:
            items.append(field_json(item))
        else:
            items.append({"type": item.type, "html": item.html, "summary": item.summary})
    return {
        "name": page.name,
        "kind": "page",
        "heading": page.title,
        "items": items,
        "routes": [{"when": condition, "go_to": target} for condition, target in page.routes],
    }


def form_json(form, request=None):
    return {
        "slug": form.slug,
        "locale": form.locale.language_code,
        "title": form.title,
        "purpose": form.purpose,
        "what_you_need": form.what_you_need_list,
        "service_level": form.service_level,
        "service_level_days": form.service_level_days,
        "delivery_unit": form.delivery_unit.slug if form.delivery_unit else None,
        "url": start_url(form, request),
        "submit_url": f"/api/v1/forms/{form.slug}/submissions/",
        "pages": [page_json(page) for page in form.schema.pages],
    }


@require_GET
def form_detail(request, slug):
    form = get_form(slug, locale=request.GET.get("locale"))
    if form is None:
        return _error(404, "No form with that name")
    return JsonResponse(form_json(form, request))


@csrf_exempt
@require_POST
def submissions(request, slug):
    """Body: {"answers": {name: value}}. Files: {"name": ..., "content_base64": ...}.

    Send an ``Idempotency-Key`` header to make retries safe: the same key gives the same reference.
    """
    form = get_form(slug, locale=request.GET.get("locale"))
    if form is None:
        return _error(404, "No form with that name")
    if len(request.body) > SUBMISSION_MAX_BODY_BYTES:  # a body without Content-Length
        return _error(
            413,
            f"The request is too large: a submission may be "
            f"{SUBMISSION_MAX_BODY_BYTES // MEGABYTE} MB at most.",
            limit_bytes=SUBMISSION_MAX_BODY_BYTES,
        )
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "The request body must be JSON", errors={})
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return _error(400, 'Send the answers as {"answers": {"question_name": value}}', errors={})
    key = (request.headers.get("Idempotency-Key") or payload.get("idempotency_key") or "").strip()[
        :100
    ] or None
    too_big = oversized_files(form.schema, payload["answers"])
    if too_big:
        return _error(
            413,
            f"Each file may be {API_MAX_FILE_BYTES // MEGABYTE} MB at most. "
            f"Send a smaller file for: {', '.join(too_big)}.",
            limit_bytes=API_MAX_FILE_BYTES,
            fields=too_big,
        )
    ctx = CleanContext()
    cleaned, errors, _path = validate_answers(form.schema, payload["answers"], ctx)
    if errors:
        return _error(400, "Some answers need correcting", errors=errors)
    if not ratelimit.hit(request, "submit"):
        return _error(429, "Too many submissions from this address. Try again later.")
    status = 201
    try:
        submission = submit(
            form,
            cleaned,
            pending_files=ctx.pending,
            channel="api",
            idempotency_key=key,
            locale=form.locale.language_code,
            request=request,
        )
    except Replayed as replay:
        submission, status = replay.submission, 200
    except KeyReused:
        return _error(
            409, "This Idempotency-Key was already used for different answers. Use a new key."
        )
    return JsonResponse(
        {
            "reference": submission.reference,
            "status": submission.status,
            "expected_by": submission.due_date.isoformat() if submission.due_date else None,
            "track_url": request.build_absolute_uri(track_path(submission)),
        },
        status=status,
    )
