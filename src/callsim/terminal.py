"""Untrusted text for a terminal: what callers, servers, recordings and users' files say, shown as text.

Such text may hold escape sequences (`ESC]0;` retitles the window, `ESC[2J` clears the screen), other
control characters, invisible direction marks that reorder what is shown, and rich markup or emoji codes
(`[red]`, `:smile:`) that a rich console would act on. `printable` writes the characters as escapes
(`\\x1b`), keeping line breaks and tabs; `markup` also escapes markup, for strings given to rich as markup.
Every way out to a terminal (the CLI, failure messages, the pytest report, the simulator) goes through
one of the two; rich consoles are made with `emoji=False`.
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with control characters and invisible marks written as escapes; line breaks and tabs kept."""
    return _UNPRINTABLE.sub(lambda found: f"\\x{ord(found.group()):02x}" if ord(found.group()) < 0x100
                            else f"\\u{ord(found.group()):04x}", text)


def markup(text: str) -> str:
    """`text` for rich markup: printable, with `[...]` written so rich shows it instead of applying it."""
    from rich.markup import escape

    return escape(printable(text))
