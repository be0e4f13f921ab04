"""Unit membership on Wagtail's own user form.

Who belongs to which delivery unit decides what they may edit (core/permissions.py), so the
person who sets up a colleague's account should set it there, beside their roles, rather than
finding each unit's snippet afterwards. The membership stays one relation
(``DeliveryUnit.members``): the unit's snippet and the user form edit the same rows.

Wagtail builds its user views from the ``user_viewset`` named by the ``wagtail.users`` app
config; ``SignpostUsersAppConfig`` (core/apps.py) names this one.
"""

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from wagtail.admin.widgets import Button
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import EditView, UserViewSet

from . import mfa
from .models import DeliveryUnit


def _unit_field() -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    return forms.ModelMultipleChoiceField(
        queryset=DeliveryUnit.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Delivery units",
        help_text=(
            "The parts of the council this person works for. Editors change only their units' "
            "pages, forms and services; product owners see their units' backlogs."
        ),
    )


class UnitMembershipMixin:
    """Adds ``delivery_units`` to a user form and saves it with the user's other relations."""

    fields: dict[str, forms.Field]
    initial: dict[str, Any]
    instance: AbstractBaseUser
    cleaned_data: dict[str, Any]

    def _add_unit_field(self) -> None:
        self.fields["delivery_units"] = _unit_field()
        if self.instance.pk:
            self.initial["delivery_units"] = list(
                DeliveryUnit.objects.filter(members__pk=self.instance.pk).values_list(
                    "pk", flat=True
                )
            )

    def _save_units(self) -> None:
        if "delivery_units" in self.cleaned_data:
            self.instance.delivery_units.set(self.cleaned_data["delivery_units"])  # type: ignore[attr-defined]


class SignpostUserCreationForm(UnitMembershipMixin, UserCreationForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_unit_field()

    def _save_m2m(self) -> None:
        super()._save_m2m()
        self._save_units()


class SignpostUserEditForm(UnitMembershipMixin, UserEditForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_unit_field()

    def _save_m2m(self) -> None:
        super()._save_m2m()
        self._save_units()


class SignpostUserEditView(EditView):  # type: ignore[misc]
    """Wagtail's user page, with "Reset second step" in its actions for people who may."""

    def get_header_more_buttons(self) -> list[Any]:
        buttons = list(super().get_header_more_buttons())
        person = self.object
        user = self.request.user
        may_reset = user.is_superuser or not person.is_superuser
        if may_reset and mfa.has_second_step(person):
            buttons.append(
                Button(
                    "Reset second step for signing in",
                    url=reverse("signpost_mfa_reset", args=[person.pk]),
                    icon_name="key",
                    priority=40,
                )
            )
        return buttons


class SignpostUserViewSet(UserViewSet):  # type: ignore[misc]
    edit_view_class = SignpostUserEditView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:  # type: ignore[type-arg]
        return SignpostUserEditForm if for_update else SignpostUserCreationForm
