"""Scenario expectations checked against a trace: each check says what failed and what happened instead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from callsim.config.scenario import Expectation
from callsim.trace.events import (ActionFailed, ActionFinished, ActionStarted, AgentSaid, CallEnded, EngineError, Event,
                                  HttpRequestSent, SlotAsked, VariableSet)


@dataclass
class Failure:
    """An unmet expectation: what was expected, what happened instead, and where to look."""

    expected: str
    instead: str
    events: Sequence[Event]
    """The events the check looked at (for the timeline excerpt)."""


Check = Callable[[Any, Sequence[Event], Sequence[Event]], Failure | None]


def check(expectation: Expectation, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    """Check one expectation over `window` (events it may match) with `history` (all events so far)."""
    kind = expectation.kind
    return CHECKS[kind](getattr(expectation, kind), window, history)


def _agent_said(text: str, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    lines = [e for e in window if isinstance(e, AgentSaid)]
    if any(text.casefold() in e.text.casefold() for e in lines):
        return None
    said = "; ".join(repr(e.text) for e in lines) or "nothing"
    return Failure(f"the agent to say something containing {text!r}", f"the agent said: {said}", window)


def _agent_not_said(text: str, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    hits = [e for e in window if isinstance(e, AgentSaid) and text.casefold() in e.text.casefold()]
    if not hits:
        return None
    return Failure(f"the agent never to say {text!r}", f"the agent said {hits[0].text!r} (#{hits[0].seq})", window)


def _action(name: str, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    if any(isinstance(e, ActionFinished) and e.action == name for e in window):
        return None
    return Failure(f"action {name} to run and finish", _why_not(name, window), window)


def _why_not(name: str, window: Sequence[Event]) -> str:
    failed = [e for e in window if isinstance(e, ActionFailed) and e.action == name]
    if failed:
        return f"it failed ({failed[-1].kind}): {failed[-1].error}"
    asked = [e for e in window if isinstance(e, SlotAsked) and e.action == name]
    if asked:
        return f"it is still waiting for variable {asked[-1].variable} (asked {asked[-1].attempt}x)"
    ran = sorted({e.action for e in window if isinstance(e, ActionStarted)})
    return "it never ran; actions that ran: " + (", ".join(ran) if ran else "none")


def _not_action(name: str, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    started = [e for e in window if isinstance(e, ActionStarted) and e.action == name]
    if not started:
        return None
    return Failure(f"action {name} not to run", f"it ran ({started[0].reason}, #{started[0].seq})", window)


def _action_failed(name: str, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    if any(isinstance(e, ActionFailed) and e.action == name for e in window):
        return None
    finished = any(isinstance(e, ActionFinished) and e.action == name for e in window)
    return Failure(f"action {name} to fail", "it finished successfully" if finished else _why_not(name, window),
                   window)


def _variables(expected: dict[str, Any], window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    current: dict[str, VariableSet] = {}
    for event in history:
        if isinstance(event, VariableSet):
            current[event.name] = event
    wrong = []
    for name, want in expected.items():
        have = current.get(name)
        if have is None:
            wrong.append(f"{name} was never set")
        elif not same(have.value, want):
            wrong.append(f"{name} = {have.value!r} (from {have.source})")
    if not wrong:
        return None
    want_text = ", ".join(f"{k} = {v!r}" for k, v in expected.items())
    related = [e for e in history if isinstance(e, VariableSet) and e.name in expected] or list(window)
    return Failure(f"variables {want_text}", "; ".join(wrong), related)


def _http(expected: Any, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    sent = [e for e in window if isinstance(e, HttpRequestSent)]
    for event in sent:
        if expected.method and event.method.upper() != expected.method.upper():
            continue
        if expected.url and not _url_matches(expected.url, event.url):
            continue
        if expected.json_ is not None and not subset(expected.json_, event.json_):
            continue
        lowered = {k.lower(): v for k, v in event.headers.items()}
        if any(lowered.get(k.lower()) != v for k, v in expected.headers.items()):
            continue
        return None
    wanted = " ".join(x for x in (expected.method, expected.url) if x) or "a request"
    instead = "; ".join(f"{e.method} {e.url}" + (f" json={e.json_!r}" if e.json_ is not None else "")
                        for e in sent) or "no request was sent"
    return Failure(f"an HTTP request {wanted}" + (f" with json {expected.json_!r}" if expected.json_ is not None else ""),
                   f"sent: {instead}", window)


def _url_matches(pattern: str, url: str) -> bool:
    return url.startswith(pattern[:-1]) if pattern.endswith("*") else url == pattern


def _extracted(expected: dict[str, Any], window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    heard = {e.name: e.value for e in window if isinstance(e, VariableSet) and e.source == "caller"}
    wrong = [f"{name} = {heard[name]!r}" if name in heard else f"{name} not extracted"
             for name, want in expected.items() if name not in heard or not same(heard[name], want)]
    if not wrong:
        return None
    return Failure("the caller's words to give " + ", ".join(f"{k} = {v!r}" for k, v in expected.items()),
                   "; ".join(wrong), window)


def _ended(expected: Any, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    ends = [e for e in history if isinstance(e, CallEnded)]
    if not ends:
        return Failure("the call to have ended", "it had not ended", window)
    end = ends[-1]
    if (expected.by is None or expected.by == end.by) and (
            expected.reason is None or expected.reason.casefold() in end.reason.casefold()):
        return None
    want = " ".join(x for x in (f"by {expected.by}" if expected.by else "",
                                f"reason {expected.reason!r}" if expected.reason else "") if x)
    return Failure(f"the call to end {want}", f"it ended by {end.by} ({end.reason})", window)


def _error(text: str, window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    errors = [e for e in window if isinstance(e, EngineError)]
    if any(text.casefold() in e.message.casefold() for e in errors):
        return None
    return Failure(f"the call to stop with an error containing {text!r}",
                   "; ".join(e.message for e in errors) or "no error happened", window)


def _order(names: list[str], window: Sequence[Event], history: Sequence[Event]) -> Failure | None:
    ran = [e.action for e in window if isinstance(e, ActionFinished)]
    position = 0
    for action in ran:
        if position < len(names) and action == names[position]:
            position += 1
    if position == len(names):
        return None
    return Failure(f"actions to run in the order {' → '.join(names)}",
                   f"they ran in the order {' → '.join(ran) or '(none ran)'}", window)


def same(actual: Any, expected: Any) -> bool:
    """Scenario equality: YAML's 4567 equals the digits "4567"; strings compare exactly otherwise."""
    if actual == expected:
        return True
    if isinstance(actual, bool) or isinstance(expected, bool):
        return False
    if isinstance(actual, (int, float, str)) and isinstance(expected, (int, float, str)):
        return str(actual) == str(expected)
    return False


def subset(expected: Any, actual: Any) -> bool:
    """True when every key of `expected` is in `actual` with a matching value (recursively)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            subset(e, a) for e, a in zip(expected, actual))
    return same(actual, expected)


CHECKS: dict[str, Check] = {
    "agent_said": _agent_said,
    "agent_not_said": _agent_not_said,
    "action": _action,
    "not_action": _not_action,
    "action_failed": _action_failed,
    "variables": _variables,
    "http": _http,
    "extracted": _extracted,
    "ended": _ended,
    "error": _error,
    "order": _order,
}
