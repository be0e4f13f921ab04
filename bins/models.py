"""Bin collection rounds, the dates they change, and residents' reminders.

A round is a rule saying which homes have one kind of bin emptied on which day: one address
(its UPRN), or a street (optionally one postcode of it) and, for long streets split between
crews, a range of house numbers, odd or even. The most specific rule that covers an address
wins, so a council can set a street's day and then move a few houses. Days follow a weekly or
fortnightly pattern counted from the round's first collection.

Bank holidays move collections: by default each collection in a week with a bank holiday on
or before its day moves one day later (the usual "a day late for the rest of the week"). A
``CollectionChange`` for a date overrides that, for the weeks the council plans by hand
(Christmas and New Year). The bank holidays are a table the council keeps (England and Wales,
seeded from GOV.UK's list), not a library, so a one-off holiday is one row away.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class BinType(models.TextChoices):
    # The values are the missed-bin form's answers, so a report and a round name one bin alike.
    GENERAL = "general", _("General rubbish (black bin)")
    RECYCLING = "recycling", _("Recycling (blue bin)")
    GARDEN = "garden", _("Garden waste (green bin)")
    FOOD = "food", _("Food waste (grey caddy)")


# The short names residents read in lists and emails ("Recycling: Thursday 3 December").
SHORT_NAMES = {
    BinType.GENERAL: _("General rubbish"),
    BinType.RECYCLING: _("Recycling"),
    BinType.GARDEN: _("Garden waste"),
    BinType.FOOD: _("Food waste"),
}


class Parity(models.TextChoices):
    ALL = "all", _("All numbers")
    ODD = "odd", _("Odd numbers")
    EVEN = "even", _("Even numbers")


class CollectionRound(models.Model):
    """One kind of bin, emptied every week or every other week, for the homes this rule covers."""

    name = models.CharField(
        max_length=100, help_text=_("The crew's name for the round, e.g. “Thursday B”.")
    )
    bin_type = models.CharField(max_length=20, choices=BinType.choices)
    every_weeks = models.PositiveSmallIntegerField(
        choices=[(1, _("Every week")), (2, _("Every other week"))], default=1
    )
    first_collection = models.DateField(
        help_text=_("Any past or future collection day of this round: the pattern counts from it.")
    )
    uprn = models.CharField(
        "UPRN", max_length=20, blank=True, db_index=True, help_text=_("One address only.")
    )
    street = models.CharField(
        max_length=200, blank=True, help_text=_("The whole street, as in the address list.")
    )
    postcode = models.CharField(
        max_length=10, blank=True, help_text=_("Only this postcode of the street (optional).")
    )
    number_from = models.PositiveIntegerField(null=True, blank=True)
    number_to = models.PositiveIntegerField(null=True, blank=True)
    parity = models.CharField(max_length=4, choices=Parity.choices, default=Parity.ALL)
    # Set by the depot (in the admin) when the crew finishes the round. Residents checking a
    # missed bin that day read "The crew finished at 2:15pm" instead of "Crews work until 5pm".
    finished_at = models.DateTimeField(
        _("crew finished at"),
        null=True,
        blank=True,
        help_text=_("When the crew finished this round. Residents see it on that day only."),
    )

    class Meta:
        ordering = ["street", "number_from", "bin_type"]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_bin_type_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.street = self.street.strip().upper()
        self.postcode = self.postcode.strip().upper()
        self.uprn = self.uprn.strip()
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save's own keywords

    def clean(self) -> None:
        if not self.uprn and not self.street:
            raise ValidationError(_("Give a UPRN or a street, so the round covers some homes."))
        if (self.number_from is None) != (self.number_to is None):
            raise ValidationError(_("Give both ends of the house-number range, or neither."))
        if self.number_from is not None and self.number_to is not None:
            if self.number_from > self.number_to:
                raise ValidationError(_("The first house number must not be above the last."))

    def specificity(self) -> int:
        """How narrowly the rule is drawn: the narrowest rule covering an address wins."""
        if self.uprn:
            return 100
        score = 10
        if self.postcode:
            score += 5
        if self.number_from is not None:
            score += 20
        if self.parity != Parity.ALL:
            score += 1
        return score


class CollectionChange(models.Model):
    """A collection day moved by hand (or cancelled), for every round due that day."""

    original_date = models.DateField(unique=True, help_text=_("The usual collection day."))
    new_date = models.DateField(
        null=True, blank=True, help_text=_("Leave blank if there is no collection that week.")
    )
    reason = models.CharField(max_length=200, help_text=_("e.g. “Christmas Day”"))

    class Meta:
        ordering = ["original_date"]

    def __str__(self) -> str:
        return f"{self.original_date} → {self.new_date or '-'} ({self.reason})"


class BankHoliday(models.Model):
    """A bank holiday in England and Wales. Collections that week move a day later."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Reminder(models.Model):
    """A resident's email reminder the evening before their collections.

    Nothing is sent until the address confirms it (the link in the first email), and every
    reminder carries a link that stops it.
    """

    uprn = models.CharField("UPRN", max_length=20)
    email = models.EmailField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_for = models.DateField(
        null=True, blank=True, help_text=_("The collection day of the last reminder sent.")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["uprn", "email"], name="bins_one_reminder_per_home")
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.uprn}"


class FinderText(models.Model):
    """The words search finds the "Check your bin day" page by, kept where editors can reword
    them. The page is a view, not a Wagtail page, so this one row is its search document."""

    title = models.CharField(max_length=200, default="Check your bin collection day")
    summary = models.TextField(blank=True)
    questions = models.TextField(blank=True, help_text=_("Residents' own words, one a line."))

    class Meta:
        verbose_name = _("bin day page in search")
        verbose_name_plural = _("bin day page in search")

    def __str__(self) -> str:
        return self.title
