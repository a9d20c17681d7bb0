"""The messages a call is waiting on a reply to, and which of them an incoming text answers.

Texts have no threads: a reply is matched by channel and number, to the oldest message still
waiting, as a person's "YES" answers whatever they were last asked. A reply that finds no waiting
message but one whose wait ran out is recorded as late; it does not act.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callsim.engine.clock import Timer



@dataclass(slots=True)
class AwaitedReply:
    """One message action waiting for its reply on the call's clock."""

    action: str
    channel: str
    number: str
    """Who the message went to, E.164: the reply must come from there."""
    save_reply: str | None = None
    state: str = "waiting"
    """`waiting`, then `answered`, `timed_out` or `undelivered`."""
    timer: Timer | None = None
    """The `await_reply` deadline."""

    def close(self, state: str) -> bool:
        """End the wait (answered, timed out, undelivered); False when it had already ended."""
        if self.state != "waiting":
            return False
        self.state = state
        if self.timer is not None:
            self.timer.cancel()
        return True


class AwaitedReplies:
    """Every reply wait of one call, in the order the messages were sent."""

    def __init__(self) -> None:
        self.waits: list[AwaitedReply] = []

    def add(self, wait: AwaitedReply) -> AwaitedReply:
        self.waits.append(wait)
        return wait

    def next(self, channel: str | None = None, number: str | None = None) -> AwaitedReply | None:
        """The oldest wait still open, on `channel` and for `number` when given."""
        for wait in self.waits:
            if wait.state == "waiting" and channel in (None, wait.channel) and number in (None, wait.number):
                return wait
        return None

    def answer(self, channel: str, number: str) -> tuple[AwaitedReply | None, AwaitedReply | None]:
        """Close the wait a text from `number` on `channel` answers: (the answered wait, or else the
        most recent one it came too late for)."""
        wait = self.next(channel, number)
        if wait is not None:
            wait.close("answered")
            return wait, None
        late = [w for w in self.waits if w.state == "timed_out" and w.channel == channel and w.number == number]
        return None, late[-1] if late else None
