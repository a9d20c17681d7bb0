"""Days said the ways other projects' test data says them (tests/readers/itn_corpus2.tsv, dev half): a weekday
of a week or of a month, a while before or after a day, months and years away, US holidays, a weekday with its
date, a year said with "hundred", and the 29th of February, which once crashed the reader."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from callsim.readers import ReadContext, read_value

NEW_YORK = ZoneInfo("America/New_York")
CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=NEW_YORK), timezone="America/New_York")  # a Monday


def read(said: str, ctx: ReadContext = CTX, direction: str | None = None) -> object:
    found = read_value("date", said, ctx, direction=direction)
    return None if found is None else found.value


@pytest.mark.parametrize(("said", "expected"), [
    ("the first monday of december", dt.date(2026, 12, 7)),
    ("last friday of october", dt.date(2027, 10, 29)),          # this year's has passed
    ("the second tuesday of next month", dt.date(2026, 12, 8)),
    ("first monday of this month", dt.date(2026, 11, 2)),
    ("last Sunday of March 2014", dt.date(2014, 3, 30)),
    ("wednesday next week", dt.date(2026, 12, 9)),
    ("next week wednesday", dt.date(2026, 12, 9)),
    ("monday of this week", dt.date(2026, 11, 30)),
    ("sunday from last week", dt.date(2026, 11, 29)),
    ("last week's sunday", dt.date(2026, 11, 29)),
    ("friday after next", dt.date(2026, 12, 11)),
    ("two sundays from now", dt.date(2026, 12, 13)),
])
def test_a_weekday_of_a_week_or_of_a_month(said: str, expected: dt.date) -> None:
    assert read(said) == expected


@pytest.mark.parametrize(("said", "expected"), [
    ("three months ago", dt.date(2026, 8, 30)),
    ("in two years", dt.date(2028, 11, 30)),
    ("I will leave in two months", dt.date(2027, 1, 30)),
    ("a month after january 31st", dt.date(2027, 2, 28)),       # the end of a shorter month
    ("two weeks from january fifteenth", dt.date(2027, 1, 29)),
    ("three days after christmas", dt.date(2026, 12, 28)),
    ("three weeks from tomorrow", dt.date(2026, 12, 22)),
    ("in a fortnight's time", dt.date(2026, 12, 14)),
    ("the 15th day of next month", dt.date(2026, 12, 15)),
    ("the 20th of the previous month", dt.date(2026, 10, 20)),
])
def test_a_while_before_or_after_a_day(said: str, expected: dt.date) -> None:
    assert read(said) == expected


@pytest.mark.parametrize(("said", "expected"), [
    ("thanksgiving", dt.date(2027, 11, 25)),                     # 2026's was last Thursday
    ("last thanksgiving", dt.date(2026, 11, 26)),
    ("thanksgiving in nine months", dt.date(2027, 11, 25)),      # the holiday, not nine months from today
    ("christmas eve", dt.date(2026, 12, 24)),
    ("new year's eve", dt.date(2026, 12, 31)),
    ("black friday of last year", dt.date(2025, 11, 28)),
    ("memorial day", dt.date(2027, 5, 31)),
    ("easter two thousand twenty four", dt.date(2024, 3, 31)),
    ("I'll go back on black friday 2010", dt.date(2010, 11, 26)),
    ("last MLK Jr. day", dt.date(2026, 1, 19)),
    ("St. Patrick's day", dt.date(2027, 3, 17)),
])
def test_us_holidays(said: str, expected: dt.date) -> None:
    assert read(said) == expected


@pytest.mark.parametrize(("said", "expected"), [
    ("sunday, november 29", dt.date(2026, 11, 29)),             # the one that is a Sunday: yesterday
    ("friday july 16", dt.date(2027, 7, 16)),
    ("on monday 21", dt.date(2026, 12, 21)),                     # the next 21st that is a Monday
    ("friday may 13th", dt.date(2027, 5, 13)),                  # no near May 13th is a Friday: the date wins
])
def test_a_weekday_with_its_date(said: str, expected: dt.date) -> None:
    assert read(said) == expected


def test_a_weekday_and_a_small_number_is_no_day_of_the_month() -> None:
    assert read("monday 3") == dt.date(2026, 12, 7)  # "monday 3" is monday at three, not the 3rd


@pytest.mark.parametrize(("said", "expected"), [
    ("on fifteen august nineteen hundred ninety three", dt.date(1993, 8, 15)),
    ("6 April seventeen hundred and thirty three", dt.date(1733, 4, 6)),
])
def test_a_year_said_with_hundred(said: str, expected: dt.date) -> None:
    assert read(said) == expected


@pytest.mark.parametrize(("direction", "expected"), [(None, dt.date(2028, 2, 29)), ("past", dt.date(2024, 2, 29))])
def test_the_29th_of_february_is_the_next_or_last_leap_years(direction: str | None, expected: dt.date) -> None:
    on_leap_day = ReadContext(now=dt.datetime(2024, 3, 1, 12, 0, tzinfo=NEW_YORK), timezone="America/New_York")
    assert read("feb 29th", on_leap_day, direction) == expected


@pytest.mark.parametrize(("said", "expected"), [
    ("the last day of october 2015", dt.date(2015, 10, 31)),
    ("the first day of next month", dt.date(2026, 12, 1)),
    ("the last day of the month", dt.date(2026, 11, 30)),
    ("thanksgiving in a year", dt.date(2027, 11, 25)),        # the holiday of the year a year from now
    ("mon 14th", dt.date(2026, 12, 14)),
    ("sun 13th", dt.date(2026, 12, 13)),
])
def test_first_and_last_days_a_holiday_a_while_away_and_short_weekdays(said: str, expected: dt.date) -> None:
    assert read(said) == expected


def test_a_short_weekday_that_is_a_word_is_a_weekday_only_before_its_date() -> None:
    assert read("I sat down with him yesterday") == dt.date(2026, 11, 29)  # yesterday, not Saturday


@pytest.mark.parametrize("said", ["next week", "sometime next week", "the end of next week", "this week",
                                  "the nineteenth century", "the fourth floor", "the second week",
                                  "within the second week", "the fourth day of the trip",
                                  "I'll be there the fourth day of the trip", "the third time I call"])
def test_a_week_or_the_nth_of_something_else_names_no_day(said: str) -> None:
    assert read(said) is None  # not its Monday: the agent asks which day, as for "next month"


def test_a_weekday_of_next_week_is_still_read() -> None:
    assert read("next week on tuesday") == dt.date(2026, 12, 8)


@pytest.mark.parametrize(("said", "expected"), [
    ("the day after christmas", dt.date(2026, 12, 26)),
    ("the day before thanksgiving", dt.date(2027, 11, 24)),
    ("the monday after thanksgiving", dt.date(2027, 11, 29)),
    ("the friday before christmas", dt.date(2026, 12, 18)),
    ("boxing day", dt.date(2026, 12, 26)),
])
def test_a_day_before_or_after_another(said: str, expected: dt.date) -> None:
    assert read(said) == expected  # "the day after christmas" was christmas


@pytest.mark.parametrize(("said", "expected"), [
    ("I'll go back on the first friday of july", dt.date(2027, 7, 2)),   # was the 1st of next month
    ("I'll go back 2015/10/2", dt.date(2015, 10, 2)),
])
def test_an_nth_weekday_after_on_and_a_year_first_date(said: str, expected: dt.date) -> None:
    assert read(said) == expected


def test_a_weekday_after_its_date() -> None:
    assert read("jul 16, fri") == dt.date(2027, 7, 16)  # this year's July 16th was a Thursday
