"""One "new" form in the admin makes one object, however many times it is sent.

Wagtail 8 autosaves a snippet's create form: the first autosave that passes validation creates
the object, and only its answer points the form at the edit view (the autosave script then
changes the form's ``action`` and the address bar). Until that answer arrives the form still
posts to the create view. So an editor who presses "Submit" (or "Save draft") while the first
autosave is on its way, or a second autosave queued behind the first, creates the object a
second time: two "Bereavement café" services, one of them never reviewed.

``CreateOnceView`` gives each create form a token (a hidden field, new on every blank form).
The first request with the token claims it (``core.models.CreationClaim``) in the same
transaction that creates the object; a request that arrives while that transaction is open
waits for it (the claim's primary key is unique), and any request with a claimed token is
handled by the edit view of the object it made, as if the form had already been pointed there.
An autosave answered that way also gets the edit address, so the script switches over then.
"""

import json
import uuid
from typing import Any

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import resolve, reverse
from wagtail.admin.utils import set_query_params
from wagtail.snippets.views.snippets import CreateView

from .models import CreationClaim

TOKEN_FIELD = "signpost_creation_token"


def posted_token(request: HttpRequest) -> uuid.UUID | None:
    """The create form's token, or None when the request has none (or a malformed one: then
    it is handled as Wagtail always did)."""
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except ValueError:
        return None


class CreateOnceView(CreateView):  # type: ignore[misc]
    """Wagtail's snippet create view, idempotent per form: use as a viewset's ``add_view_class``."""

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        # Rendered as a hidden input by the panels (they render every field they do not place).
        form.fields[TOKEN_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=uuid.uuid4
        )
        return form

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = posted_token(request)
        if token is None:
            response: HttpResponse = super().post(request, *args, **kwargs)
            return response
        user = request.user
        if not user.is_authenticated:  # the admin signs people in before any view runs
            raise PermissionDenied
        content_type = ContentType.objects.get_for_model(self.model)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = CreationClaim.objects.create(
                        token=token, user=user, content_type=content_type
                    )
            except IntegrityError:
                pass  # this form has made its object already: edit that (below)
            else:
                response = super().post(request, *args, **kwargs)
                made = getattr(self, "object", None)
                if made is not None and made.pk is not None and not made._state.adding:
                    claim.object_id = str(made.pk)
                    claim.save(update_fields=["object_id"])
                else:  # refused (errors): nothing was made, the form may be sent again
                    claim.delete()
                return response
        return self.edit_claimed(token, content_type)

    def edit_claimed(self, token: uuid.UUID, content_type: ContentType) -> HttpResponse:
        """Hand the request to the edit view of the object this form has made."""
        claim = CreationClaim.objects.filter(pk=token).first()
        if (
            claim is None
            or not claim.object_id
            or claim.user_id != self.request.user.pk
            or claim.content_type_id != content_type.pk
        ):
            raise PermissionDenied
        edit_url = reverse(self.edit_url_name, args=(quote(claim.object_id),))
        match = resolve(edit_url)
        self.request.resolver_match = match
        response: HttpResponse = match.func(self.request, *match.args, **match.kwargs)
        if not isinstance(response, JsonResponse):
            return response
        data = json.loads(response.content)
        if data.get("success"):
            # What the create view's own answer says: point the form at the edit view.
            data["url"] = edit_url
            data["hydrate_url"] = set_query_params(edit_url, {"_w_hydrate_create_view": "1"})
        return JsonResponse(data, status=response.status_code)
