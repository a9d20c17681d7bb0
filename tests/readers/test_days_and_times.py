"""Days and clock times read by callsim itself: years by direction, clock phrases, zones, opening hours."""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo

import pytest

from callsim.readers import ReadContext, read_value
from callsim.templates.hours import opening_hours

NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=NEW_YORK)  # a Monday
CTX = ReadContext(now=NOW, timezone="America/New_York")


def read(kind: str, said: str, ctx: ReadContext = CTX, **options: str) -> object:
    found = read_value(kind, said, ctx, **options)
    return None if found is None else found.value


@pytest.mark.parametrize(("said", "direction", "expected"), [
    ("january seventh ninety eight", None, dt.date(1998, 1, 7)),
    ("november seventeenth oh five", None, dt.date(2005, 11, 17)),
    ("january seventh ninety eight", "past", dt.date(1998, 1, 7)),
    ("january seventh ninety eight", "future", dt.date(2098, 1, 7)),
    ("march fourth thirty", None, dt.date(2030, 3, 4)),            # 2030 is nearer than 1930
    ("march fourth thirty", "past", dt.date(1930, 3, 4)),
    ("march fourth", None, dt.date(2027, 3, 4)),                   # a day without a year: the next one
    ("march fourth", "past", dt.date(2026, 3, 4)),                 # ...or, looking back, the last one
    ("november twenty eighth", "nearest", dt.date(2026, 11, 28)),
    ("the fifth of august two thousand six", None, dt.date(2006, 8, 5)),
    ("march third nineteen eighty five", None, dt.date(1985, 3, 3)),
    ("12/01", None, dt.date(2026, 12, 1)),
    ("10/06/2005", None, dt.date(2005, 10, 6)),
    ("monday", None, dt.date(2026, 12, 7)),                         # said on a Monday: next week's
    ("last monday", None, dt.date(2026, 11, 23)),
])
def test_dates_fill_in_what_was_left_out_by_direction(said: str, direction: str | None, expected: dt.date) -> None:
    assert read("date", said, direction=direction) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("said", ["nineteen ninety four", "twenty twelve", "july two thousand twelve",
                                  "march sixteen sixty five", "the nineteen eighties", "second quarter of twenty "
                                  "twenty two", "february thirtieth nineteen ninety eight", "ten thirty"])
def test_words_that_name_no_day_are_no_date(said: str) -> None:
    assert read("date", said) is None


@pytest.mark.parametrize(("said", "expected"), [
    ("for four hours", None),                                       # a length names no day
    ("four hours, six people", None),
    ("make that five hours", None),
    ("saturday for four hours", dt.date(2026, 12, 5)),
    ("in four hours", dt.date(2026, 11, 30)),                       # a moment counted from now does
    ("48 hours from now", dt.date(2026, 12, 2)),
])
def test_hours_said_as_a_length_are_no_date(said: str, expected: dt.date | None) -> None:
    assert read("date", said) == expected


def test_a_birth_date_variable_reads_toward_the_past_by_its_name_or_its_direction() -> None:
    from callsim.config.agent import AgentConfig

    agent = AgentConfig.model_validate({"agent": "a", "greeting": "hi", "variables": {
        "date_of_birth": {"type": "date"}, "follow_up": {"type": "date"},
        "incident": {"type": "date", "direction": "past"}}})
    assert [agent.variables[n].direction for n in ("date_of_birth", "follow_up", "incident")] == ["past", None, "past"]


