"""The scripted policy and the call session: slot filling, fallbacks, lifecycle and chains."""

from __future__ import annotations

from callsim.runner import ScenarioResult


def said(result: ScenarioResult) -> list[str]:
    """The agent's lines, in order."""
    return [e.text for e in result.trace.events if e.type == "agent_said"]

LOOKUP = """
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://api.test/orders/{{ order_number }}"}
    save: {status: $.status}
    say: Order {{ order_number }} is {{ status }}.
    on_error: {say: The order system is down.}
"""
ROUTE = "http:\n  - {match: GET https://api.test/orders/4567, json: {status: shipped}}\n"


def test_asks_for_a_missing_need_then_runs_the_action(play):
    result = play(LOOKUP, "scenario: s\n" + ROUTE + "turns:\n  - caller: where is my order\n"
                  "  - caller: four five six seven\n", ["lookup_order"])
    assert said(result) == ["Hello, how can I help?", "What is your order number?", "Order 4567 is shipped."]
    asked = [e for e in result.trace.events if e.type == "slot_asked"]
    assert [(e.variable, e.action, e.attempt) for e in asked] == [("order_number", "lookup_order", 1)]
    heard = [e for e in result.trace.events if e.type == "variable_set" and e.name == "order_number"]
    assert heard[0].source == "caller" and heard[0].turn == 2


def test_need_already_in_the_triggering_turn_is_not_asked(play):
    result = play(LOOKUP, "scenario: s\n" + ROUTE + "turns:\n  - caller: where is my order, it's 4567\n",
                  ["lookup_order"])
    assert "What is your order number?" not in said(result)
    assert said(result)[-1] == "Order 4567 is shipped."


def test_reasks_up_to_max_asks_then_falls_back(play):
    result = play(LOOKUP, "scenario: s\n" + ROUTE + "turns:\n  - caller: where is my order\n"
                  "  - caller: no idea\n  - caller: still no idea\n  - caller: hmm\n", ["lookup_order"])
    assert said(result)[1:] == ["What is your order number?", "What is your order number?",
                                "Sorry, I did not get that.", "Sorry, I did not get that."]
    assert not any(e.type == "action_started" for e in result.trace.events)
    unreadable = [e for e in result.trace.events if e.type == "slot_unreadable"]
    assert [e.text for e in unreadable] == ["no idea", "still no idea"]


def test_unmatched_turn_gets_the_fallback(play):
    result = play(LOOKUP, "scenario: s\nturns:\n  - caller: sing me a song\n", ["lookup_order"])
    assert said(result) == ["Hello, how can I help?", "Sorry, I did not get that."]


def test_call_start_and_call_end_actions(play):
    actions = """
    actions:
      announce:
        type: http
        trigger: {on: call_start}
        request: {method: POST, url: "https://api.test/calls", json: {id: "{{ call.id }}"}}
      wrap_up:
        type: http
        trigger: {on: call_end, if: crm_id is defined}
        request: {method: POST, url: "https://api.test/wrap/{{ crm_id }}"}
        say: This line is never spoken; the call is over.
    """
    scenario = """
    scenario: s
    start_data: {crm_id: C-1}
    http:
      - {match: POST https://api.test/calls, status: 201}
      - {match: POST https://api.test/wrap/C-1, status: 204}
    turns:
      - caller: bye
    """
    result = play(actions, scenario, ["announce", "wrap_up"])
    assert result.passed, result.errors
    started = [(e.action, e.reason) for e in result.trace.events if e.type == "action_started"]
    assert started == [("announce", "call_start"), ("wrap_up", "call_end")]
    ended_at = next(e.seq for e in result.trace.events if e.type == "call_ended")
    assert next(e.seq for e in result.trace.events if e.type == "action_started" and e.action == "wrap_up") > ended_at
    assert "This line is never spoken" not in " ".join(said(result))


def test_call_end_action_with_false_condition_does_not_run(play):
    actions = """
    actions:
      wrap_up:
        type: http
        trigger: {on: call_end, if: crm_id is defined}
        request: {method: POST, url: "https://api.test/wrap"}
    """
    result = play(actions, "scenario: s\nturns:\n  - caller: bye\n", ["wrap_up"])
    assert not any(e.type == "action_started" for e in result.trace.events)


def test_on_error_then_runs_the_next_action_and_after_chains(play):
    actions = """
    actions:
      primary:
        type: http
        trigger: {phrases: ["check status"]}
        request: {url: "https://primary.test/status"}
        on_error: {say: Trying the backup., then: backup}
      backup:
        type: http
        request: {url: "https://backup.test/status"}
        save: {state: $.state}
        say: The backup says {{ state }}.
      audit:
        type: http
        trigger: {after: backup}
        request: {method: POST, url: "https://audit.test/log"}
    """
    scenario = """
    scenario: s
    http:
      - {match: GET https://primary.test/status, status: 503}
      - {match: GET https://backup.test/status, json: {state: green}}
      - {match: POST https://audit.test/log, status: 204}
    turns:
      - caller: check status please
    """
    result = play(actions, scenario, ["primary", "backup", "audit"])
    assert result.passed, result.errors
    assert said(result)[1:] == ["Trying the backup.", "The backup says green."]
    finished = [e.action for e in result.trace.events if e.type == "action_finished"]
    assert finished == ["backup", "audit"]
    failed = [e for e in result.trace.events if e.type == "action_failed"]
    assert [(e.action, e.kind) for e in failed] == [("primary", "status")]


