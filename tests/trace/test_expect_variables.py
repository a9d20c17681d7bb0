"""A variables check that misses a name names the close one the call did set (Python's
`call.trace.expect.variables(...)` is not validated against the agent as a YAML file is)."""

from __future__ import annotations

from callsim.config.scenario import Expectation
from callsim.trace.events import VariableSet
from callsim.trace.expect import check

TRAIL = [VariableSet(name="order_status", value="shipped", source="action:lookup_order"),
         VariableSet(name="order_number", value="4567", source="caller")]


def verdict(expectation: dict):
    return check(Expectation.model_validate(expectation), TRAIL, TRAIL)


def test_a_misspelt_name_is_pointed_at_the_variable_that_was_set():
    failure = verdict({"variables": {"order_statu": "shipped"}})

    assert failure is not None
    assert failure.instead == "order_statu was never set; did you mean order_status (= 'shipped')?"


def test_a_name_like_no_variable_set_only_says_so():
    failure = verdict({"variables": {"parcel": "shipped"}})

    assert failure is not None and failure.instead == "parcel was never set"


def test_a_variable_expected_too_is_no_suggestion():
    failure = verdict({"variables": {"order_status": "shipped", "order_statu": "shipped"}})

    assert failure is not None and failure.instead == "order_statu was never set"
