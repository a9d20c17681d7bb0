"""When a caller wants something: a moment ("Tuesday at ten thirty") or a span ("tomorrow morning").

`read_when` is the reader of the `when` variable type: an exact time is an aware datetime, and a
span of time (a day, a part of a day, a week, "as soon as possible") is a `Span`, written as an
ISO 8601 interval (`start/end`). `read_slot_choice` reads which of several offered times a
caller picked ("the second one", "ten thirty", "Wednesday", "yes" to a single offer), or a new
time they asked for instead. Spans are built from wall-clock boundaries in the agent's zone,
so "tomorrow morning" on the eve of a DST change is still 6 AM to noon on the wall.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from callsim.readers.base import ReadContext, SpokenValue, wall
from callsim.readers.dates import read_date, read_datetime
from callsim.readers.numerals import as_numerals
from callsim.readers.times import ClockTime, clock_times, next_occurrences, placed, time_words
from callsim.readers.yes_no import read_yes_no

ANY_TIME_DAYS = 14
"""How far ahead "as soon as possible" or "any time" looks."""

PARTS_OF_DAY = {
    "morning": (dt.time(6), dt.time(12)),
    "afternoon": (dt.time(12), dt.time(17)),
    "evening": (dt.time(17), dt.time(21)),
    "tonight": (dt.time(17), None),
    "night": (dt.time(17), None),
}
"""Wall-clock bounds of the parts of a day; None is midnight at the end of the day."""

_PART = re.compile(r"(?<!good )\b(morning|afternoon|evening|tonight|night)\b")
_ANY = re.compile(r"\b(any ?time|(?<!\bor )anything(?! else)|any slot|earliest|soonest|as soon as possible|asap|first available"
                  r"|next available|whenever|any day|first opening|next opening)\b")
_WEEK = re.compile(r"\b(this|next) week\b")
_WEEKEND = re.compile(r"\b(?:(this|next) )?weekend\b")
MERIDIEM_SAID = re.compile(r"\b(?:[ap]\.? ?m\b|morning|afternoon|evening|night|noon|midnight|o'?clock)", re.I)
"""Words that say which half of the day a time is in (or that it is on the hour, as said)."""
_CLOCKISH = re.compile(r"\d|\bnoon\b|\bmidnight\b")
_WORKDAY_HOURS = range(1, 7)
"""A bare "at 2" means 2 PM when people book things: nobody books 1 to 6 in the morning by accident."""


@dataclass(frozen=True)
class Span:
    """A stretch of time a caller asked for; its `isoformat` is an ISO 8601 interval."""

    start: dt.datetime
    end: dt.datetime

    def isoformat(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @classmethod
    def parse(cls, text: str) -> Span | None:
        """A span from its ISO 8601 interval form, or None when `text` is not one."""
        first, slash, second = text.partition("/")
        if not slash:
            return None
        try:
            start, end = dt.datetime.fromisoformat(first.strip()), dt.datetime.fromisoformat(second.strip())
        except ValueError:
            return None
        if start.tzinfo is None or end.tzinfo is None or end <= start:
            return None
        return cls(start, end)


def read_when(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a moment (an aware datetime) or a span (a `Span`) a caller asks for; None when neither."""
    zone = ZoneInfo(ctx.timezone)
    now = ctx.now.astimezone(zone)
    text = as_numerals(utterance)
    bounded = _bounds(utterance, ctx, zone)
    if bounded is not None:
        start, end = bounded
        return _clipped(start, end, now, utterance)
    day, at = _day_and_moment(utterance, ctx, zone)
    if at is not None:
        if ctx.hours is None:  # else the opening hours chose AM or PM already
            at = _afternoon_if_bare(at, text, zone)
        return SpokenValue(at, utterance.strip())
    week = _WEEK.search(text) or _WEEKEND.search(text)
    if week is not None:
        return _week_span(week, now, zone, utterance)
    part = _PART.search(text)
    if day is not None or part is not None:
        date = day if day is not None else now.date()
        if part is None:
            return _clipped(wall(date, dt.time(0), zone), wall(date, None, zone), now, utterance)
        first, last = PARTS_OF_DAY[part[1]]
        if day is None and wall(date, last, zone) <= now:
            date += dt.timedelta(days=1)  # "in the morning", said in the afternoon
        return _clipped(wall(date, first, zone), wall(date, last, zone), now, utterance)
    if _ANY.search(text):
        return _clipped(now, now + dt.timedelta(days=ANY_TIME_DAYS), now, utterance)
    return None


