"""The messaging backend: SMS and WhatsApp outboxes, delivery status and scripted replies.

The fake behaves like a carrier API seen from the agent's side: a recipient must be a valid E.164
number, an SMS body is encoded (GSM-7 when every character is in the GSM 03.38 tables, else UCS-2)
and split into segments, each message moves through `queued → sent → delivered` (or `undelivered`
/ `failed` for numbers the scenario says cannot receive texts), and the scenario's `replies:`
answer, in order, the messages that wait for a reply. The fake keeps the state; the action that
sent a message plays its delivery plan and its reply on the call's clock.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from callsim.backends.phone_numbers import e164
from callsim.backends.unused import UnusedFake

if TYPE_CHECKING:
    from callsim.config.scenario import ScriptedReply

CHANNELS = ("sms", "whatsapp")
FINAL_STATUSES = ("delivered", "undelivered", "failed")
FAILED_STATUSES = ("undelivered", "failed")
SENT_AFTER = 1.0
"""Seconds from accepting a message (`queued`) to handing it to the carrier (`sent`)."""
DELIVERED_AFTER = 3.0
"""Seconds from accepting a message to the handset's delivery receipt (`delivered` or `undelivered`)."""
MAX_BODY = {"sms": 1600, "whatsapp": 4096}
"""The longest body each channel's APIs accept, in characters."""

# GSM 03.38: the default alphabet (one septet each; 0x1B is the escape to the extension table)
# and the extension table (escape + one septet: two each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM7 = GSM7_BASIC | GSM7_EXTENSION
SEGMENT_LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}
"""Per encoding: units in a single-segment SMS, and per segment of a concatenated one (the rest is the UDH)."""


class InvalidRecipient(ValueError):
    """The recipient is not a phone number a message can be sent to (not valid E.164)."""


class InvalidBody(ValueError):
    """The body cannot be sent: empty, or longer than the channel accepts."""


@dataclass(frozen=True, slots=True)
class SmsEncoding:
    """How an SMS body goes over the air: its encoding, its length in that encoding's units, its segments."""

    encoding: str
    """`GSM-7` or `UCS-2`."""
    units: int
    """Septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2."""
    segments: int


