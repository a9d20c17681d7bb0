"""The action library format: `actions:` by name, each with a `type`, a trigger and what it does.

Adding an action type means one model here (a subclass of `ActionBase` with a `type` literal),
one module in `callsim.actions`, and a line in each registry.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field, field_validator, model_validator

from callsim.config.types import Duration, Model

LIFECYCLE_EVENTS = ("call_start", "turn", "call_end")


class Trigger(Model):
    """When an action fires: a lifecycle event, words the caller says, a condition, or another action."""

    on: Literal["call_start", "turn", "call_end"] | None = None
    """A lifecycle event; `turn` means every caller turn. Defaults to `turn` when phrases, keywords or regex are given."""
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

    def provides(self) -> set[str]:
        """The variables this action can set (so placeholders naming them are not typos)."""
        return set()

    def fallbacks(self) -> dict[str, Fallback]:
        """The action's fallback branches by field name (`on_error`, `on_no_answer`, ...)."""
        return {name: value for name in type(self).model_fields
                if isinstance(value := getattr(self, name), Fallback)}


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
    save: dict[str, str] = {}
    """Variables to set from the JSON response, each by a JSONPath such as `$.status`."""
    accept_status: list[int] = []
    """Status codes that count as success besides 2xx (e.g. 404 when 'not found' is an answer)."""

    def provides(self) -> set[str]:
        return set(self.save)

    @field_validator("save")
    @classmethod
    def _jsonpaths(cls, value: dict[str, str]) -> dict[str, str]:
        import jsonpath

        for name, path in value.items():
            try:
                jsonpath.compile(path)
            except Exception as error:  # python-jsonpath raises several syntax error types
                raise ValueError(f"save.{name}: {path!r} is not a valid JSONPath ({error}); e.g. $.status") from None
        return value


Action = Annotated[Union[HttpAction], Field(discriminator="type")]
ACTION_TYPES = ("http",)
"""Action types this version can run; the others in the design (transfer, message, booking, sms,
extract, evaluate, dtmf) are added by their own modules."""


class PhonebookEntry(Model):
    """One conditional target of a phone book."""

    if_: str | None = Field(None, alias="if")
    destination: str


class ActionLibrary(Model):
    """A reusable file of named actions, attached to agents with `uses:`."""

    actions: dict[str, Action] = {}
    phonebooks: dict[str, list[PhonebookEntry]] = {}
