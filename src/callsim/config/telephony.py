"""Telephony in the file formats: destinations, DTMF digits, the scenario's `phones:` and `ivr:`.

Action models live in `callsim.config.actions`; this module holds what they and the scenario
format share, and the checks that need several files at once (a phone book named by a transfer,
a hold-music file beside the library, an `ivr:` that only an outbound call can meet).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, field_validator, model_validator

from callsim.backends.telephony import DTMF_KEYS, DestinationError, check_digits, parse_destination
from callsim.config.shapes.telephony import IvrMenuShape, TransferExpectationShape
from callsim.config.types import CALL_FIELDS, Duration, Model, Regex, SearchText
from callsim.errors import ConfigError, Position, TemplateError
from callsim.suggest import did_you_mean

if TYPE_CHECKING:
    from callsim.config.agent import AgentConfig
    from callsim.config.scenario import ScenarioConfig
    from callsim.config.document import Document

CALL_INPUTS = ("dtmf", "error.kind")
"""Variables any call can set besides the agent's: the keys the caller last pressed, the kind of the last
action failure."""
NOW_HELPERS = ("now", "business_hours")
"""Names a phone book's `if:` may use besides variables: the agent's local time and opening hours."""
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def _digits_template(text: str) -> str:
    """Digits written in a file: keys and pauses around `{{ placeholders }}` (whose values are checked in the call)."""
    if "{%" in text or "{#" in text:
        raise ValueError("digits may hold {{ placeholders }} but not {% %} or {# #} blocks")
    if not text:
        raise ValueError("digits is empty; give the keys to press, e.g. \"2w1234#\"")
    check_digits(_PLACEHOLDER.sub("", text))
    return text


def unquoted_number(value: Any) -> Any:
    """YAML reads an unquoted +14155550123 as the integer 14155550123: say so instead of 'expected text'."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f"the number {value} lost its + (YAML reads an unquoted +{value} as a number); "
                         f"write phone numbers in quotes, e.g. \"+{value}\"")
    return value


def _destination(text: str) -> str:
    try:
        return parse_destination(text).address
    except DestinationError as problem:
        raise ValueError(str(problem)) from None


def destination_unless_template(text: str) -> str:
    """A destination with placeholders is checked once rendered in the call; any other must be valid now."""
    if "{{" in text or "{%" in text:
        return text
    return _destination(text)


def _key_presses(text: str) -> str:
    if not text:
        raise ValueError("dtmf is empty; give the keys the caller presses, e.g. \"1234#\"")
    return check_digits(text)


DigitsTemplate = Annotated[str, AfterValidator(_digits_template)]
"""Keys and pauses to send, with `{{ placeholders }}` whose values must be keys only."""
KeyPresses = Annotated[str, AfterValidator(_key_presses)]
"""Keys a caller presses, with optional w/W pauses."""
Destination = Annotated[str, BeforeValidator(unquoted_number), AfterValidator(destination_unless_template)]
"""A transfer or phone-book destination: valid now, or a placeholder checked once rendered in the call."""
StaticDestination = Annotated[str, BeforeValidator(unquoted_number), AfterValidator(_destination),
                              WithJsonSchema({"type": "string", "examples": ["+14155550123", "sip:billing@pbx.example.com"]})]
"""A phone number (E.164) or a SIP/SIPS URI, written in a file."""


class PhoneBehaviour(Model):
    """What a destination does when a transfer dials it (one entry of a scenario's `phones:`)."""

    answer_after: Duration | None = None
    """A person (or, with `voicemail: true`, the voicemail) answers after ringing this long."""
    busy: bool = False
    """The line is busy (486 Busy Here)."""
    no_answer: bool = False
    """It rings and rings: nobody answers before any ring timeout."""
    voicemail: bool = False
    """Voicemail picks up (after `answer_after`, default 20s)."""
    declines: bool = False
    """The person answers, hears the whisper, and declines the call."""
    accepts_after: Duration = 0.0
    """How long the person takes, after the whisper, to accept (or, with `declines`, to decline)."""
    fails: bool | int | str | None = None
    """The call cannot be placed: `true`, a SIP status such as 503, or a status line such as "404 Not Found"."""
    optional: bool = False
    """The call may end without dialing this destination (else a phone never dialled fails the scenario)."""

    @field_validator("fails")
    @classmethod
    def _fails_false_is_unset(cls, value: bool | int | str | None) -> bool | int | str | None:
        return None if value is False else value

    @model_validator(mode="after")
    def _one_outcome(self) -> PhoneBehaviour:
        chosen = [name for name in ("busy", "no_answer", "voicemail") if getattr(self, name)]
        if self.fails is not None:
            chosen.append("fails")
        if len(chosen) > 1:
            raise ValueError(f"give one of busy, no_answer, voicemail and fails, not {' and '.join(chosen)}")
        if not chosen and self.answer_after is None:
            raise ValueError("say what this phone does: answer_after: 8s, busy: true, no_answer: true, "
                             "voicemail: true or fails: 503")
        if chosen and chosen[0] != "voicemail" and self.answer_after is not None:
            raise ValueError(f"answer_after does not go with {chosen[0]}: nobody answers")
        if (self.declines or self.accepts_after) and chosen:
            what = "declines" if self.declines else "accepts_after"
            raise ValueError(f"{what} needs a person who answers: give answer_after without {chosen[0]}")
        if isinstance(self.fails, int) and not isinstance(self.fails, bool) and not 400 <= self.fails <= 699:
            raise ValueError(f"fails: {self.fails} is not a SIP failure status (400-699)")
        return self


