"""The `extract` action: typed values read out of what the caller said.

Per turn (`from: turn`, the default), an extractor reads the caller's turns since it last ran, so
a turn is read once even when the extractor waited behind a question the agent asked. From the
transcript (`from: transcript`, the default at `call_end`), it reads every caller turn and the
latest value wins, as callers correct themselves. Each value is in the trace with the turn it
came from (`extracted`) and lands in a variable with the source `extract:NAME`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from callsim.actions.base import ActionContext
from callsim.config.actions import ExtractAction, ExtractField
from callsim.engine.spoken import ReadContext, as_numerals, read_value
from callsim.engine.spoken_when import mentions_a_day
from callsim.trace.events import ActionStarted, AgentSaid, CallerSaid, Event, Extracted

# A name said out of the blue is only taken when the caller introduces it or spells it, or when
# the agent's line before asked for a name: "anything tomorrow morning" is not a name.
_NAME_CUE = re.compile(
    r"\b(?:my name is|my name's|name's|the name is|this is|it's|it is|i'm|i am|call me(?! back)|speaking)\b"
    r"|\b[a-z](?:-[a-z]){2,}\b|\b(?:[a-z] ){2,}[a-z]\b", re.IGNORECASE)
_ASKS_NAME = re.compile(r"\bname\b", re.IGNORECASE)


async def run(action: ExtractAction, ctx: ActionContext) -> dict[str, Any]:
    """Read each field from the turns in scope; set the variables found (returns none itself)."""
    agent = ctx.call.project.agent
    reading = ReadContext(now=ctx.clock.now(), timezone=agent.timezone, region=agent.region)
    events = ctx.call.trace.events
    turns = _turns(events) if action.reads_transcript else _turns(events, since_last=ctx.name)
    source = f"extract:{ctx.name}"
    for name, spec in action.fields.items():
        for turn, text, prompt in reversed(turns):
            value = _read(spec, text, prompt, reading)
            if value is None:
                continue
            ctx.emit(Extracted(action=ctx.name, field=name, value=value, turn=turn, text=text))
            if ctx.call.context().get(name) != value:
                ctx.call.set_variable(name, value, source)
            break
    return {}


def _turns(events: Sequence[Event], since_last: str | None = None) -> list[tuple[int, str, str]]:
    """Caller turns as (turn, text, the agent's line before it), oldest first; with `since_last`,
    only those after that action's previous run (the current run is its last `action_started`).
    Read backwards, so a long call costs a turn's worth of events, not the whole trace."""
    found: list[list[Any]] = []
    waiting: list[list[Any]] = []  # turns whose prompt is further back
    runs = 0
    for event in reversed(events):
        if isinstance(event, ActionStarted) and event.action == since_last:
            runs += 1
        elif isinstance(event, CallerSaid) and runs < 2:
            turn = [event.turn, event.text, ""]
            found.append(turn)
            waiting.append(turn)
        elif isinstance(event, AgentSaid) and waiting:
            for turn in waiting:
                turn[2] = event.text
            waiting.clear()
        if runs >= 2 and not waiting:
            break
    return [(turn, text, prompt) for turn, text, prompt in reversed(found)]


def _read(spec: ExtractField, text: str, prompt: str, reading: ReadContext) -> Any:
    if spec.type == "name":
        cue = _NAME_CUE.search(text)
        if cue is None and not _ASKS_NAME.search(prompt):
            return None
        text = text[cue.start():] if cue is not None else text  # "where is my order, this is Ana": from "this is"
    if spec.type == "date" and not mentions_a_day(text):
        return None
    found = read_value(spec.type, text, reading, length=spec.length, values=spec.values, pattern=spec.pattern)
    if found is None:
        return None
    value = found.value
    value = value.isoformat() if hasattr(value, "isoformat") else value
    if spec.type == "name" and re.search(r"\d", as_numerals(str(value))):
        return None  # "it's four five six seven" is a number, not a name
    return None if value == "" else value
