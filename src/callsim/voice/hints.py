"""What the caller is likely to say at this point of a call, for the speech-to-text engine: the agent's
question being answered, the type of answer asked for, and the agent's own words."""

from __future__ import annotations

import re
from typing import Any

from callsim.trace.events import AgentSaid, CallerSaid, SlotAsked
from callsim.voice.stt import Hints


def call_hints(call: Any) -> Hints:
    """Hints for the caller's next turn in `call` (a live call session: its project and its trace)."""
    question, asked = "", None
    for event in reversed(call.trace.events):
        if isinstance(event, CallerSaid):
            break
        if isinstance(event, AgentSaid) and not question:
            question = event.text
        elif isinstance(event, SlotAsked) and asked is None:
            asked = event.variable
    spec = call.project.agent.variables.get(asked) if asked else None
    return Hints(question=question, expecting=spec.type if spec is not None else None,
                 vocabulary=agent_vocabulary(call.project))


def agent_vocabulary(project: Any) -> tuple[str, ...]:
    """The agent's words, once per project: trigger phrases and keywords, enum values, and the names of
    the variables callers give (`order_number` -> "order number")."""
    cached = getattr(project, "_speech_vocabulary", None)
    if cached is not None:
        return cached
    words: list[str] = []
    for name in project.agent.actions:
        trigger = project.actions[name].trigger
        if trigger is not None:
            words += [*trigger.phrases, *trigger.keywords]
    for name, spec in project.agent.variables.items():
        if spec.from_ == "caller":
            words.append(re.sub(r"[_.]+", " ", name))
            words += [str(value) for value in spec.values]
    vocabulary = tuple(dict.fromkeys(w.strip() for w in words if w.strip()))  # unique, in the agent's order
    project._speech_vocabulary = vocabulary
    return vocabulary
