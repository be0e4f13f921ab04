"""Bin collections in the Wagtail admin: rounds, changed days, bank holidays and the search words."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import BankHoliday, CollectionChange, CollectionRound, FinderText


class RoundViewSet(SnippetViewSet):
    model = CollectionRound
    menu_label = _("Rounds")
    icon = "date"
    list_display = [
        "name",
        "bin_type",
        "street",
        "number_from",
        "number_to",
        "parity",
        "uprn",
        "finished_at",
    ]
    list_filter = ["bin_type", "every_weeks"]
    search_fields = ["name", "street", "uprn", "postcode"]


class ChangeViewSet(SnippetViewSet):
    model = CollectionChange
    menu_label = _("Changed days")
    icon = "date"
    list_display = ["original_date", "new_date", "reason"]


class BankHolidayViewSet(SnippetViewSet):
    model = BankHoliday
    menu_label = _("Bank holidays")
    icon = "date"
    list_display = ["date", "name"]


class FinderTextViewSet(SnippetViewSet):
    model = FinderText
    menu_label = _("Bin day page in search")
    icon = "search"


class BinsGroup(SnippetViewSetGroup):
    menu_label = _("Bin collections")
    menu_icon = "date"
    menu_order = 320
    items = (RoundViewSet, ChangeViewSet, BankHolidayViewSet, FinderTextViewSet)


register_snippet(BinsGroup)
