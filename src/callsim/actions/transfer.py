"""The `transfer` action: hand the caller to a person, warm (briefed first) or cold, and leave the call.

The agent says its `say:` line, the caller goes on hold (with `hold_audio`), and the action dials:
a fixed destination, one rendered from a placeholder (checked now: an invalid one fails the
transfer), or the first phone-book target whose `if:` holds (`hunt: true` tries the next on busy or
no answer). Ringing, answering, the whisper and the decision of the recipient play on the call's
clock as the scenario's `phones:` say. A bridged transfer ends the agent's part of the call; any
other outcome takes its fallback (`on_busy`, `on_no_answer`, `on_declined`, `on_fail`, else
`on_error`) through the engine, with `transfer.outcome` already set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from callsim.actions.base import ActionContext, ActionError, Interrupted, speaking_time
from callsim.backends.telephony import SIGNALLING, Destination, DestinationError, Leg, parse_destination
from callsim.errors import MissingVariable, TemplateError
from callsim.readers.utterance import content_words
from callsim.templates import compile_condition, render_data, render_header, render_text
from callsim.templates.hours import condition_context
from callsim.templates.values import Readable
from callsim.trace.events import (AgentSaid, Answered, Bridged, Busy, CallerSaid, Declined, DialFailed, Dialing, Event,
                                  HoldStarted, HoldStopped, LegCancelled, NoAnswer, PhonebookChoice, Ringing,
                                  TriggerMatched, VariableSet, WhisperPlayed)

if TYPE_CHECKING:
    from callsim.config.actions import PhonebookEntry, TransferAction

HUNTS_ON = ("busy", "no_answer")
COLLECTED_BY = ("action:", "extract:")
"""Variable sources (besides the caller's answers) a summary lists as collected."""
"""Outcomes after which `hunt: true` tries the phone book's next target."""
NOT_COLLECTED = ("transfer.", "dtmf", "reply", "http.", "error.")
"""Variables a summary leaves out: the transfer's own, raw keys, raw text replies and how requests went."""


class NotPlaced(Exception):
    """The transfer cannot be placed (found before dialing): `kind` is the failure the engine records."""

    def __init__(self, kind: str, destination: str, reason: str) -> None:
        self.kind, self.destination, self.reason = kind, destination, reason
        super().__init__(reason)


@dataclass
class _Target:
    """A destination as written (a number, a URI, a placeholder) and where it came from."""

    source: str
    where: str


async def run(action: TransferAction, ctx: ActionContext) -> dict[str, Any]:
    """Place the transfer; return nothing (the `transfer.*` variables are set as soon as the outcome is known)."""
    call = ctx.call
    if action.say:
        await call.say_template(action.say, "action", ctx.where("say"), ctx.name)
    hunt = getattr(action.destination, "hunt", False)
    try:
        targets = _targets(action, ctx)
        briefing = _briefing(action, ctx)
        headers = _headers(action, ctx)
    except NotPlaced as problem:
        ctx.emit(DialFailed(action=ctx.name, destination=problem.destination, reason=problem.reason, mode=action.mode))
        _record(ctx, action, "failed", problem.destination, 0)
        raise ActionError(problem.kind, f"the transfer was not placed: {problem.reason}") from None
    call.set_state("transferring")
    hold_started = ctx.clock.elapsed()
    if action.hold_audio:
        ctx.emit(HoldStarted(action=ctx.name, audio=action.hold_audio))
    outcome, kind, destination, reason, attempts = "failed", "failed", "", "", 0
    for target in targets:
        attempts += 1
        try:
            dialed = _destination(target, ctx)
        except NotPlaced as problem:
            ctx.emit(DialFailed(action=ctx.name, destination=problem.destination, reason=problem.reason,
                                mode=action.mode))
            outcome, kind, destination, reason = "failed", problem.kind, problem.destination, problem.reason
            break
        destination = dialed.address
        try:
            outcome, reason = await _attempt(action, ctx, dialed, headers if dialed.kind == "sip" else {},
                                             briefing, attempts)
        except Interrupted:  # the caller hung up while it rang or the recipient was briefed: let go of everything
            _stop_hold(action, ctx, hold_started)
            _record(ctx, action, "abandoned", destination, attempts)
            raise
        kind = outcome
        if outcome in ("connected", "voicemail"):
            _stop_hold(action, ctx, hold_started)
            _record(ctx, action, outcome, destination, attempts)
            await call.hangup("agent", "transferred")
            return {}
        if not (hunt and outcome in HUNTS_ON):
            break
    _stop_hold(action, ctx, hold_started)
    call.set_state("connected")
    _record(ctx, action, outcome, destination, attempts)
    raise ActionError(kind, reason)


async def _attempt(action: TransferAction, ctx: ActionContext, destination: Destination, headers: dict[str, str],
                   briefing: tuple[str, bool] | None, attempt: int) -> tuple[str, str]:
    """Dial one destination and play what it does; (outcome, why) with outcome `connected` when bridged."""
    await ctx.backends.telephony.prepare(destination)
    leg = ctx.backends.telephony.dial(destination, sip_headers=headers)
    ids = {"action": ctx.name, "leg": leg.id, "destination": destination.address}
    ctx.emit(Dialing(**ids, mode=action.mode, attempt=attempt, sip_headers=headers))
    try:
        return await _play(action, ctx, leg, ids, briefing)
    except Interrupted:
        leg.move("cancelled")
        ctx.emit(LegCancelled(**ids, reason="the caller hung up before the transfer was bridged"))
        raise


async def _play(action: TransferAction, ctx: ActionContext, leg: Leg, ids: dict[str, str],
                briefing: tuple[str, bool] | None) -> tuple[str, str]:
    """Play a placed leg as its phone does: ringing, answering, the briefing, the recipient's decision."""
    destination = ids["destination"]
    await ctx.clock.sleep(SIGNALLING)
    if leg.state == "busy":
        ctx.emit(Busy(**ids, reason=leg.reason))
        return "busy", f"{destination} is busy ({leg.reason})"
    if leg.state == "failed":
        ctx.emit(DialFailed(**ids, reason=leg.reason, mode=action.mode))
        return "failed", f"the call to {destination} failed ({leg.reason})"
    ctx.emit(Ringing(**ids, ring_timeout=action.ring_timeout))
    if leg.answers_after is None or leg.answers_after > action.ring_timeout:
        await ctx.clock.sleep(action.ring_timeout)
        leg.move("no_answer")
        ctx.emit(NoAnswer(**ids, after=action.ring_timeout))
        return "no_answer", f"{destination} did not answer within {action.ring_timeout:g}s"
    await ctx.clock.sleep(leg.answers_after)
    leg.move("voicemail" if leg.voicemail else "answered")
    ctx.emit(Answered(**ids, by="voicemail" if leg.voicemail else "person", after=leg.answers_after))
    if leg.voicemail and briefing is not None:
        leg.move("ended")
        ctx.emit(NoAnswer(**ids, after=leg.answers_after, reason="voicemail answered; a warm transfer needs a person"))
        return "no_answer", f"{destination} went to voicemail"
    if briefing is not None:
        text, is_summary = briefing
        leg.heard.append(text)
        duration = speaking_time(text)
        ctx.emit(WhisperPlayed(**ids, text=text, summary_of_call=is_summary, duration=duration))
        await ctx.clock.sleep(duration)
    if leg.declines:
        await ctx.clock.sleep(leg.accepts_after)
        leg.move("declined")
        ctx.emit(Declined(**ids))
        return "declined", f"{destination} declined the transfer"
    await ctx.clock.sleep(leg.accepts_after)
    leg.move("bridged")
    ctx.emit(Bridged(**ids, mode=action.mode, to_voicemail=leg.voicemail))
    return ("voicemail" if leg.voicemail else "connected"), ""


def _targets(action: TransferAction, ctx: ActionContext) -> list[_Target]:
    """What to dial, in order: the destination, or the phone-book targets whose `if:` holds (first only unless hunting)."""
    if isinstance(action.destination, str):
        return [_Target(action.destination, ctx.where("destination"))]
    book = action.destination.phonebook
    entries: list[PhonebookEntry] = ctx.call.project.phonebooks[book]
    context = condition_context(ctx.variables, ctx.clock.now(), ctx.variables["agent"]["timezone"])
    now = context["now"]
    local_time = f"{now['weekday']} {now['date']} {now['time']} {ctx.variables['agent']['timezone']}"
    chosen = []
    for index, entry in enumerate(entries, 1):
        where = f"phone book {book}, target {index}"
        if entry.if_ is not None:
            try:
                holds = compile_condition(entry.if_)(context)
            except TemplateError as problem:
                raise NotPlaced("invalid_condition", entry.destination, f"{where}: {problem}") from None
            if not holds:
                continue
        chosen.append(_Target(entry.destination, where))
        ctx.emit(PhonebookChoice(action=ctx.name, phonebook=book, target=index, destination=entry.destination,
                                 condition=entry.if_ or "", local_time=local_time))
        if not action.destination.hunt:
            break
    return chosen


def _destination(target: _Target, ctx: ActionContext) -> Destination:
    """The target rendered (when it holds placeholders) and checked as E.164 or a SIP URI."""
    text = target.source
    if "{" in text:
        try:
            text = render_data(text, ctx.variables, target.where).strip()
        except MissingVariable as problem:
            raise NotPlaced("missing_variable", target.source, str(problem)) from None
        except TemplateError as problem:
            raise NotPlaced("invalid_destination", target.source, str(problem)) from None
    try:
        return parse_destination(text)
    except DestinationError as problem:
        rendered = f" ({target.source} gave {text!r})" if text != target.source else ""
        raise NotPlaced("invalid_destination", text, f"{target.where}{rendered}: {problem}") from None


def _briefing(action: TransferAction, ctx: ActionContext) -> tuple[str, bool] | None:
    """What a warm transfer's recipient hears (rendered before dialing, so a missing variable fails early)."""
    if action.mode != "warm":
        return None
    if action.summary:
        return call_summary(ctx.call.trace.events, ctx.variables), True
    try:
        return render_text(action.whisper or "", ctx.variables, ctx.where("whisper")), False
    except MissingVariable as problem:
        raise NotPlaced("missing_variable", _shown(action), str(problem)) from None
    except TemplateError as problem:
        raise NotPlaced("unsafe_value", _shown(action), str(problem)) from None


def _headers(action: TransferAction, ctx: ActionContext) -> dict[str, str]:
    """SIP header values, rendered as HTTP header values are: no value can end the header line or carry a
    control character."""
    headers = {}
    for name, source in action.sip_headers.items():
        where = ctx.where(f"sip_headers.{name}")
        try:
            value = render_header(source, ctx.variables, where)
        except MissingVariable as problem:
            raise NotPlaced("missing_variable", _shown(action), str(problem)) from None
        except TemplateError as problem:
            raise NotPlaced("unsafe_value", _shown(action), str(problem)) from None
        headers[name] = value
    return headers


def _shown(action: TransferAction) -> str:
    return action.destination if isinstance(action.destination, str) else f"phone book {action.destination.phonebook}"


def _stop_hold(action: TransferAction, ctx: ActionContext, started: float) -> None:
    if action.hold_audio:
        ctx.emit(HoldStopped(action=ctx.name, audio=action.hold_audio,
                             duration=round(ctx.clock.elapsed() - started, 3)))


def _record(ctx: ActionContext, action: TransferAction, outcome: str, destination: str, attempts: int) -> None:
    source = f"action:{ctx.name}"
    for name, value in (("transfer.outcome", outcome), ("transfer.destination", destination),
                        ("transfer.mode", action.mode), ("transfer.attempts", attempts)):
        ctx.call.set_variable(name, value, source)


def call_summary(events: list[Event], variables: dict[str, Any]) -> str:
    """A deterministic briefing: who calls, why they called (their first turn that says something, not
    an answer to a question) and what they asked for (their turns that fired an action), what was collected."""
    call = variables.get("call", {})
    who = call.get("caller_name") or call.get("from") or "an unknown number"
    if call.get("caller_name") and call.get("from"):
        who = f"{who} ({call['from']})"
    asked: list[str] = []
    why: str | None = None
    collected: dict[str, Any] = {}
    turn: str | None = None
    answering = False
    for event in events:
        if isinstance(event, AgentSaid):
            answering = event.reason == "ask"
        elif isinstance(event, CallerSaid):
            turn = event.text
            if why is None and not answering and len(content_words(turn)) >= 2:
                why = turn
        elif isinstance(event, TriggerMatched) and turn is not None:
            asked.append(turn)
            turn = None
        elif isinstance(event, VariableSet) and (event.source == "caller" or event.source.startswith(COLLECTED_BY)) \
                and not event.name.startswith(NOT_COLLECTED):
            collected[event.name] = event.value
    parts = [f"Call from {who}."]
    said = asked[-2:] if why is None or why in asked[-2:] else [why, *asked[-2:]]
    if said:
        parts.append("They asked: " + "; ".join(f'"{_short(text)}"' for text in said) + ".")
    if collected:
        parts.append("Collected: " + ", ".join(f"{name.replace('_', ' ').replace('.', ' ')} {_short(_plain(value))}"
                                               for name, value in collected.items()) + ".")
    return " ".join(parts)


def _plain(value: Any) -> str:
    """A collected value as the person the call goes to hears it (a time the caller gave as "4 PM")."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(_plain, value))
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    return value.said if isinstance(value, Readable) else str(value)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
