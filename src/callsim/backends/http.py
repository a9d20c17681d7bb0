"""The HTTP backend: a respx router built from a scenario's `http:` routes, on the virtual clock.

Any request that no route matches raises `CallError`: nothing ever reaches a network, and a
scenario that forgot a route fails loudly instead of passing by luck.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import respx

from callsim.config.scenario import HttpRoute
from callsim.engine.clock import Clock
from callsim.errors import CallError


class FakeHttp:
    """A stateful fake of the user's HTTP APIs: routes answer on virtual time and record their calls."""

    def __init__(self, routes: Sequence[HttpRoute], clock: Clock) -> None:
        self.clock = clock
        self.router = respx.Router(assert_all_mocked=True, assert_all_called=False)
        for route in routes:
            pattern: dict[str, Any] = {"method": route.method}
            if route.url.endswith("*"):
                pattern["url__startswith"] = route.url[:-1]
            else:
                pattern["url"] = route.url
            self.router.route(**pattern).mock(side_effect=self._answer(route))
        self.client = httpx.AsyncClient(transport=httpx.MockTransport(self.router.async_handler))

    def _answer(self, route: HttpRoute) -> Any:
        async def answer(request: httpx.Request) -> httpx.Response:
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

        return answer

    async def request(self, method: str, url: str, *, headers: dict[str, str], json: Any = None,
                      form: dict[str, str] | None = None, timeout: float) -> httpx.Response:
        """Send a request through the routes; an unmatched one is a CallError naming it."""
        request = httpx.Request(method, url, headers=headers, json=json, data=form,
                                extensions={"timeout": httpx.Timeout(timeout).as_dict()})
        return await self.send(request)

    async def send(self, request: httpx.Request) -> httpx.Response:
        """Send a built request through the routes (see `request`)."""
        try:
            return await self.client.send(request)
        except respx.models.AllMockedAssertionError:
            raise CallError(
                f"no http route matches {request.method} {request.url}; "
                f"add it to the scenario's http: list, e.g. - {{match: {request.method} {request.url}, status: 200, json: {{}}}}"
            ) from None

    async def aclose(self) -> None:
        await self.client.aclose()
