"""The scenario format: one simulated call with its caller turns, its fakes and its expectations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from callsim.backends.telephony import check_digits
from callsim.config.actions.http import StatusKey
from callsim.config.calendar import CalendarSpec
from callsim.config.fakes import HttpRoute
from callsim.config.live import LiveHost, ServerSpec, check_server_names
from callsim.config.phone_numbers import PhoneNumber, Recipient
from callsim.config.telephony import IvrMenu, KeyPresses, PhoneBehaviour, StaticDestination, TransferExpectation
from callsim.config.shapes.scenario import MAX_SAID, ExpectationShape, OneKeyShape, TurnShape
from callsim.config.types import Duration, Model, Moment, SearchText

MAX_TURNS = 5_000
"""The most turns a scenario may have."""
MAX_PLAYED = 50_000
"""The most turns a scenario plays over all its runs (turns × repeat)."""
MAX_SAID_IN_CALL = 100_000
"""The most characters of caller turns and replies in one call (some two hours of speech): reading a turn costs
up to ~0.1 ms a character, so a 2 MiB file of 10,000-character turns could otherwise hold a minute of work."""
MAX_SAID_PLAYED = 1_000_000
"""The same over all of a scenario's runs (said × repeat)."""
MAX_HEARD = 20
"""The most audio turns a scenario plays over all its runs: each goes through speech-to-text, which takes
up to a few seconds."""


def _text(value: Any) -> Any:
    """YAML reads `caller: 4567` as a number; what someone says is always text."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class CallerSpec(Model):
    """Who is calling: a fixed number and name, or a seeded random persona."""

    number: str | None = None
    """The caller's number, E.164 (`call.from`); default +14155550100, or the persona's."""
    name: str | None = None
    """The caller's name as the carrier reports it (`call.caller_name`)."""
    persona: Literal["random"] | None = None
    """`random`: a seeded fake person whose details turns can use as {{ caller.name }}, {{ caller.email }}, ..."""
    seed: int = 0
    """Which persona (with `repeat: N`, personas seed, seed+1, ...)."""
    locale: str = "en_US"
    """The persona's locale (Faker's), e.g. de_DE or es_ES."""


class HttpExpectation(Model):
    """A request the agent must have sent."""

    @model_validator(mode="after")
    def _exact_needs_json(self) -> HttpExpectation:
        if self.exact and self.json_ is None:
            raise ValueError("exact: true says the JSON body is exactly json:, so give json: {...} beside it "
                             "(for the headers alone, exact_headers: true)")
        if self.json_ == {} and not self.exact:
            raise ValueError("json: {} names no field, so it holds for any JSON object; name the fields the body "
                             "must have, e.g. json: {size: large}, or add exact: true for an empty object")
        return self

    method: SearchText | None = None
    url: SearchText | None = None
    """The URL after rendering; a prefix match when it ends in `*`, else exact."""
    json_: Any = Field(None, alias="json")
    """Subset of the JSON body."""
    exact: bool = False
    """`json` is the whole body: no other keys, at any depth (a field sent that should not be fails)."""
    headers: dict[str, str] = {}
    """Header values the request had (names case-insensitive); others may have been sent too."""
    exact_headers: bool = False
    """`headers` are all the headers the agent sent: no other one, bar the transport headers the HTTP client
    sets on every request (`TRANSPORT_HEADERS`), checked only when named. `headers: {}` with it: none."""
    times: int | None = Field(None, ge=0)
    """Exactly this many requests matched (`0`: none was sent); without it, at least one."""


class OrderExpectation(Model):
    """Actions that must have run in this order (`order: [a, b]` is `order: {actions: [a, b]}`)."""

    actions: list[str]
    """Their names, in the order they ran."""
    exact: bool = False
    """These are all the actions that ran where the check looks, in this order: none before, between or
    after them. Without it, others may run before, between and after them."""

    @model_validator(mode="before")
    @classmethod
    def _names_alone(cls, value: Any) -> Any:
        return {"actions": value} if isinstance(value, list) else value


