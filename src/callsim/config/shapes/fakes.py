"""What fakes do beyond their fields: a route's method and URL, the agent's defaults merged with a call's."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class HttpRouteShape:
    """A fake HTTP endpoint."""

    __slots__ = ()

    @property
    def method(self) -> str:
        return self.match.split(None, 1)[0]  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        return self.match.split(None, 1)[1]  # type: ignore[attr-defined]


class FakeDefaultsShape:
    """The agent's own fakes (its `defaults:`), which scenarios extend or override."""

    __slots__ = ()

    def calendar_for(self, scenario: Any) -> Any:
        """The calendar a call meets: the scenario's fields over the agent's, with both sets of events."""
        if self.calendar is None:  # type: ignore[attr-defined]
            return scenario
        written = {name: getattr(scenario, name) for name in scenario.model_fields_set if name != "events"}
        return self.calendar.model_copy(  # type: ignore[attr-defined]
            update={**written, "events": [*self.calendar.events, *scenario.events]})  # type: ignore[attr-defined]

    def anchored(self, folder: Path) -> Any:
        """These defaults with the calendar's .ics file found from `folder` (the agent file's), wherever the
        call's own files are (absolute, as the call joins it to its own folder, which may be relative too)."""
        if self.calendar is None or self.calendar.ics is None:  # type: ignore[attr-defined]
            return self
        ics = str((folder / self.calendar.ics).absolute())  # type: ignore[attr-defined]
        return self.model_copy(update={"calendar": self.calendar.model_copy(update={"ics": ics})})  # type: ignore[attr-defined]
