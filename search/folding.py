"""Folding words so residents find a page however they type them, in any language.

Arabic is written with and without the definite article ("الطعام", "the food", and "طعام"),
with several forms of alef, with ya or alef maqsura at the end of a word, with ta marbuta or ha,
with or without short vowels (harakat) and with tatweel to stretch a line. Polish residents on
an English keyboard type "zolty" for "żółty". ``fold`` turns all of these into one form.

Both engines fold in Python, the same way, before indexing and on the query: the embedded
engine writes folded text into a full-text table of its own, and Elasticsearch into ``*_folded``
fields. Doing it here rather than in Elasticsearch's analysis keeps the index on the server's
core analysis only (the Arabic and ASCII-folding filters live in a module that minimal
distributions do not have), and keeps the two engines finding the same pages.

This module imports nothing from Django: migrations use it to fill the folded index.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat (fathatan to sukun and the rarer marks after them), superscript alef, Quranic
# annotation marks, and tatweel (the stretching stroke).
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # alef with hamza above → alef
        "\u0625": "\u0627",  # alef with hamza below → alef
        "\u0622": "\u0627",  # alef with madda → alef
        "\u0671": "\u0627",  # alef wasla → alef
        "\u0649": "\u064a",  # alef maqsura → ya
        "\u0629": "\u0647",  # ta marbuta → ha
    }
)
# Latin letters whose accent is part of the letter, so Unicode decomposition leaves them.
LATIN_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"}
)
# The definite article, alone and after "and" (و), "with/by" (ب), "like" (ك) and "so" (ف);
# "for the" (لل) is "li" joined to the article, whose alef is dropped. Longest first. A prefix
# is stripped only when at least two letters remain, so "الم" ("pain") keeps its letters.
ARTICLES = ("وال", "بال", "كال", "فال", "ال", "لل")
ARABIC_LETTER = re.compile("[\u0620-\u064a]")
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold_word(word: str) -> str:
    """One word folded: see ``fold``."""
    if ARABIC_LETTER.match(word):
        for article in ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= 2:
                return word[len(article) :]
    return word


def fold(text: str | None) -> str:
    """Text as the folded index holds it: lower case, words separated by single spaces.

    Accents and Polish letters folded (ą→a, ć→c, ę→e, ł→l, ń→n, ó→o, ś→s, ź/ż→z); Arabic short
    vowels and tatweel removed, alef forms as bare alef, alef maqsura as ya, ta marbuta as
    ha, and the definite article taken off.
    """
    text = ARABIC_MARKS.sub("", text or "").translate(ARABIC_LETTERS).translate(LATIN_LETTERS)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # Decomposition can itself produce alef forms (presentation forms): map them once more.
    text = text.translate(ARABIC_LETTERS)
    return " ".join(fold_word(match.group(0)) for match in WORD.finditer(text))


def folds(locale: str | None) -> bool:
    """Whether searches in this language use the folded index.

    English keeps the engines' own analysis (stemming, stop words), which folding would only
    duplicate; every other language is searched folded.
    """
    return not (locale or "").lower().startswith("en")
