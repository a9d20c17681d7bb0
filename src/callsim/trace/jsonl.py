"""Traces as JSON Lines: lines that every reader splits the same way, and one clear error for each way
a trace file can be broken (cut off, reordered, mistyped, huge, not UTF-8, not a trace at all).

A line holds one JSON object. Characters that some readers take for a line break (U+0085, U+2028,
U+2029) and lone surrogates (which UTF-8 cannot hold) are written as JSON escapes, so any text a call
carries reads back as it was; a high surrogate directly followed by a low one is one character in
UTF-16, and reads back as that character.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

from callsim.errors import CallsimError
from callsim.files import MAX_TRACE_BYTES, MiB, UnreadableFile, close_file, read_regular
from callsim.trace.events import EVENT_TYPES, TRACE_FORMAT, Event, event_from_json

MAX_LINE_BYTES = 4 * MiB
"""One event of a trace: far more than the longest text or body a valid call can carry."""

_ESCAPED = re.compile("[\x85\u2028\u2029\ud800-\udfff]")


class TraceFileError(CallsimError):
    """Raised when a trace file cannot be read; `missing` when there is no such file."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def json_line(value: Any, *, sort_keys: bool = False) -> str:
    """`value` as one line of JSON (without the newline) that reads back as it was."""
    text = json.dumps(value, ensure_ascii=False, default=str, sort_keys=sort_keys)
    return _ESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def trace_lines(path: Any) -> Iterator[tuple[int, Any, bool]]:
    """Each non-empty line of a trace file as (line number, parsed JSON, whether it is a cut-off last line)."""
    try:
        data = read_regular(path, MAX_TRACE_BYTES)
    except UnreadableFile as problem:
        if problem.missing:
            raise TraceFileError(f"{path}: no such trace file; {close_file(path, Path(path), 'check the path')}",
                                 missing=True) from None
        raise TraceFileError(f"{path}: cannot read trace ({problem.reason})") from None
    if not data.strip():
        raise TraceFileError(f"{path}: empty trace file (not even a header line)")
    lines = data.split(b"\n")
    first = True
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        last = number == len(lines)  # no newline after it: the writer may have stopped mid-line
        if len(raw) > MAX_LINE_BYTES:
            raise TraceFileError(f"{path}:{number}: a line of {len(raw) / MiB:.1f} MiB; the limit is "
                                 f"{MAX_LINE_BYTES // MiB} MiB per event")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            if last:
                yield number, None, True
                return
            column = len(raw[: error.start].decode("utf-8", errors="replace")) + 1
            raise TraceFileError(f"{path}:{number}:{column}: invalid UTF-8 (byte 0x{raw[error.start]:02x}); "
                                 "a trace is UTF-8 JSON Lines") from None
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            if first:
                raise TraceFileError(f"{path}:{number}: not a callsim trace (the first line is not JSON)") from None
            if last:
                yield number, None, True
                return
            where = f"{number}:{error.colno}" if isinstance(error, json.JSONDecodeError) else f"{number}"
            what = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deep"
            raise TraceFileError(f"{path}:{where}: unreadable event (not JSON: {what})") from None
        first = False
        yield number, value, False


HEADER_TEXT = ("type", "scenario", "file", "agent", "engine", "fingerprint", "started_at")
HEADER_NUMBERS = ("format", "seed", "variant")


def check_header(path: Any, header: Any) -> dict[str, Any]:
    """The trace's first line, checked: a trace header of the supported format, each field its type."""
    if not isinstance(header, dict) or header.get("type") != "trace":
        raise TraceFileError(f"{path}:1: not a callsim trace (no trace header)")
    if header.get("format") != TRACE_FORMAT:
        raise TraceFileError(f"{path}:1: trace format {_short(header.get('format'))} is not the supported format "
                             f"{TRACE_FORMAT}")
    for key in HEADER_TEXT + HEADER_NUMBERS:
        if key in header and not _fits(header[key], str if key in HEADER_TEXT else int):
            raise TraceFileError(f"{path}:1: the header's {key!r} is {_json_kind(header[key])}; expected "
                                 f"{'text' if key in HEADER_TEXT else 'a whole number'}")
    return header


def event_from_line(path: Any, number: int, data: Any, previous: Event | None) -> Event:
    """One event line, checked: a known type, each field of its type, in sequence and time after `previous`."""
    where = f"{path}:{number}"
    if not isinstance(data, dict):
        raise TraceFileError(f"{where}: unreadable event (a JSON {_json_kind(data)}, not an object)")
    kind = data.get("type")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None or cls is Event:
        raise TraceFileError(f"{where}: unknown event type {_short(kind)}")
    hints, required = _fields(cls)
    for name, hint in hints.items():
        key = name.rstrip("_")
        if key not in data:
            if name in required:
                raise TraceFileError(f"{where}: {kind} event without its {key!r}")
            continue
        if not _fits(data[key], hint):
            raise TraceFileError(f"{where}: {kind} event's {key!r} is {_json_kind(data[key])}; expected "
                                 f"{_describe(hint)}")
    for key in ("seq", "t"):
        if not _fits(data.get(key), int if key == "seq" else float):
            raise TraceFileError(f"{where}: {kind} event's {key!r} is {_json_kind(data.get(key))}; expected a number")
    event = event_from_json(data)
    expected = previous.seq + 1 if previous is not None else 1
    if event.seq != expected:
        raise TraceFileError(f"{where}: event #{event.seq} where #{expected} should be: events are missing, "
                             "repeated or out of order")
    if previous is not None and event.t < previous.t:
        raise TraceFileError(f"{where}: event #{event.seq} at {event.t:g} s comes before the previous event's "
                             f"{previous.t:g} s: the events are out of order")
    return event


_FIELDS: dict[type, tuple[dict[str, Any], frozenset[str]]] = {}


def _fields(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """An event class's own fields (not seq and t) with their types, and the names of the required ones."""
    found = _FIELDS.get(cls)
    if found is None:
        every = typing.get_type_hints(cls)
        own = [f for f in fields(cls) if f.name not in ("seq", "t")]
        found = _FIELDS[cls] = ({f.name: every[f.name] for f in own},
                                frozenset(f.name for f in own if f.default is MISSING and f.default_factory is MISSING))
    return found


def _fits(value: Any, hint: Any) -> bool:
    """Whether a JSON value has the type a field declares (`str`, `int | None`, `dict[str, str]`, ...)."""
    if hint is Any:
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, option) for option in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if origin is dict:
        _, item = typing.get_args(hint) or (str, Any)
        return isinstance(value, dict) and all(_fits(v, item) for v in value.values())
    return True


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(option) for option in typing.get_args(hint))
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false", type(None): "null",
            list: "a list", dict: "an object"}.get(origin or hint, "a value")


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"text ({_short(value)})"
    return "a list" if isinstance(value, list) else "an object"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
