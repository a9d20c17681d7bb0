"""Requests sent for real: what a `pass_through:` route matches goes to your own server.

Nothing leaves the machine unless it is allowed, and that is decided before any connection: the
host is resolved and every address it resolves to must be a loopback address (the connection then
goes to the address that was checked, so a name cannot resolve elsewhere in between), unless the
host is listed in `live_hosts:`. A redirect is followed only to an allowed place too. The action's
timeout is a real deadline, and the real time the request took moves the call's clock on (a
virtual clock jumps ahead by it; the simulator's clock lived through it).

In a replay the requests are not sent: the recorded answers are played back (see `RecordedAnswers`),
unless the replay is asked to go live.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from callsim.errors import SetupError

if TYPE_CHECKING:
    import httpx

    from callsim.engine.clock import Clock

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
LIVE = "callsim_live"
"""The extension a real (or replayed real) response carries, so the trace can say it was one."""


class RefusedHost(SetupError):
    """A pass-through request (or a redirect) to a host that is neither loopback nor listed in `live_hosts:`."""


def _loopback(address: str) -> bool:
    return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback


async def checked_address(host: str, port: int, live_hosts: frozenset[str], what: str) -> str | None:
    """The loopback address to connect to for `host`, or None for a host listed in `live_hosts` (reached
    by name); RefusedHost, before any connection, for any other host."""
    name = host.lower().strip("[]")
    if name in live_hosts:
        return None
    try:
        addresses = [str(ipaddress.ip_address(name))]
    except ValueError:
        import asyncio
        import socket  # only for a name to resolve (socket alone is ~3% of a one-file run)

        try:
            found = await asyncio.get_running_loop().getaddrinfo(name, port, type=socket.SOCK_STREAM)
        except socket.gaierror as problem:
            raise RefusedHost(f"{what}: the host {host} does not resolve ({problem.strerror}); callsim sends "
                              "requests only to this machine unless a host is in live_hosts:") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    outside = [address for address in addresses if not _loopback(address)]
    if outside or not addresses:
        resolved = "" if addresses == [name] else f" resolves to {', '.join(outside)}, which"
        raise RefusedHost(f"{what}: refused, the host {host}{resolved} is not a loopback address and not in "
                          f"live_hosts:; nothing leaves this machine unless you list the host, e.g. live_hosts: "
                          f"[{name}] in the scenario (or the agent's defaults:)")
    return addresses[0]


@dataclass
class RecordedAnswer:
    """What a real server answered a request in a recorded call: a response, or a failure on the way."""

    method: str
    url: str
    elapsed: float
    status: int | None = None
    json_: Any = None
    text: str | None = None
    failure: str | None = None
    """`timeout` or `connect` when no response came."""


@dataclass
class RecordedAnswers:
    """A recording's answers to its pass-through requests, handed out in the order they were recorded."""

    answers: list[RecordedAnswer] = field(default_factory=list)

    def take(self, method: str, url: str) -> RecordedAnswer | None:
        for index, answer in enumerate(self.answers):
            if answer.method == method and answer.url == url:
                return self.answers.pop(index)
        return None

    @classmethod
    def from_events(cls, events: Sequence[Any]) -> RecordedAnswers:
        """The real answers in a recorded call: each request whose response (or failure) was a live one."""
        answers: list[RecordedAnswer] = []
        sent: dict[str, tuple[str, str, float]] = {}
        for event in events:
            kind = event.type
            if kind == "http_request":
                sent[event.action] = (event.method, event.url, event.t)
            elif kind == "http_response" and event.live and event.action in sent:
                method, url, _ = sent.pop(event.action)
                answers.append(RecordedAnswer(method, url, event.elapsed, event.status, event.json_, event.text))
            elif kind == "action_failed" and event.live and event.action in sent:
                method, url, at = sent.pop(event.action)
                answers.append(RecordedAnswer(method, url, round(event.t - at, 3), failure=event.kind))
        return cls(answers)


