"""The resident's way through a form, GOV.UK style, working without JavaScript.

start -> one page at a time (routing decides the next) -> check your answers -> confirmation.
Answers are kept in a ``Draft`` whose token sits in the session (or in an emailed link).
"""

import functools

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.csrf import same_origin_post
from core.geo import normalise_postcode

from . import maps, notifications, ratelimit
from .api import address_notices, get_form, signposts_for
from .fields import AnswerError, CleanContext, clean_email, display, from_post
from .models import AddressPoint, Draft, Submission, UploadedFile
from .scanning import queue_scan
from .schema import FieldSpec, matches
from .services import (
    Replayed,
    create_submission,
    follow,
    known_issue_notice,
    known_issue_questions,
    known_issues,
    next_steps,
    normalise_reference,
)
from .signals import form_completed, form_started
from .validation import clean_page, validate_answers
from .widgets import question_context, render_question

HONEYPOT = "website"
SESSION_SUBMITTED = "eforms:submitted"
# References this browser may see the progress of: granted by the emailed link (whose token is
# then out of the address bar and history) or by the reference-and-email look-up.
SESSION_TRACKING = "eforms:tracking"


def _not_for_search_engines(view):
    """A request's status page: its reference and history are nobody else's to index."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _session_key(form):
    return f"eforms:draft:{form.translation_key}"


def _form_or_404(slug):
    form = get_form(slug, locale=get_language())
    if form is None:
        raise Http404("No such form")
    return form


def _draft(request, form):
    token = request.session.get(_session_key(form))
    if not token:
        return None
    draft = Draft.objects.filter(
        token=token, form__translation_key=form.translation_key, submitted_at__isnull=True
    ).first()
    if draft is None or draft.is_expired:
        return None
    return draft


def _url(name, form, **kwargs):
    return reverse(f"eforms:{name}", kwargs={"slug": form.slug, **kwargs})


def _next_url(form, draft):
    """The first page still to answer, or check your answers when all are done."""
    _pages, next_page = form.schema.path(draft.answers, set(draft.pages_seen))
    if next_page is None:
        return _url("check", form)
    return _url("page", form, page=next_page.name)


def _uploads(draft, schema):
    """A draft's stored files by token, for file answers; no query for a form without file questions."""
    if draft is None or not schema.takes_files:
        return {}
    return {upload.token: upload.as_answer() for upload in draft.files.all()}


def start(request, slug):
    form = _form_or_404(slug)
    return render(request, "eforms/start.html", {"form": form, "draft": _draft(request, form)})


@same_origin_post
@require_POST
def begin(request, slug):
    form = _form_or_404(slug)
    draft = _draft(request, form)
    if draft is None or request.POST.get("restart"):
        draft = Draft.objects.create(form=form)
        request.session[_session_key(form)] = draft.token
        form_started.send(sender=type(form), request=request, form=form)
    return redirect(_next_url(form, draft))


# Shows what a resident typed: never kept by a browser or proxy cache (no-store).
@never_cache
def page(request, slug, page):
    form = _form_or_404(slug)
    draft = _draft(request, form)
    if draft is None:
        messages.info(request, _("Your answers have expired. Start again."))
        return redirect(_url("start", form))
    schema = form.schema
    spec = schema.page_by_name.get(page)
    if spec is None:
        raise Http404("No such page")
    path, next_page = schema.path(draft.answers, set(draft.pages_seen))
    reachable = [p.name for p in path] + ([next_page.name] if next_page else [])
    if spec.name not in reachable:
        return redirect(_next_url(form, draft))
    if spec.kind == "exit":
        return render(
            request,
            "eforms/exit.html",
            {"form": form, "step": spec, "back_url": _back_url(form, path, spec)},
        )
    changing = request.GET.get("change") == "1"
    errors, values, extra = {}, dict(draft.answers), {}
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return HttpResponseBadRequest(
                _("We could not accept this form. Go back and try again.")
            )
        action = request.POST.get("_action", "")
        raw = {q.name: from_post(q, request.POST, request.FILES) for q in spec.questions}
        if action.startswith(("add:", "remove:", "find-address:")):
            values.update(raw)
            extra, errors = _redraw(spec, action, values)
        else:
            ctx = CleanContext(uploads=_uploads(draft, schema))
            cleaned, errors = clean_page(
                schema, spec, raw, _earlier_answers(path, draft, spec), ctx
            )
            if action == "save":
                return _save_partial(form, draft, spec, cleaned, ctx)
            if not errors:
                return _accept_page(request, form, draft, spec, cleaned, ctx, changing)
            values.update(raw)
            for name in cleaned:
                values[name] = cleaned[name]
    for name, found in _address_lists(spec, values, extra).items():
        extra[name] = found
    questions = _question_contexts(spec, values, errors, extra, _earlier_answers(path, draft, spec))
    return render(
        request,
        "eforms/page.html",
        {
            "form": form,
            "step": spec,
            "questions": questions,
            "errors": errors,
            "error_list": [
                (anchor, message) for anchor, message in errors.items() if anchor != "__all__"
            ],
            "back_url": _back_url(form, path, spec),
            "has_files": any(q.type == "file_upload" for q in spec.questions),
            # Leaflet's files only on pages with a location question, and only when installed.
            "has_map": any(q.type == "location" for q in spec.questions)
            and maps.map_options() is not None,
            "changing": changing,
            "honeypot": HONEYPOT,
            "address_notices": _notices_after_address(form, [*path, next_page], draft, spec),
        },
    )


