"""What the simulator tells the person about how to go on: a first line that says how to start, a hint above
the input line while the agent waits for keys, and what to do once the call is over (after a scenario
step's last checks, not in the middle of them)."""

from __future__ import annotations

import re
from collections.abc import Callable

from callsim.config.project import Project
from callsim.trace.events import Event

Note = Callable[[str], None]
KEYS_ONLY = re.compile(r"[0-9*#]*[*#][0-9*#]*")
"""A typed line nobody would say: keys with a star or a pound among them ("4321#")."""


class Guide:
    """Watches the call's events and the person's inputs, and says what helps next."""

    def __init__(self, project: Project, note: Note, hint: Callable[[str], None]) -> None:
        self.project = project
        self.note = note
        self.hint = hint
        """Shows a line above the input line ("" hides it)."""
        self.keypad_open = False
        self._over_unsaid = False
        """The call ended during an input that still plays: said once that input is done."""

    def welcome(self, scenario_turns: int | None) -> None:
        """The first call's first lines: how to start, and the keypad when the agent listens for keys.
        `scenario_turns`: how many turns a scenario plays (its `expect:` turns are checked with the turn before)."""
        if scenario_turns is not None:
            turns = "its turn" if scenario_turns == 1 else f"its {scenario_turns} turns one by one"
            self.note(f"Scenario mode: F5 plays {turns}, checking what each expects, then ends the call and "
                      "checks the rest; you can also type turns of your own.")
        else:
            self.note("Type what the caller says and press enter; F1 lists the commands and keys.")
        listens = [name for name, action in self.project.actions.items()
                   if action.trigger is not None and action.trigger.on == "dtmf"]
        if listens:
            self.note(f"This agent acts on keys pressed ({', '.join(listens)}): F3 opens the keypad, and what you "
                      "type is then pressed as keys.")

    def on_event(self, event: Event, playing: bool) -> None:
        """`playing`: one of the person's inputs is still playing (see `after_input`)."""
        kind = event.type
        if kind == "slot_asked":
            spec = self.project.agent.variables.get(event.variable)
            if spec is not None and spec.type == "digits" and not self.keypad_open:
                self.hint(f"⌨ The agent asks for {event.variable}: type it to say it, or F3 first to key it in.")
        elif kind in ("caller_said", "dtmf_received"):
            self.hint("")
        elif kind == "call_ended":
            self.hint("")
            self._over_unsaid = True
            if not playing:  # it ended on its own (a timer): say so now
                self.after_input()

    def after_input(self) -> None:
        if self._over_unsaid:
            self._over_unsaid = False
            self.note("The call is over: ctrl+n starts a new call; ctrl+s saves its trace, F6 exports it as a "
                      "scenario.")

    def new_call(self) -> None:
        self._over_unsaid = False
        self.hint("")

    def said(self, text: str) -> None:
        """A typed line was said: if it looks like keys, say how to press them instead."""
        if KEYS_ONLY.fullmatch(text.replace(" ", "")):
            self.note(f"That was said as words. To press keys, open the keypad with F3 (what you type is then "
                      f"pressed), or type /dtmf {text.replace(' ', '')}.")

    def keypad(self, open_: bool) -> None:
        self.keypad_open = open_
        if open_:
            self.hint("")
