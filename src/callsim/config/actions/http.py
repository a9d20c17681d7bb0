"""The `http` action: a request to the user's own API and the variables its answer sets."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from callsim.config.actions.base import ActionBase, Fallback, JsonPath
from callsim.config.shapes.actions import HttpShape
from callsim.config.types import Duration, Model, RequestHeaders, RequestUrl


class HttpRequest(Model):
    """The request an `http` action sends; every string may hold placeholders."""

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] = "GET"
    url: RequestUrl
    """The URL; a placeholder's value is percent-encoded as one URL component."""
    headers: RequestHeaders = {}
    """Header values: visible ASCII (a placeholder's value with a line break or non-ASCII text is refused)."""
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

    @model_validator(mode="after")
    def _one_body(self) -> HttpRequest:
        if self.json_ is not None and self.form is not None:
            raise ValueError("give either json or form as the body, not both")
        return self


def _status_key(value: Any) -> str:
    """An error status (300-599; YAML reads `404:` as a number) or a class (`4xx`), as text."""
    text = str(value).strip().lower() if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    if text is None or not re.fullmatch(r"[3-5](?:\d\d|xx)", text):
        raise ValueError(f"{value!r} is neither an error status from 300 to 599 nor a class 3xx, 4xx or 5xx; "
                         "write e.g. 404 or 5xx")
    return text


StatusKey = Annotated[str, BeforeValidator(_status_key)]
"""`404` (one status) or `4xx` (a class of statuses), as `on_status` and `action_failed` expectations write them."""


class HttpAction(HttpShape, ActionBase):
    """Call the user's own HTTP API mid-call and map the answer into variables."""

    type: Literal["http"]
    request: HttpRequest
    save: dict[str, JsonPath] = {}
    """Variables to set from the JSON response, each by a JSONPath such as `$.status`."""
    accept_status: list[int] = []
    """Status codes that count as success besides 2xx (e.g. 404 when 'not found' is an answer)."""
    on_timeout: Fallback | None = None
    """What happens when no response came within `request.timeout` (else `on_error`)."""
    on_status: dict[StatusKey, Fallback] = {}
    """What happens on an error status, by code or class: `{404: {...}, 5xx: {...}}`; an exact code wins
    over its class; a status with neither takes `on_error`. `{{ http.status }}` holds the code."""

    @model_validator(mode="after")
    def _reachable_statuses(self) -> HttpAction:
        for key in self.on_status:
            if key.endswith("xx") or int(key) not in self.accept_status:
                continue
            raise ValueError(f"on_status {key} can never be taken: accept_status makes {key} a success; "
                             f"remove one of the two")
        return self