def sms_encoding(body: str) -> SmsEncoding:
    """Encode an SMS body: GSM-7 when every character is in the GSM tables, else UCS-2; count its segments.

    A concatenated SMS never splits an escape sequence (GSM-7) or a surrogate pair (UCS-2) across
    two segments, so a segment may carry one unit less than the limit.
    """
    characters = set(body)
    if characters <= GSM7:
        encoding, doubles = "GSM-7", characters & GSM7_EXTENSION
    else:
        encoding, doubles = "UCS-2", {c for c in characters if ord(c) > 0xFFFF}
    units = len(body) + sum(body.count(c) for c in doubles)
    single, per_segment = SEGMENT_LIMITS[encoding]
    if units <= single:
        return SmsEncoding(encoding, units, 1)
    if not doubles:
        return SmsEncoding(encoding, units, -(-units // per_segment))
    segments, used = 1, 0
    for character in body:
        cost = 2 if character in doubles else 1
        if used + cost > per_segment:
            segments, used = segments + 1, 0
        used += cost
    return SmsEncoding(encoding, units, segments)


@dataclass(slots=True)
class OutboundMessage:
    """A message in an outbox, with the plan of what will happen to it."""

    id: str
    channel: str
    to: str
    body: str
    encoding: str | None
    """SMS only: `GSM-7` or `UCS-2`."""
    segments: int | None
    """SMS only: how many segments the carrier bills."""
    status: str = "queued"
    statuses: list[str] = field(default_factory=lambda: ["queued"])
    delivery: list[tuple[float, str]] = field(default_factory=list)
    """The status changes still to come: (seconds after sending, status)."""
    reply: ScriptedReply | None = None
    """The scripted reply this message will get, if the scenario gave one for it."""
    reply_index: int | None = None
    """Which of the scenario's `replies:` that is (`replies[0]` is the first)."""
    wants_reply: bool = False


@dataclass(slots=True)
class InboundMessage:
    """A message that came in (a reply)."""

    id: str
    channel: str
    from_: str
    body: str


class Messaging(Protocol):
    """What actions and the call need of an SMS/WhatsApp provider."""

    def send(self, channel: str, to: str, body: str, *, wants_reply: bool = False) -> OutboundMessage:
        """Accept a message for sending (status `queued`); raise InvalidRecipient or InvalidBody."""

    def set_status(self, message: OutboundMessage, status: str) -> None:
        """Record a delivery status change of a sent message."""

    def receive(self, channel: str, from_: str, body: str) -> InboundMessage:
        """Record a message that came in."""

    def reply_arrived(self, message: OutboundMessage) -> None:
        """The reply planned for `message` (its `reply`) came in."""


class FakeMessaging:
    """A stateful fake provider: outboxes per channel, an inbox, scripted replies and per-number delivery."""

    def __init__(self, replies: Sequence[ScriptedReply] = (), delivery: Mapping[str, str] | None = None) -> None:
        self.outbox: dict[str, list[OutboundMessage]] = {channel: [] for channel in CHANNELS}
        self.inbox: list[InboundMessage] = []
        self.replies = list(replies)
        """The scenario's scripted replies, in its order."""
        self._unassigned = list(range(len(self.replies)))
        """The replies not yet given to a message, in order."""
        self.arrived: set[int] = set()
        """The replies that came in during the call (in time or late)."""
        self.delivery = dict(delivery or {})
        """Numbers that cannot receive messages: number -> `undelivered` or `failed`."""
        self._sent_ids = itertools.count(1)
        self._received_ids = itertools.count(1)

    def send(self, channel: str, to: str, body: str, *, wants_reply: bool = False) -> OutboundMessage:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}")
        try:
            to = e164(to)
        except ValueError as problem:
            raise InvalidRecipient(f"cannot send {channel} to {to!r}: {problem}") from None
        if not body.strip():
            raise InvalidBody(f"the {channel} body to {to} is empty")
        if len(body) > MAX_BODY[channel]:
            raise InvalidBody(f"the {channel} body to {to} has {len(body)} characters; "
                              f"{channel} accepts at most {MAX_BODY[channel]}")
        encoded = sms_encoding(body) if channel == "sms" else None
        message = OutboundMessage(
            id=f"{'SM' if channel == 'sms' else 'WA'}{next(self._sent_ids):04d}", channel=channel, to=to, body=body,
            encoding=encoded.encoding if encoded else None, segments=encoded.segments if encoded else None,
            wants_reply=wants_reply)
        outcome = self.delivery.get(to, "delivered")
        if outcome == "failed":
            message.delivery = [(SENT_AFTER, "failed")]
        else:
            message.delivery = [(SENT_AFTER, "sent"), (DELIVERED_AFTER, outcome)]
            if wants_reply and outcome == "delivered":
                message.reply_index = self._next_reply(channel, to)
                if message.reply_index is not None:
                    message.reply = self.replies[message.reply_index]
        self.outbox[channel].append(message)
        return message

    def _next_reply(self, channel: str, to: str) -> int | None:
        for position, index in enumerate(self._unassigned):
            reply = self.replies[index]
            if reply.channel in (None, channel) and reply.from_ in (None, to):
                return self._unassigned.pop(position)
        return None

    def reply_arrived(self, message: OutboundMessage) -> None:
        """The scripted reply to `message` came in (the call was still on when it was due)."""
        if message.reply_index is not None:
            self.arrived.add(message.reply_index)

    def unused(self) -> list[UnusedFake]:
        """The scripted replies that never came in, except those marked `optional: true`."""
        given = {m.reply_index: m for outbox in self.outbox.values() for m in outbox if m.reply_index is not None}
        unused = []
        for index, reply in enumerate(self.replies):
            if index in self.arrived or reply.optional:
                continue
            message = given.get(index)
            if message is not None:
                why = f"it was due {reply.after:g}s after {message.id} (to {message.to}), but the call ended first"
            else:
                why = self._why_unanswered(reply)
            label = f"replies[{index}] {reply.body!r}"
            unused.append(UnusedFake(("replies", index), label, f"{label} to reach the call", why))
        return unused

    def _why_unanswered(self, reply: ScriptedReply) -> str:
        waiting = [m for outbox in self.outbox.values() for m in outbox if m.wants_reply]
        if not waiting:
            return "no text the agent sent awaited a reply"
        only = " ".join(x for x in (f"on {reply.channel}" if reply.channel else "",
                                    f"to {reply.from_}" if reply.from_ else "") if x)
        texts = ", ".join(f"{m.id} ({m.channel} to {m.to}, {m.status}"
                          + (f", answered by replies[{m.reply_index}])" if m.reply_index is not None else ")")
                          for m in waiting)
        return f"no text {only + ' ' if only else ''}that awaited a reply was left for it; texts that awaited one: {texts}"

    def set_status(self, message: OutboundMessage, status: str) -> None:
        message.status = status
        message.statuses.append(status)

    def receive(self, channel: str, from_: str, body: str) -> InboundMessage:
        message = InboundMessage(f"IN{next(self._received_ids):04d}", channel, from_, body)
        self.inbox.append(message)
        return message
