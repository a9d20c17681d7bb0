"""The telephony backend: destinations, placing calls for transfers, and DTMF to the far end of the call.

A destination is an E.164 number (checked against the numbering plan with phonenumbers) or a
SIP/SIPS URI (parsed by the RFC 3261 grammar in `callsim.backends.sip`). The fake plays what the
scenario's `phones:` say each destination does: a person answers after some seconds of ringing, the
line is busy, nobody answers, voicemail picks up, the person declines after hearing the whisper,
or the call cannot be placed. The fake keeps the state of every leg it placed; the action that
placed a leg plays its plan on the call's clock, so a 25-second ring costs no wall time.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from callsim.backends.phone_numbers import EXAMPLE, e164
from callsim.backends.sip import SipUri, SipUriError, parse_sip_uri
from callsim.backends.unused import UnusedFake
from callsim.errors import SetupError

if TYPE_CHECKING:
    from callsim.backends.ivr import Counterpart, FakeIvr
    from callsim.config.telephony import PhoneBehaviour

DTMF_KEYS = frozenset("0123456789*#ABCD")
DTMF_PAUSES = {"w": 0.5, "W": 1.0}
"""Pause characters in digit strings, as Twilio's and other telephony APIs read them: seconds each."""
KEY_SECONDS = 0.2
"""How long one DTMF key takes on the line: a 100 ms tone and a 100 ms gap."""
SIGNALLING = 0.3
"""Seconds from sending the INVITE to the far end's first answer (180 Ringing, 486 Busy, a 5xx...)."""
VOICEMAIL_AFTER = 20.0
"""When a scenario says `voicemail: true` without `answer_after`: voicemail picks up after this much ringing."""
SIP_REASONS = {
    403: "Forbidden", 404: "Not Found", 408: "Request Timeout", 410: "Gone", 480: "Temporarily Unavailable",
    484: "Address Incomplete", 486: "Busy Here", 488: "Not Acceptable Here", 500: "Server Internal Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Server Time-out", 600: "Busy Everywhere",
    603: "Decline", 604: "Does Not Exist Anywhere",
}


