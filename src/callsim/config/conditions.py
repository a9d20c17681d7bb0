"""An `if:` condition checked against what the agent declares, so that one that could never hold (or never
fail) is a validate error: each variable it reads is one something can set, and each literal it compares a
typed variable with is a value of that type, written as the call keeps it (`wants_reminder == true`, not
`== "yes"`; `order_number == "0457"`, not `== 457`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from callsim.config.types import CALL_FIELDS
from callsim.suggest import did_you_mean

if TYPE_CHECKING:
    from callsim.templates import Condition


class TypedValue(Protocol):
    """A declared variable or extractor field, as far as a condition's check reads it (`config.agent.TypedValue`)."""

    type: str
    values: list[str]

Problem = tuple[str, str]
"""What is wrong, and how to fix it."""

BUILT_IN: dict[str, tuple[str, tuple[str, ...]]] = {
    "call.from": ("phone", ()), "call.to": ("phone", ()), "agent.number": ("phone", ()),
    "call.direction": ("enum", ("inbound", "outbound")), "call.started_at": ("datetime", ()),
    "http.status": ("number", ()), "transfer.attempts": ("number", ()),
    "transfer.outcome": ("enum", ("connected", "voicemail", "no_answer", "busy", "declined", "failed", "abandoned")),
    "transfer.mode": ("enum", ("warm", "cold")), "booking.status": ("enum", ("booked", "rescheduled")),
    "booking.start_iso": ("datetime", ()), "booking.end_iso": ("datetime", ()),
    "cancelled.start_iso": ("datetime", ()), "cancelled.end_iso": ("datetime", ()),
}
"""The type (and for an enum, the values) of the variables the engine itself sets."""
_EQUALITY = ("eq", "ne", "in", "notin")
_SHOWN_OP = {"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "lteq": "<=", "gteq": ">=", "in": "in", "notin": "not in"}


def read_types(agent: Any, actions: Mapping[str, Any]) -> dict[str, TypedValue]:
    """The typed values a condition's literals are checked by: what callsim reads from the caller (the agent's
    variables and the extractors' fields). Data sent at call start or before connect is kept as the
    integration sent it (a number as text, digits as a number), so it is not checked."""
    return {**{field: spec for action in actions.values() if action.type == "extract"
               for field, spec in action.fields.items()},
            **{name: spec for name, spec in agent.variables.items() if spec.from_ == "caller"}}


def condition_problems(condition: Condition, declared: Mapping[str, TypedValue], supplied: Collection[str] | None,
                       region: str = "US") -> list[Problem]:
    """Why `condition` could never hold or never fail as written: a variable nothing in the agent sets (a
    misspelling; not checked when `supplied`, every variable name something can set, is None), or a literal
    its variable can never equal (`declared`: see `read_types`)."""
    problems = []
    known = {*(supplied or ()), *CALL_FIELDS}
    for name in sorted(condition.names | condition.optional_names) if supplied is not None else ():
        if not settable(name, known):
            problems.append((f"{name} is not a variable anything in this agent sets, so the condition reads "
                             "it as undefined in every call",
                             did_you_mean(name, _with_prefixes(known), "{}") or "declare it under the agent's variables, "
                             "save it from an action, or fix its spelling"))
    return problems + comparison_problems(condition.comparisons, declared, region)


def comparison_problems(comparisons: Iterable[tuple[str, str, object]], declared: Mapping[str, TypedValue],
                        region: str = "US") -> list[Problem]:
    """Why comparisons of variables with literals (`plan == "gold"`, in a condition or a template's `{% if %}`)
    could never hold or never fail: a literal its variable can never equal or be ordered by."""
    problems = []
    for path, op, literal in comparisons:
        kind = _kind(path, declared)
        if kind is None:
            continue
        if op in ("in", "notin") and not isinstance(literal, tuple):
            continue  # `"x" in notes`: a substring of text
        for value in literal if isinstance(literal, tuple) else (literal,):
            problem = _mismatch(path, kind, op, value, region)
            if problem is not None:
                problems.append((f"{path} {_SHOWN_OP.get(op, op)} {value!r}: {problem[0]}", problem[1]))
                break
    return problems


def settable(name: str, known: set[str]) -> bool:
    """Whether something can set `name`: itself, a mapping it is part of (`order.status` of a saved `order`),
    or variables under it (`booking` of `booking.id`)."""
    parts = name.split(".")
    if parts[0] == "secrets":
        return True
    return any(".".join(parts[:n]) in known for n in range(1, len(parts) + 1)) or any(
        k.startswith(name + ".") for k in known)


def _with_prefixes(names: set[str]) -> set[str]:
    return {".".join(name.split(".")[:n]) for name in names for n in range(1, name.count(".") + 2)}


def _kind(path: str, declared: Mapping[str, TypedValue]) -> tuple[str, tuple[str, ...]] | None:
    spec = declared.get(path)
    if spec is not None:
        return spec.type, tuple(spec.values)
    return BUILT_IN.get(path)


def _mismatch(path: str, kind: tuple[str, tuple[str, ...]], op: str, value: Any, region: str) -> Problem | None:
    type_, values = kind
    check = _CHECKS.get(type_)
    return None if check is None else check(path, values, op, value, region)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
    if _is_number(value):
        return None
    if isinstance(value, str) and value.strip().lstrip("-").replace(".", "", 1).isdigit():
        return (f"{path} is a number and never equals the text {value!r}" if op in _EQUALITY else
                f"{path} is a number and cannot be compared with text", f"write the number: {path} "
                f"{_SHOWN_OP.get(op, op)} {value.strip()}")
    return f"{path} is a number, and {value!r} is not one", f"compare {path} with a number, e.g. {path} > 100"


def _digits(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
    if _is_number(value) and op in _EQUALITY:
        return (f"{path} holds digits as text (a leading 0 kept), so it never equals the number {value!r}",
                f"quote it: {path} {_SHOWN_OP[op]} \"{value}\"")
    if isinstance(value, str) and op in _EQUALITY and not "".join(value.split()).isdigit():
        return f"{path} holds digits only, so it never equals {value!r}", "compare it with digits, e.g. \"4567\""
    return None


def _yes_no(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
    if isinstance(value, bool):
        return None
    return (f"{path} is yes_no, kept as true or false, so it never equals {value!r}",
            f"write {path} == true (or just {path}, or not {path})")


def _enum(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
    if op not in _EQUALITY or value in values:
        return None
    same = [v for v in values if isinstance(value, str) and v.casefold() == value.casefold()]
    if same:
        return f"{path} is kept as written in its values, {same[0]!r}", f"write {same[0]!r}"
    return (f"{path} is one of {', '.join(values)}, never {value!r}",
            did_you_mean(str(value), values, "{!r}") or f"compare it with one of: {', '.join(values)}")


def _text(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
    if isinstance(value, str) or op not in _EQUALITY:
        return None
    return f"{path} is text, so it never equals {value!r}", f"quote it: {path} {_SHOWN_OP[op]} \"{value}\""


def _email(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
    problem = _text(path, values, op, value, region)
    if problem is None and op in _EQUALITY and isinstance(value, str) and value != value.lower():
        return f"{path} is kept in lower case, so it never equals {value!r}", f"write {value.lower()!r}"
    return problem


def _phone(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
    import phonenumbers  # only for a condition that compares a phone number

    if op not in _EQUALITY:
        return None
    try:
        number = phonenumbers.format_number(phonenumbers.parse(str(value), region), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return f"{path} is a phone number, and {value!r} is not one", "write it in E.164, e.g. \"+14155550123\""
    if number == value:
        return None
    return f"{path} is kept in E.164, so it never equals {value!r}", f"write {number!r}"


def _moment(parse: Callable[[str], Any], example: str) -> Callable[..., Problem | None]:
    """The check of a date, time or date-time: a literal the call's ISO 8601 text can equal (or be ordered by)."""

    def check(path: str, values: tuple[str, ...], op: str, value: Any, region: str) -> Problem | None:
        try:
            canonical = parse(value).isoformat() if isinstance(value, str) else None
        except ValueError:
            canonical = None
        if canonical is None:
            return f"{path} is kept in ISO 8601, and {value!r} is not such a value", f"write it as {example}"
        if op in _EQUALITY and canonical != value:
            return f"{path} is kept as {canonical!r}, so it never equals {value!r}", f"write {canonical!r}"
        return None

    return check


def _with_offset(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


_CHECKS: dict[str, Callable[..., Problem | None]] = {
    "number": _number, "digits": _digits, "yes_no": _yes_no, "enum": _enum, "text": _text, "name": _text,
    "email": _email, "phone": _phone,
    "date": _moment(dt.date.fromisoformat, "\"2026-12-01\""), "time": _moment(dt.time.fromisoformat, "\"14:30:00\""),
    "datetime": _moment(_with_offset, "\"2026-12-01T14:30:00-05:00\""),
}
"""How a literal compared with each type of variable must look (`when` holds a moment or a span: not checked)."""
