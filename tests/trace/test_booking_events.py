"""Booking, extraction and evaluation events: JSON round trips and the `booking` expectation."""

from __future__ import annotations

import datetime as dt

import pytest

from callsim.config.scenario import BookingExpectation
from callsim.trace.events import (BookingCancelled, BookingMade, BookingRescheduled, BookingUnavailable, Evaluation,
                                  Extracted, SlotsOffered, event_from_json)
from callsim.trace.compare import UNTYPED
from callsim.trace.expect import CHECKS

MADE = BookingMade(action="book", id="BK-0001", calendar="Dr. Lee", start="2026-11-02T10:30:00-05:00",
                   end="2026-11-02T11:00:00-05:00", spoken="Monday, November 2 at 10:30 AM", title="Visit - Lee Park",
                   attendee="+14155550100")


@pytest.mark.parametrize("event", [
    MADE,
    BookingUnavailable(action="book", wanted="2026-11-02T09:00:00-05:00", reason="conflict", detail="overlaps 'x'",
                       alternatives=["2026-11-02T10:00:00-05:00"]),
    SlotsOffered(action="book", wanted="a/b", slots=["2026-11-02T10:00:00-05:00"], spoken="Monday"),
    Extracted(action="intake", field="agreed", value=False, turn=3, text="no thanks"),
    Evaluation(action="quality", score=0.5, passed=False, pass_score=0.75,
               criteria=[{"name": "greeted", "passed": False, "weight": 1.0, "why": "never", "rubric": ""}]),
])
def test_events_survive_a_json_round_trip(event) -> None:
    event.seq, event.t = 7, 1.5
    again = event_from_json(event.to_json())
    assert again == event and again.summary() == event.summary()


@pytest.mark.parametrize(("expected", "passes"), [
    ({"start": dt.datetime(2026, 11, 2, 10, 30)}, True),                                     # wall clock
    ({"start": dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.timezone.utc)}, True),             # the same instant
    ({"start": dt.datetime(2026, 11, 2, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4)))}, False),  # summer offset
    ({"calendar": "lee", "attendee": "555", "title": "lee park"}, True),
    ({"calendar": "Dr. Who"}, False),
    ({"duration": "30m"}, True),
    ({"duration": 1800}, True),
    ({"duration": "45m"}, False),                                                            # end less start
])
def test_booking_expectation(expected: dict, passes: bool) -> None:
    failure = CHECKS["booking"](BookingExpectation.model_validate(expected), [MADE], [MADE], UNTYPED)
    assert (failure is None) is passes


def test_booking_expectation_says_how_long_it_wanted_the_booking() -> None:
    failure = CHECKS["booking"](BookingExpectation.model_validate({"duration": "1h30m"}), [MADE], [MADE], UNTYPED)
    assert failure is not None and failure.expected == "a booking with duration 1h30m"


def test_booking_expectation_says_what_was_refused_when_nothing_was_booked() -> None:
    refused = BookingUnavailable(action="book", wanted="2026-11-02T09:00:00-05:00", reason="outside_hours",
                                 detail="closed on sun")
    failure = CHECKS["booking"](BookingExpectation(), [refused], [refused], UNTYPED)
    assert failure is not None and failure.instead.startswith("no booking was made (last refusal: ")
    assert "outside_hours (closed on sun)" in failure.instead


def _numbered(*events):
    for seq, event in enumerate(events, 1):
        event.seq = seq
    return list(events)


def test_a_booking_cancelled_later_in_the_call_is_no_booking() -> None:
    made = BookingMade(action="book", id="BK-0001", calendar="Dr. Lee", start=MADE.start, end=MADE.end,
                       spoken=MADE.spoken, title=MADE.title)
    cancelled = BookingCancelled(action="cancel", id="BK-0001", calendar="Dr. Lee", start=MADE.start, spoken="Monday")
    other = BookingCancelled(action="cancel", id="BK-0002", calendar="Dr. Lee", start=MADE.start, spoken="Monday")
    events = _numbered(made, other, cancelled)
    wanted = BookingExpectation.model_validate({"start": dt.datetime(2026, 11, 2, 10, 30)})
    assert CHECKS["booking"](wanted, events[:2], events[:2], UNTYPED) is None  # before the cancel, it stood
    failure = CHECKS["booking"](wanted, events, events, UNTYPED)
    assert failure is not None and failure.instead.endswith(", then cancelled by cancel (#3)")


def test_a_booking_moved_later_in_the_call_stands_at_its_new_time_only() -> None:
    made = BookingMade(action="book", id="BK-0001", calendar="Dr. Lee", start=MADE.start, end=MADE.end,
                       spoken=MADE.spoken, title=MADE.title)
    moved = BookingRescheduled(action="move", id="BK-0001", calendar="Dr. Lee", previous_start=MADE.start,
                               start="2026-11-03T09:00:00-05:00", end="2026-11-03T09:30:00-05:00", spoken="Tuesday")
    events = _numbered(made, moved)
    at_first = BookingExpectation.model_validate({"start": dt.datetime(2026, 11, 2, 10, 30)})
    failure = CHECKS["booking"](at_first, events, events, UNTYPED)
    assert failure is not None and "then moved to 2026-11-03T09:00:00-05:00 by move (#2)" in failure.instead
    assert CHECKS["booking"](BookingExpectation.model_validate({"start": dt.datetime(2026, 11, 3, 9)}), events, events,
                             UNTYPED) is None
