"""Turning what a resident typed into something every engine can run.

A query becomes a list of *clauses*; each clause is a list of *alternatives* (the resident's
word or phrase plus its editor-managed synonyms); each alternative is a tuple of words.
"blue badge application" with the group "blue badge, disabled parking" becomes::

    [[("blue", "badge"), ("disabled", "parking")], [("application",)]]

Engines run clauses with OR and rank documents that match more clauses higher.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from .folding import ARABIC_MARKS
from .memo import HeldCopy
from .models import Synonym

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)

# Words that say nothing about what the resident needs. Kept short on purpose: "not",
# "no" and "can't" carry meaning in "bins not collected" only through the other words.
STOP_WORDS = frozenset(
    """a about am an and any are as at be been being but by can could did do does doing for
    from get got had has have having he her hers him his how i i'm if in into is it its it's
    me my myself of on or our ours please she should so some than that the their them then
    there these they this those to too was we were what when where which who why will with
    would you your yours""".split()
)

# The shapes ``parse`` works in (see the module docstring).
Phrase = tuple[str, ...]  # one word or phrase, as words: ("blue", "badge")
Clause = list[Phrase]  # the resident's phrase first, then its synonyms
SynonymGroup = list[Phrase]

MAX_QUERY_LENGTH = 200
SYNONYM_CACHE_KEY = "search:synonym-groups"


def normalise(text: str | None) -> str:
    """Lower case, accents folded, spacing tidied: how queries are compared and logged."""
    text = text or ""
    if not text.isascii():
        # ASCII has no accents to fold: only the runs of other characters are decomposed and
        # walked one by one (walking every character was half of a rebuild's time).
        text = NOT_ASCII.sub(_fold_accents, text)
    return " ".join(text.lower().split())


NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_accents(match: re.Match[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", match.group(0))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str | None, fold: bool = True) -> list[str]:
    """Words of a text, lower case; ``fold=False`` keeps accents (the indexes may not fold them)."""
    text = text or ""
    if not text.isascii():
        # Arabic short vowels and tatweel are not word characters: without them a vowelled
        # word stays one word (search.folding folds the rest for the folded index).
        text = ARABIC_MARKS.sub("", text)
    text = normalise(text) if fold else " ".join(text.lower().split())
    found: list[str] = WORD.findall(text)
    if "\u2019" in text:
        found = [word.replace("\u2019", "'") for word in found]
    return found


def content_words(text: str | None) -> list[str]:
    """The words of a query that carry meaning (stop words dropped, unless that leaves nothing)."""
    found = words(text, fold=False)
    kept = [word for word in found if word not in STOP_WORDS]
    return kept or found


@functools.cache
def _stemmer() -> Any:
    # Imported here, once: nltk takes about 0.3 s to import, and only the backlog's evidence
    # stems words; every other process that imports search (all of them) would pay for it.
    from nltk.stem.snowball import EnglishStemmer

    return EnglishStemmer()


@functools.cache
def stem(word: str) -> str:
    """A word's Snowball English (Porter2) stem: "falling", "falls" and "fall" are all "fall"."""
    found: str = _stemmer().stem(word)
    return found


def stems(text: str | None) -> list[str]:
    """The stems of a text's meaningful words, accents folded as the query log folds them."""
    found = words(text)
    kept = [word for word in found if word not in STOP_WORDS] or found
    return [stem(word) for word in kept]


# Each process keeps the groups it read for this long (``search.memo``): an editor's change
# reaches the process that saved it at once and every other within this time.
SYNONYM_MEMO_SECONDS = 30.0


def _load_synonym_groups() -> list[SynonymGroup]:
    groups: list[SynonymGroup] = []
    for synonym in Synonym.objects.all():
        group = [tuple(words(term, fold=False)) for term in synonym.term_list]
        group = [phrase for phrase in group if phrase]
        if len(group) >= 2:
            groups.append(group)
    return groups


_synonyms: HeldCopy[list[SynonymGroup]] = HeldCopy(
    SYNONYM_CACHE_KEY, SYNONYM_MEMO_SECONDS, _load_synonym_groups
)


def synonym_groups() -> list[SynonymGroup]:
    """Editor-managed synonym groups as tuples of word tuples (cached until a group changes)."""
    return _synonyms.get()


def forget_local_synonyms() -> None:
    """Drop this process's copy of the groups (the shared cache keeps its own)."""
    _synonyms.forget_here()


