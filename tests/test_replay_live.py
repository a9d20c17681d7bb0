"""A recorded scenario whose routes pass requests through to a server of your own: the replay plays the
recorded answers back and sends nothing, unless it is asked to go live (`--live`)."""

from __future__ import annotations

APP = """\
import json, os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

STATUS = os.environ.get("ORDER_STATUS", "shipped")

class H(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"status": STATUS}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass

HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
"""
LIVE_ROUTES = """\
servers:
  orders: {command: [python, app.py]}
http:
  - {match: GET https://api.test/orders/4567, pass_through: orders}
"""


def live_project(project):
    project.write("pyproject.toml", "")
    project.write("app.py", APP)
    project.edit("scenario.yaml", "http:\n  - {match: GET https://api.test/orders/4567, json: {status: shipped}}\n",
                 LIVE_ROUTES)


def test_a_replay_plays_the_recorded_answers_back_and_starts_no_server(cli, project):
    live_project(project)
    recorded = cli("replay", "scenario.yaml", "--update", "--live")
    assert recorded.exit_code == 0, recorded.output
    assert "started server orders (python app.py)" in recorded.stderr
    assert '"live": true' in (project.root / "recordings" / "scenario.jsonl").read_text()

    (project.root / "app.py").unlink()  # no server could start now: the replay must not need one
    replayed = cli("replay")
    assert replayed.exit_code == 0, replayed.output
    assert "1 same" in replayed.stdout and "started server" not in replayed.stderr


def test_a_live_replay_asks_the_server_again_and_shows_what_changed(cli, project, monkeypatch):
    live_project(project)
    assert cli("replay", "scenario.yaml", "--update", "--live").exit_code == 0
    monkeypatch.setenv("ORDER_STATUS", "delayed")  # the server answers differently now

    assert cli("replay").exit_code == 0  # the recording's answers: nothing sent
    outcome = cli("replay", "--live")
    assert outcome.exit_code == 1
    assert "requests went to a real server again, so times are not compared" in outcome.stdout
    assert '"shipped"' in outcome.stdout and '"delayed"' in outcome.stdout


def test_a_pass_through_scenario_without_a_recording_sends_nothing_in_a_replay(cli, project):
    live_project(project)
    outcome = cli("replay", "scenario.yaml", "--update")
    assert outcome.exit_code == 1
    assert "the recording has no answer for it; record the call again against the server" in outcome.stdout
    assert "started server" not in outcome.stderr
