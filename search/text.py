"""Turning what a resident typed into something every engine can run.

A query becomes a list of *clauses*; each clause is a list of *alternatives* (the resident's
word or phrase plus its editor-managed synonyms); each alternative is a tuple of words.
"blue badge application" with the group "blue badge, disabled parking" becomes::

    [[("blue", "badge"), ("disabled", "parking")], [("application",)]]

Engines run clauses with OR and rank documents that match more clauses higher.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.cache import cache

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
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().split())


def words(text: str | None, fold: bool = True) -> list[str]:
    """Words of a text, lower case; ``fold=False`` keeps accents (the indexes may not fold them)."""
    text = normalise(text) if fold else " ".join((text or "").lower().split())
    return [match.group(0).replace("\u2019", "'") for match in WORD.finditer(text)]


def content_words(text: str | None) -> list[str]:
    """The words of a query that carry meaning (stop words dropped, unless that leaves nothing)."""
    found = words(text, fold=False)
    kept = [word for word in found if word not in STOP_WORDS]
    return kept or found


def synonym_groups() -> list[SynonymGroup]:
    """Editor-managed synonym groups as tuples of word tuples (cached until a group changes)."""
    groups: list[SynonymGroup] | None = cache.get(SYNONYM_CACHE_KEY)
    if groups is None:
        groups = []
        for synonym in Synonym.objects.all():
            group = [tuple(words(term, fold=False)) for term in synonym.term_list]
            group = [phrase for phrase in group if phrase]
            if len(group) >= 2:
                groups.append(group)
        cache.set(SYNONYM_CACHE_KEY, groups, 300)
    return groups


def forget_synonyms(**kwargs: Any) -> None:
    cache.delete(SYNONYM_CACHE_KEY)


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
PHONE = re.compile(r"(?:\+44\s?|0)(?:\d\s?){9,10}")
POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.IGNORECASE)
LONG_NUMBER = re.compile(r"\b\d{6,}\b")  # account, reference and card numbers


def redact(text: str | None) -> str:
    """The query as logged: normalised, with anything that could identify someone blanked out."""
    text = normalise(text)[:MAX_QUERY_LENGTH]
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[phone] ", text)
    text = POSTCODE.sub("[postcode]", text)
    text = LONG_NUMBER.sub("[number]", text)
    return " ".join(text.split())
