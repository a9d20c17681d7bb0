"""The status bar: the call's clock and state, the scenario's progress and which voice engines are on."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from callsim.terminal import printable

from callsim.tui.widgets.transcript import call_time


@dataclass
class Status:
    elapsed: float = 0.0
    clock: str = ""
    state: str = "ringing"
    scenario: str = ""
    stt: str = "speech-to-text: loading"
    tts: str = "voice: off"
    listening: bool = False


class StatusBar(Static):
    """One line; parts are dropped from the right when the terminal is narrow."""

    status: reactive[Status] = reactive(Status, always_update=True, layout=False)

    def render(self) -> Text:
        s = self.status
        parts = [f"{'🎤 LISTENING' if s.listening else '☎'} {call_time(s.elapsed)} {s.clock}", s.state]
        if s.scenario:
            parts.append(s.scenario)
        parts += [s.stt, s.tts]  # the keys line below names F1
        text, width = "", self.size.width or 120
        for part in filter(None, parts):
            candidate = f"{text} │ {part}" if text else part
            if len(candidate) > width and text:
                break
            text = candidate
        return Text(printable(text))  # shown as written: a state or name holding "[" is no markup
