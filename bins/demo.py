"""Demo rounds for the demo council's addresses (eforms.demo's address list), with the
Christmas and New Year changes a council would plan by hand."""

import datetime

from search.models import Synonym

from .models import BankHoliday, CollectionChange, CollectionRound, FinderText
from .seed import ensure

D = datetime.date
# (round, bin type, every n weeks, a collection day, scope)
ROUNDS = [
    ("Thursday A", "general", 2, D(2026, 12, 3), {"street": "MILL LANE"}),
    ("Thursday B", "recycling", 2, D(2026, 12, 10), {"street": "MILL LANE"}),
    ("Thursday food", "food", 1, D(2026, 12, 3), {"street": "MILL LANE"}),
    ("Monday garden", "garden", 2, D(2026, 12, 7), {"street": "MILL LANE"}),
    ("Tuesday A", "general", 1, D(2026, 12, 1), {"street": "HIGH STREET"}),
    # The even side from number 14 is on Wednesday's round.
    (
        "Wednesday A",
        "general",
        1,
        D(2026, 12, 2),
        {"street": "HIGH STREET", "number_from": 14, "number_to": 98, "parity": "even"},
    ),
    ("Tuesday B", "recycling", 2, D(2026, 12, 1), {"street": "HIGH STREET"}),
    ("Tuesday food", "food", 1, D(2026, 12, 1), {"street": "HIGH STREET"}),
    ("Friday A", "general", 2, D(2026, 12, 4), {"street": "ORCHARD CLOSE"}),
    ("Friday B", "recycling", 2, D(2026, 12, 11), {"street": "ORCHARD CLOSE"}),
    ("Friday food", "food", 1, D(2026, 12, 4), {"street": "ORCHARD CLOSE"}),
    ("Friday garden", "garden", 2, D(2026, 12, 4), {"street": "ORCHARD CLOSE"}),
    ("Monday A", "general", 1, D(2026, 11, 30), {"street": "STATION ROAD"}),
    ("Monday B", "recycling", 2, D(2026, 11, 30), {"street": "STATION ROAD"}),
    ("Monday food", "food", 1, D(2026, 11, 30), {"street": "STATION ROAD"}),
    # The Old Bakery is a business with a trade collection for its rubbish, on Wednesdays.
    ("Trade Wednesday", "general", 1, D(2026, 12, 2), {"uprn": "100090000013"}),
]
CHANGES = [
    (D(2026, 12, 25), D(2026, 12, 26), "Christmas Day"),
    (D(2026, 12, 31), D(2027, 1, 2), "New Year's Day"),
    (D(2027, 1, 1), D(2027, 1, 2), "New Year's Day"),
]


def load(stdout=None):
    """Create or update the demo rounds and changed days."""
    ensure(BankHoliday, FinderText, Synonym)
    for name, bin_type, every, first, scope in ROUNDS:
        full = {
            "uprn": "",
            "street": "",
            "postcode": "",
            "number_from": None,
            "number_to": None,
            "parity": "all",
        } | scope
        CollectionRound.objects.update_or_create(
            bin_type=bin_type,
            **full,
            defaults={"name": name, "every_weeks": every, "first_collection": first},
        )
    for original, new, reason in CHANGES:
        CollectionChange.objects.update_or_create(
            original_date=original, defaults={"new_date": new, "reason": reason}
        )
    if stdout is not None:
        stdout.write(f"  {len(ROUNDS)} bin rounds, {len(CHANGES)} changed days\n")
