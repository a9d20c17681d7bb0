"""The trace of one call: an ordered list of events that views and recorders subscribe to."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from callsim.errors import CallsimError, UsageError
from callsim.trace.compare import UNTYPED, ValueTypes
from callsim.trace.events import TRACE_FORMAT, Event, event_from_json
from callsim.trace.fluent import Parse, TraceExpect
from callsim.trace.redact import Redactor

E = TypeVar("E", bound=Event)
Listener = Callable[[Event], None]


def _unreadable_expectation(key: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    raise UsageError(f"trace.expect.{key}() checks the trace of a call callsim runs (callsim.call(), run_scenario()); "
                     "for a trace read from a file, walk it with trace.expect.next_event()")


@dataclass
class Trace:
    """Every event of one call, in order, with a header that says what produced it."""

    header: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    redact: Redactor = field(default_factory=Redactor)
    listeners: list[Listener] = field(default_factory=list)
    clock: Callable[[], float] = field(default=lambda: 0.0, repr=False)
    value_types: ValueTypes = field(default=UNTYPED, repr=False)
    """The agent's declared types, by which expectations compare values (set by the call)."""
    fill_in: Callable[[Any], Any] = field(default=lambda data: data, repr=False)
    """Fills a test's own placeholders into an expectation's data (`{{ secrets.TOKEN }}`, `{{ caller.name }}`)
    and redacts it as the trace is, so it compares with what was sent (set by the call)."""
    parse: Parse = field(default=_unreadable_expectation, repr=False)
    """Reads a Python expectation (`trace.expect.http(url=...)`) as its YAML (set by whoever runs the call)."""
    _expect: TraceExpect | None = field(default=None, repr=False)

    def emit(self, event: Event) -> Event:
        """Stamp an event with its sequence number and time, redact secrets, store and publish it."""
        event.seq = len(self.events) + 1
        event.t = self.clock()
        if self.redact:
            for name in event.__slots__:
                value = getattr(event, name)
                if isinstance(value, (str, dict, list)):
                    setattr(event, name, self.redact(value))
        self.events.append(event)
        for listener in self.listeners:
            listener(event)
        return event

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def of(self, kind: type[E]) -> list[E]:
        """The events of one type, in order."""
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def variables(self) -> dict[str, Any]:
        """Each variable's last value."""
        return {e.name: e.value for e in self.events if e.type == "variable_set"}  # type: ignore[attr-defined]

    @property
    def messages(self) -> list[Event]:
        """The text messages of the call (sent and received, in-call and after), in order."""
        return [e for e in self.events if e.type.startswith(("message_", "sms_"))]

    @property
    def expect(self) -> TraceExpect:
        """Fluent assertions: `trace.expect.action("lookup_order").request(url=...)`."""
        if self._expect is None:
            self._expect = TraceExpect(self)  # one cursor per trace, so next_event() walks on
        return self._expect

    def to_jsonl(self) -> str:
        lines = [json.dumps(self.header, ensure_ascii=False, sort_keys=True)]
        lines += [dumps_event(e) for e in self.events]
        return "\n".join(lines) + "\n"


def dumps_event(event: Event) -> str:
    return json.dumps(event.to_json(), ensure_ascii=False, default=str)


class TraceFileError(CallsimError):
    """Raised when a trace file cannot be read."""


def read_trace(path: Path) -> Trace:
    """Read a JSON Lines trace; a truncated last line (a crash mid-write) is skipped, not fatal."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise TraceFileError(f"{path}: cannot read trace ({error.strerror or error})") from None
    if not lines:
        raise TraceFileError(f"{path}: empty trace file")
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError:
        raise TraceFileError(f"{path}:1: not a callsim trace (the first line is not JSON)") from None
    if not isinstance(header, dict) or header.get("type") != "trace":
        raise TraceFileError(f"{path}:1: not a callsim trace (no trace header)")
    if header.get("format") != TRACE_FORMAT:
        raise TraceFileError(f"{path}: trace format {header.get('format')} is not the supported format {TRACE_FORMAT}")
    trace = Trace(header=header)
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            trace.events.append(event_from_json(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            if number == len(lines):
                trace.header["truncated"] = True
                break
            raise TraceFileError(f"{path}:{number}: unreadable event ({error})") from None
    return trace
