"""Spokes' webhook server: the code behind the agent's custom actions, the part a team writes itself.

callsim's pass-through routes send the agent's requests here for real (see the scenarios beside this
file, and test_spokes_server.py). Standard library only. Run it by hand with:

    python app.py            # on $PORT, else 8787

GET  /health                  200 once the server is up
GET  /repairs/<ticket>        a repair's state; 404 for an unknown ticket; ticket 5000 hits a bug (500),
                              ticket 9999 is slow (answers after 3 s, well past the agent's timeout)
POST /calls                   the agent's end-of-call report: 204, or 400 naming what is missing (401 without
                              the bearer token)
GET  /calls/last              the last report received (for tests)
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = os.environ.get("SPOKES_TOKEN", "test-token-spokes")
REPAIRS = {
    "4567": {"state": "in the repair stand", "ready_on": "Friday"},
    "1111": {"state": "ready for pick-up", "ready_on": "today"},
}
SLOW_TICKET, SLOW_SECONDS = "9999", 3.0
BROKEN_TICKET = "5000"
REPORT_FIELDS = ("type", "call", "transcript", "variables", "actions", "evaluations")


class Spokes(BaseHTTPRequestHandler):
    """One request to Spokes' webhook server."""

    server_version = "spokes/1.0"
    reports: list[dict] = []
    lock = threading.Lock()

    def do_GET(self) -> None:
        if self.path == "/health":
            self._send(HTTPStatus.OK, {"ok": True})
        elif self.path == "/calls/last":
            with self.lock:
                self._send(HTTPStatus.OK, self.reports[-1] if self.reports else {})
        elif self.path.startswith("/repairs/"):
            self._repair(self.path.removeprefix("/repairs/"))
        else:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})

    def do_POST(self) -> None:
        if self.path != "/calls":
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no route {self.path}"})
            return
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(HTTPStatus.UNAUTHORIZED, {"error": "bad token"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            report = json.loads(self.rfile.read(length))
        except ValueError:
            self._send(HTTPStatus.BAD_REQUEST, {"error": "the body is not JSON"})
            return
        missing = [name for name in REPORT_FIELDS if name not in report]
        if missing:
            self._send(HTTPStatus.BAD_REQUEST, {"error": f"missing {', '.join(missing)}"})
            return
        with self.lock:
            self.reports.append(report)
        self._send(HTTPStatus.NO_CONTENT, None)

    def _repair(self, ticket: str) -> None:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(HTTPStatus.UNAUTHORIZED, {"error": "bad token"})
        elif ticket == BROKEN_TICKET:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "KeyError: 'bike'"})
        elif ticket == SLOW_TICKET:
            time.sleep(SLOW_SECONDS)
            self._send(HTTPStatus.OK, {"state": "waiting for parts", "ready_on": "next week"})
        elif ticket in REPAIRS:
            self._send(HTTPStatus.OK, REPAIRS[ticket])
        else:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no ticket {ticket}"})

    def _send(self, status: HTTPStatus, body: object) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # one line per request, on stderr
        sys.stderr.write(f"spokes: {self.command} {self.path} -> {args[1] if len(args) > 1 else ''}\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a caller that gave up waiting is no error here
            super().handle_error(request, client_address)


def make_server(port: int) -> ThreadingHTTPServer:
    """The server on 127.0.0.1:`port` (0: a free port), not yet serving."""
    return Server(("127.0.0.1", port), Spokes)


if __name__ == "__main__":
    server = make_server(int(os.environ.get("PORT", "8787")))
    print(f"spokes listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
