"""The `evaluate` action: weighted criteria that judge the finished call."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from callsim.config.actions.base import ActionBase, Trigger
from callsim.config.shapes.actions import CRITERION_RULES, CriterionShape, EvaluateShape
from callsim.config.types import Model

TRANSFER_OUTCOMES = ("connected", "no_answer", "busy", "declined", "failed", "abandoned")


class Criterion(CriterionShape, Model):
    """One rule an evaluation checks over the finished call, with its weight and what it means."""

    name: str
    said: str | None = None
    """The agent said something containing this text (case-insensitive)."""
    never_said: str | None = None
    """The agent never said anything containing this text."""
    action: str | None = None
    """This action ran and finished."""
    not_action: str | None = None
    """This action never ran."""
    action_failed: str | None = None
    """This action ran and failed."""
    if_: str | None = Field(None, alias="if")
    """A condition over the call's variables at its end, e.g. `booking.id is defined`."""
    transfer: Literal["connected", "no_answer", "busy", "declined", "failed"] | None = None
    """The call's transfer ended this way (`transfer.outcome`)."""
    max_turns: int | None = Field(None, ge=0)
    """The caller spoke at most this many turns."""
    no_fallback: bool | None = None
    """The agent never said its fallback line (`true`)."""
    weight: float = Field(1.0, ge=0)
    """How much the criterion counts towards the score."""
    rubric: str = ""
    """What the criterion means, for the people reading the result."""

    @model_validator(mode="after")
    def _one_rule(self) -> Criterion:
        given = [("if" if k == "if_" else k) for k in CRITERION_RULES if getattr(self, k) is not None]
        if len(given) != 1:
            rules = ", ".join("if" if k == "if_" else k for k in CRITERION_RULES)
            raise ValueError(f"criterion {self.name!r} needs exactly one rule ({rules}); "
                             f"got {', '.join(given) or 'none'}")
        if self.no_fallback is False:
            raise ValueError("no_fallback: false checks nothing; write no_fallback: true")
        if self.if_ is not None:
            from callsim.errors import TemplateError
            from callsim.templates import compile_condition

            try:
                compile_condition(self.if_)
            except TemplateError as problem:
                raise ValueError(str(problem)) from None
        return self


class EvaluateAction(EvaluateShape, ActionBase):
    """Judge the finished call: weighted rules, a score, and pass or fail against `pass_score`."""

    type: Literal["evaluate"]
    trigger: Trigger | None = Trigger(on="call_end")
    """Evaluations run after the call (`on: call_end`, the default), optionally under an `if:`."""
    criteria: list[Criterion] = Field(min_length=1)
    pass_score: float = Field(1.0, ge=0, le=1)
    """The share of the total weight that must pass (1 = every criterion)."""

    @model_validator(mode="after")
    def _scorable(self) -> EvaluateAction:
        names = [item.name for item in self.criteria]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"criterion names must be unique; repeated: {', '.join(repeated)}")
        if not sum(item.weight for item in self.criteria):
            raise ValueError("the criteria's weights add up to 0, so there is nothing to score")
        trigger = self.trigger
        if trigger is None or trigger.on != "call_end" or trigger.phrases or trigger.keywords or trigger.regex:
            raise ValueError("an evaluation judges the finished call: its trigger is {on: call_end} "
                             "(with an optional if:)")
        return self
