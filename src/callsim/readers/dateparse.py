"""The fallback for days, times and moments callsim's own readers (`days`, `times`) do not know.

dateparser does the reading ("a week from friday", "in three months"); this module first rewrites
the way people say times ("ten thirty", "half past two in the afternoon") into the way dateparser
reads them ("10:30", "2:30 pm"), then places its wall-clock answer in the agent's zone with
zoneinfo. dateparser is imported on the first fallback read, because importing it takes ~0.3 s.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from callsim.readers.base import ReadContext, SpokenValue
from callsim.readers.days import COUNTED_THINGS
from callsim.readers.numerals import as_numerals


@dataclass(frozen=True)
class _Moment:
    """What dateparser read: an aware instant, how precise it is, and the words it came from."""

    at: datetime.datetime
    period: str  # dateparser's: "time", "day", "part_of_day", "week", "month" or "year"
    text: str


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# "nineteen eighty five" comes out of text2num as "19 85"; after a month or a day it is a year.
_SPLIT_YEAR = re.compile(
    rf"\b((?:{_MONTHS})(?: \d{{1,2}}(?:st|nd|rd|th)?)?|\d{{1,2}}(?:st|nd|rd|th)) (1[89]|20) (\d\d)\b"
)
_HALF_PAST = re.compile(r"\bhalf (?:past|after) (\d{1,2})\b")
_QUARTER_PAST = re.compile(r"\bquarter (?:past|after) (\d{1,2})\b")
_QUARTER_TO = re.compile(r"\b(?:a )?quarter (?:to|till|of) (\d{1,2})\b")
_MINUTES_PAST = re.compile(r"\b(\d{1,2}) (?:minutes )?(?:past|after) (\d{1,2})\b")
_O_CLOCK = re.compile(r"\b(\d{1,2}) ?o'?clock\b")
# "ten thirty" comes out as "10 30".
_SPLIT_CLOCK = re.compile(r"\b([01]?\d|2[0-3]) ([0-5]\d)\b(?! ?(?:st|nd|rd|th)\b)")
_MERIDIEM = re.compile(r"\b([ap])\.? ?m\b\.?")
_PART_OF_DAY = re.compile(
    r"\b(\d{1,2}(?::\d\d)?) (?:in the (morning)|in the (?:afternoon|evening)|at night)\b"
)
# A bare hour ("at 3") is a month to dateparser; say it as a clock time.
_BARE_HOUR = re.compile(r"(^(?=\d{1,2}$)|\b(?:at|around|by) )(\d{1,2})(?![\w:/.-])(?! ?[ap]m\b)")
_TIME_ONLY = re.compile(r"(?:at )?(?:\d{1,2}(?::\d\d)? ?(?:am|pm)?|noon|midnight)")
_DAY_OF_MONTH = re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b(?! of)")
_MONTH_NAME = re.compile(rf"\b(?:{_MONTHS})\b")
_WEEKDAY = re.compile(r"\b(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_DURATION = re.compile(
    r"\b(?:in|after) (?:an?|\d+) (?:hours?|minutes?|mins?)\b|\b(?:an?|\d+) (?:hours?|minutes?|mins?) from now\b"
)
_TODAY = re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b")


def said_as_dateparser_reads(utterance: str) -> str:
    """Rewrite spoken dates and times into the forms dateparser reads."""
    text = as_numerals(utterance).replace("an hour and a half", "90 minutes")
    text = text.replace("half an hour", "30 minutes")
    text = _SPLIT_YEAR.sub(r"\1 \2\3", text)
    text = _HALF_PAST.sub(r"\1:30", text)
    text = _QUARTER_PAST.sub(r"\1:15", text)
    text = _QUARTER_TO.sub(lambda m: f"{int(m[1]) - 1 or 12}:45", text)
    text = _MINUTES_PAST.sub(lambda m: f"{m[2]}:{int(m[1]):02d}", text)
    text = _O_CLOCK.sub(r"\1:00", text)
    text = _SPLIT_CLOCK.sub(r"\1:\2", text)
    text = _MERIDIEM.sub(r"\1m", text)
    text = _PART_OF_DAY.sub(lambda m: f"{m[1]} {'am' if m[2] else 'pm'}", text)
    return _BARE_HOUR.sub(r"\1\2:00", text).strip()


def _moment(text: str, ctx: ReadContext) -> _Moment | None:
    """Ask dateparser what `text` means as of `ctx.now`, in the agent's zone."""
    from dateparser.date import DateDataParser  # ~0.3 s to import: only when a date is first read
    from dateparser.search import search_dates

    zone = ZoneInfo(ctx.timezone)
    base = ctx.now.astimezone(zone).replace(tzinfo=None)
    settings = {
        "RELATIVE_BASE": base,
        # TIMEZONE alone: answers come back as naive wall-clock time in the agent's zone, and
        # "3pm eastern" is converted into it. With TO_TIMEZONE and RETURN_AS_TIMEZONE_AWARE,
        # dateparser adds days in UTC, so "tomorrow" on the eve of a DST change is off by an
        # hour, and at 23:30 the evening before spring-forward it is the day after tomorrow.
        "TIMEZONE": ctx.timezone,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": "future",
        # "12/01" is December 1st to a US caller and January 12th to most others.
        "DATE_ORDER": "MDY" if ctx.region == "US" else "DMY",
        "RETURN_TIME_AS_PERIOD": True,
    }
    parser = DateDataParser(languages=["en"], settings=settings)
    data = parser.get_date_data(text)
    if data.date_obj is None:
        # The whole utterance is not a date ("sometime tomorrow please"): look for the words
        # that are, and read from the first to the last so "tomorrow ... at 10:30" stays whole.
        found = search_dates(text, languages=["en"], settings=settings) or []
        if not found:
            return None
        start, end = text.find(found[0][0]), text.rfind(found[-1][0]) + len(found[-1][0])
        text = text[start:end] if 0 <= start < end else found[0][0]
        data = parser.get_date_data(text)
        if data.date_obj is None:
            text = found[0][0]
            data = parser.get_date_data(text)
        if data.date_obj is None:
            return None
    wall = data.date_obj.replace(tzinfo=None)
    tomorrow = base.date() + datetime.timedelta(days=1)
    if (data.period == "time" and tomorrow.day == 1 and wall.day == 1 and wall.month == base.month
            and not _MONTH_NAME.search(text) and not re.search(r"\b\d{1,2}(?:st|nd|rd|th)\b", text)):
        # dateparser moves a time earlier than now to tomorrow by adding one to the day of the
        # month, which on a month's last day wraps to the 1st of the same month (of next year in December).
        wall = datetime.datetime.combine(tomorrow, wall.time())
    if _DURATION.search(text):
        # "in two hours" is elapsed time, which a DST change in between does not stretch
        # (adding to an aware datetime adds wall-clock time, hence the detour through UTC).
        at = (ctx.now.astimezone(datetime.timezone.utc) + (wall - base)).astimezone(zone)
    else:
        at = _placed(wall, zone)
    return _Moment(at, data.period or "day", text)


