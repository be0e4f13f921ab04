"""The resident's forms: a postcode, an address from its list, an email for reminders."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.geo import normalise_postcode
from eforms.models import AddressPoint


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("For example, NB1 1AA"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "sp-input sp-input--width-10", "autocomplete": "postal-code"}
        ),
    )

    def clean_postcode(self) -> str:
        text = self.cleaned_data["postcode"]
        if not text.strip():
            raise forms.ValidationError(_("Enter a postcode"))
        postcode = normalise_postcode(text)
        if postcode is None:
            raise forms.ValidationError(_("Enter a real postcode, like NB1 1AA"))
        return postcode


class AddressForm(forms.Form):
    """The addresses at one postcode as radios; choosing none says so beside the list."""

    uprn = forms.ChoiceField(
        label=_("Select your address"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select your address"),
            "invalid_choice": _("Select your address"),
        },
    )

    def __init__(self, *args: Any, addresses: list[AddressPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["uprn"].choices = [(a.uprn, a.line_1) for a in addresses]


class ReminderForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(
            attrs={"class": "sp-input", "autocomplete": "email", "spellcheck": "false"}
        ),
    )
