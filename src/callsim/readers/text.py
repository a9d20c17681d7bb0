"""The `text` type: the whole utterance, or what a pattern picks out of it."""

from __future__ import annotations

from callsim.readers.base import SpokenValue


def read_text(utterance: str, pattern: str | None = None) -> SpokenValue | None:
    """Read free text: the whole utterance, or the first match of `pattern` in it."""
    text = utterance.strip()
    if pattern is None:
        return SpokenValue(text, text) if text else None
    from callsim.patterns import compile_pattern  # RE2 loads with the first pattern, not with the readers

    match = compile_pattern(pattern).search(text)
    return SpokenValue(match.group(0), match.group(0)) if match else None