@require_GET
def find_place(request):
    """Streets, addresses and postcodes for the location map's search box, as JSON.

    ``?q=Mill Lane`` or ``?q=NB1 1AA``: ``{"places": [{"name", "latitude", "longitude"}],
    "message": ""}``, or no places and a message the resident reads. A search that cannot run is
    a 400 and too many from one address a 429, each with an ``error`` in plain words.
    """
    if not ratelimit.hit(request, "places"):
        return JsonResponse(
            {
                "error": _(
                    "You have searched too many times. Wait a few minutes and try again, or describe where it is."
                )
            },
            status=429,
        )
    try:
        places, message = maps.find_places(request.GET.get("q", ""))
    except maps.PlaceQueryError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"places": [place.as_json() for place in places], "message": message})


def _notices_after_address(form, path, draft, spec):
    """What other apps say about the address chosen on the page just before this one (a missed
    bin: whether today is the collection day there), shown once, where the resident goes on."""
    walk = [page for page in path if page is not None]
    names = [page.name for page in walk]
    if spec.name not in names or names.index(spec.name) == 0:
        return []
    previous = walk[names.index(spec.name) - 1]
    notices = []
    for question in previous.questions:
        answer = draft.answers.get(question.name)
        if question.type != "address" or not isinstance(answer, dict):
            continue
        uprn = answer.get("uprn")
        if uprn and uprn != "manual":
            notices += address_notices(form, uprn)
    return notices


def _earlier_answers(path, draft, spec):
    """Answers from pages before this one on the resident's path (for show-if conditions).

    ``path`` is the request's one walk through the form (``FormSchema.path``), not walked again.
    """
    earlier = {}
    for page in path:
        if page.name == spec.name:
            break
        for question in page.questions:
            if question.name in draft.answers:
                earlier[question.name] = draft.answers[question.name]
    return earlier


def _question_contexts(spec, values, errors, extra, earlier):
    visible_answers = {**earlier, **values}

    items = []
    single = spec.single_question
    for item in spec.items:
        if not item.is_question:
            items.append({"content": item})
            continue
        if (
            item.show_if
            and item.show_if["field"] not in {q.name for q in spec.questions}
            and not matches(item.show_if, visible_answers)
        ):
            continue
        context = question_context(
            item, values.get(item.name), errors, page_heading=item is single, extra=extra
        )
        items.append({"html": render_question(context)})
    return items


def _redraw(spec, action, values):
    """Add or remove a group row, or look up addresses: redraw the page without checking it."""
    extra, errors = {}, {}
    verb, _sep, rest = action.partition(":")
    name, _sep, index = rest.partition(":")
    question = next((q for q in spec.questions if q.name == name), None)
    if question is None:
        return extra, errors
    if verb == "add" and question.type == "group":
        rows = list(values.get(name) or [])
        if len(rows) < (question.config.get("max_items") or 20):
            rows.append({})
        values[name] = rows
    elif verb == "remove" and question.type == "group":
        rows = list(values.get(name) or [])
        if index.isdecimal() and int(index) < len(rows) and len(rows) > 1:
            rows.pop(int(index))
        values[name] = rows
    elif verb == "find-address" and question.type == "address":
        raw = values.get(name) or {}
        postcode = normalise_postcode(raw.get("postcode"))
        if postcode is None:
            errors[f"{name}-postcode"] = _("Postcode must be a real UK postcode, like NB1 1AA")
        else:
            raw["postcode"] = postcode
            found = list(AddressPoint.objects.filter(postcode=postcode))
            extra[name] = {"addresses": found, "looked_up": True}
    return extra, errors


