"""The HTTP backend: a scenario's `http:` routes, matched with respx patterns, on the virtual clock.

Routes are tried in the scenario's order, then the agent's default routes; the first whose pattern
matches (and whose `times:` is not used up) answers. Like a respx route, each route owns its calls, so
a scenario can tell which routes no request used. A `pass_through:` route sends what it matches for
real, through `LiveHttp`, as respx's `pass_through` does; nothing else reaches a network. A request
that no route matches raises `SetupError` naming the nearest route and how the request differs from it
(a scenario that forgot a route, or mistyped one, fails loudly instead of passing by luck), unless
the call has someone to ask (`unanswered`: the simulator's dialog), whose answer becomes a route.

httpx and respx are imported, and the patterns compiled, at the call's first request: most calls
of a suite never send one, and the simulator starts ~0.2 s sooner without them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from callsim.backends.live_http import LiveHttp
from callsim.backends.nearest_route import nearest_route
from callsim.backends.unused import UnusedFake
from callsim.errors import SetupError

if TYPE_CHECKING:
    from callsim.config.scenario import HttpRoute
    from callsim.engine.clock import Clock
    import httpx


@dataclass
class FakeRoute:
    """One route of the scenario's `http:` list and the requests it answered."""

    spec: HttpRoute
    index: int
    """Its place in its list (`http[0]` is the first)."""
    origin: str = ""
    """Where the list is, when not the scenario's own `http:`: `agent.yaml defaults.` or `answered `."""
    calls: int = 0
    pattern: Any = None
    """The respx pattern (method & URL), compiled at the first request."""

    @property
    def label(self) -> str:
        return f"{self.origin}http[{self.index}] {self.spec.match}"

    @property
    def optional(self) -> bool:
        """A route of the agent's defaults, or one answered in the simulator, may go unused."""
        return self.spec.optional or bool(self.origin)

    @property
    def used_up(self) -> bool:
        return self.spec.times is not None and self.calls >= self.spec.times


RoutesFrom = Literal["scenario", "free_call", "python"]
"""Where a call's own routes are written: a scenario's `http:` list, none (a free call in the simulator: the
agent's defaults and the person's answers), or `callsim.call(..., http=[...])`."""

_NO_ROUTES: dict[str, str] = {
    "scenario": "the scenario has no http: routes (nor the agent's defaults)",
    "free_call": "this free call has no http routes: it plays no scenario, and the agent's defaults: list none",
    "python": "the call was given no http routes (nor has the agent's defaults)",
}
_ROUTES_ARE = {"scenario": "the scenario's http: routes are", "free_call": "the call's http routes are",
               "python": "the call's http routes are"}


def _how_to_add(routes_from: RoutesFrom, wanted: str) -> str:
    """How to give a request no route answers its answer, where this call's routes are written."""
    route = f"{{match: {wanted}, status: 200, json: {{}}}}"
    if routes_from == "free_call":
        return (f"If the request is right, give every call of this agent an answer under defaults: http: in the "
                f"agent's file, e.g. - {route}, or answer it in the dialog the simulator shows for it (F6 then "
                "exports the answer as a scenario's route)")
    if routes_from == "python":
        return (f"If the request is right, pass a route to the call, e.g. callsim.call(..., "
                f"http=[{{\"match\": \"{wanted}\", \"json\": {{}}}}])")
    return f"If the request is right, add it to the scenario's http: list, e.g. - {route}"


STAND_IN = "callsim_stand_in"
"""The extension of a request callsim answers itself when no route does, and of that answer."""
Unanswered = Callable[["httpx.Request", str], Awaitable["HttpRoute | None"]]
"""Asked about a request no route matches, with the reason: the route that answers it (and the call's
later ones), or None to leave it unanswered."""


