"""Write a trace to a JSON Lines file as it happens, so that a crash leaves a readable trace."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from callsim.trace.events import Event
from callsim.trace.jsonl import json_line
from callsim.trace.trace import Trace


class JsonlRecorder:
    """Subscribes to a trace and appends each event to a file, flushed line by line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = path.open("w", encoding="utf-8")

    def attach(self, trace: Trace) -> None:
        """Write the header and the events so far, then each new one; attach once the call knows its secrets."""
        assert self._file is not None
        self._file.write(json_line(trace.redact(trace.header), sort_keys=True) + "\n")
        for event in trace.events:
            self(event)
        trace.listeners.append(self)

    def __call__(self, event: Event) -> None:
        if self._file is not None:
            self._file.write(json_line(event.to_json()) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
