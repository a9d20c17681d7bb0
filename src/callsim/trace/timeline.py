"""Plain-text timelines of a trace, for `callsim show`, failure messages and the pytest plugin."""

from __future__ import annotations

from collections.abc import Sequence

from callsim.trace.events import Event

STYLES = {
    "caller_said": "bold cyan", "agent_said": "bold green", "trigger_matched": "magenta",
    "trigger_suppressed": "dim magenta", "meaning_unmatched": "dim magenta", "corrected": "magenta",
    "action_started": "yellow", "action_finished": "green", "action_offered": "yellow",
    "action_failed": "bold red",
    "http_request": "blue", "http_response": "blue", "variable_set": "dim", "error": "bold white on red",
    "call_ended": "bold", "call_started": "bold", "slot_asked": "yellow", "slot_unreadable": "red",
    "slot_declined": "red",
    "message_sent": "blue", "message_status": "dim blue", "message_received": "bold cyan", "reply_timed_out": "red",
    "dialing": "blue", "ringing": "dim blue", "answered": "blue", "whisper_played": "blue", "bridged": "bold green",
    "busy": "red", "no_answer": "red", "declined": "red", "dial_failed": "bold red", "hold_started": "dim",
    "hold_stopped": "dim", "dtmf_sent": "magenta", "dtmf_received": "bold cyan", "ivr_said": "bold cyan",
    "ivr_input": "dim", "phonebook_choice": "blue",
    "booking": "bold green", "booking_unavailable": "yellow", "slots_offered": "blue", "booking_cancelled": "yellow",
    "booking_rescheduled": "green", "extracted": "magenta", "evaluation": "bold",
}


MAX_SHOWN = 500
"""The most characters of one line a timeline or a failure message shows (a caller may say a megabyte)."""


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """`text`, cut at `limit` characters with a note of how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [cut: {len(text):,} characters in all]"


def clock(t: float) -> str:
    minutes, seconds = divmod(t, 60)
    return f"{int(minutes):02d}:{seconds:06.3f}"


def line(event: Event) -> str:
    """One event as `mm:ss.sss  #seq  summary`."""
    return f"{clock(event.t)}  #{event.seq:<4} {shorten(event.summary())}"


def excerpt(events: Sequence[Event], limit: int = 14) -> list[str]:
    """The last `limit` lines of a window of events, with a note of how many came before; the standard call
    fields set as the call connects (`call.from`, ...: the same in every call) are left out."""
    events = [e for e in events if getattr(e, "source", None) != "call" or e.type != "variable_set"]
    shown = events[-limit:]
    lines = [line(e) for e in shown]
    if len(events) > limit:
        earlier = len(events) - limit
        lines.insert(0, f"… {earlier} earlier event{'s' if earlier > 1 else ''}")
    return lines
