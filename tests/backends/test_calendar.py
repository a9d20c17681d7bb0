"""The calendar fake: opening hours and slots across DST changes, conflicts, bookings, .ics imports."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callsim.backends.calendar import FakeCalendar, IcsError, Unavailable, load_ics
from callsim.config.calendar import CalendarSpec
from callsim.engine.clock import VirtualClock

NY = ZoneInfo("America/New_York")
HALF_HOUR = 1800.0


def calendar(now: dt.datetime, folder: Path | None = None, **spec: object) -> FakeCalendar:
    return FakeCalendar(CalendarSpec.model_validate(spec), VirtualClock(now), folder=folder,
                        timezone="America/New_York")


def local(*fields: int) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=NY)


def test_opening_hours_keep_their_wall_clock_on_the_days_the_clocks_change() -> None:
    cal = calendar(local(2026, 10, 1, 8), hours={"daily": "00:00-24:00"})
    fall, spring = cal.opening(dt.date(2026, 11, 1)), cal.opening(dt.date(2027, 3, 14))
    assert [(a.astimezone(NY).isoformat(), b.astimezone(NY).isoformat()) for a, b in fall] == [
        ("2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00")]
    assert fall[0][1] - fall[0][0] == dt.timedelta(hours=25)
    assert spring[0][1] - spring[0][0] == dt.timedelta(hours=23)


def test_the_slot_grid_steps_in_real_time_through_the_repeated_hour() -> None:
    cal = calendar(local(2026, 10, 1, 8), hours={"sun": "00:00-03:00"}, slot="30m")
    slots = cal.free_slots(local(2026, 11, 1, 0), local(2026, 11, 1, 3), HALF_HOUR)
    # 1:00 and 1:30 happen twice: first in EDT, then in EST
    assert [s.astimezone(NY).strftime("%H:%M %Z") for s in slots] == [
        "00:00 EDT", "00:30 EDT", "01:00 EDT", "01:30 EDT", "01:00 EST", "01:30 EST", "02:00 EST", "02:30 EST"]


def test_the_slot_grid_skips_the_hour_spring_forward_removes() -> None:
    cal = calendar(local(2027, 3, 1, 8), hours={"sun": "01:00-04:00"}, slot="30m")
    slots = cal.free_slots(local(2027, 3, 14, 0), local(2027, 3, 14, 5), HALF_HOUR)
    assert [s.astimezone(NY).strftime("%H:%M %Z") for s in slots] == ["01:00 EST", "01:30 EST", "03:00 EDT", "03:30 EDT"]


def test_check_says_why_a_time_cannot_be_booked() -> None:
    cal = calendar(local(2026, 11, 30, 15), hours={"mon-fri": "09:00-17:00"},
                   events=[{"start": "2026-12-01T10:00", "end": "2026-12-01T11:00", "title": "Surgery"}])
    half = dt.timedelta(minutes=30)
    assert cal.check(local(2026, 11, 30, 9), local(2026, 11, 30, 9) + half).reason == "past"
    closed = cal.check(local(2026, 12, 6, 11), local(2026, 12, 6, 11) + half)
    assert (closed.reason, closed.detail) == ("outside_hours", "closed on sun")
    late = cal.check(local(2026, 12, 1, 16, 45), local(2026, 12, 1, 17, 15))  # runs past closing
    assert late.reason == "outside_hours" and late.detail == "open 09:00-17:00 on tue"
    taken = cal.check(local(2026, 12, 1, 10, 30), local(2026, 12, 1, 11))
    assert taken.reason == "conflict" and taken.event is not None and taken.event.title == "Surgery"
    assert cal.check(local(2026, 12, 1, 11), local(2026, 12, 1, 11, 30)) is None  # back to back is fine


def test_nearest_free_times_around_a_taken_one_closest_first_then_in_order() -> None:
    cal = calendar(local(2026, 11, 30, 15), hours={"mon-fri": "09:00-17:00"},
                   events=[{"start": "2026-12-01T10:00", "end": "2026-12-01T11:00"}])
    nearest = cal.nearest_free(local(2026, 12, 1, 10), HALF_HOUR, 3)
    assert [s.astimezone(NY).strftime("%H:%M") for s in nearest] == ["09:00", "09:30", "11:00"]


def test_nearest_free_never_offers_the_past() -> None:
    cal = calendar(local(2026, 11, 30, 15, 10), hours={"mon-fri": "09:00-17:00"})
    nearest = cal.nearest_free(local(2026, 11, 30, 15, 10), HALF_HOUR, 2)
    assert [s.astimezone(NY).isoformat() for s in nearest] == ["2026-11-30T15:30:00-05:00", "2026-11-30T16:00:00-05:00"]


def test_bookings_block_their_time_and_can_be_moved_and_cancelled() -> None:
    cal = calendar(local(2026, 11, 30, 15), hours={"mon-fri": "09:00-17:00"})
    start, end = local(2026, 12, 1, 9), local(2026, 12, 1, 9, 30)
    first = cal.book(start, end, "Visit", "+14155550100")
    assert first.id == "BK-0001"
    with pytest.raises(Unavailable) as taken:
        cal.book(start, end, "Other", None)
    assert taken.value.reason == "conflict" and taken.value.event is first
    assert cal.find(attendee="+14155550100") is first
    assert cal.find(id="bk-0001") is first
    cal.move(first, local(2026, 12, 1, 9, 15), local(2026, 12, 1, 9, 45))  # overlapping itself is fine
    cal.cancel(first)
    assert cal.find(id="BK-0001") is None
    assert cal.book(start, end, "Other", None).id == "BK-0002"


def test_an_event_that_appears_mid_call_blocks_only_from_then_on() -> None:
    clock = VirtualClock(local(2026, 11, 30, 15))
    cal = FakeCalendar(CalendarSpec.model_validate(
        {"events": [{"start": "2026-12-01T09:00", "duration": "30m", "appears_after": "20s"}]}), clock,
        timezone="America/New_York")
    slot = (local(2026, 12, 1, 9), local(2026, 12, 1, 9, 30))
    assert cal.check(*slot) is None
    clock.advance(20)
    assert cal.check(*slot).reason == "conflict"


def test_events_with_and_without_offsets() -> None:
    cal = calendar(local(2026, 10, 30, 16), events=[{"start": "2026-11-02T14:00:00Z", "duration": "1h"},
                                                    {"start": "2026-11-02T15:00", "end": "2026-11-02T16:00"}])
    assert [e.start.astimezone(NY).isoformat() for e in cal.events] == ["2026-11-02T09:00:00-05:00",
                                                                       "2026-11-02T15:00:00-05:00"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5 * 24 * 4), st.integers(1, 8)), max_size=30))
def test_bookings_never_overlap_and_always_fit_the_opening_hours(requests: list[tuple[int, int]]) -> None:
    cal = calendar(local(2026, 10, 29, 8), hours={"mon-fri": "09:00-12:00, 13:00-17:00", "sat": "10:00-14:00"})
    base = local(2026, 10, 29, 0).astimezone(dt.timezone.utc)  # through the fall-back weekend
    for quarter, length in requests:
        start = (base + dt.timedelta(minutes=15 * quarter)).astimezone(NY)
        end = start + dt.timedelta(minutes=15 * length)
        try:
            cal.book(start, end, "x", None)
        except Unavailable:
            continue
    booked = sorted(cal.events, key=lambda e: e.start)
    for before, after in zip(booked, booked[1:]):
        assert before.end <= after.start
    assert all(cal.is_open(e.start, e.end) for e in booked)


ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:meeting
DTSTART;TZID=America/New_York:20260914T090000
DTEND;TZID=America/New_York:20260914T100000
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=America/New_York:20261109T090000
SUMMARY:Staff meeting
END:VEVENT
BEGIN:VEVENT
UID:floating
DTSTART:20261103T120000
DURATION:PT1H
SUMMARY:Lunch (floating time)
ATTENDEE:mailto:dr.lee@clinic.example
END:VEVENT
BEGIN:VEVENT
UID:holiday
DTSTART;VALUE=DATE:20261126
SUMMARY:Thanksgiving
END:VEVENT
BEGIN:VEVENT
UID:free
DTSTART;TZID=America/New_York:20261104T090000
DTEND;TZID=America/New_York:20261104T100000
TRANSP:TRANSPARENT
SUMMARY:Not busy
END:VEVENT
BEGIN:VEVENT
UID:gone
DTSTART;TZID=America/New_York:20261105T090000
DTEND;TZID=America/New_York:20261105T100000
STATUS:CANCELLED
SUMMARY:Cancelled
END:VEVENT
END:VCALENDAR
"""


