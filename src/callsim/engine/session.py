"""One call: its lifecycle, its variables, the actions it runs and the trace it leaves.

The session owns state and the primitives (say, set a variable, run an action); the policy
decides which primitive to use when the caller speaks. Every wait goes through the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from callsim.actions import RUNNERS, ActionContext, ActionError
from callsim.actions.base import Backends, Interrupted, speaking_time
from callsim.actions.replies import AwaitedReplies
from callsim.backends.telephony import dtmf_duration
from callsim.engine.call_report import send_webhook
from callsim.engine.clock import Callback, Clock, Timer
from callsim.engine.interrupts import Interrupts
from callsim.engine.negation import chosen_among
from callsim.engine.policy import Policy, ScriptedPolicy
from callsim.engine.triggers import TriggerIndex, TriggerMatch
from callsim.engine.variables import Secrets, Value, Variables
from callsim.errors import CallError, MissingVariable, SetupError, TemplateError
from callsim.readers import ReadContext, read_value
from callsim.readers.base import Hours
from callsim.readers.corrections import Reading, in_month_of, merge_moment, merge_name, read_corrected
from callsim.readers.format import spoken_time, written_date, written_moment, written_span
from callsim.readers.utterance import cued_answer, without_leading
from callsim.readers.when import Span
from callsim.templates import render_json, render_text
from callsim.templates.hours import opening_hours
from callsim.templates.values import Readable
from callsim.trace.events import (ActionAbandoned, ActionFailed, ActionFinished, ActionOffered, ActionStarted,
                                  AgentSaid, CallEnded, CallerSaid, CallStarted, CallState, Corrected, EngineError,
                                  EnumByMeaning, Event, FallbackTaken, MeaningUnmatched, TriggerMatched,
                                  TriggerOverruled, TriggerSuppressed, VariableSet, Waited)
from callsim.trace.events import MessageReceived
from callsim.trace.events import DtmfReceived, IvrSaid
from callsim.trace.trace import Trace
from callsim.voice.heard import HeardTurn, without_words

if TYPE_CHECKING:
    from callsim.config.actions import Fallback
    from callsim.config.agent import TypedValue
    from callsim.config.project import Project

MAX_CHAIN = 8  # then:/after: chains deeper than this are a loop in the user's configuration

STATES = ("ringing", "connected", "on_hold", "transferring", "ended")
MOMENTS = ("datetime", "when")
"""Types whose corrections may change only the day or only the time ("wednesday at nine, no, at eleven")."""


def trigger_index(project: Project) -> TriggerIndex:
    """An agent's compiled triggers. Matching by meaning (callsim.engine.semantic, with its model's libraries, the
    standard library's logging and importlib.metadata) loads only for an agent whose `semantic:` setting is on."""
    if project.agent.semantic.enabled:
        from callsim.engine import semantic

        return semantic.trigger_index(project)
    return TriggerIndex.build(project.actions, project.agent.actions)


@dataclass
class CallSetup:
    """What the outside world says about a call before it connects."""

    caller_number: str = "+14155550100"
    caller_name: str | None = None
    direction: str = "inbound"
    start_data: Mapping[str, Any] = field(default_factory=dict)
    preconnect: Mapping[str, Any] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    seed: int = 0
    persona: dict[str, Any] | None = None
    """The simulated caller's details (scenario side: turns may use them, the agent never sees them)."""


