"""Telephony in the file formats: every mistake is a file:line:col error that says what to write instead."""

from __future__ import annotations

import textwrap
import wave
from pathlib import Path

import pytest

from callsim import load_project, load_scenario
from callsim.errors import ConfigErrors

AGENT = """\
agent: desk
greeting: Hello.
variables:
  caller_name: {type: name, ask: Your name?}
  account_id: {from: start_data}
  language: {from: start_data}
uses: [actions.yaml]
actions: [to_billing]
"""

TRANSFER = """\
actions:
  to_billing:
    type: transfer
    trigger: {phrases: [billing]}
    needs: [caller_name]
    mode: warm
    whisper: "{{ caller_name }} is on the line."
    destination: "+14155550123"
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(root: Path, actions: str, *, agent: str = AGENT) -> list[str]:
    write(root, "agent.yaml", agent)
    write(root, "actions.yaml", actions)
    with pytest.raises(ConfigErrors) as caught:
        load_project(root / "agent.yaml")
    return [str(e).replace(str(root) + "/", "") for e in caught.value.errors]


def edit(old: str, new: str) -> str:
    assert TRANSFER.count(old) == 1, old
    return TRANSFER.replace(old, new)


def test_the_base_transfer_is_valid(tmp_path):
    write(tmp_path, "agent.yaml", AGENT)
    write(tmp_path, "actions.yaml", TRANSFER)

    action = load_project(tmp_path / "agent.yaml").actions["to_billing"]

    assert action.ring_timeout == 30 and action.mode == "warm" and action.speaks_first


@pytest.mark.parametrize(("old", "new", "error"), [
    ('destination: "+14155550123"', 'destination: "555-1234"',
     "actions.yaml:8:18: actions.to_billing.destination: '555-1234' has no country code; E.164 numbers start with + "
     "and the country code, e.g. +14155550123"),
    ('destination: "+14155550123"', 'destination: "+1 415 555"',
     "actions.yaml:8:18: actions.to_billing.destination: '+1 415 555' is not a valid phone number (too short for the "
     "numbering plan of +1); expected E.164, e.g. +14155550123"),
    ('destination: "+14155550123"', "destination: +14155550123",
     "actions.yaml:8:18: actions.to_billing.destination: the number 14155550123 lost its + (YAML reads an unquoted "
     '+14155550123 as a number); write phone numbers in quotes, e.g. "+14155550123"'),
    ('destination: "+14155550123"', "destination: sip:billing@pbx..test",
     "actions.yaml:8:18: actions.to_billing.destination: 'sip:billing@pbx..test' is not a valid SIP URI: the host "
     "'pbx..test' has an empty label (at character 17)"),
    ("mode: warm", "mode: cold",
     "actions.yaml:3:5: actions.to_billing: whisper and summary brief the recipient in a warm transfer; set mode: "
     "warm or remove them"),
    ('    whisper: "{{ caller_name }} is on the line."\n', "",
     "actions.yaml:3:5: actions.to_billing: a warm transfer briefs the recipient first: give whisper: \"...\" or "
     "summary: true (or use mode: cold)"),
    ('destination: "+14155550123"', 'destination: "+14155550123"\n    sip_headers: {X-Order: "1"}',
     "actions.yaml:3:5: actions.to_billing: sip_headers reach SIP destinations only, and +14155550123 is a phone "
     "number"),
    ('destination: "+14155550123"', 'destination: sip:b@pbx.test\n    sip_headers: {"X Order": "1"}',
     "actions.yaml:9:18: actions.to_billing.sip_headers: sip_headers: 'X Order' is not a SIP header name"),
    ('destination: "+14155550123"', 'destination: sip:b@pbx.test\n    sip_headers: {Via: "SIP/2.0/UDP x"}',
     "actions.yaml:9:18: actions.to_billing.sip_headers: sip_headers: Via is written by the SIP stack and cannot "
     "be set; use a custom header such as X-Order"),
    ('destination: "+14155550123"', 'destination: "+14155550123"\n    ring_timeout: 0s',
     "actions.yaml:9:19: actions.to_billing.ring_timeout: ring_timeout must be longer than 0s, e.g. 25s"),
    ('destination: "+14155550123"', 'destination: "+14155550123"\n    hold_audio: jazz.mp3',
     "actions.yaml:9:17: actions.to_billing.hold_audio: hold_audio 'jazz.mp3' must be music or a .wav file"),
])
def test_transfer_mistakes(tmp_path, old, new, error):
    errors = problems(tmp_path, edit(old, new))

    assert any(e.startswith(error) for e in errors), "\n".join(errors)


def test_a_whisper_naming_a_caller_variable_the_action_does_not_need_may_be_missing(tmp_path):
    errors = problems(tmp_path, edit("needs: [caller_name]", "needs: []"))

    assert errors == [
        "actions.yaml:2:3: action 'to_billing': whisper: {{ caller_name }} may have no value when the action runs (the "
        "caller may not have said it); add 'caller_name' to the action's needs: (the agent then asks for it) or write "
        "{{ caller_name | default(\"...\") }}"]


def test_a_whisper_with_a_default_or_start_data_is_fine(tmp_path):
    write(tmp_path, "agent.yaml", AGENT)
    write(tmp_path, "actions.yaml", edit("needs: [caller_name]", "needs: []").replace(
        "{{ caller_name }}", "{{ caller_name | default('A caller') }} from {{ account_id }}"))

    assert load_project(tmp_path / "agent.yaml").actions["to_billing"].needs == []


def test_a_whisper_naming_a_variable_nothing_supplies(tmp_path):
    errors = problems(tmp_path, edit("{{ caller_name }} is", "{{ caler_name }} is"))

    assert errors[0].startswith("actions.yaml:7:14: action 'to_billing', whisper: placeholder {{ caler_name }} names "
                                "a variable nothing can supply")


def test_transfer_variables_are_known_to_placeholders(tmp_path):
    write(tmp_path, "agent.yaml", AGENT)
    write(tmp_path, "actions.yaml", TRANSFER + "    on_busy: {say: \"It was {{ transfer.outcome }}.\"}\n")

    assert load_project(tmp_path / "agent.yaml").actions["to_billing"].on_busy.say == "It was {{ transfer.outcome }}."


def test_a_fallback_then_names_an_existing_action(tmp_path):
    errors = problems(tmp_path, TRANSFER + "    on_no_answer: {then: text_callbak}\n")

    assert errors == ["actions.yaml:2:3: action 'to_billing': on_no_answer.then names unknown action 'text_callbak'; "
                      "defined actions: to_billing"]


# ---- hold audio files --------------------------------------------------------------------------------


def hold(text: str) -> str:
    return edit('destination: "+14155550123"', f'destination: "+14155550123"\n    hold_audio: {text}')


def test_hold_audio_is_a_wav_file_beside_the_library(tmp_path):
    (tmp_path / "audio").mkdir()
    with wave.open(str(tmp_path / "audio" / "hold.wav"), "wb") as audio:
        audio.setnchannels(1), audio.setsampwidth(2), audio.setframerate(8000), audio.writeframes(b"\0\0" * 800)
    write(tmp_path, "agent.yaml", AGENT)
    write(tmp_path, "actions.yaml", hold("audio/hold.wav"))

    assert load_project(tmp_path / "agent.yaml").actions["to_billing"].hold_audio == "audio/hold.wav"


def test_a_missing_hold_audio_file(tmp_path):
    errors = problems(tmp_path, hold("audio/hold.wav"))

    assert errors == [f"actions.yaml:9:17: action 'to_billing': hold_audio file 'audio/hold.wav' not found (looked in "
                      f"{tmp_path}); give a path relative to the action library"]


def test_a_hold_audio_file_that_is_not_a_wav(tmp_path):
    (tmp_path / "hold.wav").write_bytes(b"ID3 this is an mp3")

    errors = problems(tmp_path, hold("hold.wav"))

    assert errors[0].startswith("actions.yaml:9:17: action 'to_billing': hold_audio file 'hold.wav' is not a readable "
                                "WAV file")


# ---- phone books -------------------------------------------------------------------------------------

BOOK = TRANSFER.replace('destination: "+14155550123"', "destination: {phonebook: desk, hunt: true}") + """
phonebooks:
  desk:
    - if: language == "es"
      destination: "+34911234567"
    - if: business_hours("mon-fri 09:00-17:00") and now.weekday != "fri"
      destination: sip:desk@pbx.test
    - destination: "+14155550140"