@pytest.mark.parametrize(("said", "expected"), [
    ("ten to eleven pm", dt.time(22, 50)),
    ("set alarm at ten to eleven pm", dt.time(22, 50)),
    ("quarter to three in the afternoon", dt.time(14, 45)),
    ("twenty five past six in the evening", dt.time(18, 25)),
    ("fourteen hours ten minutes and thirty seconds", dt.time(14, 10, 30)),
    ("ten hours zero minutes and zero seconds pm", dt.time(22, 0)),
    ("one min to one am", dt.time(0, 59)),
    ("fourteen hundred", dt.time(14, 0)),
    ("twenty three o'clock", dt.time(23, 0)),
    ("eleven oh five p m", dt.time(23, 5)),
    ("tonight at eight", dt.time(20, 0)),
    ("eight o'clock g m t", dt.time(3, 0)),                 # 08:00 in London is 03:00 in New York
    ("3 pm EST", dt.time(15, 0)),
    ("two to three", None),                                  # a range, not 2:58
    ("the third", None),
])
def test_clock_times(said: str, expected: dt.time | None) -> None:
    assert read("time", said) == expected


def test_a_time_has_no_fraction_of_a_second_from_the_call_clock() -> None:
    ctx = ReadContext(now=NOW.replace(second=3, microsecond=200000), timezone="America/New_York")
    for said in ("in two hours", "ten thirty", "quarter past one"):
        value = read("time", said, ctx)
        assert isinstance(value, dt.time) and value.microsecond == 0 and value.second == 0


CLINIC = opening_hours("mon-fri 09:00-17:00")
OPEN = ReadContext(now=NOW, timezone="America/New_York", hours=lambda day: CLINIC.on(day, NEW_YORK))


@pytest.mark.parametrize(("said", "without", "within"), [
    ("two thirty", dt.time(2, 30), dt.time(14, 30)),         # the clinic: 2:30 PM
    ("quarter to three", dt.time(2, 45), dt.time(14, 45)),
    ("nine", dt.time(9, 0), dt.time(9, 0)),                   # 9 PM is closed, 9 AM open
    ("eight", dt.time(8, 0), dt.time(8, 0)),                  # neither is open: the time as said
    ("two thirty am", dt.time(2, 30), dt.time(2, 30)),        # said is said
])
def test_a_time_without_am_or_pm_is_read_inside_the_opening_hours(said: str, without: dt.time, within: dt.time) -> None:
    assert read("time", said) == without
    assert read("time", said, OPEN) == within


def test_a_day_and_a_time_without_am_or_pm_use_that_days_hours() -> None:
    assert read("datetime", "tuesday at two thirty", OPEN) == dt.datetime(2026, 12, 1, 14, 30, tzinfo=NEW_YORK)
    assert read("datetime", "tuesday at two thirty") == dt.datetime(2026, 12, 1, 2, 30, tzinfo=NEW_YORK)


@pytest.mark.parametrize(("said", "expected"), [
    ("a one b two at a b c dot com", "a1b2@abc.com"),
    ("asdf one two three at abc dot com", "asdf123@abc.com"),
    ("my email is enterprise services at nvidia dot com", "enterpriseservices@nvidia.com"),
    ("it's john underscore smith at g mail dot com", "john_smith@gmail.com"),
    ("a b three hyphen s d d dash three at g mail dot com", "ab3-sdd-3@gmail.com"),
    ("c d f at a b c dot e d u", "cdf@abc.edu"),
    ("mario at hotmail dot it please", "mario@hotmail.it"),
    ("jane dot doe at example dot com call me back", "jane.doe@example.com"),
    ("you can reach me at gmail dot com", None),
    ("w w w dot nvidia dot com", None),
])
def test_spoken_emails(said: str, expected: str | None) -> None:
    assert read("email", said) == expected


def test_common_dates_and_times_are_read_without_dateparser() -> None:
    import subprocess

    code = ("import datetime as dt, sys; from zoneinfo import ZoneInfo; from callsim.readers import ReadContext, "
            "read_value; c = ReadContext(now=dt.datetime(2026, 11, 30, 15, tzinfo=ZoneInfo('UTC')));"
            "[read_value(t, s, c) for t, s in [('date', 'next tuesday'), ('date', 'december third'), "
            "('time', 'half past two'), ('datetime', 'tomorrow at ten thirty'), ('when', 'tomorrow morning')]];"
            "print('dateparser' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
