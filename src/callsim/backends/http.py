"""The HTTP backend: a respx router built from a scenario's `http:` routes, on the virtual clock.

Any request that no route matches raises `CallError`: nothing ever reaches a network, and a
scenario that forgot a route fails loudly instead of passing by luck.

httpx and respx are imported, and the router built, at the call's first request: most calls of a
suite never send one, and the simulator starts ~0.2 s sooner without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from callsim.errors import CallError

if TYPE_CHECKING:
    from callsim.config.scenario import HttpRoute
    from callsim.engine.clock import Clock
    import httpx


class FakeHttp:
    """A stateful fake of the user's HTTP APIs: routes answer on virtual time and record their calls."""

    def __init__(self, routes: Sequence[HttpRoute], clock: Clock) -> None:
        self.clock = clock
        self.routes = list(routes)
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """An httpx client whose transport is a respx router of the routes (built on first use)."""
        if self._client is None:
            import httpx
            import respx

            router = respx.Router(assert_all_mocked=True, assert_all_called=False)
            for route in self.routes:
                pattern: dict[str, Any] = {"method": route.method}
                if route.url.endswith("*"):
                    pattern["url__startswith"] = route.url[:-1]
                else:
                    pattern["url"] = route.url
                router.route(**pattern).mock(side_effect=self._answer(route))
            self._client = httpx.AsyncClient(transport=httpx.MockTransport(router.async_handler))
        return self._client

    def _answer(self, route: HttpRoute) -> Any:
        import httpx

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
        import httpx

        request = httpx.Request(method, url, headers=headers, json=json, data=form,
                                extensions={"timeout": httpx.Timeout(timeout).as_dict()})
        return await self.send(request)

    async def send(self, request: httpx.Request) -> httpx.Response:
        """Send a built request through the routes (see `request`)."""
        from respx.models import AllMockedAssertionError

        try:
            return await self.client.send(request)
        except AllMockedAssertionError:
            raise CallError(
                f"no http route matches {request.method} {request.url}; "
                f"add it to the scenario's http: list, e.g. - {{match: {request.method} {request.url}, status: 200, json: {{}}}}"
            ) from None

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
