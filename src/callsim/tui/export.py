"""Turn a call made in the simulator into a scenario file: the person's inputs become turns, and what
the call did after each becomes that turn's expectations, so a good manual session is a regression
test in one keystroke.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from callsim.config.project import load_scenario
from callsim.config.scenario import Expectation
from callsim.config.yaml_positions import read_document
from callsim.errors import one_line
from callsim.trace.events import Event
from callsim.tui.call import LiveCall, Step

KEPT_FROM_SCENARIO = ("caller", "now", "seed", "direction", "start_data", "preconnect", "secrets", "http", "replies",
                      "delivery", "phones", "ivr", "calendar")
"""A source scenario's fakes and call setup, carried into the export so that it replays the same way."""
OUTCOMES = {"bridged": "connected", "busy": "busy", "no_answer": "no_answer", "declined": "declined",
            "dial_failed": "failed"}


def default_path(call: LiveCall, now: dt.datetime | None = None) -> Path:
    """`recorded_<agent>_<date-time>.yaml` beside the scenario (or the agent) the call came from."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return call.folder / f"recorded_{_slug(call.project.agent.agent)}_{stamp}.yaml"


def export_scenario(call: LiveCall, path: Path) -> Path:
    """Write the call as a scenario file at `path` and load it back (raising its ConfigErrors) so that
    an export is always a valid scenario."""
    data = scenario_data(call, path)
    text = (f"# Recorded in the callsim simulator ({call.project.agent.agent}); the expectations say what "
            "the call did.\n# Edit them to keep what matters.\n")
    needed = sorted({use.name for use in call.project.secrets} - set(data.get("secrets") or {}))
    if needed:
        names = ", ".join(needed)
        text += (f"# It needs the secret(s) {names}: set the environment variable(s), or add secrets: with test "
                 "values.\n# The values used in the simulator are not written here.\n")
    stopped = next((e for e in call.trace.events if e.type == "error" and e.setup), None)
    if stopped is not None:
        text += ("# The call stopped on a setup error, which is not an expectation here; the scenario stops there "
                 "too until it supplies what was missing:\n#   " + one_line(call.trace.redact(stopped.message))[:200]
                 + "\n")
    text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        load_scenario(path, secrets=call.config.secrets)  # valid whatever the shell it runs in supplies
    except BaseException:
        path.unlink()  # no invalid scenario left beside the others for the next `callsim run` to trip on
        raise
    return path


def scenario_data(call: LiveCall, path: Path) -> dict[str, Any]:
    """The scenario as plain data: setup carried from the source scenario, turns, expectations."""
    events = call.trace.events
    first_words = next((s.value for s in call.steps if s.kind == "caller"), None)
    title = f"recorded call: {first_words}" if first_words else f"recorded call of {call.project.agent.agent}"
    data: dict[str, Any] = {"scenario": title,
                            "agent": os.path.relpath(call.project.agent_file, path.parent)}
    if call.scenario is not None:
        source = read_document(call.scenario.file).data
        data.update({k: source[k] for k in KEPT_FROM_SCENARIO if k in source})
    else:  # a free call's data given with --data
        data.update({k: v for k in ("start_data", "preconnect") if (v := getattr(call.config, k))})
    data.setdefault("now", call.clock.start.isoformat())
    data.update(answered_fakes(call, data))
    data["turns"] = turns(call, path)
    overall = _known(_expectations(events[len(_during(events)):]) + _call_level(events))
    if overall:
        data["expect"] = overall
    # what the person typed is not in the trace's redacted form yet: a secret said or sent stays out of the
    # file (the source scenario's own secrets: test values are carried as they were written)
    redact = call.trace.redact
    return {key: value if key in KEPT_FROM_SCENARIO else redact(value) for key, value in data.items()}


def answered_fakes(call: LiveCall, data: dict[str, Any]) -> dict[str, Any]:
    """The fakes the person answered in dialogs (after the source scenario's own), so the export replays
    the same answers: `http:` routes and `phones:` entries."""
    found: dict[str, Any] = {}
    routes = [route.model_dump(by_alias=True, exclude_defaults=True, mode="json")
              for route in call.backends.http.answered]
    if routes:
        found["http"] = [*data.get("http", []), *routes]
    phones = {address: behaviour.model_dump(exclude_defaults=True, mode="json")
              for address, behaviour in call.backends.telephony.answered.items()}
    if phones:
        found["phones"] = {**data.get("phones", {}), **phones}
    return found


def _during(events: Sequence[Event]) -> Sequence[Event]:
    """The events up to the end of the call: what the post-call actions did after it is checked by the
    scenario's own `expect:`, as no turn's check may look past the hang-up (a goodbye ends the call in a turn)."""
    ended = next((index for index, event in enumerate(events) if event.type == "call_ended"), None)
    return events if ended is None else events[: ended + 1]


def turns(call: LiveCall, path: Path) -> list[dict[str, Any]]:
    events = _during(call.trace.events)
    steps = call.steps
    out: list[dict[str, Any]] = []
    greeting = events[: steps[0].first_seq - 1] if steps else events
    out += _expect_turn(_expectations(greeting))
    for index, step in enumerate(steps):
        following = steps[index + 1] if index + 1 < len(steps) else None
        end = following.first_seq - 1 if following else len(events)
        out.append(_turn(step, call, path))
        out += _expect_turn(_expectations(events[step.first_seq - 1: step.last_seq]))
        later = events[step.last_seq: end]
        if later and any(e.type not in ("variable_set", "call_state") for e in later):
            # things happened on their own while the person was idle (a reply, a timeout): wait as long
            until = following.t if following else later[-1].t
            out.append({"wait": _duration(until - step.t_end)})
            out += _expect_turn(_expectations(later))
    return out


def _turn(step: Step, call: LiveCall, path: Path) -> dict[str, Any]:
    if step.kind == "audio":
        turn: dict[str, Any] = {"audio": os.path.relpath(step.value, path.parent.resolve())}
    elif step.kind == "wait":
        return {"wait": _duration(step.value)}
    elif step.kind == "hangup" and step.timing:  # a timed hang-up stays timed: {at: 12s} or {after: 3s}
        return {"hangup": {key: f"{seconds:g}s" for key, seconds in step.timing.items()}}
    else:
        turn = {step.kind: step.value}
    if step.channel:  # a reply on the channel the person chose
        turn["channel"] = step.channel
    if "barge_in" in step.timing:  # the caller talked over the agent this far into its line
        turn["barge_in"] = f"{step.timing['barge_in']:g}s"
    return turn


def _expect_turn(expectations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"expect": expectations}] if expectations else []


def _expectations(window: Sequence[Event]) -> list[dict[str, Any]]:
    """Checks that pass on this window of events: what the agent said and did."""
    found: list[dict[str, Any]] = []
    said = [e for e in window if e.type == "agent_said"]
    heard = {e.line: e.said for e in window if e.type == "agent_cut"}  # a line cut short: what was said of it
    for event in said[:1] + said[-1:] if len(said) > 1 else said:
        found.append({"agent_said": _excerpt(heard.get(event.seq, event.text))})
    extracted = {e.name: e.value for e in window if e.type == "variable_set" and e.source == "caller"
                 and _scalar(e.value) and e.name != "dtmf"}
    if extracted:
        found.append({"extracted": extracted})
    for event in window:
        kind = event.type
        if kind == "action_finished":
            found.append({"action": event.action})
        elif kind == "action_failed":
            found.append({"action_failed": {"action": event.action, "kind": event.kind}
                          | ({"status": event.status} if event.status else {})})
        elif kind == "http_request":
            found.append({"http": {"method": event.method, "url": event.url}})
        elif kind == "message_sent" and not event.after_call:
            found.append({"message": {"channel": event.channel, "to": event.to, "contains": _excerpt(event.body)}})
        elif kind == "dialing":
            found.append({"transfer": _transfer(event, window)})
        elif kind == "dtmf_sent":
            found.append({"dtmf": event.digits})
        elif kind in ("booking", "booking_rescheduled"):
            found.append({"booking": {"start": event.start}})
        elif kind == "error" and event.kind != "bug" and not event.setup:  # a missing fake is no outcome to expect
            found.append({"error": event.message.split("; ")[0][:120]})
    saved = {e.name: e.value for e in window if e.type == "variable_set"
             and e.source.startswith(("action:", "reply:")) and _scalar(e.value)}
    if saved:
        found.append({"variables": saved})
    return _known(found)


def _call_level(events: Sequence[Event]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for event in events:
        if event.type == "message_sent" and event.after_call:
            found.append({"sms": {"to": event.to, "contains": _excerpt(event.body)}})
        elif event.type == "evaluation":
            found.append({"evaluation": {event.action: {"passed": event.passed}}})
    ended = [e for e in events if e.type == "call_ended"]
    if ended:
        found.append({"ended": {"by": ended[-1].by, "reason": ended[-1].reason}})
    return _known(found)


def _transfer(dialing: Any, window: Sequence[Event]) -> dict[str, Any]:
    wanted: dict[str, Any] = {"to": dialing.destination, "mode": dialing.mode}
    for event in window:
        if getattr(event, "leg", None) == dialing.leg and event.type in OUTCOMES:
            outcome = OUTCOMES[event.type]
            wanted["outcome"] = "voicemail" if getattr(event, "to_voicemail", False) else outcome
    return wanted


def _known(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only checks this version of callsim knows, each once."""
    fields = Expectation.model_fields
    unique: list[dict[str, Any]] = []
    for item in found:
        if next(iter(item)) in fields and item not in unique:
            unique.append(item)
    return unique


def _excerpt(text: str, limit: int = 60) -> str:
    """The start of a line, cut at a sentence or word boundary: enough to recognise it, not brittle."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first.rstrip(".!?") or text[:limit]
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:")


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _duration(seconds: float) -> str:
    return f"{max(1, math.ceil(seconds))}s"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "agent"