class CallSession:
    """A live call of one agent, driven turn by turn."""

    def __init__(self, project: Project, *, clock: Clock, backends: Backends, trace: Trace,
                 setup: CallSetup | None = None, policy: Policy | None = None,
                 triggers: TriggerIndex | None = None, environ: Mapping[str, str] = os.environ) -> None:
        self.project = project
        self.agent = project.agent
        self.clock = clock
        self.backends = backends
        self._open_hours = _open_hours(backends, self.agent)
        self.trace = trace
        self.setup = setup or CallSetup()
        self.policy = policy or ScriptedPolicy()
        self.triggers = triggers or trigger_index(project)
        self.state = "ringing"
        self.turn = 0
        self.last_utterance = ""
        self.trigger_spans: tuple[tuple[int, int], ...] = ()
        """Where in the current caller turn (character offsets) words fired a trigger, or would have but for a
        negation: a request's words are no name ("book an appointment" is no "Book")."""
        self.ended_by: str | None = None
        self.spoken_lines = 0
        self.last_line = ""
        """What the agent said last (a caller may ask to hear it again)."""
        self._reading: ReadContext | None = None
        self._reading_at = -1.0
        self.may_fire_actions = True
        """Whether the current caller turn may start actions through triggers (see `caller_says`)."""
        self.heard: HeardTurn | None = None
        """How speech-to-text heard the current caller turn, when it was heard (see `read_as`)."""
        trace.clock = clock.elapsed
        trace.value_types = project.value_types
        trace.fill_in = self.fill_in
        self.variables = Variables(Secrets(self.setup.secrets, trace.redact, environ, project.secret_names),
                                   self._on_set)
        self._chain = 0
        self._post_call_due = False
        self.awaited_replies = AwaitedReplies()
        """Messages sent in this call that wait for a reply (see `message_received`)."""
        self.call_id = f"call-{random.Random(self.setup.seed).getrandbits(48):012x}"
        self.interrupts = Interrupts(self)
        """The caller hanging up at a set moment or talking over the agent (see `callsim.engine.interrupts`)."""
        self._timers: list[Timer] = []

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.state == "ended"

    async def start(self) -> None:
        """Connect the call: set the call fields and the data sent before it, greet, fire `call_start`."""
        agent, setup = self.agent, self.setup
        caller, callee = setup.caller_number, agent.number
        if setup.direction == "outbound":  # the agent placed the call; the scenario's caller is who it called
            caller, callee = callee, caller
        self.emit(CallStarted(call_id=self.call_id, from_=caller, to=callee, direction=setup.direction,
                              agent=agent.agent))
        fields = {"call.id": self.call_id, "call.from": caller, "call.to": callee,
                  "call.direction": setup.direction, "call.started_at": self.clock.now().isoformat(),
                  "agent.name": agent.agent, "agent.number": agent.number, "agent.timezone": agent.timezone}
        if setup.caller_name:
            fields["call.caller_name"] = setup.caller_name
        for name, value in fields.items():
            self.variables.set(name, value, "call")
        for source, data in (("start_data", setup.start_data), ("preconnect", setup.preconnect)):
            for name, value in data.items():
                self.variables.set(name, value, source)
        self._set_state("connected")
        async with self.interrupts:
            await self.guarded(self._greet())

    async def _greet(self) -> None:
        await self.say_template(self.agent.greeting, "greeting", where="agent greeting")
        await self.policy.on_call_start(self)

    async def caller_says(self, text: str, *, may_fire_actions: bool = True, heard: HeardTurn | None = None) -> None:
        """The caller speaks one turn; `may_fire_actions=False` for a heard turn too short to trust with
        starting an action (it may still answer the agent's question); `heard` says how speech-to-text heard
        it, so that a value it was unsure of is not read (see `callsim.voice.heard`)."""
        if self.ended:
            raise CallError("the call has ended; the caller cannot speak")
        if not self._turn_may_start():
            return
        self.turn += 1
        turn = self.turn
        self.last_utterance = text
        self.may_fire_actions = may_fire_actions
        self.heard = heard
        self.emit(CallerSaid(text=text, turn=self.turn))
        try:
            async with self.interrupts:
                await self.clock.sleep(speaking_time(text))
                self.interrupts.input_ended()
                await self.guarded(self.policy.on_caller_turn(self, text))
        finally:
            if self.turn == turn:  # it heard this turn, not a later SMS reply
                self.heard = None

    async def caller_presses(self, digits: str) -> None:
        """The caller presses keys (`w`/`W` pause): the keys, without pauses, go to the `dtmf` variable."""
        if self.ended:
            raise CallError("the call has ended; the caller cannot press keys")
        if not self._turn_may_start():
            return
        self.turn += 1
        self.emit(DtmfReceived(digits=digits, turn=self.turn))
        async with self.interrupts:
            await self.clock.sleep(dtmf_duration(digits))
            self.interrupts.input_ended()
            self.variables.set("dtmf", digits.replace("w", "").replace("W", ""), "caller", self.turn)
            await self.guarded(self.policy.on_dtmf(self, self.variables.get("dtmf")))

    async def hears_prompt(self, text: str, node: str, attempt: int = 1) -> None:
        """The phone menu at the other end of an outbound call speaks; the agent hears it like a caller turn."""
        if self.ended:
            return
        self.turn += 1
        self.last_utterance = text
        self.emit(IvrSaid(text=text, node=node, turn=self.turn, attempt=attempt))
        async with self.interrupts:
            await self.clock.sleep(speaking_time(text))
            await self.guarded(self.policy.on_prompt(self, text))

    async def wait(self, seconds: float) -> None:
        """Let virtual (or real) time pass with nobody speaking."""
        self.emit(Waited(seconds=seconds))
        async with self.interrupts:
            self.interrupts.input_ended()
            await self.clock.sleep(seconds)

    async def hangup(self, by: str = "caller", reason: str = "hangup") -> None:
        """End the call and run the post-call (`call_end`) actions."""
        if self.ended:
            return
        self._end(by, reason)
        if self._chain:  # an action ended the call (a bridged transfer): post-call actions wait until it finished
            self._post_call_due = True
            return
        await self._after_call()

    async def _after_call(self) -> None:
        """What happens once the call is over: the post-call actions (evaluations last), then the webhook."""
        await self.guarded(self.policy.on_call_end(self))
        await self.guarded(send_webhook(self))

    def hang_up_later(self, *, at: float | None = None, after: float | None = None) -> None:
        """The caller will hang up at call time `at` (seconds), or `after` seconds after they finish their
        next input (stop speaking, press the last key, send a reply, begin to wait): whatever the call is
        doing then stops (a line is cut, a running action is abandoned) and post-call actions run."""
        try:
            self.interrupts.hang_up_later(at=at, after=after)
        except CallError as problem:
            self._stopped_by(problem)

    def barge_in(self, after: float) -> None:
        """The caller's next turn will start `after` seconds into the agent's next reply, talking over it:
        the line being said is cut at the word reached and the rest of the reply is dropped."""
        self.interrupts.barge_in(after)

    async def caller_hangs_up(self, *, stop: bool) -> None:
        """The scheduled hang-up falls due; with `stop`, what the call is doing stops where it stands."""
        if self.ended:
            return
        if not stop:
            await self.hangup("caller", "hangup")
            return
        self._end("caller", "hangup")
        self._post_call_due = True
        raise Interrupted("hangup")

    async def after_interruption(self) -> None:
        """The input step an interruption stopped has unwound: after a hang-up, post-call actions run now."""
        if self._post_call_due and not self._chain:
            self._post_call_due = False
            await self._after_call()

    def schedule(self, delay: float, callback: Callback, *, after_end: bool = False) -> Timer:
        """Do something later in this call (a timeout, a reply arriving); a CallError in it ends the call.

        Work still due when the call ends is dropped unless `after_end` (e.g. a post-call text).
        """

        async def run() -> None:
            if not self.ended or after_end:
                await self.guarded(callback())

        timer = self.clock.schedule(delay, run)
        if not after_end:  # cancelled when the call ends (see _end); prune the ones already due now and then
            if len(self._timers) > 32:
                now = self.clock.elapsed()
                self._timers = [t for t in self._timers if t.at > now and not t.cancelled]
            self._timers.append(timer)
        return timer

    async def guarded(self, step: Any) -> None:
        """Run a step; a CallError (e.g. an unmatched HTTP request) ends the call with an error event."""
        try:
            await step
        except CallError as problem:
            self._stopped_by(problem)

    def _turn_may_start(self) -> bool:
        """False (and the call stopped) when this caller turn was to barge in and found nothing to talk over."""
        try:
            self.interrupts.caller_turn_starts(self.turn + 1)
        except CallError as problem:
            self._stopped_by(problem)
            return False
        return True

    def _stopped_by(self, problem: CallError) -> None:
        setup = True if isinstance(problem, SetupError) else None  # the scenario (or the person) must supply it
        self.emit(EngineError(message=str(problem), kind="call", setup=setup))
        if not self.ended:
            self._end("system", "error")

    # -- primitives the policy uses ---------------------------------------------------------------

    def emit(self, event: Event) -> Event:
        return self.trace.emit(event)

    def context(self) -> dict[str, Any]:
        return self.variables.context()

    async def say(self, text: str, reason: str, action: str | None = None) -> None:
        """The agent speaks a line (after the call ended, lines are not spoken)."""
        if self.ended or not text:
            return
        self.spoken_lines += 1
        self.last_line = text
        line = AgentSaid(text=text, reason=reason, action=action)
        self.emit(line)
        await self.interrupts.speak(line, speaking_time(text))

    def line_of(self, action: str) -> str | None:
        """The last line `action` had the agent say (an offer of times, to say again), or None."""
        return next((event.text for event in reversed(self.trace.events)
                     if isinstance(event, AgentSaid) and event.action == action), None)

    async def say_template(self, source: str, reason: str, where: str, action: str | None = None,
                           extra: Mapping[str, Any] | None = None) -> None:
        """Say a line with its placeholders filled from the variables (and `extra` values, e.g. `correction`)."""
        try:
            text = render_text(source, {**self.context(), **extra} if extra else self.context(), where)
        except TemplateError as problem:
            self.emit(EngineError(message=str(problem), kind="template"))
            text = self.agent.fallback
        await self.say(text, reason, action)

    def read(self, variable: str, text: str) -> Reading | None:
        """Read a declared variable's value from what the caller said, by its type; None when absent."""
        return self.read_as(self.agent.variables[variable], text)

    def read_as(self, spec: TypedValue, text: str) -> Reading | None:
        """Read a value of `spec`'s type; when the caller corrected themselves ("nine, no sorry, eleven")
        the later value wins and the reading says what it replaced.

        In a heard turn, a value speech-to-text was unsure of is not read, so the caller is asked again rather
        than a misheard name, date or number kept: one its other likely wordings do not give ("$15" heard,
        "$50" nearly as likely), or one read from a word it only guessed (see `callsim.voice.heard`)."""
        reading = self._read_as(spec, text)
        if reading is None or self.heard is None:
            return reading

        def value(said: str) -> Any:
            found = self._read_as(spec, said)
            return None if found is None else found.value

        return reading if self.heard.trusts(text, reading.value, value) else None

    def _read_as(self, spec: TypedValue, text: str) -> Reading | None:
        ctx = self.reading_context()

        def read(part: str) -> Any:
            found = read_value(spec.type, part, ctx, length=spec.length, values=spec.values, pattern=spec.pattern,
                               direction=spec.direction)
            value = None if found is None or found.value == "" else found.value
            return chosen_among(part, spec.values, value) if spec.type == "enum" else value

        merge = merge_moment(ctx) if spec.type in (*MOMENTS, "date") else merge_name if spec.type == "name" else None
        reading = read_corrected(text, spec.type, read, merge)
        if reading is None:
            return None
        if spec.type == "date" and reading.replaced is None and (earlier := self._date_held(spec)) is not None:
            reading.value = in_month_of(earlier, reading.value, text, ctx)
        today = ctx.now.astimezone(ZoneInfo(ctx.timezone)).date()
        return Reading(_plain(reading.value, today), _plain(reading.replaced, today), reading.marker)

    def _date_held(self, spec: TypedValue) -> dt.date | None:
        """The date a declared `date` variable holds now, which a day of the month said alone goes with."""
        name = next((name for name, declared in self.agent.variables.items() if declared is spec), None)
        held = self.variables.get(name) if name is not None else None
        try:
            return dt.date.fromisoformat(str(held)) if held is not None else None
        except ValueError:
            return None

    def read_answer(self, variable: str, text: str) -> Reading | None:
        """Read the caller's answer to the agent's question for `variable`: by its type, and for an enum whose
        values' words were not said, by meaning ("a big one" -> large) when the agent matches by meaning. Free
        text starts at its first word of substance: "sorry, mushrooms and onions" is "mushrooms and onions",
        "it's 12 Maple Street" is "12 Maple Street"."""
        spec = self.agent.variables[variable]
        if spec.type == "text" and spec.cues:
            text = cued_answer(text, spec.cues)  # "77 juniper lane, and we have lots of trees out back"
        reading = self.read(variable, text)
        if reading is not None and spec.type == "text" and spec.pattern is None:
            answer = without_leading(str(reading.value))
            return Reading(answer, reading.replaced, reading.marker) if answer else None
        if reading is not None or spec.type != "enum":
            return reading
        if self.heard is not None and without_words(text, self.heard.guessed()) != text:
            return None  # a guessed word could sway the meaning; ask again
        return self.enum_by_meaning(variable, spec.values, text)

    def enum_by_meaning(self, name: str, values: list[str], text: str) -> Reading | None:
        """Which of an enum's `values` `text` means, when the agent matches by meaning (recorded either way);
        None when it does not, or when no value is clearly meant."""
        semantic = self.triggers.semantic
        if semantic is None:
            return None
        verdict = semantic.read_enum(text, values)
        value = verdict.best.name if verdict.fires and verdict.best is not None else None
        self.emit(EnumByMeaning(variable=name, value=value, why=verdict.why))
        return None if value is None else Reading(value)

    def reading_context(self) -> ReadContext:
        """What readers need to know of the call now: the clock, the agent's zone and region, and the
        opening hours (the calendar's, else the agent's `hours`) a time without AM or PM is read in."""
        elapsed = self.clock.elapsed()
        if self._reading_at != elapsed:
            self._reading = ReadContext(now=self.clock.now(), timezone=self.agent.timezone, region=self.agent.region,
                                        hours=self._open_hours)
            self._reading_at = elapsed
        return self._reading  # type: ignore[return-value]

    def hear(self, variable: str, reading: Reading, source: str = "caller") -> None:
        """Set a variable to what the caller said, recording each correction: one made within the
        sentence, and a new value replacing one said before."""
        before = self.variables.entry(variable)
        if reading.replaced is not None:
            self.emit(Corrected(variable=variable, old=reading.replaced, new=reading.value, marker=reading.marker,
                                turn=self.turn))
        if before is not None and before.value is not None and before.value != reading.value:
            self.emit(Corrected(variable=variable, old=before.value, new=reading.value, turn=self.turn,
                                marker=reading.marker if reading.replaced is None else "", earlier_turn=before.turn))
        self.variables.set(variable, reading.value, source, self.turn)

    def missing_needs(self, action: str) -> list[str]:
        return [need for need in self.project.actions[action].needs if need not in self.variables]

    def fired(self, match: TriggerMatch) -> None:
        if match.by == "semantic":
            self.emit(TriggerMatched(action=match.action, by=match.by, detail=match.detail, score=match.score,
                                     runner_up=match.runner_up or None, why=match.why))
            return
        self.emit(TriggerMatched(action=match.action, by=match.by, detail=match.detail,
                                 score=round(match.score, 1) if match.score < 100 else None, why=match.why or None))

    def suppressed(self, matches: list[TriggerMatch]) -> None:
        """Record the trigger matches a negation kept from firing."""
        for match in matches:
            self.emit(TriggerSuppressed(action=match.action, by=match.by, detail=match.detail,
                                        negation=match.negated or ""))

    def overruled(self, matches: list[TriggerMatch], unmatched: TriggerMatch | None = None) -> None:
        """Record the lexical matches meaning overruled (a lone keyword), and the action meaning came nearest when
        nothing fired, so a test that expected one explains itself."""
        for match in matches:
            self.emit(TriggerOverruled(action=match.action, by=match.by, detail=match.detail, why=match.why))
        if unmatched is not None:
            self.emit(MeaningUnmatched(action=unmatched.action, detail=unmatched.detail, score=unmatched.score,
                                       runner_up=unmatched.runner_up or None, why=unmatched.why))

    async def run_action(self, name: str, reason: str) -> bool:
        """Run one action through its type's runner; record it; apply `say`, `on_error` and `after:`."""
        action = self.project.actions[name]
        if self._chain >= MAX_CHAIN:
            self.emit(EngineError(message=f"action {name} not run: then/after chain deeper than {MAX_CHAIN} "
                                          "(do two actions trigger each other?)", kind="config"))
            return False
        self._chain += 1
        try:
            done = await self._run(name, action, reason)
        finally:
            self._chain -= 1
        if not self._chain and self._post_call_due:
            self._post_call_due = False
            await self._after_call()
        return done

    async def _run(self, name: str, action: Any, reason: str) -> bool:
        self.emit(ActionStarted(action=name, action_type=action.type, reason=reason))
        started = self.clock.elapsed()
        ctx = ActionContext(name=name, clock=self.clock, backends=self.backends, emit=self.emit,
                            variables=self.context(), call=self)
        try:
            produced = await RUNNERS[action.type](action, ctx)
            for var, value in produced.items():
                self.variables.set(var, value, f"action:{name}", self.turn)
            say, field = (action.say, "say") if ctx.offered is None else (ctx.offered.line, "offer")
            context = self.context() if ctx.line_values is None else {**self.context(), **ctx.line_values}
            line = render_text(say, context, f"action {name}, field {field}") if say and not action.speaks_first else None
        except Interrupted as stop:  # the caller hung up or talked over the action's line: no fallback
            self.emit(ActionAbandoned(action=name, reason=stop.reason,
                                      duration=round(self.clock.elapsed() - started, 3)))
            raise
        except (ActionError, TemplateError) as failure:
            kind = failure.kind if isinstance(failure, ActionError) else (
                "missing_variable" if isinstance(failure, MissingVariable) else "unsafe_value")
            status = failure.status if isinstance(failure, ActionError) else None
            live = failure.live if isinstance(failure, ActionError) and failure.live else None
            self.emit(ActionFailed(action=name, error=str(failure), kind=kind,
                                   duration=round(self.clock.elapsed() - started, 3), status=status, live=live))
            self.variables.set("error.kind", kind, f"action:{name}", self.turn)
            branch, fallback = action.fallback_for(kind, status)
            if fallback is None:
                await self.say(self.agent.fallback, "error", name)
            else:
                await self.take_fallback(name, fallback, branch)
            return False
        duration = round(self.clock.elapsed() - started, 3)
        if ctx.offered is not None:  # it only offered: not finished, and what runs after it waits for the pick
            self.emit(ActionOffered(action=name, choices=ctx.offered.choices, duration=duration))
            if line:
                await self.say(line, "action", name)
            return False
        self.emit(ActionFinished(action=name, duration=duration))
        if line:
            await self.say(line, "action", name)
        for match in self.triggers.after(name, self.context()):
            self.fired(match)
            await self.policy.request_action(self, match.action, f"after {name}")
        return True

    async def take_fallback(self, action: str, fallback: Fallback | None, reason: str) -> None:
        """Say a fallback's line, then run its `then:` action (`on_error`, `on_no_answer`, ...)."""
        if fallback is None:
            return
        self.emit(FallbackTaken(action=action, branch=reason))
        if fallback.say:
            await self.say_template(fallback.say, reason, f"action {action}, field {reason}.say", action)
        if fallback.then:
            await self.policy.request_action(self, fallback.then, f"{reason} of {action}")

    async def reply(self, body: str, channel: str | None = None, number: str | None = None) -> None:
        """The caller answers a text now (typed in the simulator, sent by a test, a scenario's `reply:` turn).

        By default the reply comes from whoever got the oldest message still waiting for one (on `channel`
        when given), on its channel; with nothing waiting, in the thread of the agent's latest text (on
        `channel`), as a person answers the message they are looking at; with no text either, from the
        caller's number by SMS (or on `channel`).
        """
        waiting = self.awaited_replies.next(channel, number)
        if waiting is not None:
            channel, number = waiting.channel, waiting.number
        else:
            latest = next((e for e in reversed(self.trace.events) if e.type == "message_sent" and not e.after_call
                           and channel in (None, e.channel) and number in (None, e.to)), None)
            if latest is not None:
                channel, number = latest.channel, latest.to
        self.interrupts.input_ended()
        await self.message_received(channel or "sms", number or self.setup.caller_number, body)

    async def message_received(self, channel: str, number: str, body: str) -> None:
        """A text came in: record it; when it answers a message awaiting a reply, save it (`save_reply`)
        and fire the `on: message_reply` actions."""
        if self.ended:
            raise CallError("the call has ended; a reply can no longer reach it")
        async with self.interrupts:
            await self._message_received(channel, number, body)

    async def _message_received(self, channel: str, number: str, body: str) -> None:
        wait, late = self.awaited_replies.answer(channel, number)
        received = self.backends.messaging.receive(channel, number, body)
        self.emit(MessageReceived(id=received.id, channel=channel, from_=number, body=body,
                                  action=wait.action if wait else None, late_for=late.action if late else None))
        if wait is None:
            return
        source = f"reply:{wait.action}"
        self.variables.set("reply", {"body": body, "channel": channel, "from": number, "action": wait.action},
                           source, self.turn)
        if wait.save_reply:
            self.variables.set(wait.save_reply, body, source, self.turn)
        await self.guarded(self.policy.on_message_reply(self, wait.action))

    def fill_in(self, data: Any) -> Any:
        """A test's own data (an expectation's values) with its placeholders filled in, the persona's
        details (`{{ caller.name }}`) and secrets (`{{ secrets.TOKEN }}`), then redacted as the trace is:
        a secret in an expectation compares with the value actually sent and is never shown."""
        if "{{" in json.dumps(data, default=str):
            data = render_json(data, {"caller": self.setup.persona or {}, "secrets": self.context()["secrets"]},
                               "expectation")
        return self.trace.redact(data)

    def set_variable(self, name: str, value: Any, source: str) -> None:
        self.variables.set(name, value, source, self.turn)

    def unset_variable(self, name: str, source: str) -> None:
        self.variables.unset(name, source, self.turn)

    def offer_choice(self, action: str, variable: str, read: Callable[[str], Any]) -> None:
        """The caller's next turn picks among what `action` offered (see `Policy.offer_choice`);
        only for a variable the agent can ask for again when the answer cannot be read."""
        spec = self.agent.variables.get(variable)
        if spec is not None and spec.ask and not self.ended:
            self.policy.offer_choice(self, action, variable, read)

    def set_state(self, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown call state {state!r}")
        self._set_state(state)

    # -- internals ---------------------------------------------------------------------------------

    def _on_set(self, name: str, entry: Value) -> None:
        self.emit(VariableSet(name=name, value=entry.value, source=entry.source, turn=entry.turn))

    def _set_state(self, state: str) -> None:
        self.state = state
        self.emit(CallState(state=state))

    def _end(self, by: str, reason: str) -> None:
        """The call is over: record who ended it and why, and cancel every callback still due in it."""
        self.ended_by = by
        self._set_state("ended")
        self.emit(CallEnded(by=by, reason=reason))
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()


def _open_hours(backends: Backends, agent: Any) -> Hours | None:
    """When the call's business is open: the calendar's opening hours, else the agent's `hours`."""
    calendar = backends.calendar
    if calendar is not None and calendar.hours is not None:
        return calendar.opening
    if agent.hours:
        weekly, zone = opening_hours(agent.hours), ZoneInfo(agent.timezone)
        return lambda day: weekly.on(day, zone)
    return None


def _plain(value: Any, today: dt.date) -> Any:
    """A value as variables hold it: dates, times and spans as ISO 8601 text that knows how a person writes
    it ("16:00:00" said "4 PM"; see README "Dates and times in what people read")."""
    if isinstance(value, dt.datetime):
        return Readable(value.isoformat(), written_moment(value, today))
    if isinstance(value, dt.date):
        return Readable(value.isoformat(), written_date(value, today))
    if isinstance(value, dt.time):
        return Readable(value.isoformat(), spoken_time(value))
    if isinstance(value, Span):
        return Readable(value.isoformat(), written_span(value.start, value.end, today))
    return value.isoformat() if hasattr(value, "isoformat") else value
