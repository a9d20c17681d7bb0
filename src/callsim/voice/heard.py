"""What speech-to-text heard in a caller turn besides its text, and the rule for which values read from it are kept.

A speech-to-text engine weighs several wordings of a turn (its beam) and is more or less sure of each word.
It often hesitates between wordings that mean the same ("Yes, please" / "Yeah, please", "one, two, three" /
"1, 2, 3", "2125550198" / "212555 0198"): the words differ, the value does not. And it hesitates between
wordings that mean different things ("$15" / "$50"): then the value cannot be trusted. So the rule is asked of
the value, not of the words:

- the wordings holding at least `MIN_VALUE_SUPPORT` of the beam's probability must give the same value when
  the same part of each is read;
- no word the value is read from may be a guess: a word's probability (its least probable token) counts
  the other wordings that give the same value, since those only spell it otherwise ("Yes" at 0.14 beside
  "Yeah" is no guess; "Apparently" at 0.03 in a beam of "apparently"s is one), and under
  `MIN_WORD_PROBABILITY` the value must be read again without it. A word with digits is not lifted so:
  "8-1-2-0-3" and "8.1.2.0.3" write the same digits and say nothing of a digit the engine dropped.

A value that fails is not read, unless the turn heard once more another way (Whisper: without its prompt,
so the agent's words cannot have put the value there) gives it and passes the rule itself; else the agent
asks again rather than keep a misheard name, date or number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import difflib

MIN_VALUE_SUPPORT = 0.8
"""The share of a heard turn's wordings (by their probability) that must give a value for it to be kept."""
MIN_WORD_PROBABILITY = 0.2
"""A word the engine gives a lower probability than this (its other wordings of the same value counted) is a
guess: no value is read from it."""

Wordings = Sequence[tuple[str, float]]
"""A heard turn's wordings, each with its share of the engine's probability, the one heard first."""

_DIGITS = {word: str(digit) for digit, word in enumerate("zero one two three four five six seven eight nine".split())}
_WORD = re.compile(r"\S+")
_HAS_DIGIT = re.compile(r"\d")
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}…"


@dataclass
class HeardTurn:
    """A caller turn as speech-to-text heard it: its text, each word's probability, the wordings it weighed."""

    text: str
    words: tuple[tuple[str, float], ...] = ()
    """Each word of `text` with the engine's probability for it; empty when the engine gives none."""
    wordings: tuple[tuple[str, float], ...] = ()
    """The wordings the engine weighed with their shares of its probability, `text` first; empty when none."""
    again: Callable[[], HeardTurn | None] | None = None
    """Hears the turn once more another way, when a value is in doubt (asked once; None when it cannot)."""
    _second: list[HeardTurn | None] = field(default_factory=list, init=False, repr=False)

    def trusts(self, part: str, value: Any, read: Callable[[str], Any]) -> bool:
        """Whether `value`, read by `read` from `part` (a part of `text`), may be kept (see the module's rule):
        this hearing is sure of it, or, when it is not, a second hearing made another way gives the same value
        and is sure of it."""
        if self._sure(part, value, read):
            return True
        second = self.second()
        if second is None:
            return False
        said = counterpart(self.text, part, second.text)
        return said is not None and read(said) == value and second._sure(said, value, read)

    def second(self) -> HeardTurn | None:
        """The turn heard once more another way (heard at the first asking only)."""
        if not self._second:
            self._second.append(self.again() if self.again is not None else None)
        return self._second[0]

    def _sure(self, part: str, value: Any, read: Callable[[str], Any]) -> bool:
        support = value_support(self.text, part, self.wordings, value, read)
        if support < MIN_VALUE_SUPPORT:
            return False
        guessed = self.guessed(support)
        if not guessed:
            return True
        masked = without_words(part, guessed)
        return masked == part or read(masked) == value

    def guessed(self, support: float = 0.0) -> frozenset[str]:
        """The words (bare, lower case) the engine only guessed, counting `support`, the share of its wordings
        that give the same value as the one heard (by default none: each word's own probability decides)."""
        total = sum(share for _, share in self.wordings)
        own = self.wordings[0][1] / total if self.wordings and total > 0 else 1.0
        spelled = max(1.0, support / own) if own > 0 else 1.0
        return frozenset(bare for word, probability in self.words
                         if probability * (1.0 if _HAS_DIGIT.search(word) else spelled) < MIN_WORD_PROBABILITY
                         and (bare := bare_word(word)))


