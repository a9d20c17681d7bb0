"""The booking action in calls: booking, conflicts and picks, spans, moving and cancelling."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from callsim.runner import ScenarioResult, run_scenario

AGENT = """
agent: clinic
greeting: Hello.
fallback: Sorry?
timezone: America/New_York
max_asks: 2
variables:
  preferred_time: {type: when, ask: When would suit you?}
uses: [actions.yaml]
actions: [book, move, cancel, lookup]
"""
ACTIONS = """
actions:
  book:
    type: booking
    trigger: {phrases: [book]}
    needs: [preferred_time]
    title: Visit
    attendee: "{{ call.from }}"
    say: Booked {{ booking.id }} for {{ booking.start }} until {{ booking.end }}.
    on_conflict: {say: "Taken. I can offer {{ offer.times }}."}
    on_error: {say: "The calendar says no."}
  move:
    type: booking
    mode: reschedule
    trigger: {phrases: [move it]}
    needs: [preferred_time]
    booking_id: "{{ booking.id }}"
    attendee: "{{ call.from }}"
    say: Moved to {{ booking.start }} from {{ booking.previous_start }}.
    on_not_found: {say: Nothing to move.}
  cancel:
    type: booking
    mode: cancel
    trigger: {phrases: [cancel it]}
    booking_id: "{{ booking.id }}"
    say: Cancelled {{ booking.start }}.
    on_not_found: {say: Nothing to cancel.}
  lookup:
    type: booking
    trigger: {phrases: [other subject]}
    start: "2026-12-02"
    duration: 1h
    alternatives: 2
    offer: "Wednesday has {{ offer.times }}."
"""


def call(tmp_path: Path, turns: str, calendar: str = 'hours: {mon-fri: "09:00-17:00"}',
         now: str = "2026-11-30T15:00:00-05:00") -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(textwrap.dedent(AGENT))
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(ACTIONS))
    calendar_block = textwrap.indent(textwrap.dedent(calendar).strip(), "  ")
    (tmp_path / "s.yaml").write_text(f"scenario: s\nagent: agent.yaml\nnow: {now}\ncalendar:\n{calendar_block}\n"
                                     f"turns:\n{textwrap.indent(textwrap.dedent(turns).strip(), '  ')}\n")
    result = run_scenario(tmp_path / "s.yaml")
    assert not result.crash, result.crash
    return result


def said(result: ScenarioResult) -> list[str]:
    return [e.text for e in result.trace.events if e.type == "agent_said"]


def of(result: ScenarioResult, kind: str) -> list:
    return [e for e in result.trace.events if e.type == kind]


def test_a_free_time_is_booked_and_spoken_naturally(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book tuesday at ten thirty")
    assert said(result)[-1] == "Booked BK-0001 for Tuesday, December 1 at 10:30 AM until 11 AM."
    made = of(result, "booking")[0]
    assert (made.start, made.end, made.attendee) == ("2026-12-01T10:30:00-05:00", "2026-12-01T11:00:00-05:00",
                                                      "+14155550100")
    variables = result.trace.variables
    assert variables["booking.start_iso"] == "2026-12-01T10:30:00-05:00"
    assert variables["preferred_time"] is None  # used up: the next booking reads a new time


def test_a_conflict_offers_alternatives_and_the_next_turn_picks_one(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: book tuesday at ten
        - caller: the second one
    """, calendar="""
        hours: {mon-fri: "09:00-17:00"}
        events: [{start: 2026-12-01T10:00, end: 2026-12-01T11:00}]
    """)
    assert said(result)[1] == "Taken. I can offer Tuesday, December 1 at 9 AM, 9:30 AM or 11 AM."
    assert said(result)[2].startswith("Booked BK-0001 for Tuesday, December 1 at 9:30 AM")
    failed = of(result, "action_failed")[0]
    assert failed.kind == "conflict" and "overlaps 'Busy'" in failed.error
    refused = of(result, "booking_unavailable")[0]
    assert refused.alternatives == ["2026-12-01T09:00:00-05:00", "2026-12-01T09:30:00-05:00",
                                    "2026-12-01T11:00:00-05:00"]


def test_an_unreadable_pick_asks_again_then_gives_up(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: book tuesday at ten
        - caller: hmm
        - caller: hmm
    """, calendar="""
        hours: {mon-fri: "09:00-17:00"}
        events: [{start: 2026-12-01T10:00, end: 2026-12-01T11:00}]
    """)
    # asked again, the offered times again (not "when?"), then the fallback
    assert said(result)[-3:] == ["Taken. I can offer Tuesday, December 1 at 9 AM, 9:30 AM or 11 AM."] * 2 + ["Sorry?"]
    unreadable = of(result, "slot_unreadable")
    assert [e.expected for e in unreadable] == ["a choice among the offered times"] * 2
    assert not of(result, "booking")


def test_a_new_subject_drops_the_offer(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: book tuesday at ten
        - caller: other subject
    """, calendar="""
        hours: {mon-fri: "09:00-17:00"}
        events: [{start: 2026-12-01T10:00, end: 2026-12-01T11:00}]
    """)
    assert said(result)[-1] == "Wednesday has Wednesday, December 2 at 9 AM or 9:30 AM."
    assert [e.slots for e in of(result, "slots_offered")] == [["2026-12-02T09:00:00-05:00",
                                                               "2026-12-02T09:30:00-05:00"]]


