"""Fakes a call meets: HTTP routes, and the fakes that belong to the agent (its `defaults:`).

An agent's defaults are its calendar, the phones it transfers to, its HTTP routes, servers and hosts,
which every call of the agent meets (scenarios, Python calls, the simulator's free call). The merge
rule, one per section (a scenario's own setup always wins):

- `http`: the scenario's routes are tried first, then the agent's, in order; the first that matches
  answers, so a scenario route for the same URL overrides the agent's.
- `phones`: by destination; the scenario's entry replaces the agent's for the same number or URI.
- `calendar`: field by field; a field the scenario writes (`timezone`, `hours`, `slot`, `name`, `ics`)
  replaces the agent's; `events` are the agent's and the scenario's together.
- `servers`: by name, the scenario's first; `live_hosts`: both lists.

The agent's fakes may go unused (a scenario exercises one part of the agent): they never fail a
scenario as unused, as if each were marked `optional: true`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from callsim.config.calendar import CalendarSpec
from callsim.config.live import LiveHost, PassThrough, ServerSpec, check_server_names, no_answer_fields
from callsim.config.shapes.fakes import FakeDefaultsShape, HttpRouteShape
from callsim.config.telephony import PhoneBehaviour, StaticDestination
from callsim.config.types import Duration, Model

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


class HttpRoute(HttpRouteShape, Model):
    """A fake HTTP endpoint: requests that match get this answer, on the virtual clock."""

    match: str
    """`METHOD URL`, e.g. `GET https://api.acme.test/orders/4567`; a URL ending in `*` matches any suffix."""
    status: int = Field(200, ge=100, le=599)
    json_: Any = Field(None, alias="json")
    """A JSON response body."""
    text: str | None = None
    """A raw response body (use for invalid JSON or plain text)."""
    headers: dict[str, str] = {}
    delay: Duration = 0.0
    """How long the server takes to answer; longer than the action's timeout makes it time out."""
    error: Literal["timeout", "connect"] | None = None
    """Fail the request instead of answering: a read timeout or a refused connection."""
    times: int | None = Field(None, ge=1)
    """Answer only this many matching requests; later ones fall through to the next route."""
    optional: bool = False
    """The call may end without any request to this route (else an unused route fails the scenario)."""
    pass_through: PassThrough | None = None
    """Send the matching requests for real and answer with the real response (as respx's `pass_through`):
    `true` to the request's own URL, or the name of a server under `servers:` (path and query kept). Only to
    a loopback address unless the host is in `live_hosts:`; the action's `timeout:` is a real deadline and the
    real time taken moves the call's clock."""

    @field_validator("match")
    @classmethod
    def _method_and_url(cls, value: str) -> str:
        parts = value.split(None, 1)
        if len(parts) != 2 or parts[0].upper() not in HTTP_METHODS:
            raise ValueError(f"match {value!r} must be 'METHOD URL', e.g. 'GET https://api.acme.test/orders/4567'")
        if not parts[1].startswith(("http://", "https://")):
            raise ValueError(f"match URL {parts[1]!r} must start with http:// or https://")
        return f"{parts[0].upper()} {parts[1]}"

    @model_validator(mode="after")
    def _one_body(self) -> HttpRoute:
        if self.json_ is not None and self.text is not None:
            raise ValueError("give either json or text as the response body, not both")
        if (self.json_ is not None or self.text is not None) and (
                self.status < 200 or self.status in (204, 304) or self.method == "HEAD"):
            answer = "an answer to HEAD" if self.method == "HEAD" else f"a {self.status} answer"
            raise ValueError(f"{answer} carries no body (RFC 9110), so this json/text is an answer no server sends "
                             "and a save: from it could never happen; remove the body, or answer with status 200")
        if self.pass_through not in (None, False):
            given = no_answer_fields(self)
            if given:
                raise ValueError(f"a pass-through route is answered by the server itself, so "
                                 f"{', '.join(name.rstrip('_') for name in given)} would do nothing; remove "
                                 f"{'it' if len(given) == 1 else 'them'}, or pass_through")
        return self


class FakeDefaults(FakeDefaultsShape, Model):
    """The agent's own fakes (its `defaults:`), which scenarios extend or override."""

    calendar: CalendarSpec | None = None
    """The calendar its bookings meet: time zone, opening hours, slot length, standing events, an .ics file
    (relative to the agent file). A scenario's `calendar:` fields replace these one by one; events add up."""
    phones: dict[StaticDestination, PhoneBehaviour] = {}
    """What the destinations its transfers dial do; a scenario's entry for the same destination wins."""
    http: list[HttpRoute] = []
    """Routes tried after the scenario's own (fakes, or `pass_through:` to a server below)."""
    servers: dict[str, ServerSpec] = Field(default_factory=dict)
    """Servers of the team's own that these routes pass requests through to (commands run beside the agent)."""
    live_hosts: list[LiveHost] = []
    """Hosts beyond this machine that pass-through requests may reach, in every call of the agent."""

    @field_validator("servers")
    @classmethod
    def _server_names(cls, value: dict[str, ServerSpec]) -> dict[str, ServerSpec]:
        return check_server_names(value)
