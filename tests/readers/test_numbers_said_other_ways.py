"""Numbers said the ways other projects' test data says them (tests/readers/itn_corpus2.tsv, dev half): parts of
one, scales and dozens in the plural, "and a half" after a scale, digits with "point" or a k, m or b after them,
and "one" that stands for a thing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from callsim.readers import ReadContext, read_value

CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("America/New_York")), timezone="America/New_York")


def read(said: str) -> object:
    found = read_value("number", said, CTX)
    return None if found is None else found.value


@pytest.mark.parametrize(("said", "expected"), [
    ("two thirds", 2 / 3),
    ("three fifths", 0.6),
    ("five eighths", 0.625),
    ("twenty three fifths", 4.6),
    ("a fifth", 0.2),
    ("one third", 1 / 3),
    ("a third of the cake", 1 / 3),
    ("a hundredth", 0.01),
    ("three quarters", 0.75),
    ("three and a fifth", 3.2),
    ("twenty and three fifths", 20.6),
    ("the result is three and one fourth", 3.25),
    ("one over three", 1 / 3),
    ("two and a half hours", 2.5),
    ("half a million", 500_000),
    ("quarter million", 250_000),
    ("there are one million and a half possibilities", 1_500_000),
    ("3 million and a half", 3_500_000),
    ("two million and one half", 2_500_000),
    ("I counted six million and two thirds", 6_000_000 + 2 / 3 * 1_000_000),
])
def test_parts_of_one(said: str, expected: float) -> None:
    assert read(said) == pytest.approx(expected)


@pytest.mark.parametrize(("said", "expected"), [
    ("a third child", 3),            # an ordinal before a noun
    ("one hundredth", 100),          # the 100th, as NeMo writes it ("a hundredth" is 0.01)
    ("I want the third one", 3),
])
def test_an_ordinal_is_no_part_of_one(said: str, expected: int) -> None:
    assert read(said) == expected


@pytest.mark.parametrize("said", ["one hundred thirty fifths", "thirty fifths"])
def test_a_part_that_could_be_said_two_ways_is_no_number(said: str) -> None:
    # 130 fifths or 100 thirty-fifths: a wrong value is worse than none
    assert read(said) is None


@pytest.mark.parametrize(("said", "expected"), [
    ("three billions", 3_000_000_000),
    ("2 dozens", 24),
    ("three dozens", 36),
    ("200 dozens", 2400),
    ("322 hundred", 32_200),
    ("4 thousand 3 hundred and 21 is a valid number", 4321),
    ("1 point 1", 1.1),
    ("point 77", 0.77),
    ("10k", 10_000),
    ("2.33 k", 2330),
    ("1.2b", 1_200_000_000),
    ("3M", 3_000_000),
])
def test_scales_dozens_and_written_digits(said: str, expected: float) -> None:
    assert read(said) == pytest.approx(expected)


@pytest.mark.parametrize("said", ["which one do you prefer?", "that one is really good", "no one came"])
def test_one_that_stands_for_a_thing_is_no_number(said: str) -> None:
    assert read(said) is None


@pytest.mark.parametrize(("said", "expected"), [("uh, just the one", 1), ("the one bag", 1)])
def test_the_one_is_a_count(said: str, expected: int) -> None:
    assert read(said) == expected  # "just the one" answers "how many bags?" (held-out callers, baggage)
