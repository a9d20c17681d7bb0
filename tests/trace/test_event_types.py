"""Every event type compares and prints as a dataclass does, though Event gives `==` and repr to all of them
(a dataclass would compile both anew for each of the ~60 classes at every start)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from callsim.trace.events import EVENT_TYPES, AgentSaid, Event, VariableSet

TYPES = sorted((cls for cls in EVENT_TYPES.values() if cls is not Event), key=lambda cls: cls.type)


def made(cls: type[Event], **changed: Any) -> Event:
    values: dict[str, Any] = {f.name: f"{f.name}-1" for f in fields(cls)}
    values.update({"seq": 4, "t": 2.5, **changed})
    return cls(**values)


@pytest.mark.parametrize("cls", TYPES, ids=lambda cls: cls.type)
def test_an_event_equals_one_with_the_same_fields_and_no_other(cls: type[Event]):
    assert made(cls) == made(cls)
    assert not made(cls) != made(cls)
    for f in fields(cls):  # seq and t included, as a dataclass compares every field
        assert made(cls) != made(cls, **{f.name: "other"}), f.name


@pytest.mark.parametrize("cls", TYPES, ids=lambda cls: cls.type)
def test_an_event_prints_as_a_dataclass_and_has_no_hash(cls: type[Event]):
    event = made(cls)
    shown = ", ".join(f"{f.name}={getattr(event, f.name)!r}" for f in fields(cls))

    assert repr(event) == f"{cls.__qualname__}({shown})"
    with pytest.raises(TypeError, match="unhashable"):
        hash(event)


def test_events_of_two_types_are_never_equal_and_the_same_object_always_is():
    said = AgentSaid(text="hi", reason="greeting")
    nan = float("nan")

    assert said != VariableSet(name="text", value="hi", source="greeting")
    assert said != ("hi", "greeting", None) and said.__eq__(object()) is NotImplemented
    assert AgentSaid(text="hi", reason="x", t=nan) != AgentSaid(text="hi", reason="x", t=float("nan"))
    same = AgentSaid(text="hi", reason="x", t=nan)
    assert same == same  # compared as tuples are, as a dataclass does: the same value is equal to itself
