"""Events of HTTP actions: the request sent and the response received."""

from __future__ import annotations

from dataclasses import field
from typing import Any, ClassVar

from callsim.trace.events.base import Event, event_type


@event_type
class HttpRequestSent(Event):
    type: ClassVar[str] = "http_request"
    action: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    json_: Any = None
    form: dict[str, str] | None = None

    def summary(self) -> str:
        return f"→ {self.method} {self.url}"


@event_type
class HttpResponseReceived(Event):
    type: ClassVar[str] = "http_response"
    action: str
    status: int
    elapsed: float
    json_: Any = None
    text: str | None = None
    live: bool | None = None
    """True when a real server answered (a `pass_through:` route), not a fake."""

    def summary(self) -> str:
        return f"← {self.status} in {self.elapsed:g}s" + (" (live)" if self.live else "")


@event_type
class WebhookSent(Event):
    """The agent's end-of-call report, POSTed to its `webhook:` after the post-call actions."""

    type: ClassVar[str] = "webhook_sent"
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    json_: Any = None
    """The report (see `callsim schema webhook`), secrets redacted."""

    def summary(self) -> str:
        return f"→ webhook POST {self.url}"


@event_type
class WebhookAnswered(Event):
    """How the webhook's server answered the report: a status, or a failure on the way (`error`)."""

    type: ClassVar[str] = "webhook_answered"
    elapsed: float
    status: int | None = None
    error: str | None = None
    """`timeout` or `connect` when no response came."""
    live: bool | None = None
    """True when a real server answered (a `pass_through:` route)."""
    stand_in: bool | None = None
    """True when no route matched and callsim answered in the server's place (204), so nothing was tested."""

    @property
    def failed(self) -> bool:
        return self.error is not None or self.status is None or self.status >= 300

    def summary(self) -> str:
        answer = f"failed ({self.error})" if self.error else f"← {self.status} in {self.elapsed:g}s"
        how = " (live)" if self.live else " (callsim's stand-in: no route)" if self.stand_in else ""
        return f"webhook {answer}{how}"
