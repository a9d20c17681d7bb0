"""What actions do beyond their fields: the variables they set, their fallbacks, when they speak."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

BOOKING_VARIABLES = frozenset({
    "booking.id", "booking.start", "booking.end", "booking.start_iso", "booking.end_iso", "booking.title",
    "booking.attendee", "booking.calendar", "booking.status", "booking.previous_start",
    "booking.previous_start_iso",
})
"""What a booking action sets once a booking was made or moved: times spoken in the agent's zone
("Tuesday, December 1 at 10:30 AM") and the same in ISO 8601 (`*_iso`). They describe a booking that
stands: cancelling it makes `booking` undefined again."""
CANCELLED_VARIABLES = frozenset({
    "cancelled.id", "cancelled.start", "cancelled.end", "cancelled.start_iso", "cancelled.end_iso",
    "cancelled.title", "cancelled.attendee", "cancelled.calendar",
})
"""What a cancel sets: the booking it cancelled, described as `booking.*` describes one that stands."""
OFFER_VARIABLES = frozenset({"offer.times", "offer.times_iso", "offer.wanted"})
"""What a booking action sets when it only offered free times: the times spoken ("Tuesday, December 1
at 9 AM, 9:30 AM or 11 AM"), the same in ISO 8601, and the wanted time or span (ISO 8601). An offer is
no booking: `booking` stays undefined until one is made."""
TIME_TYPES = ("when", "datetime", "date", "time")
"""Variable types a wanted time can be read from."""
CRITERION_RULES = ("said", "never_said", "action", "not_action", "action_failed", "if_", "transfer", "max_turns",
                   "no_fallback")


class FallbackShape:
    """What happens when an action fails (`say`, `then`)."""

    __slots__ = ()


class ActionShape:
    """What every action type does beyond its fields."""

    __slots__ = ()
    speaks_first: ClassVar[bool] = False
    """Whether `say` is spoken before the action does its work (a transfer announces itself) instead of after."""
    runs_while_waiting: ClassVar[bool] = False
    """Whether an `on: turn` action runs at once even while the agent waits for an answer (it neither asks
    nor changes the subject, like an extractor), instead of after the answer."""
    FALLBACKS: ClassVar[dict[str, tuple[str, ...]]] = {}
    """The fallback fields a kind of failure takes, first set one wins (`*`: every kind not listed);
    `on_error` when none of them is set."""

    @property
    def repeatable(self) -> bool:
        """Whether running the action again changes nothing but what it reads (a lookup): then a caller's
        correction of its input right after it ran ("sorry, I meant 4568") runs it again at once."""
        return False

    def provides(self) -> set[str]:
        """The variables this action can set (so placeholders naming them are not typos)."""
        return set()

    def fallbacks(self) -> dict[str, Any]:
        """The action's fallback branches by name (`on_error`, `on_no_answer`, `on_status.404`, ...)."""
        branches = {}
        for name in type(self).model_fields:  # type: ignore[attr-defined]
            value = getattr(self, name)
            if isinstance(value, FallbackShape):
                branches[name] = value
            elif isinstance(value, dict):  # by key, e.g. on_status: {404: ..., 5xx: ...}
                branches.update((f"{name}.{key}", item) for key, item in value.items()
                                if isinstance(item, FallbackShape))
        return branches

    def fallback_for(self, kind: str, status: int | None = None) -> tuple[str, Any]:
        """The fallback (branch name and value) taken when the action fails with this kind of failure
        (and, for an HTTP error status, this status)."""
        for name in self.FALLBACKS.get(kind, self.FALLBACKS.get("*", ())):
            chosen = getattr(self, name)
            if chosen is not None:
                return name, chosen
        return "on_error", self.on_error  # type: ignore[attr-defined]

    def check_files(self, folder: Path) -> list[tuple[str, str, str]]:
        """Problems with files the action reads (relative to its library's folder), as (field, problem, how to
        fix it) triples."""
        return []

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Other actions this one names outside `then:` and `after:`, as (path in the action, name) pairs."""
        return []


class BookingShape(ActionShape):
    """The `booking` action: the wanted time it reads and the variables it sets."""

    __slots__ = ()
    FALLBACKS: ClassVar[dict[str, tuple[str, ...]]] = {
        "conflict": ("on_conflict",), "past": ("on_conflict",), "outside_hours": ("on_outside_hours", "on_conflict"),
        "not_found": ("on_not_found",)}

    def provides(self) -> set[str]:
        return set(BOOKING_VARIABLES | OFFER_VARIABLES | CANCELLED_VARIABLES)

    @property
    def start_template(self) -> str | None:
        """The placeholder text the wanted time is rendered from."""
        if self.start is not None:  # type: ignore[attr-defined]
            return self.start  # type: ignore[attr-defined]
        return f"{{{{ {self.needs[0]} }}}}" if self.needs else None  # type: ignore[attr-defined]

    @property
    def wanted_variable(self) -> str | None:
        """The variable the wanted time is read from, when `start` is that one variable."""
        from callsim.templates import template_names

        names = template_names(self.start_template or "")
        name = next(iter(names), None) if len(names) == 1 else None
        return name if name is not None and "." not in name else None

    def wanted_time_problem(self, types: Mapping[str, str]) -> tuple[str, str, str] | None:
        """Why the wanted time cannot be read from its variable, given the declared `types` of variables
        and extractor fields: (field, problem, hint), or None. A variable of unknown type (saved from a
        response) may hold anything and passes."""
        variable = self.wanted_variable
        type_ = types.get(variable) if variable is not None and self.mode != "cancel" else None  # type: ignore[attr-defined]
        if type_ is None or type_ in TIME_TYPES:
            return None
        written = self.start is not None  # type: ignore[attr-defined]
        field = "start" if written else "needs"
        how = "start:" if written else "start: (by default the first of needs:)"
        times = [name for name, kind in types.items() if kind in TIME_TYPES]
        example = times[0] if times else "preferred_time"
        return field, (f"the wanted time is read from '{variable}' ({how}), which is of type {type_}, not a "
                       "date or time"), (f"read it from a when, datetime, date or time variable, e.g. "
                                         f"start: \"{{{{ {example} }}}}\", or list that variable first in needs")


class CriterionShape:
    """One rule of an evaluation."""

    __slots__ = ()

    @property
    def rule(self) -> tuple[str, Any]:
        """The criterion's rule: its key (as written) and value."""
        key = next(k for k in CRITERION_RULES if getattr(self, k) is not None)
        return ("if" if key == "if_" else key), getattr(self, key)


class EvaluateShape(ActionShape):
    """The `evaluate` action: the actions its criteria name."""

    __slots__ = ()

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("criteria", index, key), value) for index, item in enumerate(self.criteria)  # type: ignore[attr-defined]
                for key, value in [item.rule] if key in ("action", "not_action", "action_failed")]