def test_actions_that_trigger_each_other_stop_with_a_clear_error(play):
    actions = """
    actions:
      ping:
        type: http
        trigger: {phrases: ["ping"], after: pong}
        request: {url: "https://api.test/ping"}
      pong:
        type: http
        trigger: {after: ping}
        request: {url: "https://api.test/pong"}
    """
    scenario = """
    scenario: s
    http:
      - {match: GET https://api.test/ping, status: 200}
      - {match: GET https://api.test/pong, status: 200}
    turns:
      - caller: ping
    """
    result = play(actions, scenario, ["ping", "pong"])
    errors = [e for e in result.trace.events if e.type == "error"]
    assert len(errors) == 1 and "chain deeper than 8" in errors[0].message
    assert sum(e.type == "action_started" for e in result.trace.events) == 8
    assert not result.passed


def test_missing_variable_in_a_say_line_fails_the_action_and_takes_on_error(play):
    actions = """
    actions:
      greet_back:
        type: http
        trigger: {phrases: ["hello"]}
        request: {url: "https://api.test/x"}
        save: {who: $.name}
        say: "Hi {{ who }}, from {{ crm_id }}."
        on_error: {say: Something went wrong.}
    """
    scenario = "scenario: s\nhttp:\n  - {match: GET https://api.test/x, json: {name: Ann}}\nturns:\n  - caller: hello\n"
    result = play(actions, scenario, ["greet_back"])
    failed = [e for e in result.trace.events if e.type == "action_failed"]
    assert failed[0].kind == "missing_variable" and "crm_id" in failed[0].error
    assert said(result)[-1] == "Something went wrong."


def test_condition_only_turn_trigger_fires_once_when_it_becomes_true(play):
    actions = """
    actions:
      lookup_order:
        type: http
        trigger: {phrases: ["where is my order"]}
        needs: [order_number]
        request: {url: "https://api.test/orders/{{ order_number }}"}
        save: {status: $.status}
      vip_notice:
        type: http
        trigger: {if: "status == 'delayed'"}
        request: {method: POST, url: "https://api.test/notice"}
        say: I have flagged the delay.
    """
    scenario = """
    scenario: s
    http:
      - {match: GET https://api.test/orders/4567, json: {status: delayed}}
      - {match: POST https://api.test/notice, status: 204}
    turns:
      - caller: where is my order 4567
      - caller: ok
      - caller: thanks
    """
    result = play(actions, scenario, ["lookup_order", "vip_notice"])
    runs = [e for e in result.trace.events if e.type == "action_started" and e.action == "vip_notice"]
    assert len(runs) == 1


def test_virtual_time_moves_with_speech_and_waits(play):
    result = play(LOOKUP, "scenario: s\nturns:\n  - wait: 2m\n  - caller: hello there\n", ["lookup_order"])
    caller = next(e for e in result.trace.events if e.type == "caller_said")
    assert caller.t >= 120
    assert result.trace.events[-1].t < 140


def test_same_scenario_gives_the_same_trace(play):
    scenario = "scenario: s\nseed: 3\n" + ROUTE + "turns:\n  - caller: where is my order\n  - caller: 4567\n"
    first = play(LOOKUP, scenario, ["lookup_order"]).trace.to_jsonl()
    second = play(LOOKUP, scenario, ["lookup_order"]).trace.to_jsonl()
    assert first == second


POINTS = LOOKUP + """
  points:
    type: http
    trigger: {phrases: ["how many points"]}
    request: {url: "https://api.test/points"}
    save: {points: $.points}
    say: You have {{ points }} points.
"""
POINTS_ROUTE = ROUTE + "  - {match: GET https://api.test/points, json: {points: 7}}\n"


def events(result: ScenarioResult, kind: str) -> list:
    return [e for e in result.trace.events if e.type == kind]


def test_an_answer_and_a_new_request_in_one_turn_run_both_in_order(play):
    result = play(POINTS, "scenario: s\n" + POINTS_ROUTE + "turns:\n  - caller: where is my order\n"
                  "  - caller: it's four five six seven, and how many points do I have\n", ["lookup_order", "points"])
    assert said(result)[-2:] == ["Order 4567 is shipped.", "You have 7 points."]


def test_a_new_value_for_a_filled_variable_replaces_it_and_the_trace_says_so(play):
    route = ROUTE + "  - {match: GET https://api.test/orders/8901, json: {status: lost}}\n"
    result = play(LOOKUP, "scenario: s\n" + route + "turns:\n  - caller: where is my order 4567\n"
                  "  - caller: and where is my order eight nine zero one\n", ["lookup_order"])
    assert said(result)[-1] == "Order 8901 is lost."
    [corrected] = events(result, "corrected")
    assert (corrected.variable, corrected.old, corrected.new, corrected.earlier_turn, corrected.turn) == (
        "order_number", "4567", "8901", 1, 2)


