"""Expectations written in Python (`trace.expect.http(url=...)`) read as the same YAML would be.

Each `trace.expect` method takes what its YAML key takes: one value for text and names
(`agent_said("is shipped")`, `action("lookup")`), keywords or one dict for a mapping of fields
(`http(url=..., headers=...)`, `booking(start=...)`; a name first where the YAML allows a name alone:
`action_failed("lookup", kind="timeout")`), keywords and/or one dict for `variables`, `extracted` and
`evaluation` (a dict for dotted names), and the names themselves for `order("a", "b")` (then `exact=True`). The value is
then validated by the YAML's own model, so a misspelt keyword gets the same did-you-mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from callsim.config.loader import validate_data
from callsim.config.plain import to_plain
from callsim.config.scenario import Expectation
from callsim.errors import UsageError


def expectation_from_call(key: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Expectation:
    """The expectation `trace.expect.KEY(*args, **kwargs)` stands for (plain, as a scenario's are once loaded);
    UsageError when it is not one."""
    where = f"trace.expect.{key}()"
    shape, first = _shape(key)
    if shape == "value":
        if len(args) != 1 or kwargs:
            raise UsageError(f"{where} takes one value, as the YAML `{key}:` does, e.g. trace.expect.{key}(...)")
        value: Any = args[0]
    elif shape == "list":
        if kwargs and first is None:
            raise UsageError(f"{where} takes the names in order, e.g. trace.expect.{key}(\"a\", \"b\")")
        value = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
        value = {first: value, **kwargs} if first else value
    elif len(args) > 1 or (args and not isinstance(args[0], Mapping) and (shape == "mapping" or first is None)):
        raise UsageError(f"{where} takes keywords (or one dict), as the YAML `{key}:` mapping does")
    elif args and not isinstance(args[0], Mapping):
        value = {first: args[0], **kwargs}
    else:
        value = {**(args[0] if args else {}), **kwargs}
    return to_plain(validate_data(Expectation, {key: value}, where))


@cache
def _shape(key: str) -> tuple[str, str | None]:
    """What a YAML key takes: `value`, `list`, `mapping` (of names) or `fields` (a model's), and for
    `fields` the field a value given alone stands for (`action_failed: NAME`)."""
    if key not in Expectation.model_fields:
        raise UsageError(f"trace.expect has no check {key!r}")
    annotation = next(a for a in get_args(Expectation.model_fields[key].annotation) if a is not type(None))
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        required = [name for name, field in annotation.model_fields.items() if field.is_required()]
        if required and get_origin(annotation.model_fields[required[0]].annotation) is list:
            return "list", required[0]  # `order("a", "b", exact=True)`: the names, then the fields
        return "fields", (required[0] if required else None)
    if origin is dict:
        return "mapping", None
    if origin is list:
        return "list", None
    return "value", None
