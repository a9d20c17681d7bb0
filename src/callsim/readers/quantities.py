"""Numbers as people say them, read word by word: "two point five billion", "one twenty three",
"twenty first", "point zero two", "forty five sixty seven", "1,200.50", "minus sixty".

`spoken_numbers` finds every number in an utterance, in order, with the words it spans. The rules:
the usual grammar of English cardinals (units, teens, tens, "hundred", scales up to sextillion,
and lakh and crore, with "and" and "a hundred"); a decimal part after "point", read digit by digit
or in pairs ("point nineteen" is .19), with a scale after it ("five point two million"); a run of
groups said without "hundred" or a scale ("one twenty three", "six two seven", "nineteen oh five")
is the digits written one after the other, as people say prices, years and codes (and digits written one by
one, "4 5 6 7", are 4567); a round number and the rest said after "and" are one ("100 and 20"); an ordinal ends
a number and is its value ("twenty first" is 21). Written digits ("1,200", "3.5", "-5", "21st") are
numbers too. Arithmetic is decimal, so 1.453 billion is exactly 1453000000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from callsim.readers.base import FILLER
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
_BELOW_HUNDRED = {
    **{w: (v, False, 10) for w, v in UNITS.items()}, **{w: (v, True, 10) for w, v in ORDINAL_UNITS.items()},
    **{w: (v, False, 100) for w, v in (TEENS | TENS).items()},
    **{w: (v, True, 100) for w, v in (ORDINAL_TEENS | ORDINAL_TENS).items()},
}
"""(value, ordinal, what the number so far must be a multiple of for the word to join it)."""
DENOMINATORS = {"half": 2, "quarter": 4, **{w: v for w, v in (ORDINAL_UNITS | ORDINAL_TEENS | ORDINAL_TENS).items()
                                            if v >= 3}, **ORDINAL_SCALES}
"""A fraction's denominators, said as ordinals ("a third", "three fifths"); "second" is a moment, never one."""
PLURAL_DENOMINATORS = {("halves" if w == "half" else w + "s"): v for w, v in DENOMINATORS.items()}
ZEROS = {"oh", "o"}
GROUPS = {"dozen": 12, "couple": 2, "pair": 2}
"""Words that count by the group: "a dozen", "half a dozen", "two dozen", "a couple of", "a pair of"."""
SIGNS = {"minus", "negative"}
_WRITTEN = re.compile(r"^[$£€¥₩]?(-)?[$£€¥₩]?(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?(?:(st|nd|rd|th)|(k|m|b|bn))?[$£€¥₩]?$")
_SUFFIXES = {"k": 10**3, "m": 10**6, "b": 10**9, "bn": 10**9}
"""Thousands, millions and billions written after the digits: "10k", "1.2m", "$3bn"."""
_PAUSE_WORDS = frozenset({"please", "thanks", "thank", "i", "exactly", "roughly", "about", "or", "so", "then"})
"""Words after "a third" that leave it a fraction, as the end of the turn does."""


@dataclass(frozen=True)
class SpokenNumber:
    """A number found in an utterance: its value, the words it spans [start, end), and how it was said."""

    value: Decimal
    start: int
    end: int
    fraction: bool = False
    """A decimal part was said ("three point five", "3.50"): the value is a quantity, not a count."""
    ordinal: bool = False


def words_for_numbers(utterance: str) -> list[str]:
    """Lowercase words, hyphens and sentence punctuation split off, digits kept whole ("1,200.50")."""
    text = exclamations_out(utterance.lower().replace("\u2019", "'"))  # "two. oh and a piano" is no 20
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"[,.!?;:]+(?=\s|$)|[\"()]", " ", text)
    return text.split()


def _digit_word(word: str, in_digits: bool) -> int | None:
    if word in UNITS:
        return UNITS[word]
    if word in ZEROS and in_digits:
        return 0
    return None


