"""The action library format: `actions:` by name, each with a `type`, a trigger and what it does.

Adding an action type means one model here (a subclass of `ActionBase` with a `type` literal),
one module in `callsim.actions`, and a line in each registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import AfterValidator, Field, field_validator, model_validator

from callsim.config.agent import TypedValue, ValueType
from callsim.config.phone_numbers import Recipient
from callsim.config.telephony import Destination, DigitsTemplate
from callsim.config.types import Duration, Model

LIFECYCLE_EVENTS = ("call_start", "turn", "call_end", "message_reply", "dtmf")


class Trigger(Model):
    """When an action fires: a lifecycle event, words the caller says, a condition, or another action."""

    on: Literal["call_start", "turn", "call_end", "message_reply", "dtmf"] | None = None
    """A lifecycle event; `turn` means every caller turn, `message_reply` a reply to a message that awaits one, `dtmf` keys the caller pressed (in the `dtmf` variable). Defaults to `turn` when phrases, keywords or regex are given."""
    phrases: list[str] = []
    """Phrases the caller may say; matched tolerantly of speech-to-text spelling."""
    keywords: list[str] = []
    """Words that must all appear in the caller's turn (each tolerant of spelling)."""
    regex: list[str] = []
    """Regular expressions searched in the caller's turn, case-insensitively."""
    description: str | None = None
    """What the caller wants, in plain words; matched by policies that understand language (not `scripted`)."""
    if_: str | None = Field(None, alias="if")
    """A condition over variables, e.g. `language == "es"` or `booking is defined`."""
    after: str | None = None
    """Fire after this other action finished."""

    @field_validator("regex", "phrases", "keywords", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        import re

        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"regex {pattern!r} does not compile: {error}") from None
        return value

    @model_validator(mode="after")
    def _says_when(self) -> Trigger:
        if not (self.on or self.phrases or self.keywords or self.regex or self.description
                or self.if_ or self.after):
            raise ValueError("a trigger needs at least one of on, phrases, keywords, regex, description, if, after")
        return self


class Fallback(Model):
    """What happens when an action fails: a line to say and/or another action to run."""

    say: str | None = None
    """What the agent says instead."""
    then: str | None = None
    """The name of another action to run next."""


