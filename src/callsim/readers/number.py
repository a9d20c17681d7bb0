"""The `number` type: a quantity, an int or (when a fraction was said) a float.

The first number said is the one read (see `quantities` for how numbers are said). An amount of
money is one number: "seventy five dollars sixty three" is 75.63, "twenty cents" is 0.2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from callsim.readers.base import SpokenValue
from callsim.readers.number_words import PRONOUN_ONE, words_for_numbers
from callsim.readers.quantities import SpokenNumber, spoken_numbers

MAJOR = frozenset("dollar dollars buck bucks pound pounds euro euros yen won yuan rupee rupees franc francs peso "
                  "pesos usd us$ gbp eur jpy $ £ € ¥ ₩".split())
MINOR = frozenset("cent cents penny pence pennies ¢".split())
_NAMED = frozenset(word for word in MAJOR if word.isalpha() and len(word) > 3)
"""Currencies said in words, after which "a" is one: "a dollar fifty", "a buck"."""
COUNTED_ALIKE = tuple(frozenset(group.split()) for group in (
    "child children kid kids youngster youngsters minor minors",
    "adult adults grownup grownups grown-up grown-ups",
    "person persons people guest guests passenger passengers",
    "infant infants baby babies toddler toddlers",
    "teen teens teenager teenagers",
    "senior seniors",
    "student students pupil pupils",
    "night nights evening evenings",
    "bag bags sack sacks",
    "ticket tickets pass passes",
))
"""Words that count the same thing: a need named `children` counts "two kids" too. A short list of the things
callers count in other words, not a thesaurus: a need counting something else says its words with `cues:`."""
_BETWEEN = 2
"""Words a currency may stand after its amount: "four united states dollars"."""


def read_number(utterance: str) -> SpokenValue | None:
    """Read a quantity: an int, or a float when a fraction was said. None when the first number's words read
    more than one way ("one hundred thirty fifths": 130/5 or 100/35): an agent would act on a guess."""
    words = words_for_numbers(utterance)
    numbers = [n for n in spoken_numbers(utterance, unsure=True, words=words) if not _pronoun(n, words)]
    one = next((at for at, word in enumerate(words[:-1]) if word in ("a", "an") and words[at + 1] in _NAMED), None)
    if one is not None and (not numbers or numbers[0].start > one):  # "a dollar fifty": one dollar
        numbers.insert(0, SpokenNumber(Decimal(1), one, one + 1))
    if not numbers or numbers[0].unsure:
        return None
    first = numbers[0]
    value, fraction = _money(first, numbers[1:], words)
    said: int | float = float(value) if fraction or value != value.to_integral_value() else int(value)
    return SpokenValue(said, utterance.strip())


def _pronoun(number: SpokenNumber, words: list[str]) -> bool:
    """Whether a lone "one" stands for a thing: "which one", "that one is good", "no one"."""
    return number.end == number.start + 1 and words[number.start] == "one" and number.start > 0 \
        and words[number.start - 1] in PRONOUN_ONE


def _money(first: SpokenNumber, rest: list[SpokenNumber], words: list[str]) -> tuple[Decimal, bool]:
    """The amount when `first` is money with its cents ("X dollars and Y cents", "$20 43", "X cents"), else
    `first`."""
    unit = _unit_after(first.end, words)
    if first.ordinal or unit is None and (first.start == 0 or words[first.start - 1] not in MAJOR):
        return first.value, first.fraction
    kind, at = unit or ("major", first.end - 1)  # a unit before the amount: the cents come right after it
    if kind == "minor":
        return first.value / 100, True
    following = rest[0] if rest else None
    start = at + 1 + (words[at + 1 : at + 2] == ["and"])
    if following is None or following.start != start or following.fraction or not 0 <= following.value < 100:
        return first.value, first.fraction
    cents_unit = _unit_after(following.end, words)
    if cents_unit is not None and cents_unit[0] == "major":
        return first.value, first.fraction  # "two dollars and three dollars": two amounts
    return first.value + following.value / 100, True


def _unit_after(index: int, words: list[str]) -> tuple[str, int] | None:
    for at in range(index, min(index + _BETWEEN + 1, len(words))):
        if words[at] in MAJOR:
            return "major", at
        if words[at] in MINOR:
            return "minor", at
        if any(c.isdigit() for c in words[at]):
            break  # "3 GBP 1 pence": the pence are the 1's
    return None


_NOUN = re.compile(r"[^\W\d_][\w']*")
_TOKEN = re.compile(r"\S+")
_PAUSE = re.compile(r"[,;.!?:](?:\s|$)")
_LONGEST_COUNT = 4
"""Words a count may take before what it counts: "twenty two", "a hundred and five"."""
_WINDOW = 100
"""Characters before a counted word that are looked at (the first word in them may be cut, and is left out)."""


def counts_of(text: str, counted: Callable[[str], bool]) -> list[tuple[int, int, bool]]:
    """Where `text` counts something named by a word `counted` accepts (lowercase): the number said right before
    the word ("one child", "twenty two adults", "2 kids") or "no" ("no children"), as character spans from the
    number to the word, each with whether it was "no". A number with a pause or another word between it and the
    word ("two, and the children") counts nothing here."""
    found: list[tuple[int, int, bool]] = []
    for noun in _NOUN.finditer(text):
        if not counted(noun.group(0).lower()):
            continue
        window = max(0, noun.start() - _WINDOW)  # the few words right before it: linear in a long turn
        tokens = list(_TOKEN.finditer(text, window, noun.start()))[1 if window else 0:]
        if not tokens or _PAUSE.search(tokens[-1].group(0)):
            continue
        if tokens[-1].group(0).lower() == "no":
            found.append((tokens[-1].start(), noun.end(), True))
            continue
        start = None
        for back in range(1, min(_LONGEST_COUNT, len(tokens)) + 1):
            piece = text[tokens[-back].start():noun.start()]
            if _PAUSE.search(piece.rstrip()):
                break
            numbers = spoken_numbers(piece)
            if len(numbers) != 1 or numbers[0].start != 0 or numbers[0].end != len(words_for_numbers(piece)) \
                    or numbers[0].ordinal:
                if start is not None:
                    break
                continue
            start = tokens[-back].start()
        if start is not None:
            found.append((start, noun.end(), False))
    return found
