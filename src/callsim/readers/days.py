"""Days as people say them: "tomorrow", "next tuesday", "december third", "the fifth of january
nineteen ninety eight", "november seventeenth oh five", "12/03", "the 14th", "in two weeks".

`said_day` finds the day an utterance names without dateparser. What the caller leaves out is
filled by the variable's `direction`:

- a two-digit year ("oh five", "ninety eight"): `past` takes the latest such year up to this one
  (a date of birth), `future` the first from this one on, `nearest` (the default) the closer;
- a day without a year, a day of the month: `past` the latest up to today, `nearest` the closer
  of the last and the next, `future` and the default the next from today on; a weekday is never
  today ("monday" said on a Monday is next week's, or last week's looking back).
- "next <weekday>" is that day of next week (weeks start on Monday), whatever the direction: said on
  a Monday, "next tuesday" is eight days away and "next friday" eleven, while "this tuesday",
  "coming tuesday" and "tuesday" are tomorrow; said on a Thursday, "next tuesday" is five days away
  (the coming Tuesday is already next week's). dateparser and Duckling read "next tuesday" as the
  coming one, but a caller who means tomorrow says "tomorrow" or "tuesday": "next" contrasts with
  "this", and the week is what it counts. "last <weekday>" is the latest one before today.

A year alone, a month of a year or a decade names no day: `said_day` says so (a `SaidDay` without a day), so that
no reader guesses one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from callsim.readers.holidays import holiday_at, holiday_in, nth_weekday
from callsim.readers.quantities import ORDINAL_TENS, ORDINAL_TEENS, ORDINAL_UNITS, TEENS, TENS, UNITS

DIRECTIONS = ("past", "future", "nearest")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH_WORDS = {**{m: i + 1 for i, m in enumerate(MONTHS)}, **{m[:3]: i + 1 for i, m in enumerate(MONTHS)},
                "sept": 9}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_WORDS = {**{d: i for i, d in enumerate(WEEKDAYS)}, "tues": 1, "weds": 2, "thurs": 3, "thur": 3, "mon": 0,
                  "tue": 1, "thu": 3, "fri": 4}
_WEEKDAY_WORDS_WITH_A_DATE = {"wed": 2, "sat": 5, "sun": 6}
"""Short weekday names that are words too ("I sat down", "the sun"): a weekday only before its date ("sun 14th")."""
_NUMERIC = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$|^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_ORDINAL_DIGITS = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
_UNITS_OF_TIME = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "fortnights": 14}
_MONTHS_OF_TIME = {"month": 1, "months": 1, "year": 12, "years": 12}
_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
        "5th": 5, "last": -1}
COUNTED_THINGS = frozenset(
    "one ones time times floor street avenue road lane century centuries grade place anniversary birthday row round "
    "inning option choice item attempt try person caller house door quarter half period hour minute week month "
    "year season episode chapter edition generation amendment".split())
"""Words after "the <ordinal>" that make it the nth of something else, not a day of the month."""
_ANY_DAY = -1
"""The weekday `_nth_weekday` counts when "day" is said: any."""
_WEEK_SHIFT = {"this": 0, "next": 1, "following": 1, "last": -1, "previous": -1, "past": -1}


@dataclass(frozen=True)
class Year:
    value: int
    two_digits: bool


@dataclass(frozen=True)
class SaidDay:
    """A day an utterance names, resolved against today, with the words it spans."""

    day: dt.date | None
    """None when the words name no day (a year, a month of a year, a decade)."""
    start: int
    end: int
    relative: bool = False
    """Said relative to today ("today", "tomorrow", "in two weeks"), not by its name or number."""
    day_of_month: bool = False
    """Said as a day of the month alone ("the 14th"): a later occurrence is the same words."""
    weekday: bool = False
    year_said: bool | None = None
    """Whether a day of a month was said with its year (None: not a day of a month said by name or number)."""




def day_words(utterance: str) -> list[str]:
    """Lowercase words without sentence punctuation; "12/03", "3rd" and "'98" stay whole."""
    text = utterance.lower().replace("\u2019", "'")
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"[,!?;:\"()]|\.(?=\s|$)", " ", text)
    return [w.rstrip(".") if not re.match(r"^\d", w) else w for w in text.split()]


class _Reader:
    def __init__(self, words: list[str], today: dt.date, direction: str | None, region: str) -> None:
        self.words, self.today, self.direction, self.region = words, today, direction, region

    def at(self, index: int) -> str:
        return self.words[index] if 0 <= index < len(self.words) else ""

    # -- numbers ---------------------------------------------------------------------------------

    def day_number(self, index: int) -> tuple[int, int, bool] | None:
        """A day of the month at index: (day, next index, said as an ordinal)."""
        word = self.at(index)
        match = _ORDINAL_DIGITS.match(word)
        if match:
            return int(match[1]), index + 1, True
        if word.isdigit() and len(word) <= 2:
            return int(word), index + 1, False
        if word in ("twenty", "thirty"):
            nxt = self.at(index + 1)
            if nxt in ORDINAL_UNITS and nxt != "zeroth":
                return TENS[word] + ORDINAL_UNITS[nxt], index + 2, True
            if nxt in UNITS and nxt != "zero":
                return TENS[word] + UNITS[nxt], index + 2, False
        for table, ordinal in ((ORDINAL_UNITS, True), (ORDINAL_TEENS, True), (ORDINAL_TENS, True), (UNITS, False),
                               (TEENS, False), (TENS, False)):
            if word in table and word not in ("zero", "zeroth"):
                value = table[word]
                return (value, index + 1, ordinal) if 1 <= value <= 31 else None
        return None

    def two_digits(self, index: int) -> tuple[int, int] | None:
        word = self.at(index)
        if word in ("oh", "o", "zero") and self.at(index + 1) in UNITS:
            return UNITS[self.at(index + 1)], index + 2
        if word in TEENS:
            return TEENS[word], index + 1
        if word in TENS:
            if self.at(index + 1) in UNITS and self.at(index + 1) != "zero":
                return TENS[word] + UNITS[self.at(index + 1)], index + 2
            return TENS[word], index + 1
        return None

    def year(self, index: int) -> tuple[Year, int] | None:
        word = self.at(index)
        if re.fullmatch(r"'?\d{2}", word):
            return Year(int(word.lstrip("'")), True), index + 1
        if re.fullmatch(r"\d{4}", word):
            return Year(int(word), False), index + 1
        if word in ("two", "one") and self.at(index + 1) == "thousand":
            base, end = (2000 if word == "two" else 1000), index + 2
            end += self.at(end) == "and"
            rest = self.two_digits(end) or ((UNITS[self.at(end)], end + 1) if self.at(end) in UNITS else None)
            if rest is not None:
                return Year(base + rest[0], False), rest[1]
            return Year(base, False), index + 2
        if word in TEENS or word == "twenty":
            century = TEENS.get(word, 20)
            if self.at(index + 1) == "hundred":
                # "nineteen hundred", "nineteen hundred ninety three", "seventeen hundred and thirty three"
                after = index + 2 + (self.at(index + 2) == "and")
                rest = self.two_digits(after) or ((UNITS[self.at(after)], after + 1) if self.at(after) in UNITS
                                                  and self.at(after) != "zero" else None)
                if rest is not None:
                    return Year(century * 100 + rest[0], False), rest[1]
                return Year(century * 100, False), index + 2
            rest = self.two_digits(index + 1)
            if rest is not None and (rest[0] >= 10 or self.at(index + 1) in ("oh", "o", "zero")):
                return Year(century * 100 + rest[0], False), rest[1]
        rest = self.two_digits(index)
        if rest is not None:
            return Year(rest[0], True), rest[1]
        return None

    # -- days --------------------------------------------------------------------------------------

    def read(self, index: int) -> SaidDay | None:
        found = (self._relative(index) or self._holiday(index) or self._nth_weekday(index) or self._weeks_weekday(index)
                 or self._weekday(index))
        if found is not None:
            return found
        dated = self._month_first(index) or self._day_first(index) or self._numeric(index)
        if dated is not None and dated.day is not None and self._weekday_at(dated.end) is not None:
            # "jul 18, fri": the weekday after its date is the caller's check, as before it
            weekday = self._weekday_at(dated.end)
            assert weekday is not None
            checked = self._on_weekday(dated, weekday, dated.start)
            return SaidDay(checked.day, dated.start, dated.end + 1, day_of_month=checked.day_of_month)
        return dated or self._in_a_while(index) or self._week_alone(index)

    def _week_alone(self, index: int) -> SaidDay | None:
        """ "next week", "this week", "sometime next week": a week names no day (as "next month" does not), so
        that no reader guesses its Monday; "wednesday next week" is read before this."""
        if _WEEK_SHIFT.get(self.at(index)) is None or self.at(index + 1) != "week":
            return None
        if self._weekday_at(index + 2 + (self.at(index + 2) == "on")) is not None:
            return None
        return SaidDay(None, index, index + 2)

    def _holiday(self, index: int) -> SaidDay | None:
        """ "christmas", "next thanksgiving", "last easter", "easter sunday two thousand ten", "halloween of next
        year", "the fourth of july" is a date (see `holidays`)."""
        start, modifier = index, None
        if self.at(index) in ("next", "this", "coming", "last", "past", "on"):
            modifier, index = self.at(index), index + 1
        found = holiday_at(self.words, index)
        if found is None:
            return None
        name, end = found
        while_ = self._in_a_while(end)
        if while_ is not None and while_.day is not None:  # "thanksgiving in a year": that year's
            return SaidDay(holiday_in(name, while_.day.year), start, while_.end)
        year = self.year(end + (self.at(end) == "in")) if self.at(end) not in ("in", "of") or \
            re.fullmatch(r"\d{4}", self.at(end + 1)) else None
        if year is not None and not year[0].two_digits:
            return SaidDay(holiday_in(name, year[0].value), start, year[1])
        shift = _WEEK_SHIFT.get(self.at(end + 1)) if self.at(end) in ("of", "in") and self.at(end + 2) == "year" \
            else None
        if shift is not None:
            return SaidDay(holiday_in(name, self.today.year + shift), start, end + 3)
        this = holiday_in(name, self.today.year)
        previous = this if this < self.today else holiday_in(name, self.today.year - 1)
        following = this if this >= self.today else holiday_in(name, self.today.year + 1)
        if modifier in ("last", "past"):
            return SaidDay(previous, start, end)
        if modifier in ("next", "coming", "this"):
            return SaidDay(following, start, end)
        return SaidDay(self._pick(previous, following), start, end)

    def _weekday_at(self, index: int) -> int | None:
        word = self.at(index).removesuffix("'s")
        return _WEEKDAY_WORDS.get(word.removesuffix("s") if word.endswith("days") else word)

    def _nth_weekday(self, index: int) -> SaidDay | None:
        """ "the first monday of march", "last friday in october 2015", "the second tuesday of next month"."""
        start = index + (self.at(index) == "the")
        nth = _NTH.get(self.at(start))
        weekday = self._weekday_at(start + 1)
        if nth is not None and self.at(start + 1) == "day" and nth in (1, -1) and self.at(start + 2) in ("of", "in"):
            weekday = _ANY_DAY  # "the last day of october 2015", "the first day of next month"
        if nth is None or weekday is None or self.at(start + 2) not in ("of", "in"):
            return None
        at = start + 3 + (self.at(start + 3) == "the")
        month = _MONTH_WORDS.get(self.at(at))
        if month is not None:
            year = self.year(at + 1)
            if year is not None and not year[0].two_digits:
                return SaidDay(_nth_day(year[0].value, month, weekday, nth), index, year[1])
            this = _nth_day(self.today.year, month, weekday, nth)
            if this >= self.today:
                previous, following = _nth_day(self.today.year - 1, month, weekday, nth), this
            else:
                previous, following = this, _nth_day(self.today.year + 1, month, weekday, nth)
            return SaidDay(self._pick(previous, following), index, at + 1)
        shift = {"this": 0, "next": 1, "following": 1, "last": -1, "previous": -1}.get(self.at(at), 0)
        end = at + (self.at(at) in ("this", "next", "following", "last", "previous"))
        if self.at(end) != "month" or (self.at(at) == "month" and at == end and self.at(at - 1) != "the"):
            return None
        first = _months_on(self.today.replace(day=1), shift)
        return SaidDay(_nth_day(first.year, first.month, weekday, nth), index, end + 1)

    def _weeks_weekday(self, index: int) -> SaidDay | None:
        """A weekday of a week said: "wednesday next week", "next week's friday", "monday of this week",
        "sunday from last week", "friday after next", "two sundays from now"."""
        start = index
        count = self._count(index)
        if count is not None and self._weekday_at(index + 1) is not None and self.at(index + 1).endswith("s") \
                and self.words[index + 2:index + 4] in (["from", "now"], ["from", "today"]):
            weekday = self._weekday_at(index + 1)
            assert weekday is not None
            ahead = (weekday - self.today.weekday()) % 7 or 7
            return SaidDay(self.today + dt.timedelta(days=ahead + 7 * (count - 1)), start, index + 4, relative=True)
        week = _WEEK_SHIFT.get(self.at(index))
        if week is not None and self.at(index + 1) in ("week", "week's"):
            weekday = self._weekday_at(index + 2 + (self.at(index + 2) == "on"))
            if weekday is None:
                return None
            return SaidDay(self._in_week(week, weekday), start, index + 3 + (self.at(index + 2) == "on"),
                           weekday=True)
        weekday = self._weekday_at(index)
        if weekday is None:
            return None
        at = index + 1
        if self.words[at:at + 2] == ["after", "next"]:
            ahead = (weekday - self.today.weekday()) % 7 or 7
            return SaidDay(self.today + dt.timedelta(days=ahead + 7), start, at + 2, weekday=True)
        if self.at(at) in ("after", "before") and (said := self.read(at + 1)) is not None and said.day is not None:
            # "the monday after thanksgiving", "the friday before christmas"
            step = 1 if self.at(at) == "after" else -1
            day = said.day + dt.timedelta(days=step)
            while day.weekday() != weekday:
                day += dt.timedelta(days=step)
            return SaidDay(day, start, said.end)
        at += self.at(at) in ("of", "from", "in", "on")
        at += self.at(at) == "the"
        week = _WEEK_SHIFT.get(self.at(at))
        if week is None or self.at(at + 1) != "week":
            return None
        return SaidDay(self._in_week(week, weekday), start, at + 2, weekday=True)

    def _in_week(self, week: int, weekday: int) -> dt.date:
        """That weekday of this week (0), next week (1) or last week (-1); weeks start on Monday."""
        monday = self.today - dt.timedelta(days=self.today.weekday())
        return monday + dt.timedelta(days=7 * week + weekday)

    def _count(self, index: int) -> int | None:
        word = self.at(index)
        if word in ("a", "an", "one"):
            return 1
        if word.isdigit():
            return int(word)
        return UNITS.get(word, TEENS.get(word))

    def _relative(self, index: int) -> SaidDay | None:
        word, shift = self.at(index), None
        if word in ("today", "tonight") or (word == "this" and self.at(index + 1) in ("morning", "afternoon",
                                                                                       "evening")):
            shift, end = 0, index + 1
        elif word == "tomorrow":
            shift, end = 1, index + 1
        elif word == "yesterday":
            shift, end = -1, index + 1
        elif word == "the" and self.at(index + 1) == "day" and self.at(index + 2) in ("after", "before"):
            later = self.at(index + 2) == "after"
            if self.at(index + 3) == ("tomorrow" if later else "yesterday"):
                shift, end = (2 if later else -2), index + 4
            elif (said := self.read(index + 3)) is not None and said.day is not None:  # "the day after christmas"
                return SaidDay(said.day + dt.timedelta(days=1 if later else -1), index, said.end, relative=True)
        if shift is None:
            return None
        return SaidDay(self.today + dt.timedelta(days=shift), index, end, relative=True)

    def _weekday(self, index: int) -> SaidDay | None:
        start, word, modifier = index, self.at(index), None
        if word in ("this", "next", "coming", "last", "past", "on"):
            modifier, index = word, index + 1
            if self.at(index) == "coming":
                index += 1
        name = self.at(index).removesuffix("s") if self.at(index).endswith("days") else self.at(index)
        if name not in _WEEKDAY_WORDS and name not in _WEEKDAY_WORDS_WITH_A_DATE:
            return None
        dated = self._day_first(index + 1) or self._month_first(index + 1) or self._numeric(index + 1) \
            or self._day_alone(index + 1)
        if dated is not None and dated.day is not None:
            # "thursday the third", "sunday, feb 10": the date says which; the weekday is the caller's check
            return self._on_weekday(dated, _WEEKDAY_WORDS.get(name, _WEEKDAY_WORDS_WITH_A_DATE.get(name, 0)), start)
        if name not in _WEEKDAY_WORDS:
            return None
        # A weekday is never today: said on a Monday, "monday" is next week's (or, looking back, last week's).
        ahead = (_WEEKDAY_WORDS[name] - self.today.weekday()) % 7 or 7
        back = (self.today.weekday() - _WEEKDAY_WORDS[name]) % 7 or 7
        following, previous = self.today + dt.timedelta(days=ahead), self.today - dt.timedelta(days=back)
        if modifier == "next" and following.weekday() > self.today.weekday():
            # "next tuesday" said on a Monday is next week's: "this tuesday", "tuesday" or "tomorrow" is the
            # coming one, so a caller who says "next" means the one after it (see the module docstring)
            day = following + dt.timedelta(days=7)
        elif modifier in ("next", "coming", "this"):
            day = following
        elif modifier in ("last", "past"):
            day = previous
        else:
            day = self._pick(previous, following)
        return SaidDay(day, start, index + 1, weekday=True)

    def _day_alone(self, index: int) -> SaidDay | None:
        """A day of the month said right after a weekday without "the": "monday 21", "mon 13th" (a number that
        could be an hour, "monday 3", is no day)."""
        said = self.day_number(index)
        if said is None or (not said[2] and said[0] <= 12) or not re.fullmatch(r"\d+(st|nd|rd|th)?", self.at(index)):
            return None
        if self.at(said[1]) in ("am", "pm", "a.m", "p.m", "o'clock", "hours", "hundred"):
            return None
        return SaidDay(self._next_day_of_month(said[0]), index, said[1], day_of_month=True)

    def _on_weekday(self, dated: SaidDay, weekday: int, start: int) -> SaidDay:
        """The day said with its weekday: for a day of the month, the next one that is that weekday; for a day of
        a month without a year, the last or the next two occurrences that is that weekday ("sunday, feb 10" said
        on February 12th, 2013 is that Sunday two days before), else the day as said (the date wins)."""
        assert dated.day is not None
        if not dated.day_of_month and dated.year_said is False and dated.day.weekday() != weekday:
            previous = dated.day if dated.day <= self.today else _year_earlier(dated.day)
            following = dated.day if dated.day >= self.today else _year_later(dated.day)
            for other in (previous, following, _year_later(following)):
                if other.weekday() == weekday:
                    return SaidDay(other, start, dated.end)
        if dated.day_of_month and dated.day.weekday() != weekday:
            later = dated.day
            for _ in range(24):
                year, month = (later.year + 1, 1) if later.month == 12 else (later.year, later.month + 1)
                try:
                    later = dt.date(year, month, dated.day.day)
                except ValueError:
                    later = dt.date(year, month, 1)
                    continue
                if later.weekday() == weekday:
                    return SaidDay(later, start, dated.end, day_of_month=True)
        return SaidDay(dated.day, start, dated.end, day_of_month=dated.day_of_month)

    def _month_first(self, index: int) -> SaidDay | None:
        """ "december third", "dec 3rd 2026", "december the third", "july fifteen oh six" (a year)."""
        start = index
        if self.at(index) in ("on",):
            index += 1
        month = _MONTH_WORDS.get(self.at(index))
        if month is None or (self.at(index) == "may" and not self._looks_like_day(index + 1)):
            return None
        index += 1
        if self.at(index) == "the":
            index += 1
        said = self.day_number(index) if self.at(index + 1) not in ("thousand", "hundred") else None
        if said is None:
            year = self.year(index)
            return SaidDay(None, start, year[1]) if year is not None and not year[0].two_digits else None
        day, index, ordinal = said
        return self._dated(start, index, month, day, ordinal)

    def _day_first(self, index: int) -> SaidDay | None:
        """ "the third of december", "25 july 2012", "the 26th may", "the fifth", "the 23rd of next month"."""
        start = index
        if self.at(index) == "on":
            index += 1
        the = self.at(index) == "the"
        index += the
        said = self.day_number(index)
        if said is None:
            return None
        day, index, ordinal = said
        if not ordinal and not the and not self.at(index) in _MONTH_WORDS:
            return None
        if ordinal and self.words[index:index + 2] == ["day", "of"]:  # "the 15th day of next month"
            index += 1
        elif self.at(index) in ("day", "days"):
            return None  # "the fourth day of the trip", "the third day": a day counted, not a date
        of = self.at(index) == "of"
        month = _MONTH_WORDS.get(self.at(index + of))
        if month is not None:
            return self._dated(start, index + of + 1, month, day, ordinal=True)
        the_month = index + of + (of and self.at(index + 1) == "the")
        shift = {"this": 0, "next": 1, "following": 1, "last": -1, "previous": -1}.get(self.at(the_month))
        if self.at(index - 1) == "day" and month is None and (shift is None or self.at(the_month + 1) != "month"):
            return None  # "the fourth day of the trip"
        if of and shift is not None and self.at(the_month + 1) == "month":
            first = _months_on(self.today.replace(day=1), shift)
            try:
                return SaidDay(first.replace(day=day), start, the_month + 2)
            except ValueError:
                return SaidDay(None, start, the_month + 2)
        if not ordinal or not the or self.at(index) in COUNTED_THINGS or self._weekday_at(index) is not None:
            return None  # "the fourth one" is an offer, "the nineteenth century" no day
        found = self._next_day_of_month(day)
        return SaidDay(found, start, index, day_of_month=True)

    def _numeric(self, index: int) -> SaidDay | None:
        match = _NUMERIC.match(self.at(index))
        if match is None:
            return None
        groups = match.groups()
        first, second, third = groups[:3] if groups[0] else groups[3:]
        if len(first) == 4:
            return self._made(index, index + 1, int(second), int(third or 0), Year(int(first), False)) \
                if third else None
        month, day = (int(first), int(second)) if self.region == "US" else (int(second), int(first))
        if month > 12 >= day:
            month, day = day, month  # 15-01-2020 can only be the 15th of January
        year = Year(int(third), len(third) == 2) if third else None
        if year is None:
            return self._dated_numbers(index, index + 1, month, day)
        return self._made(index, index + 1, month, day, year)

    def _in_a_while(self, index: int) -> SaidDay | None:
        """ "in two weeks", "in 3 days", "a week from today", "two days from now", "three months ago", "in two
        years", "two weeks from january 15", "three days after christmas", "a week before next friday"."""
        start = index
        if self.at(index) == "in":
            index += 1
        count = self._count(index)
        unit = self.at(index + 1).removesuffix("'s")  # "in a fortnight's time"
        if count is None or (unit not in _UNITS_OF_TIME and unit not in _MONTHS_OF_TIME):
            return None
        end = index + 2
        sign, base = 1, None
        if self.at(start) == "in":
            base = self.today
            end += self.at(end) == "time"
        elif self.at(end) in ("ago", "back") or self.words[end:end + 2] == ["before", "today"]:
            sign, base, end = -1, self.today, end + 1 + (self.at(end) == "before")
        elif self.at(end) in ("hence", "later") or self.words[end:end + 2] in (["from", "now"], ["from", "today"]):
            base, end = self.today, end + 1 + (self.at(end) == "from")
        elif self.at(end) in ("from", "after", "before"):
            said = self.read(end + 1)
            if said is None or said.day is None:
                return None
            sign, base, end = (-1 if self.at(end) == "before" else 1), said.day, said.end
        if base is None:
            return None
        if unit in _MONTHS_OF_TIME:
            return SaidDay(_months_on(base, sign * count * _MONTHS_OF_TIME[unit]), start, end, relative=True)
        return SaidDay(base + dt.timedelta(days=sign * count * _UNITS_OF_TIME[unit]), start, end, relative=True)

    def no_day(self, index: int) -> SaidDay | None:
        """A year or a decade alone: "nineteen ninety four", "twenty twelve", "the nineteen eighties"."""
        year = self.year(index)
        if year is None or year[0].two_digits or self.at(index - 1) in ("at", "around", "by"):
            return None
        return SaidDay(None, index, year[1])

    def _looks_like_day(self, index: int) -> bool:
        return self.day_number(index + (self.at(index) == "the")) is not None

    # -- resolving ----------------------------------------------------------------------------------

    def _dated(self, start: int, index: int, month: int, day: int, ordinal: bool) -> SaidDay:
        """A month and a day, then maybe a year ("the twenty fifth of july twenty twelve")."""
        if self.at(index) == "of" or self.at(index) == "in":
            index += 1
        year = self.year(index)
        if year is not None:
            if not ordinal and year[0].two_digits and day >= 10:
                # "march sixteen sixty five", "july fifteen oh six": a month and a year (1665, 1506)
                return SaidDay(None, start, year[1])
            return self._made(start, year[1], month, day, year[0])
        return self._dated_numbers(start, index, month, day)

    def _dated_numbers(self, start: int, end: int, month: int, day: int) -> SaidDay:
        try:
            this_year = dt.date(self.today.year, month, day)
        except ValueError:
            if month == 2 and day == 29:
                leap = next(y for y in range(self.today.year, self.today.year + 8) if y % 4 == 0)
                return SaidDay(dt.date(leap, 2, 29), start, end, year_said=False)
            return SaidDay(None, start, end)
        previous = this_year if this_year <= self.today else _year_earlier(this_year)
        following = this_year if this_year >= self.today else _year_later(this_year)
        return SaidDay(self._pick(previous, following), start, end, year_said=False)

    def _made(self, start: int, end: int, month: int, day: int, year: Year) -> SaidDay:
        value = self._century(year.value) if year.two_digits else year.value
        try:
            return SaidDay(dt.date(value, month, day), start, end, year_said=True)
        except ValueError:
            return SaidDay(None, start, end)  # "february thirtieth": no such day

    def _century(self, two: int) -> int:
        this = self.today.year
        past = this - (this - two) % 100
        future = past if past >= this else past + 100
        if self.direction == "past":
            return past
        if self.direction == "future":
            return future
        return past if this - past <= future - this else future

    def _pick(self, previous: dt.date, following: dt.date) -> dt.date:
        if self.direction == "past":
            return previous
        if self.direction == "nearest":
            return previous if (self.today - previous) < (following - self.today) else following
        return following

    def _next_day_of_month(self, day: int) -> dt.date | None:
        year, month = self.today.year, self.today.month
        options = []
        for shift in range(-12, 13):
            y, m = year + (month - 1 + shift) // 12, (month - 1 + shift) % 12 + 1
            try:
                options.append(dt.date(y, m, day))
            except ValueError:
                continue
        previous = [d for d in options if d <= self.today]
        following = [d for d in options if d >= self.today]
        if not previous or not following:
            return None
        return self._pick(previous[-1], following[0])


