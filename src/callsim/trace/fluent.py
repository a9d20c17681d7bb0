"""A fluent way to assert on a trace from Python tests: `trace.expect.action("x").request(url=...)`.

Each assertion raises AssertionError that says what was expected, what happened instead and
the timeline around it; the same checks back the YAML expectations. A cursor
(`trace.expect.next_event()`) walks the call event by event for order-sensitive tests.
"""

from __future__ import annotations

from typing import Any, Protocol

from callsim.trace.events import (ActionAbandoned, ActionFailed, ActionFinished, ActionStarted, AgentSaid, Event,
                                  HttpRequestSent, HttpResponseReceived, said_lines)
from callsim.trace.compare import UNTYPED, same
from callsim.trace.expect import CHECKS, Failure, failure_kind, failure_matches, request_matches
from callsim.trace.timeline import excerpt


class Recorded(Protocol):
    """What the assertions read of a call (a `Trace`): its events in order and each variable's last value."""

    @property
    def events(self) -> list[Event]: ...

    @property
    def variables(self) -> dict[str, Any]: ...


def _fail(failure: Failure) -> None:
    __tracebackhide__ = True
    timeline = "\n".join("    " + line for line in excerpt(failure.events))
    raise AssertionError(f"expected {failure.expected}\n  instead: {failure.instead}\n  timeline:\n{timeline}")


class TraceExpect:
    """Assertions over a whole trace, plus a cursor for walking it in order."""

    def __init__(self, trace: Recorded) -> None:
        self._trace = trace
        self._cursor = 0

    @property
    def events(self) -> list[Event]:
        return self._trace.events

    def _check(self, key: str, value: Any) -> None:
        __tracebackhide__ = True
        failure = CHECKS[key](value, self.events, self.events, self._trace.value_types)
        if failure is not None:
            _fail(failure)

    def agent_said(self, text: str) -> AgentSaid:
        """The agent said something containing `text` (case-insensitive); returns the first such line."""
        __tracebackhide__ = True
        self._check("agent_said", text)
        return next(line for line, said in said_lines(self.events) if text.casefold() in said.casefold())

    def agent_never_said(self, text: str) -> None:
        __tracebackhide__ = True
        self._check("agent_not_said", text)

    def action(self, name: str) -> ActionExpect:
        """The action ran (at least started); chain `.finished()`, `.failed()`, `.request(...)`."""
        __tracebackhide__ = True
        if not any(isinstance(e, ActionStarted) and e.action == name for e in self.events):
            ran = sorted({e.action for e in self.events if isinstance(e, ActionStarted)})
            _fail(Failure(f"action {name} to run", f"actions that ran: {', '.join(ran) or 'none'}", self.events))
        return ActionExpect(name, [e for e in self.events if getattr(e, "action", None) == name], self.events)

    def no_action(self, name: str) -> None:
        __tracebackhide__ = True
        self._check("not_action", name)

    def variable(self, name: str, value: Any = ...) -> Any:
        """The variable was set (to `value`, when given); returns its last value."""
        __tracebackhide__ = True
        if value is ...:
            if name not in self._trace.variables:
                _fail(Failure(f"variable {name} to be set", "it was never set", self.events))
            return self._trace.variables[name]
        self._check("variables", {name: value})
        return self._trace.variables[name]

    def next_event(self, type: str | None = None) -> EventExpect:
        """The next event after the cursor (of `type`, skipping others when given)."""
        __tracebackhide__ = True
        for index in range(self._cursor, len(self.events)):
            event = self.events[index]
            if type is None or event.type == type:
                self._cursor = index + 1
                return EventExpect(event, self.events)
        _fail(Failure(f"another {type or ''} event after #{self._cursor}".replace("  ", " "),
                      "the trace ends there", self.events[self._cursor:] or self.events))
        raise AssertionError  # unreachable: _fail raises

    def no_more_events(self, type: str) -> None:
        __tracebackhide__ = True
        rest = [e for e in self.events[self._cursor:] if e.type == type]
        if rest:
            _fail(Failure(f"no more {type} events", f"found {rest[0].summary()!r} (#{rest[0].seq})", rest))