_AFTER = re.compile(r"\b(?:after|(?<!no )(?<!not )later than|no earlier than|not earlier than|not before"
                    r"|(?:any ?time|starting) (?:from|at))\s+")
_BEFORE = re.compile(r"\b(?:before|no later than|not later than|not after|earlier than|until|till|up to)\s+")
_BETWEEN = re.compile(r"\b(?:between|from)\s+(.+?)\s+(?:and|to|till|until|through)\s+")
_AFTER_TAIL = re.compile(r"\s+(?:or later|or after|and later|on ?wards?|on(?=\s*(?:[,.;!?]|$)))\b")
_BEFORE_TAIL = re.compile(r"\s+(?:or earlier|or before|at the latest)\b")
_TAIL_WORDS = 4
"""How many words before "or later" a time may take ("a quarter past two or later")."""


def _bounds(utterance: str, ctx: ReadContext, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime] | None:
    """The stretch a time said as a bound marks out: "after three" runs to the end of its day, "no later than
    ten" from the day's start, "between two and four" from one to the other; None when no bound is said.

    The bound's day is the day said anywhere in the turn ("tomorrow after three", "after three tomorrow"),
    else its time's next occurrence; a part of the day said too narrows it ("friday afternoon, after two")."""
    said = utterance.lower().replace("\u2019", "'")
    between = _BETWEEN.search(said)
    if between is not None:
        first = _time_after(said[:between.end(1)], between.start(1))
        second = _time_after(said, between.end())
        if first is not None and second is not None:
            if first.meridiem is None and second.meridiem is not None and first.hour % 12 <= second.hour % 12:
                first = ClockTime(first.hour, first.minute, first.second, second.meridiem, first.zone, 0, 0)
            start = _bound_moment(first, said, ctx, zone)
            end = _bound_moment(second, said, ctx, zone, after=start)
            return (start, end) if end > start else None
    for cue, tail, after in ((_AFTER, _AFTER_TAIL, True), (_BEFORE, _BEFORE_TAIL, False)):
        found = cue.search(said)
        time = _time_after(said, found.end()) if found is not None else None
        if time is None and (ends := tail.search(said)) is not None:
            time = _time_before(said[:ends.start()])
        if time is None:
            continue
        moment = _bound_moment(time, said, ctx, zone)
        day = moment.date()
        start, end = (moment, wall(day, None, zone)) if after else (wall(day, dt.time(0), zone), moment)
        part = _PART.search(said)
        if part is not None:
            first, last = PARTS_OF_DAY[part[1]]
            start, end = max(start, wall(day, first, zone)), min(end, wall(day, last, zone))
        return start, end
    return None


def _time_after(said: str, at: int) -> ClockTime | None:
    """The clock time said right at character `at` of `said`, read with the rest of the turn (a part of the
    day said anywhere sets its AM or PM)."""
    words = len(time_words(said[:at]))
    rewritten = f"{said[:at]} at {said[at:]}"
    return next((time for time in clock_times(rewritten) if time.start == words + 1), None)


def _time_before(said: str) -> ClockTime | None:
    """The clock time `said` ends with ("... two thirty" before "or later"), the longest that reads as one."""
    words = time_words(said)
    for count in range(min(_TAIL_WORDS, len(words)), 0, -1):
        found = clock_times("at " + " ".join(words[-count:]))
        if found and found[0].start == 1 and found[0].end == count + 1:
            return found[0]
    return None


