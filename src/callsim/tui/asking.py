"""The person at the simulator as the last resort of a free call's fakes: a request no route answers, a
number no phone describes and a secret nobody gave are asked about in a dialog (`callsim.tui.dialogs`)
while the call's time stands still. Only in a free call (`--agent`): with a scenario, its fakes are the
test, and what they lack stops the call as `callsim run` would.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from callsim.backends.live_http import RefusedHost, checked_address
from callsim.tui.dialogs import Dialog, HttpDialog, PhoneDialog, SecretDialog

if TYPE_CHECKING:
    import httpx
    from textual.app import App

    from callsim.backends.telephony import Destination
    from callsim.config.fakes import HttpRoute
    from callsim.config.telephony import PhoneBehaviour
    from callsim.tui.call import LiveCall


class Asker:
    """Asks the person, through the app's dialogs, for what the call's fakes lack."""

    def __init__(self, app: App[Any], live: LiveCall) -> None:
        self.app = app
        self.live = live

    def attach(self) -> None:
        """Let the call's fakes ask (a free call only)."""
        if self.live.scenario is None:
            self.live.backends.http.unanswered = self.http
            self.live.backends.telephony.unknown = self.phone

    async def http(self, request: httpx.Request, why: str) -> HttpRoute | None:
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        refused = None
        try:
            await checked_address(request.url.host, port, self.live.backends.http.live.live_hosts, "")
        except RefusedHost:
            refused = (f"{request.url.host} is not this machine; list it in the agent's defaults: live_hosts: "
                       f"[{request.url.host}] to allow it")
        return await self._ask(HttpDialog(request, why, refused, self.live.trace.redact, self._saves()))

    def _saves(self) -> dict[str, str]:
        """What the action that sent the request unanswered reads from its answer: variable -> JSONPath."""
        sent = self._last("http_request")
        action = self.live.project.actions.get(sent.action) if sent is not None else None
        return dict(getattr(action, "save", None) or {})

    def _last(self, kind: str, where: Callable[[Any], bool] = lambda event: True) -> Any:
        """The call's latest event of type `kind` (that `where` holds for): the one the question is about."""
        return next((event for event in reversed(self.live.trace.events) if event.type == kind and where(event)),
                    None)

    async def phone(self, destination: Destination, why: str) -> PhoneBehaviour | None:
        return await self._ask(PhoneDialog(destination.address, why, self._transfer()))

    def _transfer(self) -> str:
        """What the transfer dialling says about its phone's choices: its mode, how long it lets it ring."""
        started = self._last("action_started", lambda event: event.action_type == "transfer")
        action = self.live.project.actions.get(started.action) if started is not None else None
        if action is None:
            return ""
        text = (f"{started.action}: a {action.mode} transfer; it rings for up to {action.ring_timeout:g}s (answering "
                "later is no answer)")
        if action.mode == "warm":
            text += ", then briefs whoever answers (voicemail is no answer: a warm transfer needs a person)"
        return text + "."

    async def secret(self, name: str, where: str) -> str | None:
        return await self._ask(SecretDialog(name, where))

    async def _ask(self, dialog: Dialog) -> Any:
        """Show `dialog` and wait for its answer while the call's time stands still. The call asks from a
        worker (a turn, the call's start) or the clock's own work (a timeout that falls due), never from the
        app's message loop, which must stay free to take the person's keys."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        # before the call (a secret) there is no call time to stop
        async with self.live.clock.paused() if self.live.session is not None else contextlib.nullcontext():
            self.app.push_screen(dialog, answer.set_result)
            return await answer
