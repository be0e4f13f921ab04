"""Admin forms for owned content: the unit chooser offers only the units an editor belongs to.

Wagtail's admin forms are built with ``for_user`` (the signed-in editor), so the narrowing
happens in the form itself and holds for what is posted as well as for what is shown: a
delivery-unit editor cannot give a page, form or service to another unit, and so can never
lock themselves out of something they have just made.
"""

from typing import Any

from django import forms
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Locale, TranslatableMixin

from .permissions import restricted_unit_ids


class OwnerChoiceMixin:
    """Narrow the owning-unit field (``owner_field``) to the user's own units."""

    owner_field = "delivery_unit"
    fields: dict[str, Any]
    initial: dict[str, Any]
    instance: Any
    for_user: Any

    def narrow_owner_choices(self) -> None:
        field = self.fields.get(self.owner_field)
        if (
            not isinstance(field, forms.ModelChoiceField)
            or field.queryset is None
            or self.for_user is None
        ):
            return
        unit_ids = restricted_unit_ids(self.for_user)
        if unit_ids is None:
            return
        # Keep the unit the object already has, so whoever may open it can still save it.
        current = getattr(self.instance, f"{self.owner_field}_id", None)
        field.required = True  # a confined editor's work always belongs to one of their units
        field.queryset = field.queryset.filter(Q(pk__in=unit_ids) | Q(pk=current))
        if len(unit_ids) == 1 and current is None:
            (only,) = unit_ids
            self.initial.setdefault(self.owner_field, only)


def narrow_to_locale(form: Any, locale_id: int | None) -> None:
    """Offer only objects in one language in every choice of a translatable model (personas,
    related journeys): an English journey lists English personas, not their Polish and Arabic
    copies too. What the object already has stays on offer, so it can always be saved."""
    if locale_id is None:
        return
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not issubclass(queryset.model, TranslatableMixin):
            continue
        current: list[Any] = []
        if form.instance.pk is not None:
            value = form.initial.get(name)
            if value is None or isinstance(value, str | int):
                current = [] if value is None else [value]
            elif hasattr(value, "__iter__"):  # many-to-many: a list or a queryset
                current = [getattr(item, "pk", item) for item in value]
            else:
                current = [getattr(value, "pk", value)]
        field.queryset = queryset.filter(Q(locale_id=locale_id) | Q(pk__in=current))


class OwnedAdminModelForm(OwnerChoiceMixin, WagtailAdminModelForm):  # type: ignore[misc]
    """The admin form of an owned snippet (forms, services). Choices of translatable models
    (a service's personas) are in the snippet's language, or the default one's for snippets
    that have no language (services, which are not copied per language)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.narrow_owner_choices()
        locale_id = getattr(self.instance, "locale_id", None)
        narrow_to_locale(self, locale_id or Locale.get_default().pk)


class OwnedPageForm(OwnerChoiceMixin, WagtailAdminPageForm):  # type: ignore[misc]
    """The admin form of an owned page (journeys, persona and content pages). Choices of
    translatable models (personas, related journeys) are in the page's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.narrow_owner_choices()
        locale_id = getattr(self.instance, "locale_id", None)
        if locale_id is None and self.parent_page is not None:
            locale_id = self.parent_page.locale_id
        narrow_to_locale(self, locale_id)
