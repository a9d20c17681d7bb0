"""The http action against scenario routes: every failure production sees takes on_error."""

from __future__ import annotations

import pytest

from callsim.runner import run_scenario

ACTIONS = """
actions:
  lookup:
    type: http
    trigger: {{phrases: ["look it up"]}}
    request:
      method: {method}
      url: "https://api.test/items/{{{{ item }}}}"
      query: {{q: "{{{{ item }}}}", lang: en}}
      timeout: 5s
      {body}
    save: {{status: $.status}}
    accept_status: [404]
    say: "Status {{{{ status }}}}."
    on_error: {{say: Fallback line.}}
"""
AGENT = """
agent: a
greeting: Hi.
variables:
  item: {from: start_data}
uses: [actions.yaml]
actions: [lookup]
"""


def run(tmp_path, route: str, *, item: str = "A1", method: str = "GET", body: str = "", actions: str | None = None):
    (tmp_path / "actions.yaml").write_text(actions or ACTIONS.format(method=method, body=body))
    (tmp_path / "agent.yaml").write_text(AGENT)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"scenario: s\nagent: agent.yaml\nstart_data: {{item: {item!r}}}\nhttp:\n  - {route}\n"
                        "turns:\n  - caller: look it up\n")
    result = run_scenario(scenario)
    events = result.trace.events
    failed = [e for e in events if e.type == "action_failed"]
    lines = [e.text for e in events if e.type == "agent_said"]
    return result, failed, lines


URL = "https://api.test/items/A1?q=A1&lang=en"


def test_success_saves_by_jsonpath_and_speaks(tmp_path):
    result, failed, lines = run(tmp_path, f"{{match: GET {URL}, json: {{status: ready}}}}")
    assert not failed and lines[-1] == "Status ready."
    assert result.trace.variables["status"] == "ready"
    request = next(e for e in result.trace.events if e.type == "http_request")
    assert request.url == URL


@pytest.mark.parametrize("route, kind, message", [
    (f"{{match: GET {URL}, delay: 6s, json: {{status: late}}}}", "timeout", "no response within 5s"),
    (f"{{match: GET {URL}, error: timeout}}", "timeout", "no response within 5s"),
    (f"{{match: GET {URL}, error: connect}}", "connect", "could not connect"),
    (f"{{match: GET {URL}, status: 500, text: boom}}", "status", "answered 500"),
    (f"{{match: GET {URL}, status: 401, json: {{status: denied}}}}", "status", "answered 401"),
    (f"{{match: GET {URL}, text: '<html>not json</html>'}}", "invalid_json", "not JSON"),
    (f"{{match: GET {URL}, json: {{state: ready}}}}", "missing_field", "nothing at $.status"),
])
def test_failures_take_on_error(tmp_path, route, kind, message):
    result, failed, lines = run(tmp_path, route)
    assert [e.kind for e in failed] == [kind]
    assert message in failed[0].error
    assert lines[-1] == "Fallback line."
    assert result.passed  # an action failure is behaviour, not a broken scenario


def test_timeout_costs_exactly_the_timeout_in_virtual_time(tmp_path):
    result, failed, _ = run(tmp_path, f"{{match: GET {URL}, delay: 1h, json: {{status: late}}}}")
    request = next(e for e in result.trace.events if e.type == "http_request")
    assert failed[0].t - request.t == pytest.approx(5.0)


def test_accepted_status_is_not_a_failure(tmp_path):
    _, failed, lines = run(tmp_path, f"{{match: GET {URL}, status: 404, json: {{status: unknown}}}}")
    assert not failed and lines[-1] == "Status unknown."


def test_unmatched_request_stops_the_call_naming_the_request(tmp_path):
    result, _, _ = run(tmp_path, "{match: GET https://api.test/other, json: {}}")
    assert not result.passed
    assert "no http route matches GET " + URL in result.errors[0].message
    assert result.trace.events[-1].type == "call_ended"


def test_json_body_is_built_from_values_not_spliced_text(tmp_path):
    hostile = 'x", "admin": true, "y": "'
    body = 'json: {name: "{{ item }}", tags: ["{{ item }}", fixed]}'
    result, failed, _ = run(tmp_path, "{match: POST https://api.test/*, json: {status: ok}}", item=hostile,
                            method="POST", body=body)
    request = next(e for e in result.trace.events if e.type == "http_request")
    assert request.json_ == {"name": hostile, "tags": [hostile, "fixed"]}
    assert not failed


def test_caller_text_cannot_change_the_url_path(tmp_path):
    result, _, _ = run(tmp_path, "{match: GET https://api.test/*, json: {status: ok}}", item="../admin?x=1#f")
    request = next(e for e in result.trace.events if e.type == "http_request")
    assert request.url.startswith("https://api.test/items/..%2Fadmin%3Fx%3D1%23f?")


