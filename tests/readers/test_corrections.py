"""Self-corrections within a sentence: the later value wins, and only when there was something to correct."""

from __future__ import annotations

import datetime as dt

import pytest

from callsim.readers import ReadContext, read_value
from callsim.readers.corrections import (MAX_RUNS, marker_runs, markers, merge_moment, merge_name, read_corrected,
                                        said_around_markers)

NOW = dt.datetime(2026, 11, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=-5)))  # a Monday
CTX = ReadContext(now=NOW, timezone="America/New_York")


def reader(type_: str, **options):
    def read(text: str):
        found = read_value(type_, text, CTX, **options)
        return None if found is None or found.value == "" else found.value
    return read


def corrected(type_: str, text: str, **options):
    merge = merge_moment(CTX) if type_ in ("datetime", "when") else merge_name if type_ == "name" else None
    reading = read_corrected(text, type_, reader(type_, **options), merge)
    return None if reading is None else (reading.value, reading.replaced, reading.marker)


@pytest.mark.parametrize("type_, said, value, replaced, marker", [
    ("enum", "a medium, no sorry, a large", "large", "medium", "no sorry"),
    ("enum", "a medium, actually make that a large", "large", "medium", "actually make that"),
    ("digits", "four five six seven, sorry, four five six eight", "4568", "4567", "sorry"),
    ("digits", "4567 no 4568", "4568", "4567", "no"),                          # speech-to-text: no commas
    ("number", "two pizzas, I mean three", 3, 2, "i mean"),
    ("email", "jo at example dot com, scratch that, jo at example dot org", "jo@example.org", "jo@example.com",
     "scratch that"),
    ("yes_no", "yes, I mean no", False, True, "i mean"),
    ("yes_no", "no, actually yes", True, False, "actually"),
    ("name", "Jon, sorry, John", "John", "Jon", "sorry"),
    ("name", "jo march, no sorry, jo marsh", "Jo Marsh", "Jo March", "no sorry"),  # no capitals: a first name
    ("phone", "it's 312 555 0142, no wait, 0124, sorry", "+13125550124", "+13125550142", "no wait"),  # the last digits
    ("text", "the driver was rude, I mean the pizza was cold", "the pizza was cold", "the driver was rude,", "i mean"),
])
def test_the_later_value_wins(type_, said, value, replaced, marker):
    options = {"values": ["small", "medium", "large"]} if type_ == "enum" else {}
    assert corrected(type_, said, **options) == (value, replaced, marker)


@pytest.mark.parametrize("type_, said, value", [
    ("digits", "no, it's four five six seven", "4567"),           # nothing before "no" to correct
    ("digits", "I have no idea, maybe 4567", "4567"),
    ("digits", "sorry, it's 4567", "4567"),
    ("digits", "4567, sorry for the wait", "4567"),                 # nothing after "sorry" replaces it
    ("digits", "4567 is it, actually", "4567"),
    ("yes_no", "no", False),                                        # "no" answers a yes/no question
    ("yes_no", "no, sorry", False),
    ("enum", "a large, no olives", "large"),                        # "no olives" is not a size
    ("name", "Asha Patel, and no tattoos", "Asha Patel"),            # a word after "no" that is no name
    ("name", "Asha Patel. No. Nothing else", "Asha Patel"),           # capitalised only as a sentence starts
    ("text", "sorry, the pizza was cold, actually it was frozen", "sorry, the pizza was cold, actually it was frozen"),
])
def test_a_marker_with_nothing_to_correct_changes_nothing(type_, said, value):
    options = {"values": ["small", "medium", "large"]} if type_ == "enum" else {}
    assert corrected(type_, said, **options) == (value, None, "")


def test_no_before_a_comparison_is_not_a_marker():
    assert marker_runs("tuesday no later than five", markers("when")) == []
    assert marker_runs("no idea", markers("digits")) == []
    assert [r[2] for r in marker_runs("nine, no sorry, at eleven", markers("time"))] == ["no sorry"]


def test_a_later_time_keeps_the_earlier_day_and_a_later_day_the_earlier_time():
    value, replaced, _ = corrected("datetime", "wednesday at nine, no sorry, at eleven")
    assert (value.isoformat(), replaced.isoformat()) == ("2026-12-02T11:00:00-05:00", "2026-12-02T09:00:00-05:00")
    value, _, _ = corrected("datetime", "at ten on friday, no, thursday")
    assert value.isoformat() == "2026-12-03T10:00:00-05:00"
    value, _, _ = corrected("when", "wednesday at nine, no, at two")     # bookings read a bare 2 as 2 PM
    assert value.isoformat() == "2026-12-02T14:00:00-05:00"
    value, _, _ = corrected("when", "wednesday at nine, no, thursday morning")  # a part of a day stays a span
    assert value.isoformat() == "2026-12-03T06:00:00-05:00/2026-12-03T12:00:00-05:00"
    value, _, _ = corrected("datetime", "today at six, no, make it seven")  # said at 3 PM: six and seven PM
    assert value.isoformat() == "2026-11-30T19:00:00-05:00"
    value, _, _ = corrected("datetime", "tomorrow at six, no, seven am")  # the half of the day said wins
    assert value.isoformat() == "2026-12-01T07:00:00-05:00"


def test_said_around_markers_is_what_a_correction_of_an_earlier_answer_reads():
    assert said_around_markers("actually make that a large", "enum") == [("", " a large", "actually make that")]
    assert said_around_markers("oh make that three actually", "number") == [
        ("oh make that three ", "", "actually"), ("oh ", " three actually", "make that")]
    assert said_around_markers("a large please", "enum") == []
    assert said_around_markers("no, that's fine", "yes_no") == []          # "no" is a yes/no answer


def test_many_markers_are_read_around_the_last_few_and_the_last_correction_still_wins():
    said = "well no, well sorry, " * 300 + "it's 4567, no wait, 4568, I mean 4569"
    texts: list[str] = []

    def read(text: str):
        texts.append(text)
        return reader("digits")(text)

    reading = read_corrected(said, "digits", read)
    assert (reading.value, reading.replaced, reading.marker) == ("4569", "4568", "i mean")
    assert len(marker_runs(said, markers("digits"))) == MAX_RUNS
    assert len(texts) <= 2 * MAX_RUNS + 1  # was two reads of the turn per marker run: 600 here


@pytest.mark.parametrize("type_, said, value", [
    ("time", "at six pm, three orders, no wait, four", "18:00:00"),        # the count is corrected, not the time
    ("time", "around 2 pm, three bags, no wait, four", "14:00:00"),
    ("number", "at six, three orders, no wait, four", 4),
])
def test_a_bare_number_after_a_marker_corrects_the_number_said_right_before_it(type_, said, value):
    reading = corrected(type_, said)
    assert reading is not None and str(reading[0]) == str(value)


def test_a_bare_number_still_corrects_the_value_it_follows():
    assert corrected("time", "at six, no wait, four")[:2] == (dt.time(4), dt.time(6))


@pytest.mark.parametrize("said, value", [
    ("june the twentieth, no sorry, the twenty seventh", dt.date(2027, 6, 27)),   # the month said before
    ("june twentieth, no sorry, july first", dt.date(2027, 7, 1)),                # a month said again
    ("june twentieth, no sorry, thursday", dt.date(2026, 12, 3)),                 # a weekday is no day of a month
])
def test_a_day_of_the_month_said_alone_keeps_the_earlier_month(said, value):
    reading = read_corrected(said, "date", reader("date"), merge_moment(CTX))
    assert reading is not None and reading.value == value
