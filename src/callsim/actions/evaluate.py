"""The `evaluate` action: judge the finished call by weighted rules and record why each passed or not.

The score is the passed criteria's share of the total weight; the evaluation passes when the
score reaches `pass_score`. Each criterion's result carries a sentence saying what in the call
decided it, so a failing evaluation explains itself in the trace and in `callsim run`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from callsim.actions.base import ActionContext
from callsim.errors import TemplateError
from callsim.templates import compile_condition
from callsim.trace.events import (ActionFailed, ActionFinished, ActionStarted, AgentSaid, CallerSaid, Evaluation, Event,
                                  said_lines)
from callsim.trace.expect import why_not_finished

if TYPE_CHECKING:
    from callsim.config.actions import EvaluateAction

Verdict = tuple[bool, str]


async def run(action: EvaluateAction, ctx: ActionContext) -> dict[str, Any]:
    """Judge every criterion over the call so far (post-call: the whole call) and record the result."""
    events = ctx.call.trace.events
    context = ctx.call.context()
    results = []
    for criterion in action.criteria:
        key, value = criterion.rule
        passed, why = _RULES[key](value, events, context)
        results.append({"name": criterion.name, "passed": passed, "weight": criterion.weight,
                        "rule": f"{key}: {value}", "why": why, "rubric": criterion.rubric})
    total = sum(item["weight"] for item in results)
    score = round(sum(item["weight"] for item in results if item["passed"]) / total, 4)
    ctx.emit(Evaluation(action=ctx.name, score=score, passed=score >= action.pass_score - 1e-9,
                        pass_score=action.pass_score, criteria=results))
    return {}


def _said(text: str, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    # a line the caller cut short counts for the words that were said
    hit = next(((line, said) for line, said in said_lines(events) if text.casefold() in said.casefold()), None)
    if hit is not None:
        return True, f"the agent said {hit[1]!r} (#{hit[0].seq})"
    return False, f"the agent never said {text!r}"


def _never_said(text: str, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    passed, why = _said(text, events, context)
    return (not passed), (f"the agent never said {text!r}" if not passed else why)


def _action(name: str, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    done = next((e for e in events if isinstance(e, ActionFinished) and e.action == name), None)
    if done is not None:
        return True, f"{name} ran and finished (#{done.seq})"
    return False, _what_happened(name, events)


def _not_action(name: str, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    started = next((e for e in events if isinstance(e, ActionStarted) and e.action == name), None)
    if started is None:
        return True, f"{name} never ran"
    return False, f"{name} ran ({started.reason}, #{started.seq})"


def _action_failed(name: str, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    failed = next((e for e in events if isinstance(e, ActionFailed) and e.action == name), None)
    if failed is not None:
        return True, f"{name} failed ({failed.kind}, #{failed.seq})"
    return False, _what_happened(name, events)


def _what_happened(name: str, events: Sequence[Event]) -> str:
    if any(isinstance(e, ActionFinished) and e.action == name for e in events):
        return f"{name} ran and finished"
    return why_not_finished(name, events, name) or f"{name} never ran"


def _condition(source: str, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    condition = compile_condition(source)
    try:
        holds = condition(context)
    except TemplateError as problem:
        return False, str(problem)
    values = []
    for name in sorted(condition.names | condition.optional_names):
        value = _lookup(context, name)
        values.append(f"{name} is not set" if value is _UNSET else f"{name} = {value!r}")
    shown = f" ({', '.join(values)})" if values else ""
    return holds, f"{source!r} is {'true' if holds else 'false'} at the end of the call{shown}"


def _transfer(outcome: str, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    actual = _lookup(context, "transfer.outcome")
    if actual is _UNSET:
        return False, "no transfer happened (transfer.outcome is not set)"
    return actual == outcome, f"the transfer ended {actual}"


def _max_turns(limit: int, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    turns = sum(1 for e in events if isinstance(e, CallerSaid))
    if turns <= limit:
        return True, f"the caller spoke {turns} turn(s), at most {limit}"
    return False, f"the caller spoke {turns} turns, more than {limit}"


def _no_fallback(_: bool, events: Sequence[Event], context: Mapping[str, Any]) -> Verdict:
    fallbacks = [e for e in events if isinstance(e, AgentSaid) and e.reason == "fallback"]
    if not fallbacks:
        return True, "the agent never fell back to its fallback line"
    return False, (f"the agent said its fallback line {len(fallbacks)} time(s), first {fallbacks[0].text!r} "
                   f"(#{fallbacks[0].seq})")


_UNSET = object()


def _lookup(context: Mapping[str, Any], dotted: str) -> Any:
    node: Any = context
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _UNSET
        node = node[part]
    return node


_RULES: dict[str, Callable[[Any, Sequence[Event], Mapping[str, Any]], Verdict]] = {
    "said": _said,
    "never_said": _never_said,
    "action": _action,
    "not_action": _not_action,
    "action_failed": _action_failed,
    "if": _condition,
    "transfer": _transfer,
    "max_turns": _max_turns,
    "no_fallback": _no_fallback,
}
