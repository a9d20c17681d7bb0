"""Events of HTTP actions: the request sent and the response received."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from callsim.trace.events.base import Event


@dataclass(slots=True)
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


@dataclass(slots=True)
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
