"""The `extract` action: typed values read out of what the caller said.

Per turn (`from: turn`, the default), an extractor reads the caller's turns since it last ran, so
a turn is read once even when the extractor waited behind a question the agent asked. From the
transcript (`from: transcript`, the default at `call_end`), it reads every caller turn and the
latest value wins, as callers correct themselves. Each value is in the trace with the turn it
came from (`extracted`) and lands in a variable with the source `extract:NAME`.

Answers belong to their question: a turn that answers the agent's `ask:` for one variable is not
read into another field unless that field's `cues` are said; a self-correction's later value wins. A cue
said in a question ("where is my tow truck") gives no value, unless the agent asked about the field; nor,
for free text, does one said in a trigger phrase ("I need a tow truck"), and a remark ends where a request
said after it in the same breath begins. A turn about a
field that only says the caller does not know ("I don't know", "not sure, honestly": `knows_not`, the rule an
answer to the agent's question follows) gives it no value, and the trace says so (`not_extracted`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from callsim.actions.base import ActionContext
from callsim.readers.corrections import Reading, markers
from callsim.readers.numerals import as_numerals
from callsim.readers.utterance import (asks_a_question, asks_own_name, between_requests, clause_around, clause_at,
                                      clause_starts, cued_remark, introductions_of, knows_not, says_any)
from callsim.readers.when import mentions_a_day
from callsim.trace.events import (ActionStarted, AgentSaid, CallerSaid, Corrected, Event, Extracted, NotExtracted,
                                  SlotAsked)

if TYPE_CHECKING:
    from callsim.config.actions import ExtractAction, ExtractField

_ASKS_NAME = re.compile(r"\bname\b", re.IGNORECASE)
_KNOWS_NOT = "the caller does not know"
"""Why a turn about a field gave it no value: it only said "I don't know" (or "not sure", "no idea") and hedges."""


async def run(action: ExtractAction, ctx: ActionContext) -> dict[str, Any]:
    """Read each field from the turns in scope; set the variables found (returns none itself)."""
    events = ctx.call.trace.events
    turns = _turns(events) if action.reads_transcript else _turns(events, since_last=ctx.name)
    source = f"extract:{ctx.name}"
    for name, spec in action.fields.items():
        for turn in reversed(turns):
            reading = _read(ctx, name, spec, turn)
            if reading is None:
                continue
            if reading == _KNOWS_NOT:  # no value, as no answer: an earlier turn may still give one
                ctx.emit(NotExtracted(action=ctx.name, field=name, turn=turn.turn, text=turn.text, reason=reading))
                continue
            if reading.replaced is not None:
                ctx.emit(Corrected(variable=name, old=reading.replaced, new=reading.value, marker=reading.marker,
                                   turn=turn.turn))
            ctx.emit(Extracted(action=ctx.name, field=name, value=reading.value, turn=turn.turn, text=turn.text))
            if ctx.call.context().get(name) != reading.value:
                ctx.call.set_variable(name, reading.value, source)
            break
    return {}


@dataclass(slots=True)
class _Turn:
    """A caller turn, the agent's line before it, and the variable that line asked for (if it was an `ask:`)."""

    turn: int
    text: str
    prompt: str = ""
    asked: str | None = None


def _turns(events: Sequence[Event], since_last: str | None = None) -> list[_Turn]:
    """Caller turns, oldest first; with `since_last`, only those after that action's previous run (the
    current run is its last `action_started`). Read backwards, so a long call costs a turn's worth of
    events, not the whole trace."""
    found: list[_Turn] = []
    waiting: list[_Turn] = []  # turns whose prompt is further back
    prompt: AgentSaid | None = None
    runs = 0
    for event in reversed(events):
        if isinstance(event, ActionStarted) and event.action == since_last:
            runs += 1
        elif isinstance(event, CallerSaid) and runs < 2:
            turn = _Turn(event.turn, event.text)
            found.append(turn)
            waiting.append(turn)
        elif isinstance(event, AgentSaid) and waiting:
            for turn in waiting:
                turn.prompt = event.text
            prompt = event if event.reason == "ask" else None
            if prompt is None:
                waiting.clear()
        elif isinstance(event, SlotAsked) and waiting and prompt is not None:
            for turn in waiting:
                turn.asked = event.variable
            waiting.clear()
            prompt = None
        if runs >= 2 and not waiting:
            break
    return list(reversed(found))


