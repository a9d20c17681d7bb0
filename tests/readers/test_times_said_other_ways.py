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
