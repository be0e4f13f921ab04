"""The words the embedded index holds, in this process's memory, for typo tolerance.

Correcting a word used to cost a ``LIKE 'x%'`` scan of ``VocabularyTerm`` and difflib for every
word over three letters, correctly spelt or not. Now each process reads a language's vocabulary
once (one query) into a dict and buckets by the word's first letters, and looks there: a known
word costs a dict lookup, and only an unknown one is compared, with the few hundred words
sharing its opening letters.

The copy is read again after ``REFRESH_SECONDS``, at once in the process that wrote the index
(``forget``), and when a word is not in a copy older than ``UNKNOWN_RECHECK_SECONDS`` (the
worker may just have indexed it): so a new word is known everywhere within seconds, and a
stream of misspellings costs at most one query per process every few seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .models import VocabularyTerm

REFRESH_SECONDS = 300.0
UNKNOWN_RECHECK_SECONDS = 5.0


@dataclass
class Vocabulary:
    """One language's words: how many documents hold each, and the words by opening letters."""

    documents: dict[str, int]
    loaded_at: float = field(default_factory=time.monotonic)
    _buckets: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for term in self.documents:
            self._buckets.setdefault(term[:2], []).append(term)
            if len(term) > 2:
                # Its first and third letters too, for a typo in the second ("bkue" for "blue").
                self._buckets.setdefault(term[0] + "?" + term[2], []).append(term)

    def __contains__(self, word: str) -> bool:
        return word in self.documents

    def near(self, word: str) -> list[str]:
        """Words that open as ``word`` does (first two letters, or first and third)."""
        found = dict.fromkeys(self._buckets.get(word[:2], ()))
        if len(word) > 2:
            found.update(dict.fromkeys(self._buckets.get(word[0] + "?" + word[2], ())))
        return list(found)


_loaded: dict[str, Vocabulary] = {}


def vocabulary(locale: str, max_age: float = REFRESH_SECONDS) -> Vocabulary:
    """This process's copy of a language's vocabulary, read again when older than ``max_age``."""
    held = _loaded.get(locale)
    if held is None or time.monotonic() - held.loaded_at > max_age:
        held = Vocabulary(
            dict(VocabularyTerm.objects.filter(locale=locale).values_list("term", "documents"))
        )
        _loaded[locale] = held
    return held


def knows(word: str, locale: str) -> bool:
    """Whether the index holds ``word``, looking again if the copy is a few seconds old."""
    return word in vocabulary(locale) or word in vocabulary(locale, UNKNOWN_RECHECK_SECONDS)


def forget() -> None:
    """Drop every copy: the index changed in this process (or a test starts afresh)."""
    _loaded.clear()
