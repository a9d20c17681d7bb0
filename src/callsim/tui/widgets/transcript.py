"""The transcript: what the caller and the agent said, texts sent and received, and the call's own
notes (waits, transfers, errors, expectation results), each with the call time."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text

from callsim.terminal import printable
from callsim.trace.events import Event
from callsim.tui.widgets.fitted import FittedLog

OWN_PANES = {"call_started", "call_state", "trigger_matched", "variable_set", "action_started", "action_finished",
             "action_offered", "http_request", "http_response", "slot_asked", "slot_unreadable", "message_status",
             "extracted", "phonebook_choice", "speech_recognized", "ivr_input"}
"""Events another pane shows in full; the transcript leaves them out to stay a conversation."""
MESSAGE_EVENTS = {"message_sent", "message_received", "reply_timed_out"}


CHANNELS = {"sms": "SMS", "whatsapp": "WhatsApp"}
WHO_WIDTH = max(len("Caller"), *map(len, CHANNELS.values()))
"""The width of the who column: every line's text starts in the same column (WhatsApp's pushed its own over)."""


def channel_name(channel: str) -> str:
    return CHANNELS.get(channel, channel.capitalize())


def call_time(t: float) -> str:
    minutes, seconds = divmod(int(t), 60)
    return f"{minutes:02d}:{seconds:02d}"


class Transcript(FittedLog):
    """The conversation, line by line; any event type it does not know is shown by its summary."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--time", "transcript--caller", "transcript--agent", "transcript--message",
        "transcript--system", "transcript--error", "transcript--pass", "transcript--fail", "transcript--info",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lines_written = 0
        self.unpainted = False
        """A line was written since the app last let the screen paint (see `SimulatorApp._paint_new_lines`)."""
        self._last: tuple[float | None, str, str, str] | None = None

    def clear(self) -> Transcript:
        self._last = None
        super().clear()
        return self

    def add_event(self, event: Event) -> None:
        kind = event.type
        if kind in OWN_PANES:
            return
        if kind == "caller_said":
            self._line(event.t, "Caller", event.text, "caller")
        elif kind == "agent_said":
            self._line(event.t, "Agent", event.text, "agent")
        elif kind == "dtmf_received":
            self._line(event.t, "Caller", f"⌨ pressed {event.digits}", "caller")
        elif kind == "ivr_said":
            self._line(event.t, "Menu", event.text, "message")
        elif kind == "message_sent":
            self._line(event.t, channel_name(event.channel), f"→ {event.to}: {event.body}", "message")
        elif kind == "message_received":
            self._line(event.t, channel_name(event.channel), f"← {event.from_}: {event.body}", "message")
        elif kind == "waited":
            self._line(event.t, "", f"⏩ {event.seconds:g}s pass", "system")
        elif kind in ("error", "action_failed", "dial_failed"):
            self._line(event.t, "", event.summary(), "error")
        else:
            self._line(event.t, "", event.summary(), "system")

    def note(self, text: str, kind: str = "info", t: float | None = None) -> None:
        """A line from the simulator itself (help, expectation results, a missing microphone). The same line
        twice in a row is shown once: two lines typed while the call was ending get one "The call has ended"."""
        if self._last == (t, "", text, kind):
            return
        self._line(t, "", text, kind)

    def _line(self, t: float | None, who: str, text: str, kind: str) -> None:
        self._last = (t, who, text, kind)
        style = self.get_component_rich_style(f"transcript--{kind}")
        when = call_time(t) if t is not None else ""
        lead = Text(f"{when:<5} ", style=self.get_component_rich_style("transcript--time"))
        lead.append(printable(f"{who:<{WHO_WIDTH}} "), style=style + Style(bold=True))
        self.add_row(lead, text, style)
        self.lines_written += 1
        self.unpainted = True
