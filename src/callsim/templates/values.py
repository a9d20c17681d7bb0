"""How a placeholder's value reads where it lands: in text people read, in a URL, in a header."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote


def _number(value: float) -> str:
    """A float as people write it: 5.0 as "5"."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else str(value)


def spoken(value: object) -> str:
    """How a value reads in text: None as "", yes/no, 5.0 as "5", a list as "a, b and c"."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        items = [spoken(item) for item in value]
        return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else "".join(items)
    return str(value)


def plain(value: object) -> str:
    """How a value reads in a URL or header: None as "", true/false, 5.0 as "5", a list as "a,b"."""
    if isinstance(value, str):
        return value
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


FINALIZE: dict[str, Callable[[object], str]] = {"text": spoken, "json": spoken, "header": plain, "url": url_component}
"""How each kind of template formats a placeholder's value."""
