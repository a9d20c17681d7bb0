"""The `extract` action: typed values read out of what the caller said."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from callsim.config.actions.base import ActionBase
from callsim.config.shapes.actions import ExtractShape
from callsim.config.agent import TypedValue, ValueType, birth_dates_past, check_names


class ExtractField(TypedValue):
    """One typed value an extractor reads out of what the caller said (rules as for the agent's variables)."""

    type: ValueType
    _what = "field"


class ExtractAction(ExtractShape, ActionBase):
    """Read typed values out of what the caller said, per turn or from the whole call; each lands in a
    variable (source `extract:NAME`) and in the trace with the turn it came from."""

    type: Literal["extract"]
    fields: dict[str, ExtractField]
    """The values to read, by the variable each is saved to."""
    from_: Literal["turn", "transcript"] | None = Field(None, alias="from")
    """Read from the caller's turns since the extractor last ran (`turn`), or from every turn of the call,
    the latest value winning (`transcript`). Default: `transcript` at `call_end`, else `turn`."""

    @field_validator("fields")
    @classmethod
    def _names(cls, value: dict[str, ExtractField]) -> dict[str, ExtractField]:
        if not value:
            raise ValueError("an extractor needs at least one field, e.g. caller_name: {type: name}")
        check_names(value, "field name")
        return birth_dates_past(value)
