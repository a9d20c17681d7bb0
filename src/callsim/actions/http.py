"""The `http` action: render a request safely, send it, map the JSON answer into variables.

Every response sets `http.status`; a failure is an `ActionError` whose kind (`timeout`, `connect`,
`status` with the code, `invalid_json`, `missing_field`) picks `on_timeout`, `on_status` or `on_error`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from callsim.actions.base import ActionContext, ActionError
from callsim.backends.live_http import LIVE, is_live
from callsim.errors import TemplateError
from callsim.templates import built_from, render_data, render_header, render_json, render_url
from callsim.trace.events import HttpRequestSent, HttpResponseReceived

if TYPE_CHECKING:
    from callsim.config.actions import HttpAction
    import httpx

MAX_BODY_IN_TRACE = 4096
_PLAIN_PATH = re.compile(r"\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def render_headers(templates: dict[str, str], values: Any, where: Callable[[str], str]) -> dict[str, str]:
    """An HTTP request's header values, rendered; TemplateError for one an HTTP header cannot carry (a control
    character, or any non-ASCII one: httpx would raise UnicodeEncodeError while sending)."""
    headers = {name: render_header(value, values, where(name)) for name, value in templates.items()}
    for name, value in headers.items():
        if not value.isascii():
            raise TemplateError(f"{where(name)}: the value has non-ASCII characters, which an HTTP header cannot "
                                "carry; send such text in the body")
    return headers


async def run(action: HttpAction, ctx: ActionContext) -> dict[str, Any]:
    """Send the action's request and return the variables its `save:` maps out of the response."""
    import httpx  # here, not at import: see callsim.backends.http

    spec = action.request
    values = ctx.variables
    url = render_url(spec.url, values, ctx.where("request.url"))
    headers = render_headers(spec.headers, values, lambda name: ctx.where(f"request.headers.{name}"))
    params = {name: render_data(value, values, ctx.where(f"request.query.{name}"))
              for name, value in spec.query.items()}
    body = render_json(spec.json_, values, ctx.where("request.json")) if spec.json_ is not None else None
    form = ({k: render_data(v, values, ctx.where(f"request.form.{k}")) for k, v in spec.form.items()}
            if spec.form is not None else None)
    if params:
        names = list(params)
        url = built_from(values, lambda parts: str(httpx.URL(parts[0]).copy_merge_params(dict(zip(names, parts[1:])))),
                         [url, *params.values()])
    ctx.emit(HttpRequestSent(action=ctx.name, method=spec.method, url=url, headers=headers, json_=body, form=form))
    started = ctx.clock.elapsed()
    try:
        response = await ctx.backends.http.request(spec.method, url, headers=headers, json=body, form=form,
                                                   timeout=spec.timeout)
    except httpx.TimeoutException as error:
        raise ActionError("timeout", f"{spec.method} {url} got no response within {spec.timeout:g}s",
                          live=is_live(error)) from None
    except httpx.TransportError as error:
        raise ActionError("connect", f"{spec.method} {url} could not connect: {error}", live=is_live(error)) from None
    elapsed = ctx.clock.elapsed() - started
    data, text = _body(response)
    status = response.status_code
    live = response.extensions.get(LIVE)
    ctx.emit(HttpResponseReceived(action=ctx.name, status=status, elapsed=round(elapsed, 3),
                                  json_=data, text=None if data is not None else text, live=live))
    ctx.call.set_variable("http.status", status, f"action:{ctx.name}")
    if not (response.is_success or status in action.accept_status):
        raise ActionError("status", f"{spec.method} {url} answered {status} {response.reason_phrase}", status=status,
                          live=bool(live))
    if action.save and data is None:
        raise ActionError("invalid_json", f"{spec.method} {url} answered {response.status_code} "
                                          f"but the body is not JSON, so save: cannot read it", live=bool(live))
    return {name: _select(path, data, name) for name, path in action.save.items()}


def _body(response: httpx.Response) -> tuple[Any, str | None]:
    content = response.content
    if not content:
        return None, None
    try:
        # from bytes: json detects UTF-8/16/32 itself, cheaper than httpx's charset guessing for .text
        return json.loads(content), None
    except ValueError:
        return None, response.text[:MAX_BODY_IN_TRACE]


@lru_cache(maxsize=1024)
def _compiled(path: str) -> Any:
    import jsonpath

    return jsonpath.compile(path)


@lru_cache(maxsize=1024)
def _keys(path: str) -> tuple[str, ...] | None:
    """The keys of a plain path such as `$.tracking.url`, or None for any other JSONPath."""
    return tuple(path[2:].split(".")) if _PLAIN_PATH.fullmatch(path) else None


def _select(path: str, data: Any, name: str) -> Any:
    """The value at a JSONPath: one match gives the value, several give a list, none is a failure."""
    keys = _keys(path)
    if keys is not None:  # most save: paths; a walk through dicts is ten times cheaper than the JSONPath engine
        value = data
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                break
            value = value[key]
        else:
            return value
    matches = _compiled(path).findall(data)
    if not matches:
        raise ActionError("missing_field", f"the response has nothing at {path} for save.{name}")
    return matches[0] if len(matches) == 1 else list(matches)