def forget_synonyms(**kwargs: Any) -> None:
    _synonyms.forget()


def parse(text: str | None, groups: list[SynonymGroup] | None = None) -> list[Clause]:
    """Split a query into clauses of alternatives, applying synonym groups to words and phrases.

    Longest phrases win: "disabled parking permit" matches the phrase "disabled parking"
    before the single word "parking".
    """
    groups = synonym_groups() if groups is None else groups
    tokens = content_words(text)
    phrases: dict[Phrase, list[Phrase]] = {}
    for group in groups:
        for phrase in group:
            phrases.setdefault(phrase, [])
            for other in group:
                if other != phrase and other not in phrases[phrase]:
                    phrases[phrase].append(other)
    longest = max((len(phrase) for phrase in phrases), default=1)
    clauses = []
    position = 0
    while position < len(tokens):
        for size in range(min(longest, len(tokens) - position), 0, -1):
            candidate = tuple(tokens[position : position + size])
            if candidate in phrases:
                clauses.append([candidate, *phrases[candidate]])
                position += size
                break
            singular = _singular(candidate)
            if singular in phrases:
                clauses.append(
                    [candidate, singular, *[p for p in phrases[singular] if p != candidate]]
                )
                position += size
                break
        else:
            clauses.append([(tokens[position],)])
            position += 1
    return clauses


