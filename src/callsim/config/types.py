"""Small value types shared by the file formats: durations and the strict base model."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m(?!s))?\s*(?:(\d+(?:\.\d+)?)s)?\s*(?:(\d+)ms)?\s*$")


def parse_duration(value: Any) -> float:
    """Seconds from `25s`, `2m`, `1h30m`, `500ms` or a plain number of seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 25s, 2m or 1h30m")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return float(value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match and value.strip() and any(match.groups()):
            hours, minutes, seconds, millis = (float(g) if g else 0.0 for g in match.groups())
            return hours * 3600 + minutes * 60 + seconds + millis / 1000
    raise ValueError(f"invalid duration {value!r}; expected a duration such as 25s, 2m, 1h30m or 500ms")


def format_duration(seconds: float) -> str:
    """The inverse of parse_duration, for messages: 90 -> '1m30s'."""
    if seconds < 1 and seconds:
        return f"{round(seconds * 1000)}ms"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    frac = seconds - whole
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    if secs or frac or not (hours or minutes):
        parts.append(f"{secs + frac:g}s")
    return "".join(parts)


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^(\d+(\.\d+)?h)?(\d+(\.\d+)?m)?(\d+(\.\d+)?s)?(\d+ms)?$",
                               "examples": ["25s", "2m", "1h30m", "500ms"]}, {"type": "number", "minimum": 0}]}),
]


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"{pattern!r} does not compile as a regular expression: {error}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
"""A regular expression, checked when the file is loaded."""


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("an empty text is found in everything, so this check could not fail; "
                         "give the text to look for")
    return text


SearchText = Annotated[str, AfterValidator(_not_blank)]
"""Text an expectation looks for inside something (a line, a message, a whisper): never empty."""


class Model(BaseModel):
    """Base of every file-format model: unknown keys are errors, fields are documented (a docstring
    under each field, which `callsim schema` puts in the JSON Schema; reading them is left to it,
    as pydantic's `use_attribute_docstrings` parses every model's source at import)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
