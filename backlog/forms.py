from django import forms
from wagtail.models import Page

from core.models import DeliveryUnit

from .models import UserStory
from .uploads import MAX_UPLOAD_BYTES


class StoryForm(forms.ModelForm):
    reason = forms.CharField(
        label="Why are you making this change?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why you are making this change"},
    )

    class Meta:
        model = UserStory
        fields = [
            "delivery_unit",
            "persona",
            "story",
            "success_factors",
            "status",
            "moscow",
            "benefit_residents",
            "benefit_borough",
            "benefit_council",
            "demand",
            "effort",
            "pages",
            "form_slugs",
            "key_phrases",
            "owner",
        ]
        widgets = {"key_phrases": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, unit_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pages"].queryset = Page.objects.filter(depth__gt=2).order_by("title")
        self.fields["pages"].required = False
        if unit_ids is not None:
            self.fields["delivery_unit"].queryset = self.fields["delivery_unit"].queryset.filter(
                pk__in=unit_ids
            )


class RankForm(forms.Form):
    rank = forms.IntegerField(
        label="Place in the backlog",
        min_value=1,
        required=False,
        help_text="Leave empty to rank by score again.",
        error_messages={"min_value": "Place must be 1 or more"},
    )
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why you are changing the place"},
    )


class DemandUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of contact figures",
        help_text=(
            "Columns: service, channel, month, count, and optionally delivery_unit. "
            "Saved from Excel as \u201cCSV UTF-8\u201d or \u201cCSV\u201d."
        ),
        error_messages={"required": "Choose a CSV file to upload"},
    )
    delivery_unit = forms.ModelChoiceField(
        queryset=DeliveryUnit.objects.none(),
        label="Delivery unit for rows that name none",
        error_messages={"required": "Choose the delivery unit these figures belong to"},
    )

    def __init__(self, *args, units, superuser=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["delivery_unit"]
        field.queryset = units
        field.required = not superuser
        field.empty_label = "None" if superuser else None

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 1 MB: split it by year, or ask the web team to run "
                "manage.py import_demand"
            )
        return uploaded


class AttachQueryForm(forms.Form):
    query = forms.CharField(
        label="Search to attach",
        max_length=200,
        help_text="As residents typed it, e.g. \u201cgrab rails\u201d.",
        error_messages={"required": "Enter the search to attach"},
    )
