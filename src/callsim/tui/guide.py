"""What the simulator tells the person about how to go on: a first line that says how to start, a hint above
the input line while the agent waits for keys, and what to do once the call is over (after a scenario
step's last checks, not in the middle of them)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from callsim.config.project import Project
from callsim.trace.events import Event

Note = Callable[[str], None]
KEYS_ONLY = re.compile(r"[0-9*#]*[*#][0-9*#]*")
"""A typed line nobody would say: keys with a star or a pound among them ("4321#")."""
LIFECYCLE = {"call_start": "when the call starts", "turn": "on every caller turn", "call_end": "after the call",
             "message_reply": "on a text reply (/reply TEXT)", "dtmf": "on keys pressed (F3 opens the keypad)"}
"""What an `on:` event is, to the person at the simulator."""
SHOWN_PHRASES = 4
"""The most phrases (or examples) the action list quotes for one action."""


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
            self.note(f"Type what the caller says and press enter; /actions lists what the agent's "
                      f"{len(self.project.agent.actions)} actions listen for, F1 the commands and keys.")
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

    def list_actions(self) -> None:
        """/actions: each of the agent's actions with what sets it off (what the first screen cannot hold)."""
        names = list(self.project.agent.actions)
        self.note(f"The agent's {len(names)} actions, and what sets each off:")
        for name in names:
            action = self.project.actions.get(name)
            if action is not None:
                needs = getattr(action, "needs", None)
                asks = f"; then asks for {', '.join(needs)} (if not given yet)" if needs else ""
                self.note(f"{name} ({action.type}): {what_sets_off(action.trigger)}{asks}")


def what_sets_off(trigger: Any) -> str:
    """What sets an action off, in words the person can act on: what to say, which key, when."""
    if trigger is None:
        return "no trigger: another action's then: or after: runs it"
    parts = []
    if trigger.phrases:
        parts.append("say " + _quoted(trigger.phrases))
    if trigger.keywords:
        parts.append("say words with " + ", ".join(trigger.keywords) + " in them")
    if trigger.regex:
        parts.append("say what matches " + " or ".join(f"/{getattr(r, 'pattern', r)}/" for r in trigger.regex))
    if trigger.examples:
        parts.append("say something like " + _quoted(trigger.examples))
    elif trigger.description:
        parts.append(f"ask for {trigger.description}")
    if trigger.on and not (trigger.on == "turn" and parts):
        parts.append(LIFECYCLE.get(trigger.on, f"on {trigger.on}"))
    if trigger.after:
        parts.append(f"after {trigger.after} finished")
    if trigger.if_:
        parts.append(f"if {trigger.if_}")
    return "; ".join(parts)


def _quoted(texts: list[str]) -> str:
    shown = [f'"{text}"' for text in texts[:SHOWN_PHRASES]]
    more = len(texts) - len(shown)
    if more:
        return ", ".join(shown) + f" (and {more} more)"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