class LiveHttp:
    """Sends pass-through requests for real (or plays a recording's answers back), on the call's clock."""

    def __init__(self, clock: Clock, *, live_hosts: Sequence[str] = (), servers: Mapping[str, str] | None = None,
                 recorded: RecordedAnswers | None = None) -> None:
        self.clock = clock
        self.live_hosts = frozenset(host.lower() for host in live_hosts)
        self.servers = dict(servers or {})
        """Each server's base URL by name, once it runs."""
        self.recorded = recorded
        self._client: httpx.AsyncClient | None = None

    def target(self, request: httpx.Request, pass_through: bool | str) -> httpx.URL:
        """Where a request goes: its own URL, or the named server's base URL with the request's path and query."""
        if pass_through is True:
            return request.url
        import httpx

        base = self.servers.get(str(pass_through))
        if base is None:
            raise SetupError(f"{request.method} {request.url}: the route passes it through to server "
                             f"'{pass_through}', which is not running in this call (is it declared under servers:?)")
        root = httpx.URL(base)
        return root.copy_with(path=root.path.rstrip("/") + request.url.path, query=request.url.query or None)

    async def send(self, request: httpx.Request, pass_through: bool | str) -> httpx.Response:
        """The real response to `request` (a recorded one in a replay); the clock moves on by the time it took.
        A failure on the way is httpx's own exception, marked live (`is_live`)."""
        import asyncio

        import httpx

        timeout = (request.extensions.get("timeout") or {}).get("read") or 10.0
        if self.recorded is not None:
            return await self._play_back(request, timeout)
        before, started = self.clock.elapsed(), time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                response = await self._send_following(request, self.target(request, pass_through))
        except (TimeoutError, httpx.TimeoutException):
            await self._catch_up(before, timeout)
            raise _live(httpx.ReadTimeout(f"no response within {timeout:g}s", request=request)) from None
        except httpx.TransportError as problem:
            await self._catch_up(before, time.perf_counter() - started)
            raise _live(httpx.ConnectError(str(problem) or type(problem).__name__, request=request)) from None
        await self._catch_up(before, time.perf_counter() - started)
        response.extensions[LIVE] = True
        return response

    async def _send_following(self, request: httpx.Request, url: httpx.URL) -> httpx.Response:
        import httpx

        method, content, headers = request.method, request.content, request.headers.copy()
        headers.pop("host", None)  # the server's own, set for each hop
        for _ in range(MAX_REDIRECTS + 1):
            what = f"{request.method} {request.url}" + (f" (redirected to {url})" if url != request.url else "")
            address = await checked_address(url.host, url.port or (443 if url.scheme == "https" else 80),
                                            self.live_hosts, what)
            hop = headers.copy()
            if address is None:
                outgoing = httpx.Request(method, url, headers=hop, content=content)
            else:  # connect to the address that was checked, not to the name again
                hop["Host"] = url.netloc.decode("ascii")
                outgoing = httpx.Request(method, url.copy_with(host=address), headers=hop, content=content)
                if url.scheme == "https":
                    outgoing.extensions["sni_hostname"] = url.host
            response = await self.client.send(outgoing)
            await response.aread()
            location = response.headers.get("location")
            if response.status_code not in REDIRECTS or not location:
                response.request = request
                return response
            following = url.join(location)
            if following.host != url.host:  # as httpx does: credentials stay with the origin they were meant for
                headers.pop("authorization", None)
            url = following
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method, content = "GET", b""
                headers.pop("content-length", None)
                headers.pop("content-type", None)
        raise SetupError(f"{request.method} {request.url}: more than {MAX_REDIRECTS} redirects; the server "
                         f"redirects in a loop")

    async def _play_back(self, request: httpx.Request, timeout: float) -> httpx.Response:
        import httpx

        answer = self.recorded.take(request.method, str(request.url)) if self.recorded else None
        if answer is None:
            raise SetupError(f"{request.method} {request.url} passes through to a server, and the recording has no "
                             "answer for it; record the call again against the server (replay --update --live)")
        await self.clock.sleep(answer.elapsed)
        if answer.failure == "timeout":
            raise _live(httpx.ReadTimeout(f"no response within {timeout:g}s (as recorded)", request=request))
        if answer.failure is not None:
            raise _live(httpx.ConnectError("the connection failed (as recorded)", request=request))
        if answer.json_ is not None:
            response = httpx.Response(answer.status or 200, json=answer.json_, request=request)
        else:
            response = httpx.Response(answer.status or 200, text=answer.text or "", request=request)
        response.extensions[LIVE] = True
        return response

    async def _catch_up(self, before: float, real: float) -> None:
        """Move the call's clock on by the real time taken, as far as it has not moved on its own."""
        behind = round(real - (self.clock.elapsed() - before), 3)
        if behind > 0:
            await self.clock.sleep(behind)

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            # trust_env=False: no proxy from the environment may carry a request off this machine
            self._client = httpx.AsyncClient(trust_env=False, follow_redirects=False, timeout=None)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _live(error: Exception) -> Exception:
    error.callsim_live = True  # type: ignore[attr-defined]
    return error


def is_live(error: BaseException) -> bool:
    """Whether a failed request had passed through to a real server (so the trace marks the failure live)."""
    return getattr(error, "callsim_live", False)
