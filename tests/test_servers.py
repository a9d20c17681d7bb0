"""Servers a scenario declares: started on a free port and stopped, or checked when they run already; one
that is not there is a setup error, never a request failure the agent's fallback could pass for."""

from __future__ import annotations

import socket
import textwrap
from pathlib import Path

import pytest

from callsim.config.project import load_scenario
from callsim.errors import ConfigErrors
from callsim.runner import run_scenario

ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["look it up"]}
    request: {url: "https://api.shop.test/items/1", timeout: 2s}
    say: Found it.
    on_error: {say: The shop system is down.}
"""
AGENT = "agent: a\ngreeting: Hi.\nuses: [actions.yaml]\nactions: [lookup]\n"
APP = """\
import json, os
from http.server import BaseHTTPRequestHandler, HTTPServer

class H(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass

HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
"""


def project(tmp_path: Path, servers: str, route: str = "{match: GET https://api.shop.test/*, pass_through: shop}"
            ) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "app.py").write_text(APP)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"scenario: s\nagent: agent.yaml\nservers:\n{textwrap.indent(servers, '  ')}\n"
                        f"http:\n  - {route}\nturns:\n  - caller: look it up\n  - expect: {{agent_said: Found it}}\n")
    return scenario


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_server_with_a_command_is_started_on_a_free_port_and_answers(tmp_path):
    result = run_scenario(project(tmp_path, "shop: {command: [python, app.py]}"))
    assert result.passed, result.errors
    response = next(e for e in result.trace.events if e.type == "http_response")
    assert response.live and response.json_ == {"path": "/items/1"}


def test_a_server_that_is_not_running_is_a_setup_error_not_the_agents_fallback(tmp_path):
    result = run_scenario(project(tmp_path, f"shop: {{url: 'http://127.0.0.1:{closed_port()}'}}"))
    assert not result.passed
    assert [e.setup for e in result.errors] == [True]
    assert "servers.shop: nothing answers at http://127.0.0.1:" in result.errors[0].message
    assert not [e for e in result.trace.events if e.type == "agent_said"]  # the call never started


def test_a_command_that_exits_shows_its_output(tmp_path):
    (tmp_path / "broken.py").write_text("print('missing setting DATABASE_URL')\nraise SystemExit(3)\n")
    result = run_scenario(project(tmp_path, "shop: {command: [python, broken.py]}"))
    assert "exited with status 3 before it was ready; its last output:" in result.errors[0].message
    assert "missing setting DATABASE_URL" in result.errors[0].message


@pytest.mark.parametrize("servers, route, message", [
    ("{}", "{match: GET https://api.shop.test/*, pass_through: shop}",
     "pass_through names server 'shop', which servers: does not declare"),
    ("shop: {command: [python, app.py]}", "{match: GET https://api.shop.test/*, json: {}}",
     "servers.shop is declared, but no http: route here passes requests through to it"),
    ("shop: {command: [python, app.py]}", "{match: GET https://api.shop.test/*, pass_through: shop, status: 201}",
     "a pass-through route is answered by the server itself, so status would do nothing"),
    ("shop: {url: 'http://127.0.0.1:8080', command: [python, app.py]}",
     "{match: GET https://api.shop.test/*, pass_through: shop}", "give a server either url:"),
    ("shop: {command: [python, app.py]}", "{match: GET https://api.shop.test/*, pass_through: 'no such'}",
     "give true (send to the request's own URL) or the name of a server"),
])
def test_servers_and_pass_through_routes_are_checked_when_loaded(tmp_path, servers, route, message):
    with pytest.raises(ConfigErrors, match="s.yaml:") as problem:
        load_scenario(project(tmp_path, servers, route))
    assert message in str(problem.value)


def test_live_hosts_take_host_names_only(tmp_path):
    scenario = project(tmp_path, "shop: {command: [python, app.py]}")
    scenario.write_text(scenario.read_text() + "live_hosts: ['https://staging.shop.example/']\n")
    with pytest.raises(ConfigErrors, match=r"live_hosts.0.*write only the host, e.g. staging.acme.example"):
        load_scenario(scenario)