class _Reader:
    """Reads one number starting at a word, or says there is none there."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def at(self, index: int) -> str:
        return self.words[index] if index < len(self.words) else ""

    def read(self, start: int) -> SpokenNumber | None:
        index, negative = start, False
        if self.at(index) in SIGNS:
            negative, index = True, index + 1
        found = self._part(index) or self._group(index) or self._written(index) or self._spoken(index)
        if found is None:
            return None
        value, end, fraction, ordinal = found
        if not ordinal and not fraction:
            value, end = self._more_after_a_scale(value, end)
            value, end = self._and_the_rest(value, end)
        if not ordinal and self.at(end) in ("dozen", "dozens"):  # "two dozen"
            value, end = value * 12, end + 1
        if not ordinal and not fraction and value == value.to_integral_value():
            if self.at(end) in PLURAL_DENOMINATORS and self.at(end - 1) in TENS \
                    and PLURAL_DENOMINATORS[self.at(end)] < 10:
                return None  # "one hundred thirty fifths": 130 fifths or 100 thirty-fifths? No number is read
            if self.at(end) in PLURAL_DENOMINATORS:  # "two thirds", "twenty three fifths"
                value, end, fraction = value / PLURAL_DENOMINATORS[self.at(end)], end + 1, True
            elif self.at(end) == "over" and (below := self._written(end + 1) or self._spoken(end + 1)) \
                    and below[0] and not below[3]:  # "one over three"
                value, end, fraction = value / below[0], below[1], True
        if not ordinal and self.at(end) == "and":  # "three and a half", "a million and a half", "2 and 3 fifths"
            part = self._part(end + 1, alone=False)
            if part is not None and part[0] < 1:
                value += part[0] * SCALES.get(self.at(end - 1), 1)
                end, fraction = part[1], value != value.to_integral_value()
        return SpokenNumber(-value if negative else value, start, end, fraction, ordinal)

    def _part(self, index: int, alone: bool = True) -> tuple[Decimal, int, bool, bool] | None:
        """A part of one: "a half", "a third", "one fifth", "three quarters", "half a million", "a quarter
        million". Said `alone` (not after "two and"), "a third" before a noun is an ordinal ("a third child")."""
        count = 1 if self.at(index) in ("a", "an", "one") else None
        if count is None and self.at(index) in ("half", "quarter"):
            count, index = 1, index - 1
        if count is None:
            said = _digit_word(self.at(index), False) or TEENS.get(self.at(index))
            if said is None or self.at(index + 1) not in PLURAL_DENOMINATORS:
                return None
            return Decimal(said) / PLURAL_DENOMINATORS[self.at(index + 1)], index + 2, True, False
        word = self.at(index + 1)
        if word not in DENOMINATORS or (self.at(index) == "one" and word in ORDINAL_SCALES):
            return None  # "one hundredth" is the 100th ("a hundredth" is 0.01)
        value, end = Decimal(1) / DENOMINATORS[word], index + 2
        after = self.at(end + (self.at(end) in ("a", "an")))
        if word in ("half", "quarter") and (after in SCALES or after == "hundred"):  # "half a million"
            end += self.at(end) in ("a", "an")
            return value * (100 if after == "hundred" else SCALES[after]), end + 1, False, False
        if alone and after and after not in ("of", "and") and after not in _PAUSE_WORDS:
            return None  # "a third child", "one fifth street": an ordinal, or no number at all
        return value, end, True, False

    def _more_after_a_scale(self, value: Decimal, end: int) -> tuple[Decimal, int]:
        """What follows a scale below it, however written: "4 thousand 3 hundred" is 4300."""
        while self.at(end - 1) in SCALES and value == value.to_integral_value():
            rest = self._written(end) or self._spoken(end)
            if rest is None or rest[2] or rest[3] or rest[0] >= SCALES[self.at(end - 1)]:
                break
            value, end = value + rest[0], rest[1]
        return value, end

    def _and_the_rest(self, value: Decimal, end: int) -> tuple[Decimal, int]:
        """A round number and what is said after "and" below its last place are one number, however each is
        written: "100 and 20" is 120, "one hundred and 5" 105, "2000 and twenty six" 2026 ("100 and 200" is two)."""
        if self.at(end) != "and" or value < 100 or value % 100 or self._part(end + 1, alone=False) is not None:
            return value, end
        rest = self._written(end + 1) or self._spoken(end + 1)
        if rest is None or rest[2] or rest[3] or rest[0] >= (1000 if value % 1000 == 0 else 100):
            return value, end
        return value + rest[0], rest[1]

    def _group(self, index: int) -> tuple[Decimal, int, bool, bool] | None:
        """A count said by the group: "a dozen", "half a dozen", "a couple of", "a pair of", "a couple hundred"."""
        half = self.at(index) == "half" and self.at(index + 1) == "a"
        first = index + 1 + half if self.at(index) == "a" or half else index
        word = self.at(first)
        if word not in GROUPS or (first == index and word != "couple") or (word != "dozen" and half):
            return None
        if word != "dozen" and self.at(first + 1) not in ("of", "hundred", *SCALES) and first + 1 < len(self.words):
            return None  # "a couple more days": a count only before "of" or a scale, or at the end
        value, end = Decimal(GROUPS[word]) / (2 if half else 1), first + 1
        if not half and self.words[end:end + 3] == ["and", "a", "half"]:  # "a dozen and a half" is 18
            value, end = value * Decimal("1.5"), end + 3
        if self.at(end) == "hundred" or self.at(end) in SCALES:
            value, end = value * (100 if self.at(end) == "hundred" else SCALES[self.at(end)]), end + 1
        return value, end, False, False

    def _written(self, index: int) -> tuple[Decimal, int, bool, bool] | None:
        match = _WRITTEN.match(self.at(index))
        if not match or not (match[2] or match[3]):
            return None
        value = Decimal((match[1] or "") + (match[2].replace(",", "") or "0") + (match[3] or ""))
        end = index + 1
        if match[5] or (self.at(end) == "k" and not match[4]):  # "10k", "2.33 k"
            value, end = value * _SUFFIXES[match[5] or "k"], end + (not match[5])
            return value, end, value != value.to_integral_value(), False
        if self.at(end) == "point" and not match[3] and not match[4] and match[2]:  # "1 point 1"
            digits, after = self._decimals(end + 1)
            if after > end + 1:
                value, end = Decimal(f"{match[1] or ''}{match[2].replace(',', '')}.{digits}"), after
                if self.at(end) in SCALES:
                    value, end = value * SCALES[self.at(end)], end + 1
                return value, end, value != value.to_integral_value(), False
        if len(self.at(index)) == 1:  # digits written one by one, as said: "4 5 6 7" is 4567
            digits = self.at(index)
            while len(self.at(end)) == 1 and self.at(end).isdigit():
                digits, end = digits + self.at(end), end + 1
            value = Decimal(digits)
        if self.at(end) in ("hundred", "hundreds") and not match[4] and 0 < value and not match[3]:  # "5 hundred"
            value, end = value * 100, end + 1
        scale = self.at(end).removesuffix("s") if self.at(end).endswith("s") else self.at(end)
        if scale in SCALES and not match[4]:  # "3 million", "three billions"
            value, end = value * SCALES[scale], end + 1
        return value, end, bool(match[3]) and value != value.to_integral_value(), bool(match[4])

    def _spoken(self, index: int) -> tuple[Decimal, int, bool, bool] | None:
        whole = self._cardinal(index)
        if whole is None and self.at(index) == "point" and self._decimals(index + 1)[1] > index + 1:
            whole = (0, index, False, False)
        if whole is None:
            return None
        value, end, ordinal, plain = whole
        if ordinal:
            return Decimal(value), end, False, True
        if plain:  # groups said one after another: "one twenty three", "six two seven"
            groups = self._groups(index, end)
            if groups is not None:
                value, end = groups
        number, fraction = Decimal(value), False
        if self.at(end) == "point":
            digits, after = self._decimals(end + 1)
            if after > end + 1:
                number, end, fraction = Decimal(f"{value}.{digits}"), after, True
        if self.at(end) in SCALES:
            number, end = number * SCALES[self.at(end)], end + 1
            fraction = fraction and number != number.to_integral_value()
        return number, end, fraction, False

    def _decimals(self, index: int) -> tuple[str, int]:
        """The digits said after "point": one by one ("five o six"), or in pairs ("nineteen")."""
        digits = ""
        while True:
            word = self.at(index)
            unit = _digit_word(word, in_digits=True)
            if unit is not None:
                digits += str(unit)
            elif word.isdigit() and not digits:  # "point 77", "1 point 1"
                return word, index + 1
            elif word in TEENS or (word in TENS and self.at(index + 1) not in UNITS):
                digits += str(TEENS.get(word) or TENS[word])
            elif word in TENS:
                digits += str(TENS[word] + UNITS[self.at(index + 1)])
                index += 1
            else:
                return digits, index
            index += 1

    def _cardinal(self, index: int) -> tuple[int, int, bool, bool] | None:
        """(value, end, ordinal, plain): plain when no "hundred" or scale was said, so that groups
        said one after another ("one twenty three") can be read as digits."""
        total, current, end, plain, seen = 0, 0, index, True, False
        last_scale = None
        while True:
            word = self.at(end)
            if word == "a" and self.at(end + 1) in ("hundred", *SCALES) and not seen:
                current, end = 1, end + 1
                continue
            if word == "and" and seen and self._continues(end + 1, current):
                end += 1
                continue
            if word in _BELOW_HUNDRED:
                value, ordinal, fits = _BELOW_HUNDRED[word]
                if seen and current % fits != 0:
                    break  # "one two", "twenty thirty": groups said one after another
                if word == "second" and self.at(end - 1) in ("a", "one") and not seen:
                    return None  # "a second", "one second": a moment, not the ordinal
                if ordinal:
                    return total + current + value, end + 1, True, False
                current += value
            elif word in ("hundred", "hundredth"):
                if current >= 100 and current % 100 == 0 or current >= 10000:
                    break
                current, plain = (current or 1) * 100, False
                if word == "hundredth":
                    return total + current, end + 1, True, False
            elif word in SCALES or word in ORDINAL_SCALES or (seen and word.endswith("s") and word[:-1] in SCALES):
                scale = SCALES.get(word) or ORDINAL_SCALES.get(word) or SCALES[word[:-1]]  # "three billions"
                if last_scale is not None and scale >= last_scale:
                    break
                total, current, plain, last_scale = total + (current or 1) * scale, 0, False, scale
                if word in ORDINAL_SCALES:
                    return total, end + 1, True, False
            else:
                break
            seen = True
            end += 1
        if not seen:
            return None
        return total + current, end, False, plain

    def _continues(self, index: int, current: int) -> bool:
        """Whether "and" at index - 1 joins the number ("two hundred and five"), not two numbers."""
        word = self.at(index)
        if self._part(index, alone=False) is not None:
            return False  # "two million and one half", "six million and two thirds": a part of one follows
        return (word in UNITS or word in TEENS or word in TENS or word in ORDINAL_UNITS or word in ORDINAL_TEENS
                or word in ORDINAL_TENS) and (current == 0 or current % 100 == 0)

    def _groups(self, start: int, end: int) -> tuple[int, int] | None:
        """Groups said one after another, as digits: [1][23] is 123, [6][2][7] is 627, [19][oh][5] is 1905."""
        text = ""
        index = start
        while True:
            word = self.at(index)
            unit = _digit_word(word, in_digits=bool(text))
            if unit is not None:
                text, index = text + str(unit), index + 1
            elif word in TEENS:
                text, index = text + str(TEENS[word]), index + 1
            elif word in TENS:
                second = self.at(index + 1)
                if second in UNITS and second != "zero":
                    text, index = text + str(TENS[word] + UNITS[second]), index + 2
                else:
                    text, index = text + str(TENS[word]), index + 1
            else:
                break
        if index <= end or len(text) < 2 or self.at(index) in ("hundred", "hundredth", *SCALES, *ORDINAL_SCALES):
            return None
        return int(text), index


