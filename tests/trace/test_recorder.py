"""Traces on disk: written as they happen, readable after a crash, never holding a secret."""

from __future__ import annotations

import json

import pytest

import callsim.actions
from callsim.errors import ConfigErrors
from callsim.runner import run_scenario
from callsim.trace.jsonl import TraceFileError
from callsim.trace.redact import marker
from callsim.trace.trace import read_trace

ACTIONS = """
actions:
  lookup:
    type: http
    trigger: {phrases: ["look it up"]}
    request:
      url: "https://api.test/x"
      headers: {Authorization: "Bearer {{ secrets.API_TOKEN }}"}
    save: {echo: $.echo}
    say: "The server said {{ echo }}."
"""
AGENT = "agent: a\ngreeting: Hi.\nuses: [actions.yaml]\nactions: [lookup]\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    (tmp_path / "agent.yaml").write_text(AGENT)

    def scenario(extra: str = "") -> object:
        path = tmp_path / "s.yaml"
        path.write_text("scenario: s\nagent: agent.yaml\n" + extra +
                        "http:\n  - {match: GET https://api.test/x, json: {echo: tok-123456}}\n"
                        "turns:\n  - caller: look it up\n")
        return path

    return scenario


def test_secret_from_the_environment_is_redacted_everywhere(project, tmp_path, monkeypatch):
    monkeypatch.setenv("API_TOKEN", "tok-123456")
    out = tmp_path / "trace.jsonl"
    result = run_scenario(project(), record=out)
    text = out.read_text()
    assert "tok-123456" not in text
    assert "tok-123456" not in result.trace.to_jsonl()
    request = next(e for e in result.trace.events if e.type == "http_request")
    assert request.headers["Authorization"] == f"Bearer {marker('tok-123456')}"
    # the server echoed the secret back: the spoken line and the variable are redacted too
    assert f"The server said {marker('tok-123456')}." in text


def test_missing_secret_names_the_environment_variable(project, monkeypatch):
    monkeypatch.delenv("API_TOKEN", raising=False)
    with pytest.raises(ConfigErrors) as raised:  # a setup error, not an action that fails and falls back
        run_scenario(project())
    assert "secret API_TOKEN has no value" in str(raised.value)
    assert "set the environment variable API_TOKEN" in str(raised.value)


def test_trace_is_written_line_by_line_and_survives_a_crash(project, tmp_path, monkeypatch):
    async def broken(action, ctx):
        raise RuntimeError("bug inside an action runner")

    monkeypatch.setitem(callsim.actions.RUNNERS, "http", broken)
    out = tmp_path / "crash.jsonl"
    result = run_scenario(project("secrets: {API_TOKEN: x}\n"), record=out)
    assert result.crash and "RuntimeError: bug inside an action runner" in result.crash
    trace = read_trace(out)
    kinds = [e.type for e in trace.events]
    assert kinds[:2] == ["call_started", "variable_set"]
    assert "caller_said" in kinds and kinds[-1] == "error"
    assert trace.events[-1].message.startswith("RuntimeError")


def test_reading_a_trace_cut_mid_line(project, tmp_path):
    out = tmp_path / "t.jsonl"
    run_scenario(project("secrets: {API_TOKEN: x}\n"), record=out)
    whole = out.read_text()
    out.write_text(whole[: len(whole) - 20])
    trace = read_trace(out)
    assert trace.header["truncated"] == whole.count("\n")  # the number of the line that was cut
    assert len(trace.events) == whole.count("\n") - 2


@pytest.mark.parametrize("content, message", [
    ("", "empty trace file"),
    ("not json\n", "not a callsim trace"),
    (json.dumps({"type": "trace", "format": 99}) + "\n", "format 99 is not the supported format 1"),
    (json.dumps({"type": "trace", "format": 1}) + "\n{broken\n" + json.dumps({"seq": 2}) + "\n",
     "t.jsonl:2:2: unreadable event (not JSON"),
])
def test_unreadable_traces_say_why(tmp_path, content, message):
    path = tmp_path / "t.jsonl"
    path.write_text(content)
    with pytest.raises(TraceFileError, match=message.replace("(", r"\(")):
        read_trace(path)


def test_events_have_increasing_sequence_and_time(project, tmp_path):
    result = run_scenario(project("secrets: {API_TOKEN: x}\n"))
    seqs = [e.seq for e in result.trace.events]
    times = [e.t for e in result.trace.events]
    assert seqs == list(range(1, len(seqs) + 1))
    assert times == sorted(times)


def test_every_event_reads_back_as_it_was_written_even_with_empty_values(tmp_path):
    from callsim.trace.events import AgentSaid, HttpRequestSent, VariableSet
    from callsim.trace.trace import Trace

    trace = Trace(header={"type": "trace", "format": 1})
    for event in (VariableSet(name="booking.alternatives", value=None, source="action:book"),
                  VariableSet(name="tags", value=[], source="caller"),
                  HttpRequestSent(action="a", method="GET", url="https://x.test/", headers={}),
                  AgentSaid(text="", reason="fallback")):
        trace.emit(event)
    path = tmp_path / "t.jsonl"
    path.write_text(trace.to_jsonl())
    again = read_trace(path)
    assert [e.to_json() for e in again.events] == [e.to_json() for e in trace.events]
    assert again.events[0].value is None and again.events[1].value == []