class FakeHttp:
    """A stateful fake of the user's HTTP APIs: routes answer on virtual time and record their calls."""

    def __init__(self, routes: Sequence[HttpRoute], clock: Clock, *,
                 defaults: Sequence[tuple[str, Sequence[HttpRoute]]] = (), live: LiveHttp | None = None) -> None:
        self.clock = clock
        self.routes = [FakeRoute(route, index) for index, route in enumerate(routes)]
        for origin, more in defaults:
            self.routes += [FakeRoute(route, index, f"{origin} defaults.") for index, route in enumerate(more)]
        self.live = live or LiveHttp(clock)
        self.requests: list[str] = []
        """Every request sent, matched or not, as `METHOD URL`."""
        self.unanswered: Unanswered | None = None
        self.answered: list[HttpRoute] = []
        """Routes `unanswered` gave during the call, in order (the simulator exports them)."""
        self.routes_from: RoutesFrom = "scenario"
        """Where this call's own routes are written, for how a request none answers is told to be fixed."""
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """An httpx client whose transport answers from the routes (built on first use)."""
        if self._client is None:
            import httpx

            for route in self.routes:
                route.pattern = _pattern(route.spec)
            self._client = httpx.AsyncClient(transport=httpx.MockTransport(self._handle))
        return self._client

    def unused(self) -> list[UnusedFake]:
        """The routes no request used, except those marked `optional: true`."""
        sent = f"requests sent: {', '.join(self.requests)}" if self.requests else "no request was sent"
        return [UnusedFake(("http", route.index), route.label, f"a request to {route.label}",
                           f"no request used it; {sent}")
                for route in self.routes if not route.calls and not route.optional]

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url}")
        matching = [route for route in self.routes if route.pattern.match(request)]
        for route in matching:
            if not route.used_up:
                route.calls += 1
                return await self._answer(route.spec, request)
        stand_in = request.extensions.get(STAND_IN)
        if stand_in is not None:
            import httpx

            return httpx.Response(stand_in, extensions={STAND_IN: True})
        problem = self._unmatched(request, matching)
        if self.unanswered is not None:
            answer = await self.unanswered(request, problem)
            if answer is not None:
                self.answered.append(answer)
                route = FakeRoute(answer, len(self.answered) - 1, "answered ", calls=1, pattern=_pattern(answer))
                self.routes.append(route)
                return await self._answer(answer, request)
        raise SetupError(problem)

    def _unmatched(self, request: httpx.Request, matching: list[FakeRoute]) -> str:
        wanted = f"{request.method} {request.url}"
        text = f"no http route matches {wanted}; "
        if matching:  # matched, but each one's times: is used up
            route = matching[-1]
            text += (f"{route.label} matches it, but answers only {route.spec.times} request(s) (times: "
                     f"{route.spec.times}); raise times:, or add a route for the next request")
        elif not self.routes:
            text += _NO_ROUTES[self.routes_from]
        else:
            found = nearest_route([(route.label, route.spec.method, route.spec.url) for route in self.routes],
                                  request.method, str(request.url))
            if found is None:
                text += f"no route is close; {_ROUTES_ARE[self.routes_from]} " + ", ".join(
                    route.label for route in self.routes)
            else:
                label, differences = found
                text += f"did you mean {label}? It differs in " + "; and in ".join(differences)
        return f"{text}. {_how_to_add(self.routes_from, wanted)}"

    async def _answer(self, route: HttpRoute, request: httpx.Request) -> httpx.Response:
        import httpx

        if route.pass_through:
            return await self.live.send(request, route.pass_through)
        timeout = (request.extensions.get("timeout") or {}).get("read")
        if route.error == "connect":
            raise httpx.ConnectError("connection refused", request=request)
        if route.error == "timeout" or (timeout is not None and route.delay > timeout):
            await self.clock.sleep(timeout if timeout is not None else route.delay)
            raise httpx.ReadTimeout("timed out waiting for the response", request=request)
        if route.delay:
            await self.clock.sleep(route.delay)
        if route.json_ is not None:
            return httpx.Response(route.status, json=route.json_, headers=route.headers)
        return httpx.Response(route.status, text=route.text or "", headers=route.headers)

    async def request(self, method: str, url: str, *, headers: dict[str, str], json: Any = None,
                      form: dict[str, str] | None = None, timeout: float,
                      stand_in: int | None = None) -> httpx.Response:
        """Send a request through the routes; one no route matches is answered with the status `stand_in` when
        given (callsim standing in for the post-call webhook's server), else it is a SetupError naming the
        nearest route."""
        import httpx

        extensions: dict[str, Any] = {"timeout": httpx.Timeout(timeout).as_dict()}
        if stand_in is not None:
            extensions[STAND_IN] = stand_in
        request = httpx.Request(method, url, headers=headers, json=json, data=form, extensions=extensions)
        return await self.send(request)

    async def send(self, request: httpx.Request) -> httpx.Response:
        """Send a built request through the routes (see `request`)."""
        return await self.client.send(request)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        await self.live.aclose()


def _pattern(route: HttpRoute) -> Any:
    """The respx pattern of a route: its method, and its URL (a prefix when it ends in `*`)."""
    from respx.patterns import M

    url = route.url
    lookup = {"url__startswith": url[:-1]} if url.endswith("*") else {"url": url}
    return M(method=route.method, **lookup)