class DtmfExpectation(Model):
    """Keys the agent must have sent (`dtmf: "12#"` is `dtmf: {keys: "12#"}`)."""

    keys: str
    """The keys, in order (`w`/`W` pauses count only when written here)."""
    exact: bool = False
    """These are all the keys it sent where the check looks: none before them, none after (a key pressed
    too many fails). Without it, the keys may come among others."""

    @model_validator(mode="before")
    @classmethod
    def _keys_alone(cls, value: Any) -> Any:
        return {"keys": value} if isinstance(value, (str, int)) and not isinstance(value, bool) else value

    @field_validator("keys", mode="before")
    @classmethod
    def _as_keys(cls, value: Any) -> Any:
        value = _text(value)
        if value == "":
            raise ValueError("give the keys the agent must have sent, e.g. \"2\" (to check that it sent none, "
                             "use not_action: with the dtmf action's name)")
        if isinstance(value, str) and value and not value.strip("wW"):
            raise ValueError(f"{value!r} is only pauses, found among any keys sent; give the keys the agent must "
                             "have sent, e.g. \"2w1234#\"")
        return check_digits(value) if isinstance(value, str) else value


class ActionFailedExpectation(Model):
    """An action that must have failed, with this kind of failure (and HTTP status)."""

    action: str
    kind: SearchText | None = None
    """The failure's kind: `timeout`, `connect`, `status`, `invalid_json`, `missing_field`, `busy`,
    `no_answer`, `conflict`, `undelivered`, ... (as the trace's action_failed event names it)."""
    status: StatusKey | None = None
    """The HTTP status of a `status` failure: a code (`404`) or a class (`5xx`)."""


class EndedExpectation(Model):
    """How the call must have ended."""

    by: Literal["caller", "agent", "system"] | None = None
    reason: SearchText | None = None


Channel = Literal["sms", "whatsapp"]
DeliveryStatus = Literal["queued", "sent", "delivered", "undelivered", "failed"]


class ScriptedReply(Model):
    """The caller (or whoever got the text) answering a message, on the virtual clock.

    Replies answer, in order, the messages that wait for one (`await_reply:`) on their channel.
    """

    after: Duration = 0.0
    """How long after the message was sent the reply comes in."""
    body: str = Field(max_length=MAX_SAID)
    """The reply's text."""
    channel: Channel | None = None
    """Answer only a message on this channel (default: the next one on any channel)."""
    from_: PhoneNumber | None = Field(None, alias="from")
    """Answer only a message sent to this number, E.164 (default: whoever the next one went to)."""
    optional: bool = False
    """The call may end without this reply reaching it (else an unused reply fails the scenario)."""

    @field_validator("body", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)


class SmsExpectation(Model):
    """An SMS the agent must have sent after the call (an `sms` action)."""

    to: Recipient | None = None
    """The recipient, E.164."""
    contains: SearchText | None = None
    """Text the body contains (case-insensitive)."""
    body: SearchText | None = None
    """The whole body, exactly as sent (nothing before or after it: a text that says too much fails)."""
    segments: int | None = Field(None, ge=1)
    """SMS only: how many segments the body took."""
    status: DeliveryStatus | None = None
    """The message's last delivery status when the check ran."""
    times: int | None = Field(None, ge=0)
    """Exactly this many texts matched (`0`: none was sent); without it, at least one."""

    @field_validator("contains", "body", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)


class MessageExpectation(SmsExpectation):
    """An SMS or WhatsApp message the agent must have sent during the call."""

    channel: Channel | None = None


class BookingExpectation(Model):
    """A booking that must have been made (or moved there by a reschedule)."""

    start: Moment | None = None
    """When it starts, ISO 8601; without an offset, the wall-clock time in the agent's zone."""
    calendar: SearchText | None = None
    """The calendar's name contains this text."""
    attendee: SearchText | None = None
    """The attendee contains this text."""
    title: SearchText | None = None
    """The title contains this text."""
    duration: Duration | None = None
    """How long it lasts, e.g. `30m` (its end less its start)."""


def _status_or_class(value: Any) -> Any:
    """A status (`204`) or a class of them (`2xx`, `5xx`), as text."""
    text = str(value).strip().lower() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not re.fullmatch(r"[1-5](?:\d\d|xx)", text):
        raise ValueError(f"{value!r} is neither a status from 100 to 599 nor a class such as 2xx or 5xx")
    return text