def other_wordings(text: str, wordings: Wordings) -> list[tuple[str, float]]:
    """The `wordings` that say other words than `text` (not only spell or punctuate them otherwise), with their
    shares of the probability of all."""
    total = sum(share for _, share in wordings) or 1.0
    mine = [_token(w) for w in _WORD.findall(text)]
    return [(other, share / total) for other, share in wordings
            if [t for t in map(_token, _WORD.findall(other)) if t] != [t for t in mine if t]]


def value_support(text: str, part: str, wordings: Wordings, value: Any, read: Callable[[str], Any]) -> float:
    """The share of `wordings` whose counterpart of `part` (a part of the heard `text`) `read` gives `value`;
    1 when there are no wordings to compare."""
    total = sum(share for _, share in wordings)
    if not wordings or total <= 0:
        return 1.0
    agreeing = 0.0
    for other, share in wordings:
        said = part if other == text else counterpart(text, part, other)
        if said is not None and (said == part or read(said) == value):
            agreeing += share
    return agreeing / total


def counterpart(text: str, part: str, other: str) -> str | None:
    """What `other` (another wording of `text`) says where `text` says `part`: the words of `other` aligned with
    the words `part` covers. `part` is usually a stretch of `text`; when it is not (words joined or blanked by
    a reader), it is aligned with `other` on its own. None when nothing of `part` is found in `other`."""
    start = text.find(part) if part else -1
    if start < 0:
        return _aligned(part, other)
    words = list(_WORD.finditer(text))
    covered = [k for k, m in enumerate(words) if m.start() < start + len(part) and m.end() > start]
    if not covered:
        return ""
    theirs = _WORD.findall(other)
    first, last = covered[0], covered[-1] + 1
    begin = end = None
    opcodes = _matcher([m.group() for m in words], theirs).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if begin is None and i1 <= first < i2:
            begin = j1 + (first - i1 if tag == "equal" else 0)
        if i1 < last <= i2:
            end = j1 + (last - i1) if tag == "equal" else j2
    if begin is None or end is None:
        return None
    # words `other` has right before or after the part belong to it: "5 5 1 2" said again as "5 5 5 1 2"
    for tag, i1, _, j1, j2 in opcodes:
        if tag == "insert" and i1 == first and j2 == begin:
            begin = j1
        elif tag == "insert" and i1 == last and j1 == end:
            end = j2
    return " ".join(theirs[begin:end])


def _aligned(part: str, other: str) -> str | None:
    """The stretch of `other` from what matches the first of `part`'s words to what matches its last, widened
    by the words of `part` before and after the matches."""
    mine, theirs = _WORD.findall(part), _WORD.findall(other)
    blocks = [b for b in _matcher(mine, theirs).get_matching_blocks() if b.size]
    if not blocks:
        return None
    begin = max(0, blocks[0].b - blocks[0].a)
    end = min(len(theirs), blocks[-1].b + blocks[-1].size + (len(mine) - blocks[-1].a - blocks[-1].size))
    return " ".join(theirs[begin:end])


def _matcher(mine: list[str], theirs: list[str]) -> difflib.SequenceMatcher:
    import difflib  # only for what speech-to-text heard (a typed call never aligns words)

    return difflib.SequenceMatcher(None, [_token(w) for w in mine], [_token(w) for w in theirs], autojunk=False)


def _token(word: str) -> str:
    """A word as wordings are compared: lower case, letters and digits only, a digit's word as its digit."""
    bare = re.sub(r"[\W_]+", "", word.lower())
    return _DIGITS.get(bare, bare)


def bare_word(word: str) -> str:
    """A word without the punctuation around it, in lower case."""
    return word.strip(_EDGE_PUNCTUATION).lower()


def without_words(text: str, words: frozenset[str]) -> str:
    """`text` with each of `words` (compared without edge punctuation, in any case) replaced by "…"."""
    return _WORD.sub(lambda m: "…" if bare_word(m.group()) in words else m.group(), text)
