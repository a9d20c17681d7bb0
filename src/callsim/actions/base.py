"""What an action type's runner receives and how it reports a failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from callsim.config.actions import Fallback
from callsim.engine.clock import Callback, Clock, Timer
from callsim.trace.events import Event
from callsim.trace.trace import Trace


class ActionError(Exception):
    """An action failed in a way production would see (timeout, error status, bad response).

    The engine records it and takes the action's `on_error`; `kind` names the failure for
    traces and coverage: `timeout`, `connect`, `status`, `invalid_json`, `missing_variable`, ...
    """

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


class Backends(Protocol):
    """The fakes (or real clients) an action reaches its world through."""

    @property
    def http(self) -> Any: ...


class CallControl(Protocol):
    """What an action may do to the live call besides using its backends (the session provides it)."""

    state: str
    ended: bool
    turn: int
    trace: Trace

    async def say(self, text: str, reason: str, action: str | None = None) -> None:
        """Speak a line to the caller (nothing after the call ended)."""

    async def say_template(self, source: str, reason: str, where: str, action: str | None = None) -> None:
        """Render a placeholder line against the call's variables and speak it."""

    async def take_fallback(self, action: str, fallback: Fallback | None, reason: str) -> None:
        """Apply a fallback (`on_error`, `on_no_answer`, ...): say its line, then run its `then:` action."""

    def set_state(self, state: str) -> None:
        """Move the call to a lifecycle state: ringing, connected, on_hold, transferring, ended."""

    async def hangup(self, by: str = "caller", reason: str = "hangup") -> None:
        """End the call (post-call actions then run)."""

    def schedule(self, delay: float, callback: Callback, *, after_end: bool = False) -> Timer:
        """Do something later in the call, on its clock."""

    def context(self) -> dict[str, Any]:
        """The variables as placeholders see them, now."""

    def set_variable(self, name: str, value: Any, source: str) -> None:
        """Set a variable (recorded in the trace with its source)."""


@dataclass
class ActionContext:
    """Everything a runner may use: the action's name, rendering against the call's variables,
    the clock, the backends, the trace and the call itself."""

    name: str
    clock: Clock
    backends: Backends
    emit: Callable[[Event], Event]
    variables: dict[str, Any]
    """The rendering context (nested variables) at the moment the action started."""
    call: CallControl

    def where(self, field: str) -> str:
        return f"action {self.name}, field {field}"


ActionRunner = Callable[[Any, ActionContext], Awaitable[dict[str, Any]]]
"""A runner does the action and returns the variables it produced."""
