"""Which of the simulator's keys its bottom line shows, as what, and which it keeps when the line is short.

A key shows only while it does something (no F5 without a scenario turn left, no hang-up after the call,
no push-to-talk without speech-to-text, no F8 for the tabs while they are off the screen: F2 shows them),
is named for what it does now ("F2 Transcript" once a narrow terminal shows the panels in its place), and
is ranked by how much the moment needs it: during the call talking and the call's own keys, after it a new
call, saving and exporting.
"""

from __future__ import annotations

from dataclasses import dataclass

from callsim.tui.widgets.bars import KeyEntry

DURING_CALL = ("help", "next_turn", "talk", "hangup", "toggle_keypad", "toggle_side", "mute", "next_tab", "new_call",
               "save", "export")
"""The keys a live call can use, the most needed first (a short line keeps them in this order)."""
AFTER_CALL = ("help", "next_turn", "new_call", "save", "export", "toggle_side", "next_tab")
"""The keys that still do something once the call has ended, the most needed first."""


@dataclass(frozen=True)
class KeyState:
    """What the keys line depends on."""

    live: bool
    """The call is connected and has not ended."""
    turns_left: bool
    """A scenario has a turn left to play, or its final checks to run."""
    talk: bool
    """Push-to-talk can listen (voice is on and speech-to-text did not fail to load)."""
    listening: bool
    speaker: bool
    """The agent's lines can be heard (so muting means something)."""
    muted: bool
    panels_swapped: bool
    """A narrow terminal shows the side panels in place of the conversation."""
    panels_shown: bool
    """The side panels are on the screen (F8's tabs with them)."""
    keypad: bool
    """The keypad is open: the input line presses keys."""


def keys_now(state: KeyState, bindings: list[KeyEntry]) -> tuple[list[KeyEntry], list[int]]:
    """The keys to show (in the bindings' order) with their labels now, and each one's rank."""
    ranked = DURING_CALL if state.live else AFTER_CALL
    usable = {"next_turn": state.turns_left, "talk": state.talk and state.live, "mute": state.speaker,
              "next_tab": state.panels_shown}
    labels = {"toggle_side": "Transcript" if state.panels_swapped else None,
              "toggle_keypad": "Keypad off" if state.keypad else None,
              "talk": "Stop" if state.listening else None,
              "mute": "Unmute" if state.muted else None}
    keys, ranks = [], []
    for key, what, action in bindings:
        if action in ranked and usable.get(action, True):
            keys.append((key, labels.get(action) or what, action))
            ranks.append(ranked.index(action))
    return keys, ranks
