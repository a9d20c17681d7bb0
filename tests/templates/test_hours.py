"""Opening hours and the agent's local `now` in conditions: weekdays, midnight, daylight saving."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from callsim.templates import compile_condition
from callsim.templates.hours import OpeningHours, check_hours_in_condition, condition_context, local_now

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("hours", "moment", "open_"), [
    ("mon-fri 09:00-17:00", dt.datetime(2026, 11, 30, 9, 0, tzinfo=NY), True),     # Monday, opening minute
    ("mon-fri 09:00-17:00", dt.datetime(2026, 11, 30, 8, 59, tzinfo=NY), False),
    ("mon-fri 09:00-17:00", dt.datetime(2026, 11, 30, 17, 0, tzinfo=NY), False),   # closing minute is closed
    ("mon-fri 09:00-17:00", dt.datetime(2026, 12, 5, 12, 0, tzinfo=NY), False),    # Saturday
    ("mon-fri 09:00-17:00; sat 10:00-14:00", dt.datetime(2026, 12, 5, 12, 0, tzinfo=NY), True),
    ("fri-mon 22:00-06:00", dt.datetime(2026, 12, 5, 2, 0, tzinfo=NY), True),      # Saturday 2:00, from Friday
    ("fri-mon 22:00-06:00", dt.datetime(2026, 12, 1, 2, 0, tzinfo=NY), True),      # Tuesday 2:00, from Monday night
    ("fri-mon 22:00-06:00", dt.datetime(2026, 12, 2, 2, 0, tzinfo=NY), False),     # Wednesday 2:00
    ("daily 00:00-24:00", dt.datetime(2026, 12, 2, 23, 59, tzinfo=NY), True),
    ("SUN 10:00-11:00", dt.datetime(2026, 12, 6, 10, 30, tzinfo=NY), True),
])
def test_open_at(hours, moment, open_):
    assert OpeningHours.parse(hours).open_at(moment) is open_


@pytest.mark.parametrize(("hours", "problem"), [
    ("", "expected opening hours such as"),
    ("weekdays 09:00-17:00", "'weekdays 09:00-17:00' is not 'DAYS HH:MM-HH:MM'"),
    ("mon-fri 9-17", "is not 'DAYS HH:MM-HH:MM'"),
    ("mon-fri 09:00-25:00", "25:00 is not a time of day"),
    ("mon-fri 09:60-17:00", "09:60 is not a time of day"),
    ("mon 10:00-10:00", "10:00-10:00 is an empty span"),
])
def test_malformed_hours(hours, problem):
    with pytest.raises(ValueError, match=problem):
        OpeningHours.parse(hours)


def test_now_is_in_the_agents_time_zone_across_daylight_saving():
    before = local_now(dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.timezone.utc), "America/New_York")
    after = local_now(dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.timezone.utc), "America/New_York")

    assert (before["weekday"], before["time"], before["hour"]) == ("sun", "01:30", 1)
    assert (after["time"], after["date"]) == ("03:30", "2026-03-08")  # 2:30 never happened that night


def test_conditions_see_now_and_business_hours_beside_the_variables():
    context = condition_context({"language": "en"}, dt.datetime(2026, 11, 30, 15, tzinfo=dt.timezone.utc),
                                "America/New_York")

    assert compile_condition('business_hours("mon-fri 09:00-17:00") and now.weekday == "mon"')(context)
    assert compile_condition('now.hour == 10 and now.time >= "09:30" and language == "en"')(context)
    assert not compile_condition('now.weekday in ["sat", "sun"]')(context)


def test_literal_hours_in_a_condition_are_checked_when_loading():
    check_hours_in_condition('vip or business_hours("mon-fri 09:00-17:00")')
    with pytest.raises(ValueError, match="'fry' is not a day"):
        check_hours_in_condition('business_hours("mon-fry 09:00-17:00")')
    with pytest.raises(ValueError, match="business_hours takes one text argument"):
        check_hours_in_condition('business_hours("mon 09:00-10:00", "x")')
