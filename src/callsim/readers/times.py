"""Clock times as people say them: "ten thirty", "half past two", "ten to eleven pm", "quarter to three",
"fourteen hundred", "fourteen hours ten minutes and thirty seconds", "2pm", "10:30 a.m. EST".

`clock_times` finds them in an utterance without dateparser. A time said without AM or PM has two
readings; `choose` picks one by the context the agent gives its readers (`ReadContext.hours`: the
calendar's opening hours or the agent's business hours), else the time as said at its next occurrence.
A time said in another zone ("3 pm eastern", "eight o'clock g m t") is converted to the agent's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from callsim.readers.base import ReadContext, wall
from callsim.readers.quantities import ORDINAL_TEENS, ORDINAL_TENS, ORDINAL_UNITS, TEENS, TENS, UNITS

# An abbreviation is a fixed offset (3 pm EST in July is 4 pm on New York's clocks); a region's name
# follows its daylight saving time.
ZONES = {
    "est": "Etc/GMT+5", "edt": "Etc/GMT+4", "eastern": "America/New_York",
    "cst": "Etc/GMT+6", "cdt": "Etc/GMT+5", "central": "America/Chicago",
    "mst": "Etc/GMT+7", "mdt": "Etc/GMT+6", "mountain": "America/Denver",
    "pst": "Etc/GMT+8", "pdt": "Etc/GMT+7", "pacific": "America/Los_Angeles",
    "gmt": "UTC", "utc": "UTC", "bst": "Etc/GMT-1", "cet": "Etc/GMT-1", "cest": "Etc/GMT-2",
}  # fmt: skip
_MONTH_NAMES = frozenset("january february march april may june july august september october november december "
                         "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_MORNING = {"morning"}
_LATER = {"afternoon", "evening", "night", "tonight"}
_SPELLED = re.compile(r"\b([a-z])\.? ?([a-z])\.? ?([a-z])\b\.?")
_GLUED = re.compile(r"\b(\d{1,2}(?::\d\d){0,2})([ap])\.?m?\b\.?")
_MERIDIEM = re.compile(r"\b([ap])\.? ?m\b\.?")


@dataclass(frozen=True)
class ClockTime:
    """A time of day said in an utterance, before a day and a zone place it."""

    hour: int
    minute: int
    second: int | None
    meridiem: str | None
    """"am" or "pm" when said (or a part of the day: "in the morning"), else None."""
    zone: str | None
    """The IANA zone a time was said in ("est", "g m t"), else None (the agent's)."""
    start: int
    end: int

    def readings(self) -> list[dt.time]:
        """The times of day it can mean: one with AM/PM or on a 24-hour clock, else two (the morning one
        first, but noon before midnight)."""
        second = self.second or 0
        if self.meridiem is not None:
            hour = self.hour % 12 + (12 if self.meridiem == "pm" else 0)
            return [dt.time(hour, self.minute, second)]
        if self.hour == 0 or self.hour > 12:
            return [dt.time(self.hour % 24, self.minute, second)]
        if self.hour == 12:  # "twelve fifteen" is a quarter past noon more often than past midnight
            return [dt.time(12, self.minute, second), dt.time(0, self.minute, second)]
        return [dt.time(self.hour % 12, self.minute, second), dt.time(self.hour % 12 + 12, self.minute, second)]


def time_words(utterance: str) -> list[str]:
    """The words of an utterance with meridiems and spelled zones joined: "2 p.m. e s t" -> 2 pm est."""
    text = utterance.lower().replace("\u2019", "'").replace("o'clock", " oclock ").replace("o clock", "oclock")
    text = text.replace("o' clock", "oclock").replace("mid day", "midday")
    text = _GLUED.sub(r"\1 \2m", text)
    text = _MERIDIEM.sub(lambda m: f" {m[1]}m ", text)
    text = _SPELLED.sub(lambda m: m[1] + m[2] + m[3] if m[1] + m[2] + m[3] in ZONES else m[0], text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"[,!?;\"()]|\.(?=\s|$)", " ", text)
    return text.split()


class _Words:
    def __init__(self, words: list[str]) -> None:
        self.words = words

    def at(self, index: int) -> str:
        return self.words[index] if 0 <= index < len(self.words) else ""

    def small(self, index: int, most: int) -> tuple[int, int] | None:
        """A number from 0 to `most` said at index (words or digits): (value, next index)."""
        word = self.at(index)
        if word.isdigit() and len(word) <= 2:
            value = int(word)
            return (value, index + 1) if value <= most else None
        if word in TENS and self.at(index + 1) in UNITS and self.at(index + 1) != "zero":
            value = TENS[word] + UNITS[self.at(index + 1)]
            return (value, index + 2) if value <= most else None
        value = UNITS.get(word, TEENS.get(word, TENS.get(word)))
        if value is None or value > most:
            return None
        return value, index + 1

    def minutes(self, index: int) -> tuple[int, int] | None:
        """The minutes after an hour: "thirty", "oh five", "o six", "05", "fifty one"."""
        if self.at(index) in ("oh", "o", "zero") and self.at(index + 1) in UNITS:
            return UNITS[self.at(index + 1)], index + 2
        word = self.at(index)
        if word.isdigit() and len(word) == 2:
            return (int(word), index + 1) if int(word) < 60 else None
        found = self.small(index, 59)
        if found is None or found[0] < 10:
            return None
        return found


def _hhmm(word: str) -> tuple[int, int, int | None] | None:
    match = re.fullmatch(r"(\d{1,2})[:.](\d\d)(?::(\d\d))?", word)
    if not match or int(match[1]) > 24 or int(match[2]) > 59 or (match[3] and int(match[3]) > 59):
        return None
    return int(match[1]), int(match[2]), int(match[3]) if match[3] else None


class _Reader(_Words):
    """Reads one clock time starting at a word, or says there is none there."""

    def read(self, index: int, bare: bool) -> ClockTime | None:
        found = (self._named(index) or self._relative(index) or self._durationlike(index)
                 or self._clock(index, bare))
        if found is None:
            return None
        hour, minute, second, end, meridiem = found
        meridiem, end = self._meridiem(end, meridiem)
        zone = None
        if ZONES.get(self.at(end)):
            zone, end = ZONES[self.at(end)], end + 1
        if meridiem is not None and not 0 < hour <= 12:
            if hour > 12 and meridiem == "pm" or hour == 0 and meridiem == "am":
                meridiem = None  # "fourteen hundred pm": the hour says it already
            else:
                return None
        return ClockTime(hour, minute, second, meridiem, zone, index, end)

    def _named(self, index: int) -> tuple[int, int, int | None, int, str | None] | None:
        word = self.at(index)
        if word in ("noon", "midday") or (word == "twelve" and self.at(index + 1) == "noon"):
            end = index + (2 if word == "twelve" else 1)
            minutes = self.minutes(end) if word != "twelve" else None  # "noon thirty"
            if minutes is not None:
                return 12, minutes[0], None, minutes[1], "pm"
            return 12, 0, None, end, "pm"
        if word == "midnight" or (word == "twelve" and self.at(index + 1) == "midnight"):
            return 0, 0, None, index + (2 if word == "twelve" else 1), None
        return None

    def _relative(self, index: int) -> tuple[int, int, int | None, int, str | None] | None:
        """ "half past two", "quarter to three", "ten to eleven", "one min to one", "twenty after six"."""
        word, start = self.at(index), index
        if word in ("a", "an") and self.at(index + 1) in ("quarter", "half"):
            index += 1
            word = self.at(index)
        if word == "half":
            minutes, index = 30, index + 1
        elif word == "quarter":
            minutes, index = 15, index + 1
        else:
            found = self.small(index, 59)
            if found is None:
                return None
            minutes, index = found
            if self.at(index) in ("minute", "minutes", "min", "mins"):
                index += 1
        counted = self.at(index - 1) in ("minute", "minutes", "min", "mins")
        direction = self.at(index)
        if direction not in ("past", "after", "to", "till", "til", "before", "of") or (
                word not in ("half", "quarter") and direction == "of"):
            return None
        if word not in ("half", "quarter") and not counted and minutes % 5:
            return None  # "two to three" is a range, not 2:58
        if word == "half" and direction not in ("past", "after"):
            return None
        if self.at(index + 1) in ("noon", "midday", "midnight") and self.at(start) != "a":
            # "quarter to noon" is 11:45 AM, "ten past midnight" 00:10
            noon = self.at(index + 1) != "midnight"
            total = (12 * 60 * noon + (minutes if direction in ("past", "after") else -minutes)) % (24 * 60)
            hour_of_day = total // 60
            meridiem = ("am" if hour_of_day < 12 else "pm") if 1 <= hour_of_day % 12 or hour_of_day == 12 else None
            return hour_of_day % 12 or (12 if hour_of_day == 12 else 0), total % 60, None, index + 2, meridiem
        hour = self.small(index + 1, 24)
        if hour is None or not 1 <= hour[0] <= 24 or (self.at(start) == "a" and word not in ("half", "quarter")):
            return None
        if direction in ("past", "after"):
            return hour[0] % 24, minutes, None, hour[1], None
        total = (hour[0] * 60 - minutes) % (24 * 60)
        back = total // 60 if hour[0] > 12 or hour[0] == 0 else (total // 60) or 12
        return back, total % 60, None, hour[1], None

    def _durationlike(self, index: int) -> tuple[int, int, int | None, int, str | None] | None:
        """A 24-hour time said in units: "fourteen hours ten minutes and thirty seconds"."""
        hour = self.small(index, 24)
        if hour is None or self.at(hour[1]) not in ("hour", "hours"):
            return None
        index = hour[1] + 1
        minute = self.small(index, 59)
        if minute is None or self.at(minute[1]) not in ("minute", "minutes"):
            return None
        index = minute[1] + 1
        second = None
        after = index + (self.at(index) == "and")
        found = self.small(after, 59)
        if found is not None and self.at(found[1]) in ("second", "seconds"):
            second, index = found[0], found[1] + 1
        return hour[0], minute[0], second, index, None

    def _clock(self, index: int, bare: bool) -> tuple[int, int, int | None, int, str | None] | None:
        written = _hhmm(self.at(index))
        if written is not None:
            return written[0], written[1], written[2], index + 1, None
        run = re.fullmatch(r"(\d{1,2})([0-5]\d)", self.at(index))  # "at 1030", "730 in the evening", "1140 am"
        if run is not None and len(self.at(index)) >= 3 and int(run[1]) <= 23 \
                and (bare or self._meridiem(index + 1, None)[0] is not None):
            return int(run[1]), int(run[2]), None, index + 1, None
        hour = self.small(index, 24)
        if hour is None:
            return None
        value, end = hour
        if self.at(end) == "hundred" and (1 <= value <= 24 or self.at(end + 1) == "hours"):  # "fourteen hundred"
            # a 24-hour clock: "oh nine hundred" is 9 AM, "twelve hundred" noon, "zero hundred hours" midnight
            end += 1 + (self.at(end + 1) == "hours")
            hour = value % 24
            return hour, 0, None, end, ("am" if 1 <= hour < 12 else "pm" if hour == 12 else None)
        if self.at(end) == "oclock":
            return value, 0, None, end + 1, None
        minutes = self.minutes(end)
        if minutes is not None and self.at(minutes[1]) in ("minutes", "hours", "percent"):
            return None  # "six forty three minutes": a length, and no hour is read from it
        if minutes is not None and value <= 24:
            end = minutes[1]
            if self.at(end) == "oclock":
                return None
            return value, minutes[0], None, end, None
        if self._meridiem(end, None)[0] is not None or bare:
            return value, 0, None, end, None
        return None

    def _meridiem(self, index: int, said: str | None) -> tuple[str | None, int]:
        word = self.at(index)
        if word in ("am", "pm"):
            return word, index + 1
        if word == "in" and self.at(index + 1) == "the" and self.at(index + 2) in ("am", "pm"):  # "3 in the am"
            return self.at(index + 2), index + 3
        if word == "in" and self.at(index + 1) == "the" and self.at(index + 2) in _MORNING | _LATER:
            return ("am" if self.at(index + 2) in _MORNING else "pm"), index + 3
        if word in ("at", "in") and self.at(index + 1) == "night" or word == "tonight":
            return "pm", index + (1 if word == "tonight" else 2)
        if word == "this" and self.at(index + 1) in _MORNING | _LATER:
            return ("am" if self.at(index + 1) in _MORNING else "pm"), index + 2
        return said, index


_BARE_LEAD = ("at", "around", "by", "about", "approximately", "after", "before", "until", "till", "from", "tonight")
_SHIFT_UNITS = {"minute": 1, "minutes": 1, "min": 1, "mins": 1, "hour": 60, "hours": 60}


def clock_times(utterance: str) -> list[ClockTime]:
    """Every clock time said in `utterance`, in order. A bare number is an hour only after "at",
    "around", "by"... or when it is all that was said ("three")."""
    words = time_words(utterance)
    reader = _Reader(words)
    found: list[ClockTime] = []
    index = 0
    alone = len(words) == 1
    while index < len(words):
        bare = alone or reader.at(index - 1) in _BARE_LEAD
        time = reader.read(index, bare)
        if time is not None and _ends_a_date(reader.at(index - 1)) and time.meridiem is None \
                and _hhmm(reader.at(index)) is None:
            time = None  # "march third twenty twenty one": a year, not 20:21 ("february 22nd 3:30" is a time)
        if time is None:
            index += 1
        else:
            found.append(_shifted(time, words))
            index = time.end
    hint = _part_of_day(words)
    if hint is None:
        return found
    return [replace(t, meridiem=hint) if t.meridiem is None and 1 <= t.hour <= 12 else t for t in found]


def _shifted(time: ClockTime, words: list[str]) -> ClockTime:
    """The time a while before or after the one said: "15 minutes from 1pm" is 1:15 PM, "an hour before noon"
    11 AM."""
    reader = _Reader(words)
    if time.start < 3 or reader.at(time.start - 1) not in ("from", "after", "before") \
            or reader.at(time.start - 2) not in _SHIFT_UNITS:
        return time
    said = reader.at(time.start - 3)
    count = 1 if said in ("a", "an", "one") else (reader.small(time.start - 3, 59) or (None,))[0]
    if count is None:
        return time
    shift = count * _SHIFT_UNITS[reader.at(time.start - 2)] * (-1 if reader.at(time.start - 1) == "before" else 1)
    if time.meridiem is not None:
        total = ((time.hour % 12 + (12 if time.meridiem == "pm" else 0)) * 60 + time.minute + shift) % (24 * 60)
        hour = total // 60
        meridiem = None if hour == 0 else "am" if hour < 12 else "pm"
        return replace(time, hour=hour % 12 or (12 if hour == 12 else 0), minute=total % 60, meridiem=meridiem,
                       start=time.start - 3)
    if 1 <= time.hour <= 12:  # either half of the day, as said
        total = ((time.hour % 12) * 60 + time.minute + shift) % (12 * 60)
        return replace(time, hour=total // 60 or 12, minute=total % 60, start=time.start - 3)
    total = (time.hour * 60 + time.minute + shift) % (24 * 60)
    return replace(time, hour=total // 60, minute=total % 60, start=time.start - 3)


def _ends_a_date(word: str) -> bool:
    """Whether a number after `word` is a date's day or year rather than a time ("march", "third", "3rd")."""
    return (word in _MONTH_NAMES or word in ORDINAL_UNITS or word in ORDINAL_TEENS or word in ORDINAL_TENS
            or bool(re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)", word)))


def _part_of_day(words: list[str]) -> str | None:
    """AM or PM when the utterance names one part of the day anywhere ("tonight at eight")."""
    said = set(words)
    morning, later = bool(said & _MORNING), bool(said & _LATER)
    if morning == later:
        return None
    return "am" if morning else "pm"


def placed(time: dt.time, day: dt.date, said_zone: str | None, ctx: ReadContext) -> dt.datetime:
    """The moment `time` on `day` means: on the wall clock of the zone it was said in, seen in the agent's."""
    zone = ZoneInfo(ctx.timezone)
    if said_zone is None:
        return wall(day, time, zone)
    return wall(day, time, ZoneInfo(said_zone)).astimezone(zone)


def choose(candidates: Sequence[dt.datetime], ctx: ReadContext) -> dt.datetime:
    """Which reading of a time said without AM/PM was meant (the morning one first): the one inside
    the opening hours when exactly one is, else the time as said, on a 24-hour clock ("two thirty"
    is 02:30; its next occurrence when no day was said: the nearest future time the clock shows it)."""
    if len(candidates) > 1 and ctx.hours is not None:
        inside = [c for c in candidates if any(start <= c < end for start, end in ctx.hours(c.date()))]
        if len(inside) == 1:
            return inside[0]
    return candidates[0]


def next_occurrences(time: ClockTime, ctx: ReadContext) -> list[dt.datetime]:
    """Each reading of a time said without a day, at its next occurrence from now."""
    zone = ZoneInfo(ctx.timezone)
    today = ctx.now.astimezone(zone).date()
    moments = []
    for reading in time.readings():
        moment = placed(reading, today, time.zone, ctx)
        if moment <= ctx.now:
            moment = placed(reading, today + dt.timedelta(days=1), time.zone, ctx)
        moments.append(moment)
    return moments
