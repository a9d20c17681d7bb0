"""Times and dates the caller gave read as a person writes them in what people read or hear (say lines, SMS
bodies, whispers), and keep their ISO 8601 form in what programs read (requests, JSON, conditions)."""

from __future__ import annotations

import pickle

from callsim.runner import ScenarioResult
from callsim.templates import render_data, render_header, render_json, render_text, render_url
from callsim.templates.values import Readable

AGENT = """
agent: test-agent
greeting: Hello, how can I help?
timezone: America/New_York
variables:
  pickup_time: {type: time, ask: When will you pick it up?}
  pickup_day: {type: date, ask: Which day?}
  date_of_birth: {type: date, ask: What is your date of birth?}
uses: [actions.yaml]
actions: [order, confirm]
"""

ACTIONS = """
actions:
  order:
    type: http
    trigger: {phrases: ["refill"]}
    needs: [pickup_day, pickup_time, date_of_birth]
    request:
      method: POST
      url: https://api.test/refills
      query: {at: "{{ pickup_time }}"}
      json: {day: "{{ pickup_day }}", note: "born {{ date_of_birth }}"}
    say: Ready {{ pickup_day }} at {{ pickup_time }}, for the patient born {{ date_of_birth }}.
  confirm:
    type: message
    trigger: {after: order, if: "pickup_time < '17:00:00'"}
    to: "{{ call.from }}"
    body: Pick up {{ pickup_day }} at {{ pickup_time }}.
"""

SCENARIO = """
scenario: s
agent: agent.yaml
now: 2026-11-30T10:00:00-05:00
http:
  - {match: POST https://api.test/refills, json: {ok: true}}
turns:
  - caller: I need a refill
  - caller: friday
  - caller: four pm
  - caller: march third nineteen sixty two
"""


def _play(tmp_path) -> ScenarioResult:
    from callsim.runner import run_scenario

    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    (tmp_path / "scenario.yaml").write_text(SCENARIO)
    return run_scenario(tmp_path / "scenario.yaml")


def test_say_lines_and_texts_write_times_and_dates_as_people_do(tmp_path):
    result = _play(tmp_path)
    said = [e.text for e in result.trace.events if e.type == "agent_said"]
    assert said[-1] == "Ready Friday, December 4 at 4 PM, for the patient born March 3, 1962."
    sent = [e.body for e in result.trace.events if e.type == "message_sent"]
    assert sent == ["Pick up Friday, December 4 at 4 PM."]


def test_requests_and_conditions_keep_the_iso_form(tmp_path):
    result = _play(tmp_path)
    request = next(e for e in result.trace.events if e.type == "http_request")
    assert request.url == "https://api.test/refills?at=16%3A00%3A00"
    assert request.json_ == {"day": "2026-12-04", "note": "born 1962-03-03"}
    values = {e.name: e.value for e in result.trace.events if e.type == "variable_set"}
    assert values["pickup_time"] == "16:00:00" and values["date_of_birth"] == "1962-03-03"


def test_each_kind_of_template_takes_its_form():
    time = Readable("16:00:00", "4 PM")
    context = {"t": time, "ts": [time, Readable("09:30:00", "9:30 AM")]}
    assert render_text("at {{ t }}", context) == "at 4 PM"
    assert render_text("{{ t }}", context) == "4 PM"
    assert render_text("at {{ ts }}", context) == "at 4 PM and 9:30 AM"
    assert render_text("{% if t %}at {{ t }}{% endif %}", context) == "at 4 PM"
    assert render_data("{{ t }}", context) == "16:00:00"
    assert render_url("https://api.test/x?at={{ t }}", context) == "https://api.test/x?at=16%3A00%3A00"
    assert render_header("at {{ t }}", context) == "at 16:00:00"
    assert render_json({"at": "{{ t }}", "text": "at {{ t }}"}, context) == {"at": "16:00:00", "text": "at 16:00:00"}
    assert type(render_json("{{ t }}", context)) is str


def test_a_readable_value_is_its_iso_text_everywhere_else():
    time = Readable("16:00:00", "4 PM")
    assert time == "16:00:00" and hash(time) == hash("16:00:00") and time < "17:00:00"
    again = pickle.loads(pickle.dumps(time))
    assert again == "16:00:00" and again.said == "4 PM"
