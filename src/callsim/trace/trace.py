"""The trace of one call: an ordered list of events that views and recorders subscribe to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from callsim.errors import UsageError
from callsim.trace.compare import UNTYPED, ValueTypes
from callsim.trace.events import Event
from callsim.trace.fluent import Parse, TraceExpect
from callsim.trace.jsonl import TraceFileError, check_header, event_from_line, json_line, trace_lines
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
        lines = [json_line(self.redact(self.header), sort_keys=True)]
        lines += [json_line(e.to_json()) for e in self.events]
        return "\n".join(lines) + "\n"


def read_trace(path: Path) -> Trace:
    """Read a JSON Lines trace, checking every line; a cut-off last line (a crash mid-write) is skipped
    and its number kept in the header (`truncated`), any other problem raises TraceFileError naming the line."""
    trace: Trace | None = None
    previous = None
    for number, data, cut in trace_lines(path):
        if trace is None:
            if cut:
                raise TraceFileError(f"{path}:{number}: not a callsim trace (the first line is not JSON)")
            trace = Trace(header=check_header(path, data))
        elif cut:
            trace.header["truncated"] = number  # the line that was cut off
        else:
            previous = event_from_line(path, number, data, previous)
            trace.events.append(previous)
    assert trace is not None  # trace_lines refuses a file without lines
    return trace
