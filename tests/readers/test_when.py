"""Reading when a caller wants something (a moment or a span), and which offered time they picked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from callsim.readers import ReadContext, read_value
from callsim.readers.base import wall
from callsim.readers.when import Span, mentions_a_day, read_slot_choice

NY_NAME = "America/New_York"
NY = ZoneInfo(NY_NAME)
# Monday, November 30 2026, 3 PM: the last day of a month, where dateparser once wrapped "9 am" to the 1st.
MONDAY = ReadContext(dt.datetime(2026, 11, 30, 15, 0, tzinfo=NY), NY_NAME)


def when(text: str, ctx: ReadContext = MONDAY) -> str | None:
    found = read_value("when", text, ctx)
    return None if found is None else found.value.isoformat()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("said", "expected"), [
    ("tomorrow at ten thirty", "2026-12-01T10:30:00-05:00"),
    ("can I come in at 9 am", "2026-12-01T09:00:00-05:00"),           # earlier today: tomorrow
    ("tuesday at 2", "2026-12-01T14:00:00-05:00"),                    # a bare 2 is the afternoon
    ("tuesday at 2 am", "2026-12-01T02:00:00-05:00"),
    ("monday the fourteenth at nine", "2026-12-14T09:00:00-05:00"),
    ("on the 3rd at 2 pm", "2026-12-03T14:00:00-05:00"),
    ("3 pm tomorrow", "2026-12-01T15:00:00-05:00"),
])
def test_exact_moments(said: str, expected: str) -> None:
    assert when(said) == expected


@pytest.mark.parametrize(("said", "start", "end"), [
    ("anything tomorrow morning?", "2026-12-01T06:00:00-05:00", "2026-12-01T12:00:00-05:00"),
    ("friday afternoon", "2026-12-04T12:00:00-05:00", "2026-12-04T17:00:00-05:00"),
    ("anything on friday", "2026-12-04T00:00:00-05:00", "2026-12-05T00:00:00-05:00"),
    ("sometime next week", "2026-12-07T00:00:00-05:00", "2026-12-14T00:00:00-05:00"),
    ("this weekend", "2026-12-05T00:00:00-05:00", "2026-12-07T00:00:00-05:00"),
    ("after 3 pm tomorrow", "2026-12-01T15:00:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("before noon tomorrow", "2026-12-01T00:00:00-05:00", "2026-12-01T12:00:00-05:00"),
    ("in the morning", "2026-12-01T06:00:00-05:00", "2026-12-01T12:00:00-05:00"),  # said in the afternoon
    ("this evening", "2026-11-30T17:00:00-05:00", "2026-11-30T21:00:00-05:00"),
    ("as soon as possible", "2026-11-30T15:00:00-05:00", "2026-12-14T15:00:00-05:00"),
    ("this week", "2026-11-30T15:00:00-05:00", "2026-12-07T00:00:00-05:00"),          # from now on
])
def test_spans(said: str, start: str, end: str) -> None:
    assert when(said) == f"{start}/{end}"


def _clinic_hours(day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """A clinic open 9 to 5 on weekdays."""
    if day.weekday() >= 5:
        return []
    return [(dt.datetime.combine(day, dt.time(9), NY), dt.datetime.combine(day, dt.time(17), NY))]


CLINIC = ReadContext(MONDAY.now, NY_NAME, hours=_clinic_hours)


@pytest.mark.parametrize(("said", "start", "end"), [
    # a time said as a bound marks out the rest of its day, on the day said anywhere in the turn
    ("tomorrow after three", "2026-12-01T15:00:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("after 3 tomorrow", "2026-12-01T15:00:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("no later than 5 tomorrow", "2026-12-01T00:00:00-05:00", "2026-12-01T17:00:00-05:00"),
    ("wednesday, no later than ten", "2026-12-02T00:00:00-05:00", "2026-12-02T10:00:00-05:00"),
    ("not before ten on thursday", "2026-12-03T10:00:00-05:00", "2026-12-04T00:00:00-05:00"),
    ("no earlier than 10 tomorrow", "2026-12-01T10:00:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("tomorrow, two thirty or later", "2026-12-01T14:30:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("tomorrow from three on", "2026-12-01T15:00:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("friday at eleven at the latest", "2026-12-04T00:00:00-05:00", "2026-12-04T11:00:00-05:00"),
    ("between two thirty and four on friday", "2026-12-04T14:30:00-05:00", "2026-12-04T16:00:00-05:00"),
    ("friday from 9 to 11", "2026-12-04T09:00:00-05:00", "2026-12-04T11:00:00-05:00"),
    ("between 10 and 2 tomorrow", "2026-12-01T10:00:00-05:00", "2026-12-01T14:00:00-05:00"),
    ("thursday between ten and noon", "2026-12-03T10:00:00-05:00", "2026-12-03T12:00:00-05:00"),
    ("between 2 and 4 pm on friday", "2026-12-04T14:00:00-05:00", "2026-12-04T16:00:00-05:00"),
    ("thursday afternoon, after 2", "2026-12-03T14:00:00-05:00", "2026-12-03T17:00:00-05:00"),
])
def test_a_time_said_as_a_bound_is_a_span(said: str, start: str, end: str) -> None:
    assert when(said) == f"{start}/{end}"


@pytest.mark.parametrize(("said", "start", "end"), [
    # without AM or PM, a bound inside the opening hours, their opening and closing times included
    ("before five tomorrow", "2026-12-01T00:00:00-05:00", "2026-12-01T17:00:00-05:00"),
    ("tomorrow after five", "2026-12-01T17:00:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("tomorrow after nine", "2026-12-01T09:00:00-05:00", "2026-12-02T00:00:00-05:00"),
    ("no later than eleven on friday", "2026-12-04T00:00:00-05:00", "2026-12-04T11:00:00-05:00"),
])
def test_a_bound_without_am_or_pm_is_read_in_the_opening_hours(said: str, start: str, end: str) -> None:
    assert when(said, CLINIC) == f"{start}/{end}"


@pytest.mark.parametrize("said", ["it's not an emergency or anything", "anything else I should know"])
def test_anything_as_a_hedge_asks_for_no_time(said: str) -> None:
    assert when(said) is None


@pytest.mark.parametrize("said", ["hi", "good morning, I'd like to book", "this morning", "yes please"])
def test_no_time_or_one_already_over(said: str) -> None:
    assert when(said) is None


def test_a_morning_after_the_clocks_fall_back_is_six_to_noon_on_the_wall() -> None:
    saturday = ReadContext(dt.datetime(2026, 10, 31, 18, 0, tzinfo=NY), NY_NAME)  # EDT; EST from Sunday 2 AM
    assert when("tomorrow morning", saturday) == "2026-11-01T06:00:00-05:00/2026-11-01T12:00:00-05:00"
    assert when("tomorrow at 9 am", saturday) == "2026-11-01T09:00:00-05:00"
    spring = ReadContext(dt.datetime(2027, 3, 13, 18, 0, tzinfo=NY), NY_NAME)  # EST; EDT from Sunday 2 AM
    assert when("anything tomorrow", spring) == "2027-03-14T00:00:00-05:00/2027-03-15T00:00:00-04:00"


def test_a_wall_time_in_the_gap_moves_past_it() -> None:
    assert wall(dt.date(2027, 3, 14), dt.time(2, 30), NY).isoformat() == "2027-03-14T03:30:00-04:00"
    assert wall(dt.date(2027, 3, 14), None, NY).isoformat() == "2027-03-15T00:00:00-04:00"


def test_span_round_trips_through_its_iso_interval() -> None:
    span = Span(dt.datetime(2026, 12, 1, 6, tzinfo=NY), dt.datetime(2026, 12, 1, 12, tzinfo=NY))
    assert Span.parse(span.isoformat()) == span
    assert Span.parse("2026-12-01T06:00:00-05:00") is None
    assert Span.parse("2026-12-01T12:00:00-05:00/2026-12-01T06:00:00-05:00") is None  # ends before it starts
    assert Span.parse("2026-12-01T06:00:00/2026-12-01T12:00:00") is None  # no offsets


def test_mentions_a_day() -> None:
    assert mentions_a_day("the twenty third of next month")
    assert mentions_a_day("on tuesdays")
    assert not mentions_a_day("the eleven o'clock please")


OFFERED = [dt.datetime(2026, 12, 1, 9, 0, tzinfo=NY), dt.datetime(2026, 12, 1, 9, 30, tzinfo=NY),
           dt.datetime(2026, 12, 1, 11, 0, tzinfo=NY), dt.datetime(2026, 12, 2, 9, 0, tzinfo=NY)]


def pick(said: str, offered: list[dt.datetime] = OFFERED) -> str | None:
    found = read_slot_choice(said, offered, MONDAY)
    return None if found is None else found.value.isoformat()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("said", "expected"), [
    ("the first one", "2026-12-01T09:00:00-05:00"),
    ("the second", "2026-12-01T09:30:00-05:00"),
    ("the last one", "2026-12-02T09:00:00-05:00"),
    ("um the nine thirty one", "2026-12-01T09:30:00-05:00"),   # not 9:31
    ("nine thirty please", "2026-12-01T09:30:00-05:00"),
    ("the 11 o'clock", "2026-12-01T11:00:00-05:00"),
    ("eleven is fine", "2026-12-01T11:00:00-05:00"),
    ("wednesday", "2026-12-02T09:00:00-05:00"),               # the only one that day
    ("tuesday at 9", "2026-12-01T09:00:00-05:00"),
])
def test_picks_among_the_offered_times(said: str, expected: str) -> None:
    assert pick(said) == expected


def test_a_new_time_instead_of_the_offered_ones() -> None:
    assert pick("how about thursday at 2") == "2026-12-03T14:00:00-05:00"
    assert pick("anything on friday") == "2026-12-04T00:00:00-05:00/2026-12-05T00:00:00-05:00"


@pytest.mark.parametrize(("said", "expected"), [
    # a full date or time wins over the ordinal words inside it: a new time, asked of the calendar
    ("then make it december third at two pm", "2026-12-03T14:00:00-05:00"),
    ("december first at one pm", "2026-12-01T13:00:00-05:00"),
    ("make it the third at 2", "2026-12-03T14:00:00-05:00"),
    ("the third of december at ten", "2026-12-03T10:00:00-05:00"),
    ("monday the fourteenth at nine", "2026-12-14T09:00:00-05:00"),
    ("on the third", "2026-12-03T00:00:00-05:00/2026-12-04T00:00:00-05:00"),
    ("december second", "2026-12-02T09:00:00-05:00"),               # the only offered time that day
    # a bare pick picks an offered time
    ("the third one please", "2026-12-01T11:00:00-05:00"),
    ("I'll take the second option", "2026-12-01T09:30:00-05:00"),
    ("the first", "2026-12-01T09:00:00-05:00"),
    ("the first one on wednesday", "2026-12-02T09:00:00-05:00"),    # the first of that day's
    ("the second one at eleven", "2026-12-01T11:00:00-05:00"),      # the time said wins
    ("the earliest", "2026-12-01T09:00:00-05:00"),
])
def test_a_date_or_time_said_wins_over_ordinal_words_in_it(said: str, expected: str) -> None:
    assert pick(said) == expected


@pytest.mark.parametrize("said", ["yes", "nine", "none of those"])
def test_ambiguous_or_no_pick(said: str) -> None:
    # "yes" to several, 9 on two days, a refusal
    assert pick(said) is None


def test_a_day_with_several_offered_times_narrows_to_that_day() -> None:
    # the booking runs again for the day and offers its free times
    assert pick("tuesday") == "2026-12-01T00:00:00-05:00/2026-12-02T00:00:00-05:00"


def test_yes_to_a_single_offer_takes_it() -> None:
    assert pick("yes that works", OFFERED[:1]) == "2026-12-01T09:00:00-05:00"
    assert pick("no", OFFERED[:1]) is None


@pytest.mark.parametrize("now", [dt.datetime(2026, 11, 30, 15, 0, tzinfo=NY), dt.datetime(2026, 12, 31, 15, 0, tzinfo=NY)])
def test_a_time_earlier_than_now_on_a_months_last_day_is_tomorrow(now: dt.datetime) -> None:
    # dateparser adds one to the day of the month, which wrapped to the 1st of the same month
    found = read_value("datetime", "9 am", ReadContext(now, NY_NAME))
    assert found is not None and found.value == dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(9),
                                                                    tzinfo=NY)


def test_the_first_of_a_month_named_on_a_months_last_day_stays_what_was_said() -> None:
    found = read_value("datetime", "december 1st at 9 am", ReadContext(dt.datetime(2026, 12, 31, 15, 0, tzinfo=NY), NY_NAME))
    assert found is not None and found.value == dt.datetime(2027, 12, 1, 9, 0, tzinfo=NY)


FRIDAY = [dt.datetime(2026, 12, 4, 12, 0, tzinfo=NY), dt.datetime(2026, 12, 4, 15, 30, tzinfo=NY)]


@pytest.mark.parametrize(("said", "expected"), [
    ("how about the morning then, ten o'clock", "2026-12-04T10:00:00-05:00"),  # not tomorrow at ten
    ("at four", "2026-12-04T16:00:00-05:00"),
    ("anything in the morning", "2026-12-04T06:00:00-05:00/2026-12-04T12:00:00-05:00"),
    ("tomorrow at ten", "2026-12-01T10:00:00-05:00"),                           # a day said is that day
    ("thursday at ten", "2026-12-03T10:00:00-05:00"),
])
def test_a_time_without_a_day_is_on_the_day_the_times_were_offered_for(said: str, expected: str) -> None:
    assert pick(said, FRIDAY) == expected


@pytest.mark.parametrize(("said", "wanted", "expected"), [
    ("nine o'clock then", dt.date(2026, 12, 2), "2026-12-02T09:00:00-05:00"),   # 9 AM was offered on both days
    ("ok nine", dt.date(2026, 12, 1), "2026-12-01T09:00:00-05:00"),
    ("nine o'clock then", dt.date(2026, 12, 3), None),                         # asked for neither day: no pick
    ("nine thirty", dt.date(2026, 12, 2), "2026-12-01T09:30:00-05:00"),        # offered once: that one
])
def test_a_time_offered_on_several_days_is_the_one_on_the_day_asked_for(said, wanted, expected) -> None:
    found = read_slot_choice(said, OFFERED, MONDAY, wanted)
    assert (None if found is None or not isinstance(found.value, dt.datetime) or found.value not in OFFERED
            else found.value.isoformat()) == expected
