"""Fakes that belong to the agent (`defaults:`): every call meets them; a scenario's own setup wins, by the
merge rule of callsim.config.fakes; and they never fail a scenario for going unused."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from callsim.config.project import load_project, load_scenario
from callsim.engine.clock import VirtualClock
from callsim.errors import ConfigErrors
from callsim.runner import call_backends, run_scenario

ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["look it up"]}
    request: {url: "https://api.shop.test/items/1", timeout: 2s}
    save: {state: $.state}
    say: It is {{ state }}.
  to_sales:
    type: transfer
    trigger: {phrases: ["sales please"]}
    destination: "+14155550123"
    mode: cold
"""
AGENT = """\
agent: shop
greeting: Hi.
timezone: America/New_York
uses: [actions.yaml]
actions: [lookup, to_sales]
defaults:
  calendar:
    timezone: America/Chicago
    hours: {mon-fri: "09:00-17:00"}
    events: [{start: 2026-12-01T12:00, duration: 1h, title: Lunch}]
  phones:
    "+14155550123": {answer_after: 4s}
  http:
    - {match: GET https://api.shop.test/items/1, json: {state: from the agent}}
    - {match: GET https://api.shop.test/unused, json: {}}
"""


def write(root: Path, scenario: str, agent: str = AGENT) -> Path:
    (root / "pyproject.toml").write_text("")
    (root / "actions.yaml").write_text(ACTIONS)
    (root / "agent.yaml").write_text(agent)
    path = root / "s.yaml"
    path.write_text("scenario: s\nagent: agent.yaml\n" + textwrap.dedent(scenario))
    return path


def said(result) -> list[str]:
    return [e.text for e in result.trace.events if e.type == "agent_said"]


def test_the_agents_routes_answer_when_the_scenario_has_none_and_unused_ones_fail_nothing(tmp_path):
    result = run_scenario(write(tmp_path, "turns:\n  - caller: look it up\n"))
    assert result.passed, (result.failures, result.errors)
    assert said(result)[-1] == "It is from the agent."


def test_a_scenario_route_for_the_same_request_wins(tmp_path):
    result = run_scenario(write(tmp_path, """\
        http:
          - {match: GET https://api.shop.test/items/1, json: {state: from the scenario}}
        turns:
          - caller: look it up
        """))
    assert result.passed and said(result)[-1] == "It is from the scenario."


def test_a_scenario_phone_replaces_the_agents_for_the_same_destination(tmp_path):
    agents = run_scenario(write(tmp_path, "turns:\n  - caller: sales please\n"))
    assert [e.type for e in agents.trace.events if e.type in ("bridged", "busy")] == ["bridged"]
    own = run_scenario(write(tmp_path, 'phones:\n  "+14155550123": {busy: true}\nturns:\n  - caller: sales please\n'))
    assert [e.type for e in own.trace.events if e.type in ("bridged", "busy")] == ["busy"]


def test_the_calendar_merges_field_by_field_and_events_add_up(tmp_path):
    scenario = load_scenario(write(tmp_path, """\
        calendar:
          hours: {sat: "10:00-14:00"}
          events: [{start: 2026-12-01T15:00, duration: 30m, title: Visit}]
        turns:
          - caller: hi
        """))
    backends = call_backends(scenario.config, VirtualClock(dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)),
                             scenario.project, tmp_path)
    calendar = backends.calendar
    assert str(calendar.zone) == "America/Chicago"  # the agent's, as the scenario names none
    assert calendar.hours == {5: [(600, 840)]}  # the scenario's hours replace the agent's
    assert [e.title for e in calendar.events] == ["Lunch", "Visit"]


def test_a_call_without_a_scenario_has_the_agents_opening_hours(tmp_path):
    write(tmp_path, "turns: []\n")
    project = load_project(tmp_path / "agent.yaml")
    from callsim.config.scenario import ScenarioConfig

    free = ScenarioConfig(scenario="free call", agent="agent.yaml")
    backends = call_backends(free, VirtualClock(dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)), project, tmp_path)
    assert backends.calendar.hours == {day: [(540, 1020)] for day in range(5)}


def test_the_agents_ics_is_found_when_the_scenario_is_named_by_a_relative_path(tmp_path, monkeypatch):
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "busy.ics").write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\nBEGIN:VEVENT\nUID:a@t\nDTSTAMP:20261101T120000Z\n"
        "DTSTART:20261201T150000Z\nDTEND:20261201T160000Z\nSUMMARY:Taken\nEND:VEVENT\nEND:VCALENDAR\n")
    write(tmp_path / "project", "turns: []\n", agent=AGENT.replace("    timezone: America/Chicago\n",
                                                                       "    ics: busy.ics\n"))
    monkeypatch.chdir(tmp_path)  # as `callsim run project/s.yaml` names it: the agent's folder is relative
    scenario = load_scenario(Path("project/s.yaml"))
    backends = call_backends(scenario.config, VirtualClock(dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)),
                             scenario.project, Path("project"))
    day = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    assert [e.title for e in backends.calendar.busy(day, day + dt.timedelta(days=1))] == ["Taken", "Lunch"]


def test_an_unmatched_request_names_the_agents_route_it_nearly_matched(tmp_path):
    agent = AGENT.replace("https://api.shop.test/items/1, json", "https://api.shop.test/items/2, json")
    result = run_scenario(write(tmp_path, "turns:\n  - caller: look it up\n", agent))
    assert result.errors[0].setup
    assert "did you mean agent.yaml defaults.http[0] GET https://api.shop.test/items/2?" in result.errors[0].message


@pytest.mark.parametrize("defaults, where, message", [
    ('  calendar:\n    hours: {mon-fri: "09:00-17:00", fri: "16:00-18:00"}\n', "fri",
     "defaults.calendar.hours: fri 16:00-18:00 overlaps mon-fri 09:00-17:00 on fri"),
    ("  http:\n    - {match: GET https://api.shop.test/*, pass_through: backend}\n", "pass_through",
     "defaults.http[0]: pass_through names server 'backend', which defaults.servers: does not declare"),
    ("  calendar:\n    ics: missing.ics\n", "ics",
     "defaults.calendar.ics: file 'missing.ics' not found"),
])
def test_the_agents_defaults_are_checked_where_they_are_written(tmp_path, defaults, where, message):
    agent = AGENT.split("defaults:\n")[0] + "defaults:\n" + defaults
    write(tmp_path, "turns: []\n", agent)
    with pytest.raises(ConfigErrors) as problem:
        load_project(tmp_path / "agent.yaml")
    text = str(problem.value)
    line = next(number for number, text in enumerate(agent.splitlines(), 1) if where in text)
    assert message in text and f"agent.yaml:{line}:" in text
