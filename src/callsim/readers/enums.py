"""The `enum` type: one of a variable's `values`, said exactly or close enough."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from callsim.readers.base import SpokenValue, words_of


_ENUM_CUTOFF = 80  # fuzz.ratio: "basik" -> "basic" is 80, "pro" -> "for" is 33
_ENUM_FUZZY_MIN = 5
"""Values shorter than this must be said as they are written."""


def read_enum(utterance: str, values: Sequence[str]) -> SpokenValue | None:
    """Read one of `values`, said exactly or close enough; None when none or several fit."""
    if not values:
        raise ValueError("an enum needs at least one value to choose from")
    words = words_of(utterance)
    text = f" {' '.join(words)} "
    said = {value: " ".join(words_of(value)) for value in values}
    exact = [value for value, form in said.items() if form and f" {form} " in text]
    # "pro plus" also contains "pro"; the longer value is the one that was said.
    exact = [
        v for v in exact if not any(v != o and f" {said[v]} " in f" {said[o]} " for o in exact)
    ]
    if exact:
        return SpokenValue(exact[0], said[exact[0]]) if len(exact) == 1 else None
    best: list[tuple[float, str, str]] = []
    for value, form in said.items():
        if len(form) < _ENUM_FUZZY_MIN:
            continue  # one letter away from a short word is another word: "one" is not "none"
        size = len(form.split())
        spans = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
        match = process.extractOne(form, spans, scorer=fuzz.ratio, score_cutoff=_ENUM_CUTOFF)
        if match is not None:
            best.append((match[1], value, match[0]))
    best.sort(reverse=True)
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return SpokenValue(best[0][1], best[0][2])
