"""Policies decide the agent's next move; `scripted` is the offline, deterministic default.

The scripted policy, on each caller turn: if it is waiting for a variable, it reads the answer
by the variable's type; otherwise it matches triggers, reads any needed variable already in the
utterance, asks for the first one still missing (its `ask:` line), runs the action once it has
everything, and says the fallback line when nothing matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from callsim.trace.events import SlotAsked, SlotUnreadable

if TYPE_CHECKING:
    from callsim.engine.session import CallSession


class Policy(Protocol):
    """The plug-in point for what decides the agent's moves."""

    async def on_call_start(self, call: CallSession) -> None: ...

    async def on_caller_turn(self, call: CallSession, text: str) -> None: ...

    async def on_call_end(self, call: CallSession) -> None: ...

    async def on_message_reply(self, call: CallSession, action: str) -> None:
        """A reply came in to the message `action` sent (its text is already saved)."""

    async def on_dtmf(self, call: CallSession, digits: str) -> None:
        """The caller pressed keys (already in the `dtmf` variable)."""

    async def on_prompt(self, call: CallSession, text: str) -> None:
        """The phone menu the agent called said something (an outbound call's other end)."""

    async def request_action(self, call: CallSession, action: str, reason: str) -> None:
        """Run `action` as soon as its `needs:` are met (asking the caller for what is missing)."""

    def offer_choice(self, call: CallSession, action: str, variable: str, read: Callable[[str], Any]) -> None:
        """Read the caller's next turn with `read` into `variable` (a pick among offered times), then run `action`."""


@dataclass
class _Pending:
    action: str
    reason: str
    variable: str
    attempt: int
    read: Callable[[str], Any] | None = None
    """Reads a choice among what an action offered, instead of reading the variable by its type."""


class ScriptedPolicy:
    """Triggers, slot filling and fallbacks, with no language model: the same input gives the same call."""

    def __init__(self) -> None:
        self.pending: _Pending | None = None
        self.queue: list[tuple[str, str]] = []
        self._if_was: dict[str, bool] = {}

    async def on_call_start(self, call: CallSession) -> None:
        for match in call.triggers.lifecycle("call_start", call.context()):
            call.fired(match)
            await self.request_action(call, match.action, "call_start")

    async def on_call_end(self, call: CallSession) -> None:
        self.pending, self.queue = None, []
        matches = call.triggers.lifecycle("call_end", call.context())
        # evaluations judge the finished call, so they run after every other post-call action
        for match in sorted(matches, key=lambda m: call.project.actions[m.action].type == "evaluate"):
            call.fired(match)
            if call.missing_needs(match.action):
                continue  # nobody to ask any more; the action cannot run
            await call.run_action(match.action, "call_end")

    async def on_message_reply(self, call: CallSession, action: str) -> None:
        for match in call.triggers.lifecycle("message_reply", call.context()):
            call.fired(match)
            await self.request_action(call, match.action, f"reply to {action}")

    async def on_dtmf(self, call: CallSession, digits: str) -> None:
        """Keys answer the variable being asked for (a PIN, an account number); else they fire `on: dtmf` actions."""
        said_before = call.spoken_lines
        if self.pending is not None:
            await self._answer(call, digits.rstrip("#"), switching=False)
            return
        matches = call.triggers.lifecycle("dtmf", call.context())
        for match in matches:
            call.fired(match)
            await self.request_action(call, match.action, f"keys {digits}")
        if not matches and call.spoken_lines == said_before and not call.ended:
            await call.say(call.agent.fallback, "fallback")

    async def on_prompt(self, call: CallSession, text: str) -> None:
        """A phone menu's prompt fires actions like a caller turn, but the agent never talks back to a menu."""
        matches = call.triggers.match_turn(text, call.context())
        if matches:
            call.fired(matches[0])
            await self.request_action(call, matches[0].action, f"menu prompt {call.turn}")
        await self._turn_conditions(call)

    async def on_caller_turn(self, call: CallSession, text: str) -> None:
        said_before = call.spoken_lines
        matches = call.triggers.match_turn(text, call.context())
        took_answer = self.pending is not None and await self._answer(call, text, switching=bool(matches))
        if self.pending is None and matches and not took_answer:
            best = matches[0]
            call.fired(best)
            await self.request_action(call, best.action, f"caller turn {call.turn}")
        await self._turn_conditions(call)
        if call.spoken_lines == said_before and not call.ended:
            await call.say(call.agent.fallback, "fallback")

    async def request_action(self, call: CallSession, action: str, reason: str) -> None:
        if self.pending is not None:
            self.queue.append((action, reason))
            return
        missing = call.missing_needs(action)
        for variable in missing:
            value = call.read(variable, call.last_utterance) if call.last_utterance else None
            if value is not None:
                call.variables.set(variable, value, "caller", call.turn)
        missing = call.missing_needs(action)
        if missing:
            self.pending = _Pending(action, reason, missing[0], 1)
            await self._ask(call)
            return
        await call.run_action(action, reason)
        await self._next_queued(call)

    async def _answer(self, call: CallSession, text: str, switching: bool) -> bool:
        """Read the pending variable from this turn; True when the turn was taken as the answer."""
        pending = self.pending
        assert pending is not None
        value = pending.read(text) if pending.read is not None else call.read(pending.variable, text)
        if value is not None:
            call.variables.set(pending.variable, value, "caller", call.turn)
            self.pending = None
            await self.request_action(call, pending.action, pending.reason)
            return True
        spec = call.agent.variables[pending.variable]
        expected = "a choice among the offered times" if pending.read is not None else spec.type
        call.emit(SlotUnreadable(variable=pending.variable, expected=expected, text=text))
        if switching:
            self.pending = None  # the caller changed the subject; the new request wins
            self.queue.clear()
            return False
        if pending.attempt >= call.agent.max_asks:
            self.pending = None
            self.queue.clear()
            await call.say(call.agent.fallback, "fallback")
            return True
        pending.attempt += 1
        await self._ask(call)
        return True

    def offer_choice(self, call: CallSession, action: str, variable: str, read: Callable[[str], Any]) -> None:
        self.pending = _Pending(action, f"choice offered by {action}", variable, 1, read)
        call.emit(SlotAsked(variable=variable, action=action, attempt=1))

    async def _ask(self, call: CallSession) -> None:
        pending = self.pending
        assert pending is not None
        call.emit(SlotAsked(variable=pending.variable, action=pending.action, attempt=pending.attempt))
        ask = call.agent.variables[pending.variable].ask or f"What is your {pending.variable.replace('_', ' ')}?"
        await call.say_template(ask, "ask", f"variables.{pending.variable}.ask")

    async def _next_queued(self, call: CallSession) -> None:
        while self.queue and self.pending is None:
            action, reason = self.queue.pop(0)
            await self.request_action(call, action, reason)

    async def _turn_conditions(self, call: CallSession) -> None:
        """`on: turn` actions: every turn, or, with only an `if:`, each time the condition becomes true."""
        context = call.context()
        for item in call.triggers.compiled:
            if item.on != "turn" or item.lexical or item.after is not None:
                continue
            holds = item.condition(context) if item.condition is not None else True
            was = self._if_was.get(item.action, False)
            self._if_was[item.action] = holds
            if holds and (item.condition is None or not was):
                call.fired(item.event_match("turn"))
                if call.project.actions[item.action].runs_while_waiting and not call.missing_needs(item.action):
                    await call.run_action(item.action, f"caller turn {call.turn}")
                else:
                    await self.request_action(call, item.action, f"caller turn {call.turn}")
