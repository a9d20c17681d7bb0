"""A phone keypad: pressing a key sends it to the call as DTMF."""

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
            yield Button(key, id=f"key-{name}", classes="key")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Pressed(str(event.button.label)))
