"""A run on the virtual clock alone goes straight through, without asyncio's event loop (`callsim.runner.run_to_end`),
and gives the very trace the loop gives; a call that waits on something real (a server of its own, audio heard in a
worker thread) runs in the loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from callsim.config.project import load_scenario
from callsim.runner import needs_event_loop, run_scenario_async, run_to_end

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
PASSES_THROUGH = SCENARIOS / "webhooks/call_report_reaches_the_shops_server.yaml"
HEARS_AUDIO = SCENARIOS / "voice/caller_gives_order_number_by_voice.yaml"


def test_a_call_that_waits_on_something_real_needs_the_loop():
    assert needs_event_loop(load_scenario(PASSES_THROUGH))
    assert needs_event_loop(load_scenario(HEARS_AUDIO))
    assert not needs_event_loop(load_scenario(SCENARIOS / "booking/availability_tomorrow_morning.yaml"))


@pytest.mark.parametrize("name", [
    "acme/order_status_spoken_digits.yaml",  # HTTP routes (respx)
    "acme/persona_update_email.yaml",  # a persona, repeated
    "booking/slot_taken_while_the_caller_decides.yaml",  # timers on the virtual clock
    "messaging/refill_no_cancels_and_sends_no_pickup_sms.yaml",  # texts and their replies
    "telephony/caller_hangs_up_on_hold_while_billing_rings.yaml",  # ringing, hold, a hang-up mid-action
    "telephony/ivr_navigates_to_eligibility.yaml",  # a phone menu and DTMF
    "quality/evaluation_fails_and_says_why.yaml",  # post-call evaluation
    "semantic/enum_answer_read_by_meaning.yaml",  # the meaning model
])
def test_straight_through_gives_the_trace_of_the_loop(name):
    scenario = load_scenario(SCENARIOS / name)
    assert not needs_event_loop(scenario)

    straight = run_to_end(run_scenario_async(scenario), event_loop=False)
    looped = asyncio.run(run_scenario_async(scenario))

    assert straight.crash is None
    assert straight.trace.to_jsonl() == looped.trace.to_jsonl()
    assert [f.failure for f in straight.failures] == [f.failure for f in looped.failures]


def test_a_call_that_needs_the_loop_crashes_straight_through():
    """Why `needs_event_loop` matters: audio is heard in a worker thread, which needs the running loop."""
    result = run_to_end(run_scenario_async(load_scenario(HEARS_AUDIO)), event_loop=False)

    assert result.crash is not None and "no running event loop" in result.crash


def test_a_coroutine_that_gives_way_to_a_loop_straight_through_is_an_error():
    async def gives_way() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="needs_event_loop"):
        run_to_end(gives_way(), event_loop=False)
