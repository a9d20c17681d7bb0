"""Plain-text timelines of a trace, for `callsim show`, failure messages and the pytest plugin."""

from __future__ import annotations

from collections.abc import Sequence

from callsim.trace.events import Event

STYLES = {
    "caller_said": "bold cyan", "agent_said": "bold green", "trigger_matched": "magenta",
    "action_started": "yellow", "action_finished": "green", "action_failed": "bold red",
    "http_request": "blue", "http_response": "blue", "variable_set": "dim", "error": "bold white on red",
    "call_ended": "bold", "call_started": "bold", "slot_asked": "yellow", "slot_unreadable": "red",
}


def clock(t: float) -> str:
    minutes, seconds = divmod(t, 60)
    return f"{int(minutes):02d}:{seconds:06.3f}"


def line(event: Event) -> str:
    """One event as `mm:ss.sss  #seq  summary`."""
    return f"{clock(event.t)}  #{event.seq:<4} {event.summary()}"


def excerpt(events: Sequence[Event], limit: int = 14) -> list[str]:
    """The last `limit` lines of a window of events, with a note of how many came before."""
    shown = list(events)[-limit:]
    lines = [line(e) for e in shown]
    if len(events) > limit:
        lines.insert(0, f"… {len(events) - limit} earlier events")
    return lines