class ActionBase(Model):
    """Fields every action type has."""

    trigger: Trigger | None = None
    """When the action fires; without one it only runs from another action's `then:` or `after:`."""
    needs: list[str] = []
    """Variables that must have a value before the action runs; the agent asks for each missing one."""
    say: str | None = None
    """What the agent says when the action finished."""
    on_error: Fallback | None = None
    """What happens when the action fails."""
    description: str | None = None
    """What the action is for (shown in reports and to language-model policies)."""

    speaks_first: ClassVar[bool] = False
    """Whether `say` is spoken before the action does its work (a transfer announces itself) instead of after."""
    runs_while_waiting: ClassVar[bool] = False
    """Whether an `on: turn` action runs at once even while the agent waits for an answer (it neither asks
    nor changes the subject, like an extractor), instead of after the answer."""

    def provides(self) -> set[str]:
        """The variables this action can set (so placeholders naming them are not typos)."""
        return set()

    def fallbacks(self) -> dict[str, Fallback]:
        """The action's fallback branches by field name (`on_error`, `on_no_answer`, ...)."""
        return {name: value for name in type(self).model_fields
                if isinstance(value := getattr(self, name), Fallback)}

    def fallback_for(self, kind: str) -> tuple[str, Fallback | None]:
        """The fallback (field name and value) taken when the action fails with this kind of failure."""
        return "on_error", self.on_error

    def check_files(self, folder: Path) -> list[tuple[str, str]]:
        """Problems with files the action reads (relative to its library's folder), as (field, problem) pairs."""
        return []

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Other actions this one names outside `then:` and `after:`, as (path in the action, name) pairs."""
        return []


def _jsonpath(path: str) -> str:
    import jsonpath

    try:
        jsonpath.compile(path)
    except Exception as error:  # python-jsonpath raises several syntax error types, with a caret diagram
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"{path!r} is not a valid JSONPath ({first}); expected e.g. $.status or $.items[0].id") from None
    return path


JsonPath = Annotated[str, AfterValidator(_jsonpath)]


class HttpRequest(Model):
    """The request an `http` action sends; every string may hold placeholders."""

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] = "GET"
    url: str
    """The URL; a placeholder's value is percent-encoded as one URL component."""
    headers: dict[str, str] = {}
    """Header values; a value that would contain a line break is refused."""
    query: dict[str, str] = {}
    """Query parameters, added to the URL's own."""
    json_: Any = Field(None, alias="json")
    """A JSON body; placeholders are inserted as JSON values, never spliced into JSON text."""
    form: dict[str, str] | None = None
    """A form-encoded body."""
    timeout: Duration = 10.0
    """How long to wait for the response before the action fails and takes `on_error`."""

    @field_validator("method", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("headers")
    @classmethod
    def _ascii(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            if not name.isascii() or not text.isascii():
                raise ValueError(f"header {name}: HTTP headers carry ASCII only; send non-ASCII text in the body")
        return value

    @field_validator("url")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not (value.startswith(("http://", "https://")) or value.strip().startswith("{{")):
            raise ValueError(f"url {value!r} must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _one_body(self) -> HttpRequest:
        if self.json_ is not None and self.form is not None:
            raise ValueError("give either json or form as the body, not both")
        return self


class HttpAction(ActionBase):
    """Call the user's own HTTP API mid-call and map the answer into variables."""

    type: Literal["http"]
    request: HttpRequest
    save: dict[str, JsonPath] = {}
    """Variables to set from the JSON response, each by a JSONPath such as `$.status`."""
    accept_status: list[int] = []
    """Status codes that count as success besides 2xx (e.g. 404 when 'not found' is an answer)."""

    def provides(self) -> set[str]:
        return set(self.save)



class MessageAction(ActionBase):
    """Text the caller (SMS or WhatsApp) during the call, optionally waiting for the reply while the call goes on."""

    type: Literal["message"]
    channel: Literal["sms", "whatsapp"] = "sms"
    to: Recipient = "{{ call.from }}"
    """The recipient, E.164 or a placeholder that renders to one; the caller's number by default."""
    body: str
    """The text; SMS bodies are sent as GSM-7 when they can be, else UCS-2, in as many segments as needed."""
    await_reply: Duration | None = None
    """Wait this long for a reply, on the call's clock, while the call goes on."""
    save_reply: str | None = None
    """The variable the reply's text is saved to (it is also in `reply.body`, with `reply.action`,
    `reply.channel` and `reply.from`, until the next reply)."""
    on_timeout: Fallback | None = None
    """What happens when no reply came within `await_reply`."""

    @field_validator("save_reply")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        import re

        from callsim.config.agent import RESERVED_ROOTS

        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError(f"save_reply {value!r} must be letters, digits and _ (usable as {{{{ {value} }}}})")
        if value in RESERVED_ROOTS:
            raise ValueError(f"save_reply {value!r} is reserved for {RESERVED_ROOTS[value]}; choose another name")
        return value

    @model_validator(mode="after")
    def _waits_for_reply(self) -> MessageAction:
        for name in ("save_reply", "on_timeout"):
            if getattr(self, name) is not None and self.await_reply is None:
                raise ValueError(f"{name} needs await_reply: how long to wait for the reply, e.g. await_reply: 2m")
        return self

    def provides(self) -> set[str]:
        if self.await_reply is None:
            return set()
        return {"reply"} | ({self.save_reply} if self.save_reply else set())


class SmsAction(ActionBase):
    """Text the caller after the call ended, when the trigger's `if:` holds over the call's variables."""

    type: Literal["sms"]
    trigger: Trigger | None = Field(None, validate_default=True)
    """Must be `on: call_end`, optionally with an `if:`; an sms action never fires during the call."""
    to: Recipient = "{{ call.from }}"
    """The recipient, E.164 or a placeholder that renders to one; the caller's number by default."""
    body: str
    """The text, sent as GSM-7 when it can be, else UCS-2, in as many segments as needed."""

    @field_validator("trigger")
    @classmethod
    def _after_the_call(cls, trigger: Trigger | None) -> Trigger | None:
        if trigger is None or trigger.on != "call_end":
            raise ValueError("an sms action is sent after the call, so it needs trigger: {on: call_end} "
                             "(optionally with if:, e.g. {on: call_end, if: booking is defined}); "
                             "to text during the call use type: message")
        during = [name for name in ("phrases", "keywords", "regex", "description", "after") if getattr(trigger, name)]
        if during:
            raise ValueError(f"trigger.{during[0]} would fire an sms action during the call; its trigger takes "
                             "only on: call_end and if: (to text during the call use type: message)")
        return trigger

    @field_validator("say")
    @classmethod
    def _nobody_listens(cls, value: str | None) -> str | None:
        if value is not None:
            raise ValueError("an sms action runs after the call, so say: would never be spoken; remove it")
        return value


SIP_STACK_HEADERS = frozenset({
    "via", "from", "to", "call-id", "cseq", "contact", "max-forwards", "content-length", "content-type", "route",
    "record-route", "authorization", "proxy-authorization", "refer-to", "referred-by", "replaces", "expires",
    "allow", "supported", "require", "session-expires", "v", "f", "t", "i", "m", "l", "c", "k", "r", "e",
})
"""Headers the SIP stack writes itself (with their compact forms); a transfer may not set them."""


class PhonebookRef(Model):
    """A transfer destination chosen from a phone book during the call."""

    phonebook: str
    """The phone book's name (under `phonebooks:` in an action library)."""
    hunt: bool = False
    """When the chosen target is busy or does not answer, try the next target whose `if:` holds."""


class TransferAction(ActionBase):
    """Hand the call to a person: dial, brief them (warm) or not (cold), bridge the caller, and leave the call."""

    speaks_first: ClassVar[bool] = True
    type: Literal["transfer"]
    say: str | None = None
    """What the agent tells the caller before dialing (after a bridged transfer the agent has left the call)."""
    mode: Literal["warm", "cold"] = "cold"
    """`warm`: brief the recipient first (whisper or summary), then bridge; `cold`: bridge as soon as they answer."""
    destination: Destination | PhonebookRef
    """An E.164 number, a SIP/SIPS URI, a placeholder that renders to one, or `{phonebook: NAME}`."""
    whisper: str | None = None
    """What the recipient hears before the caller is bridged (warm only)."""
    summary: bool = False
    """Brief the recipient with a summary of the call so far: who calls, what they asked, what was collected (warm only)."""
    ring_timeout: Duration = 30.0
    """How long to let it ring before giving up (`on_no_answer`)."""
    hold_audio: str | None = None
    """What the caller hears while it rings: `music`, or a WAV file relative to this library."""
    sip_headers: dict[str, str] = {}
    """Headers sent with the call to a SIP destination; placeholder values may not add a line break."""
    on_no_answer: Fallback | None = None
    """Nobody answered within `ring_timeout` (or voicemail answered a warm transfer)."""
    on_busy: Fallback | None = None
    """The line was busy."""
    on_declined: Fallback | None = None
    """The recipient heard the whisper and declined."""
    on_fail: Fallback | None = None
    """The call could not be placed: an invalid destination, a whisper or header that cannot be rendered, a SIP error."""

    @field_validator("destination", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        # before the union is tried, so an unquoted +number gets its own message, not two branch errors
        from callsim.config.telephony import unquoted_number

        return unquoted_number(value)

    @field_validator("ring_timeout")
    @classmethod
    def _rings(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("ring_timeout must be longer than 0s, e.g. 25s")
        return value

    @field_validator("hold_audio")
    @classmethod
    def _audio(cls, value: str | None) -> str | None:
        if value is not None and value != "music" and not value.lower().endswith(".wav"):
            raise ValueError(f"hold_audio {value!r} must be music or a .wav file")
        return value

    @field_validator("sip_headers")
    @classmethod
    def _header_names(cls, value: dict[str, str]) -> dict[str, str]:
        from callsim.backends.sip import is_token

        for name, text in value.items():
            if not is_token(name):
                raise ValueError(f"sip_headers: {name!r} is not a SIP header name (letters, digits and -.!%*_+`'~ only)")
            if name.lower() in SIP_STACK_HEADERS:
                raise ValueError(f"sip_headers: {name} is written by the SIP stack and cannot be set; "
                                 "use a custom header such as X-Order")
            if any(c in text for c in "\r\n\0"):
                raise ValueError(f"sip_headers.{name}: a header value cannot contain a line break or NUL")
        return value

    @model_validator(mode="after")
    def _briefing(self) -> TransferAction:
        if self.mode == "cold" and (self.whisper is not None or self.summary):
            raise ValueError("whisper and summary brief the recipient in a warm transfer; set mode: warm or remove them")
        if self.mode == "warm" and self.whisper is None and not self.summary:
            raise ValueError("a warm transfer briefs the recipient first: give whisper: \"...\" or summary: true "
                             "(or use mode: cold)")
        if self.whisper is not None and self.summary:
            raise ValueError("give either whisper or summary: true, not both")
        if self.sip_headers and isinstance(self.destination, str) and self.destination.startswith("+"):
            raise ValueError(f"sip_headers reach SIP destinations only, and {self.destination} is a phone number")
        return self

    def provides(self) -> set[str]:
        return {"transfer.outcome", "transfer.destination", "transfer.mode", "transfer.attempts"}

    def fallback_for(self, kind: str) -> tuple[str, Fallback | None]:
        field = {"busy": "on_busy", "no_answer": "on_no_answer", "declined": "on_declined"}.get(kind, "on_fail")
        chosen = getattr(self, field)
        return (field, chosen) if chosen is not None else ("on_error", self.on_error)

    def check_files(self, folder: Path) -> list[tuple[str, str]]:
        from callsim.config.telephony import check_hold_audio

        if self.hold_audio is None or self.hold_audio == "music":
            return []
        problem = check_hold_audio(self.hold_audio, folder)
        return [("hold_audio", problem)] if problem else []


class DtmfAction(ActionBase):
    """Press keys on the line, e.g. to get through another company's phone menu on an outbound call."""

    type: Literal["dtmf"]
    digits: DigitsTemplate
    """Keys 0-9 * # A-D, pauses w (half a second) and W (one second), and placeholders whose values are keys."""


BOOKING_VARIABLES = frozenset({
    "booking.id", "booking.start", "booking.end", "booking.start_iso", "booking.end_iso", "booking.title",
    "booking.attendee", "booking.calendar", "booking.status", "booking.previous_start",
    "booking.previous_start_iso", "booking.alternatives", "booking.alternatives_iso", "booking.wanted",
})
"""What a booking action sets: times spoken in the agent's zone ("Tuesday, December 1 at 10:30 AM"),
the same in ISO 8601 (`*_iso`), and the free times offered instead of a wanted one."""


class BookingAction(ActionBase):
    """Book, cancel or move an appointment in the calendar, offering the nearest free times when the
    wanted one is taken or outside opening hours (the caller then picks one in the next turn)."""

    type: Literal["booking"]
    mode: Literal["book", "cancel", "reschedule"] = "book"
    """`book` a new appointment, `cancel` one, or `reschedule` one to a new time."""
    start: str | None = None
    """When the caller wants it, as a placeholder: a moment, or a day or span ("tomorrow morning", as a
    `when` variable reads it) whose free times are offered. Default: the first variable in `needs`."""
    duration: Duration | None = None
    """How long the appointment lasts; default: the calendar's slot length (a moved booking keeps its own)."""
    title: str = "Appointment"
    """The calendar entry's title (placeholders allowed)."""
    attendee: str | None = None
    """Who it is for, e.g. `{{ call.from }}`; a cancel or reschedule without `booking_id` finds this attendee's next booking."""
    booking_id: str | None = None
    """Which booking a cancel or reschedule is about, e.g. `{{ booking.id }}`."""
    alternatives: int = Field(3, ge=1, le=10)
    """How many free times to offer when the wanted one cannot be booked."""
    offer: str = "I have {{ booking.alternatives }}. Which would suit you?"
    """What the agent says when the caller asked for a span ("anything tomorrow morning?") and free times are offered."""
    on_conflict: Fallback | None = None
    """What happens when the wanted time is taken (or past); `{{ booking.alternatives }}` holds free times."""
    on_outside_hours: Fallback | None = None
    """What happens when the wanted time is outside opening hours (else `on_conflict`)."""
    on_not_found: Fallback | None = None
    """What happens when a cancel or reschedule finds no booking."""

    def provides(self) -> set[str]:
        return set(BOOKING_VARIABLES)

    def fallback_for(self, kind: str) -> tuple[str, Fallback | None]:
        fields = {"conflict": ("on_conflict",), "past": ("on_conflict",),
                  "outside_hours": ("on_outside_hours", "on_conflict"), "not_found": ("on_not_found",)}
        for field in fields.get(kind, ()):
            if getattr(self, field) is not None:
                return field, getattr(self, field)
        return "on_error", self.on_error

    @property
    def start_template(self) -> str | None:
        """The placeholder text the wanted time is rendered from."""
        if self.start is not None:
            return self.start
        return f"{{{{ {self.needs[0]} }}}}" if self.needs else None

    @model_validator(mode="after")
    def _knows_what(self) -> BookingAction:
        if self.mode in ("book", "reschedule") and self.start_template is None:
            raise ValueError(f"a {self.mode} needs the wanted time: give start: \"{{{{ preferred_time }}}}\" "
                             "or list the variable first in needs")
        if self.mode in ("cancel", "reschedule") and self.booking_id is None and self.attendee is None:
            raise ValueError(f"a {self.mode} needs to find the booking: give booking_id: \"{{{{ booking.id }}}}\" "
                             "or attendee: \"{{ call.from }}\"")
        return self


class ExtractField(TypedValue):
    """One typed value an extractor reads out of what the caller said (rules as for the agent's variables)."""

    type: ValueType
    _what = "field"


class ExtractAction(ActionBase):
    """Read typed values out of what the caller said, per turn or from the whole call; each lands in a
    variable (source `extract:NAME`) and in the trace with the turn it came from."""

    type: Literal["extract"]
    runs_while_waiting: ClassVar[bool] = True
    fields: dict[str, ExtractField]
    """The values to read, by the variable each is saved to."""
    from_: Literal["turn", "transcript"] | None = Field(None, alias="from")
    """Read from the caller's turns since the extractor last ran (`turn`), or from every turn of the call,
    the latest value winning (`transcript`). Default: `transcript` at `call_end`, else `turn`."""

    def provides(self) -> set[str]:
        return set(self.fields)

    @property
    def reads_transcript(self) -> bool:
        if self.from_ is not None:
            return self.from_ == "transcript"
        return self.trigger is not None and self.trigger.on == "call_end"

    @field_validator("fields")
    @classmethod
    def _names(cls, value: dict[str, ExtractField]) -> dict[str, ExtractField]:
        import re

        from callsim.config.agent import RESERVED_ROOTS

        if not value:
            raise ValueError("an extractor needs at least one field, e.g. caller_name: {type: name}")
        for name in value:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(f"field name {name!r} must be letters, digits and _ (usable as {{{{ {name} }}}})")
            if name in RESERVED_ROOTS:
                raise ValueError(f"field name {name!r} is reserved for {RESERVED_ROOTS[name]}")
        return value


TRANSFER_OUTCOMES = ("connected", "no_answer", "busy", "declined", "failed")
CRITERION_RULES = ("said", "never_said", "action", "not_action", "action_failed", "if_", "transfer", "max_turns",
                   "no_fallback")


class Criterion(Model):
    """One rule an evaluation checks over the finished call, with its weight and what it means."""

    name: str
    said: str | None = None
    """The agent said something containing this text (case-insensitive)."""
    never_said: str | None = None
    """The agent never said anything containing this text."""
    action: str | None = None
    """This action ran and finished."""
    not_action: str | None = None
    """This action never ran."""
    action_failed: str | None = None
    """This action ran and failed."""
    if_: str | None = Field(None, alias="if")
    """A condition over the call's variables at its end, e.g. `booking.id is defined`."""
    transfer: Literal["connected", "no_answer", "busy", "declined", "failed"] | None = None
    """The call's transfer ended this way (`transfer.outcome`)."""
    max_turns: int | None = Field(None, ge=0)
    """The caller spoke at most this many turns."""
    no_fallback: bool | None = None
    """The agent never said its fallback line (`true`)."""
    weight: float = Field(1.0, ge=0)
    """How much the criterion counts towards the score."""
    rubric: str = ""
    """What the criterion means, for the people reading the result."""

    @property
    def rule(self) -> tuple[str, Any]:
        """The criterion's rule: its key (as written) and value."""
        key = next(k for k in CRITERION_RULES if getattr(self, k) is not None)
        return ("if" if key == "if_" else key), getattr(self, key)

    @model_validator(mode="after")
    def _one_rule(self) -> Criterion:
        given = [("if" if k == "if_" else k) for k in CRITERION_RULES if getattr(self, k) is not None]
        if len(given) != 1:
            rules = ", ".join("if" if k == "if_" else k for k in CRITERION_RULES)
            raise ValueError(f"criterion {self.name!r} needs exactly one rule ({rules}); "
                             f"got {', '.join(given) or 'none'}")
        if self.no_fallback is False:
            raise ValueError("no_fallback: false checks nothing; write no_fallback: true")
        if self.if_ is not None:
            from callsim.engine.templates import compile_condition
            from callsim.errors import TemplateError

            try:
                compile_condition(self.if_)
            except TemplateError as problem:
                raise ValueError(str(problem)) from None
        return self


class EvaluateAction(ActionBase):
    """Judge the finished call: weighted rules, a score, and pass or fail against `pass_score`."""

    type: Literal["evaluate"]
    trigger: Trigger | None = Trigger(on="call_end")
    """Evaluations run after the call (`on: call_end`, the default), optionally under an `if:`."""
    criteria: list[Criterion] = Field(min_length=1)
    pass_score: float = Field(1.0, ge=0, le=1)
    """The share of the total weight that must pass (1 = every criterion)."""

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("criteria", index, key), value) for index, item in enumerate(self.criteria)
                for key, value in [item.rule] if key in ("action", "not_action", "action_failed")]

    @model_validator(mode="after")
    def _scorable(self) -> EvaluateAction:
        names = [item.name for item in self.criteria]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"criterion names must be unique; repeated: {', '.join(repeated)}")
        if not sum(item.weight for item in self.criteria):
            raise ValueError("the criteria's weights add up to 0, so there is nothing to score")
        trigger = self.trigger
        if trigger is None or trigger.on != "call_end" or trigger.phrases or trigger.keywords or trigger.regex:
            raise ValueError("an evaluation judges the finished call: its trigger is {on: call_end} "
                             "(with an optional if:)")
        return self

Action = Annotated[Union[HttpAction, MessageAction, SmsAction, TransferAction, DtmfAction, BookingAction,
                         ExtractAction, EvaluateAction],
                  Field(discriminator="type")]
ACTION_TYPES = ("http", "message", "sms", "transfer", "dtmf", "booking", "extract", "evaluate")
"""Action types this version can run; the others in the design (transfer, message, booking, sms,
extract, evaluate, dtmf) are added by their own modules."""


class PhonebookEntry(Model):
    """One conditional target of a phone book."""

    if_: str | None = Field(None, alias="if")
    """A condition over variables and the agent's local time: `now.weekday`, `now.hour`, `now.time`,
    `business_hours("mon-fri 09:00-17:00")`; a target without `if:` is the default."""
    destination: Destination
    """An E.164 number, a SIP/SIPS URI, or a placeholder that renders to one."""

    @field_validator("if_")
    @classmethod
    def _condition(cls, value: str | None) -> str | None:
        from callsim.engine.hours import check_hours_in_condition
        from callsim.engine.templates import compile_condition
        from callsim.errors import TemplateError

        if value is not None:
            try:
                compile_condition(value)
            except TemplateError as problem:
                raise ValueError(str(problem)) from None
            check_hours_in_condition(value)
        return value


def _has_default(entries: list[PhonebookEntry]) -> list[PhonebookEntry]:
    if not any(entry.if_ is None for entry in entries):
        raise ValueError("the phone book has no default target (every entry has an if:); add a last entry "
                         "without if:, e.g. - destination: \"+14155550123\"")
    return entries


Phonebook = Annotated[list[PhonebookEntry], AfterValidator(_has_default)]
"""Ordered conditional targets; at least one without `if:`, so that some target always applies."""


class ActionLibrary(Model):
    """A reusable file of named actions, attached to agents with `uses:`."""

    actions: dict[str, Action] = {}
    phonebooks: dict[str, Phonebook] = {}
    """Named, ordered lists of transfer targets; the first whose `if:` holds is dialed."""
