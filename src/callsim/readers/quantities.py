"""Numbers as people say them, read word by word: "two point five billion", "one twenty three",
"twenty first", "point zero two", "forty five sixty seven", "1,200.50", "minus sixty".

`spoken_numbers` finds every number in an utterance, in order, with the words it spans. The rules:
the usual grammar of English cardinals (units, teens, tens, "hundred", scales up to sextillion,
and lakh and crore, with "and" and "a hundred"); a decimal part after "point", read digit by digit
or in pairs ("point nineteen" is .19), with a scale after it ("five point two million"); a run of
groups said without "hundred" or a scale ("one twenty three", "six two seven", "nineteen oh five")
is the digits written one after the other, as people say prices, years and codes (and digits written one by
one, "4 5 6 7", are 4567); a round number and the rest said after "and" are one ("100 and 20"); an ordinal ends
a number and is its value ("twenty first" is 21); a count and an ordinal after it are a fraction ("two thirds",
"a fifth", "three and a half"), unless the words split into the two more than one way. Written digits ("1,200",
"3.5", "-5", "21st", "3/4", "10k") are numbers too. Arithmetic is decimal, so 1.453 billion is exactly 1453000000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from callsim.readers.base import FILLER
from callsim.readers.number_words import (DOZENS, GROUPS, ORDINAL_SCALES, ORDINAL_TEENS, ORDINAL_TENS, ORDINAL_UNITS,
                                          ORDINALS, PARTS, PARTS_OF, PLURAL_SCALES, SCALES, SIGNS, TEENS, TENS, UNITS,
                                          ZEROS, words_for_numbers)

_BELOW_HUNDRED = {
    **{w: (v, False, 10) for w, v in UNITS.items()}, **{w: (v, True, 10) for w, v in ORDINAL_UNITS.items()},
    **{w: (v, False, 100) for w, v in (TEENS | TENS).items()},
    **{w: (v, True, 100) for w, v in (ORDINAL_TEENS | ORDINAL_TENS).items()},
}
"""(value, ordinal, what the number so far must be a multiple of for the word to join it)."""
_PAUSE_WORDS = frozenset({"please", "thanks", "thank", "i", "exactly", "roughly", "about", "or", "so", "then"})
"""Words after "a third" that leave it a fraction, as the end of the turn does ("a third child" is an ordinal)."""
_WRITTEN = re.compile(r"^[$£€¥₩]?(-)?[$£€¥₩]?(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?(st|nd|rd|th)?$")
_SLASHED = re.compile(r"^(-)?(\d+)/(\d+)$")

@dataclass(frozen=True)
class SpokenNumber:
    """A number found in an utterance: its value, the words it spans [start, end), and how it was said."""

    value: Decimal
    start: int
    end: int
    fraction: bool = False
    """A decimal part was said ("three point five", "3.50"): the value is a quantity, not a count."""
    ordinal: bool = False
    unsure: bool = False
    """Words that say a number in more ways than one: `value` is NaN (see `spoken_numbers`)."""


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
        self.parts = any(word in PARTS or "/" in word for word in words)  # else no fraction is looked for

    def at(self, index: int) -> str:
        return self.words[index] if index < len(self.words) else ""

    def read(self, start: int) -> SpokenNumber | Unsure | None:
        index, negative = start, False
        if self.at(index) in SIGNS or self.at(index) == "-" and not (index and _is_numeric(self.at(index - 1))):
            negative, index = True, index + 1
        found = self._group(index) or self._fraction(index, alone=True) or self._written(index) or self._spoken(index)
        if found is None or isinstance(found, Unsure):
            return found
        value, end, fraction, ordinal = found
        if not ordinal and not fraction:
            value, end = self._and_the_rest(value, end)
            value, end = self._lower_places(index, value, end)
        if not ordinal and self.at(end) in DOZENS:  # "two dozen", "3 dozens"
            value, end = value * 12, end + 1
        if not ordinal and self.at(end) == "and":  # "three and a half", "one million and a half", "twenty and 3/5"
            part = self._fraction(end + 1, scaled=False)
            if part is not None and not isinstance(part, Unsure):
                place = _scale_of(self.words[end - 1])
                after, end = self._scaled(part[1])
                if place > 100:  # "one million and a half": of the million; "a billion and a half million"
                    value += part[0] * (after if after > 1 else place)
                else:  # "one and a half million", "three and a half"
                    value = (value + part[0]) * after
                fraction = value != value.to_integral_value()
        if not ordinal and self.at(end) == "over":  # "one over three", "2000 over 3"
            below = self._written(end + 1) or self._spoken(end + 1)
            if below is not None and below[0] and not below[3]:
                value, end, fraction = value / below[0], below[1], True
        return SpokenNumber(-value if negative else value, start, end, fraction, ordinal)

    def _fraction(self, index: int, scaled: bool = True, alone: bool = False
                  ) -> tuple[Decimal, int, bool, bool] | Unsure | None:
        """A fraction said with an ordinal ("two thirds", "a fifth", "three twenty firsts", "a hundredth"), with
        half or quarter ("a half", "three quarters", "half"), or written ("3/4", "2 1/4"); a scale after it
        multiplies it ("half a million"). Where the words split into a numerator and a denominator in more ways
        than one ("one hundred thirty fifths": 130/5 or 100/35) it is Unsure. Said `alone` (not after "two and"), one
        part before a noun is an ordinal: "a third child"."""
        if not self.parts:
            return None
        slashed = _SLASHED.match(self.at(index))
        if slashed and int(slashed[3]):
            value = Decimal(int(slashed[2])) / int(slashed[3])
            return (-value if slashed[1] else value), index + 1, True, False
        last = index
        while self.at(last) not in PARTS and (_is_numeric(self.at(last)) or last == index and self.at(last) == "a"):
            last += 1
        if self.at(last) not in PARTS or self.at(last) in ORDINALS and last == index:
            return None
        if last == index:  # "half" said alone, not "half past"; "quarter" only before a scale ("quarter million")
            if self.at(index) != "half" and not (self.at(index) == "quarter" and self._scaled(index + 1)[0] > 1) \
                    or self.at(index + 1) == "past":
                return None
            splits = [(Decimal(1), Decimal(PARTS_OF[self.at(index)]))]
        else:
            splits = self._splits(index, last)
        after = self.at(last + 1)
        if alone and splits and splits[0][0] == 1 and self.at(last) in ORDINALS and self._scaled(last + 1)[0] == 1 \
                and after and after not in ("of", "and", *_PAUSE_WORDS):
            return None  # "a third child", "one fifth street": an ordinal, or no number at all
        if not splits:
            return None
        if len(splits) > 1:
            return Unsure(last + 1)
        value, end = splits[0][0] / splits[0][1], last + 1
        if scaled:  # "half a million", "a quarter million", "a quarter of a million"
            scale, end = self._scaled(end)
            value *= scale
        return value, end, value != value.to_integral_value(), False

    def _scaled(self, index: int) -> tuple[int, int]:
        """The scale a fraction ending before `index` is of ("million", "a million", "of a million"), and where
        it ends; 1 when none."""
        for lead in ([], ["a"], ["of", "a"]):
            at = index + len(lead)
            if self.words[index:at] == lead and _scale_of(self.at(at)) > 1 and self.at(at) not in PLURAL_SCALES:
                return _scale_of(self.at(at)), at + 1  # "half a million", "half a hundred"
        return 1, index

    def _splits(self, index: int, last: int) -> list[tuple[Decimal, Decimal]]:
        """Each way words[index:last + 1] read as a numerator then a denominator (a count, then an ordinal that
        ends in a plural unless the count is one). A lone scale ordinal takes the whole count: "ninety five
        hundredths" is 0.95, not 90/500."""
        plural = self.at(last).endswith("s") and self.at(last) not in ORDINALS
        found = []
        for cut in range(index + 1, last + 1):
            if cut < last and self.at(cut) in ("hundred", *SCALES):
                continue  # no denominator starts at a bare scale ("one / hundred fifths")
            count = Decimal(1) if cut == index + 1 and self.at(index) == "a" else _Reader(self.words[index:cut]).whole()
            parts = _Reader([*self.words[cut:last], _singular(self.at(last))]).whole(ordinal=True)
            if count is None or parts is None or parts < 3 and self.at(last) not in ("half", "halves"):
                continue
            if plural or count == 1 and (cut > index + 1 or self.at(index) == "a" or not self._an_ordinal(index, last)):
                found.append((count, parts))  # but "one hundredth" is the ordinal, as "the one hundredth caller"
        if self.at(last).removesuffix("s") in ORDINAL_SCALES:
            return found[-1:]
        if found and plural and last > index and self._an_ordinal(index, last):
            found.append(found[0])  # "thirty fifths": 30/5, or thirty-fifths said without how many
        return found

    def _an_ordinal(self, index: int, last: int) -> bool:
        """Whether words[index:last + 1] are one ordinal, the last maybe in the plural ("thirty fifths")."""
        return _Reader([*self.words[index:last], _singular(self.at(last))]).whole(ordinal=True) is not None

    def whole(self, ordinal: bool = False) -> Decimal | None:
        """The value when all the words are one number (a count, or an ordinal when `ordinal`), else None."""
        if len(self.words) == 1 and self.words[0] in PARTS_OF:
            return Decimal(PARTS_OF[self.words[0]]) if ordinal else None
        found = self._written(0) or self._spoken(0)
        if found is None or found[1] != len(self.words) or found[3] != ordinal or found[2]:
            return None
        return found[0]

    def _lower_places(self, index: int, value: Decimal, end: int) -> tuple[Decimal, int]:
        """Digits and words mixed: what is said right after a scale, below it, is part of the number ("4
        thousand 3 hundred and 21" is 4321)."""
        while (place := _scale_of(self.words[end - 1])) > 1 and end > index:
            rest = self._written(end) or self._spoken(end)
            if rest is None or rest[2] or rest[3] or not 0 < rest[0] < place \
                    or not any(any(c.isdigit() for c in w) for w in self.words[index:rest[1]]):
                break
            value, end = self._and_the_rest(value + rest[0], rest[1])
        return value, end

    def _and_the_rest(self, value: Decimal, end: int) -> tuple[Decimal, int]:
        """A round number and what is said after "and" below its last place are one number, however each is
        written: "100 and 20" is 120, "one hundred and 5" 105, "2000 and twenty six" 2026 ("100 and 200" is two)."""
        if self.at(end) != "and" or value < 100 or value % 100 or self._fraction(end + 1) is not None:
            return value, end  # "two million and one half" is 2.5 million
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
        if len(self.at(index)) == 1:  # digits written one by one, as said: "4 5 6 7" is 4567
            digits = self.at(index)
            while len(self.at(end)) == 1 and self.at(end).isdigit():
                digits, end = digits + self.at(end), end + 1
            value = Decimal(digits)
        groups = 0
        while len(self.at(end + groups)) == 3 and self.at(end + groups).isdigit():
            groups += 1
        if (groups >= 2 or groups and self.at(end)[0] == "0") and re.fullmatch(r"-?\d{1,3}", self.at(index)):
            # "1 234 567", "1 000": thousands set apart (one group, "2 100", may be two numbers)
            value = Decimal(self.at(index) + "".join(self.words[end:end + groups]))
            end += groups
        if not match[3] and not match[4] and self.at(end) == "point":  # "1 point 1"
            digits, after = self._decimals(end + 1)
            if after > end + 1:
                value, end = Decimal(f"{value}.{digits}"), after
        hundred = self.at(end) in ("hundred", "hundreds")
        if hundred and not match[4] and 0 < value < 1000 and value == value.to_integral_value():  # "5 hundred"
            value, end = value * 100, end + 1
        if _scale_of(self.at(end)) > 100 and not match[4]:
            value, end = value * _scale_of(self.at(end)), end + 1
        slashed = _SLASHED.match(self.at(end))
        if slashed and not match[3] and not match[4] and 0 < int(slashed[2]) < int(slashed[3]):  # "2 1/4"
            value, end = value + Decimal(int(slashed[2])) / int(slashed[3]), end + 1
        return value, end, value != value.to_integral_value(), bool(match[4])

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
            elif word.isdigit() and not digits:  # "point 77"
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
            elif word in SCALES or word in ORDINAL_SCALES or word in PLURAL_SCALES and seen:
                scale = SCALES.get(word) or ORDINAL_SCALES.get(word) or PLURAL_SCALES[word]
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
        return (word in UNITS or word in TEENS or word in TENS or word in ORDINAL_UNITS or word in ORDINAL_TEENS
                or word in ORDINAL_TENS) and (current == 0 or current % 100 == 0) and self._fraction(index) is None

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


