"""A phone keypad: clicking a key sends it to the call as DTMF (typed keys go through the input line)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Button

KEYS = "123456789*0#"


class Keypad(Grid):
    """Twelve keys; each press posts `Keypad.Pressed`."""

    class Pressed(Message):
        def __init__(self, key: str) -> None:
            self.key = key
            super().__init__()

    def compose(self) -> ComposeResult:
        for key in KEYS:
            name = {"*": "star", "#": "pound"}.get(key, key)
            button = Button(key, id=f"key-{name}", classes="key")
            button.can_focus = False  # clicked; from the keyboard, keys are typed into the input line (F3)
            yield button

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Pressed(str(event.button.label)))
