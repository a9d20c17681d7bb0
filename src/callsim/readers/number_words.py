"""The words numbers are said and written in, and an utterance split into them: "twentyfifth", "fifty - two",
"10k", "20€" and "GBP3.01" come apart into the words a reader reads ("twenty fifth", "10 thousand", "20 €")."""

from __future__ import annotations

import re

from callsim.readers.numerals import exclamations_out

UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
TEENS = {w: i + 10 for i, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: (i + 2) * 10 for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"thousand": 10**3, "lakh": 10**5, "million": 10**6, "crore": 10**7, "billion": 10**9,
          "trillion": 10**12, "quadrillion": 10**15, "quintillion": 10**18, "sextillion": 10**21}
ORDINAL_UNITS = {"zeroth": 0, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9}
ORDINAL_TEENS = {"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                 "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19}
ORDINAL_TENS = {w.replace("y", "ieth"): v for w, v in TENS.items()}
ORDINAL_SCALES = {"hundredth": 100, **{f"{w}th": v for w, v in SCALES.items() if w not in ("lakh", "crore")}}
ZEROS = {"oh", "o"}
GROUPS = {"dozen": 12, "couple": 2, "pair": 2}
"""Words that count by the group: "a dozen", "half a dozen", "two dozen", "a couple of", "a pair of"."""
DOZENS = frozenset({"dozen", "dozens", "doz", "dozs", "dz", "dzs"})
PLURAL_SCALES = {"hundreds": 100, "grand": 1000, **{f"{w}s": v for w, v in SCALES.items()}}
"""A scale said in the plural after a number ("three billions"), or "grand" ("five grand"), is the scale; alone
("thousands of") no number."""
SIGNS = {"minus", "negative"}
ORDINALS = {**ORDINAL_UNITS, **ORDINAL_TEENS, **ORDINAL_TENS, **ORDINAL_SCALES}
PARTS = frozenset({"half", "halves", "quarter", "quarters", *ORDINALS, *(f"{w}s" for w in ORDINALS)})
"""Words that end a fraction: "two thirds", "a fifth", "three quarters", "a hundredth", "three twenty firsts"."""
PARTS_OF = {"half": 2, "quarter": 4}
PRONOUN_ONE = frozenset("that this which each every any no another other same".split())
"""Words after which a lone "one" stands for a thing, not a count: "which one", "that one is good" (not "the":
"just the one" answers "how many")."""
_TENS_WORD = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNIT_WORD = "one|two|three|four|five|six|seven|eight|nine|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_TENS_JOINED = re.compile(rf"\b({_TENS_WORD})(?:\s*[-\u2013\u2014]\s*|(?=(?:{_UNIT_WORD})s?\b))(?=(?:{_UNIT_WORD})s?\b)")
"""Tens and a unit written as one word ("twentyfifth") or around a spaced dash ("fifty - two", "twenty\u2014fifth")."""
_SCALE_LETTER = re.compile(r"(\d)(?:([kKM]|bn|BN)|(?<=\.\d)([bB])|(?<=\.\d\d)([bB])|\s([kKM]|bn))(?![\w$£€¥₩])")
"""A scale written as a letter after digits: "10k", "2.33 k", "3M", "1.2b", "4bn". Not a lowercase "m" (metres,
minutes) and not a "b" after a whole number ("apartment 2b")."""
_DIGIT = re.compile(r"\d")
_SCALE_LETTERS = {"k": "thousand", "m": "million", "b": "billion", "bn": "billion"}
CURRENCIES = r"us\$|usd|gbp|eur|jpy|inr|rs|[$£€¥₩₹¢]"
_CURRENCY_AFTER = re.compile(rf"(?i)(?<=\d)({CURRENCIES})(?![a-z])")
_CURRENCY_BEFORE = re.compile(rf"(?i)(?<![\w$])({CURRENCIES})(?=-?\d)")
_CENTS_LETTER = re.compile(r"(?i)(?<=\d)\s?c\b(?!\s*c\b)")
"""Cents written as a "c" after the digits ("43c", "10 c"); "894 c c" is cubic centimetres."""



def words_for_numbers(utterance: str) -> list[str]:
    """Lowercase words, hyphens and sentence punctuation split off, digits kept whole ("1,200.50")."""
    text = utterance
    if _DIGIT.search(text):
        text = _SCALE_LETTER.sub(lambda m: f"{m[1]} {_SCALE_LETTERS[''.join(m.groups('')[1:]).lower()]}", text)
        text = _CURRENCY_BEFORE.sub(r"\1 ", _CURRENCY_AFTER.sub(r" \1", text))  # "20€", "GBP3.01": a unit, a number
        text = _CENTS_LETTER.sub(" ¢", text)
    text = exclamations_out(text.lower().replace("\u2019", "'"))  # "two. oh and a piano" is no 20
    if "ty" in text:
        text = _TENS_JOINED.sub(r"\1 ", text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"[,.!?;:]+(?=\s|$)|[\"()]", " ", text)
    return text.split()
