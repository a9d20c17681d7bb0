"""Trace files: everything callsim writes reads back as it was, and a broken trace is one message naming its line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callsim.recordings import RecordingError, load_recording
from callsim.trace.events import TRACE_FORMAT, AgentSaid, CallerSaid, VariableSet
from callsim.trace.jsonl import TraceFileError
from callsim.trace.recorder import JsonlRecorder
from callsim.trace.trace import Trace, read_trace

HEADER = {"type": "trace", "format": TRACE_FORMAT, "scenario": "s", "file": "s.yaml"}
LINE_BREAKERS = "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\r"
"""Characters some reader (str.splitlines, JavaScript, an editor) takes for the end of a line."""


def as_utf16_reads_it(text: str) -> str:
    """A lone surrogate stays itself; a high surrogate directly before a low one is one character in UTF-16
    (and in JSON's \\u escapes), so it reads back as that character."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def written_both_ways(tmp_path: Path, texts: list[str]) -> list[Trace]:
    """A trace of these lines written by the recorder (as a call goes) and by to_jsonl (replay --update), read back."""
    trace = Trace(header=dict(HEADER))
    recorded = tmp_path / "recorded.jsonl"
    recorder = JsonlRecorder(recorded)
    recorder.attach(trace)
    for turn, text in enumerate(texts, start=1):
        trace.emit(CallerSaid(text=text, turn=turn))
        trace.emit(AgentSaid(text=text, reason="fallback"))
        trace.emit(VariableSet(name="said", value={"text": text, "list": [text]}, source="caller"))
    recorder.close()
    whole = tmp_path / "whole.jsonl"
    whole.write_text(trace.to_jsonl(), encoding="utf-8")
    return [read_trace(recorded), read_trace(whole)]


@settings(derandomize=True, max_examples=200, deadline=None)
@given(texts=st.lists(st.text(st.characters(exclude_categories=())), min_size=1, max_size=4))
def test_any_unicode_a_call_carries_reads_back_as_it_was_written(tmp_path_factory, texts):
    for trace in written_both_ways(tmp_path_factory.mktemp("t"), texts):
        expected = [as_utf16_reads_it(text) for text in texts]
        assert [e.text for e in trace.events if e.type == "caller_said"] == expected
        assert [e.text for e in trace.events if e.type == "agent_said"] == expected
        assert [e.value["list"][0] for e in trace.events if e.type == "variable_set"] == expected


def test_line_separators_and_lone_surrogates_are_written_as_escapes(tmp_path):
    text = f"my order{LINE_BREAKERS}\ud800 is late"

    for trace, path in zip(written_both_ways(tmp_path, [text]), ("recorded.jsonl", "whole.jsonl"), strict=True):
        assert trace.events[0].text == text
        raw = (tmp_path / path).read_bytes()
        assert raw.decode("utf-8").count("\n") == 4  # the header and three events: one line each
        assert len(raw.decode("utf-8").splitlines()) == 4  # also for readers that split at U+2028 and kin


def test_a_recording_with_line_separators_replays_the_same(cli, project):
    project.edit("scenario.yaml", "  - caller: where is my order, it's 4567",
                 '  - caller: "where is my order,\\u2028 it\'s\\x85 4567\\u2029"')

    assert cli("replay", "scenario.yaml", "--update").exit_code == 0
    again = cli("replay")
    shown = cli("show", "recordings/scenario.jsonl")

    assert (again.exit_code, again.stdout.strip().splitlines()[-1]) == (0, "1 same")
    assert shown.exit_code == 0 and "where is my order" in shown.stdout


# --- broken traces --------------------------------------------------------------------------------


def recording(tmp_path: Path, lines: list[object] | None = None) -> Path:
    """A valid trace file, or one made of these lines (objects are written as JSON, text as it is)."""
    events = [{"seq": 1, "t": 0.0, "type": "caller_said", "text": "hi", "turn": 1},
              {"seq": 2, "t": 1.5, "type": "agent_said", "text": "Hello", "reason": "fallback"},
              {"seq": 3, "t": 2.0, "type": "call_ended", "by": "caller", "reason": "hangup"}]
    lines = [HEADER, *events] if lines is None else lines
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"".join((line if isinstance(line, bytes) else
                               (line if isinstance(line, str) else json.dumps(line)).encode()) + b"\n"
                              for line in lines))
    return path