BY_KIND = """
actions:
  lookup:
    type: http
    trigger: {phrases: ["look it up"]}
    request: {url: "https://api.test/x", timeout: 5s}
    on_timeout: {say: "Timed out ({{ error.kind }})."}
    on_status:
      404: {say: "Not found ({{ http.status }})."}
      4xx: {say: "Refused ({{ http.status }})."}
      503: {say: "Down for maintenance."}
      5xx: {say: "Server error ({{ http.status }})."}
    on_error: {say: "Other failure ({{ error.kind }})."}
"""


@pytest.mark.parametrize("route, kind, status, branch, line", [
    ("status: 404", "status", 404, "on_status.404", "Not found (404)."),
    ("status: 410", "status", 410, "on_status.4xx", "Refused (410)."),
    ("status: 503", "status", 503, "on_status.503", "Down for maintenance."),
    ("status: 500", "status", 500, "on_status.5xx", "Server error (500)."),
    ("status: 302", "status", 302, "on_error", "Other failure (status)."),
    ("delay: 6s", "timeout", None, "on_timeout", "Timed out (timeout)."),
    ("error: timeout", "timeout", None, "on_timeout", "Timed out (timeout)."),
    ("error: connect", "connect", None, "on_error", "Other failure (connect)."),
    ("text: '<html>'", "invalid_json", None, "on_error", "Other failure (invalid_json)."),
])
def test_failures_take_the_fallback_of_their_kind(tmp_path, route, kind, status, branch, line):
    result, failed, lines = run(tmp_path, f"{{match: GET https://api.test/x, {route}}}",
                                actions=BY_KIND + "    save: {s: $.s}\n")
    assert [(e.kind, e.status) for e in failed] == [(kind, status)]
    assert [e.branch for e in result.trace.events if e.type == "fallback_taken"] == [branch]
    assert lines[-1] == line
    assert result.trace.variables["error.kind"] == kind


def test_http_status_is_set_on_success_too(tmp_path):
    result, failed, _ = run(tmp_path, f"{{match: GET {URL}, status: 404, json: {{status: unknown}}}}")
    assert not failed and result.trace.variables["http.status"] == 404


def test_without_per_kind_handlers_every_failure_takes_on_error(tmp_path):
    _, failed, lines = run(tmp_path, f"{{match: GET {URL}, status: 503}}")
    assert failed[0].status == 503 and lines[-1] == "Fallback line."


def test_python_api_checks_the_kind_and_status_of_a_failure(tmp_path):
    result, _, _ = run(tmp_path, f"{{match: GET {URL}, status: 503}}")
    expect = result.trace.expect.action_failed("lookup")
    assert expect.failed(kind="status", status="5xx").status == 503
    assert expect.failed(status=503).kind == "status"
    with pytest.raises(AssertionError, match=r"to fail with status 404\n  instead: it failed with status 503"):
        expect.failed(kind="status", status=404)
    with pytest.raises(AssertionError, match="to fail with timeout"):
        expect.failed(kind="timeout")


@pytest.mark.parametrize("path, data", [
    ("$.status", {"status": "shipped"}), ("$.tracking.url", {"tracking": {"url": "https://t.test/1"}}),
    ("$.items", {"items": [1, 2]}), ("$.note", {"note": None}), ("$.a.b", {"a": [{"b": 1}, {"b": 2}]}),
])
def test_plain_save_paths_read_what_jsonpath_reads(path, data):
    import jsonpath

    from callsim.actions.base import ActionError
    from callsim.actions.http import _select

    found = jsonpath.compile(path).findall(data)
    if not found:
        with pytest.raises(ActionError, match="nothing at"):
            _select(path, data, "x")
    else:
        assert _select(path, data, "x") == (found[0] if len(found) == 1 else found)


@pytest.mark.parametrize("char", ["\\r\\nX-Admin: 1", "\\u000b", "\\u000c", "\\u001b", "\\u007f", "\\u001c", "\\u001d", "\\u001e",
                                  "\\u0007", "\\u0085", "\\u009b"])
def test_header_with_a_line_break_or_control_character_is_refused_as_sip_headers_are(tmp_path, char):
    """RFC 9110: a field value holds visible characters, spaces and tabs; start data cannot add a line, VT, ESC or DEL."""
    (tmp_path / "actions.yaml").write_text("""
actions:
  lookup:
    type: http
    trigger: {phrases: ["look it up"]}
    request: {url: "https://api.test/x", headers: {X-Item: "{{ item }}"}}
    on_error: {say: Refused.}
""")
    (tmp_path / "agent.yaml").write_text(AGENT)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f'scenario: s\nagent: agent.yaml\nstart_data: {{item: "a{char}b"}}\n'
                        "http:\n  - {match: GET https://api.test/x, status: 200, optional: true}\n"
                        "turns:\n  - caller: look it up\n")
    result = run_scenario(scenario)
    failed = [e for e in result.trace.events if e.type == "action_failed"]
    assert failed and failed[0].kind == "unsafe_value"
    assert "action lookup, field request.headers.X-Item: '{{ item }}': a header value cannot contain the control character U+" \
           in failed[0].error
    assert not [e for e in result.trace.events if e.type == "http_request"]
