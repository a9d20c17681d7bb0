"""F6's question before a call is exported as a scenario: where the file goes, and what will run it there.

An export beside the agent or scenario the call came from lands inside the scenario suite, where
`callsim run scenarios/` and pytest pick it up from then on; the person sees that, and the file's name,
before anything is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from callsim.tui.dialogs import Dialog

SUITE_FOLDER = "scenarios"
"""The folder pytest collects scenario files from by default (the `callsim_paths` ini option)."""


def shown_path(path: Path) -> str:
    """`path` relative to the working directory when it is below it (as the person would type it)."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except ValueError:  # another drive
        return str(path)


def suite_of(path: Path) -> Path | None:
    """The scenario suite folder that `path` would be part of (its nearest `scenarios` folder), or None."""
    return next((folder for folder in path.resolve().parents if folder.name == SUITE_FOLDER), None)


def run_it(path: Path) -> str:
    """How the exported file at `path` is run: with its suite (which then always runs it), or on its own."""
    alone = f"`callsim run {shown_path(path)}`"
    suite = suite_of(path)
    if suite is not None:
        return (f"It is in the scenario suite: `callsim run {shown_path(suite)}/` and pytest run it from now on "
                f"(alone: {alone}).")
    return f"Run it with {alone} (outside the scenario suite, which does not run it)."


def where_it_goes(path: Path) -> str:
    """What writing the export at `path` means: which runs pick it up, and whether it replaces a file."""
    text = run_it(path)
    if path.is_dir():
        text += " That is a folder: give a file name ending in .yaml."
    elif path.exists():
        text += " A file is there already: exporting replaces it."
    return text


class ExportDialog(Dialog):
    """Where to write the call as a scenario file (a path to edit); enter exports, esc leaves it unwritten."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "answer", "Export"),
        Binding("escape", "leave", "Cancel"),
    ]
    KEYS = "enter: export to this file · esc: cancel, nothing is written"

    def __init__(self, path: Path) -> None:
        super().__init__(classes="dialog")
        self.path = path

    def box(self) -> ComposeResult:
        with VerticalScroll(classes="dialog--box") as box:
            box.border_title = "Export the call as a scenario"
            yield Static("The call's turns, with what the agent said and did after each as their expectations.",
                         classes="dialog--why")
            with Horizontal(classes="dialog--row"):
                yield Static("File", classes="dialog--label")
                yield Input(shown_path(self.path), id="path", classes="dialog--path")
            yield Static(where_it_goes(self.path), id="where", classes="dialog--hint")
            yield Static("", classes="dialog--problem")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Export", id="answer", variant="primary")
                yield Button("Cancel", id="cancel")
            yield self.keys()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.query_one("#where", Static).update(where_it_goes(Path(event.value.strip() or ".")))

    def choose(self, chosen: str) -> None:
        if chosen != "answer":
            self.dismiss(None)
            return
        path = Path(self.query_one("#path", Input).value.strip())
        if path.suffix not in (".yaml", ".yml") or path.is_dir():
            self.problem("Give a file name ending in .yaml, e.g. scenarios/shop/order_status.yaml.", "#path")
            return
        self.dismiss(path)
