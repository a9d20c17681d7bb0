"""Validated configuration as plain objects: what a call runs on, without pydantic.

Files are validated by the pydantic models (callsim.config.*); once they are, `to_plain` turns each model
instance into an instance of its plain twin here: the same class name, fields, defaults and aliases, the
same shape (callsim.config.shapes: `Turn.kind`, `HttpRoute.url`, an action's fallbacks), which fields were
set (`model_fields_set`, which `kind` reads), and the few model methods a run calls (`model_dump`,
`model_copy`; `model_validate` loads pydantic then). Plain objects pickle, and loading this module (or
unpickling them) loads no pydantic: importing it and building callsim's ~50 models costs a one-file run
more than everything else it does.

The twins are made from the table in callsim.config.plain_fields, generated from the models (`python -m
callsim.config.plain_table` writes it; a test fails when it is stale), so a field added to a model cannot be
missing here.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from callsim.config.plain_fields import MODELS
from callsim.config.shapes.actions import (ActionShape, BookingShape, CriterionShape, EvaluateShape, ExtractShape,
                                           FallbackShape, HttpShape, MessageShape, TransferShape)
from callsim.config.shapes.calendar import CalendarSpecShape
from callsim.config.shapes.fakes import FakeDefaultsShape, HttpRouteShape
from callsim.config.shapes.scenario import ExpectationShape, OneKeyShape, TurnShape
from callsim.config.shapes.telephony import IvrMenuShape, TransferExpectationShape
from callsim.durations import format_duration

SHAPES: dict[str, type] = {shape.__name__: shape for shape in (
    ActionShape, BookingShape, CriterionShape, EvaluateShape, ExtractShape, FallbackShape, HttpShape, MessageShape,
    TransferShape, CalendarSpecShape, FakeDefaultsShape, HttpRouteShape, ExpectationShape, OneKeyShape, TurnShape,
    IvrMenuShape, TransferExpectationShape)}
"""The shapes models inherit, by name (the table names them)."""

REQUIRED: Any = ...
"""The default of a field the file must give (as pydantic writes it: `Field(...)`)."""
SERIALIZERS = {"duration": format_duration}
"""How a field's value is dumped when its model says so (a duration as `25s`), by the table's name for it."""


class Field:
    """One field of a plain class: its name in files (`alias`), its default and how it is dumped."""

    __slots__ = ("name", "alias", "default", "serializer")

    def __init__(self, name: str, alias: str | None, default: Any, serializer: str | None) -> None:
        self.name, self.alias, self.default = name, alias, default
        self.serializer = SERIALIZERS[serializer] if serializer else None

    def is_required(self) -> bool:
        return self.default is REQUIRED


class PlainModel:
    """The base of the plain twins: fields in slots, equality and hashing by value as a frozen model's (a
    twin equals its model with the same values), and the part of pydantic's model interface a run uses."""

    __slots__ = ("model_fields_set",)
    model_fields: ClassVar[dict[str, Field]] = {}
    model_fields_set: set[str]

    def __init__(self, **values: Any) -> None:
        """Made as a model is made from field names, without validation (the engine makes a few itself)."""
        for name, field in type(self).model_fields.items():
            if name in values:
                value = values[name]
            elif field.default is REQUIRED:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
            else:
                default = field.default
                value = default.copy() if isinstance(default, (list, dict)) else default
            object.__setattr__(self, name, value)
        unknown = values.keys() - type(self).model_fields.keys()
        if unknown:
            raise TypeError(f"{type(self).__name__}: unknown field(s) {', '.join(sorted(unknown))}")
        self.model_fields_set = set(values)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in type(self).model_fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._values() == other._values()  # type: ignore[attr-defined]
        if type(other).__name__ == type(self).__name__ and hasattr(type(other), "__pydantic_fields__"):
            return self._values() == tuple(getattr(other, name) for name in type(self).model_fields)  # its model
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).model_fields)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (type(self), self._values(), self.model_fields_set)

    def model_dump(self, *, mode: str = "python", by_alias: bool = False, exclude_unset: bool = False,
                   exclude_none: bool = False, exclude_defaults: bool = False,
                   exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields as a dict, as the model's `model_dump` gives them (python mode; JSON mode goes through
        the model, loading pydantic)."""
        if mode != "python":
            return to_model(self).model_dump(mode=mode, by_alias=by_alias, exclude_unset=exclude_unset,
                                             exclude_none=exclude_none, exclude_defaults=exclude_defaults,
                                             exclude=exclude)
        flags = (by_alias, exclude_unset, exclude_none, exclude_defaults)
        dumped = {}
        for name, field in type(self).model_fields.items():
            if (exclude and name in exclude) or (exclude_unset and name not in self.model_fields_set):
                continue
            value = getattr(self, name)
            if (exclude_none and value is None) or (exclude_defaults and value == field.default):
                continue
            if field.serializer is not None and value is not None:
                value = field.serializer(value)
            dumped[field.alias if by_alias and field.alias else name] = _dumped(value, flags)
        return dumped

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A copy with the fields in `update` replaced (and counted as set), as the model's `model_copy`."""
        copy = object.__new__(type(self))
        for name in type(self).model_fields:
            object.__setattr__(copy, name, getattr(self, name))
        copy.model_fields_set = set(self.model_fields_set)
        for name, value in (update or {}).items():
            object.__setattr__(copy, name, value)
            copy.model_fields_set.add(name)
        return copy

    @classmethod
    def model_validate(cls, data: Any) -> Any:
        """Validate `data` with the model (this loads pydantic; raises its ValidationError) and return the
        plain twin of the result."""
        from callsim.config.plain_table import model_class

        return to_plain(model_class(cls.__name__).model_validate(data))


