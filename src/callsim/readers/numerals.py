"""Spoken numbers rewritten as numerals ("one oh one" -> "1 01"), the first step of most readers."""

from __future__ import annotations

import re

from text_to_num import alpha2digit

from callsim.readers.base import FILLER

_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy"
    " eighty ninety hundred thousand million".split()
)
_REPEATS = {"double": 2, "triple": 3}
# Sentence punctuation only: the comma in "1,200" and the point in "3.5" are part of a number.
_PUNCTUATION = re.compile(r"[,.!?;:]+(?=\s|$)|[\"()]")
_SAID = re.compile(r"\S+")
_PAUSE = ",.!?;:"


def exclamations_out(text: str) -> str:
    """`text` without the "oh"s said on their own, by a pause: before one unless a number comes right before it
    ("oh, one two three" is surprise, "five two oh, one one" a zero), after one unless a number comes right after
    it ("two. oh and a piano" is surprise, "four four, oh nine" a zero)."""
    if "o" not in text:
        return text
    said = list(_SAID.finditer(text))
    out, at = [], 0
    for index, word in enumerate(said):
        core = word.group().strip(_PAUSE)
        if core not in {"oh", "o"}:
            continue
        before = said[index - 1].group() if index else ""
        after = said[index + 1].group() if index + 1 < len(said) else ""
        paused_before = not before or before[-1] in _PAUSE
        paused_after = word.group()[-1] in _PAUSE
        number_before = not paused_before and _is_number(before.strip(_PAUSE))
        number_after = not paused_after and (_is_number(after.strip(_PAUSE)) or after.strip(_PAUSE) in {"oh", "o"})
        if (paused_after and not number_before) or (paused_before and not number_after):
            out.append(text[at:word.start()] + " " * len(word.group()))
            at = word.end()
    return "".join(out) + text[at:]


def as_numerals(utterance: str) -> str:
    """Rewrite the spoken numbers in an utterance as numerals: "one oh one" -> "1 01"."""
    said = _PUNCTUATION.sub(" ", exclamations_out(utterance.lower())).split()
    words = [part for word in said for part in _hyphens_split(word) if part not in FILLER]
    return alpha2digit(" ".join(_repeats_expanded(_zeros_said_as_oh(words))), "en", threshold=0)


def _hyphens_split(word: str) -> list[str]:
    """A word of number words joined by hyphens, as speech-to-text writes digits said one by one
    ("four-five-six-seven", "nine-oh-two"), is those words; any other hyphenated word stays whole."""
    parts = word.split("-")
    if len(parts) > 1 and all(_is_number(part) or part in {"oh", "o"} for part in parts):
        return parts
    return [word]


def _is_number(word: str) -> bool:
    """Whether a word is a number, spelled or written."""
    return word in _NUMBER_WORDS or word.isdigit()


def _zeros_said_as_oh(words: list[str]) -> list[str]:
    """Read "oh" as zero inside a run of numbers, and as an exclamation anywhere else."""
    said = list(words)
    start = 0
    while start < len(said):
        end = start
        while end < len(said) and (_is_number(said[end]) or said[end] in {"oh", "o", *_REPEATS}):
            end += 1
        if any(_is_number(word) for word in said[start:end]):
            said[start:end] = ["zero" if word in {"oh", "o"} else word for word in said[start:end]]
        start = end + 1
    return said


def _repeats_expanded(words: list[str]) -> list[str]:
    """Spell out "double two" as "two two" and "triple five" as "five five five"."""
    said: list[str] = []
    for index, word in enumerate(words):
        if word in _REPEATS and index + 1 < len(words) and _is_number(words[index + 1]):
            said.extend([words[index + 1]] * (_REPEATS[word] - 1))
        else:
            said.append(word)
    return said