def _singular(phrase: Phrase) -> Phrase:
    """Plural-insensitive synonym lookup ("bins" finds the group that says "bin")."""
    last = phrase[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        return (*phrase[:-1], last[:-1])
    return phrase


EMAIL = re.compile(r"\S+@\S+")
# Spaces, dashes, dots and brackets are how people write numbers: "(01632) 960-001".
PHONE = re.compile(r"(?:\+44[\s().-]*|\(?0)(?:\d[\s().-]*){9,10}")
# A full postcode however it is typed ("NB1 2AB", "nb12ab", "NB1-2AB"), and Girobank's GIR 0AA.
POSTCODE = re.compile(r"\b(?:[a-z]{1,2}\d[a-z\d]?|gir)[\s.-]*\d[a-z]{2}\b", re.IGNORECASE)
# A request's tracking reference (eforms' SP-ABCD-2345 shape), with or without its dashes, and
# what residents write before other councils' references ("ref ab1234", "case no 55512").
REFERENCE = re.compile(
    r"\b[a-z]{2,4}(?P<gap>[\s-]?)[a-z0-9]{4}(?P=gap)[a-z0-9]{4}\b", re.IGNORECASE
)
NAMED_REFERENCE = re.compile(
    r"\b(?:ref(?:erence)?|case|request|ticket|claim|application|account|crime|incident)"
    r"(?:\s*(?:no|number|num|#))?[\s.:#-]*(?=[a-z0-9-]*\d)[a-z0-9][a-z0-9-]{3,}\b",
    re.IGNORECASE,
)
# A word of letters and at least four digits ("ab12cd3456", "x9k2837"): a reference of some kind.
CODE = re.compile(r"\b(?=(?:[a-z]*\d){4})(?=\d*[a-z])[a-z0-9]{5,}\b", re.IGNORECASE)
# National Insurance numbers: "QQ123456C", "qq 12 34 56 c" (the final letter is often left off).
NI_NUMBER = re.compile(r"\b[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}(?:\s?[a-d])?\b", re.IGNORECASE)
# 13 to 19 digits in groups ("4111 1111 1111 1111"): a payment card when the Luhn check passes,
# and a number worth blanking anyway when it doesn't.
CARD = re.compile(
    r"\b(?:\d{13,19}|\d{4}(?:[\s-]\d{4}){2}[\s-]\d{1,7}|\d{4}[\s-]\d{6}[\s-]\d{4,5})\b"
)
# Digits in groups that add up to six or more ("123 456 789", "12-34-56": a sort code).
GROUPED_NUMBER = re.compile(r"\b\d{1,5}(?:[\s./-]\d{1,5})+\b")
LONG_NUMBER = re.compile(r"\b\d{6,}\b")  # account, reference and card numbers
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
# Any date, a date of birth above all: "12/03/1985", "1985-03-12", "3rd march 1985", "march 3".
DATE = re.compile(
    rf"\b(?:\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}"
    rf"|{DAY}(?:\s+of)?[\s/.-]*{MONTHS}(?:[\s,/.-]*(?:19|20)?\d{{2}})?"
    rf"|{MONTHS}[\s.-]*{DAY}(?:[\s,/.-]*(?:19|20)?\d{{2}})?)\b",
    re.IGNORECASE,
)
BIRTH = r"(?:dob|d\.o\.b\.?|date of birth|born(?: on| in)?|birthday|b\.?day)"
# Words beside a date-of-birth marker are taken to be someone's name: up to three before it
# ("john smith dob [date]"), two after it ("born [date] sarah khan"); stop words end the name.
NAME_WORD = r"(?!(?:{stop})\b)[a-z][a-z'-]*".format(
    stop="|".join(sorted((re.escape(word) for word in STOP_WORDS), key=len, reverse=True))
)
NAME_BEFORE_BIRTH = re.compile(rf"(?:\b{NAME_WORD}\s+){{1,3}}(?={BIRTH}\b)", re.IGNORECASE)
NAME_AFTER_BIRTH = re.compile(
    rf"(\b{BIRTH}\s*:?\s*(?:\[date\]\s*)?)((?:{NAME_WORD}\b\s*){{1,2}})", re.IGNORECASE
)
BIRTH_YEAR = re.compile(rf"(\b{BIRTH})\s+(?:in\s+)?(?:19|20)\d{{2}}\b", re.IGNORECASE)
# "mr david o'brien": a title and the one or two words after it.
TITLED_NAME = re.compile(
    rf"\b(?:mr|mrs|ms|miss|mx|dr)\.?\s+{NAME_WORD}(?:\s+{NAME_WORD})?\b", re.IGNORECASE
)
STREET_TYPES = (
    r"(?:street|st|road|rd|lane|ln|avenue|ave|close|cl|drive|dr|way|crescent|cres|place|pl"
    r"|court|ct|gardens|gdns|grove|gr|terrace|ter|hill|park|row|square|sq|walk|mews|green"
    r"|rise|view|vale|parade|croft|fold|gate|meadow|meadows|wharf|yard|estate|boulevard)"
)
# A house number and a street ("12 mill lane", "flat 3, 14a high st"), and flat or house numbers.
ADDRESS = re.compile(
    rf"\b(?:(?:flat|apartment|apt|unit|house|no\.?)\s*\d+[a-z]?[\s,]*)?\d{{1,4}}[a-z]?,?\s+"
    rf"(?:[a-z'-]+\s+){{1,3}}?{STREET_TYPES}\b"
    rf"|\b(?:flat|apartment|apt)\s*\d+[a-z]?\b",
    re.IGNORECASE,
)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check that every payment card number passes."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[card]" if luhn_valid(digits) else "[number]"


def _grouped(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[number]" if len(digits) >= 6 else match.group(0)


def redact(text: str | None, limit: int = MAX_QUERY_LENGTH) -> str:
    """The query as logged: normalised, with anything that could identify someone blanked out.

    Search analytics are read by product owners and kept for months, so what a resident typed
    about themselves (their email, phone, postcode, address, National Insurance or card number,
    date of birth and the name beside it, a request's reference) must never reach them. The
    order matters: whole shapes (emails, references, cards, phones) go before the pieces
    (dates, groups of digits) they are made of.

    ``limit`` is the length kept before redacting (a resident's feedback is longer than a query).
    """
    text = normalise(text)[:limit]
    text = EMAIL.sub("[email]", text)
    text = NI_NUMBER.sub("[ni number]", text)
    text = CARD.sub(_card, text)
    text = PHONE.sub("[phone] ", text)
    text = POSTCODE.sub("[postcode]", text)
    text = DATE.sub("[date]", text)
    text = BIRTH_YEAR.sub(r"\1 [date]", text)
    text = GROUPED_NUMBER.sub(_grouped, text)
    text = LONG_NUMBER.sub("[number]", text)
    text = NAMED_REFERENCE.sub("[reference]", text)
    text = REFERENCE.sub(_reference, text)
    text = CODE.sub("[reference]", text)
    text = ADDRESS.sub("[address]", text)
    text = TITLED_NAME.sub("[name]", text)
    text = NAME_BEFORE_BIRTH.sub("[name] ", text)
    text = NAME_AFTER_BIRTH.sub(lambda match: f"{match.group(1)}[name] ", text)
    return " ".join(text.split())


def _reference(match: re.Match[str]) -> str:
    """A tracking reference has a digit in it; "blue badge form" is three words, not one."""
    found = match.group(0)
    return "[reference]" if any(ch.isdigit() for ch in found) else found
