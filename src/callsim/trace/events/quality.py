"""Events of extraction and post-call evaluation."""

from __future__ import annotations

from dataclasses import field
from typing import Any, ClassVar

from callsim.trace.events.base import Event, event_type


@event_type
class Extracted(Event):
    """An extractor read a value out of what the caller said in a turn."""

    type: ClassVar[str] = "extracted"
    action: str
    field: str
    value: Any
    turn: int
    text: str

    def summary(self) -> str:
        return f"extracted {self.field} = {self.value!r} from turn {self.turn} ({self.text!r})"


@event_type
class NotExtracted(Event):
    """An extractor left a field unset although a turn was about it, and says why ("the caller does not know": the
    turn's only words on it were "I don't know", "not sure", "no idea" and hedges)."""

    type: ClassVar[str] = "not_extracted"
    action: str
    field: str
    turn: int
    text: str
    reason: str

    def summary(self) -> str:
        return f"did not extract {self.field} from turn {self.turn} ({self.text!r}): {self.reason}"


@event_type
class Evaluation(Event):
    """A post-call evaluation: each criterion's result and why, the score and the verdict."""

    type: ClassVar[str] = "evaluation"
    action: str
    score: float
    passed: bool
    pass_score: float
    criteria: list[dict[str, Any]] = field(default_factory=list)
    """Per criterion: name, passed, weight, why, rubric."""

    def summary(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        failed = [f"{c['name']} ({c['why']})" for c in self.criteria if not c["passed"]]
        because = f"; failed: {'; '.join(failed)}" if failed else ""
        return f"evaluation {self.action} {verdict}: score {self.score:.2f} (pass {self.pass_score:.2f}){because}"
