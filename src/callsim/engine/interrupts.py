"""The caller acting while the agent is busy: hanging up mid-action, or talking over the agent (barge-in).

Both are work on the call's clock. When it falls due it raises `Interrupted` out of whatever the
call is waiting on at that moment: the agent speaking a line (the line is cut at the word reached),
an action ringing, holding or waiting for a response (the action is abandoned). The frames that
were waiting unwind up to the input the call was handling (a caller turn, a wait), which stops
there, so nothing of the interrupted work keeps running. The same work falling due while the call
is between inputs (the simulator's clock running on its own) is handled at once instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from callsim.actions.base import WORDS_PER_SECOND, Interrupted
from callsim.engine.clock import Timer
from callsim.errors import CallError
from callsim.trace.events import AgentCut, AgentSaid

if TYPE_CHECKING:
    from callsim.engine.session import CallSession


@dataclass(slots=True)
class BargeIn:
    """The caller's next turn, armed to start `after` seconds into the agent's next reply."""

    after: float
    armed_at: int
    """How many inputs the call had handled when it was armed: the next one is the turn replied to."""
    reply_started: float | None = None
    """When the reply's first line began (the barge-in counts from there)."""
    reply_ended: float | None = None
    """When the reply's last line so far ended."""
    timer: Timer | None = None
    talking: bool = False
    """The caller has started talking (the agent yields at its next word)."""
    cut: bool = False
    """A line was cut: the barge-in happened."""


class Interrupts:
    """One call's scheduled hang-up and armed barge-in, and the input step they can stop.

    The session runs each input's work inside `async with call.interrupts:`, speaks every line
    through `speak`, and tells `input_ended` when the caller has finished an input.
    """

    def __init__(self, call: CallSession) -> None:
        self.call = call
        self.depth = 0
        """How many input steps are running (a reply that arrives during a wait runs inside it)."""
        self.inputs = 0
        """How many input steps the call has begun (the greeting, each turn, wait and reply)."""
        self.speaking: AgentSaid | None = None
        """The line the agent is saying right now."""
        self.barge: BargeIn | None = None
        self._hangup_after: float | None = None
        self._hangup: Timer | None = None

    # -- the input step ----------------------------------------------------------------------------

    async def __aenter__(self) -> None:
        if not self.depth:
            self.inputs += 1
        self.depth += 1

    async def __aexit__(self, kind: Any, error: Any, traceback: Any) -> bool:
        self.depth -= 1
        if not isinstance(error, Interrupted) or self.depth:
            return False  # not ours, or the step this one runs inside stops too
        await self.call.after_interruption()
        return True

    def input_ended(self) -> None:
        """The caller finished an input (stopped speaking, pressed the last key, sent a reply, began
        waiting): a hang-up set `after` it is scheduled from now."""
        if self._hangup_after is not None:
            self._hangup = self.call.schedule(self._hangup_after, self._hang_up)
            self._hangup_after = None

    # -- hanging up --------------------------------------------------------------------------------

    def hang_up_later(self, *, at: float | None = None, after: float | None = None) -> None:
        """The caller will hang up at call time `at`, or `after` seconds after their next input ends."""
        if at is not None:
            now = self.call.clock.elapsed()
            if at < now:
                raise CallError(f"the caller was to hang up at {at:g}s of the call, but the call is already at "
                                f"{now:g}s; give a later at:, or after: counted from the turn before the hang-up")
            self._hangup = self.call.schedule(at - now, self._hang_up)
        else:
            self._hangup_after = after

    @property
    def hangup_due(self) -> float | None:
        """The call time the scheduled hang-up falls due (None when none is, or it is still to be timed)."""
        timer = self._hangup
        return timer.at if timer is not None and not timer.cancelled else None

    async def _hang_up(self) -> None:
        self._hangup = None
        await self.call.caller_hangs_up(stop=self.depth > 0)

    # -- barge-in ----------------------------------------------------------------------------------

    def barge_in(self, after: float) -> None:
        """The caller's next turn starts `after` seconds into the agent's next reply (its first line)."""
        self.barge = BargeIn(after, self.inputs)

    def caller_turn_starts(self, turn: int) -> None:
        """A caller turn begins; when it was armed to barge in, it must have cut a line (CallError if not)."""
        barge = self.barge
        if barge is None or barge.armed_at == self.inputs:  # none, or this is the turn whose reply it cuts into
            return
        self.barge = None
        if barge.cut:
            return
        if barge.timer is not None:
            barge.timer.cancel()
        wanted = f"caller turn {turn} was to barge in {barge.after:g}s into the agent's reply, but "
        if barge.reply_started is None:
            raise CallError(wanted + "the agent said nothing after the turn before it; remove barge_in")
        length = round((barge.reply_ended or barge.reply_started) - barge.reply_started, 2)
        if barge.talking:
            raise CallError(wanted + f"the agent was busy with an action then, not speaking, and said nothing "
                                     f"after it; use a barge_in under {length:g}s, while a line is being said")
        raise CallError(wanted + f"the agent had finished speaking {length:g}s into it; use a barge_in under "
                                 f"{length:g}s, or remove it")

    async def _caller_cuts_in(self) -> None:
        if self.barge is None:
            return
        self.barge.talking = True
        if self.speaking is not None and self.depth:
            raise Interrupted("barge_in")

    # -- speaking ----------------------------------------------------------------------------------

    async def speak(self, line: AgentSaid, seconds: float) -> None:
        """The agent says `line` for `seconds`; a hang-up or barge-in meanwhile cuts it at the word reached."""
        barge = self.barge
        if barge is not None and not barge.cut:
            if barge.talking:  # the caller is already talking: the agent yields before its first word
                self._cut(line, "barge_in")
                raise Interrupted("barge_in")
            if barge.reply_started is None:
                barge.reply_started = line.t
                barge.timer = self.call.schedule(barge.after, self._caller_cuts_in)
            barge.reply_ended = line.t + seconds
        previous, self.speaking = self.speaking, line
        try:
            await self.call.clock.sleep(seconds)
        except Interrupted as stop:
            self._cut(line, stop.reason)
            raise
        finally:
            self.speaking = previous

    def _cut(self, line: AgentSaid, by: str) -> None:
        words = line.text.split()
        spoken = self.call.clock.elapsed() - line.t
        reached = min(len(words), int(spoken * WORDS_PER_SECOND + 1e-9))  # a word counts once it was said in full
        self.call.emit(AgentCut(line=line.seq, said=" ".join(words[:reached]), words=reached, of=len(words), by=by))
        if by == "barge_in" and self.barge is not None:
            self.barge.cut = True