def _dumped(value: Any, flags: tuple[bool, bool, bool, bool]) -> Any:
    if isinstance(value, PlainModel):
        by_alias, exclude_unset, exclude_none, exclude_defaults = flags
        return value.model_dump(by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none,
                                exclude_defaults=exclude_defaults)
    if type(value) is list:
        return [_dumped(item, flags) for item in value]
    if type(value) is dict:
        return {key: _dumped(item, flags) for key, item in value.items()}
    if type(value) is tuple:
        return tuple(_dumped(item, flags) for item in value)
    return value


def _rebuilt(cls: type[PlainModel], values: tuple[Any, ...], fields_set: set[str]) -> PlainModel:
    """A plain object from its pickled field values."""
    made = object.__new__(cls)
    for name, value in zip(cls.model_fields, values):
        object.__setattr__(made, name, value)
    made.model_fields_set = fields_set
    return made



PLAIN: dict[str, type[PlainModel]] = {}
"""The plain class of each model, by the model's name."""


def _make_classes() -> None:
    for name, (shape, fields) in MODELS.items():
        bases = (SHAPES[shape], PlainModel) if shape else (PlainModel,)
        names = tuple(field[0] for field in fields)
        cls = type(name, bases, {"__slots__": names, "__module__": __name__, "__qualname__": name,
                                 "__doc__": f"The plain twin of the `{name}` model (see callsim.config.plain)."})
        cls.model_fields = {field[0]: Field(*field) for field in fields}
        PLAIN[name] = cls
        globals()[name] = cls
    for cls in PLAIN.values():  # a model as a default is written (name, fields): made once every class exists
        for field in cls.model_fields.values():
            if type(field.default) is tuple:
                model, fields = field.default
                field.default = PLAIN[model](**fields)


_make_classes()


def to_plain(value: Any, _seen: dict[int, Any] | None = None) -> Any:
    """`value` with every model instance in it (through lists, tuples and dicts) replaced by its plain twin;
    an object met twice becomes one plain object."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    seen = {} if _seen is None else _seen
    known = seen.get(id(value))
    if known is not None:
        return known[1]
    if kind is list:
        plain: Any = [to_plain(item, seen) for item in value]
    elif kind is dict:
        plain = {key: to_plain(item, seen) for key, item in value.items()}
    elif kind is tuple:
        plain = tuple(to_plain(item, seen) for item in value)
    elif hasattr(kind, "__pydantic_fields__"):
        twin = PLAIN.get(kind.__name__)
        if twin is None:
            raise TypeError(f"no plain class for the model {kind.__name__}; run python -m callsim.config.plain_table")
        plain = object.__new__(twin)
        fields = value.__dict__
        for name in twin.model_fields:
            object.__setattr__(plain, name, to_plain(fields[name], seen))
        plain.model_fields_set = set(value.model_fields_set)
    else:
        return value
    seen[id(value)] = (value, plain)  # the original is kept alive, so its id is not reused meanwhile
    return plain


_ATOMS = frozenset({str, int, float, bool, type(None), datetime.datetime, datetime.date, datetime.time})


def to_model(value: Any) -> Any:
    """The model instance a plain object is the twin of (through lists, tuples and dicts), made without
    validating again; loads pydantic."""
    if isinstance(value, PlainModel):
        from callsim.config.plain_table import model_class

        fields = {name: to_model(getattr(value, name)) for name in type(value).model_fields}
        return model_class(type(value).__name__).model_construct(set(value.model_fields_set), **fields)
    if type(value) is list:
        return [to_model(item) for item in value]
    if type(value) is dict:
        return {key: to_model(item) for key, item in value.items()}
    if type(value) is tuple:
        return tuple(to_model(item) for item in value)
    return value