class ActionExpect:
    """Assertions about one action's run."""

    def __init__(self, name: str, own: list[Event], events: list[Event]) -> None:
        self.name, self._own, self._events = name, own, events

    def finished(self) -> ActionExpect:
        __tracebackhide__ = True
        failure = CHECKS["action"](self.name, self._events, self._events, UNTYPED)
        if failure is not None:
            _fail(failure)
        return self

    def abandoned(self) -> ActionAbandoned:
        """The action was running when the caller hung up (or talked over its line), and stopped there."""
        __tracebackhide__ = True
        failure = CHECKS["action_abandoned"](self.name, self._events, self._events, UNTYPED)
        if failure is not None:
            _fail(failure)
        return next(e for e in self._own if isinstance(e, ActionAbandoned))

    def failed(self, kind: str | None = None, status: int | str | None = None) -> ActionFailed:
        """The action failed (with this kind, and HTTP status code or class such as `"5xx"`); returns the failure."""
        __tracebackhide__ = True
        failures = [e for e in self._own if isinstance(e, ActionFailed) and failure_matches(e, kind, status)]
        if not failures:
            finished = any(isinstance(e, ActionFinished) for e in self._own)
            kinds = [failure_kind(e.kind, e.status) for e in self._own if isinstance(e, ActionFailed)]
            _fail(Failure(f"action {self.name} to fail" + (f" with {failure_kind(kind, status)}" if kind or status
                                                           else ""),
                          "it finished" if finished else f"it failed with {', '.join(kinds)}", self._own))
        return failures[0]

    def request(self, *, method: str | None = None, url: str | None = None, json: Any = None,
                headers: dict[str, str] | None = None) -> HttpRequestSent:
        """The action sent a matching HTTP request (url exact, or a prefix ending in `*`; json a subset)."""
        __tracebackhide__ = True
        sent = [e for e in self._own if isinstance(e, HttpRequestSent)]
        for event in sent:
            if request_matches(event, method=method, url=url, json=json, headers=headers):
                return event
        instead = "; ".join(f"{e.method} {e.url}" for e in sent) or "no request"
        _fail(Failure(f"action {self.name} to send {method or ''} {url or 'a request'}".replace("  ", " "),
                      f"it sent: {instead}", self._own))
        raise AssertionError  # unreachable

    def response(self, *, status: int | None = None) -> HttpResponseReceived:
        __tracebackhide__ = True
        got = [e for e in self._own if isinstance(e, HttpResponseReceived)]
        for event in got:
            if status is None or event.status == status:
                return event
        _fail(Failure(f"a response{f' with status {status}' if status else ''} for {self.name}",
                      "; ".join(str(e.status) for e in got) or "no response", self._own))
        raise AssertionError  # unreachable


class EventExpect:
    """Assertions about one event found by the cursor."""

    def __init__(self, event: Event, events: list[Event]) -> None:
        self.event, self._events = event, events

    def _is(self, type: str, **fields: Any) -> Event:
        __tracebackhide__ = True
        event = self.event
        wrong = [f"{k}={getattr(event, k, None)!r}" for k, v in fields.items()
                 if v is not None and not _matches(getattr(event, k, None), v)]
        if event.type != type or wrong:
            around = [e for e in self._events if abs(e.seq - event.seq) <= 4]
            want = type + "".join(f" {k}={v!r}" for k, v in fields.items() if v is not None)
            _fail(Failure(f"event #{event.seq} to be {want}", event.summary(), around))
        return event

    def is_agent_said(self, contains: str | None = None) -> Event:
        __tracebackhide__ = True
        return self._is("agent_said", text=contains)

    def is_caller_said(self, contains: str | None = None) -> Event:
        __tracebackhide__ = True
        return self._is("caller_said", text=contains)

    def is_action_started(self, name: str | None = None) -> Event:
        __tracebackhide__ = True
        return self._is("action_started", action=name)

    def is_http_request(self, url: str | None = None) -> Event:
        __tracebackhide__ = True
        return self._is("http_request", url=url)

    def is_type(self, type: str, **fields: Any) -> Event:
        __tracebackhide__ = True
        return self._is(type, **fields)


def _matches(actual: Any, wanted: Any) -> bool:
    if isinstance(actual, str) and isinstance(wanted, str):
        return wanted.casefold() in actual.casefold()
    return same(actual, wanted)
