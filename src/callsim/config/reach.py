"""When in a call each action can run, and so which checks cannot fail (or cannot pass) where they stand.

A call has three stretches: the greeting (before the first turn: only `on: call_start` actions run),
the call (caller turns, keys, replies, waits) and after the call (post-call actions, `on: call_end`).
An action runs in the stretches its trigger fires in, plus those of the action it follows (`after:`)
or falls back from (`then:`); an action the agent does not attach, and that no attached action leads
to, never runs. A check about an action, a line or a text is decided by where it stands: `not_action`
of an action that cannot run there can only hold, `action` of it can only fail; after the caller hung
up the agent says nothing more, so `agent_not_said` there can only hold. Such a check is an error at
validate time, with where to put it instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from callsim.config.actions import Action
    from callsim.config.agent import AgentConfig

GREETING, CALL, AFTER = "greeting", "call", "after"
WHOLE = frozenset({GREETING, CALL, AFTER})
"""The top-level `expect:` and evaluation criteria see the whole call."""
_WHERE = {GREETING: "before the first turn (only on: call_start actions run during the greeting)",
          CALL: "during the call, before the hangup turn",
          AFTER: "after the hangup turn (only post-call actions run then)"}


def action_phases(agent: AgentConfig, actions: Mapping[str, Action]) -> dict[str, frozenset[str]]:
    """The stretches of a call in which each action can run (empty: it never runs)."""
    phases: dict[str, set[str]] = {name: set() for name in actions}
    edges: list[tuple[str, str]] = []
    for name in agent.actions:
        trigger = actions[name].trigger if name in actions else None
        if trigger is None:
            continue
        if trigger.after is not None:
            edges.append((trigger.after, name))
        elif trigger.on == "call_end":
            phases[name].add(AFTER)
        elif trigger.on == "call_start":  # and later, when it has to ask for what it needs first
            phases[name].update((GREETING, CALL))
        else:
            phases[name].add(CALL)
    for name, action in actions.items():
        edges += [(name, fallback.then) for fallback in action.fallbacks().values()
                  if fallback.then in phases]
    changed = True
    while changed:
        changed = False
        for source, target in edges:
            if source in phases and not phases[source] <= phases[target]:
                phases[target] |= phases[source]
                changed = True
    return {name: frozenset(found) for name, found in phases.items()}


def check_problem(kind: str, value: Any, where: frozenset[str], phases: Mapping[str, frozenset[str]],
                  attached: list[str]) -> tuple[str, str] | None:
    """Why a check of `kind` with `value`, looking at the stretches `where`, cannot fail or cannot pass:
    (problem, hint), or None when its outcome depends on the call."""
    names = action_names(kind, value)
    for name in names:
        can_run = phases.get(name, frozenset())
        if can_run & where:
            continue
        outcome = "can only hold" if kind == "not_action" else "can only fail"
        if not can_run:
            how = ("the agent does not attach it and no attached action leads to it (then:/after:)"
                   if name not in attached else "nothing triggers it (no trigger, and no then:/after: leads to it)")
            return (f"{kind}: {name} {outcome}: {name} never runs in this call, {how}",
                    f"attach it to the agent (actions: [..., {name}]) and give it a trigger, or remove the check")
        return (f"{kind}: {name} {outcome} here: {name} runs {_runs(can_run)}, and this check looks "
                f"{_looks(where)}", _move_to(can_run))
    if kind in ("agent_not_said", "agent_said") and where == {AFTER}:
        outcome = "can only hold" if kind == "agent_not_said" else "can only fail"
        return (f"{kind} {outcome} here: the agent says nothing after the call ended, and this check looks "
                f"{_looks(where)}", "move it before the hangup turn, or to the top-level expect: (the whole call)")
    if kind in ("sms", "evaluation", "webhook") and AFTER not in where:
        what = {"sms": "post-call texts are sent", "evaluation": "evaluations run",
                "webhook": "the end-of-call report is sent"}[kind]
        return (f"{kind} can only fail here: {what} after the call, and this check looks {_looks(where)}",
                "move it to the top-level expect:, or after a hangup turn")
    if kind == "ended" and AFTER in where and value.by is None and value.reason is None:
        return ("ended: with neither by: nor reason: can only hold here: the call has always ended by then",
                "say how it must end, e.g. ended: {by: agent, reason: transferred}")
    return None


PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def http_problem(value: Any, where: frozenset[str], phases: Mapping[str, frozenset[str]],
                 actions: Mapping[str, Action]) -> tuple[str, str] | None:
    """Why an `http:` check naming a URL cannot fail (`times: 0`) or cannot pass: no http action that runs
    where it looks sends that method to such a URL; None when one may (or the check names no URL)."""
    url = value.url
    if not url or "{{" in url or "{%" in url:  # a secret or a persona's detail: known only in the call
        return None
    sent = {name: action.request for name, action in actions.items()
            if action.type == "http" and phases.get(name, frozenset()) & where}
    if any(_may_send(request.url, url) and (value.method or request.method).upper() == request.method
           for request in sent.values()):
        return None
    outcome = "can only hold" if value.times == 0 else "can only fail"
    what = f"{value.method + ' ' if value.method else ''}{url}"
    sends = "; ".join(f"{name}: {request.method} {request.url}" for name, request in sent.items())
    return (f"http: {what} {outcome} here: no http action that can run where this check looks ({_looks(where)}) "
            f"sends {'a request' if value.method is None else value.method.upper()} to such a URL",
            f"check the URL (a trailing * matches a prefix); the requests that can be sent there: {sends}"
            if sends else "no http action runs there; move the check, or attach the action that sends it")


def _may_send(template: str, url: str) -> bool:
    """Whether a request URL template (placeholders filled in with anything, query parameters added) can
    give `url`, or with a trailing `*` a URL starting with it; a loose test, erring towards yes."""
    if url.endswith("*"):
        literal = PLACEHOLDER.split(template, maxsplit=1)[0].casefold()
        prefix = url[:-1].casefold()
        return prefix.startswith(literal) or literal.startswith(prefix)
    parts = PLACEHOLDER.split(template)
    pattern = ".*".join(re.escape(part) for part in parts).rstrip("/") + r"/?(?:[?&#].*)?"
    return re.fullmatch(pattern, url, re.IGNORECASE | re.DOTALL) is not None


def action_names(kind: str, value: Any) -> list[str]:
    """The actions a check of `kind` names (none for checks about lines, texts, ...)."""
    if kind in ("action", "not_action", "action_failed", "action_abandoned"):
        return [getattr(value, "action", value)]  # action_failed: {action: NAME, kind: ...}
    if kind == "order":
        return list(value.actions)
    if kind == "evaluation":
        return list(value)
    return []


def _runs(phases: frozenset[str]) -> str:
    if phases == {AFTER}:
        return "only after the call (trigger on: call_end)"
    if AFTER not in phases:
        return "only during the call" if GREETING not in phases else "only during the call and its greeting"
    return "during and after the call"


def _looks(where: frozenset[str]) -> str:
    return "at the whole call" if where == WHOLE else " and ".join(_WHERE[w] for w in sorted(where))


def _move_to(phases: frozenset[str]) -> str:
    if phases == {AFTER}:
        return "move it to the top-level expect: (checked after the call), or after a hangup turn"
    return "move it before the hangup turn, after the caller turn that should (or should not) run it, " \
           "or to the top-level expect: (the whole call)"
