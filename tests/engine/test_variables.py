"""The variables' rendering context: nested by dots, and the same however it was built."""

from __future__ import annotations

from callsim.engine.variables import Secrets, Variables
from callsim.trace.redact import Redactor


def fresh() -> Variables:
    return Variables(Secrets({}, Redactor(), environ={}))


def test_a_context_handed_out_does_not_change_when_a_variable_is_set_later():
    variables = fresh()
    variables.set("status", "shipped", "caller")
    before = variables.context()
    variables.set("status", "lost", "caller")
    variables.set("eta", "today", "caller")
    assert before["status"] == "shipped" and "eta" not in before
    assert variables.context()["status"] == "lost" and variables.context()["eta"] == "today"


def test_updating_a_context_gives_what_building_it_afresh_gives():
    steps = [("a", 1), ("a.b", 2), ("c", 3), ("a", 4), ("d.e", 5), ("c", 6), ("d", 7), ("f", None),
             ("g.h.i", 8), ("g.h.j", 9), ("g.k", 10), ("g.h.i", 11)]
    updated = fresh()
    for name, value in steps:
        updated.set(name, value, "caller")
        updated.context()
    built = fresh()
    for name, value in steps:
        built.set(name, value, "caller")
    context = {k: v for k, v in updated.context().items() if k != "secrets"}
    assert context == {k: v for k, v in built.context().items() if k != "secrets"}
    assert context == {"a": {"b": 2}, "c": 6, "d": 7, "f": None, "g": {"h": {"i": 11, "j": 9}, "k": 10}}
