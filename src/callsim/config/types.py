"""Small value types shared by the file formats: durations, regular expressions, time zones and the strict
base model."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from callsim.durations import format_duration, parse_duration
from callsim.files import excerpt
from callsim.patterns import PatternError, compile_pattern
from callsim.suggest import did_you_mean

MAX_DURATION = 7 * 24 * 3600.0
"""The longest duration a file may give (a week): 5,000 turns of it still end within the calendar."""


def _at_most_a_week(seconds: float) -> float:
    if not math.isfinite(seconds) or seconds > MAX_DURATION:
        shown = format_duration(seconds) if math.isfinite(seconds) else str(seconds)
        raise ValueError(f"a duration may be at most a week ({format_duration(MAX_DURATION)}), not {shown}")
    return seconds


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    AfterValidator(_at_most_a_week),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^(\d+(\.\d+)?h)?(\d+(\.\d+)?m)?(\d+(\.\d+)?s)?(\d+ms)?$",
                               "examples": ["25s", "2m", "1h30m", "500ms"]}, {"type": "number", "minimum": 0}]}),
]


def _compiles(pattern: str) -> str:
    try:
        compile_pattern(pattern)
    except PatternError as error:
        raise ValueError(f"{excerpt(pattern)} does not compile as a regular expression: {error}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
"""A regular expression (RE2 syntax, see callsim.patterns), checked when the file is loaded."""

_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*")


def _known_zone(value: str) -> str:
    # checked before ZoneInfo sees it: a name is a path into the time zone database, and a long or odd
    # one raises OSError (too long, a folder) or reads a file that is not a zone at all
    if len(value) <= 64 and _ZONE_NAME.fullmatch(value):
        try:
            ZoneInfo.no_cache(value)  # read each time, not from the process's memo: see callsim.files.MEMOS
            return value
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    raise ValueError(f"unknown time zone {excerpt(value)}; " + _zone_hint(value))


def _zone_hint(value: str) -> str:
    """A did-you-mean among the time zone database's names (read only for a name that is wrong)."""
    from zoneinfo import available_timezones

    return (did_you_mean(value, available_timezones(), "{}") if len(value) <= 64 else "") or "expected an IANA name such as America/New_York"


TimeZone = Annotated[str, AfterValidator(_known_zone)]
"""An IANA time zone name (America/New_York), checked against the time zone database."""

YEARS = (1900, 2999)
"""The years a moment in a file may fall in: the engine counts days, weeks and years from it both ways."""


def _in_years(value: dt.datetime) -> dt.datetime:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValueError(f"{value.isoformat()} is not between the years {YEARS[0]} and {YEARS[1]}")
    return value


Moment = Annotated[dt.datetime, AfterValidator(_in_years)]
"""A date and time in a file, within YEARS (a call in the year 9999 would count past the calendar's end)."""


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("an empty text is found in everything, so this check could not fail; "
                         "give the text to look for")
    return text


SearchText = Annotated[str, AfterValidator(_not_blank)]
"""Text an expectation looks for inside something (a line, a message, a whisper): never empty."""


def _absolute(url: str) -> str:
    if not (url.startswith(("http://", "https://")) or url.strip().startswith("{{")):
        raise ValueError(f"url {url!r} must start with http:// or https://")
    return url


RequestUrl = Annotated[str, AfterValidator(_absolute)]
"""A URL callsim sends a request to: http:// or https://, or a placeholder that gives the whole URL."""


_FIELD_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_NOT_IN_FIELD_VALUE = re.compile(r"[^\t\x20-\x7e]")


def _header_name(name: str) -> str:
    if not _FIELD_NAME.fullmatch(name):
        raise ValueError(f"{excerpt(name)} is not an HTTP header name: letters, digits and !#$%&'*+-.^_`|~ only "
                         "(RFC 9110), e.g. X-Shop-Token")
    return name


def _header_value(text: str) -> str:
    found = _NOT_IN_FIELD_VALUE.search(text)
    if found is not None:
        char = found.group()
        if char.isascii() or "\x80" <= char <= "\x9f":
            what = " (a line break)" if char in "\r\n" else ""
            raise ValueError(f"a header value cannot contain the control character U+{ord(char):04X}{what}; "
                             "RFC 9110 allows visible characters, spaces and tabs in one")
        raise ValueError(f"the value has the non-ASCII character {char!r}, which an HTTP header cannot carry; "
                         "send such text in the body")
    return text


HeaderName = Annotated[str, AfterValidator(_header_name)]
"""An HTTP header name (an RFC 9110 token)."""
HeaderValue = Annotated[str, AfterValidator(_header_value)]
"""An HTTP header value as written (placeholders allowed): visible ASCII, spaces and tabs; what a placeholder
puts in is checked when it is rendered."""
RequestHeaders = dict[HeaderName, HeaderValue]
"""The headers of a request callsim sends (an action's `request.headers`, the agent's `webhook.headers`)."""


class Model(BaseModel):
    """Base of every file-format model: unknown keys are errors, fields are documented (a docstring
    under each field, which `callsim schema` puts in the JSON Schema; reading them is left to it,
    as pydantic's `use_attribute_docstrings` parses every model's source at import)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


CALL_FIELDS = ("call.id", "call.from", "call.to", "call.direction", "call.started_at", "call.caller_name",
               "agent.name", "agent.number", "agent.timezone")
"""The standard call fields a placeholder may name (set when a call connects)."""