def event(number: int, **fields: object) -> dict[str, object]:
    return {"seq": number, "t": float(number), "type": "caller_said", "text": "hi", "turn": 1, **fields}


@pytest.mark.parametrize(("lines", "message"), [
    ([HEADER, event(2), event(1)], "t.jsonl:2: event #2 where #1 should be: events are missing, repeated or out of order"),
    ([HEADER, event(1), event(1)], "t.jsonl:3: event #1 where #2 should be"),
    ([HEADER, event(1), event(3)], "t.jsonl:3: event #3 where #2 should be"),
    ([HEADER, event(1, t=5.0), event(2, t=1.0)], "t.jsonl:3: event #2 at 1 s comes before the previous event's 5 s"),
    ([HEADER, event(1, text=42)], "t.jsonl:2: caller_said event's 'text' is a number; expected text"),
    ([HEADER, event(1, turn="one")], "t.jsonl:2: caller_said event's 'turn' is text ('one'); expected a whole number"),
    ([HEADER, {"seq": 1, "t": 0, "type": "caller_said", "turn": 1}], "t.jsonl:2: caller_said event without its 'text'"),
    ([HEADER, event(1, seq="1")], "t.jsonl:2: caller_said event's 'seq' is text ('1'); expected a number"),
    ([HEADER, event(1, type="no_such_event")], "t.jsonl:2: unknown event type 'no_such_event'"),
    ([HEADER, [1, 2], event(1)], "t.jsonl:2: unreadable event (a JSON a list, not an object)"),
    ([HEADER, "{broken", event(1)], "t.jsonl:2:2: unreadable event (not JSON: Expecting property name"),
    ([HEADER, b'{"seq": 1, "text": "h\xe9"}', event(1)], "t.jsonl:2:22: invalid UTF-8 (byte 0xe9)"),
    ([HEADER, "[" * 100_000 + "]" * 100_000, event(1)], "t.jsonl:2: unreadable event (not JSON: nested too deep)"),
    ([{**HEADER, "variant": "x"}], "t.jsonl:1: the header's 'variant' is text ('x'); expected a whole number"),
    ([{**HEADER, "file": ["a"]}], "t.jsonl:1: the header's 'file' is a list; expected text"),
    ([{**HEADER, "format": 99}], "t.jsonl:1: trace format 99 is not the supported format 1"),
    (["not json", event(1)], "t.jsonl:1: not a callsim trace (the first line is not JSON)"),
    ([], "t.jsonl: empty trace file"),
])
def test_a_broken_trace_is_one_error_naming_its_line(tmp_path, lines, message):
    path = recording(tmp_path, lines)

    with pytest.raises(TraceFileError) as caught:
        read_trace(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_huge_line_is_refused_by_its_size(tmp_path):
    path = recording(tmp_path, [HEADER, event(1, text="x" * (5 * 1024 * 1024))])

    with pytest.raises(TraceFileError, match=r"t.jsonl:2: a line of 5.0 MiB; the limit is 4 MiB per event"):
        read_trace(path)


def test_a_trace_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "t.jsonl")

    with pytest.raises(TraceFileError, match="is a named pipe"):
        read_trace(tmp_path / "t.jsonl")


def test_a_trace_cut_mid_line_keeps_what_was_written_and_a_recording_names_the_line(tmp_path):
    path = recording(tmp_path)
    path.write_bytes(path.read_bytes()[:-20])

    trace = read_trace(path)
    assert [e.seq for e in trace.events] == [1, 2] and trace.header["truncated"] == 4
    with pytest.raises(RecordingError, match=r"t.jsonl:4: the recording ends in a partial line"):
        load_recording(path)


@pytest.mark.parametrize("command", ["show", "replay"])
def test_show_and_replay_say_what_is_wrong_with_a_reordered_recording_in_one_line(cli, project, command):
    assert cli("replay", "scenario.yaml", "--update").exit_code == 0
    path = project.root / "recordings" / "scenario.jsonl"
    lines = path.read_text().splitlines()
    lines[2], lines[3] = lines[3], lines[2]
    path.write_text("\n".join(lines) + "\n")

    outcome = cli(command, "recordings/scenario.jsonl")

    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("recordings/scenario.jsonl:3: event #3 where #2 should be")
    assert len([line for line in outcome.stderr.splitlines() if "recordings/scenario.jsonl" in line]) == 1
    assert "Traceback" not in outcome.output
