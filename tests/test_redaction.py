"""Secrets never reach a trace, a terminal, a report or a file, however a template transforms them and
whenever the caller says them: one secret is pushed through every template filter and every sink."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2.filters
import pytest

from callsim.engine.variables import Secrets, Variables
from callsim.errors import TemplateError
from callsim.runner import run_scenario
from callsim.templates import render_data, render_header, render_json, render_text, render_url
from callsim.trace.events import AgentSaid, CallerSaid, DtmfSent, HttpRequestSent
from callsim.trace.redact import Redactor, marker
from callsim.trace.trace import Trace

SECRET = "s3cr3t-Válue_42/x+y&z"
MARKER = re.compile(r"\[redacted \d+ chars(?: #[0-9a-f]{6})?\]")

# Arguments that let each filter run on a string (or on the list of its characters).
ARGUMENTS = {
    "attr": "('upper')", "batch": "(3) | list", "center": "(40)", "format": "", "indent": "(2, true)",
    "join": "('.')", "map": "('upper') | list", "replace": "('3', 'E')", "reject": "('eq', 'x') | list",
    "rejectattr": "('real') | list", "round": "", "select": "('ne', 'x') | list", "selectattr": "('real') | list",
    "slice": "(3) | list", "sort": "", "truncate": "(12, true, '')", "wordwrap": "(5)", "groupby": "('real') | list",
    "sum": "(start='')", "unique": "| list", "min": "", "max": "",
}
OTHER_TRANSFORMS = [
    "{{ secrets.TOKEN[2:9] }}", "{{ secrets.TOKEN[::-1] }}", "{{ secrets.TOKEN.upper() }}", "{{ secrets.TOKEN ~ '!' }}",
    "{{ '%s!' % secrets.TOKEN }}", "{{ secrets.TOKEN * 2 }}", "{% for c in secrets.TOKEN %}{{ c }}-{% endfor %}",
    "{% set t = secrets.TOKEN %}{{ t }}", "{{ secrets.items() | list }}", "{{ secrets | list }}",
    "{{ secrets.TOKEN.split('-') | join(' ') }}", "{{ secrets.TOKEN | list | join(',') }}",
    "{{ secrets.TOKEN.encode('utf-8') }}", "{% if secrets.TOKEN %}{{ secrets.TOKEN | e }}{% endif %}",
    "{{ (secrets.TOKEN | list | reverse | join) | urlencode }}", "{{ secrets['TOKEN'] | upper }}",
]


def call_parts() -> tuple[Trace, Variables]:
    trace = Trace()
    return trace, Variables(Secrets({"TOKEN": SECRET, "PIN": "98761"}, trace.redact, environ={}))


def filter_templates() -> list[str]:
    templates = []
    for name in sorted(jinja2.filters.FILTERS):
        if name in ("default", "d"):
            continue
        arguments = ARGUMENTS.get(name, "")
        templates.append(f"x {{{{ secrets.TOKEN | {name}{arguments} }}}} y")
        templates.append(f"x {{{{ secrets.TOKEN | list | {name}{arguments} }}}} y")
    return templates + OTHER_TRANSFORMS


def test_every_filter_and_transform_of_a_secret_is_redacted_as_a_whole_field() -> None:
    rendered = 0
    for source in filter_templates():
        for render in (render_text, render_header, render_url):
            trace, variables = call_parts()
            if render is render_url:
                source = f"https://api.test/{source}"
            try:
                out = render(source, variables.context())
            except TemplateError:
                continue  # the filter does not take this input: nothing was rendered
            rendered += 1
            said = trace.emit(AgentSaid(text=out, reason="test")).text
            assert MARKER.fullmatch(said), (source, out, said)
    assert rendered > 150  # most filters take a string or a list


@pytest.mark.parametrize("source", filter_templates())
def test_a_transformed_secret_in_a_json_body_is_redacted_leaf_by_leaf(source: str) -> None:
    trace, variables = call_parts()
    try:
        body = render_json({"value": source, "pin": "{{ secrets.PIN | int }}"}, variables.context())
    except TemplateError:
        return
    sent = trace.emit(HttpRequestSent(action="a", method="POST", url="https://api.test/", headers={}, json_=body))
    shown = json.dumps(sent.json_)
    assert "98761" not in shown and sent.json_["pin"] == marker("98761")
    for leaf in _leaves(sent.json_["value"]):
        assert MARKER.fullmatch(str(leaf)), (source, body, sent.json_)


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [*value.keys(), *(leaf for item in value.values() for leaf in _leaves(item))]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_a_plain_secret_keeps_the_text_around_it() -> None:
    trace, variables = call_parts()
    out = render_header("Bearer {{ secrets.TOKEN }}", variables.context())
    assert trace.emit(AgentSaid(text=out, reason="test")).text == f"Bearer {marker(SECRET)}"


def test_keys_numbers_and_short_secrets_are_redacted() -> None:
    redact = Redactor([SECRET, "98761", "ab"])
    assert redact({SECRET: 1, "n": 98761, "f": 98761.0, "short": "ab", "word": "abc", "t": True}) == {
        marker(SECRET): 1, "n": marker("98761"), "f": marker("98761"), "short": marker("ab"), "word": "abc",
        "t": True}


def test_a_short_secret_is_redacted_where_a_template_placed_it_and_nowhere_else() -> None:
    trace = Trace()
    variables = Variables(Secrets({"PIN": "1234"}, trace.redact, environ={}))
    assert trace.emit(CallerSaid(text="my order is 12345, and 1234 is my code", turn=1)).text == \
        "my order is 12345, and 1234 is my code"  # the caller's digits are theirs, not the secret
    out = render_text("Your pin is {{ secrets.PIN }}.", variables.context())
    dtmf = render_data("2w{{ secrets.PIN }}#", variables.context())
    assert trace.emit(AgentSaid(text=out, reason="test")).text == "Your pin is [redacted 4 chars]."
    assert trace.emit(AgentSaid(text=f"I said: {out}", reason="test")).text == "I said: Your pin is [redacted 4 chars]."
    assert trace.emit(DtmfSent(digits=dtmf, action="menu", duration=1.0)).digits == "2w[redacted 4 chars]#"
    assert trace.emit(CallerSaid(text="order 12345", turn=2)).text == "order 12345"
    assert trace.redact({"pin": "1234", "n": 1234}) == {"pin": "[redacted 4 chars]", "n": "[redacted 4 chars]"}


def test_a_short_secrets_marker_does_not_give_it_away_and_a_long_ones_tells_two_apart() -> None:
    assert marker("1234") == marker("9876") == "[redacted 4 chars]"  # 10,000 PINs would find it from a hash
    assert marker("tok-12345678") != marker("tok-12345679")
    assert re.fullmatch(r"\[redacted 12 chars #[0-9a-f]{6}\]", marker("tok-12345678"))


# ---- a whole call: every sink --------------------------------------------------------------------

ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["look it up"]}
    request:
      method: POST
      url: "https://api.test/x/{{ secrets.TOKEN | upper }}"
      headers: {Authorization: "Bearer {{ secrets.TOKEN | reverse | urlencode }}", X-Env: "{{ secrets.ENV_TOKEN }}"}
      json: {plain: "{{ secrets.TOKEN }}", escaped: "{{ secrets.TOKEN | tojson }}", pin: "{{ secrets.PIN | int }}"}
    save: {echo: $.echo}
    say: "{{ secrets.TOKEN | title }} and {{ secrets.TOKEN[1:7] }}; the server said {{ echo }}."
"""
AGENT = "agent: a\ngreeting: Hi.\nuses: [actions.yaml]\nactions: [lookup]\n"
SCENARIO = f"""\
scenario: every sink {SECRET}
agent: agent.yaml
secrets: {{TOKEN: "{SECRET}", PIN: "98761"}}
http:
  - {{match: POST https://api.test/*, json: {{echo: "{SECRET}", "{SECRET}": 98761}}}}
turns:
  - caller: my environment token is env-Tok-999, keep it safe
  - caller: look it up
  - expect: {{agent_said: something else}}
"""
ENV_SECRET = "env-Tok-999"


