"""The base of every trace event, the registry of event types and the JSON (de)serialisation helpers."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

TRACE_FORMAT = 1
EVENT_TYPES: dict[str, type[Event]] = {}
"""Every event class by its `type` tag (filled in as classes are defined)."""


@dataclass(slots=True)
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


_FIELDS: dict[type, tuple[str, ...]] = {}


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
