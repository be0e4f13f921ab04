from django import forms
from wagtail.models import Page

from .models import UserStory


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
            "owner",
        ]

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
