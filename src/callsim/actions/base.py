"""What an action type's runner receives and how it reports a failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from callsim.engine.clock import Clock
from callsim.trace.events import Event


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


@dataclass
class ActionContext:
    """Everything a runner may use: the action's name, rendering against the call's variables,
    the clock, the backends and the trace."""

    name: str
    clock: Clock
    backends: Backends
    emit: Callable[[Event], Event]
    variables: dict[str, Any]
    """The rendering context (nested variables) at the moment the action started."""

    def where(self, field: str) -> str:
        return f"action {self.name}, field {field}"


ActionRunner = Callable[[Any, ActionContext], Awaitable[dict[str, Any]]]
"""A runner does the action and returns the variables it produced."""
