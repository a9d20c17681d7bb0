"""How a placeholder's value reads where it lands: in text people read, in a URL, in a header."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote


def _number(value: float) -> str:
    """A float as people write it: 5.0 as "5"."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else str(value)


class Readable(str):
    """A value callsim read from the caller, held in its machine form (ISO 8601 text such as "16:00:00": what
    conditions compare, expectations match and requests, headers and JSON carry) and knowing how a person
    writes it (`said`, "4 PM"), which text a person reads or hears gets instead."""

    said: str

    def __new__(cls, machine: str, said: str) -> Readable:
        value = super().__new__(cls, machine)
        value.said = said
        return value

    def __reduce__(self) -> tuple[object, ...]:
        return Readable, (str(self), self.said)


def spoken(value: object) -> str:
    """How a value reads in text people read or hear: None as "", yes/no, 5.0 as "5", a list as "a, b and c",
    a time or date the caller gave as a person writes it ("4 PM", not "16:00:00")."""
    return _text(value, people=True)


def machine_text(value: object) -> str:
    """How a value reads in text a program reads (a JSON string, a query value, a booking's start): as in
    `spoken`, but a time or date in its ISO 8601 form."""
    return _text(value, people=False)


def _text(value: object, people: bool) -> str:
    if isinstance(value, str):
        return value.said if people and isinstance(value, Readable) else str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        items = [_text(item, people) for item in value]
        return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else "".join(items)
    return str(value)


def plain(value: object) -> str:
    """How a value reads in a URL, header or JSON text: None as "", true/false, 5.0 as "5", a list as "a,b",
    a time or date in its ISO 8601 form."""
    if isinstance(value, str):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return ",".join(plain(item) for item in value)
    return str(value)


def url_component(value: object) -> str:
    """A value percent-encoded as one URL component; "." and ".." too, lest they climb the path."""
    text = quote(plain(value), safe="")
    return text if text.strip(".") else text.replace(".", "%2E")


FINALIZE: dict[str, Callable[[object], str]] = {"text": spoken, "json": machine_text, "header": plain,
                                                "url": url_component}
"""How each kind of template formats a placeholder's value."""