def test_a_span_with_nothing_free_is_a_conflict_with_the_nearest_times(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book anything tomorrow morning", calendar="""
        hours: {mon-fri: "09:00-17:00"}
        events: [{start: 2026-12-01T09:00, end: 2026-12-01T12:00}]
    """)
    assert said(result)[-1] == "Taken. I can offer Tuesday, December 1 at noon, 12:30 PM or 1 PM."


def test_a_span_when_closed_is_outside_hours(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book anything this weekend")
    assert of(result, "action_failed")[0].kind == "outside_hours"
    assert said(result)[-1].startswith("Taken. I can offer Friday, December 4 at 3:30 PM")  # no on_outside_hours


def test_nothing_free_anywhere_takes_on_error(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book tuesday at ten", calendar="""
        hours: {tue: "10:00-10:30"}
        events: [{start: 2026-11-20T00:00, end: 2027-01-01T00:00, title: Away}]
    """)
    assert of(result, "action_failed")[0].kind == "no_slots"
    assert said(result)[-1] == "The calendar says no."


def test_a_time_that_cannot_be_read_fails_the_action(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book tuesday at ten")
    assert of(result, "booking")  # the same call books when the time is readable
    text = ACTIONS.replace("    title: Visit\n", "    title: Visit\n    start: when the moon is blue\n")
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(text))
    result = run_scenario(tmp_path / "s.yaml")
    failed = of(result, "action_failed")
    assert [(e.kind, e.error) for e in failed] == [("unreadable_time", "cannot read a time from 'when the moon is blue'")]
    assert said(result)[-1] == "The calendar says no."


def test_reschedule_and_cancel_the_booking_just_made(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: book tuesday at ten
        - caller: move it to wednesday at two
        - caller: cancel it
        - caller: cancel it
    """)
    assert said(result)[1:] == [
        "Booked BK-0001 for Tuesday, December 1 at 10 AM until 10:30 AM.",
        "Moved to Wednesday, December 2 at 2 PM from Tuesday, December 1 at 10 AM.",
        "Cancelled Wednesday, December 2 at 2 PM.",
        "Nothing to cancel.",
    ]
    moved = of(result, "booking_rescheduled")[0]
    assert (moved.previous_start, moved.start) == ("2026-12-01T10:00:00-05:00", "2026-12-02T14:00:00-05:00")
    # the booking this call made is gone: `booking` is undefined (so the second cancel finds nothing to
    # cancel), and the cancelled one is described as cancelled.*
    assert result.trace.variables["booking.status"] is None and result.trace.variables["cancelled.id"] == "BK-0001"
    assert [(e.kind, e.error) for e in of(result, "action_failed")] == [
        ("not_found", "no booking to cancel: booking.id is not set")]
    with pytest.raises(AssertionError, match="variable booking.id to be set\n  instead: it is not set now"):
        result.trace.expect.variable("booking.id")
    with pytest.raises(AssertionError, match="then cancelled by cancel"):
        result.trace.expect.booking(start="2026-12-02T14:00")