"""


def test_a_phone_book_with_conditions_and_a_default_is_valid(tmp_path):
    write(tmp_path, "agent.yaml", AGENT)
    write(tmp_path, "actions.yaml", BOOK)

    project = load_project(tmp_path / "agent.yaml")

    assert [e.destination for e in project.phonebooks["desk"]] == ["+34911234567", "sip:desk@pbx.test", "+14155550140"]
    assert project.actions["to_billing"].destination.hunt


@pytest.mark.parametrize(("old", "new", "error"), [
    ('    - destination: "+14155550140"\n', "",
     "actions.yaml:12:5: phonebooks.desk: the phone book has no default target (every entry has an if:); add a last "
     "entry without if:"),
    ('    - destination: "+14155550140"', '    - destination: "+1415555014"',
     "actions.yaml:16:20: phonebooks.desk[2].destination: '+1415555014' is not a valid phone number"),
    ('business_hours("mon-fri 09:00-17:00")', 'business_hours("mon-fry 09:00-17:00")',
     "actions.yaml:14:11: phonebooks.desk[1].if: opening hours 'mon-fry 09:00-17:00': 'fry' is not a day"),
    ('if: language == "es"', 'if: language = "es"',
     "actions.yaml:12:11: phonebooks.desk[0].if: condition 'language = \"es\"': syntax error at line 1"),
    ('if: language == "es"', 'if: lang == "es"',
     "actions.yaml:12:7: phone book 'desk', target 1: {{ lang }} names a variable nothing can supply; declare it "
     "under the agent's variables or save it from an action; for time of day use now.weekday"),
    ("{phonebook: desk, hunt: true}", "{phonebook: dsk}",
     "actions.yaml:2:3: action 'to_billing': destination names unknown phone book 'dsk'; did you mean 'desk'?"),
])
def test_phone_book_mistakes(tmp_path, old, new, error):
    assert BOOK.count(old) == 1, old

    errors = problems(tmp_path, BOOK.replace(old, new))

    assert any(e.startswith(error) for e in errors), "\n".join(errors)


# ---- dtmf ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("digits", "error"), [
    ('"2w{{ account_id }}#"', None),
    ('"12ab"', "'a' at position 3 of '12ab' is not a DTMF key (write A-D in upper case); digits may hold 0-9, *, #, "
               "A-D, w (half a second) and W (one second)"),
    ('"1 2"', "' ' at position 2 of '1 2' is not a DTMF key"),
    ('"{% if x %}1{% endif %}"', "digits may hold {{ placeholders }} but not {% %} or {# #} blocks"),
    ('""', "digits is empty"),
])
def test_dtmf_digits(tmp_path, digits, error):
    actions = f"actions:\n  menu:\n    type: dtmf\n    trigger: {{phrases: [press 2]}}\n    digits: {digits}\n"
    agent = AGENT.replace("actions: [to_billing]", "actions: [menu]")
    if error is None:
        write(tmp_path, "agent.yaml", agent)
        write(tmp_path, "actions.yaml", actions)
        assert load_project(tmp_path / "agent.yaml").actions["menu"].digits == digits.strip('"')
        return
    assert any(error in e and e.startswith("actions.yaml:5:13: actions.menu.digits: ")
               for e in problems(tmp_path, actions, agent=agent)), problems(tmp_path, actions, agent=agent)


# ---- scenarios ---------------------------------------------------------------------------------------


def scenario_problems(root: Path, text: str) -> list[str]:
    write(root, "agent.yaml", AGENT)
    write(root, "actions.yaml", TRANSFER)
    write(root, "s.yaml", "scenario: s\nagent: agent.yaml\n" + textwrap.dedent(text))
    with pytest.raises(ConfigErrors) as caught:
        load_scenario(root / "s.yaml")
    return [str(e).replace(str(root) + "/", "") for e in caught.value.errors]


@pytest.mark.parametrize(("text", "error"), [
    ("phones:\n  +14155550123: {answer_after: 3s}\n",
     "s.yaml:4:3: phones.14155550123: the number 14155550123 lost its + (YAML reads an unquoted +14155550123 as a "
     "number); write phone numbers in quotes"),
    ('phones:\n  "555-1234": {answer_after: 3s}\n', "s.yaml:4:3: phones.555-1234: '555-1234' has no country code"),
    ('phones:\n  "+14155550123": {answer_after: 3s, busy: true}\n',
     "s.yaml:4:19: phones.+14155550123: answer_after does not go with busy: nobody answers"),
    ('ivr: {say: Press 1., options: {"1": {say: Bye., hangup: true}}}\n',
     "s.yaml:3:1: an ivr: is the phone menu the agent calls, so the scenario needs direction: outbound; add "
     "'direction: outbound'"),
    ('direction: outbound\nivr: {say: Press 1., options: {"1": {say: Bye.}}}\nturns:\n  - caller: hello\n',
     "s.yaml:6:5: a caller: turn in a scenario with an ivr: (the other end is the phone menu); let the menu play "
     "out with wait: turns"),
    ('direction: outbound\nivr: {say: Press 1., options: {"12": {say: Bye.}}}\n',
     "s.yaml:4:31: ivr.options: option '12' must be one key"),
    ('direction: outbound\nivr: {say: Press 1., collect: "#", options: {"1": {say: Bye.}}}\n',
     "s.yaml:4:6: ivr: a prompt either offers options or collects an entry, not both"),
    ("turns:\n  - dtmf: 12x#\n", "s.yaml:4:11: turns[0].dtmf: 'x' at position 3 of '12x#' is not a DTMF key"),
    ('expect:\n  - dtmf: ""\n', "s.yaml:4:11: expect[0].dtmf: give the keys the agent must have sent"),
    ('expect:\n  - transfer: {to: "+14155550123", outcome: rejected}\n',
     "s.yaml:4:45: expect[0].transfer.outcome: input should be 'connected', 'voicemail', 'no_answer', 'busy', "
     "'declined', 'failed' or 'abandoned'"),
])
def test_scenario_mistakes(tmp_path, text, error):
    errors = scenario_problems(tmp_path, text)

    assert any(e.startswith(error) for e in errors), "\n".join(errors)
