"""Assertions on a call's trace from Python tests: a method per YAML expectation, and a cursor.

`trace.expect` has one method for each key a scenario's `expect:` takes, made from the same table of
checks (`callsim.trace.expect.CHECKS`) and read by the same model as the YAML, so the two cannot drift:

    call.trace.expect.agent_said("is shipped")
    call.trace.expect.http(url="https://api.acme.test/orders/*",
                           headers={"Authorization": "Bearer {{ secrets.ACME_TOKEN }}"})
    call.trace.expect.variables({"booking.start_iso": "2026-12-01T10:00"}, order_status="shipped")
    call.trace.expect.order("lookup_order", "log_call")
    call.trace.expect.evaluation(quality={"passed": True})

Each looks at the whole call so far and raises AssertionError saying what was expected, what happened
instead and the timeline around it; a misspelt keyword is a UsageError (a TypeError) with a
did-you-mean. `action`, `action_failed` and `action_abandoned` return the run, to chain `.request(...)`;
`agent_said` returns the line. A cursor (`trace.expect.next_event()`) walks the call event by event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from callsim.trace.compare import ValueTypes, same
from callsim.trace.events import (ActionAbandoned, ActionFailed, AgentSaid, Event, HttpRequestSent,
                                  HttpResponseReceived, said_lines)
from callsim.trace.expect import CHECKS, Failure, as_sent, check, failure_matches, request_matches
from callsim.terminal import printable
from callsim.trace.timeline import excerpt, shorten

Parse = Callable[[str, tuple[Any, ...], dict[str, Any]], Any]
"""Reads `trace.expect.KEY(*args, **kwargs)` as the YAML expectation `KEY:` (its model lives above the trace)."""


class Recorded(Protocol):
    """What the assertions read of a call (a `Trace`): its events, each variable's last value, the types
    values compare by, how a test's placeholders are filled in, and how a Python expectation is read."""

    @property
    def events(self) -> list[Event]: ...

    @property
    def variables(self) -> dict[str, Any]: ...

    value_types: ValueTypes
    fill_in: Callable[[Any], Any]
    parse: Parse


def _fail(failure: Failure) -> None:
    __tracebackhide__ = True
    timeline = "\n".join("    " + line for line in excerpt(failure.events))
    raise AssertionError(printable(f"expected {shorten(failure.expected)}\n  instead: {shorten(failure.instead)}\n"
                                   f"  timeline:\n{timeline}"))


def _checked(trace: Recorded, key: str, args: tuple[Any, ...], kwargs: dict[str, Any],
             window: list[Event]) -> Any:
    """Read a Python expectation as its YAML, fill in the test's placeholders, check it over `window`."""
    __tracebackhide__ = True
    expectation = as_sent(trace.parse(key, args, kwargs), trace)  # type: ignore[arg-type]
    if isinstance(expectation, Failure):
        _fail(expectation)
    failure = check(expectation, window, trace.events, trace.value_types)
    if failure is not None:
        _fail(failure)
    return expectation


class TraceExpect:
    """Assertions over a whole trace (one method per YAML expectation), plus a cursor for walking it."""

    def __init__(self, trace: Recorded) -> None:
        self._trace = trace
        self._cursor = 0

    @property
    def events(self) -> list[Event]:
        return self._trace.events

    def agent_said(self, text: str) -> AgentSaid | None:
        """`agent_said:` the agent said something containing `text` (case-insensitive); returns that line."""
        __tracebackhide__ = True
        _checked(self._trace, "agent_said", (text,), {}, self.events)
        return next((line for line, said in said_lines(self.events) if text.casefold() in said.casefold()), None)

    def action(self, name: str) -> ActionExpect:
        """`action:` the action ran and finished (not failed, not only offered); chain `.request(...)`."""
        __tracebackhide__ = True
        _checked(self._trace, "action", (name,), {}, self.events)
        return ActionExpect(name, self._trace)

    def action_failed(self, name: str, **kind_and_status: Any) -> ActionExpect:
        """`action_failed:` the action failed (`kind=`, `status=` as in the YAML); chain `.request(...)`."""
        __tracebackhide__ = True
        _checked(self._trace, "action_failed", (name,), kind_and_status, self.events)
        return ActionExpect(name, self._trace)

    def action_abandoned(self, name: str) -> ActionExpect:
        """`action_abandoned:` the action was running when the caller hung up, and stopped there."""
        __tracebackhide__ = True
        _checked(self._trace, "action_abandoned", (name,), {}, self.events)
        return ActionExpect(name, self._trace)

    def variable(self, name: str, value: Any = ...) -> Any:
        """The variable was set (to `value`, compared by its type, when given); returns its last value."""
        __tracebackhide__ = True
        if value is ...:
            if self._trace.variables.get(name) is None:  # never set, or unset (a cancelled booking's booking.*)
                _fail(Failure(f"variable {name} to be set", "it was never set" if name not in self._trace.variables
                              else "it is not set now (its last value is None)", self.events))
        else:
            _checked(self._trace, "variables", ({name: value},), {}, self.events)
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


def _expectation_method(key: str) -> Callable[..., None]:
    def method(self: TraceExpect, *args: Any, **kwargs: Any) -> None:
        __tracebackhide__ = True
        _checked(self._trace, key, args, kwargs, self.events)

    method.__name__ = method.__qualname__ = key
    method.__doc__ = (f"`{key}:` as in a scenario's expect:, over the whole call so far; takes what the YAML key "
                      "takes (one value, keywords or a dict, or names in order for `order`).")
    return method


for _key in CHECKS:  # every other YAML expectation, from the same table, so none can be missing
    if _key not in vars(TraceExpect):
        setattr(TraceExpect, _key, _expectation_method(_key))


class ActionExpect:
    """Assertions about one action's runs: the requests it sent, the responses it got, how it failed."""

    def __init__(self, name: str, trace: Recorded) -> None:
        self.name, self._trace = name, trace
        self._own = [e for e in trace.events if getattr(e, "action", None) == name]

    def finished(self) -> ActionExpect:
        __tracebackhide__ = True
        _checked(self._trace, "action", (self.name,), {}, self._trace.events)
        return self

    def abandoned(self) -> ActionAbandoned:
        """The action was running when the caller hung up (or talked over its line), and stopped there."""
        __tracebackhide__ = True
        _checked(self._trace, "action_abandoned", (self.name,), {}, self._own)
        return next(e for e in self._own if isinstance(e, ActionAbandoned))

    def failed(self, kind: str | None = None, status: int | str | None = None) -> ActionFailed:
        """The action failed (with this kind, and HTTP status code or class such as `"5xx"`); returns the failure."""
        __tracebackhide__ = True
        given = {k: v for k, v in (("kind", kind), ("status", status)) if v is not None}
        _checked(self._trace, "action_failed", (self.name,), given, self._own)
        return next(e for e in self._own if isinstance(e, ActionFailed) and failure_matches(e, kind, status))

    def request(self, **fields: Any) -> HttpRequestSent:
        """The action sent a request matching these `http:` fields (method, url — a prefix when it ends in
        `*` —, a json subset, headers, which may name `{{ secrets.X }}`); returns the first such request."""
        __tracebackhide__ = True
        http = _checked(self._trace, "http", (), fields, self._own).http
        return next(e for e in self._own if isinstance(e, HttpRequestSent) and request_matches(
            e, method=http.method, url=http.url, json=http.json_, headers=http.headers, exact=http.exact,
            exact_headers=http.exact_headers))

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
