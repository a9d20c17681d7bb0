"""The `date`, `time` and `datetime` types, relative to the virtual clock, in the agent's zone.

The days and clock times people say are read by callsim itself (`days`, `times`): in
microseconds, and the same way every time. dateparser (`dateparse`, loaded on first use) reads only
what those do not know ("a week from friday", "in three months"). A date is a `datetime.date`, a
time a naive `datetime.time` on the agent's clock (whole seconds), a datetime an aware moment.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from callsim.readers.base import ReadContext, SpokenValue
from callsim.readers.days import SaidDay, said_day
from callsim.readers.quantities import spoken_numbers, words_for_numbers
from callsim.readers.times import ClockTime, choose, clock_times, next_occurrences, placed

# Words that say a day or a time is meant when neither reader found one: then dateparser may know it.
_DATE_WORDS = re.compile(
    r"\b(?:weeks?|months?|years?|days?|ago|hence|later|earlier|weekends?|fortnight|hours?|minutes?|mins?"
    r"|christmas|easter|new year'?s?|noon|midnight|today|tomorrow|tonight|yesterday"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day)\b")
_PART_OF_AN_HOUR = re.compile(r"\b(?:in (?:a |one )?(half|quarter|three quarters) (?:of )?an hour"
                              r"|(?:a |one )?(half|quarter|three quarters) (?:of )?an hour (?:from now|later))\b")
_WHILE_UNITS = {"minute": 60, "minutes": 60, "min": 60, "mins": 60, "hour": 3600, "hours": 3600}


def _today(ctx: ReadContext) -> dt.date:
    return ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()


def _fallback(utterance: str) -> bool:
    return bool(_DATE_WORDS.search(utterance.lower()))


def read_date(utterance: str, ctx: ReadContext, direction: str | None = None) -> SpokenValue | None:
    """Read a calendar day; `direction` fills in what was left out (see `days`)."""
    found = said_day(utterance, _today(ctx), direction, ctx.region, years=not clock_times(utterance))
    if found is not None:
        return None if found.day is None else SpokenValue(found.day, utterance.strip())
    if clock_times(utterance) and not _DATE_WORDS.search(utterance.lower()):
        return None  # a time alone names no day
    if not _fallback(utterance) or _a_length_of_hours(utterance):
        return None
    from callsim.readers.dateparse import fallback_date

    return fallback_date(utterance, ctx)


_HOURS_ONLY = re.compile(r"\b(?:hours?|minutes?|mins?)\b")
_SINCE_NOW = re.compile(r"\b(?:in|within|ago|hence|later|from now)\b")


def _a_length_of_hours(utterance: str) -> bool:
    """Whether the only words of time in `utterance` are hours or minutes counted as a length ("for four hours"):
    that names no day, where "in four hours" and "48 hours from now" do."""
    said = utterance.lower()
    words = {found.group(0) for found in _DATE_WORDS.finditer(said)}
    return bool(words) and all(_HOURS_ONLY.fullmatch(word) for word in words) and not _SINCE_NOW.search(said)


def read_time(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a time of day; "in the morning" alone is not one. Said without AM/PM, it is read by the
    agent's opening hours, else as the nearest one to come."""
    times = clock_times(utterance)
    if times:
        day = said_day(utterance, _today(ctx), None, ctx.region, years=False)
        moment = _on(day, times[0], ctx) if day is not None and day.day is not None else None
        moment = moment or choose(next_occurrences(times[0], ctx), ctx)
        return SpokenValue(moment.time(), utterance.strip())
    later = _in_a_while(utterance, ctx)
    if later is not None:
        return SpokenValue(later.time().replace(second=0, microsecond=0), utterance.strip())
    if not _fallback(utterance) or _a_length_of_hours(utterance):
        return None  # "fourteen hours", "eight hours and thirty minutes": a length, not a time of day
    from callsim.readers.dateparse import fallback_time

    found = fallback_time(utterance, ctx)
    return None if found is None else SpokenValue(found.value.replace(microsecond=0), found.text)  # type: ignore[attr-defined]


def read_datetime(utterance: str, ctx: ReadContext, direction: str | None = None) -> SpokenValue | None:
    """Read a day and a time; a day alone is not one, a time alone means its next occurrence."""
    times = clock_times(utterance)
    if times:
        day = said_day(utterance, _today(ctx), direction, ctx.region, years=False)
        if day is None:
            return SpokenValue(choose(next_occurrences(times[0], ctx), ctx), utterance.strip())
        if day.day is None:
            return None
        moment = _on(day, times[0], ctx)
        return None if moment is None else SpokenValue(moment, utterance.strip())
    later = _in_a_while(utterance, ctx)
    if later is not None:
        return SpokenValue(later, utterance.strip())
    if said_day(utterance, _today(ctx), None, ctx.region) is not None or not _fallback(utterance):
        return None  # a day without a time
    from callsim.readers.dateparse import fallback_datetime

    return fallback_datetime(utterance, ctx)


def _on(day: SaidDay, time: ClockTime, ctx: ReadContext) -> dt.datetime | None:
    """The time on the day said; a day of the month or a weekday whose hour has passed is the next one."""
    assert day.day is not None
    candidates = [placed(reading, day.day, time.zone, ctx) for reading in time.readings()]
    moment = choose(candidates, ctx)
    if moment < ctx.now and ctx.hours is None:  # "today at six" said at noon: 6 PM, the one still to come
        moment = next((c for c in candidates if c >= ctx.now), moment)
    if moment >= ctx.now or day.relative or not (day.day_of_month or day.weekday):
        return moment
    later = day.day
    for _ in range(12):
        if day.weekday:
            later += dt.timedelta(days=7)
        else:
            later = _same_day_next_month(later)
            if later is None:
                return None
        moment = choose([placed(reading, later, time.zone, ctx) for reading in time.readings()], ctx)
        if moment >= ctx.now:
            return moment
    return None


def _same_day_next_month(day: dt.date) -> dt.date | None:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for _ in range(12):
        try:
            return dt.date(year, month, day.day)
        except ValueError:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _in_a_while(utterance: str, ctx: ReadContext) -> dt.datetime | None:
    """ "in twenty minutes", "two hours from now", "in half an hour", "in an hour and a half": elapsed
    time, which a DST change in between does not stretch."""
    words = words_for_numbers(utterance)
    text = " ".join(words)
    seconds = None
    part = _PART_OF_AN_HOUR.search(text)
    if part is not None:
        seconds = {"half": 1800, "quarter": 900, "three quarters": 2700}[part[1] or part[2]]
    elif re.search(r"\bin an hour and a half\b", text):
        seconds = 5400
    else:
        counts = [(n.start, n.end, n.value) for n in spoken_numbers(utterance)]
        counts += [(i, i + 1, 1) for i, word in enumerate(words) if word in ("a", "an")]
        for start, end, count in sorted(counts):
            end += end < len(words) and words[end] == "of"  # "in a couple of hours"
            unit = _WHILE_UNITS.get(words[end] if end < len(words) else "")
            if unit is not None and (start and words[start - 1] == "in" or words[end + 1 : end + 3] == ["from", "now"]):
                seconds = int(count * unit)
                break
    if seconds is None:
        return None
    zone = ZoneInfo(ctx.timezone)
    return (ctx.now.astimezone(dt.timezone.utc) + dt.timedelta(seconds=seconds)).astimezone(zone)
