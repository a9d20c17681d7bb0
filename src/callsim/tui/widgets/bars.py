"""The simulator's title line and keys line.

Textual's Header and Footer cost a quarter of the simulator's start-up (the footer composes a widget
per key and composes them again at every focus change); these are one line of text each, and the
keys stay clickable through markup links.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

KeyEntry = tuple[str, str, str]
"""A key in the keys line: (key, what it does, the action it runs)."""


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
    """The keys that work now, each clickable, in the order given. When the line is too short for all of
    them, the most needed ones are kept (the help key, which lists everything, first of all)."""

    def __init__(self, keys: Sequence[KeyEntry], target: str = "app", keep_last: bool = False,
                 **kwargs: object) -> None:
        """`keys`: (key, what it does, the action it runs), in the order shown and, unless `show` ranks them,
        kept in that order when the line is short; `target`: whose action (`app`, or `screen` for a dialog's
        own keys); `keep_last`: the last key is kept first (a dialog's escape)."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.target = target
        ranks = list(range(1, len(keys) + 1))
        if keep_last and keys:
            ranks[-1] = 0
        self.keys: list[KeyEntry] = list(keys)
        self.ranks = ranks

    def show(self, keys: Sequence[KeyEntry], ranks: Sequence[int]) -> None:
        """Show these keys now; `ranks`: for each, how much it is needed (0 is kept first)."""
        if list(keys) != self.keys or list(ranks) != self.ranks:
            self.keys, self.ranks = list(keys), list(ranks)
            self.refresh()

    def render(self) -> Content:
        width = self.size.width or 120
        kept: set[int] = set()
        used = 0
        for index in sorted(range(len(self.keys)), key=lambda i: self.ranks[i]):
            if used + _size(self.keys[index]) - 2 <= width:  # the last entry has no gap after it
                kept.add(index)
                used += _size(self.keys[index])
        parts = [Content.from_markup(f"[@click={self.target}.{action}][b $accent]{key_label(key)}[/] $what[/]", what=what)
                 for index, (key, what, action) in enumerate(self.keys) if index in kept]
        return Content("  ").join(parts)


def _size(entry: KeyEntry) -> int:
    """The cells a key's entry takes in the line, with the gap after it."""
    return len(key_label(entry[0])) + 1 + len(entry[1]) + 2
