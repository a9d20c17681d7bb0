"""The simulator's title line and keys line.

Textual's Header and Footer cost a quarter of the simulator's start-up (the footer composes a widget
per key and composes them again at every focus change); these are one line of text each, and the
keys stay clickable through markup links.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static


class TitleBar(Static):
    """☎ callsim — agent · scenario, centred."""

    def __init__(self, title: str, **kwargs: object) -> None:
        super().__init__(Content.assemble(("☎  ", "bold"), ("callsim", "bold"), f" — {title}"),
                         **kwargs)  # type: ignore[arg-type]


def key_label(key: str) -> str:
    """How a binding's key reads: `f1` → F1, `ctrl+s` → ^S, `escape` → Esc."""
    if key == "escape":
        return "Esc"
    return key.upper() if not key.startswith("ctrl+") else "^" + key.removeprefix("ctrl+").upper()


class KeyBar(Static):
    """The keys that work now, each clickable; when the line is too short for all of them, it ends
    with the help key's own entry, which lists everything."""

    def __init__(self, keys: Sequence[tuple[str, str, str]], target: str = "app", keep_last: bool = False,
                 **kwargs: object) -> None:
        """`keys`: (key, what it does, the action it runs), in the order shown; `target`: whose action
        (`app`, or `screen` for a dialog's own keys); `keep_last`: the last key is shown however short the
        line (a dialog's escape), the ones before it as far as they fit."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.keys = list(keys)
        self.target = target
        self.keep_last = keep_last

    def render(self) -> Content:
        width = self.size.width or 120
        kept = self.keys[-1:] if self.keep_last else []
        shown: list[tuple[str, str, str]] = []
        used = sum(map(_size, kept))
        for entry in self.keys[: len(self.keys) - len(kept)]:
            if used + _size(entry) > width:
                break
            shown.append(entry)
            used += _size(entry)
        shown += kept
        parts = [Content.from_markup(f"[@click={self.target}.{action}][b $accent]{key_label(key)}[/] $what[/]", what=what)
                 for key, what, action in shown]
        return Content("  ").join(parts)


def _size(entry: tuple[str, str, str]) -> int:
    """The cells a key's entry takes in the line, with the gap after it."""
    return len(key_label(entry[0])) + 1 + len(entry[1]) + 2
