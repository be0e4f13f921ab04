"""What every site starts with: England and Wales bank holidays for 2026 and 2027 (GOV.UK's list)
and the words search finds the bin-day page by (its search document and a synonym group). The first migration writes them; the demo makes
sure of them again (a test that empties the tables puts them back this way)."""

import datetime

D = datetime.date
BANK_HOLIDAYS = [
    (D(2026, 1, 1), "New Year's Day"),
    (D(2026, 4, 3), "Good Friday"),
    (D(2026, 4, 6), "Easter Monday"),
    (D(2026, 5, 4), "Early May bank holiday"),
    (D(2026, 5, 25), "Spring bank holiday"),
    (D(2026, 8, 31), "Summer bank holiday"),
    (D(2026, 12, 25), "Christmas Day"),
    (D(2026, 12, 28), "Boxing Day (substitute day)"),
    (D(2027, 1, 1), "New Year's Day"),
    (D(2027, 3, 26), "Good Friday"),
    (D(2027, 3, 29), "Easter Monday"),
    (D(2027, 5, 3), "Early May bank holiday"),
    (D(2027, 5, 31), "Spring bank holiday"),
    (D(2027, 8, 30), "Summer bank holiday"),
    (D(2027, 12, 27), "Christmas Day (substitute day)"),
    (D(2027, 12, 28), "Boxing Day (substitute day)"),
]
TITLE = "Check your bin collection day"
SUMMARY = (
    "Your bin day: enter your postcode and choose your address to see the day your general "
    "rubbish, recycling, garden waste and food waste are next collected, with bank holiday "
    "changes. Get a calendar or an email reminder the evening before."
)
QUESTIONS = "\n".join(
    [
        "When are my bins collected?",
        "What day is my bin day?",
        "When is bin collection day?",
        "Which day are my bins collected?",
        "When is my recycling collected?",
        "Has my bin collection day changed after the bank holiday?",
    ]
)


# Residents ask for their bin day in several words. As one synonym group (search's, editable
# under Search > Synonyms) "bin day" and "bins collected" are phrases, not "bin" plus "day":
# otherwise "bin" brings in refuse, rubbish and waste, and every waste journey outranks the
# page that answers the question.
SYNONYMS = "bin day, collection day, bin collection day, bins collected, bin collection"
SYNONYM_NOTE = "Residents' words for their bin day (Check your bin collection day)."


def ensure(bank_holiday_model, finder_text_model, synonym_model=None) -> None:
    """Add what is missing; never overwrite what the council has changed."""
    for day, name in BANK_HOLIDAYS:
        bank_holiday_model.objects.get_or_create(date=day, defaults={"name": name})
    if not finder_text_model.objects.exists():
        finder_text_model.objects.create(title=TITLE, summary=SUMMARY, questions=QUESTIONS)
    if synonym_model is not None and not synonym_model.objects.filter(note=SYNONYM_NOTE).exists():
        synonym_model.objects.create(terms=SYNONYMS, note=SYNONYM_NOTE)