def _year_earlier(day: dt.date) -> dt.date:
    """The same day a year before; the 29th of February the leap year before."""
    return _years_on(day, -1)


def _year_later(day: dt.date) -> dt.date:
    """The same day a year on; the 29th of February the next leap year's."""
    return _years_on(day, 1)


def _nth_day(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth weekday of a month, or with `_ANY_DAY` its first (1) or last (-1) day."""
    if weekday == _ANY_DAY:
        return dt.date(year, month, 1) if nth == 1 else _months_on(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return nth_weekday(year, month, weekday, nth)


def _years_on(day: dt.date, step: int) -> dt.date:
    year = day.year + step
    while True:
        try:
            return day.replace(year=year)
        except ValueError:  # the 29th of February
            year += step


def _months_on(day: dt.date, months: int) -> dt.date:
    """The day `months` later (or earlier), on the last day of a shorter month: a month after January 31st is
    the end of February."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def said_day(utterance: str, today: dt.date, direction: str | None = None, region: str = "US", *,
             years: bool = True) -> SaidDay | None:
    """The first day `utterance` names, else None; with `years`, words that name only a year or a
    decade ("nineteen ninety four") give a `SaidDay` without a day, so that no day is guessed."""
    words = day_words(utterance)
    reader = _Reader(words, today, direction, region)
    for read in (reader.read, reader.no_day) if years else (reader.read,):  # a day anywhere wins over a year
        for index in range(len(words)):
            found = read(index)
            if found is not None:
                return found
    return None
