"""Events of the call itself: its lifecycle, what was said and heard, triggers, variables, slots, actions, errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from callsim.trace.events.base import Event, _quoted, event_type


@event_type
class CallStarted(Event):
    type: ClassVar[str] = "call_started"
    call_id: str
    from_: str
    to: str
    direction: str
    agent: str

    def summary(self) -> str:
        return f"{self.direction} call {self.call_id} from {self.from_} to {self.to} (agent {self.agent})"


@event_type
class CallState(Event):
    type: ClassVar[str] = "call_state"
    state: str

    def summary(self) -> str:
        return f"state → {self.state}"


@event_type
class CallerSaid(Event):
    type: ClassVar[str] = "caller_said"
    text: str
    turn: int

    def summary(self) -> str:
        return f"caller: {self.text}"


@event_type
class AgentSaid(Event):
    type: ClassVar[str] = "agent_said"
    text: str
    reason: str
    action: str | None = None

    def summary(self) -> str:
        return f"agent: {self.text}"


@event_type
class AgentCut(Event):
    """The agent's line (event `line`) stopped part-way: the caller talked over it or hung up. Only `said`
    reached the caller; expectations and evaluations see that, not the whole line."""

    type: ClassVar[str] = "agent_cut"
    line: int
    said: str
    words: int
    """How many of the line's words were said, at the agent's speaking pace."""
    of: int
    """How many words the line has."""
    by: str
    """`barge_in` (the caller started talking) or `hangup`."""

    def summary(self) -> str:
        why = "the caller talked over it" if self.by == "barge_in" else "the caller hung up"
        return f"agent cut off after {self.words} of {self.of} words ({_quoted(self.said or '—')}): {why}"


@event_type
class TriggerMatched(Event):
    type: ClassVar[str] = "trigger_matched"
    action: str
    by: str
    detail: str = ""
    score: float | None = None
    """Fuzzy spelling matches: percent; matches by meaning (`by: semantic`): cosine similarity, 3 decimals."""
    runner_up: str | None = None
    """By meaning: the second-best action and its score."""
    why: str | None = None
    """By meaning: the scores and the rule that made it fire; a phrase said with other words inside it: which."""

    def summary(self) -> str:
        detail = f" {self.detail!r}" if self.detail else ""
        if self.by == "semantic":
            runner_up = f", runner-up {self.runner_up}" if self.runner_up else ""
            return f"trigger {self.action} by meaning, nearest{detail} ({self.score:.3f}{runner_up})"
        score = f" ({self.score:.0f}%)" if self.score is not None and self.score < 100 else ""
        why = f", {self.why}" if self.why else ""
        return f"trigger {self.action} by {self.by}{detail}{score}{why}"


@event_type
class TriggerSuppressed(Event):
    """A trigger's words were said, but negated ("I am not angry"), so it did not fire."""

    type: ClassVar[str] = "trigger_suppressed"
    action: str
    by: str
    detail: str
    negation: str

    def summary(self) -> str:
        return f"trigger {self.action} not fired: {self.by} {self.detail!r} is negated by {self.negation!r}"


@event_type
class TriggerOverruled(Event):
    """A lexical match that did not fire because the sentence's meaning points elsewhere (a lone keyword)."""

    type: ClassVar[str] = "trigger_overruled"
    action: str
    by: str
    detail: str
    why: str

    def summary(self) -> str:
        return f"trigger {self.action} by {self.by} {self.detail!r} overruled: {self.why}"


@event_type
class MeaningUnmatched(Event):
    """A caller turn no trigger's words matched, judged by meaning, that fired nothing: the action it came nearest,
    that action's nearest phrase, description or example, the score, the runner-up and why it did not fire (under
    the threshold or the margin, nearer small talk, the two views disagree). A test that expected the action then
    explains itself, and says what to change: an example, the description, the threshold."""

    type: ClassVar[str] = "meaning_unmatched"
    action: str
    detail: str
    score: float
    runner_up: str | None = None
    why: str = ""

    def summary(self) -> str:
        runner_up = f", runner-up {self.runner_up}" if self.runner_up else ""
        reason = self.why.rsplit(": ", 1)[-1]
        return f"no action by meaning: nearest {self.action} {self.detail!r} ({self.score:.3f}{runner_up}), {reason}"


@event_type
class EnumByMeaning(Event):
    """An enum answer no value's words matched, read by meaning ("a big one" -> large), or not read."""

    type: ClassVar[str] = "enum_by_meaning"
    variable: str
    value: str | None
    why: str

    def summary(self) -> str:
        found = f"→ {self.value}" if self.value is not None else "no value"
        return f"{self.variable} by meaning {found}: {self.why}"


@event_type
class VariableSet(Event):
    type: ClassVar[str] = "variable_set"
    name: str
    value: Any
    source: str
    turn: int | None = None

    def summary(self) -> str:
        return f"{self.name} = {self.value!r} ({self.source})"


@event_type
class Corrected(Event):
    """The caller corrected a value: within one sentence ("nine, no sorry, eleven": `marker` says
    which words did it), or by giving a new value for one given before (`earlier_turn`)."""

    type: ClassVar[str] = "corrected"
    variable: str
    old: Any
    new: Any
    marker: str = ""
    turn: int | None = None
    earlier_turn: int | None = None

    def summary(self) -> str:
        how = f" after {self.marker!r}" if self.marker else ""
        when = f" (from turn {self.earlier_turn})" if self.earlier_turn is not None else ""
        return f"{self.variable} corrected{how}: {self.old!r}{when} → {self.new!r}"


