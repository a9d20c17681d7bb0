"""Datetimes said the way an agent speaks them, in the agent's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from callsim.readers.format import spoken_datetime, spoken_slots, spoken_time, written_date, written_span

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("hour", "minute", "said"), [
    (10, 30, "10:30 AM"), (10, 0, "10 AM"), (12, 0, "noon"), (0, 0, "midnight"), (12, 30, "12:30 PM"),
    (0, 5, "12:05 AM"), (23, 59, "11:59 PM"), (15, 0, "3 PM"),
])
def test_times_of_day(hour: int, minute: int, said: str) -> None:
    assert spoken_time(dt.time(hour, minute)) == said


def test_a_moment_in_the_agents_zone_with_weekday_and_month() -> None:
    at = dt.datetime(2026, 12, 1, 15, 30, tzinfo=dt.timezone.utc)  # 10:30 in New York
    assert spoken_datetime(at, NY) == "Tuesday, December 1 at 10:30 AM"


def test_the_year_is_said_only_when_it_is_not_this_years() -> None:
    now = dt.datetime(2026, 12, 20, 9, 0, tzinfo=NY)
    assert spoken_datetime(dt.datetime(2026, 12, 31, 9, 0, tzinfo=NY), NY, now) == "Thursday, December 31 at 9 AM"
    assert spoken_datetime(dt.datetime(2027, 1, 4, 9, 0, tzinfo=NY), NY, now) == "Monday, January 4, 2027 at 9 AM"


def test_the_hour_a_fall_back_repeats_names_its_zone() -> None:
    first = dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.timezone.utc)   # 1:30 EDT
    second = dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.timezone.utc)  # 1:30 EST, an hour later
    assert spoken_datetime(first, NY) == "Sunday, November 1 at 1:30 AM EDT"
    assert spoken_datetime(second, NY) == "Sunday, November 1 at 1:30 AM EST"
    assert spoken_datetime(dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone.utc), NY) == "Sunday, November 1 at 3 AM"


def test_slots_are_grouped_by_day_in_order() -> None:
    slots = [dt.datetime(2026, 12, 2, 9, 0, tzinfo=NY), dt.datetime(2026, 12, 1, 11, 0, tzinfo=NY),
             dt.datetime(2026, 12, 1, 9, 30, tzinfo=NY)]
    assert spoken_slots(slots, NY) == "Tuesday, December 1 at 9:30 AM or 11 AM, or Wednesday, December 2 at 9 AM"
    assert spoken_slots(slots[1:], NY) == "Tuesday, December 1 at 9:30 AM or 11 AM"
    three_days = [dt.datetime(2026, 12, d, 9, 0, tzinfo=NY) for d in (1, 2, 3)]
    assert spoken_slots(three_days, NY) == ("Tuesday, December 1 at 9 AM, Wednesday, December 2 at 9 AM, "
                                            "or Thursday, December 3 at 9 AM")
    assert spoken_slots([], NY) == ""


TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(("day", "written"), [
    (dt.date(2026, 12, 4), "Friday, December 4"),
    (dt.date(2027, 1, 8), "Friday, January 8, 2027"),
    (dt.date(2026, 11, 2), "Monday, November 2"),
    (dt.date(1962, 3, 3), "March 3, 1962"),
    (dt.date(2026, 1, 2), "January 2"),
])
def test_a_date_has_its_weekday_only_near_today_and_its_year_only_when_not_this_years(day, written) -> None:
    assert written_date(day, TODAY) == written


@pytest.mark.parametrize(("start", "end", "written"), [
    ((2026, 12, 4, 0), (2026, 12, 5, 0), "Friday, December 4"),
    ((2026, 12, 4, 9), (2026, 12, 4, 12), "Friday, December 4, 9 AM to noon"),
    ((2026, 12, 4, 18), (2026, 12, 5, 0), "Friday, December 4, 6 PM to midnight"),
    ((2026, 12, 4, 9), (2026, 12, 6, 0), "Friday, December 4 at 9 AM to Sunday, December 6 at midnight"),
])
def test_a_span_is_one_day_or_its_hours_or_its_two_ends(start, end, written) -> None:
    assert written_span(dt.datetime(*start, tzinfo=NY), dt.datetime(*end, tzinfo=NY), TODAY) == written
