"""The base of every trace event, the registry of event types and the JSON (de)serialisation helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from operator import attrgetter
from typing import Any, ClassVar

TRACE_FORMAT = 1
EVENT_TYPES: dict[str, type[Event]] = {}
"""Every event class by its `type` tag (filled in as classes are defined)."""

event_type = dataclass(slots=True, repr=False, eq=False)
"""Makes a class an event type: a slotted dataclass whose `==` and repr are Event's, the same as a dataclass's
(the same class and equal fields, seq and t included; `AgentSaid(seq=3, t=1.5, text='hi', ...)`). A dataclass
writes and compiles both methods anew for each class, two thirds of the cost of defining one: for the ~60
event types, ~65 M instructions of every run's start. (dataclass's own decorator, so that the classes are made
at their module's top level, which callsim.startup_cache keeps the methods of.)"""


@event_type
class Event:
    """Base of all events; `seq` and `t` are set by the trace when the event is emitted."""

    type: ClassVar[str] = "event"
    seq: int = field(default=0, kw_only=True)
    t: float = field(default=0.0, kw_only=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # every event class registers its tag, so a new action type only adds its own classes;
        # dataclass(slots=True) re-creates the class, and the final (slotted) class wins
        EVENT_TYPES[cls.type] = cls

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seq": self.seq, "t": round(self.t, 3), "type": self.type}
        required = _required(type(self))
        for name in _field_names(type(self)):
            value = getattr(self, name)
            # optional fields are left out when empty; a required one is always written (a variable
            # set to None must read back as None)
            if name in required or (value is not None and value != {} and value != []):
                out[name.rstrip("_")] = value
        return out

    def summary(self) -> str:
        """One line for timelines and failure messages."""
        return self.type

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        values = _values(type(self))
        return values(self) == values(other)  # tuples, as a dataclass compares (the same object is equal)

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as a dataclass with eq

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(_all_names(type(self)), _values(type(self))(self)))
        return f"{self.__class__.__qualname__}({shown})"


_FIELDS: dict[type, tuple[str, ...]] = {}
_ALL: dict[type, tuple[str, ...]] = {}
_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _all_names(cls: type) -> tuple[str, ...]:
    names = _ALL.get(cls)
    if names is None:
        names = _ALL[cls] = tuple(f.name for f in fields(cls))
    return names


def _values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The values of every field of an event of `cls`, in order, as one tuple (every event has seq and t)."""
    values = _VALUES.get(cls)
    if values is None:
        values = _VALUES[cls] = attrgetter(*_all_names(cls))
    return values


_REQUIRED: dict[type, frozenset[str]] = {}


def _required(cls: type) -> frozenset[str]:
    names = _REQUIRED.get(cls)
    if names is None:
        names = frozenset(f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
                          and f.name not in ("seq", "t"))
        _REQUIRED[cls] = names
    return names


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.name not in ("seq", "t"))
        _FIELDS[cls] = names
    return names


def event_from_json(data: dict[str, Any]) -> Event:
    """Rebuild an event from its JSON object; unknown types raise KeyError."""
    cls = EVENT_TYPES[data["type"]]
    kwargs = {}
    for name in _field_names(cls):
        key = name.rstrip("_")
        if key in data:
            kwargs[name] = data[key]
    event = cls(**kwargs)
    event.seq = data.get("seq", 0)
    event.t = data.get("t", 0.0)
    return event


def _quoted(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
