"""The end-of-call report's shape: what an agent's `webhook:` receives after every call (`callsim schema
webhook` prints it as a JSON Schema; `callsim.engine.call_report` builds it). A team's server can
validate what it receives against the schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from callsim.config.types import Model


class ReportCall(Model):
    """Who called whom, when, and how the call ended."""

    id: str
    agent: str
    """The agent's name."""
    direction: Literal["inbound", "outbound"]
    from_: str = Field(alias="from")
    """The calling number (E.164)."""
    to: str
    """The called number (E.164)."""
    started_at: str
    """ISO 8601 with an offset."""
    ended_at: str
    """ISO 8601 with an offset."""
    duration: float = Field(ge=0)
    """Seconds from connect to hang-up."""
    ended_by: Literal["caller", "agent", "system"]
    ended_reason: str
    """Why: `hangup`, `goodbye`, `transferred`, `error`, ..."""


class TranscriptLine(Model):
    """One line of the conversation, in order."""

    role: Literal["caller", "agent", "ivr"]
    """Who spoke: the caller, the agent, or the phone menu an outbound agent called."""
    text: str
    """What was said (for a line the caller cut off, the words said before the cut)."""
    t: float = Field(ge=0)
    """Seconds since the call started."""
    keys: str | None = None
    """DTMF keys the caller pressed (then `text` is empty)."""
    cut: bool | None = None
    """True when the caller hung up or talked over the agent before the line ended."""


class ReportError(Model):
    """Why an action failed."""

    kind: str
    """`timeout`, `connect`, `status`, `invalid_json`, `busy`, `no_answer`, `conflict`, ..."""
    message: str
    status: int | None = None
    """The HTTP status of a `status` failure."""


class ReportAction(Model):
    """One action run, in the order it started, and how it ended."""

    name: str
    type: str
    """The action type: `http`, `transfer`, `message`, `booking`, `sms`, `extract`, `evaluate`, `dtmf`."""
    t: float = Field(ge=0)
    """When it started, in seconds since the call started."""
    outcome: Literal["finished", "failed", "offered", "abandoned", "running"]
    """`offered`: it offered choices (free times) and did nothing yet; `abandoned`: the caller hung up while it
    ran; `running`: the call ended before it did."""
    duration: float | None = Field(None, ge=0)
    error: ReportError | None = None


class ReportCriterion(Model):
    """One criterion of an evaluation."""

    name: str
    passed: bool
    weight: float
    why: str


class ReportEvaluation(Model):
    """A post-call evaluation's verdict."""

    name: str
    """The evaluate action's name."""
    passed: bool
    score: float = Field(ge=0, le=1)
    pass_score: float = Field(ge=0, le=1)
    criteria: list[ReportCriterion]


class EndOfCallReport(Model):
    """What the agent's `webhook:` receives after every call (POST, JSON). Secrets never appear in it: every
    value a secret supplied is replaced by `[redacted N chars #hash]`, and `secrets.*` are not variables."""

    type: Literal["end_of_call_report"]
    format: Literal[1]
    """The report's version; a change that could break a reader raises it."""
    call: ReportCall
    transcript: list[TranscriptLine]
    variables: dict[str, Any]
    """Every variable with a value at hang-up, by its dotted name (`order_status`, `call.from`, `booking.start`)."""
    actions: list[ReportAction]
    evaluations: list[ReportEvaluation]