class WebhookExpectation(Model):
    """The end-of-call report the agent's `webhook:` sent, and how its server answered."""

    json_: Any = Field(None, alias="json")
    """A subset of the report, e.g. `{call: {ended_by: caller}, variables: {order_status: shipped}}`."""
    exact: bool = False
    """Each section `json` names is the whole section, no other key at any depth (a variable or an action
    too many fails), bar what callsim puts in every report (see `REPORT_ENVELOPE`); unnamed sections are
    not checked."""
    status: Annotated[str, BeforeValidator(_status_or_class)] | None = None
    """How the server answered: a status (`204`) or a class (`2xx`, `5xx`)."""
    failed: Literal["timeout", "connect"] | None = None
    """No answer came: the server took too long (`timeout`) or could not be reached (`connect`)."""

    @model_validator(mode="after")
    def _answer_or_failure(self) -> WebhookExpectation:
        if self.status is not None and self.failed is not None:
            raise ValueError("give either status: (the server answered) or failed: (no answer came), not both")
        if self.json_ == {}:
            raise ValueError("json: {} names nothing, so it holds for every report; name what the report must "
                             "hold, e.g. json: {variables: {order_status: shipped}} (webhook: {} alone checks "
                             "that a report was sent)")
        if self.exact and not isinstance(self.json_, dict):
            raise ValueError("exact: true says the report's sections are exactly json:'s, so give json: "
                             "{variables: {...}} beside it")
        return self


class EvaluationExpectation(Model):
    """The result a post-call evaluation must have given."""

    passed: bool | None = None
    score: float | None = Field(None, ge=0, le=1)
    """The lowest acceptable score."""
    criteria: dict[str, bool] | None = None
    """Which criteria passed (`true`) and which missed (`false`), by name: `{booking_ran: false}`."""

    @field_validator("criteria")
    @classmethod
    def _names_criteria(cls, value: dict[str, bool] | None) -> dict[str, bool] | None:
        if value is not None and not value:
            raise ValueError("criteria: names no criterion, so it could not fail; name each one that must pass "
                             "(true) or miss (false), e.g. criteria: {greeted: true}")
        return value

    @model_validator(mode="after")
    def _states_an_outcome(self) -> EvaluationExpectation:
        # naming an evaluation lifts the rule that it must pass, so a check of nothing would let it fail unseen
        if self.passed is None and not self.score and self.criteria is None:
            says = "a score of at least 0 always holds" if self.score == 0 else "it states no outcome"
            raise ValueError(f"{says}, yet naming the evaluation lifts the rule that it must pass, so a failing "
                             "evaluation would go unseen; say what it must give: {passed: true}, {passed: false}, "
                             "a score: minimum above 0, or criteria: {NAME: true}")
        return self


class OneKey(OneKeyShape, Model):
    """A mapping with exactly one key, which says what kind of thing it is (a turn, an expectation)."""

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and len([k for k in data if k not in cls.modifiers]) != 1:
            keys = ", ".join(map(str, data)) or "none"
            raise ValueError(f"{cls.noun} is a one-key mapping (got keys: {keys}); {cls.split_hint}")
        empty = next((key for key, value in data.items() if value is None), None) if isinstance(data, dict) else None
        if empty is not None:
            # `- agent_said:` with nothing after it would check nothing (or crash the check): say so now
            raise ValueError(f"'{empty}' has no value (null), so it would {cls.null_hint.format(key=empty)}")
        return data


