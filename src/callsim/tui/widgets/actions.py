"""The actions timeline: each run of an action as a row (fired → running → ok / offered / failed) that opens (enter
or a click) to show what it did: the trigger, the rendered request and the response, and any other event
it caused.

One `Tree` holds every run: a row per run costs a line of text, not a set of widgets to mount and lay
out, so a busy call stays as quick to redraw as a quiet one.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from callsim.durations import format_duration
from callsim.terminal import printable
from callsim.trace.events import Event
from callsim.tui.widgets.transcript import call_time

MARKS = {"running": "⋯", "ok": "✓", "offered": "?", "failed": "✗", "stopped": "■"}
DETAIL_INDENT = 6
"""Cells left of a detail line: the tree's guide and the label's own margin."""
ROW_INDENT = 3
"""Cells left of a run's row (its ▶) and right of it (the scrollbar)."""


@dataclass
class ActionRun:
    """One run of one action: its row in the tree and the lines its details show."""

    action: str
    action_type: str
    started: float
    node: TreeNode[str]
    state: str = "running"
    result: str = ""
    detail_lines: list[str] = field(default_factory=list)

    def title(self, width: int) -> str:
        """The run's row in `width` cells: what it came to is kept whole; the action's type goes first, then
        its name is cut, when the row would run past the panel."""
        result = f"  {self.result or 'running'}"
        head = f"{MARKS[self.state]} {call_time(self.started)} "
        for name in (f"{self.action} ({self.action_type})", self.action):
            if len(head) + len(name) + len(result) <= width:
                return head + name + result
        room = max(1, width - len(head) - len(result))
        return head + (self.action if len(self.action) <= room else self.action[: room - 1] + "…") + result


def took(seconds: float) -> str:
    """How long an action took, as a person reads it: 12ms, 4.7s, 2m4.7s (not 124.736s)."""
    return format_duration(seconds if seconds < 1 else round(seconds, 1))


class ActionsPanel(Tree[str]):
    """Every action run of the call, newest at the bottom."""

    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | {
        "actions--running", "actions--ok", "actions--offered", "actions--failed", "actions--stopped", "actions--detail"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("actions", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.runs: dict[str, ActionRun] = {}
        """The latest run of each action, by name."""
        self._why: dict[str, str] = {}
        """Why each action is about to run: its trigger's match, with the time it matched."""
        self._wrap_width = 0

    def add_event(self, event: Event) -> None:
        kind = event.type
        action = getattr(event, "action", None)
        if kind == "trigger_matched":
            self._why[event.action] = f"{call_time(event.t)} {event.summary()}"
            return
        if kind == "call_ended":  # an action cut short (the call failed, or was hung up on) says so
            for run in self.runs.values():
                if run.state == "running":
                    self._finish(run, "stopped", f"stopped: the call ended ({event.reason})")
            return
        if kind == "action_started":
            why = self._why.pop(event.action, f"{call_time(event.t)} {event.reason}" if event.reason else "")
            run = ActionRun(event.action, event.action_type, event.t, self.root.add("", expand=False))
            self.runs[event.action] = run
            self._relabel(run)
            if why:
                self._detail(run, why)
            self.scroll_end(animate=False)
            return
        run = self.runs.get(action) if isinstance(action, str) else None
        if run is None:
            return
        if kind == "action_finished":
            self._finish(run, "ok", f"ok in {took(event.duration)}")
        elif kind == "action_offered":
            self._finish(run, "offered", f"offered {len(event.choices)}, waits for a pick")
        elif kind == "action_abandoned":
            self._finish(run, "stopped", f"abandoned after {took(event.duration)}: "
                                         + ("the caller hung up" if event.reason == "hangup" else "talked over"))
        elif kind == "action_failed":
            self._finish(run, "failed", f"failed: {event.kind}")
            self._detail(run, f"{call_time(event.t)} ✗ {event.error}")
        elif kind == "http_request":
            self._detail(run, f"{call_time(event.t)} → {event.method} {event.url}")
            for name, value in event.headers.items():
                self._detail(run, f"      {name}: {value}")
            if event.json_ is not None:
                self._detail(run, "      " + json.dumps(event.json_, ensure_ascii=False, default=str))
        elif kind == "http_response":
            body = event.json_ if event.json_ is not None else event.text
            shown = json.dumps(body, ensure_ascii=False, default=str) if body is not None else ""
            self._detail(run, f"{call_time(event.t)} ← {event.status} in {event.elapsed:g}s {shown}".rstrip())
        else:  # whatever else the action caused: a text sent, a number dialed, a booking
            self._detail(run, f"{call_time(event.t)} {event.summary()}")

    def on_focus(self) -> None:
        # arriving by Tab, the cursor sits on the newest run, so enter opens it
        if self.cursor_line < 0 and self.runs:
            self.move_cursor(list(self.runs.values())[-1].node)

    def reset(self) -> None:
        self.clear()
        self.runs.clear()
        self._why.clear()

    def on_resize(self) -> None:
        # rows and detail lines are fitted to the panel when added: fit them again at the new width
        if self._width() != self._wrap_width:
            for run in self.runs.values():
                self._relabel(run)
                run.node.remove_children()
                for line in run.detail_lines:
                    self._add_wrapped(run, line)

    def _finish(self, run: ActionRun, state: str, result: str) -> None:
        run.state, run.result = state, result
        self._relabel(run)

    def _relabel(self, run: ActionRun) -> None:
        width = (self.scrollable_content_region.width or 50) - ROW_INDENT
        style = self.get_component_rich_style(f"actions--{run.state}")
        run.node.set_label(Text(printable(run.title(width)), style=style))

    def _detail(self, run: ActionRun, line: str) -> None:
        run.detail_lines.append(line)
        self._add_wrapped(run, line)

    def _add_wrapped(self, run: ActionRun, line: str) -> None:
        self._wrap_width = width = self._width()
        style = self.get_component_rich_style("actions--detail")
        indent = " " * (len(line) - len(line.lstrip(" ")) + len("00:00 "))  # continue under the text
        for part in textwrap.wrap(line, width, subsequent_indent=indent, drop_whitespace=False) or [""]:
            run.node.add_leaf(Text(printable(part), style=style))

    def _width(self) -> int:
        return max(20, (self.scrollable_content_region.width or 50) - DETAIL_INDENT)
