"""Real parts in the file formats: servers of your own that pass-through routes reach, the hosts beyond
this machine a request may go to, and the post-call webhook.

Nothing leaves the machine unless a file says so: an `http:` route with `pass_through:` sends the
requests it matches for real, and only to a loopback address unless the host is in `live_hosts:`.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, field_validator, model_validator

from callsim.config.types import Duration, Model, RequestHeaders, RequestUrl

_HOSTNAME = re.compile(r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _host(value: str) -> str:
    """A host name or an IP address, as a URL writes it (no scheme, port or path)."""
    text = value.strip().lower()
    try:
        return str(ipaddress.ip_address(text.strip("[]")))
    except ValueError:
        pass
    if not _HOSTNAME.fullmatch(text):
        raise ValueError(f"{value!r} is not a host name; write only the host, e.g. staging.acme.example "
                         "(no scheme, port or path)")
    return text


LiveHost = Annotated[str, AfterValidator(_host)]
"""A host beyond this machine that pass-through requests may reach."""


def _server_name(value: Any) -> Any:
    if isinstance(value, str) and not _NAME.fullmatch(value):
        raise ValueError(f"pass_through {value!r}: give true (send to the request's own URL) or the name of a "
                         "server under servers: (letters, digits and _)")
    return value


PassThrough = Annotated[bool | str, AfterValidator(_server_name)]
"""`true`: the request goes to its own URL; a name: to that server of `servers:`, keeping path and query."""


def _command(value: Any) -> Any:
    """`python app.py --port {port}` or a list of arguments; never run through a shell."""
    if isinstance(value, str):
        try:
            value = shlex.split(value)
        except ValueError as problem:
            raise ValueError(f"command {value!r}: {problem}") from None
    return value


class ServerSpec(Model):
    """A server of your own (the webhook app behind your custom actions) that pass-through routes reach:
    where it already runs (`url:`), or the command callsim starts it with (`command:`)."""

    url: str | None = None
    """Where it runs, e.g. `http://127.0.0.1:8080` (a loopback address, or a host in `live_hosts:`)."""
    command: Annotated[list[str], BeforeValidator(_command)] | None = None
    """How callsim starts it, from the folder of the file that declares it, on a free port: the port is in
    the environment as `PORT` and replaces `{port}` in the arguments; `python` is the Python running callsim.
    Started once per run, when a call that passes requests through to it runs, and stopped at the end."""
    ready: str | None = None
    """A path that answers (any status below 500) once the server is ready, e.g. `/health`; without it,
    the server is ready when its port takes connections."""
    start_timeout: Duration = 15.0
    """How long it may take to become ready before the scenario fails."""

    @field_validator("url")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", value):
            raise ValueError(f"url {value!r} must be a base URL such as http://127.0.0.1:8080")
        return value.rstrip("/") if value else value

    @field_validator("command")
    @classmethod
    def _not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("command is empty; give the program and its arguments, e.g. [python, app.py]")
        return value

    @field_validator("ready")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError(f"ready {value!r} must be a path on the server, e.g. /health")
        return value

    @model_validator(mode="after")
    def _where(self) -> ServerSpec:
        if (self.url is None) == (self.command is None):
            raise ValueError("give a server either url: (where it already runs) or command: (how callsim starts "
                             "it), not both")
        return self


def check_server_names(servers: dict[str, ServerSpec]) -> dict[str, ServerSpec]:
    """Server names are what `pass_through:` names: letters, digits and _."""
    for name in servers:
        if not _NAME.fullmatch(name):
            raise ValueError(f"server name {name!r} must be letters, digits and _ (pass_through: names it)")
    return servers


class WebhookConfig(Model):
    """Where the agent POSTs its end-of-call report after every call (see the README's "Post-call webhook")."""

    url: RequestUrl
    """The URL; placeholders allowed (percent-encoded as in any request)."""
    headers: RequestHeaders = {}
    """Headers, e.g. `{Authorization: "Bearer {{ secrets.HOOK_TOKEN }}"}`; never written to a trace unredacted."""
    timeout: Duration = 10.0
    """How long to wait for the server's answer."""


def no_answer_fields(route: Any) -> list[str]:
    """The answer fields a pass-through route gives for nothing (the server answers instead)."""
    return [name for name in ("status", "json_", "text", "headers", "delay", "error") if name in route.model_fields_set]
