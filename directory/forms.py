"""Forms: the editor's service form (with the opening-hours field), the resident search, and problem reports."""

import datetime

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import fragments
from core.forms import OwnedAdminModelForm
from core.geo import normalise_postcode_area

from . import opening_hours
from .models import DAY_NAMES, ListingProblem, Schedule, TaxonomyTerm
from .query import DirectoryQuery


class ServiceAdminForm(OwnedAdminModelForm):
    """Adds "Opening hours" as text ("Mon–Fri 9:00–17:00"), saved as HSDS weekly schedules.

    Only simple weekly rules are shown and replaced; anything the text can't express (monthly
    rules, rules for one location, seasonal dates), typically imported, is kept untouched.
    The owner chooser offers a delivery-unit editor only their own units (core.forms).
    """

    owner_field = "owner"

    opening_hours = forms.CharField(
        label=_("Opening hours"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One line for each set of days, like “Mon–Fri 9:00–17:00” or “Sat 10:00–13:00”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opening_hours"] = opening_hours.format_schedules(
                self.instance.schedules.all()
            )

    def clean_opening_hours(self):
        try:
            return opening_hours.parse(self.cleaned_data["opening_hours"])
        except opening_hours.OpeningHoursError as error:
            raise forms.ValidationError(str(error)) from None

    def get_field_updates_for_resave(self):
        """Wagtail tells the still-open editor the ids of the places, phones and costs an
        autosave has just stored, so the next save changes them rather than adding them again.
        These records have UUID ids, made when the object is, so Wagtail also sent the ids of
        rows it never wrote: an empty "Where" row, or any row of a draft (drafts are kept as
        revisions only). The next save then named a row that does not exist and was refused
        with no field marked. Only ids of rows that are really in the database are sent."""
        unsaved = {
            f"{form.prefix}-id"
            for formset in self.formsets.values()
            for form in formset.forms
            if form.instance._state.adding
        }
        return [
            (name, value)
            for name, value in super().get_field_updates_for_resave()
            if name not in unsaved
        ]

    def save(self, commit=True):
        rules = self.cleaned_data.get("opening_hours") or []
        instance = super().save(commit=False)
        kept = [schedule for schedule in instance.schedules.all() if not schedule.is_simple_weekly]
        instance.schedules = kept + [
            Schedule(
                freq=Schedule.Frequency.WEEKLY,
                interval=1,
                byday=rule.byday,
                opens_at=rule.opens_at,
                closes_at=rule.closes_at,
            )
            for rule in rules
        ]
        if commit:
            instance.save()
            self.save_m2m()
        return instance


AGE_CHOICES = [("", _("Any age"))] + [(str(age), str(age)) for age in range(0, 100)]
DISTANCE_CHOICES = [
    ("", _("Any distance")),
    ("1", _("Within 1 km")),
    ("2", _("Within 2 km")),
    ("5", _("Within 5 km")),
    ("10", _("Within 10 km")),
]
DAY_CHOICES = [("", _("Any day"))] + [(name, _(name.capitalize())) for name in DAY_NAMES]
SORT_CHOICES = [("relevance", _("Best match")), ("distance", _("Nearest first"))]


def style_fields(form):
    """Give widgets the design system's classes and point them at their hints."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            css = "sp-checkboxes__input"
        elif isinstance(widget, forms.RadioSelect):
            css = "sp-radios__input"
        elif isinstance(widget, forms.Select):
            css = "sp-select"
        elif isinstance(widget, forms.Textarea):
            css = "sp-textarea"
        else:
            css = "sp-input"
        widget.attrs["class"] = css
        if field.help_text:
            widget.attrs["aria-describedby"] = f"{form.auto_id % form.add_prefix(name)}-hint"


def category_choices() -> list[tuple[str, str]]:
    """Every category with its subcategories, in the active language.

    Every directory search builds the form; the categories change when an editor or an import
    changes the taxonomy, so the list is kept in the shared cache until then (core.fragments).
    """

    def choices() -> list[tuple[str, str]]:
        top = TaxonomyTerm.objects.filter(parent__isnull=True).prefetch_related("children")
        listed = []
        for term in top:
            listed.append((term.code, term.local_name))
            listed.extend((child.code, f"— {child.local_name}") for child in term.children.all())
        return listed

    return fragments.remember("directory-categories", (get_language(),), choices)


class DirectorySearchForm(forms.Form):
    """The resident's search: one box plus facets. Every field is optional."""

    q = forms.CharField(label=_("Search the directory"), required=False, max_length=200)
    category = forms.MultipleChoiceField(
        label=_("Category"), required=False, widget=forms.CheckboxSelectMultiple
    )
    age = forms.IntegerField(
        label=_("Age of the person who needs help"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": _("Age must be a number, like 72"),
            "min_value": _("Age must be 0 or more"),
            "max_value": _("Age must be 120 or less"),
        },
    )
    day = forms.ChoiceField(label=_("Day"), required=False, choices=DAY_CHOICES)
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        input_formats=["%H:%M", "%H.%M", "%I%p", "%I:%M%p", "%I.%M%p", "%H"],
        help_text=_("For example, 14:00"),
        error_messages={"invalid": _("Enter a time like 14:00")},
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    free = forms.BooleanField(label=_("Free services only"), required=False)
    persona = forms.MultipleChoiceField(
        label=_("Who is looking"), required=False, widget=forms.CheckboxSelectMultiple
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        help_text=_("To see services near you, like NB1 1AA, or just the first part, like NB1"),
    )
    distance = forms.ChoiceField(label=_("Distance"), required=False, choices=DISTANCE_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, personas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["persona"].choices = [(persona.slug, persona.intent) for persona in personas]
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["q"].widget.attrs["type"] = "search"
        style_fields(self)

    def clean_time(self):
        value = self.cleaned_data.get("time")
        if isinstance(value, datetime.time):
            return value.replace(second=0, microsecond=0)
        return value

    def clean_postcode(self):
        text = self.cleaned_data.get("postcode", "").strip()
        if not text:
            return ""
        postcode = normalise_postcode_area(text)
        if postcode is None:
            raise forms.ValidationError(
                _("Enter a real postcode, like NB1 1AA, or the first part of it, like NB1")
            )
        return postcode

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("distance")
            and not cleaned.get("postcode")
            and "postcode" not in self.errors
        ):
            self.add_error("postcode", _("Enter your postcode to search by distance"))
        return cleaned

    def to_query(self):
        data = self.cleaned_data
        return DirectoryQuery(
            text=data.get("q", ""),
            taxonomy_terms=tuple(data.get("category") or ()),
            age=data.get("age"),
            day=data.get("day") or None,
            time=data.get("time"),
            open_now=bool(data.get("open_now")),
            free_only=bool(data.get("free")),
            personas=tuple(data.get("persona") or ()),
            postcode=data.get("postcode") or None,
            proximity_km=float(data["distance"]) if data.get("distance") else None,
        )


class ListingProblemForm(forms.ModelForm):
    """What is wrong, and an email address only from someone who wants a reply."""

    YES, NO = "yes", "no"
    wants_reply = forms.ChoiceField(
        label=_("Do you want us to email you when we have checked it?"),
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ListingProblem
        fields = ["kind", "details", "wants_reply", "reporter_email"]
        labels = {
            "kind": _("What is wrong with this listing?"),
            "details": _("Tell us more (optional)"),
            "reporter_email": _("Your email address"),
        }
        help_texts = {
            "details": _(
                "For example, the new phone number or opening times. Do not include personal information."
            ),
            "reporter_email": _(
                "Only if you chose yes. We will use it only to reply about this report."
            ),
        }
        widgets = {"kind": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "kind": {"required": _("Select what is wrong with this listing")},
            "reporter_email": {
                "invalid": _("Enter an email address in the correct format, like name@example.com")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(ListingProblem.Kind.choices)
        self.fields["wants_reply"].choices = [(self.YES, _("Yes")), (self.NO, _("No"))]
        self.fields["details"].max_length = 2000
        self.fields["reporter_email"].widget.attrs["autocomplete"] = "email"
        style_fields(self)

    def clean(self):
        cleaned = super().clean()
        wants_reply = cleaned.get("wants_reply")
        if wants_reply == self.NO:
            # Not wanted, so not kept, even if it was typed before changing their mind.
            cleaned["reporter_email"] = ""
        elif wants_reply == self.YES and not cleaned.get("reporter_email"):
            if "reporter_email" not in self.errors:
                self.add_error(
                    "reporter_email",
                    _("Enter your email address so we can reply, or choose no"),
                )
        return cleaned
