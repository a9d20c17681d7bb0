"""A file's data with where each part of it stood: what reading YAML gives (callsim.config.yaml_positions).

Apart from the reader, so that a loaded scenario, which keeps its document to point at lines, is read back
from a pickle (callsim.config_cache) without loading PyYAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from callsim.errors import Position

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """A YAML file's data as plain dicts and lists, plus where each part of it stood."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    """The YAML text it was read from (empty for data that came from elsewhere), to explain a failed
    validation (see config/misindented.py)."""

    def __getstate__(self) -> dict[str, Any]:
        # never pickled (the config cache keeps loaded documents): a scenario's secrets: test values are in it
        return {key: value for key, value in self.__dict__.items() if key != "text"}

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of the value at `path` (or of its key), or of its nearest known parent."""
        probe = tuple(path)
        while probe:
            if key and probe in self.key_positions:
                return Position(self.file, *self.key_positions[probe])
            if probe in self.positions:
                return Position(self.file, *self.positions[probe])
            probe = probe[:-1]
        return Position(self.file, *self.positions.get((), (1, 1)))