class DestinationError(ValueError):
    """Text that is neither a valid E.164 number nor a valid SIP/SIPS URI."""


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a call goes: a phone number (E.164) or a SIP URI."""

    kind: Literal["phone", "sip"]
    address: str
    """The E.164 number, or the SIP URI as written (scheme in lower case)."""
    sip: SipUri | None = None

    def __str__(self) -> str:
        return self.address

    def key(self) -> tuple[object, ...]:
        """What two destinations share when they reach the same target (SIP URIs compare by RFC 3261 19.1.4)."""
        return ("sip", *self.sip.key()) if self.sip is not None else ("phone", self.address)


def check_digits(text: str, *, pauses: bool = True) -> str:
    """`text` when every character is a DTMF key (or, with `pauses`, a w/W pause); else ValueError naming it."""
    for index, char in enumerate(text):
        if char in DTMF_KEYS or (pauses and char in DTMF_PAUSES):
            continue
        allowed = "0-9, *, #, A-D" + (", w (half a second) and W (one second)" if pauses else "")
        hint = " (write A-D in upper case)" if char in "abcd" else ""
        raise ValueError(f"{char!r} at position {index + 1} of {text!r} is not a DTMF key{hint}; "
                         f"digits may hold {allowed}")
    return text


def dtmf_duration(digits: str) -> float:
    """Seconds it takes to send `digits`, pauses included."""
    return round(sum(DTMF_PAUSES.get(char, KEY_SECONDS) for char in digits), 3)


def parse_destination(text: str) -> Destination:
    """A destination from text; DestinationError says what is wrong and how to write it."""
    if not isinstance(text, str) or not text.strip():
        raise DestinationError(f"expected a phone number in E.164 form (e.g. {EXAMPLE}) or a SIP URI "
                               "(e.g. sip:billing@pbx.example.com)")
    if text.split(":", 1)[0].lower() in ("sip", "sips"):
        try:
            uri = parse_sip_uri(text)
        except SipUriError as problem:
            raise DestinationError(str(problem)) from None
        return Destination("sip", str(uri), uri)
    if text.lower().startswith("tel:"):
        raise DestinationError(f"{text!r}: write the number without tel:, in E.164 form (e.g. {EXAMPLE})")
    try:
        return Destination("phone", e164(text))
    except ValueError as problem:
        raise DestinationError(str(problem)) from None


@dataclass
class Leg:
    """One call the fake placed: where to, what the far end does, and the state it reached."""

    id: str
    destination: Destination
    sip_headers: dict[str, str]
    state: str
    """`ringing`, `busy` or `failed` once placed; then `answered`, `voicemail`, `no_answer`, `declined`,
    `bridged`, `ended`, or `cancelled` (the caller hung up first)."""
    reason: str = ""
    """For busy and failed legs: the SIP status the far end answered, e.g. `486 Busy Here`."""
    answers_after: float | None = None
    """Seconds of ringing before someone (or voicemail) answers; None when nobody ever does."""
    voicemail: bool = False
    declines: bool = False
    accepts_after: float = 0.0
    """Seconds the person takes, after the whisper, to accept or decline."""
    heard: list[str] = field(default_factory=list)
    """What was played to the far end (whispers), in order."""
    history: list[str] = field(default_factory=list)

    def move(self, state: str) -> None:
        self.history.append(self.state)
        self.state = state


class Telephony(Protocol):
    """What the transfer and dtmf actions need from a carrier."""

    def dial(self, destination: Destination, *, sip_headers: Mapping[str, str]) -> Leg:
        """Place a call; the leg comes back `ringing`, `busy` or `failed`."""

    def press(self, key: str) -> None:
        """A DTMF key reaches the far end of the call now."""

    async def prepare(self, destination: Destination) -> None:
        """Before `dial`: make sure the carrier knows what `destination` does (asking, where someone can answer)."""


Unknown = Callable[[Destination, str], Awaitable["PhoneBehaviour | None"]]
"""Asked about a destination no phone describes, with the reason: what it does, or None to leave it unknown."""


class FakeTelephony:
    """A carrier whose destinations behave as the scenario's `phones:` say (then the agent's defaults);
    records every leg and key."""

    def __init__(self, phones: Mapping[str, PhoneBehaviour] | None = None, ivr: FakeIvr | None = None, *,
                 defaults: Mapping[str, PhoneBehaviour] | None = None) -> None:
        self.phones = {parse_destination(text).key(): behaviour for text, behaviour in (phones or {}).items()}
        for text, behaviour in (defaults or {}).items():
            self.phones.setdefault(parse_destination(text).key(), behaviour)
        self.written = {parse_destination(text).key(): text for text in phones or {}}
        """Each destination's key -> the scenario's `phones:` entry as written (to name unused ones); the
        agent's defaults are not among them: they may go unused."""
        self.unknown: Unknown | None = None
        self.answered: dict[str, PhoneBehaviour] = {}
        """What `unknown` said the destinations it was asked about do (the simulator exports them)."""
        self.ivr = ivr
        self.legs: list[Leg] = []
        self.keys: list[str] = []
        """Every DTMF key sent to the far end of the call, in order."""
        self._ids = itertools.count(1)

    async def prepare(self, destination: Destination) -> None:
        if destination.key() in self.phones or self.unknown is None:
            return
        behaviour = await self.unknown(destination, _unknown(destination))
        if behaviour is not None:
            self.phones[destination.key()] = self.answered[destination.address] = behaviour

    def dial(self, destination: Destination, *, sip_headers: Mapping[str, str] | None = None) -> Leg:
        """Place a call to a destination the scenario describes; any other is a SetupError naming it."""
        behaviour = self.phones.get(destination.key())
        if behaviour is None:
            raise SetupError(_unknown(destination))
        leg = Leg(f"leg-{next(self._ids)}", destination, dict(sip_headers or {}), "ringing",
                  voicemail=behaviour.voicemail, declines=behaviour.declines, accepts_after=behaviour.accepts_after)
        if behaviour.busy:
            leg.state, leg.reason = "busy", "486 Busy Here"
        elif behaviour.fails is not None:
            leg.state, leg.reason = "failed", failure_reason(behaviour.fails)
        elif not behaviour.no_answer:
            leg.answers_after = behaviour.answer_after if behaviour.answer_after is not None else VOICEMAIL_AFTER
        self.legs.append(leg)
        return leg

    def unused(self) -> list[UnusedFake]:
        """The scenario's phones nothing dialled, except those marked `optional: true`."""
        dialled = [leg.destination for leg in self.legs]
        reached = {destination.key() for destination in dialled}
        instead = f"dialled: {', '.join(map(str, dialled))}" if dialled else "nothing was dialled"
        return [UnusedFake(("phones", text), f"phones '{text}'", f"a call to phones '{text}'",
                           f"it was never dialled; {instead}")
                for key, text in self.written.items() if key not in reached and not self.phones[key].optional]

    def press(self, key: str) -> None:
        self.keys.append(key)
        if self.ivr is not None:
            self.ivr.press(key)

    def pick_up(self, call: Counterpart) -> None:
        """The far end of an outbound call answers: the scenario's IVR (if any) starts its menu."""
        if self.ivr is not None:
            self.ivr.attach(call)


def _unknown(destination: Destination) -> str:
    return (f"no phone in the scenario answers {destination}; add it to the scenario's phones:, "
            f"e.g. phones: {{\"{destination}\": {{answer_after: 5s}}}}")


def failure_reason(fails: bool | int | str) -> str:
    """The SIP status line a failing destination answers: `fails: 503` is `503 Service Unavailable`."""
    if fails is True:
        return "503 Service Unavailable"
    if isinstance(fails, int):
        return f"{fails} {SIP_REASONS.get(fails, 'Error')}"
    return str(fails)