@event_type
class SlotAsked(Event):
    type: ClassVar[str] = "slot_asked"
    variable: str
    action: str
    attempt: int

    def summary(self) -> str:
        return f"ask for {self.variable} (for {self.action}, attempt {self.attempt})"


@event_type
class SlotUnreadable(Event):
    type: ClassVar[str] = "slot_unreadable"
    variable: str
    expected: str
    text: str

    def summary(self) -> str:
        return f"could not read {self.variable} ({self.expected}) from {self.text!r}"


@event_type
class SlotDeclined(Event):
    """The caller took the question back or would not answer it ("never mind", "I'd rather not say"): the
    action that needed the answer is dropped, not run with the refusal as its value."""

    type: ClassVar[str] = "slot_declined"
    variable: str
    action: str
    text: str

    def summary(self) -> str:
        return f"{self.variable} declined (for {self.action}): {self.text!r}; {self.action} is dropped"


@event_type
class ActionStarted(Event):
    type: ClassVar[str] = "action_started"
    action: str
    action_type: str
    reason: str

    def summary(self) -> str:
        return f"action {self.action} started ({self.action_type}, {self.reason})"


@event_type
class ActionFinished(Event):
    type: ClassVar[str] = "action_finished"
    action: str
    duration: float

    def summary(self) -> str:
        return f"action {self.action} finished in {self.duration:g}s"


@event_type
class ActionOffered(Event):
    """The action offered the caller choices instead of doing its job (a booking offered free times and
    booked nothing); the caller's next turn may pick one, which runs the action again."""

    type: ClassVar[str] = "action_offered"
    action: str
    choices: list[str]
    duration: float = 0.0

    def summary(self) -> str:
        return f"action {self.action} offered {len(self.choices)} choice(s); waits for the caller's pick"


@event_type
class ActionFailed(Event):
    type: ClassVar[str] = "action_failed"
    action: str
    error: str
    kind: str
    duration: float = 0.0
    status: int | None = None
    """The HTTP status of a `status` failure."""
    live: bool | None = None
    """True when the request had passed through to a real server (a replay plays the failure back)."""

    def summary(self) -> str:
        return f"action {self.action} failed ({self.kind}{', live' if self.live else ''}): {self.error}"


@event_type
class ActionAbandoned(Event):
    """An action stopped before it finished because the caller hung up (or talked over the line that
    started it); no fallback is taken."""

    type: ClassVar[str] = "action_abandoned"
    action: str
    reason: str
    """`hangup` or `barge_in`."""
    duration: float = 0.0

    def summary(self) -> str:
        why = "the caller hung up" if self.reason == "hangup" else "the caller talked over it"
        return f"action {self.action} abandoned after {self.duration:g}s: {why}"


@event_type
class Waited(Event):
    type: ClassVar[str] = "waited"
    seconds: float

    def summary(self) -> str:
        return f"{self.seconds:g}s pass"


@event_type
class CallEnded(Event):
    type: ClassVar[str] = "call_ended"
    by: str
    reason: str

    def summary(self) -> str:
        return f"call ended by {self.by} ({self.reason})"


@event_type
class FallbackTaken(Event):
    """An action's fallback branch ran (`on_error`, `on_no_answer`, `on_timeout`, ...)."""

    type: ClassVar[str] = "fallback_taken"
    action: str
    branch: str

    def summary(self) -> str:
        return f"{self.action}: {self.branch}"


@event_type
class EngineError(Event):
    """A problem that stopped the call: a bug, or a call error such as an unmatched HTTP request."""

    type: ClassVar[str] = "error"
    message: str
    kind: str = "call"
    setup: bool | None = None
    """True when the call met something its setup does not provide (no route, no phone, no secret, a host
    not allowed): the scenario or the simulator must supply it; it is never an outcome to expect."""

    def summary(self) -> str:
        return f"ERROR: {self.message}"


@event_type
class SpeechRecognized(Event):
    """What speech-to-text heard in the caller's audio (a WAV file or the microphone), before the turn."""

    type: ClassVar[str] = "speech_recognized"
    source: str
    engine: str
    text: str
    seconds: float = 0.0
    confidence: float | None = None
    """The engine's confidence in `text`, 0 to 1 (None when the engine gives none)."""
    note: str | None = None
    """Why the turn was not taken in full: too unclear to use, one word (answers only), cannot be heard."""

    def summary(self) -> str:
        sure = f", confidence {self.confidence:.2f}" if self.confidence is not None else ""
        note = f" — {self.note}" if self.note else ""
        return (f"🎤 {self.engine} heard {_quoted(self.text or '(nothing)')} in {self.seconds:.1f}s of "
                f"{self.source}{sure}{note}")


def said_lines(events: Iterable[Event]) -> list[tuple[AgentSaid, str]]:
    """Each of the agent's lines with what of it the caller heard: all of it, or the words before a cut."""
    lines: list[tuple[AgentSaid, str]] = []
    cut: dict[int, str] = {}
    for event in events:
        if isinstance(event, AgentSaid):
            lines.append((event, event.text))
        elif isinstance(event, AgentCut):
            cut[event.line] = event.said
    return [(line, cut.get(line.seq, text)) for line, text in lines] if cut else lines