class IvrMenu(IvrMenuShape, Model):
    """One prompt of a phone menu (a scenario's `ivr:` and each of its options)."""

    say: str
    """What the menu says."""
    name: str | None = None
    """A name for this prompt in the trace (defaults to the keys that lead to it, e.g. `menu > 2 > entry`)."""
    options: dict[str, IvrMenu] = {}
    """Single keys (0-9, *, #, A-D) and the prompt each leads to; any other key is a wrong key."""
    collect: str | None = None
    """Collect keys until this terminator (e.g. "#"), then go on to `then`."""
    pattern: Regex | None = None
    """For `collect`: a regular expression the collected keys must match (else it counts as a wrong entry)."""
    then: IvrMenu | None = None
    """What the menu says next: after a collection, or right after this prompt when it has no options."""
    hangup: bool = False
    """A dead end: the menu hangs up after saying this."""
    timeout: Duration = 5.0
    """How long the menu waits for a key after the prompt (and between collected keys) before repeating it."""
    repeat: int = Field(2, ge=0, le=10)
    """How many times the prompt is repeated after a wrong key or a timeout before the menu gives up and hangs up."""
    invalid: str = "Sorry, that is not a valid choice."
    """What the menu says after a wrong key, before repeating the prompt."""
    goodbye: str = "Sorry, we could not process your request. Goodbye."
    """What the menu says when it gives up."""

    @field_validator("options", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        # YAML reads `2:` as a number; a key on the keypad is text
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value

    @field_validator("options")
    @classmethod
    def _single_keys(cls, value: dict[str, IvrMenu]) -> dict[str, IvrMenu]:
        for key in value:
            if len(key) != 1 or key not in DTMF_KEYS:
                raise ValueError(f"option {key!r} must be one key: 0-9, *, #, A-D (collect longer entries with collect:)")
        return value

    @field_validator("collect")
    @classmethod
    def _terminator(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 1 or value not in DTMF_KEYS):
            raise ValueError(f"collect: {value!r} must be the one key that ends the entry, e.g. \"#\"")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> IvrMenu:
        if self.options and self.collect:
            raise ValueError("a prompt either offers options or collects an entry, not both")
        if self.options and self.then:
            raise ValueError("then: follows a collection or a plain prompt; with options, each option says what follows")
        if self.pattern and not self.collect:
            raise ValueError("pattern checks a collected entry: add collect: \"#\"")
        if self.hangup and (self.options or self.collect or self.then):
            raise ValueError("hangup: true ends the call here; remove options, collect and then")
        return self


class TransferExpectation(TransferExpectationShape, Model):
    """A transfer the agent must have attempted (`transfer:` in a scenario's expectations)."""

    to: str | None = None
    """The destination dialed (E.164 or SIP URI; compared as telephony does, e.g. the SIP host case-insensitively)."""
    mode: Literal["warm", "cold"] | None = None
    whisper_contains: SearchText | None = None
    """Text the recipient heard in the whisper or summary (case-insensitive)."""
    outcome: Literal["connected", "voicemail", "no_answer", "busy", "declined", "failed", "abandoned"] | None = None
    """How it ended: bridged to a person, bridged to voicemail (cold), one of the failures, or `abandoned`
    (the caller hung up before it was bridged)."""

    @field_validator("to", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        return unquoted_number(value)

    @field_validator("whisper_contains", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


# ---- checks across files ------------------------------------------------------------------------


def check_project(agent: AgentConfig, actions: Mapping[str, Any], positions: Mapping[str, Position],
                  phonebooks: Mapping[str, list[Any]], phonebook_docs: Mapping[str, Document]) -> list[ConfigError]:
    """Telephony checks over an agent's actions and phone books: references, conditions, what may be missing."""
    errors: list[ConfigError] = []
    supplied = set(agent.variables) | set(CALL_INPUTS)
    for action in actions.values():
        supplied.update(action.provides())
    for name, action in actions.items():
        where = positions[name]
        if action.type == "transfer":
            errors.extend(_check_transfer(agent, phonebooks, name, action, where))
        elif action.type == "dtmf":
            errors.extend(_check_names(agent, action.needs, action.digits, where, f"action '{name}': digits"))
    for book, doc in phonebook_docs.items():
        errors.extend(_check_phonebook(agent, actions, supplied, book, phonebooks[book], doc))
    return errors


def _check_transfer(agent: AgentConfig, phonebooks: Mapping[str, Any], name: str, action: Any,
                    where: Position) -> list[ConfigError]:
    errors: list[ConfigError] = []
    book = getattr(action.destination, "phonebook", None)
    if book is not None and book not in phonebooks:
        errors.append(ConfigError(f"action '{name}': destination names unknown phone book '{book}'", where,
                                  did_you_mean(book, phonebooks) or
                                  f"defined phone books: {', '.join(sorted(phonebooks)) or 'none'}"))
    spoken = {"whisper": action.whisper or ""}
    spoken.update({f"sip_headers.{header}": value for header, value in action.sip_headers.items()})
    for label, text in spoken.items():
        errors.extend(_check_names(agent, action.needs, text, where, f"action '{name}': {label}"))
    return errors


def _check_names(agent: AgentConfig, needs: list[str], text: str, where: Position, label: str) -> list[ConfigError]:
    """A placeholder read while transferring (or dialing) that names a caller variable the action does not
    `need` may have no value: the agent would have to guess, so say so now rather than in the call."""
    from callsim.templates import compile_template

    try:
        template = compile_template(text)
    except TemplateError:
        return []  # reported by the general placeholder check
    errors = []
    for path in sorted(template.names):
        root = path.split(".", 1)[0]
        spec = agent.variables.get(root)
        if spec is not None and spec.from_ == "caller" and root not in needs:
            errors.append(ConfigError(
                f"{label}: {{{{ {path} }}}} may have no value when the action runs (the caller may not have said it)",
                where, f"add '{root}' to the action's needs: (the agent then asks for it) or write "
                       f"{{{{ {path} | default(\"...\") }}}}"))
    return errors


def _check_phonebook(agent: AgentConfig, actions: Mapping[str, Any], supplied: set[str], book: str,
                     entries: list[Any], doc: Document) -> list[ConfigError]:
    from callsim.config.conditions import comparison_problems, condition_problems, read_types
    from callsim.templates import compile_condition, compile_template

    errors: list[ConfigError] = []
    declared = read_types(agent, actions)
    for index, entry in enumerate(entries):
        reads: set[str] = set()
        try:
            if entry.if_:
                condition = compile_condition(entry.if_)
                reads |= condition.names | condition.optional_names
                errors.extend(ConfigError(f"phone book '{book}', target {index + 1}, if: {problem}",
                                          doc.position(("phonebooks", book, index, "if")), hint)
                              for problem, hint in condition_problems(condition, declared, None, agent.region))
            template = compile_template(entry.destination)
            reads |= template.names | template.optional_names
            errors.extend(ConfigError(f"phone book '{book}', target {index + 1}, destination: {problem}",
                                      doc.position(("phonebooks", book, index, "destination")), hint)
                          for problem, hint in comparison_problems(template.comparisons, declared, agent.region))
        except TemplateError:
            continue  # the entry's own validation reported it
        for path in sorted(reads):
            root = path.split(".", 1)[0]
            if root in supplied or path in supplied or root in NOW_HELPERS or path in CALL_FIELDS or root == "secrets":
                continue
            errors.append(ConfigError(
                f"phone book '{book}', target {index + 1}: {{{{ {path} }}}} names a variable nothing can supply",
                doc.position(("phonebooks", book, index)),
                "declare it under the agent's variables or save it from an action; "
                "for time of day use now.weekday, now.hour, now.time or business_hours(\"mon-fri 09:00-17:00\")"))
    return errors


def check_scenario(config: ScenarioConfig, doc: Document) -> list[ConfigError]:
    """An `ivr:` answers the agent's own (outbound) call, and then no caller speaks."""
    errors = []
    if config.ivr is not None and config.direction != "outbound":
        errors.append(ConfigError("an ivr: is the phone menu the agent calls, so the scenario needs direction: outbound",
                                  doc.position(("ivr",), key=True), "add 'direction: outbound'"))
    if config.ivr is not None:
        for index, turn in enumerate(config.turns):
            if turn.caller is not None:
                errors.append(ConfigError(
                    "a caller: turn in a scenario with an ivr: (the other end is the phone menu)",
                    doc.position(("turns", index)), "let the menu play out with wait: turns, e.g. - wait: 1m"))
    return errors