def leaks(text: str) -> list[str]:
    """Every form of the secrets that `text` shows."""
    forms = {SECRET, SECRET.upper(), SECRET.title(), SECRET[::-1], SECRET[1:7], ENV_SECRET, "98761",
             json.dumps(SECRET)[1:-1], SECRET.replace("/", "\\/")}
    return sorted(form for form in forms if form in text)


@pytest.fixture
def sinks(tmp_path: Path, monkeypatch, cli, project) -> Path:
    monkeypatch.setenv("ENV_TOKEN", ENV_SECRET)
    project.write("actions.yaml", ACTIONS)
    project.write("agent.yaml", AGENT)
    project.write("scenario.yaml", SCENARIO)
    return project.root


def test_a_secret_said_by_the_caller_before_it_is_read_is_redacted(sinks: Path) -> None:
    result = run_scenario(sinks / "scenario.yaml")
    said = result.trace.events[[e.type for e in result.trace.events].index("caller_said")]
    assert said.text == f"my environment token is {marker(ENV_SECRET)}, keep it safe"


def test_no_sink_shows_a_secret(sinks: Path, cli) -> None:
    run = cli("run", "scenario.yaml", "-v", "--record", "out", "--junit", "junit.xml")
    assert run.exit_code == 1 and "FAIL" in run.output
    assert leaks(run.output) == []
    assert leaks((sinks / "junit.xml").read_text()) == []
    recorded = (sinks / "out" / "scenario.jsonl").read_text()
    assert leaks(recorded) == [] and "[redacted" in recorded
    shown = cli("show", "out/scenario.jsonl", "-d")
    assert shown.exit_code == 0 and leaks(shown.output) == []
    assert "http_request" in recorded and "action_failed" not in recorded  # the secret went out in the request
    assert leaks(run_scenario(sinks / "scenario.yaml").trace.to_jsonl()) == []


