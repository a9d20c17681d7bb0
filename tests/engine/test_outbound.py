"""An outbound call: the agent dials, the phone menu at the other end speaks first and hears the agent's keys."""

from __future__ import annotations

import textwrap

from callsim.runner import run_scenario

AGENT = """\
agent: caller-bot
greeting: Hello, this is Ava.
fallback: Sorry?
number: "+12125550100"
variables:
  member_id: {from: start_data}
uses: [actions.yaml]
actions: [pick, enter, note_prompt]
"""
ACTIONS = """\
actions:
  pick: {type: dtmf, trigger: {phrases: ["for eligibility press 2"]}, digits: "2"}
  enter: {type: dtmf, trigger: {phrases: ["member id"]}, digits: "{{ member_id }}#"}
  note_prompt:
    type: http
    trigger: {on: turn, if: call.direction == "outbound"}
    request: {method: POST, url: "https://log.test/prompts", json: {heard: "{{ call.to }}"}}
"""
SCENARIO = """\
scenario: outbound
agent: agent.yaml
direction: outbound
caller: {number: "+18005550142"}
start_data: {member_id: "4242"}
http:
  - {match: POST https://log.test/prompts, status: 204}
ivr:
  say: For claims press 1. For eligibility press 2.
  options:
    "2": {say: Enter the member ID and pound., collect: "#", then: {say: Verified.}}
turns:
  - wait: 30s
"""


def test_the_agent_places_the_call_and_navigates_the_menu(tmp_path):
    for name, text in (("agent.yaml", AGENT), ("actions.yaml", ACTIONS), ("s.yaml", SCENARIO)):
        (tmp_path / name).write_text(textwrap.dedent(text))

    result = run_scenario(tmp_path / "s.yaml")

    assert result.passed, result.errors
    variables = result.trace.variables
    assert (variables["call.from"], variables["call.to"], variables["call.direction"]) == (
        "+12125550100", "+18005550142", "outbound")
    kinds = [(e.type, getattr(e, "text", getattr(e, "digits", ""))) for e in result.trace.events
             if e.type in ("ivr_said", "dtmf_sent", "agent_said")]
    assert kinds == [("agent_said", "Hello, this is Ava."),
                     ("ivr_said", "For claims press 1. For eligibility press 2."), ("dtmf_sent", "2"),
                     ("ivr_said", "Enter the member ID and pound."), ("dtmf_sent", "4242#"),
                     ("ivr_said", "Verified.")]
    # `on: turn` conditions see the menu's prompts as turns; the fallback line is never said to a menu
    assert [e.json_ for e in result.trace.events if e.type == "http_request"] == [{"heard": "+18005550142"}]
