"""The input line: what the caller says, a /command, or keys to press while the keypad is open."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class SayLine(Input):
    """An input line that takes a line the moment enter reaches it, and recalls taken lines with ↑ and ↓.

    Input leaves enter to its binding, which runs once the key has bubbled up to the app; keys typed quickly
    after enter reach the line first and were sent with the previous line (or cleared with it). Here the line
    is taken and emptied in the key's own turn, so what follows starts the next line.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history: list[str] = []
        """The lines the simulator took, oldest first (see `remember`)."""
        self.taken = 0
        """How many lines the simulator took (an empty line too)."""
        self._recalled = 0
        """How far back ↑ has gone: 0 is the line being typed."""
        self._draft = ""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            line, self.value, self._recalled = self.value, "", 0
            self.post_message(self.Submitted(self, line))
        elif event.key in ("up", "down"):
            event.stop()
            event.prevent_default()
            self._recall(1 if event.key == "up" else -1)
        else:
            await super()._on_key(event)

    def remember(self, line: str) -> None:
        """Keep a taken line for ↑ (once, however often it is entered in a row)."""
        self.taken += 1
        if line.strip() and self.history[-1:] != [line]:
            self.history.append(line)

    def _recall(self, step: int) -> None:
        """↑ shows the line before the one shown, ↓ the one after; below the newest is the line being typed."""
        recalled = max(0, min(len(self.history), self._recalled + step))
        if recalled == self._recalled:
            return
        if self._recalled == 0:
            self._draft = self.value
        self._recalled = recalled
        self.value = self.history[-recalled] if recalled else self._draft
        self.cursor_position = len(self.value)
