"""The `number` type on the ways numbers are written and said beyond plain cardinals: fractions, scales written
as letters, currencies around the amount, counts by the dozen, "one" as a pronoun, digits and words mixed."""

from __future__ import annotations

import datetime as dt

import pytest

from callsim.readers import ReadContext, read_value
from callsim.readers.quantities import spoken_numbers

CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone.utc))


def number(utterance: str) -> object:
    read = read_value("number", utterance, CTX)
    return None if read is None else read.value


@pytest.mark.parametrize(("utterance", "expected"), [
    ("two thirds", 2 / 3),
    ("a fifth", 0.2),
    ("three fifths of the guests", 0.6),
    ("five eighths", 0.625),
    ("twenty three fifths", 4.6),
    ("three twenty firsts", 3 / 21),              # "three twenty" / "firsts" divides by one: no fraction
    ("one one hundred fifth", 1 / 105),
    ("a hundredth", 0.01),
    ("a hundred thousand trillionths", 1e-7),     # a scale ordinal takes the whole count
    ("ninety five hundredths", 0.95),
    ("one half", 0.5),
    ("three quarters", 0.75),
    ("three halves", 1.5),
    ("more than half", 0.5),
    ("3/4", 0.75),
    ("-4/5", -0.8),
    ("2 1/4", 2.25),
    ("one over three", 1 / 3),
    ("2000 over 3", 2000 / 3),
    ("one third", 1 / 3),
    ("a third of the cake", 1 / 3),
])
def test_fractions(utterance: str, expected: float) -> None:
    assert number(utterance) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("utterance", "expected"), [
    ("one hundredth", 100),        # the ordinal, as in "the one hundredth caller"; "a hundredth" is the fraction
    ("twenty first", 21),          # an ordinal of one is no denominator
    ("thirty seconds", 30),        # nor of two: "seconds" is time
    ("twenty fifth", 25),
    ("half past two", 2),          # no half
    ("seven out of ten", 7),       # a rating or a count of ten: the numerator (README, readers)
    ("a third child", 3),          # an ordinal before a noun
    ("I want the third one", 3),
])
def test_ordinals_and_times_are_no_fractions(utterance: str, expected: int) -> None:
    value = number(utterance)
    assert value == expected and type(value) is int


@pytest.mark.parametrize("utterance", [
    "one hundred thirty fifths",          # 130/5 or 100/35
    "thirty fifths",                      # 30/5, or thirty-fifths with no count
    "ninety five hundred fifths",         # 9500/5, 95/105 or 90/505
    "the answer is minus one hundred thirty fifths",
])
def test_a_fraction_that_splits_two_ways_reads_nothing(utterance: str) -> None:
    assert number(utterance) is None


@pytest.mark.parametrize(("utterance", "expected"), [
    ("three and a fifth", 3.2),
    ("the result is three and one fourth", 3.25),
    ("two and a half hours", 2.5),
    ("twenty and three fifths", 20.6),
    ("one hundred and three and two thirds", 103 + 2 / 3),
    ("two hundred and fifty four hundredths", 200.54),   # "and" before a fraction: a whole and a part
    ("one million and a half", 1_500_000),              # a half of the million
    ("there are one million and a half possibilities", 1_500_000),
    ("3 million and a half", 3_500_000),
    ("I counted six million and two thirds", 6_000_000 + 2 / 3 * 1_000_000),
    ("3 million and a quarter", 3_250_000),
    ("two million and one half", 2_500_000),
    ("one billion and a half million", 1_000_500_000),
    ("one and a half million", 1_500_000),
    ("half a million", 500_000),
    ("quarter million", 250_000),
    ("a quarter of a million", 250_000),
    ("a quarter of the people", 0.25),
])
def test_a_whole_and_a_fraction_and_scales(utterance: str, expected: float) -> None:
    assert number(utterance) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("utterance", "expected"), [
    ("10k", 10_000),
    ("- 10 k", -10_000),
    ("2.33 k", 2330),
    ("3M", 3_000_000),
    ("-1.2M", -1_200_000),
    ("I can give you 10M.", 10_000_000),
    ("1.2b", 1_200_000_000),
    ("4bn", 4_000_000_000),
    ("5m", None),               # metres or minutes: no million
    ("three billions", 3_000_000_000),
    ("ten grand", 10_000),
    ("322 hundred", 32_200),
    ("3 dozens", 36),
    ("2 dozens", 24),
    ("three dozens", 36),
    ("200 dozens", 2400),
    ("5 doz", 60),
    ("thousands of people", None),
])
def test_scales_written_as_letters_plurals_and_dozens(utterance: str, expected: int | None) -> None:
    assert number(utterance) == expected


@pytest.mark.parametrize(("utterance", "expected"), [
    ("20€", 20),
    ("3.14US$", 3.14),
    ("GBP3.01", 3.01),
    ("a US$4.7 billion", 4_700_000_000),
    ("3 GBP 1 pence", 3.01),        # the pence are the 1's, not the 3's
    ("3 GBP and one", 3.01),
    ("$20 43", 20.43),              # a unit before the amount: the cents right after it
    ("$3 and 14 cents", 3.14),
    ("20Rs", 20),
    ("$20 and 43c", 20.43),         # cents written as a "c" after the digits
    ("10 c", 0.1),
    ("894 c c", 894),               # cubic centimetres, as NeMo writes them
    ("a buck fifty", 1.5),          # "a" before a currency said in words is one
    ("a dollar twenty", 1.2),
    ("it costs a dollar and twenty cents", 1.2),
])
def test_currencies_before_and_after_the_amount(utterance: str, expected: float) -> None:
    assert number(utterance) == pytest.approx(expected)


@pytest.mark.parametrize(("utterance", "expected"), [
    ("which one do you prefer?", None),
    ("that one is really good", None),
    ("no one", None),
    ("no one came", None),
    ("uh, just the one", 1),       # "just the one" answers "how many bags?" (held-out callers, baggage)
    ("the one bag", 1),
    ("that one, and two more", 2),
    ("one of them", 1),
    ("this one hundred dollar bill", 100),
    ("I'll take one", 1),
])
def test_one_as_a_pronoun_is_no_count(utterance: str, expected: int | None) -> None:
    assert number(utterance) == expected


@pytest.mark.parametrize(("utterance", "expected"), [
    ("4 thousand 3 hundred and 21 is a valid number.", 4321),
    ("1 point 1", 1.1),
    ("point 77", 0.77),
    ("1 234 567", 1_234_567),
    ("the population is 1 414 021 100.", 1_414_021_100),
    ("1 000", 1000),
    ("2 100 dollar bills", 2),       # one group could be two numbers: left apart
    ("fifty - two", 52),
    ("twentyfifth", 25),
    ("fortysecond", 42),
    ("twenty\u2014fifth", 25),
])
def test_digits_and_words_mixed(utterance: str, expected: float) -> None:
    assert number(utterance) == expected


def test_a_dash_before_a_number_is_a_sign_only_where_no_number_comes_before_it() -> None:
    assert [n.value for n in spoken_numbers("3 - 5 people")] == [3, 5]
    assert [n.value for n in spoken_numbers("- 5")] == [-5]