def _address_lists(spec, values, extra):
    """Keep the list of addresses on screen once there is one to choose from.

    Pressing Continue without choosing, or coming back to change the answer, shows the same
    list again (with the error "Select an address"), instead of a bare postcode box.
    """
    lists = {}
    for question in spec.questions:
        if question.name in extra or question.type != "address":
            continue
        if not question.config.get("use_address_lookup"):
            continue
        value = values.get(question.name)
        if not isinstance(value, dict):
            continue
        if value.get("line_1") and value.get("uprn") in (None, "", "manual"):
            continue  # typed by hand: keep the resident's own address on screen
        postcode = normalise_postcode(value.get("postcode"))
        if postcode is None:
            continue
        found = list(AddressPoint.objects.filter(postcode=postcode))
        if found:
            lists[question.name] = {"addresses": found, "looked_up": True}
    return lists


def _save_partial(form, draft, spec, cleaned, ctx):
    """Keep what is valid on this page, then ask where to send the link."""
    draft.answers.update({k: v for k, v in cleaned.items() if v is not None})
    _save_draft(ctx, draft, ["answers", "updated_at"])
    return redirect(_url("save", form))


def _save_draft(ctx, draft, update_fields):
    """Store new uploads and the draft together. Without uploads it is one UPDATE, atomic by itself,
    so it skips the transaction (two more round trips on each page of the form)."""
    if not ctx.pending:
        draft.save(update_fields=update_fields)
        return
    with transaction.atomic():
        _store_pending(ctx, draft)
        draft.save(update_fields=update_fields)


def _store_pending(ctx, draft):
    """Each file waits for its virus check, which the worker runs once this commits."""
    for pending in ctx.pending:
        upload = UploadedFile(
            token=pending["token"],
            draft=draft,
            field_name=pending["field_name"],
            original_name=pending["name"],
            content_type=pending["content_type"],
            size=pending["size"],
        )
        upload.file.save(pending["name"], ContentFile(pending["content"]), save=False)
        upload.save()
    if ctx.pending:
        queue_scan()
    ctx.pending = []


def _accept_page(request, form, draft, spec, cleaned, ctx, changing):
    for question in spec.questions:
        draft.answers.pop(question.name, None)
    draft.answers.update({k: v for k, v in cleaned.items() if v is not None})
    if spec.name not in draft.pages_seen:
        draft.pages_seen.append(spec.name)
    draft.last_page = spec.name
    _save_draft(ctx, draft, ["answers", "pages_seen", "last_page", "updated_at"])
    # Asked once the last of the questions it compares is answered (a missed bin: after the
    # address and which bin), so it never stops a resident on a partial match.
    if (
        known_issue_questions(form) & {q.name for q in spec.questions}
        and not draft.known_issue_dismissed
        and known_issues(form, draft.answers)
    ):
        return redirect(_url("known_issue", form))
    return redirect(_next_url(form, draft))


def _back_url(form, path, spec):
    names = [p.name for p in path]
    if spec.name in names:
        index = names.index(spec.name)
        return _url("page", form, page=names[index - 1]) if index > 0 else _url("start", form)
    return _url("page", form, page=names[-1]) if names else _url("start", form)


