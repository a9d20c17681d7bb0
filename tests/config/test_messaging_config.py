"""Bad messaging input is a `file:line:col` error: unknown channels, invalid numbers, sms actions that
would fire during the call, reply settings without a reply to wait for."""

from __future__ import annotations

import pytest

from callsim.config.project import load_project, load_scenario
from callsim.errors import ConfigError, ConfigErrors, Position

AGENT = """\
agent: a
greeting: Hi.
variables:
  code: {from: start_data}
uses: [actions.yaml]
actions: [text_code, follow_up]
"""
ACTIONS = """\
actions:
  text_code:
    type: message
    trigger: {phrases: ["text me"]}
    channel: sms
    to: "{{ call.from }}"
    body: Code {{ code }}.
    await_reply: 2m
    save_reply: answer
    say: Texted.
  follow_up:
    type: sms
    trigger: {on: call_end, if: answer is defined}
    body: Thanks, {{ answer }}.
"""
SCENARIO = """\
scenario: s
agent: agent.yaml
start_data: {code: "1234"}
replies:
  - {after: 20s, body: "YES"}
delivery: {"+14155550111": undelivered}
turns:
  - caller: text me
  - expect: {message: {channel: sms, to: "+14155550100"}}
expect:
  - sms: {to: "+14155550100", contains: Thanks}
"""


@pytest.fixture
def files(project):
    project.write("agent.yaml", AGENT)
    project.write("actions.yaml", ACTIONS)
    project.write("scenario.yaml", SCENARIO)
    return project


def only_error(load, path) -> ConfigError:
    with pytest.raises(ConfigErrors) as caught:
        load(path)
    assert len(caught.value.errors) == 1, caught.value
    return caught.value.errors[0]


def at(files, name: str, needle: str) -> Position:
    return Position(str(files.root / name), *files.locate(name, needle))


def test_the_base_files_are_valid(files):
    scenario = load_scenario(files.scenario)
    action = scenario.project.actions["text_code"]
    assert (action.channel, action.await_reply, action.provides()) == ("sms", 120.0, {"answer", "reply"})
    assert scenario.config.replies[0].after == 20.0


def test_unknown_channel_in_an_action(files):
    files.edit("actions.yaml", "channel: sms", "channel: telegram")
    error = only_error(load_project, files.agent)
    assert error.position == at(files, "actions.yaml", "telegram")
    assert "'sms' or 'whatsapp'" in error.problem and "telegram" in error.problem
    assert str(error).startswith(f"{files.root / 'actions.yaml'}:5:14: actions.text_code.channel:")


def test_unknown_channel_in_a_scripted_reply(files):
    files.edit("scenario.yaml", 'body: "YES"}', 'body: "YES", channel: signal}')
    error = only_error(load_scenario, files.scenario)
    assert error.position == at(files, "scenario.yaml", "signal")
    assert "'sms' or 'whatsapp'" in error.problem


@pytest.mark.parametrize(("number", "problem"), [
    ("4155550100", "has no country code"),
    ("+1 415 555 0100", "write it as +14155550100"),
    ("+1415555", "too short"),
    ("+15550100000", "no such number"),
    ("call me maybe", "is not a phone number"),
])
def test_an_invalid_static_recipient_is_a_validate_time_error(files, number, problem):
    files.edit("actions.yaml", 'to: "{{ call.from }}"', f'to: "{number}"')
    error = only_error(load_project, files.agent)
    assert error.position == at(files, "actions.yaml", f'"{number}"')
    assert error.problem.startswith("actions.text_code.to: ") and problem in error.problem


def test_an_invalid_static_recipient_of_an_sms_action(files):
    files.edit("actions.yaml", "    body: Thanks", '    to: "+44 20"\n    body: Thanks')
    error = only_error(load_project, files.agent)
    assert error.position == at(files, "actions.yaml", '"+44 20"')
    assert error.problem.startswith("actions.follow_up.to: ")


@pytest.mark.parametrize(("old", "new", "needle"), [
    ('delivery: {"+14155550111"', 'delivery: {"0415555011"', '0415555011'),
    ('body: "YES"}', 'body: "YES", from: "+1 415 555 0111"}', '"+1 415 555 0111"'),
    ('to: "+14155550100"}}', 'to: "14155550100"}}', '"14155550100"'),
    ('sms: {to: "+14155550100"', 'sms: {to: "+1415"', '"+1415"'),
])
def test_invalid_numbers_in_a_scenario(files, old, new, needle):
    files.edit("scenario.yaml", old, new)
    error = only_error(load_scenario, files.scenario)
    assert error.position.line == at(files, "scenario.yaml", needle).line
    assert "E.164" in error.problem or "write it as" in error.problem


