"""The simulator's help (F1 or /help): every key and every typed command, on a screen of its own, so the
conversation stays where it was and a narrow terminal wraps each description under itself."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from callsim.tui.commands import COMMANDS
from callsim.tui.widgets.bars import KeyBar, key_label

KEY_HELP = {
    "help": "this help (esc or F1 closes it)",
    "toggle_side": "the side panels; where the terminal is narrow, they take the transcript's place until F2 again",
    "toggle_keypad": "the keypad: while it is open, what you type is pressed as keys (4321#); F3 again for words",
    "talk": "push-to-talk: listen on the microphone; F4 again (or a pause) ends the turn",
    "next_turn": "play the scenario's next turn and check its expectations; after the last, its call-level checks",
    "export": "export the call as a scenario file with expectations, ready for callsim run",
    "hangup": "hang up; the post-call actions run",
    "next_tab": "the next of the Phone, Messages, Calendar and Events tabs (showing the panels if hidden)",
    "save": "save the call's trace under traces/tui/ (read it with callsim show)",
    "new_call": "start a new call with the same agent or scenario",
    "mute": "turn the agent's voice off or on",
}
"""What each of the simulator's keys does, by its action."""


class HelpScreen(ModalScreen[None]):
    """The keys (in the order of the keys line) and the commands, each with what it does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        """`keys`: (key, action) of the simulator's bindings."""
        super().__init__(classes="dialog")
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog--box") as box:
            box.border_title = "Keys and commands"
            yield Static(self._table([(key_label(key), KEY_HELP[action]) for key, action in self.keys
                                      if action in KEY_HELP]))
            yield Static("Type what the caller says and press enter, or a command:", classes="dialog--why")
            yield Static(self._table([(usage, what) for usage, what in COMMANDS.values()]))
        yield KeyBar([("escape", "Close", "dismiss")], target="screen", classes="dialog--keyline")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # the arrow keys and page keys scroll it in a short terminal

    @staticmethod
    def _table(rows: list[tuple[str, str]]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for name, what in rows:
            table.add_row(Text(name), Text(what))  # as written: "/export [FILE]" holds no markup
        return table