# Shows what a resident typed: never kept by a browser or proxy cache (no-store).
@never_cache
def check(request, slug):
    form = _form_or_404(slug)
    draft = _draft(request, form)
    if draft is None:
        return redirect(_url("start", form))
    schema = form.schema
    path, next_page = schema.path(draft.answers, set(draft.pages_seen))
    if next_page is not None:
        return redirect(_url("page", form, page=next_page.name))
    errors = {}
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return HttpResponseBadRequest(
                _("We could not accept this form. Go back and try again.")
            )
        ctx = CleanContext(uploads=_uploads(draft, schema))
        cleaned, errors, _path = validate_answers(schema, draft.answers, ctx)
        if not errors:
            if not ratelimit.hit(request, "submit"):
                return render(request, "eforms/too_many.html", {"form": form}, status=429)
            try:
                with transaction.atomic():
                    locked = Draft.objects.select_for_update().get(pk=draft.pk)
                    submission = create_submission(
                        form,
                        cleaned,
                        draft=locked,
                        locale=get_language() or "en-gb",
                        request=request,
                    )
            except Replayed as replay:
                submission = replay.submission
            submitted = request.session.get(SESSION_SUBMITTED, [])
            request.session[SESSION_SUBMITTED] = (submitted + [submission.reference])[-20:]
            request.session.pop(_session_key(form), None)
            return redirect(_url("confirmation", form, reference=submission.reference))
    sections = []
    for page_spec in path:
        rows = []
        for question in schema.visible_questions(page_spec, draft.answers):
            value = draft.answers.get(question.name)
            rows.append(
                {
                    "label": question.label if question.type != "consent" else _("Privacy notice"),
                    "value": display(question, value),
                    "change_url": _url("page", form, page=page_spec.name) + "?change=1",
                    "anchor": question.name,
                }
            )
        if rows:
            sections.append({"title": page_spec.title, "rows": rows})
    return render(
        request,
        "eforms/check.html",
        {
            "form": form,
            "sections": sections,
            "errors": errors,
            "honeypot": HONEYPOT,
            "back_url": _url("page", form, page=path[-1].name) if path else _url("start", form),
        },
    )


# Shows what a resident typed: never kept by a browser or proxy cache (no-store).
@never_cache
def confirmation(request, slug, reference):
    form = _form_or_404(slug)
    if reference not in request.session.get(SESSION_SUBMITTED, []):
        return redirect("eforms:track")
    submission = get_object_or_404(Submission, reference=reference)
    form_completed.send(sender=type(form), request=request, form=form, submission=submission)
    return render(
        request,
        "eforms/confirmation.html",
        {
            "form": form,
            "submission": submission,
            "track_url": reverse("eforms:tracked", kwargs={"reference": submission.reference}),
            "signposts": signposts_for(form, request),
        },
    )


# Shows what a resident typed: never kept by a browser or proxy cache (no-store).
@never_cache
def save(request, slug):
    """Save and come back later: email a link that resumes this draft for 7 days."""
    form = _form_or_404(slug)
    draft = _draft(request, form)
    if draft is None:
        return redirect(_url("start", form))
    error = ""
    if request.method == "POST":
        try:
            email = clean_email(
                FieldSpec(type="email", name="email", label=_("Email address")),
                request.POST.get("email", ""),
                None,
            )
        except AnswerError as problem:
            email, error = "", problem.message
        if not request.POST.get("email", "").strip():
            error = _("Enter your email address")
        if not error:
            if not ratelimit.hit(request, "save"):
                return render(request, "eforms/too_many.html", {"form": form}, status=429)
            with transaction.atomic():
                draft.resume_email = email
                draft.expires_at = timezone.now() + timezone.timedelta(days=Draft.RESUME_DAYS)
                draft.save(update_fields=["resume_email", "expires_at", "updated_at"])
                link = request.build_absolute_uri(_url("resume", form, token=draft.token))
                body = _(
                    "Continue your %(title)s where you left off:\n\n%(link)s\n\n"
                    "This link works until %(date)s. Anyone with the link can see your answers, so do not share it."
                ) % {
                    "title": form.title.lower(),
                    "link": link,
                    "date": timezone.localtime(draft.expires_at).strftime("%-d %B %Y"),
                }
                notifications.queue(
                    email,
                    body,
                    subject=_("Continue your form: %(title)s") % {"title": form.title},
                    draft=draft,
                )
            return render(
                request, "eforms/saved.html", {"form": form, "email": email, "draft": draft}
            )
    return render(request, "eforms/save.html", {"form": form, "error": error})


def resume(request, slug, token):
    form = _form_or_404(slug)
    draft = Draft.objects.filter(token=token, form__translation_key=form.translation_key).first()
    if draft is None or draft.is_expired or draft.submitted_at is not None:
        return render(request, "eforms/resume_expired.html", {"form": form}, status=404)
    request.session[_session_key(form)] = draft.token
    return redirect(_next_url(form, draft))


