"""The extract action: typed values from each turn or from the whole call, with the turn they came from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from callsim.actions.extract import corrected_clause
from callsim.runner import ScenarioResult, run_scenario

AGENT = """
agent: intake
greeting: Hello.
fallback: Go on.
timezone: America/New_York
variables:
  order_number: {type: digits, length: 4-6, ask: What is your order number?}
uses: [actions.yaml]
actions: [{attached}]
"""
ACTIONS = """
actions:
  per_turn:
    type: extract
    trigger: {on: turn}
    fields:
      caller_name: {type: name}
      visit_date: {type: date}
      callback: {type: phone}
      member_id: {type: digits, length: 8}
      plan: {type: enum, values: [basic, plus, pro]}
      reference: {type: text, pattern: "[A-Z]{2}-\\\\d{3}"}
  at_the_end:
    type: extract
    trigger: {on: call_end}
    fields:
      agreed: {type: yes_no}
      amount: {type: number}
  lookup:
    type: http
    trigger: {phrases: [order]}
    needs: [order_number]
    request: {url: "https://api.test/orders/{{ order_number }}"}
    say: Found it.
"""


def call(tmp_path: Path, turns: str, attached: str = "per_turn, at_the_end", expect: str = "",
         routes: str = "", agent: str = AGENT, actions: str = ACTIONS) -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(textwrap.dedent(agent).replace("{attached}", attached))
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(actions))
    body = textwrap.indent(textwrap.dedent(turns).strip(), "  ")
    scenario = f"scenario: s\nagent: agent.yaml\nnow: 2026-11-30T15:00:00-05:00\n{routes}turns:\n{body}\n{expect}"
    (tmp_path / "s.yaml").write_text(scenario)
    result = run_scenario(tmp_path / "s.yaml")
    assert not result.crash, result.crash
    return result


def extracted(result: ScenarioResult) -> list[tuple[str, object, int]]:
    return [(e.field, e.value, e.turn) for e in result.trace.events if e.type == "extracted"]


def test_each_turn_gives_its_values_with_the_turn_they_came_from(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: uh it's john j-o-h-n smith
        - caller: the twenty third of next month would be good
        - caller: call me back on four one five, five five five, zero one nine nine
        - caller: I'm on the pro plan, member number one two three four five six seven eight, ref AB-123
    """, attached="per_turn")
    assert extracted(result) == [
        ("caller_name", "John Smith", 1),
        ("visit_date", "2026-12-23", 2),
        ("callback", "+14155550199", 3),
        ("member_id", "12345678", 4),
        ("plan", "pro", 4),
        ("reference", "AB-123", 4),
    ]
    sources = {e.name: e.source for e in result.trace.events if e.type == "variable_set" and e.name == "visit_date"}
    assert sources == {"visit_date": "extract:per_turn"}
    assert result.passed


def test_a_name_said_out_of_the_blue_needs_an_introduction(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: anything tomorrow morning
        - caller: this is ana ruiz
    """)
    assert [(f, v) for f, v, _ in extracted(result) if f == "caller_name"] == [("caller_name", "Ana Ruiz")]


def test_turns_are_read_while_the_agent_waits_for_an_answer(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: where is my order, this is ana ruiz
        - caller: it's four five six seven
        - hangup: true
    """, attached="per_turn, lookup", routes="http:\n  - {match: GET https://api.test/orders/4567, json: {}}\n")
    # turn 1 is read during turn 1, before its request (which then asks), not after the answer; turn 2
    # is read before the answer runs the lookup
    events = result.trace.events
    names = [e for e in events if e.type == "extracted" and e.field == "caller_name"]
    asked = next(e for e in events if e.type == "slot_asked")
    answer = next(e for e in events if e.type == "caller_said" and e.turn == 2)
    assert [(e.value, e.turn) for e in names] == [("Ana Ruiz", 1)]  # "four five six seven" is no name
    assert names[0].seq < asked.seq < answer.seq
    assert [e.action for e in events if e.type == "action_finished"] == ["per_turn", "per_turn", "lookup"]