class Expectation(ExpectationShape, OneKey):
    """One check, written as a one-key mapping such as `{agent_said: order number}`."""

    agent_said: SearchText | None = None
    """The agent said something containing this text (case-insensitive)."""
    agent_not_said: SearchText | None = None
    """The agent never said anything containing this text."""
    action: str | None = None
    """This action ran and finished (did not fail)."""
    not_action: str | None = None
    """This action did not run."""
    action_failed: ActionFailedExpectation | None = None
    """This action ran and failed (and took its fallback): a name, or `{action, kind, status}`."""
    action_abandoned: str | None = None
    """This action was running when the caller hung up (or talked over its line), and stopped there."""
    variables: dict[str, Any] | None = None
    """Each variable has this value."""
    http: HttpExpectation | None = None
    extracted: dict[str, Any] | None = None
    """The caller's words gave these variable values."""
    ended: EndedExpectation | None = None
    error: SearchText | None = None
    """The call stopped with an error containing this text (an expected error does not fail the scenario)."""
    order: OrderExpectation | None = None
    """These actions ran in this order, others perhaps in between (`{actions, exact: true}`: and no others)."""
    message: MessageExpectation | None = None
    """An SMS or WhatsApp message was sent during the call."""
    sms: SmsExpectation | None = None
    """An SMS was sent after the call."""
    transfer: TransferExpectation | None = None
    """A transfer was attempted to `to` (with this mode, whisper text and outcome)."""
    dtmf: DtmfExpectation | None = None
    """These keys were sent by the agent, in order, among others (`{keys, exact: true}`: and no others)."""
    ivr_said: SearchText | None = None
    """The phone menu the agent called said something containing this text (case-insensitive)."""
    booking: BookingExpectation | None = None
    """A booking was made (or rescheduled) with this start, calendar, attendee and title."""
    evaluation: dict[str, EvaluationExpectation] | None = None
    """Each named evaluate action gave this result (`score` is a minimum)."""
    webhook: WebhookExpectation | None = None
    """The agent's end-of-call report was sent (with this content) and answered so (after the call)."""

    @field_validator("agent_said", "agent_not_said", "error", "ivr_said", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)

    @field_validator("action_failed", mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return {"action": value} if isinstance(value, str) else value

    @field_validator("variables", "extracted", "evaluation", "order")
    @classmethod
    def _names_something(cls, value: Any) -> Any:
        if value is not None and not (value.actions if isinstance(value, OrderExpectation) else value):
            raise ValueError("it names nothing, so this check could not fail; name what must hold, "
                             "e.g. variables: {order_status: shipped}")
        return value


class HangupTime(Model):
    """When the caller hangs up: now (`hangup: true`), at a call time, or some time after the turn before."""

    at: Duration | None = None
    """At this call time, counted from the start of the call as the trace shows it, e.g. `at: 12s`."""
    after: Duration | None = None
    """This long after the turn before it ended for the caller (they stopped speaking or pressing keys,
    sent a reply, or began a wait), e.g. `after: 3s`; what the agent is doing then is cut short."""

    @model_validator(mode="before")
    @classmethod
    def _now(cls, value: Any) -> Any:
        if value is True:
            return {}
        if value is False:
            raise ValueError("false does nothing; remove the turn (the caller hangs up after the last "
                             "turn anyway), or write hangup: true, {at: 12s} or {after: 3s}")
        return value

    @model_validator(mode="after")
    def _one_time(self) -> HangupTime:
        if self.at is not None and self.after is not None:
            raise ValueError("give the hang-up either at: (a call time) or after: (counted from the turn before), "
                             "not both")
        return self


class Turn(TurnShape, OneKey):
    """One step of a scenario: the caller speaks, time passes, checks, or the caller hangs up."""

    caller: str | None = Field(None, max_length=MAX_SAID)
    """What the caller says (at most 10,000 characters: some ten minutes of speech)."""
    barge_in: Duration | None = None
    """Beside `caller:`, `audio:` or `dtmf:`: the caller starts this long into the agent's reply to the turn
    before (from its first line), talking (or pressing keys) over it; the line being said is cut at the word
    reached."""
    wait: Duration | None = None
    """Let virtual time pass without anyone speaking."""
    hangup: HangupTime | None = None
    """The caller hangs up: `true` (now), `{at: 12s}` (at that call time) or `{after: 3s}` (that long after
    the turn before); a hang-up that comes while the agent works stops it (the action is abandoned)."""
    reply: str | None = Field(None, max_length=MAX_SAID)
    """The caller answers a text now: the message still waiting for a reply, else the thread of the agent's
    latest text, else by SMS from the caller's number."""
    channel: Channel | None = None
    """Beside `reply:`: answer on this channel (`sms` or `whatsapp`), its message waiting for a reply or else
    its latest thread."""
    dtmf: KeyPresses | None = None
    """The caller presses keys, e.g. "1234#" (`w`/`W` pause half a second / a second)."""
    audio: str | None = None
    """The caller says what a WAV file holds (relative to this file), heard through speech-to-text."""
    expect: list[Expectation] | None = None
    """Checks over what happened since the previous caller turn."""

    @field_validator("expect", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @field_validator("caller", "reply", "dtmf", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)

    @model_validator(mode="after")
    def _channel_of_a_reply(self) -> Turn:
        if self.channel is not None and self.reply is None:
            raise ValueError(f"channel goes beside reply: (the channel the caller answers a text on), not "
                             f"{self.kind}:")
        return self

    @model_validator(mode="after")
    def _barges_in_speaking(self) -> Turn:
        if self.barge_in is not None and self.caller is None and self.audio is None and self.dtmf is None:
            raise ValueError(f"barge_in goes beside caller:, audio: or dtmf: (the caller talking or pressing keys "
                             f"over the agent), not {self.kind}:")
        return self


class ScenarioConfig(Model):
    """A scenario: one simulated call of an agent, with the fakes it meets and what must happen."""

    scenario: str
    """The scenario's title; also the test's name."""
    agent: str
    """The agent file, relative to this file."""
    caller: CallerSpec = CallerSpec()
    now: Moment = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    """Where the virtual clock starts (ISO 8601 with an offset)."""
    seed: int = 0
    """Seed for everything random in the call (ids, fake data)."""
    start_data: dict[str, Any] = {}
    """Data the integration sends when the call starts."""
    preconnect: dict[str, Any] = {}
    """Data the user's systems supply before the call connects."""
    secrets: dict[str, str] = {}
    """Test values for `secrets.NAME` (else taken from the environment); never written to a trace."""
    http: list[HttpRoute] = []
    """Fake HTTP endpoints (or `pass_through:` routes to your own server); any request none matches fails the call."""
    servers: dict[str, ServerSpec] = {}
    """Servers of your own that `pass_through:` routes name: where each runs, or how callsim starts it."""
    live_hosts: list[LiveHost] = []
    """Hosts beyond this machine that pass-through requests may reach (else only loopback addresses)."""
    replies: list[ScriptedReply] = []
    """Replies to the agent's texts, in order, each some time after the message it answers."""
    delivery: dict[PhoneNumber, Literal["undelivered", "failed"]] = {}
    """Numbers texts cannot reach: `undelivered` (the carrier could not deliver, e.g. a landline) or
    `failed` (never sent); texts to any other valid number are delivered."""
    direction: Literal["inbound", "outbound"] = "inbound"
    """`outbound`: the agent places the call and the other end (`caller:`, or the `ivr:`) answers."""
    phones: dict[StaticDestination, PhoneBehaviour] = {}
    """What each transfer destination (E.164 or SIP URI) does when dialed; dialing any other fails the call."""
    ivr: IvrMenu | None = None
    """The phone menu at the other end of an outbound call: prompts, options, collected entries, dead ends."""
    calendar: CalendarSpec = Field(default_factory=CalendarSpec)
    """The calendar booking actions meet: time zone, opening hours, slot length, existing events, an .ics file."""
    turns: list[Turn] = Field([], max_length=MAX_TURNS)
    """What happens in the call, in order (at most 5,000 turns)."""
    expect: list[Expectation] = []
    """Checks over the whole call, after it ended."""
    tags: list[str] = []
    """Labels for selecting scenarios; in pytest each tag is a marker (`pytest -m billing`)."""
    repeat: int = Field(1, ge=1, le=1000)
    """Run the call this many times, each with the next persona and seed."""

    @field_validator("now")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("now needs a UTC offset, e.g. 2026-11-30T15:00:00-05:00")
        return value

    @field_validator("turns")
    @classmethod
    def _few_heard(cls, value: list[Turn]) -> list[Turn]:
        said = _said(value)
        if said > MAX_SAID_IN_CALL:
            raise ValueError(f"the caller turns and replies say {said:,} characters in all; a call may say at most "
                             f"{MAX_SAID_IN_CALL:,} (some two hours of speech); split it into several scenarios")
        heard = sum(turn.audio is not None for turn in value)
        if heard > MAX_HEARD:
            raise ValueError(f"{heard} audio turns; a scenario may play at most {MAX_HEARD} (each goes through "
                             "speech-to-text, which takes up to a few seconds)")
        return value

    @field_validator("repeat")
    @classmethod
    def _bounded(cls, value: int, info: ValidationInfo) -> int:
        turns = info.data.get("turns") or []
        heard = sum(turn.audio is not None for turn in turns)
        if len(turns) * value > MAX_PLAYED:
            raise ValueError(f"{len(turns)} turns × repeat {value} is more than the {MAX_PLAYED:,} turns a scenario "
                             "may play over all its runs; repeat it fewer times")
        said = _said(turns)
        if said * value > MAX_SAID_PLAYED:
            raise ValueError(f"{said:,} characters said × repeat {value} is more than the {MAX_SAID_PLAYED:,} characters "
                             "a scenario may say over all its runs; repeat it fewer times")
        if heard * value > MAX_HEARD:
            raise ValueError(f"{heard} audio turns × repeat {value} is more than the {MAX_HEARD} audio turns a scenario "
                             "may play over all its runs (each goes through speech-to-text)")
        return value

    @field_validator("servers")
    @classmethod
    def _server_names(cls, value: dict[str, ServerSpec]) -> dict[str, ServerSpec]:
        return check_server_names(value)

    @field_validator("start_data", "preconnect")
    @classmethod
    def _identifiers(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(key)):
                raise ValueError(f"key {key!r} must be letters, digits and _ so that {{{{ {key} }}}} can name it")
        return value


def _said(turns: list[Turn]) -> int:
    """How many characters a scenario's caller turns and replies say."""
    return sum(len(turn.caller or "") + len(turn.reply or "") for turn in turns)