def _bound_moment(time: ClockTime, said: str, ctx: ReadContext, zone: ZoneInfo,
                  after: dt.datetime | None = None) -> dt.datetime:
    """When a bound's time falls: on the day said, else at its next occurrence (after `after`, for the end of
    "between two and four"); without AM or PM, the reading within the opening hours, their opening and
    closing times included ("before five" at a clinic open 8 to 5 is 5 PM), else a bare 1 to 6 is PM."""
    day = read_date(said, ctx) if mentions_a_day(said) else None
    if day is not None:
        candidates = [placed(reading, day.value, time.zone, ctx) for reading in time.readings()]  # type: ignore[arg-type]
    elif after is not None:
        candidates = [placed(reading, after.date(), time.zone, ctx) for reading in time.readings()]
    else:
        candidates = next_occurrences(time, ctx)
    if after is not None:
        candidates = [c for c in candidates if c > after] or candidates
    if len(candidates) > 1 and ctx.hours is not None:
        hours = ctx.hours
        inside = [c for c in candidates if any(start <= c <= end for start, end in hours(c.date()))]
        if len(inside) == 1:
            return inside[0]
    if len(candidates) > 1 and ctx.hours is None and time.hour in _WORKDAY_HOURS:
        return candidates[1]
    return candidates[0]


def _day_and_moment(said: str, ctx: ReadContext, zone: ZoneInfo) -> tuple[dt.date | None, dt.datetime | None]:
    """The day named, and the moment when a clock time was said too (a weekday or a day of the month
    whose hour has passed is the next one)."""
    found = read_date(said, ctx) if mentions_a_day(said) else None
    day: dt.date | None = found.value if found is not None else None  # type: ignore[assignment]
    if not _CLOCKISH.search(as_numerals(said)):
        return day, None
    moment = read_datetime(said, ctx)
    if moment is None:
        return day, None
    at: dt.datetime = moment.value  # type: ignore[assignment]
    return (at.astimezone(zone).date() if day is not None else None), at


def _afternoon_if_bare(at: dt.datetime, text: str, zone: ZoneInfo) -> dt.datetime:
    if at.hour in _WORKDAY_HOURS and not MERIDIEM_SAID.search(text):
        return wall(at.date(), at.time().replace(hour=at.hour + 12), zone)
    return at


def _week_span(found: re.Match[str], now: dt.datetime, zone: ZoneInfo, utterance: str) -> SpokenValue | None:
    monday = now.date() - dt.timedelta(days=now.weekday())
    if found.re is _WEEK:
        start_day = monday + dt.timedelta(days=7 if found[1] == "next" else 0)
        end_day = start_day + dt.timedelta(days=7)
    else:
        start_day = monday + dt.timedelta(days=5 + (7 if found[1] == "next" else 0))
        end_day = start_day + dt.timedelta(days=2)
    return _clipped(wall(start_day, dt.time(0), zone), wall(end_day, dt.time(0), zone), now, utterance)


def _clipped(start: dt.datetime, end: dt.datetime, now: dt.datetime, utterance: str) -> SpokenValue | None:
    """A span from now on; None when it is already over ("this morning", said at 3 PM)."""
    start = max(start, now)
    if end <= start:
        return None
    return SpokenValue(Span(start, end), utterance.strip())


_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
             "fifth": 4, "5th": 4, "earliest": 0}
_LAST = re.compile(r"\b(last|latest)\b")
_DAY_SAID = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?s?\b|\b(?:today|tomorrow|tonight|yesterday)\b"
    r"|\bthis (?:morning|afternoon|evening)\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{1,2}(?:st|nd|rd|th)\b|\b\d{1,2}/\d{1,2}\b"
    r"|\b(?:week|month|year|weekend)s?\b|\b(?:1[89]|20)\d\d\b")


def mentions_a_day(utterance: str) -> bool:
    """Whether the caller named a day at all ("the eleven o'clock" names none, whatever dateparser makes of it)."""
    return bool(_DAY_SAID.search(as_numerals(utterance)))
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b(?! of\b)")
_HOURS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\\d{1,2}"
_ONE_AFTER_A_TIME = re.compile(rf"\b(fifteen|thirty|forty(?:[ -]five)?|fifty|o'?clock|[ap]\.?m\.?|\d{{1,2}}:\d\d"
                               rf"|the (?:{_HOURS})) ones?\b")
_BARE_NUMBER = re.compile(r"(?<![\w:])(\d{1,2})(?![\w:])")
_PICK_NOUN = re.compile(r"\s*(?:1|ones|options?|slots?|times?|choices?)\b")
"""What may follow a place word in a pick: "the first one" (read "the 1st 1"), "the second option"."""
_ON_THE = re.compile(r"\bon(?: the)?\s*$")
_PLACE_PICK = re.compile(r"\b(?:" + "|".join(_ORDINALS) + r"|last|latest)\b" + _PICK_NOUN.pattern)