def _read(ctx: ActionContext, name: str, spec: ExtractField, turn: _Turn) -> Reading | str | None:
    """A field's value in one turn, when the turn is about it; `_KNOWS_NOT` when the turn (the cue's clause) only
    says the caller does not know, the question's words and the field's cues aside ("my birthday? no idea").

    The answer to the agent's question for another variable is not this field's unless the field's
    `cues` are said (in the turn or the question); a field with `cues` needs them unless its own
    question was asked; a name needs an introduction ("this is Ana") unless a name was asked for; a
    date needs a day. A name is never the words that fired a trigger this turn ("book an appointment" is
    no "Book")."""
    text = turn.text
    # a cue said in a request's own words ("I need a tow truck") or in a question ("where is my tow truck") is not
    # the caller giving the field's value
    cue = says_any(text, spec.cues) if spec.cues else None
    prompted = bool(spec.cues) and says_any(turn.prompt, spec.cues) is not None
    if cue is not None:
        # asked about the field, a question back about it is a clause `cued_remark` leaves out ("what's the problem
        # now? no idea, it clicks"); a typed value may be said with the request ("book an appointment tomorrow")
        asked = [] if spec.type != "text" else [*ctx.call.triggers.phrases_in(text),
                                                 *(ctx.call.trigger_spans if turn.turn == ctx.call.turn else ())]
        cue = says_any(text, spec.cues, lambda start, end: not any(s < end and start < e for s, e in asked)
                       and (prompted or not asks_a_question(clause_around(text, start))))
    cued = cue is not None or prompted
    own_question = turn.asked == name
    if turn.asked is not None and not own_question and not cued:
        return None
    if spec.cues and not cued and not own_question:
        return None
    about = " ".join((turn.prompt, *spec.cues))  # "the noise? no idea": the cue's clause is "the noise?"
    if cue is not None and spec.type == "text":
        # a remark: the cue's clause and what goes on about it ("it's the heater, but the problem is a bang"), not
        # a request said after it in the same breath ("my ear has been ringing all day can I talk to someone")
        if turn.turn == ctx.call.turn and ctx.call.trigger_spans:
            start, end = between_requests(text, cue, ctx.call.trigger_spans)
            text, cue = text[start:end], cue - start
        remark = cued_remark(text, cue, about)
        if remark is None:
            return _KNOWS_NOT if knows_not(turn.text, about) or knows_not(clause_around(text, cue), about) else None
        text = remark
        unknowing = knows_not(text, about)
    else:
        if cue is not None:
            text = corrected_clause(text, cue, spec.type)  # "Rex, he was born on march third, and monday suits me"
        unknowing = knows_not(turn.text, about) or knows_not(text, about)
    if unknowing:  # said only when the turn was about the field
        return _KNOWS_NOT if own_question or cued or ctx.call.read_as(spec, text) is not None else None
    if spec.type == "name" and not (own_question or cued):
        # "where is my order, this is Ana": from "this is"; without an introduction, only when asked for a name
        # a name field without cues is a person's: "my dog Biscuit" introduces no one
        # (the caller's own name from how they introduce themselves: "for my son Leo, this is Ana Ruiz" is Ana's)
        own = asks_own_name(name.replace("_", " "), spec.description or "")
        starts = introductions_of(text, own, pets=False) or ([0] if _ASKS_NAME.search(turn.prompt) else [])
        reading = next((r for at in starts if (r := ctx.call.read_as(spec, text[at:])) is not None), None)
    elif spec.type == "date" and not mentions_a_day(text):
        return None
    else:
        reading = ctx.call.read_as(spec, text)
        if reading is None and spec.type == "enum" and (own_question or cued):
            reading = ctx.call.enum_by_meaning(name, spec.values, text)  # a turn about this field, in other words
    if reading is None:
        return None
    if spec.type == "name" and re.search(r"\d", as_numerals(str(reading.value))):
        return None  # "it's four five six seven" is a number, not a name
    if spec.type == "name" and turn.turn == ctx.call.turn and _requested_with(str(reading.value), turn.text, ctx):
        return None
    return reading


def corrected_clause(text: str, offset: int, type_: str) -> str:
    """The clause holding character `offset` (a cue), with the clauses right after it that correct it: "come in at
    ten on friday, no, thursday" is about Thursday, as the same words are when they answer a question."""
    starts = clause_starts(text) + [len(text)]
    first = clause_at(starts, offset)
    end = first + 1
    pattern = markers(type_)
    while end + 1 < len(starts):
        clause = text[starts[end]:starts[end + 1]].strip(" ,;.!?:-")
        found = pattern.match(clause)
        if found is None:
            break
        end += 1
        if not clause[found.end():].strip(" ,;.!?:-") and end + 1 < len(starts):
            end += 1  # "no," on its own: the value it corrects to comes in the next clause
    return text[starts[first]:starts[end]]


def _requested_with(name: str, text: str, ctx: ActionContext) -> bool:
    """Whether a name read from the current turn (`text`, as said) starts with a word of what fired a trigger in it."""
    first = name.split()[0].lower() if name.split() else ""
    return any(first in text[start:end].lower().split() for start, end in ctx.call.trigger_spans)

