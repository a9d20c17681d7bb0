"""The `number` type: a quantity, an int or (when a fraction was said) a float.

The first number said is the one read (see `quantities` for how numbers are said). An amount of
money is one number: "seventy five dollars sixty three" is 75.63, "twenty cents" is 0.2.
"""

from __future__ import annotations

from decimal import Decimal

from callsim.readers.base import SpokenValue
from callsim.readers.quantities import SpokenNumber, spoken_numbers, words_for_numbers

MAJOR = frozenset("dollar dollars buck bucks pound pounds euro euros yen won yuan rupee rupees franc francs peso "
                  "pesos".split())
MINOR = frozenset("cent cents penny pence pennies".split())
_BETWEEN = 2
"""Words a currency may stand after its amount: "four united states dollars"."""


def read_number(utterance: str) -> SpokenValue | None:
    """Read a quantity: an int, or a float when a fraction was said."""
    numbers = spoken_numbers(utterance)
    if not numbers:
        return None
    first = numbers[0]
    value, fraction = _money(first, numbers[1:], words_for_numbers(utterance))
    said: int | float = float(value) if fraction or value != value.to_integral_value() else int(value)
    return SpokenValue(said, utterance.strip())


def _money(first: SpokenNumber, rest: list[SpokenNumber], words: list[str]) -> tuple[Decimal, bool]:
    """The amount when `first` is money with its cents ("X dollars and Y cents", "X cents"), else `first`."""
    unit = _unit_after(first.end, words)
    if unit is None or first.ordinal:
        return first.value, first.fraction
    kind, at = unit
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
    return None