@dataclass(frozen=True)
class Unsure:
    """Words that say a number in more ways than one ("one hundred thirty fifths"), up to `end`: no value."""

    end: int


def _is_numeric(word: str) -> bool:
    """Whether a word can be part of a number said or written (not "and", not an ordinal)."""
    return (word in UNITS or word in TEENS or word in TENS or word in ("hundred", *SCALES)
            or any(c.isdigit() for c in word))


def _scale_of(word: str) -> int:
    """The place a number's last word puts it at: 1000 for "thousand" or "thousands", 100 for "hundred", else 1."""
    return {"hundred": 100, **SCALES}.get(word) or PLURAL_SCALES.get(word) or 1


def _singular(word: str) -> str:
    return "half" if word == "halves" else word if word in ORDINALS or word in ("half", "quarter") else word[:-1]


def spoken_numbers(utterance: str, *, unsure: bool = False, words: list[str] | None = None) -> list[SpokenNumber]:
    """Every number said in `utterance`, in order; with `unsure`, an `Unsure` (as a number with no value) where
    words say a number in more ways than one, else those words are skipped. `words`: the utterance's
    `words_for_numbers`, when the caller has them already."""
    words = words_for_numbers(utterance) if words is None else words
    reader = _Reader(words)
    found: list[SpokenNumber] = []
    index = 0
    while index < len(words):
        number = reader.read(index)
        if number is None:
            index += 1
            continue
        earlier = found[-1] if found else None
        if isinstance(number, Unsure):
            if unsure:
                found.append(SpokenNumber(Decimal("NaN"), index, number.end, unsure=True))
        elif earlier is not None and not earlier.unsure and number.start > earlier.end \
                and all(w in FILLER for w in words[earlier.end:number.start]):
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
