"""Compare a new trace with a golden recording, event by event, after normalising what may vary.

Within one engine version and configuration nothing in a trace should vary: the clock is
virtual and everything random is seeded. What may legitimately differ is the trace header's
bookkeeping (where the file was run from), so only events are compared, plus two header facts
reported as context: the engine version and the fingerprint of the agent and action files.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from callsim.trace.events import Event
from callsim.trace.timeline import clock
from callsim.trace.trace import Trace

CONTEXT = 2


@dataclass
class TraceDiff:
    """What changed between a recording and a new run; empty when the call behaved the same."""

    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Why it may have changed: the configuration or the engine version differs."""

    def __bool__(self) -> bool:
        return bool(self.changes)

    def render(self) -> str:
        return "\n".join([*self.notes, *self.changes])


TIMINGS = ("elapsed", "duration")
"""Fields that measure time: a call against a real server takes as long as the server does."""


def canonical(event: Event, times: bool = True) -> str:
    """An event as comparable text: its JSON without sequence number and time (so one inserted
    event or a shift in time does not make every later event look different); without `times`, also
    without how long things took."""
    data = event.to_json()
    data.pop("seq", None)
    data.pop("t", None)
    if not times:
        for name in TIMINGS:
            data.pop(name, None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def diff_traces(recorded: Trace, current: Trace, *, times: bool = True) -> TraceDiff:
    """An event-level diff: removed events `-`, added `+`, changed fields spelled out, and events
    that only moved in time folded into one `~` line per shift. Without `times` (a call that went to a
    real server again), when things happened and how long they took are not compared."""
    result = TraceDiff()
    old_head, new_head = recorded.header, current.header
    if old_head.get("fingerprint") != new_head.get("fingerprint"):
        result.notes.append(f"note: the agent or action files changed since the recording "
                            f"(fingerprint {old_head.get('fingerprint')} → {new_head.get('fingerprint')})")
    if old_head.get("engine") != new_head.get("engine"):
        result.notes.append(f"note: recorded with callsim {old_head.get('engine')}, now {new_head.get('engine')}")
    old_events, new_events = recorded.events, current.events
    if not times:
        result.notes.append("note: requests went to a real server again, so times are not compared")
    matcher = difflib.SequenceMatcher(a=[canonical(e, times) for e in old_events],
                                      b=[canonical(e, times) for e in new_events], autojunk=False)
    pending_context: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            shifted = [(a, b) for a, b in zip(old_events[i1:i2], new_events[j1:j2]) if abs(a.t - b.t) > 1e-9
                       and times]
            if shifted:
                result.changes.extend(_shifts(shifted))
            pending_context = ["  " + _line(e) for e in new_events[j1:j2][-CONTEXT:]]
            continue
        result.changes.extend(pending_context)
        pending_context = []
        olds, news = old_events[i1:i2], new_events[j1:j2]
        if tag == "replace" and len(olds) == len(news):
            for before, after in zip(olds, news):
                result.changes.extend(_changed(before, after, times))
        else:
            result.changes.extend("- " + _line(e) for e in olds)
            result.changes.extend("+ " + _line(e) for e in news)
    return result


def _shifts(pairs: list[tuple[Event, Event]]) -> list[str]:
    lines: list[str] = []
    run: list[tuple[Event, Event]] = []
    for pair in [*pairs, None]:
        if run and (pair is None or abs((pair[1].t - pair[0].t) - (run[0][1].t - run[0][0].t)) > 1e-9):
            delta = run[0][1].t - run[0][0].t
            first, last = run[0][1], run[-1][1]
            what = f"#{first.seq}" if len(run) == 1 else f"#{first.seq}–#{last.seq} ({len(run)} events)"
            lines.append(f"~ {what} happen {abs(delta):g}s {'later' if delta > 0 else 'earlier'} "
                         f"than recorded, from {first.summary()!r}")
            run = []
        if pair is not None:
            run.append(pair)
    return lines


def _line(event: Event) -> str:
    return f"{clock(event.t)}  {event.summary()}"


def _changed(before: Event, after: Event, times: bool) -> list[str]:
    if before.type != after.type:
        return ["- " + _line(before), "+ " + _line(after)]
    lines = ["- " + _line(before), "+ " + _line(after)] if before.summary() != after.summary() else [
        "~ " + _line(after)]
    old, new = before.to_json(), after.to_json()
    for key in sorted((set(old) | set(new)) - {"seq", "t", *(() if times else TIMINGS)}):
        if old.get(key) != new.get(key):
            lines.append(f"    {key}: {_short(old.get(key))} → {_short(new.get(key))}")
    return lines


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
