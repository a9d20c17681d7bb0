"""The actions timeline: each run of an action as a row (fired → running → ok / failed) that expands
to show what it did: the trigger, the rendered request and the response, and any other event it caused."""

from __future__ import annotations

import json
from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Collapsible, Static

from callsim.trace.events import Event
from callsim.tui.widgets.transcript import call_time

MARKS = {"running": "▶", "ok": "✓", "failed": "✗"}


class ActionRun(Collapsible):
    """One run of one action."""

    def __init__(self, action: str, action_type: str, why: str, t: float) -> None:
        self.action, self.action_type, self.state = action, action_type, "running"
        self.started, self.result = t, ""
        self.details = Static("", classes="details", markup=False)
        self.detail_lines = [f"{call_time(t)} {why}"] if why else []
        super().__init__(self.details, title=self._heading(), collapsed=True, collapsed_symbol="+",
                         expanded_symbol="−", classes="-running")

    def on_mount(self) -> None:
        self.details.update("\n".join(self.detail_lines))

    def finish(self, state: str, result: str) -> None:
        self.remove_class(f"-{self.state}")
        self.state, self.result = state, result
        self.add_class(f"-{state}")
        self.title = self._heading()

    def add(self, line: str) -> None:
        self.detail_lines.append(line)
        self.details.update("\n".join(self.detail_lines))

    def _heading(self) -> str:
        result = f"  {self.result}" if self.result else "  running"
        return f"{MARKS[self.state]} {call_time(self.started)} {self.action} ({self.action_type}){result}"


class ActionsPanel(VerticalScroll):
    """Every action run of the call, newest at the bottom."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runs: dict[str, ActionRun] = {}
        """The latest run of each action, by name."""
        self._why: dict[str, str] = {}

    def add_event(self, event: Event) -> None:
        kind = event.type
        action = getattr(event, "action", None)
        if kind == "trigger_matched":
            self._why[event.action] = event.summary()
            return
        if kind == "action_started":
            run = ActionRun(event.action, event.action_type, self._why.pop(event.action, event.reason), event.t)
            self.runs[event.action] = run
            self.mount(run)
            self.scroll_end(animate=False)
            return
        run = self.runs.get(action) if isinstance(action, str) else None
        if run is None:
            return
        if kind == "action_finished":
            run.finish("ok", f"ok in {event.duration:g}s")
        elif kind == "action_failed":
            run.finish("failed", f"failed: {event.kind}")
            run.add(f"{call_time(event.t)} ✗ {event.error}")
        elif kind == "http_request":
            run.add(f"{call_time(event.t)} → {event.method} {event.url}")
            for name, value in event.headers.items():
                run.add(f"      {name}: {value}")
            if event.json_ is not None:
                run.add("      " + json.dumps(event.json_, ensure_ascii=False, default=str))
        elif kind == "http_response":
            body = event.json_ if event.json_ is not None else event.text
            shown = json.dumps(body, ensure_ascii=False, default=str) if body is not None else ""
            run.add(f"{call_time(event.t)} ← {event.status} in {event.elapsed:g}s {shown}".rstrip())
        else:  # whatever else the action caused: a text sent, a number dialed, a booking
            run.add(f"{call_time(event.t)} {event.summary()}")