def test_at_call_end_the_whole_transcript_is_read_and_the_latest_value_wins(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: yes I think forty two dollars
        - caller: actually no, make it fifty
    """, attached="at_the_end", expect="expect:\n  - extracted: {agreed: false, amount: 50}\n")
    assert extracted(result) == [("agreed", False, 2), ("amount", 50, 2)]
    assert result.passed


def test_the_extracted_expectation_says_what_was_extracted_instead(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: it's john j-o-h-n smith", expect="expect:\n  - extracted: {caller_name: Jon Smith}\n")
    assert not result.passed
    assert result.failures[0].failure.instead == "caller_name = 'John Smith'"


PETS_AGENT = """
agent: vet
greeting: Hello.
fallback: Go on.
timezone: America/New_York
variables:
  pet_name: {type: name, ask: What is your pet's name?}
uses: [actions.yaml]
actions: [checkup, intake]
"""
PETS_ACTIONS = """
actions:
  checkup:
    type: http
    trigger: {phrases: [checkup]}
    needs: [pet_name]
    request: {url: "https://api.test/checkups/{{ pet_name }}"}
    say: Booked.
  intake:
    type: extract
    trigger: {on: turn}
    fields:
      owner_name: {type: name}
      birthday: {type: date, cues: [birthday, born]}
      any_date: {type: date}
"""


def pets(tmp_path: Path, turns: str) -> ScenarioResult:
    return call(tmp_path, turns, agent=PETS_AGENT, actions=PETS_ACTIONS,
                routes="http:\n  - {match: GET https://api.test/checkups/Rex, status: 200, optional: true}\n")


def test_the_answer_to_another_variables_question_is_not_a_field(tmp_path: Path) -> None:
    result = pets(tmp_path, """
        - caller: a checkup please
        - caller: Rex
    """)
    assert extracted(result) == []  # "What is your pet's name?" asked for pet_name, not owner_name
    assert [e.value for e in result.trace.events if e.type == "variable_set" and e.name == "pet_name"] == ["Rex"]


def test_a_field_with_cues_needs_them(tmp_path: Path) -> None:
    result = pets(tmp_path, """
        - caller: could you fit us in monday at nine
        - caller: this is dana whitfield
        - caller: and he was born on march third twenty twenty one, monday at nine is fine
    """)
    assert [x for x in extracted(result) if x[0] != "any_date"] == [("owner_name", "Dana Whitfield", 2),
                                                                     ("birthday", "2021-03-03", 3)]
    assert ("any_date", "2026-12-07", 1) in extracted(result)  # without cues, any day said is a date


def test_a_self_correction_in_a_turn_gives_the_later_value_and_says_so(tmp_path: Path) -> None:
    result = call(tmp_path, "- caller: my member number is one two three four five six seven eight, sorry, "
                            "one two three four five six seven nine", attached="per_turn")
    assert extracted(result) == [("member_id", "12345679", 1)]
    [corrected] = [e for e in result.trace.events if e.type == "corrected"]
    assert (corrected.variable, corrected.old, corrected.new, corrected.marker) == (
        "member_id", "12345678", "12345679", "sorry")


NOTES = """
actions:
  notes:
    type: extract
    trigger: {on: turn}
    fields:
      issue: {type: text, cues: [problem, noise]}
      plan: {type: enum, values: [basic, plus, pro], cues: [plan]}
  at_the_end:
    type: extract
    trigger: {on: call_end}
    fields:
      issue: {type: text, cues: [problem, noise]}
"""


def not_extracted(result: ScenarioResult) -> list[tuple[str, int, str]]:
    return [(e.field, e.turn, e.reason) for e in result.trace.events if e.type == "not_extracted"]


def test_not_knowing_gives_a_field_no_value_and_the_trace_says_why(tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: the problem? I don't know, honestly
        - caller: which plan, not sure
        - caller: dunno what the problem is
        """, attached="notes", actions=NOTES)
    assert extracted(result) == []
    assert {"issue", "plan"}.isdisjoint(result.trace.variables)
    assert not_extracted(result) == [("issue", 1, "the caller does not know"), ("plan", 2, "the caller does not know"),
                                     ("issue", 3, "the caller does not know")]


def test_a_turn_that_says_more_than_not_knowing_is_read_and_an_earlier_value_outlives_i_dont_know(
        tmp_path: Path) -> None:
    result = call(tmp_path, """
        - caller: I don't know why but there's a noise in the pipes
        - caller: the noise? no idea
        """, attached="notes, at_the_end", actions=NOTES)
    said = "there's a noise in the pipes"  # the cue's clause, without the "but" that joins it on
    assert extracted(result) == [("issue", said, 1), ("issue", said, 1)]  # per turn, then from the transcript
    assert not_extracted(result) == [("issue", 2, "the caller does not know")] * 2


@pytest.mark.parametrize(("text", "cue", "clause"), [
    ("can I come in at ten on friday, no, thursday", "come in", "can I come in at ten on friday, no, thursday"),
    ("come in on friday, sorry, on thursday. thanks", "come in", "come in on friday, sorry, on thursday."),
    ("come in on friday, no later than ten", "come in", "come in on friday,"),  # no comparison corrects
    ("come in on friday, and my dog is rex", "come in", "come in on friday, "),
    ("my dog is rex, and I can come in on friday", "come in", "and I can come in on friday"),
])
def test_a_cued_clause_takes_the_correction_said_right_after_it(text: str, cue: str, clause: str) -> None:
    assert corrected_clause(text, text.index(cue), "date") == clause