def _placed(wall: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    """A naive wall-clock time in `zone`, moved past the hour a spring-forward skips."""
    # Through UTC and back, 02:30 on the night the clocks jump from 02:00 becomes 03:30.
    return wall.replace(tzinfo=zone).astimezone(datetime.timezone.utc).astimezone(zone)


def fallback_date(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a calendar day; past days only when a year says so (a date of birth)."""
    text = said_as_dateparser_reads(utterance)
    if not text or _TIME_ONLY.fullmatch(text):
        return None
    day_only = _day_of_month_alone(text)
    if day_only:
        # dateparser reads "the 5th" as May and "the 23rd" as a day that may be past.
        today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
        day = _next_day_of_month(int(day_only[1]), today)
        return SpokenValue(day, day_only[0]) if day else None
    moment = _moment(text, ctx)
    # "the second week", "next month" or "1985" name no day; dateparser would fill in a Monday or today's.
    if moment is None or moment.period in {"week", "month", "year"}:
        return None
    return SpokenValue(moment.at.date(), moment.text)


def _day_of_month_alone(text: str) -> re.Match[str] | None:
    """ "the 14th" said without a month (which dateparser would misread), or None."""
    day_only = _DAY_OF_MONTH.search(text)
    if not day_only or _MONTH_NAME.search(text) or "month" in text:
        return None
    # "the 2nd week", "the 4th day of the trip": the nth of something else, as `days` reads it
    following = text[day_only.end():].split(maxsplit=1)
    return None if following and following[0] in COUNTED_THINGS | {"day", "days"} else day_only


def _next_day_of_month(day: int, today: datetime.date) -> datetime.date | None:
    """The next date, from today on, that falls on the given day of a month."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def fallback_time(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a time of day; "in the morning" alone is not one."""
    moment = _moment(said_as_dateparser_reads(utterance), ctx)
    if moment is None or moment.period != "time":
        return None
    return SpokenValue(moment.at.time(), moment.text)


def fallback_datetime(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a day and a time; a day alone is not one, a time alone means its next occurrence."""
    text = said_as_dateparser_reads(utterance)
    day_only = _day_of_month_alone(text)
    if day_only:
        return _on_day_of_month(text, day_only, ctx)
    moment = _moment(text, ctx)
    if moment is None or moment.period != "time":
        return None
    at, zone = moment.at, ZoneInfo(ctx.timezone)
    earlier_today = at < ctx.now and at.date() == ctx.now.astimezone(zone).date()
    if earlier_today and not _TODAY.search(moment.text):
        # dateparser leaves a bare "10:30 am" earlier today in the past; a caller means the next.
        at = _placed(at.replace(tzinfo=None) + datetime.timedelta(days=1), zone)
    return SpokenValue(at, moment.text)


def _on_day_of_month(text: str, day_only: re.Match[str], ctx: ReadContext) -> SpokenValue | None:
    """ "(monday) the 14th at 9": the next 14th at that time. dateparser reads "the 3rd at 2:30" as
    March, so the day is read here (as `read_date` does) and only the rest is a time to dateparser;
    a weekday said with it is taken as the caller's own check, not as a second day."""
    rest = _WEEKDAY.sub("", text[: day_only.start()] + text[day_only.end():]).strip(" ,")
    moment = _moment(rest, ctx) if rest else None
    if moment is None or moment.period != "time":
        return None
    zone = ZoneInfo(ctx.timezone)
    today = ctx.now.astimezone(zone).date()
    for first in (today, today + datetime.timedelta(days=1)):  # today's date with the hour past: the next
        day = _next_day_of_month(int(day_only[1]), first)
        if day is None:
            return None
        at = _placed(datetime.datetime.combine(day, moment.at.time()), zone)
        if at >= ctx.now:
            return SpokenValue(at, text)
    return None
