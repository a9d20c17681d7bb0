"""The one "did you mean ...?" of callsim: the name a user most likely meant, among the ones that exist.

A name is close when it is at most one slip per three characters away (of the longer of the two names),
counting a slip as one inserted, dropped, changed or swapped-with-its-neighbour character, and ignoring
case: one typo in a word of three to five letters ("dsk" for "desk", "sya" for "say", "Yes-No" for
"yes_no"), two in one of six to eight ("adres" for "address"), and nothing for a two-letter one ("to" is
not "do"). Past that a "suggestion" shares a few letters by chance ("name" is not "time"), and a wrong
suggestion costs a new user more than none. The suggestion is the unique closest name: when two are
equally close, naming one would be a guess, so nothing is said.
"""

from __future__ import annotations

from collections.abc import Iterable

SLIP_EVERY = 3
"""One slip allowed per this many characters of the longer name."""


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` most likely misspells, as the candidate is written; None when none is close
    or several are equally close."""
    from rapidfuzz.distance import OSA  # loaded only when a name is wrong

    folded = word.casefold()
    best: set[str] = set()
    best_distance = -1
    for candidate in candidates:
        allowed = max(len(folded), len(candidate)) // SLIP_EVERY
        if best_distance >= 0:
            allowed = min(allowed, best_distance)
        distance = OSA.distance(folded, candidate.casefold(), score_cutoff=allowed)
        if distance > allowed or candidate == word:
            continue
        if distance < best_distance or best_distance < 0:
            best, best_distance = {candidate}, distance
        else:
            best.add(candidate)
    return next(iter(best)) if len(best) == 1 else None


def did_you_mean(word: str, candidates: Iterable[str], shown: str = "'{}'") -> str:
    """"did you mean 'desk'?" (the close name written as `shown` says) when one candidate is close, else ''."""
    close = closest(word, candidates)
    return f"did you mean {shown.format(close)}?" if close is not None else ""