def test_validation_does_not_echo_a_secret_value(project, cli) -> None:
    project.write("scenario.yaml", "scenario: s\nagent: agent.yaml\nsecrets: {TOKEN: 12345678, PIN: [98761]}\n"
                                   "turns:\n  - caller: hi\n")
    checked = cli("validate", "scenario.yaml")
    assert checked.exit_code == 2 and "secrets.TOKEN" in checked.output
    assert "12345678" not in checked.output and "98761" not in checked.output


@pytest.mark.parametrize("placeholder", ["{{ secrets[name] }}", "{{ secrets | list }}", "{{ secrets.items() | list }}"])
def test_a_secret_must_be_named_so_it_can_be_redacted_from_the_start(project, cli, placeholder) -> None:
    project.edit("actions.yaml", "say: Order {{ order_number }} is {{ order_status }}.",
                 f'say: "Order {placeholder}"')
    checked = cli("validate", "agent.yaml")
    assert checked.exit_code == 2
    assert "name each secret: {{ secrets.NAME }}" in checked.output


UNMATCHED = SCENARIO.replace("scenario: every sink", "scenario: no route for").replace(
    "POST https://api.test/*", "GET https://other.test/*")
"""The same call with no route for its request: the call's error quotes the request's URL, which holds the secret."""


def test_no_sink_shows_a_secret_in_a_calls_error(sinks: Path, cli) -> None:
    (sinks / "unmatched.yaml").write_text(UNMATCHED)
    run = cli("run", "unmatched.yaml", "-v", "--record", "out", "--junit", "junit.xml")
    assert run.exit_code == 1 and "no http route matches POST [redacted" in run.output
    assert leaks(run.output) == [] and leaks((sinks / "junit.xml").read_text()) == []
    assert leaks((sinks / "out" / "unmatched.jsonl").read_text()) == []
    assert leaks(cli("show", "out/unmatched.jsonl", "-d").output) == []


def test_the_pytest_report_shows_no_secret(pytester, monkeypatch) -> None:
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:textual-snapshot")
    monkeypatch.setenv("ENV_TOKEN", ENV_SECRET)
    pytester.makefile(".yaml", **{"scenarios/shop/actions": ACTIONS, "scenarios/shop/agent": AGENT,
                                  "scenarios/shop/every_sink": SCENARIO, "scenarios/shop/unmatched": UNMATCHED})
    pytester.makeini("[pytest]\ntestpaths = scenarios\n")

    result = pytester.runpytest("-vv", "-rA", "--junitxml=junit.xml")

    result.assert_outcomes(failed=2)
    shown = result.stdout.str() + result.stderr.str()
    assert "no http route matches POST [redacted" in shown  # the error is in the report
    assert leaks(shown) == [] and leaks((pytester.path / "junit.xml").read_text()) == []


SHORT_PIN_ACTIONS = """\
actions:
  verify:
    type: http
    trigger: {phrases: ["my order"]}
    needs: [order_number]
    request:
      url: "https://api.test/orders/{{ order_number }}"
      query: {pin: "{{ secrets.PIN }}"}
      headers: {X-Pin: "pin {{ secrets.PIN }}"}
    say: Order {{ order_number }} is on its way.
  menu:
    type: dtmf
    trigger: {phrases: ["the menu"]}
    digits: "2w{{ secrets.PIN }}#"
"""
SHORT_PIN_AGENT = """\
agent: a
greeting: Hi.
variables:
  order_number: {type: digits, ask: Which order?}
uses: [actions.yaml]
actions: [verify, menu]
"""
SHORT_PIN_SCENARIO = """\
scenario: a four-digit pin
agent: agent.yaml
secrets: {PIN: "1234"}
http:
  - {match: "GET https://api.test/orders/12345?pin=1234", json: {}}
turns:
  - caller: where is my order, it's 12345
  - expect: {agent_said: Order 12345 is on its way}
  - caller: the menu please
"""


def test_a_four_digit_secret_is_redacted_where_it_was_sent_and_a_callers_digits_are_kept(project) -> None:
    project.write("actions.yaml", SHORT_PIN_ACTIONS)
    project.write("agent.yaml", SHORT_PIN_AGENT)
    project.write("scenario.yaml", SHORT_PIN_SCENARIO)
    result = run_scenario(project.root / "scenario.yaml")
    events = {e.type: e for e in result.trace.events}
    assert result.passed, result.failures
    said = [e.text for e in result.trace.events if e.type in ("caller_said", "agent_said")]
    assert "where is my order, it's 12345" in said and "Order 12345 is on its way." in said
    assert events["http_request"].url == "https://api.test/orders/12345?pin=[redacted 4 chars]"
    assert events["http_request"].headers["X-Pin"] == "pin [redacted 4 chars]"
    assert events["dtmf_sent"].digits == "2w[redacted 4 chars]#"
    assert "1234#" not in result.trace.to_jsonl() and "pin=1234" not in result.trace.to_jsonl()
