"""Clock times said the ways other projects' test data says them (tests/readers/itn_corpus2.tsv, dev half): a
while before or after a time, minutes to or past noon and midnight, four digits without a colon, "in the am",
parts of an hour from now."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from callsim.readers import ReadContext, read_value

CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("America/New_York")), timezone="America/New_York")


def read(said: str) -> object:
    found = read_value("time", said, CTX)
    return None if found is None else found.value


@pytest.mark.parametrize(("said", "expected"), [
    ("15 to noon", dt.time(11, 45)),
    ("quarter to noon", dt.time(11, 45)),
    ("ten past midnight", dt.time(0, 10)),
    ("quarter past noon", dt.time(12, 15)),
    ("15 minutes from 1pm", dt.time(13, 15)),
    ("an hour before noon", dt.time(11, 0)),
    ("30 minutes after 9am", dt.time(9, 30)),
    ("twenty minutes after eight in the evening", dt.time(20, 20)),
    ("at 1030", dt.time(10, 30)),
    ("approximately 1030", dt.time(10, 30)),
    ("at 730 in the evening", dt.time(19, 30)),
    ("I'll be back 1140 a.m.", dt.time(11, 40)),
    ("tonight 815", dt.time(20, 15)),
    ("3 in the AM", dt.time(3, 0)),
    ("three o' clock", dt.time(3, 0)),
    ("mid day", dt.time(12, 0)),
])
def test_clock_times(said: str, expected: dt.time) -> None:
    assert read(said) == expected


@pytest.mark.parametrize(("said", "expected"), [
    ("in a quarter of an hour", dt.time(15, 15)),
    ("half an hour from now", dt.time(15, 30)),
    ("in a couple of minutes", dt.time(15, 2)),
    ("in a couple of hours", dt.time(17, 0)),
])
def test_a_while_from_now(said: str, expected: dt.time) -> None:
    assert read(said) == expected


def test_four_digits_alone_are_no_time() -> None:
    assert read("my code is 1030 thanks") is None  # no "at", no AM or PM: a number, not half past ten


@pytest.mark.parametrize(("said", "expected"), [
    ("let's meet on february 22nd 3:30", dt.datetime(2027, 2, 22, 3, 30, tzinfo=ZoneInfo("America/New_York"))),
    ("january twenty fourth one thirty p m", dt.datetime(2027, 1, 24, 13, 30, tzinfo=ZoneInfo("America/New_York"))),
])
def test_a_time_right_after_a_day_of_the_month(said: str, expected: dt.datetime) -> None:
    # a number after "22nd" is a year unless it is written as a time or said with AM or PM
    found = read_value("datetime", said, CTX)
    assert found is not None and found.value == expected


def test_minutes_counted_are_no_clock_time() -> None:
    assert read("the sun will set at six forty three minutes") is None  # not 6:00


@pytest.mark.parametrize(("said", "expected"), [
    ("twelve hundred hours", dt.time(12, 0)),     # a 24-hour clock: noon, not midnight
    ("zero hundred hours", dt.time(0, 0)),
    ("oh nine hundred", dt.time(9, 0)),
    ("twelve fifteen", dt.time(12, 15)),          # noon before midnight when neither is said
    ("noon thirty", dt.time(12, 30)),
])
def test_twelve_and_the_24_hour_clock(said: str, expected: dt.time) -> None:
    assert read(said) == expected


def test_the_24_hour_clock_is_not_read_by_opening_hours() -> None:
    evening_hours = ReadContext(now=CTX.now, timezone="America/New_York",
                                hours=lambda day: [(dt.datetime.combine(day, dt.time(18), CTX.now.tzinfo),
                                                    dt.datetime.combine(day, dt.time(23), CTX.now.tzinfo))])
    found = read_value("time", "oh nine hundred", evening_hours)
    assert found is not None and found.value == dt.time(9, 0)  # not 21:00 because the agent is open at night


@pytest.mark.parametrize("said", ["fourteen hours", "eight hours and thirty minutes"])
def test_a_length_of_hours_is_no_time_of_day(said: str) -> None:
    assert read(said) is None  # dateparser read it as that long from now