# Shows what a resident typed: never kept by a browser or proxy cache (no-store).
@never_cache
def known_issue(request, slug):
    """We think this is already reported: say so, offer its updates, or carry on anyway.

    Nothing of the earlier report is shown, since it is another resident's: only that it
    exists and roughly when ("today").
    """
    form = _form_or_404(slug)
    draft = _draft(request, form)
    if draft is None:
        return redirect(_url("start", form))
    existing = known_issues(form, draft.answers)
    if not existing:
        return redirect(_next_url(form, draft))
    error = ""
    if request.method == "POST":
        if request.POST.get("choice") == "continue":
            draft.known_issue_dismissed = True
            draft.save(update_fields=["known_issue_dismissed", "updated_at"])
            return redirect(_next_url(form, draft))
        try:
            email = clean_email(
                FieldSpec(type="email", name="email", label=_("Email address")),
                request.POST.get("email", ""),
                None,
            )
        except AnswerError as problem:
            email, error = "", problem.message
        if not request.POST.get("email", "").strip():
            error = _("Enter your email address to get updates")
        if not error:
            if not ratelimit.hit(request, "follow"):
                return render(request, "eforms/too_many.html", {"form": form}, status=429)
            follow(existing[0], email, locale=get_language() or "en-gb")
            return render(request, "eforms/subscribed.html", {"form": form, "email": email})
    return render(
        request,
        "eforms/known_issue.html",
        {
            "form": form,
            "notice": known_issue_notice(existing[0]),
            "error": error,
            "email": request.POST.get("email", "").strip()[:254] if error else "",
            "back_url": _url("page", form, page=draft.last_page),
        },
    )


# Shows the reference and email typed; the page itself stays findable on search engines.
@never_cache
def track(request):
    """Reference and email: every wrong combination gets the same message, and guesses are limited."""
    error = ""
    # A tracking page opened without its grant comes back here with its reference filled in.
    reference = normalise_reference(request.GET.get("reference", ""))
    email = ""
    if request.method == "POST":
        reference = normalise_reference(request.POST.get("reference", ""))
        email = request.POST.get("email", "").strip()[:254]
        if not reference or not email:
            error = _("Enter your reference and the email address you gave us")
        elif not ratelimit.hit(request, "track"):
            error = _("You have tried too many times. Wait 15 minutes, then try again.")
            return render(
                request,
                "eforms/track.html",
                {"error": error, "reference": reference, "email": email},
                status=429,
            )
        else:
            submission = Submission.objects.filter(reference=reference, email__iexact=email).first()
            if submission is not None:
                _grant_tracking(request, submission)
                return redirect("eforms:tracked", reference=submission.reference)
            error = _(
                "We could not find a request with that reference and email address. Check them and try again."
            )
    return render(
        request,
        "eforms/track.html",
        {"error": error, "reference": reference, "email": email},
        status=200 if not error else 400,
    )


def _grant_tracking(request, submission: Submission) -> None:
    granted = request.session.get(SESSION_TRACKING, [])
    if submission.reference not in granted:
        request.session[SESSION_TRACKING] = (granted + [submission.reference])[-20:]


def _may_track(request, reference: str) -> bool:
    session = request.session
    return reference in session.get(SESSION_TRACKING, []) or reference in session.get(
        SESSION_SUBMITTED, []
    )


@never_cache
@_not_for_search_engines
def track_request(request, token):
    """The emailed link: its token is swapped for this browser's session on first use.

    The resident lands on the request's own address, which carries no secret, so the token is
    not left in the address bar, the browser's history, a shared screen or a screenshot. The link
    keeps working (on another device, next week) until the request is deleted.
    """
    submission = Submission.objects.filter(track_token=token).only("reference").first()
    if submission is None:
        return render(request, "eforms/track_link_unknown.html", status=404)
    _grant_tracking(request, submission)
    response = redirect("eforms:tracked", reference=submission.reference)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@_not_for_search_engines
def tracked(request, reference):
    """A request's progress, for a browser that has shown it holds the link or the email."""
    reference = normalise_reference(reference)
    if not _may_track(request, reference):
        return redirect(f"{reverse('eforms:track')}?reference={reference}")
    submission = get_object_or_404(Submission.objects.select_related("form"), reference=reference)
    return render(
        request,
        "eforms/track_request.html",
        {
            "submission": submission,
            "history": submission.history.all(),
            "form": submission.form,
            "next_steps": next_steps(submission),
        },
    )


def start_html(form, request):
    """Used by ``api.render_start`` (journeys' EformBlock)."""
    return render_to_string(
        "eforms/includes/start_panel.html", {"form": form, "embedded": True}, request=request
    )