def read_slot_choice(utterance: str, offered: Sequence[dt.datetime], ctx: ReadContext,
                     wanted: dt.date | None = None) -> SpokenValue | None:
    """Which offered time the caller picked (an aware datetime), a new time or span they asked
    for instead (as `read_when` reads it, on the day of the first offered time when they name no day),
    or None when neither can be told. A time offered on several days is the one on the day the caller
    asked for (`wanted`): asked for Saturday, "one o'clock" is Saturday's 1 PM, not Friday's."""
    zone = ZoneInfo(ctx.timezone)
    slots = sorted(slot.astimezone(zone) for slot in offered)
    # "the ten thirty one" is 10:30, not 10:31
    text = as_numerals(_ONE_AFTER_A_TIME.sub(r"\1", utterance.lower()))
    picked = _picked_by_position(text, slots, ctx)
    if picked is not None:
        return SpokenValue(picked, utterance.strip())
    said = _PLACE_PICK.sub(" ", text)  # "the second one at eleven": the time decides, "second" is no date
    picked = _picked_by_time_or_day(said, slots, ctx, wanted)
    if picked is not None:
        return SpokenValue(picked, utterance.strip())
    if len(slots) == 1:
        agreed = read_yes_no(utterance)
        if agreed is not None and agreed.value is True:
            return SpokenValue(slots[0], utterance.strip())
    if slots and not mentions_a_day(said):
        # "how about the morning then, ten o'clock": a time without a day is on the day the times were offered for
        ctx = replace(ctx, now=max(ctx.now, wall(slots[0].date(), dt.time(0), zone)))
    instead = read_when(said, ctx)
    if instead is not None and not (isinstance(instead.value, dt.datetime) and instead.value in slots):
        return instead
    return None


def _picked_by_position(text: str, slots: list[dt.datetime], ctx: ReadContext) -> dt.datetime | None:
    """The offered time a bare pick names by its place ("the second one", "the last", "the first one on
    wednesday"); None when the place words belong to a date or time said instead ("december third at
    two pm", "on the first"): a full date or time wins, and is read as one."""
    found = _ORDINAL.search(text) or _LAST.search(text)
    if found is None or not slots:
        return None
    before, after = text[:found.start()], text[found.end():]
    noun = _PICK_NOUN.match(after)
    if noun is None and _ON_THE.search(before):
        return None  # "on the third": a day of the month
    rest = f"{before} {after[noun.end():] if noun else after}"
    if _CLOCKISH.search(rest):
        return None  # a time said wins: "december third at 2 pm", "the second one at eleven"
    candidates = slots
    if mentions_a_day(rest):
        if noun is None:
            return None  # "december first": the ordinal is the day of the month
        day = read_date(rest, ctx)  # "the first one on wednesday": the first of that day's times
        candidates = [s for s in slots if day is not None and s.date() == day.value]
    place = -1 if found.re is _LAST else _ORDINALS[found[1]]
    return candidates[place] if -len(candidates) <= place < len(candidates) else None


def _picked_by_time_or_day(said: str, slots: list[dt.datetime], ctx: ReadContext,
                           wanted: dt.date | None = None) -> dt.datetime | None:
    day = read_date(said, ctx) if _DAY_SAID.search(said) else None
    on_day = [s for s in slots if day is None or s.date() == day.value]
    times = clock_times(said)
    if times:
        for reading in times[0].readings():  # the morning first, when AM or PM was not said
            same = [s for s in on_day if s.time() == reading]
            if same:
                return _only_one(same, wanted)
        return None
    bare = [int(n) for n in _BARE_NUMBER.findall(said)]
    if len(bare) == 1 and 1 <= bare[0] <= 12:
        return _only_one([s for s in on_day if s.hour % 12 == bare[0] % 12 and s.minute == 0], wanted)
    if day is not None and len(on_day) == 1:
        return on_day[0]
    return None


def _only_one(same: list[dt.datetime], wanted: dt.date | None) -> dt.datetime | None:
    """The one offered time a pick names, or among several at that time the one on the day asked for; else None."""
    if len(same) > 1 and wanted is not None:
        same = [s for s in same if s.date() == wanted]
    return same[0] if len(same) == 1 else None