def test_delivery_outcome_must_be_a_failure(files):
    files.edit("scenario.yaml", "undelivered}", "lost}")
    error = only_error(load_scenario, files.scenario)
    assert "'undelivered' or 'failed'" in error.problem


def test_an_sms_action_triggered_during_the_call_is_an_error_with_a_hint(files):
    files.edit("actions.yaml", "trigger: {on: call_end, if: answer is defined}", 'trigger: {phrases: ["bye"]}')
    error = only_error(load_project, files.agent)
    assert error.position == at(files, "actions.yaml", '{phrases: ["bye"]}')
    assert "an sms action is sent after the call" in error.problem
    assert "trigger: {on: call_end}" in error.problem and "use type: message" in error.problem


@pytest.mark.parametrize("trigger", ['{on: call_end, phrases: ["bye"]}', "{on: call_end, after: text_code}",
                                     "{on: turn}"])
def test_an_sms_trigger_that_could_fire_during_the_call_is_an_error(files, trigger):
    files.edit("actions.yaml", "trigger: {on: call_end, if: answer is defined}", f"trigger: {trigger}")
    error = only_error(load_project, files.agent)
    assert error.position == at(files, "actions.yaml", trigger)
    assert "during the call" in error.problem


def test_an_sms_action_without_a_trigger_is_an_error(files):
    files.edit("actions.yaml", "    trigger: {on: call_end, if: answer is defined}\n", "")
    error = only_error(load_project, files.agent)
    assert error.position == at(files, "actions.yaml", "type: sms")  # the action itself
    assert "needs trigger: {on: call_end}" in error.problem


def test_an_sms_action_cannot_say_anything(files):
    files.edit("actions.yaml", "    body: Thanks", "    say: Bye now.\n    body: Thanks")
    error = only_error(load_project, files.agent)
    assert error.position == at(files, "actions.yaml", "Bye now.")
    assert "would never be spoken" in error.problem


def test_an_in_call_action_cannot_then_into_an_sms_action(files):
    files.edit("actions.yaml", "    say: Texted.\n", "    say: Texted.\n    on_timeout: {then: follow_up}\n")
    error = only_error(load_project, files.agent)
    assert error.problem == ("action 'text_code': on_timeout.then names sms action 'follow_up', "
                             "which is sent after the call only")
    assert error.hint == "to text during the call, name a message action instead"


@pytest.mark.parametrize("field", ["save_reply: answer", "on_timeout: {say: Too late.}"])
def test_reply_settings_need_await_reply(files, field):
    files.edit("actions.yaml", "    await_reply: 2m\n    save_reply: answer\n", f"    {field}\n")
    files.edit("actions.yaml", "Thanks, {{ answer }}.", "Thanks.")
    files.edit("actions.yaml", "if: answer is defined", "if: code is defined")
    error = only_error(load_project, files.agent)
    assert "needs await_reply" in error.problem
    assert error.position == at(files, "actions.yaml", "type: message")  # the action itself


@pytest.mark.parametrize(("name", "problem"), [("reply", "is reserved"), ("call", "is reserved"),
                                               ("my-answer", "letters, digits and _")])
def test_save_reply_must_be_a_usable_name(files, name, problem):
    files.edit("actions.yaml", "save_reply: answer", f"save_reply: {name}")
    files.edit("actions.yaml", "Thanks, {{ answer }}.", "Thanks.")
    with pytest.raises(ConfigErrors) as caught:
        load_project(files.agent)
    assert any(problem in e.problem for e in caught.value.errors)


def test_a_placeholder_naming_the_reply_is_suppliable_only_with_await_reply(files):
    files.edit("actions.yaml", "Thanks, {{ answer }}.", "You said {{ reply.body }}.")
    assert load_project(files.agent)
    files.edit("actions.yaml", "    await_reply: 2m\n    save_reply: answer\n", "")
    files.edit("actions.yaml", "if: answer is defined", "if: code is defined")
    error = only_error(load_project, files.agent)
    assert "{{ reply.body }} names a variable nothing can supply" in error.problem


def test_the_agent_cannot_declare_a_variable_named_reply(files):
    files.edit("agent.yaml", "  code: {from: start_data}", "  code: {from: start_data}\n  reply: {type: text}")
    error = only_error(load_project, files.agent)
    assert "is reserved for the last text reply" in error.problem


def test_message_on_message_reply_is_a_known_trigger_event(files):
    files.edit("actions.yaml", "trigger: {phrases: [\"text me\"]}", "trigger: {on: message_reply}")
    assert load_project(files.agent).actions["text_code"].trigger.on == "message_reply"


def test_a_reply_turn_is_text(files):
    files.edit("scenario.yaml", "  - caller: text me\n", "  - caller: text me\n  - reply: 1234\n")
    turn = load_scenario(files.scenario).config.turns[1]
    assert (turn.kind, turn.reply) == ("reply", "1234")
