"""What can be typed in the simulator: utterances and slash commands with their usage."""

from __future__ import annotations

import pytest

from callsim.tui.commands import Command, Reply, UsageError, parse


@pytest.mark.parametrize("line,command", [
    ("  where is my order ", Command("say", "where is my order")),
    ("/dtmf 12#", Command("dtmf", "12#")),
    ("/dtmf 1 2 w 3", Command("dtmf", "12w3")),
    ("/DTMF *0a", Command("dtmf", "*0A")),
    ("/reply YES please", Command("reply", Reply("YES please"))),
    ("/reply whatsapp YES", Command("reply", Reply("YES", "whatsapp"))),   # on that channel
    ("/reply SMS  YES", Command("reply", Reply("YES", "sms"))),
    ("/reply sms", Command("reply", Reply("sms"))),                        # the word alone is the reply
    ("/reply whatsapping is fine", Command("reply", Reply("whatsapping is fine"))),
    ("/wait 30s", Command("wait", 30.0)),
    ("/wait 2m", Command("wait", 120.0)),
    ("/hangup", Command("hangup")),
    ("/audio question.wav", Command("audio", "question.wav")),
    ("/export", Command("export", None)),
    ("/export out/call.yaml", Command("export", "out/call.yaml")),
])
def test_parse(line: str, command: Command) -> None:
    assert parse(line) == command


def test_empty_line_is_nothing() -> None:
    assert parse("   ") is None


@pytest.mark.parametrize("line,message", [
    ("/dtmf", "Usage: /dtmf KEYS — press keys on the phone"),
    ("/dtmf 12x", "'12x' holds keys a phone does not have"),
    ("/wait", "Usage: /wait DURATION"),
    ("/wait later", "'later' is not a duration"),
    ("/wait 0s", "The duration must be more than zero"),
    ("/reply", "TEXT — answer the agent's text: the one waiting for a reply, else its latest thread"),
    ("/audio", "Usage: /audio FILE.wav"),
    ("/hangup now", "It takes no argument"),
    ("/hnagup", "Unknown command /hnagup. Did you mean /hangup?"),
    ("/", "Unknown command /. Type /help"),
])
def test_bad_commands_explain_their_usage(line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("?", r"\?").replace(".", r"\.")):
        parse(line)


@pytest.mark.parametrize("line, message", [
    pytest.param("x" * 10_001, "A caller turn holds at most 10,000 characters (some ten minutes of speech); "
                 "this one has 10,001. Say it in shorter turns.", id="caller"),
    pytest.param("/reply " + "y" * 1_000_000, "A reply holds at most 10,000 characters (some ten minutes of speech); "
                 "this one has 1,000,000.", id="reply"),
])
def test_a_turn_no_scenario_could_hold_is_refused(line: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:  # a pasted megabyte took minutes of reading, and no export could hold it
        parse(line)
    assert message in str(refused.value)


def test_a_turn_a_scenario_could_hold_is_said() -> None:
    assert parse("x" * 10_000) == Command("say", "x" * 10_000)  # the simulator exports what was said as a scenario
