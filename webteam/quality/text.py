"""Checks on plain text: how easy it is to read, long sentences and the passive voice.

Reading ease is computed here rather than with textstat's defaults: textstat counts syllables
with NLTK's CMU dictionary, which it tries to download at first use. We count syllables with
pyphen's hyphenation dictionary (shipped inside the pyphen wheel, and already a textstat
dependency), so the checks work offline and in CI.
"""

import re
from functools import lru_cache

import pyphen

from .findings import INFO, WARNING, Finding

LONG_SENTENCE_WORDS = 25
MIN_WORDS_FOR_READABILITY = 30
EASY_READING_SCORE = 60  # Flesch reading ease; 60 to 70 is plain English for most adults
HIGHEST_GRADE = 9  # Flesch-Kincaid grade; GOV.UK aims for a reading age of about 9 to 11

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)?")
_PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(\w+ed|born|built|done|given|known|made|paid|sent|shown|taken|told|written|seen|kept|held|found|"
    r"brought|bought|chosen|drawn|driven|eaten|forgotten|hidden|left|lost|meant|put|read|sold|set|"
    r"spent|spoken|thrown|understood|won)\b",
    re.IGNORECASE,
)
# "-ed" words that are usually adjectives after "is/are" rather than passives.
_NOT_PASSIVE = {
    "need",
    "tired",
    "interested",
    "worried",
    "excited",
    "pleased",
    "closed",
    "open",
    "based",
}


@lru_cache(maxsize=1)
def _hyphenator():
    return pyphen.Pyphen(lang="en_GB")


def words(text):
    return _WORD.findall(text)


def sentences(text):
    return [s.strip() for s in _SENTENCE_END.split(text) if s and len(words(s)) > 0]


@lru_cache(maxsize=20000)
def syllables(word):
    """Syllables in one word: hyphenation points plus one, with a floor of one."""
    word = word.lower()
    if len(word) <= 3:
        return 1
    count = len(_hyphenator().positions(word)) + 1
    # pyphen leaves some short words unhyphenated; fall back to counting vowel groups.
    vowel_groups = len(re.findall(r"[aeiouy]+", word)) - (
        1 if word.endswith("e") and not word.endswith("le") else 0
    )
    return max(1, count, min(vowel_groups, count + 1))


def readability(text):
    """(reading ease, grade) by the Flesch and Flesch-Kincaid formulas, or None for short texts."""
    all_words = words(text)
    n_sentences = max(1, len(sentences(text)))
    if len(all_words) < MIN_WORDS_FOR_READABILITY:
        return None
    n_words = len(all_words)
    n_syllables = sum(syllables(w) for w in all_words)
    words_per_sentence = n_words / n_sentences
    syllables_per_word = n_syllables / n_words
    ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
    grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    return round(ease, 1), round(grade, 1)


def check_readability(text):
    scores = readability(text)
    if scores is None:
        return []
    ease, grade = scores
    findings = []
    if ease < EASY_READING_SCORE:
        findings.append(
            Finding(
                "reading-ease",
                WARNING,
                f"This page is hard to read (reading ease {ease:.0f}; aim for {EASY_READING_SCORE} or more). "
                "Use shorter sentences and shorter words.",
            )
        )
    if grade > HIGHEST_GRADE:
        findings.append(
            Finding(
                "reading-grade",
                INFO,
                f"This page needs a reading age of about {grade + 5:.0f} (grade {grade:.0f}). "
                "Most residents read best at a reading age of 9 to 11.",
            )
        )
    return findings


def _quote(sentence, limit=60):
    sentence = sentence.rstrip(".!?")
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "\u2026"


def check_long_sentences(text):
    long = [s for s in sentences(text) if len(words(s)) > LONG_SENTENCE_WORDS]
    if not long:
        return []
    return [
        Finding(
            "long-sentence",
            WARNING,
            f"{len(long)} sentence{'s are' if len(long) > 1 else ' is'} longer than {LONG_SENTENCE_WORDS} words, "
            f"for example \u201c{_quote(long[0])}\u201d. Split long sentences in two.",
        )
    ]


def passive_sentences(text):
    found = []
    for sentence in sentences(text):
        for match in _PASSIVE.finditer(sentence):
            if match.group(1).lower() not in _NOT_PASSIVE:
                found.append(sentence)
                break
    return found


def check_passive_voice(text):
    passive = passive_sentences(text)
    if not passive:
        return []
    return [
        Finding(
            "passive-voice",
            INFO,
            f"{len(passive)} sentence{'s' if len(passive) > 1 else ''} may use the passive voice, "
            f"for example \u201c{_quote(passive[0])}\u201d. Say who does what: \u201cWe will send you a letter\u201d.",
        )
    ]


def check_jargon(text, jargon):
    """Jargon from the editors' list ({term: alternative}), matched as whole words, case-insensitive."""
    lowered = " ".join(words(text)).lower()
    found = []
    for term, alternative in sorted(jargon.items()):
        if re.search(r"\b" + r"\s+".join(map(re.escape, term.lower().split())) + r"\b", lowered):
            found.append(
                Finding(
                    "jargon",
                    WARNING,
                    f"Instead of \u201c{term}\u201d, try \u201c{alternative}\u201d.",
                )
            )
    return found
