"""Pass-through requests: only loopback (or listed) hosts, checked before connecting; a real deadline; the
real time taken moves the call's clock; redirects only to allowed places; a replay plays answers back."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from callsim.backends.http import FakeHttp
from callsim.backends.live_http import LiveHttp, RecordedAnswer, RecordedAnswers, RefusedHost, checked_address
from callsim.config.scenario import HttpRoute
from callsim.engine.clock import VirtualClock

pytestmark = pytest.mark.anyio
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


class Handler(BaseHTTPRequestHandler):
    """A small server of the user's: `/slow/<seconds>` sleeps, `/to/<url>` redirects, anything else echoes."""

    def do_GET(self) -> None:
        if self.path.startswith("/slow/"):
            time.sleep(float(self.path.removeprefix("/slow/")))
        if self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/to/"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"path": self.path, "host": self.headers["Host"],
                           "auth": self.headers.get("Authorization")}).encode()
        self.send_response(500 if self.path == "/broken" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


class Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (a timeout) leaves a broken pipe behind: expected here


@pytest.fixture
def server() -> Iterator[str]:
    httpd = Quiet(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Any attempt to open a connection is recorded and refused, so a test proves none was made."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def request(url: str, timeout: float = 5.0, **kwargs: object) -> httpx.Request:
    return httpx.Request("GET", url, extensions={"timeout": httpx.Timeout(timeout).as_dict()}, **kwargs)


async def test_an_unlisted_host_is_refused_before_any_connection(monkeypatch, no_connections):
    async def resolves_outside(host, port, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolves_outside)
    live = LiveHttp(VirtualClock(START))
    with pytest.raises(RefusedHost, match=r"api\.acme\.example resolves to 93\.184\.216\.34, which is not a loopback "
                                          r"address and not in live_hosts:.*live_hosts: \[api\.acme\.example\]"):
        await live.send(request("https://api.acme.example/orders/1"), True)
    with pytest.raises(RefusedHost, match=r"the host 203\.0\.113\.7 is not a loopback address"):
        await live.send(request("http://203.0.113.7/orders/1"), True)
    assert no_connections == []
    await live.aclose()


async def test_a_name_is_refused_when_any_of_its_addresses_is_not_loopback(monkeypatch):
    async def split(host, port, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.8", port))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", split)
    with pytest.raises(RefusedHost, match="resolves to 10.0.0.8"):
        await checked_address("dev.acme.example", 80, frozenset(), "GET http://dev.acme.example/")
    assert await checked_address("dev.acme.example", 80, frozenset({"dev.acme.example"}), "") is None
    assert await checked_address("::1", 80, frozenset(), "") == "::1"


async def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(monkeypatch, server):
    port = int(server.rsplit(":", 1)[1])
    looked_up: list[str] = []

    async def resolves_here(host, port, **kwargs):
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolves_here)
    live = LiveHttp(VirtualClock(START))
    response = await live.send(request(f"http://hooks.dev.test:{port}/orders/1"), True)
    assert response.json() == {"path": "/orders/1", "host": f"hooks.dev.test:{port}", "auth": None}
    assert looked_up == ["hooks.dev.test"]  # resolved once, by callsim, then connected to that address
    await live.aclose()


async def test_a_route_passes_through_to_a_named_server_keeping_path_query_and_headers(server):
    clock = VirtualClock(START)
    live = LiveHttp(clock, servers={"shop": server})
    fake = FakeHttp([HttpRoute(match="GET https://api.shop.test/*", pass_through="shop")], clock, live=live)
    response = await fake.request("GET", "https://api.shop.test/orders/7?full=1", headers={"Authorization": "Bearer t"},
                                  timeout=5)
    assert response.status_code == 200 and response.extensions["callsim_live"] is True
    assert response.json() == {"path": "/orders/7?full=1", "host": server.removeprefix("http://"),
                               "auth": "Bearer t"}
    assert fake.unused() == []
    await fake.aclose()


async def test_the_real_time_taken_moves_the_virtual_clock_on(server):
    clock = VirtualClock(START)
    live = LiveHttp(clock)
    response = await live.send(request(f"{server}/slow/0.3"), True)
    assert response.status_code == 200
    assert clock.elapsed() >= 0.3  # the server really took that long; the call's time says so
    await live.aclose()


async def test_the_action_timeout_is_a_real_deadline(server):
    clock = VirtualClock(START)
    live = LiveHttp(clock)
    with pytest.raises(httpx.ReadTimeout, match="no response within 0.2s") as failure:
        await live.send(request(f"{server}/slow/2", timeout=0.2), True)
    assert clock.elapsed() == pytest.approx(0.2)  # not the 2 s the server would have taken
    assert getattr(failure.value, "callsim_live", False)
    await live.aclose()


async def test_a_refused_connection_is_a_connect_failure_marked_live():
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    address = port.getsockname()[1]
    port.close()  # nothing listens there now
    live = LiveHttp(VirtualClock(START))
    with pytest.raises(httpx.ConnectError) as failure:
        await live.send(request(f"http://127.0.0.1:{address}/x"), True)
    assert getattr(failure.value, "callsim_live", False)
    await live.aclose()


async def test_redirects_are_followed_only_to_allowed_hosts(server):
    live = LiveHttp(VirtualClock(START))
    followed = await live.send(request(f"{server}/to/{server}/landed"), True)
    assert followed.json()["path"] == "/landed"
    with pytest.raises(RefusedHost, match=r"redirected to http://203\.0\.113\.9/steal\): refused"):
        await live.send(request(f"{server}/to/http://203.0.113.9/steal"), True)
    await live.aclose()


async def test_a_replay_plays_the_recorded_answers_back_without_sending(no_connections):
    clock = VirtualClock(START)
    recorded = RecordedAnswers([RecordedAnswer("GET", "https://api.shop.test/orders/7", 0.25, 200, {"state": "ok"}),
                                RecordedAnswer("GET", "https://api.shop.test/orders/8", 1.0, failure="timeout")])
    live = LiveHttp(clock, recorded=recorded)
    response = await live.send(request("https://api.shop.test/orders/7"), True)
    assert response.json() == {"state": "ok"} and clock.elapsed() == 0.25
    with pytest.raises(httpx.ReadTimeout):
        await live.send(request("https://api.shop.test/orders/8", timeout=1.0), True)
    with pytest.raises(Exception, match="the recording has no answer for it"):
        await live.send(request("https://api.shop.test/orders/9"), True)
    assert no_connections == []