class ExtractShape(ActionShape):
    """The `extract` action: what it reads from, and that it runs while the agent waits for an answer."""

    __slots__ = ()
    runs_while_waiting: ClassVar[bool] = True

    def provides(self) -> set[str]:
        return set(self.fields)  # type: ignore[attr-defined]

    @property
    def reads_transcript(self) -> bool:
        if self.from_ is not None:  # type: ignore[attr-defined]
            return self.from_ == "transcript"  # type: ignore[attr-defined]
        return self.trigger is not None and self.trigger.on == "call_end"  # type: ignore[attr-defined]


class HttpShape(ActionShape):
    """The `http` action: a lookup or a change, and the fallback of each error status."""

    __slots__ = ()
    FALLBACKS: ClassVar[dict[str, tuple[str, ...]]] = {"timeout": ("on_timeout",)}

    @property
    def repeatable(self) -> bool:
        return self.request.method in ("GET", "HEAD")  # type: ignore[attr-defined]  # safe methods (RFC 9110 9.2.1)

    def provides(self) -> set[str]:
        return set(self.save) | {"http.status"}  # type: ignore[attr-defined]

    def fallback_for(self, kind: str, status: int | None = None) -> tuple[str, Any]:
        if kind == "status" and status is not None:
            for key in (str(status), f"{status // 100}xx"):
                if key in self.on_status:  # type: ignore[attr-defined]
                    return f"on_status.{key}", self.on_status[key]  # type: ignore[attr-defined]
        return super().fallback_for(kind, status)


class MessageShape(ActionShape):
    """The `message` action: the reply it may wait for."""

    __slots__ = ()

    def provides(self) -> set[str]:
        if self.await_reply is None:  # type: ignore[attr-defined]
            return set()
        return {"reply"} | ({self.save_reply} if self.save_reply else set())  # type: ignore[attr-defined]


class TransferShape(ActionShape):
    """The `transfer` action: it announces itself, then dials."""

    __slots__ = ()
    speaks_first: ClassVar[bool] = True
    FALLBACKS: ClassVar[dict[str, tuple[str, ...]]] = {
        "busy": ("on_busy",), "no_answer": ("on_no_answer",), "declined": ("on_declined",), "*": ("on_fail",)}

    def provides(self) -> set[str]:
        return {"transfer.outcome", "transfer.destination", "transfer.mode", "transfer.attempts"}

    def check_files(self, folder: Path) -> list[tuple[str, str, str]]:
        if self.hold_audio is None or self.hold_audio == "music":  # type: ignore[attr-defined]
            return []
        problem = check_hold_audio(self.hold_audio, folder)  # type: ignore[attr-defined]
        return [("hold_audio", *problem)] if problem else []


def check_hold_audio(value: str, folder: Path) -> tuple[str, str] | None:
    """Why a `hold_audio` WAV file cannot be played and how to fix it (None when it can): outside the
    project, missing, not a regular file, or not a WAV file."""
    from callsim.files import MAX_AUDIO_BYTES, UnreadableFile, close_file, open_regular, referenced
    from callsim.voice.audio import check_wav

    hint = "give a path relative to the action library"
    try:
        open_regular(referenced(folder, value), MAX_AUDIO_BYTES).close()
    except UnreadableFile as problem:
        if problem.missing:
            return (f"hold_audio file {value!r} not found (looked in {folder})",
                    close_file(value, folder / value, hint))
        return f"hold_audio file {value!r} {problem.reason}", hint
    problem = check_wav(referenced(folder, value))
    if problem == "the WAV file holds no audio":
        return f"hold_audio file {value!r} holds no audio", hint
    return (f"hold_audio file {value!r} is not a readable WAV file ({problem})", hint) if problem else None