def write(tmp_path: Path, text: str, name: str = "cal.ics") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_ics_recurrences_keep_their_wall_clock_across_the_change(tmp_path: Path) -> None:
    write(tmp_path, ICS)
    cal = calendar(local(2026, 10, 1, 8), tmp_path, ics="cal.ics")
    busy = cal.busy(local(2026, 10, 26), local(2026, 11, 17))
    meetings = [e.start.astimezone(NY).isoformat() for e in busy if e.id == "meeting"]
    # 9 AM in summer time and in winter time; November 9 is excluded
    assert meetings == ["2026-10-26T09:00:00-04:00", "2026-11-02T09:00:00-05:00", "2026-11-16T09:00:00-05:00"]
    floating = next(e for e in busy if e.id == "floating")
    assert (floating.start.astimezone(NY).isoformat(), floating.end.astimezone(NY).isoformat()) == (
        "2026-11-03T12:00:00-05:00", "2026-11-03T13:00:00-05:00")
    assert floating.attendee == "dr.lee@clinic.example"
    assert not any(e.id in ("free", "gone") for e in busy)  # transparent and cancelled events are not busy


def test_an_all_day_ics_event_blocks_the_whole_local_day(tmp_path: Path) -> None:
    write(tmp_path, ICS)
    cal = calendar(local(2026, 11, 1, 8), tmp_path, ics="cal.ics")
    assert cal.check(local(2026, 11, 26, 23, 30), local(2026, 11, 26, 23, 45)).reason == "conflict"
    assert cal.check(local(2026, 11, 27, 0, 0), local(2026, 11, 27, 0, 30)) is None


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("hello world\n", 1, "not an iCalendar file: line 1 is 'hello world', expected BEGIN:VCALENDAR"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261012T090000\nEND:VCALENDAR\n", 4,
     "END:VCALENDAR where BEGIN:VEVENT of line 2 is still open; expected END:VEVENT"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:2026XX12T090000\nEND:VEVENT\nEND:VCALENDAR\n", 4,
     "DTSTART of event a: "),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261012T090000\nRRULE:FREQ=SOMETIMES\nEND:VEVENT\n"
     "END:VCALENDAR\n", 5, "a recurrence cannot be read: "),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:no start\nEND:VEVENT\nEND:VCALENDAR\n", 3,
     "event a has no DTSTART"),
    ("BEGIN:VCALENDAR\nEND:VEVENT\nEND:VCALENDAR\n", 2, "END:VEVENT where BEGIN:VCALENDAR of line 1"),
])
def test_a_malformed_ics_file_is_an_error_at_its_line(tmp_path: Path, text: str, line: int, problem: str) -> None:
    with pytest.raises(IcsError) as caught:
        load_ics(write(tmp_path, text))
    assert caught.value.line == line
    assert caught.value.problem.startswith(problem)


def test_an_ics_file_is_parsed_again_only_when_it_changes(tmp_path: Path) -> None:
    path = write(tmp_path, ICS)
    first = load_ics(path)
    assert load_ics(path) is first
    path.write_text(ICS.replace("Staff meeting", "Team meeting"), encoding="utf-8")
    assert load_ics(path) is not first