def test_reschedule_finds_the_callers_booking_by_number_when_no_id_is_known(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: move it to friday at nine", calendar="""
        events: [{id: OLD-7, start: 2026-12-02T14:00, duration: 45m, attendee: "+14155550100"}]
    """)
    assert said(result)[-1] == "Moved to Friday, December 4 at 9 AM from Wednesday, December 2 at 2 PM."
    assert result.trace.variables["booking.end_iso"] == "2026-12-04T09:45:00-05:00"  # it keeps its length


def test_a_booking_across_the_fall_back_night_lasts_its_length_in_real_time(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book sunday at 1:30 am", calendar="hours: {daily: 00:00-24:00}",
                  now="2026-10-30T12:00:00-04:00")
    made = of(result, "booking")[0]
    assert (made.start, made.end) == ("2026-11-01T01:30:00-04:00", "2026-11-01T01:00:00-05:00")
    assert made.spoken == "Sunday, November 1 at 1:30 AM EDT"


@pytest.mark.parametrize(("said_time", "start"), [
    ("book monday at nine", "2026-11-02T09:00:00-05:00"),          # after the change
    ("book friday at nine", "2026-11-06T09:00:00-05:00"),
    ("book tomorrow at nine", "2026-10-31T09:00:00-04:00"),       # before it
])
def test_bookings_on_either_side_of_a_dst_change_keep_their_wall_clock(tmp_path: Path, said_time: str,
                                                                        start: str) -> None:
    result = call(tmp_path, f"- caller: {said_time}", calendar="hours: {daily: 08:00-18:00}",
                  now="2026-10-30T16:00:00-04:00")
    assert of(result, "booking")[0].start == start


def test_an_offer_is_not_a_booking(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book anything tomorrow morning")
    variables = result.trace.variables
    assert not [name for name in variables if name.startswith("booking.")]  # nothing was booked
    assert variables["offer.times"] == "Tuesday, December 1 at 9 AM, 9:30 AM or 10 AM"
    assert variables["offer.times_iso"] == ["2026-12-01T09:00:00-05:00", "2026-12-01T09:30:00-05:00",
                                            "2026-12-01T10:00:00-05:00"]
    assert variables["offer.wanted"] == "2026-12-01T06:00:00-05:00/2026-12-01T12:00:00-05:00"
    offered = of(result, "action_offered")
    assert [(e.action, e.choices) for e in offered] == [("book", variables["offer.times_iso"])]
    assert not of(result, "action_finished")  # it offered; it did not finish a booking


def test_a_refused_time_offers_under_offer_not_booking(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: book tuesday at ten", calendar="""
        hours: {mon-fri: "09:00-17:00"}
        events: [{start: 2026-12-01T10:00, end: 2026-12-01T11:00}]
    """)
    variables = result.trace.variables
    assert not [name for name in variables if name.startswith("booking.")]
    assert variables["offer.times"] == "Tuesday, December 1 at 9 AM, 9:30 AM or 11 AM"
    assert variables["offer.wanted"] == "2026-12-01T10:00:00-05:00"


@pytest.mark.parametrize("turn", ["book anything tomorrow morning", "book tuesday at ten"])
def test_an_action_expectation_on_an_offer_fails_saying_it_booked_nothing(tmp_path: Path, turn: str) -> None:
    result = call(tmp_path, f"""
        - caller: {turn}
        - expect: {{action: book}}
    """, calendar="""
        hours: {mon-fri: "09:00-17:00"}
        events: [{start: 2026-12-01T10:00, end: 2026-12-01T11:00}]
    """)
    [failure] = result.failures
    assert failure.failure.instead.startswith("it offered times but booked nothing")
    assert "Tuesday, December 1 at 9 AM" in failure.failure.instead


def test_an_action_after_a_booking_does_not_run_after_an_offer(tmp_path: Path) -> None:
    extra = """
  confirm:
    type: message
    trigger: {after: book}
    body: Booked.
"""
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(ACTIONS) + extra)
    agent = textwrap.dedent(AGENT).replace("actions: [book,", "actions: [confirm, book,")
    (tmp_path / "s.yaml").write_text("scenario: s\nagent: agent.yaml\nnow: 2026-11-30T15:00:00-05:00\n"
                                     "calendar: {hours: {mon-fri: \"09:00-17:00\"}}\n"
                                     "turns:\n  - caller: book anything tomorrow morning\n"
                                     "  - caller: the first one\n")
    (tmp_path / "agent.yaml").write_text(agent)
    result = run_scenario(tmp_path / "s.yaml")
    started = [e.action for e in of(result, "action_started")]
    assert started == ["book", "book", "confirm"]  # after the booking, not after the offer


def test_after_an_offer_booking_is_not_defined_for_post_call_texts_and_evaluations(tmp_path: Path) -> None:
    extra = """
  reminder:
    type: sms
    trigger: {on: call_end, if: booking is defined}
    body: See you {{ booking.start }}.
  judged:
    type: evaluate
    criteria: [{name: booked, if: booking is defined}]
"""
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(ACTIONS) + extra)
    (tmp_path / "agent.yaml").write_text(textwrap.dedent(AGENT).replace("actions: [book,",
                                                                        "actions: [reminder, judged, book,"))
    scenario = ("scenario: s\nagent: agent.yaml\nnow: 2026-11-30T15:00:00-05:00\n"
                "calendar: {hours: {mon-fri: \"09:00-17:00\"}}\nturns:\n  - caller: book anything tomorrow morning\n")
    (tmp_path / "s.yaml").write_text(scenario)
    offered = run_scenario(tmp_path / "s.yaml")
    assert [e.action for e in of(offered, "action_started")] == ["book", "judged"]  # no reminder
    assert [e.passed for e in of(offered, "evaluation")] == [False]
    (tmp_path / "s.yaml").write_text(scenario + "  - caller: the first one\n")
    booked = run_scenario(tmp_path / "s.yaml")  # the same call with a pick does both
    assert [e.action for e in of(booked, "action_started")] == ["book", "book", "reminder", "judged"]
    assert [e.passed for e in of(booked, "evaluation")] == [True]
