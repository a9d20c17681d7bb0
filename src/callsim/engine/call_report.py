"""The end-of-call report the agent's `webhook:` receives after every call, as hosted voice platforms send
one: the call, what was said, what the agent collected, what its actions did, and how the call was
judged. Its shape is a contract, `callsim schema webhook` (`callsim.config.report`); secrets never reach
it (the report is redacted as the trace is).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from callsim.backends.http import STAND_IN
from callsim.backends.live_http import LIVE, is_live
from callsim.errors import TemplateError
from callsim.templates import render_url
from callsim.trace.events import EngineError, Event, WebhookAnswered, WebhookSent, said_lines

if TYPE_CHECKING:
    from callsim.engine.session import CallSession

REPORT_TYPE = "end_of_call_report"
REPORT_FORMAT = 1
OUTCOMES = {"action_finished": "finished", "action_failed": "failed", "action_offered": "offered",
            "action_abandoned": "abandoned"}


async def send_webhook(call: CallSession) -> None:
    """POST the report to the agent's webhook (through the call's HTTP routes; callsim answers 204 in the
    server's place when none matches) and record what was sent and how it was answered."""
    hook = call.agent.webhook
    if hook is None:
        return
    import httpx  # only for a call that sends a report: a run without HTTP does not load it

    from callsim.actions.http import render_headers

    values = call.context()
    try:
        url = render_url(hook.url, values, "agent webhook, field url")
        headers = render_headers(hook.headers, values, lambda name: f"agent webhook, field headers.{name}")
    except TemplateError as problem:
        call.emit(EngineError(message=f"the webhook was not sent: {problem}", kind="template"))
        return
    report = call.trace.redact(end_of_call_report(call))
    call.emit(WebhookSent(url=url, headers=headers, json_=report))
    started = call.clock.elapsed()
    try:
        response = await call.backends.http.request("POST", url, headers=headers, json=report, timeout=hook.timeout,
                                                    stand_in=204)
    except httpx.TimeoutException as error:
        call.emit(WebhookAnswered(elapsed=_since(call, started), error="timeout", live=is_live(error) or None))
        return
    except httpx.TransportError as error:
        call.emit(WebhookAnswered(elapsed=_since(call, started), error="connect", live=is_live(error) or None))
        return
    call.emit(WebhookAnswered(elapsed=_since(call, started), status=response.status_code,
                              live=response.extensions.get(LIVE), stand_in=response.extensions.get(STAND_IN)))


def _since(call: CallSession, started: float) -> float:
    return round(call.clock.elapsed() - started, 3)


def end_of_call_report(call: CallSession) -> dict[str, Any]:
    """The report of a call that has ended, as plain JSON data (unredacted: the caller redacts it)."""
    events = call.trace.events
    ended = next((e for e in reversed(events) if e.type == "call_ended"), None)
    start = call.clock.now() - dt.timedelta(seconds=call.clock.elapsed())
    duration = round(ended.t if ended is not None else call.clock.elapsed(), 3)
    return {
        "type": REPORT_TYPE,
        "format": REPORT_FORMAT,
        "call": {
            "id": call.call_id, "agent": call.agent.agent, "direction": call.setup.direction,
            "from": call.variables.get("call.from"), "to": call.variables.get("call.to"),
            "started_at": start.isoformat(), "ended_at": (start + dt.timedelta(seconds=duration)).isoformat(),
            "duration": duration, "ended_by": call.ended_by or "caller",
            "ended_reason": ended.reason if ended is not None else "hangup",
        },
        "transcript": transcript(events),
        "variables": {name: entry.value for name, entry in call.variables.items() if entry.value is not None},
        "actions": actions(events),
        "evaluations": [{"name": e.action, "passed": e.passed, "score": e.score, "pass_score": e.pass_score,
                         "criteria": [{"name": c["name"], "passed": c["passed"], "weight": c["weight"],
                                       "why": c["why"]} for c in e.criteria]}
                        for e in events if e.type == "evaluation"],
    }


def transcript(events: list[Event]) -> list[dict[str, Any]]:
    """What was said, in order: the caller's turns and keys, the agent's lines as heard (a line cut short
    is its said words, marked `cut`), a phone menu's prompts."""
    heard = {line.seq: said for line, said in said_lines(events)}
    lines: list[dict[str, Any]] = []
    for event in events:
        if event.type == "caller_said":
            lines.append({"role": "caller", "text": event.text, "t": round(event.t, 3)})
        elif event.type == "dtmf_received":
            lines.append({"role": "caller", "text": "", "keys": event.digits, "t": round(event.t, 3)})
        elif event.type == "ivr_said":
            lines.append({"role": "ivr", "text": event.text, "t": round(event.t, 3)})
        elif event.type == "agent_said" and event.seq in heard:
            line = {"role": "agent", "text": heard[event.seq], "t": round(event.t, 3)}
            if heard[event.seq] != event.text:
                line["cut"] = True
            lines.append(line)
    return lines


def actions(events: list[Event]) -> list[dict[str, Any]]:
    """Each action run, in the order it started, with its outcome (`finished`, `failed`, `offered`,
    `abandoned`, or `running` when the call ended first) and, for a failure, its kind and message."""
    runs: list[dict[str, Any]] = []
    open_runs: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.type == "action_started":
            run = {"name": event.action, "type": event.action_type, "t": round(event.t, 3), "outcome": "running"}
            runs.append(run)
            open_runs[event.action] = run
        elif event.type in OUTCOMES and event.action in open_runs:
            run = open_runs.pop(event.action)
            run["outcome"] = OUTCOMES[event.type]
            run["duration"] = event.duration
            if event.type == "action_failed":
                run["error"] = {"kind": event.kind, "message": event.error}
                if event.status is not None:
                    run["error"]["status"] = event.status
    return runs
