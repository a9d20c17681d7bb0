"""The `name` type: a person's name, written as it is on paper."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from callsim.readers.base import FILLER, SpokenValue


_NAME_LEAD_INS = tuple(
    tuple(phrase.split())
    for phrase in (
        "my name is", "my name's", "name's", "the name is", "it is", "it's", "this is", "i am",
        "i'm", "you can call me", "call me", "yes", "yeah", "hi", "hello", "oh", "sure", "ok",
        "okay", "well", "so",
    )
)  # fmt: skip
# Words that are not names; a name ends at the first one. Kept free of words that are also
# common first names (will, may, mark, bill, grace, june, rose).
_NOT_NAMES = frozenset(
    """i me my mine myself you your we our us he she him her his they them their it its this that
    these those a an the and or but if so to of in on at for from with by about as into than then
    there here what which who whom whose when where why how is am are was were be been being do
    does did done have has had can could would should shall must might not no nope nah yes yeah
    yep yup okay ok sure please thanks thank hello hi hey well just like want wanted need check
    order account help know think sorry call calling speak talk see get got make go going all some
    any more very really right correct wrong maybe name number i'm i'd i'll i've it's that's
    what's don't can't won't""".split()
)
_TITLES = {"dr": "Dr.", "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "prof": "Prof."}
_PARTICLES = frozenset("de la del van von der den da di du le bin".split())
_SPELLED_HYPHENATED = re.compile(r"[a-z](?:-[a-z])+")
_LONGEST_NAME = 5


def read_name(utterance: str) -> SpokenValue | None:
    """Read a person's name, merging a spelled-out repetition ("john j-o-h-n") into the word."""
    tokens = re.sub(r"[^\w'.-]+", " ", utterance.replace("\u2019", "'")).split()
    tokens = [t if t.lower().rstrip(".") in _TITLES else t.strip(".-") for t in tokens]
    tokens = _without_lead_ins([t for t in tokens if t and t.lower() not in FILLER])
    words: list[str] = []
    for spelled, word in _spelled_merged(tokens):
        if spelled and words and _spells(word, words[-1]):
            words[-1] = word  # the spelling says how the word just said is written
        elif word.lower() in _NOT_NAMES or any(c.isdigit() for c in word):
            break
        else:
            words.append(word)
    if all(w.lower().rstrip(".") in _TITLES for w in words) or len(words) > _LONGEST_NAME:
        return None
    name = " ".join(_capitalised(word, first=index == 0) for index, word in enumerate(words))
    return SpokenValue(name, utterance.strip())


def _spells(spelling: str, word: str) -> bool:
    """Whether letters spelled out right after a word spell that word (as the caller writes it)."""
    spelling, word = spelling.lower(), word.lower()
    # Speech-to-text often mishears the word but not its letters: "kate c-a-t-e" is Cate.
    return spelling[0] == word[0] or fuzz.ratio(spelling, word) >= 60


def _without_lead_ins(tokens: list[str]) -> list[str]:
    """Drop the phrases callers put before their name ("uh it's", "my name is")."""
    stripped = True
    while stripped:
        stripped = False
        for phrase in _NAME_LEAD_INS:
            if tuple(t.lower() for t in tokens[: len(phrase)]) == phrase:
                tokens, stripped = tokens[len(phrase) :], True
    return tokens


def _spelled_merged(tokens: list[str]) -> list[tuple[bool, str]]:
    """Join spelled letters ("j o h n", "j-o-h-n") into words, marking which were spelled."""
    merged: list[tuple[bool, str]] = []
    index = 0
    while index < len(tokens):
        end = index
        while end < len(tokens) and len(tokens[end]) == 1 and tokens[end].isalpha():
            end += 1
        if end - index >= 2:
            merged.append((True, "".join(tokens[index:end])))
            index = end
        elif _SPELLED_HYPHENATED.fullmatch(tokens[index].lower()):
            merged.append((True, tokens[index].replace("-", "")))
            index += 1
        else:
            merged.append((False, tokens[index]))
            index += 1
    return merged


def _capitalised(word: str, first: bool) -> str:
    """Write one word of a name the way it is written on paper."""
    lower = word.lower()
    if lower.rstrip(".") in _TITLES:
        return _TITLES[lower.rstrip(".")]
    if lower in _PARTICLES and not first:
        return lower
    if word != lower and word != word.upper():
        return word  # the transcript already has the caller's capitals: McDonald, DeShawn
    parts = re.split(r"([-'])", lower)
    written = [parts[0].capitalize()]
    for index in range(1, len(parts)):
        part = parts[index]
        # O'Brien and D'Angelo capitalise after the apostrophe; the possessive in Jo's does not.
        after_possessive = parts[index - 1] == "'" and len(parts[index - 2]) > 1
        written.append(part if part in "-'" or after_possessive else part.capitalize())
    return "".join(written)
