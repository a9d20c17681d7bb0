"""The `http` action: a request to the user's own API and the variables its answer sets."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from callsim.config.actions.base import ActionBase, JsonPath
from callsim.config.types import Duration, Model


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
