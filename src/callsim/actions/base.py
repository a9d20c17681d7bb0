"""What an action type's runner receives and how it reports a failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from callsim.trace.events import Event
from callsim.trace.trace import Trace

if TYPE_CHECKING:
    from callsim.actions.replies import AwaitedReplies
    from callsim.backends.calendar import Calendar
    from callsim.backends.messaging import Messaging
    from callsim.backends.telephony import Telephony
    from callsim.config.actions import Fallback
    from callsim.config.agent import TypedValue
    from callsim.config.project import Project
    from callsim.engine.clock import Callback, Clock, Timer
    from callsim.readers import ReadContext
    from callsim.readers.corrections import Reading


class ActionError(Exception):
    """An action failed in a way production would see (timeout, error status, bad response).

    The engine records it, sets `error.kind` and takes the fallback the action type gives that kind
    (`on_timeout`, `on_status`, `on_busy`, ... else `on_error`); `kind` names the failure for traces,
    expectations and coverage: `timeout`, `connect`, `status`, `invalid_json`, `missing_variable`, ...
    `status` is the HTTP status of a `status` failure.
    """

    def __init__(self, kind: str, message: str, *, status: int | None = None, live: bool = False) -> None:
        self.kind = kind
        self.status = status
        self.live = live
        """The failure came from a real server (a pass-through request)."""
        super().__init__(message)


class Interrupted(BaseException):
    """Raised out of the clock's `sleep` when the caller hangs up (`reason` "hangup") or starts talking over
    the agent ("barge_in") while an action waits (see `callsim.engine.interrupts`). A BaseException, like
    asyncio.CancelledError, so that no `except Exception` on the way swallows it: an action that holds
    something (a ringing leg, hold music) releases it and re-raises; the engine records it as abandoned."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Backends(Protocol):
    """The fakes (or real clients) an action reaches its world through."""

    @property
    def http(self) -> Any: ...

    @property
    def messaging(self) -> Messaging: ...

    @property
    def telephony(self) -> Telephony: ...

    @property
    def calendar(self) -> Calendar: ...


class CallControl(Protocol):
    """What an action may do to the live call besides using its backends (the session provides it)."""

    state: str
    ended: bool
    turn: int
    trace: Trace
    project: Project
    """The agent and everything it can reach (e.g. the phone books a transfer picks from)."""

    async def say(self, text: str, reason: str, action: str | None = None) -> None:
        """Speak a line to the caller (nothing after the call ended)."""

    async def say_template(self, source: str, reason: str, where: str, action: str | None = None) -> None:
        """Render a placeholder line against the call's variables and speak it."""

    async def take_fallback(self, action: str, fallback: Fallback | None, reason: str) -> None:
        """Apply a fallback (`on_error`, `on_no_answer`, ...): say its line, then run its `then:` action."""

    def set_state(self, state: str) -> None:
        """Move the call to a lifecycle state: ringing, connected, on_hold, transferring, ended."""

    async def hangup(self, by: str = "caller", reason: str = "hangup") -> None:
        """End the call (post-call actions then run)."""

    def schedule(self, delay: float, callback: Callback, *, after_end: bool = False) -> Timer:
        """Do something later in the call, on its clock."""

    def context(self) -> dict[str, Any]:
        """The variables as placeholders see them, now."""

    def set_variable(self, name: str, value: Any, source: str) -> None:
        """Set a variable (recorded in the trace with its source)."""

    def unset_variable(self, name: str, source: str) -> None:
        """Make a variable undefined again (a value that no longer holds; recorded as set to None)."""

    def read_as(self, spec: TypedValue, text: str) -> Reading | None:
        """Read a typed value from what the caller said, as slots are read (a self-correction's later value wins)."""

    def enum_by_meaning(self, name: str, values: list[str], text: str) -> Reading | None:
        """Which of an enum's values `text` means when no value's words were said ("a big one" -> large), if the
        agent matches by meaning; None otherwise."""

    def reading_context(self) -> ReadContext:
        """What reading what the caller said needs now: the clock, the agent's zone and region, and the
        opening hours a time said without AM or PM is read in."""

    def offer_choice(self, action: str, variable: str, read: Callable[[str], Any]) -> None:
        """Take the caller's next turn as a choice among what the action just offered: `read` turns it
        into the value of `variable` (None when it cannot tell), then `action` runs again."""

    @property
    def awaited_replies(self) -> AwaitedReplies:
        """The messages of this call waiting for a reply."""

    async def message_received(self, channel: str, number: str, body: str) -> None:
        """A text came in (a reply arriving): record it and act on it if a message awaits it."""


@dataclass(frozen=True)
class Offer:
    """What an action offered the caller instead of doing its job, and the line that says so."""

    choices: list[str]
    """The choices, as recorded (a booking's free times in ISO 8601)."""
    line: str
    """Said instead of the action's `say:` line (placeholders allowed)."""


@dataclass
class ActionContext:
    """Everything a runner may use: the action's name, rendering against the call's variables,
    the clock, the backends, the trace and the call itself."""

    name: str
    clock: Clock
    backends: Backends
    emit: Callable[[Event], Event]
    variables: dict[str, Any]
    """The rendering context (nested variables) at the moment the action started."""
    call: CallControl
    offered: Offer | None = None
    """Set by a runner whose action only offered choices instead of doing its job (a booking that
    offered free times and booked nothing): the action is recorded as offered, not finished."""
    line_values: dict[str, Any] | None = None
    """Set by a runner whose `say:` line may name what it just undid by its old name: a cancel's line says
    `{{ booking.start }}` of the booking it cancelled, though `booking` is no longer defined."""

    def where(self, field: str) -> str:
        return f"action {self.name}, field {field}"


WORDS_PER_SECOND = 2.5
"""The agent's speaking pace, so that virtual time moves as a real call's would."""


def speaking_time(text: str) -> float:
    """Seconds it takes to say `text` (a line to the caller, a whisper to the person a call goes to)."""
    return round(max(1, len(text.split())) / WORDS_PER_SECOND, 2)


ActionRunner = Callable[[Any, ActionContext], Awaitable[dict[str, Any]]]
"""A runner does the action and returns the variables it produced."""