def test_a_self_correction_is_recorded_with_its_marker(play):
    result = play(LOOKUP, "scenario: s\n" + ROUTE + "turns:\n  - caller: where is my order, 4576, no wait, 4567\n",
                  ["lookup_order"])
    assert said(result)[-1] == "Order 4567 is shipped."
    [corrected] = events(result, "corrected")
    assert (corrected.old, corrected.new, corrected.marker, corrected.earlier_turn) == ("4576", "4567", "no wait", None)


def test_a_correction_of_an_earlier_answer_while_another_is_asked_for_reasks_it(play):
    actions = LOOKUP + """
  change_email:
    type: http
    trigger: {phrases: ["change my email"]}
    needs: [order_number, email]
    request: {method: POST, url: "https://api.test/orders/{{ order_number }}/email", json: {email: "{{ email }}"}}
    say: Done.
"""
    route = "http:\n  - {match: POST https://api.test/orders/4568/email, status: 204}\n"
    result = play(actions, "scenario: s\n" + route + "turns:\n  - caller: change my email for order 4567\n"
                  "  - caller: oh sorry I mean 4568\n  - caller: jo at example dot com\n",
                  ["lookup_order", "change_email"])
    assert said(result)[1:] == ["What is your e-mail?", "Got it: 4568 instead of 4567.", "What is your e-mail?",
                                "Done."]
    assert result.passed, result.errors


def test_goodbye_while_the_agent_waits_for_an_answer_ends_the_call(play):
    result = play(LOOKUP, "scenario: s\nturns:\n  - caller: where is my order\n  - caller: never mind, bye\n"
                  "  - caller: this is never heard\n", ["lookup_order"])
    assert said(result)[-1] == "Thank you for calling. Goodbye!"
    ended = events(result, "call_ended")
    assert [(e.by, e.reason) for e in ended] == [("caller", "goodbye")]
    assert not events(result, "slot_unreadable")


def test_repeat_while_the_agent_waits_asks_again_without_using_up_an_attempt(play):
    result = play(LOOKUP, "scenario: s\n" + ROUTE + "turns:\n  - caller: where is my order\n"
                  "  - caller: sorry, what was that?\n  - caller: pardon?\n  - caller: 4567\n", ["lookup_order"])
    assert said(result)[1:] == ["What is your order number?"] * 3 + ["Order 4567 is shipped."]
    assert [e.attempt for e in events(result, "slot_asked")] == [1, 1, 1]


def test_a_repeat_request_is_no_new_request_for_a_phrase_heard_roughly_in_it(play):
    actions = """
    actions:
      quote:
        type: http
        trigger: {phrases: ["how much is"]}
        request: {url: https://api.example.test/price}
        save: {price: $.price}
        say: A tune up is {{ price }} dollars.
    """
    route = "http:\n  - {match: GET https://api.example.test/price, json: {price: 85}, times: 1}\n"
    result = play(actions, "scenario: s\n" + route + "turns:\n  - caller: how much is a tune up\n"
                  "  - caller: sorry, how much did you say?\n", ["quote"])
    assert said(result)[1:] == ["A tune up is 85 dollars."] * 2
    assert [e.action for e in events(result, "action_started")] == ["quote"]


def test_a_negated_trigger_is_in_the_trace_and_the_turn_gets_the_fallback(play):
    result = play(LOOKUP, "scenario: s\nturns:\n  - caller: I'm not asking where is my order\n", ["lookup_order"])
    [suppressed] = events(result, "trigger_suppressed")
    assert (suppressed.action, suppressed.negation) == ("lookup_order", "not asking")
    assert said(result)[-1] == "Sorry, I did not get that."


def test_no_to_a_confirmation_with_a_new_value_corrects_it_and_confirms_again(play):
    actions = LOOKUP.replace("    needs: [order_number]", "    needs: [order_number, sure]")
    agent = """
    agent: a
    greeting: Hello, how can I help?
    fallback: Sorry, I did not get that.
    variables:
      order_number: {type: digits, length: 4, ask: What is your order number?}
      sure: {type: yes_no, ask: "Order {{ order_number }}, is that right?"}
    uses: [actions.yaml]
    actions: [lookup_order]
    """
    route = "http:\n  - {match: GET https://api.test/orders/4568, json: {status: lost}}\n"
    result = play(actions, "scenario: s\n" + route + "turns:\n  - caller: where is my order 4567\n"
                  "  - caller: no, it's four five six eight\n  - caller: yes\n", ["lookup_order"], agent=agent)
    assert said(result)[1:] == ["Order 4567, is that right?", "Got it: 4568 instead of 4567.",
                                "Order 4568, is that right?", "Order 4568 is lost."]
    assert result.passed, result.failures