def spoken_numbers(utterance: str) -> list[SpokenNumber]:
    """Every number said in `utterance`, in order."""
    words = words_for_numbers(utterance)
    reader = _Reader(words)
    found: list[SpokenNumber] = []
    index = 0
    while index < len(words):
        number = reader.read(index)
        if number is None:
            index += 1
            continue
        earlier = found[-1] if found else None
        if earlier is not None and number.start > earlier.end and all(w in FILLER for w in words[earlier.end:number.start]):
            found[-1] = _hesitated(earlier, number)
        else:
            found.append(number)
        index = number.end
    return found


def _hesitated(earlier: SpokenNumber, later: SpokenNumber) -> SpokenNumber:
    """One number from two said with only "uh" or "um" between: the rest of a round one ("three hundred uh
    fifty" is 350, "one twenty uh three" 123), else the caller starting over ("twenty uh twenty five" is 25,
    "six uh sixty" 60, "four uh five tickets" 5)."""
    place = next((p for p in (10**9, 10**6, 1000, 100, 10) if earlier.value >= max(p, 20) and earlier.value % p == 0),
                 None)
    plain = not (earlier.fraction or earlier.ordinal or later.fraction or later.ordinal)
    if plain and place is not None and 0 < later.value < place and earlier.value > 0:
        return SpokenNumber(earlier.value + later.value, earlier.start, later.end)
    return replace(later, start=earlier.start)


def a_number_alone(utterance: str) -> bool:
    """Whether `utterance` says one number and nothing else ("four", "twenty two"; not "at four", "four bags")."""
    numbers = spoken_numbers(utterance)
    return len(numbers) == 1 and numbers[0].start == 0 and numbers[0].end == len(words_for_numbers(utterance))
