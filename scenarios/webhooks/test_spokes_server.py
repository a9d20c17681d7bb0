"""Spokes' custom action tested against Spokes' real webhook server (app.py, run by the spokes_server
fixture on a free port): what the server answers, how the agent copes when it fails or is slow."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

SECRETS = {"SPOKES_TOKEN": "test-token-spokes"}


def live(base_url: str) -> dict:
    """The call's setup: requests to Spokes' API go to the running server, for real."""
    return {"secrets": SECRETS, "servers": {"spokes": {"url": base_url, "ready": "/health"}},
            "http": [{"match": "GET https://hooks.spokes.test/repairs/*", "pass_through": "spokes"}]}


async def test_the_server_answers_a_known_ticket(callsim, spokes_server):
    call = await callsim.call("agent.yaml", **live(spokes_server))
    await call.say("is my bike ready? ticket four five six seven")
    call.trace.expect.action("repair_status").response(status=200)
    call.trace.expect.variables(repair_state="in the repair stand", ready_on="Friday")
    call.trace.expect.agent_said("Ticket 4567 is in the repair stand, ready Friday")
    await call.hangup()


async def test_an_unknown_ticket_is_the_servers_404(callsim, spokes_server):
    call = await callsim.call("agent.yaml", **live(spokes_server))
    await call.say("is my bike ready? ticket two two two two")
    call.trace.expect.action_failed("repair_status", kind="status", status=404)
    call.trace.expect.agent_said("I can't find ticket 2222")
    await call.hangup()


async def test_a_bug_in_the_server_is_a_500_and_the_agent_says_so(callsim, spokes_server):
    call = await callsim.call("agent.yaml", **live(spokes_server))
    await call.say("check on my repair, ticket five zero zero zero")
    call.trace.expect.action_failed("repair_status", kind="status", status=500)
    call.trace.expect.agent_said("Our repair system has a problem right now")
    await call.hangup()


async def test_a_slow_answer_hits_the_actions_real_timeout(callsim, spokes_server):
    call = await callsim.call("agent.yaml", **live(spokes_server))
    await call.say("is my bike ready? ticket nine nine nine nine")
    call.trace.expect.action_failed("repair_status", kind="timeout")
    call.trace.expect.agent_said("Our repair system is slow to answer right now")
    sent, failed = (next(e for e in call.trace.events if e.type == kind) for kind in ("http_request", "action_failed"))
    assert failed.live and failed.t - sent.t == pytest.approx(1.0)  # the 1s timeout, not the server's 3s
    await call.hangup()


async def test_a_wrong_token_is_refused_by_the_server(callsim, spokes_server):
    setup = live(spokes_server) | {"secrets": {"SPOKES_TOKEN": "expired-token"}}
    call = await callsim.call("agent.yaml", **setup)
    await call.say("is my bike ready? ticket four five six seven")
    call.trace.expect.action_failed("repair_status", kind="status", status=401)
    await call.hangup()


async def test_the_server_receives_a_report_that_matches_its_schema(callsim, spokes_server):
    import httpx
    import jsonschema

    from callsim.config.schema import json_schema

    setup = live(spokes_server)
    setup["http"].append({"match": "POST https://hooks.spokes.test/calls", "pass_through": "spokes"})
    call = await callsim.call("agent.yaml", **setup)
    await call.say("is my bike ready? ticket four five six seven")
    await call.hangup()
    call.trace.expect.webhook(status=204)
    received = httpx.get(f"{spokes_server}/calls/last", trust_env=False).json()
    jsonschema.validate(received, json_schema("webhook"))  # what the team's server got, checked by their contract
    assert received["variables"]["repair_state"] == "in the repair stand"
    assert received["transcript"][1] == {"role": "caller", "text": "is my bike ready? ticket four five six seven",
                                         "t": received["transcript"][1]["t"]}
    assert "test-token-spokes" not in str(received)  # the token went in the header, never into the report
