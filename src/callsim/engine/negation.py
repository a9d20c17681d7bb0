"""Whether words a caller said are negated: "I am not angry" must not fire an `angry` trigger.

A small rule in the NegEx tradition (Chapman et al., 2001), applied to the words before a match:
a negation cue ("not", "no", "never", "n't", "without", ...) reaches forward over at most `SCOPE`
words of its own clause, a refused request ("no need to", "I don't want to") over the whole of what it
asks for; a clause break (`,` `.` `;` `?` `!`), a conjunction ("but", "and", "because") or a new subject
("... I want to ...") ends its reach.

Two kinds of negated verb are told apart, because callers use both all the time:
- refusing or denying negates: "I don't want to dispute anything", "don't cancel it", "I'm not
  angry", "no complaint", "it's not about billing", "I'm not calling to complain";
- reporting a problem does not: "I can't log in", "my refund didn't arrive", "I don't recognise
  this charge", "the order wasn't delivered" — what went wrong is exactly what a trigger listens for.
Pseudo-negations ("not sure", "no idea", "no problem", "not only") negate nothing.

`negation_before` is the one entry point; anything that matches words or meanings in a turn
(phrases, keywords, regex, a semantic matcher) asks it about the start of its match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

SCOPE = 5
"""How many words after a cue it still negates ("not really all that angry" is still negated)."""

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ANY_CUE = re.compile(r"\b(?:not|no|never|nothing|nobody|none|neither|nor|without|cannot|[a-z]+n'?t)\b")
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\"]")

_BREAKS = frozenset("but and or because cause since so though although however yet instead except "
                    "whereas while unless".split())
"""Words that end a cue's reach: what follows is another statement."""
_SUBJECTS = frozenset("i we he she they".split())
"""A new subject starts a new statement: "I'm not angry I just want to talk to someone"."""
_REPORTING = frozenset("say said saying tell told mention mentioned think thought believe that".split())
"""Words after which a new subject starts what is reported, not a new statement: a negated "I never said I
wanted a transfer" or "I don't think I need a refund" reaches into it."""

_DENY = frozenset("not no never nothing nobody none neither nor without".split())
_DO_NOT = frozenset("don't dont do't".split())
_PROBLEM_AUX = frozenset(
    "can't cant cannot couldn't couldnt won't wont wouldn't wouldnt didn't didnt doesn't doesnt haven't havent "
    "hasn't hasnt hadn't hadnt shouldn't shouldnt".split())
_COPULA_NOT = frozenset("isn't isnt aren't arent wasn't wasnt weren't werent ain't aint".split())
_AUX_BEFORE_NOT = {
    **dict.fromkeys("do".split(), "do"),
    **dict.fromkeys("can could will would did does have has had should".split(), "problem"),
    **dict.fromkeys("is are was were am i'm it's that's he's she's we're you're they're be been".split(), "copula"),
}
"""What "not" after these words is: "do not" refuses, "did not" reports, "is not" is a copula."""

_VOLITION = frozenset(
    "want wanted wanna need needed needing wish wished mean meant intend intended plan planning planned care "
    "ask asking asked call calling looking trying going gonna interested like say said saying mention "
    "mentioned".split())
"""Verbs of wanting, asking and saying: negating them refuses or takes back the request, whatever the
auxiliary ("I didn't say cancel")."""
_PROBLEM_VERBS = frozenset(
    "have has had see saw seen get got gotten know knew receive received recognise recognize recognised "
    "recognized understand understood remember find found work works working load loading hear heard arrive "
    "arrived show showing shown access log sign able".split())
"""Verbs of having, perceiving and working: negating them reports a problem ("I don't see my refund")."""
_SKIPPED = frozenset("even really actually quite at all to be".split())
"""Words between a cue and its verb that change nothing: "I don't even want", "not to be"."""
_PSEUDO = frozenset({("not", "sure"), ("not", "certain"), ("no", "idea"), ("no", "problem"), ("no", "worries"),
                     ("not", "only"), ("not", "just"), ("no", "doubt"), ("not", "a problem"), ("don't", "know"),
                     ("dont", "know"), ("no", "matter")})
"""A cue and the word after it that negate nothing together."""
_NO_REACH = 2
""""no" negates the noun right after it ("no complaint", "no more complaints"), not a whole clause."""


def negation_before(text: str, start: int) -> str | None:
    """The negation cue covering what `text` says from character `start` on, e.g. "not" or "don't
    want"; None when it is not negated. Case and punctuation of `text` are as the caller said them."""
    before = text[:start].lower().replace("\u2019", "'")
    if _ANY_CUE.search(before) is None:  # most matches: nothing that could negate them
        return None
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    words = _WORD.findall(before[breaks[-1]:] if breaks else before)
    if not words:
        return None
    matched = _WORD.findall(text[start:start + 40].lower().replace("\u2019", "'"))[:1]
    last = len(words)
    for index in range(last - 1, -1, -1):
        word = words[index]
        if word in _BREAKS or (word in _SUBJECTS and (index == 0 or words[index - 1] not in _REPORTING)):
            return None
        kind = _cue_kind(words, index)
        if kind is None:
            continue
        following = words[index + 1:] + matched
        if _pseudo(word, following):
            continue
        verb = next((w for w in following if w not in _SKIPPED), None)
        if last - index - 1 > SCOPE and verb not in _VOLITION:
            continue  # a refused request reaches over all it asks for: "no need to put me through to a person"
        if _negates(kind, verb, distance=last - index - 1):
            return f"{word} {verb}" if verb in _VOLITION else word
    return None


def _cue_kind(words: list[str], index: int) -> str | None:
    """Which kind of negation cue `words[index]` is, or None when it is none."""
    word = words[index]
    if word in _DO_NOT:
        return "do"
    if word in _PROBLEM_AUX:
        return "problem"
    if word in _COPULA_NOT:
        return "copula"
    if word == "no":
        return "no"
    if word == "not" and index > 0:
        return _AUX_BEFORE_NOT.get(words[index - 1], "deny")
    if word in _DENY:
        return "deny"
    return None


def _pseudo(cue: str, following: list[str]) -> bool:
    return bool(following) and ((cue, following[0]) in _PSEUDO or (cue, " ".join(following[:2])) in _PSEUDO)


def _negates(kind: str, verb: str | None, distance: int) -> bool:
    """Whether a cue of `kind`, followed by `verb` (the first word that counts), negates a match
    `distance` words after the cue."""
    if verb in _VOLITION:
        return True
    if kind == "problem":
        return False
    if kind == "no":
        return distance <= _NO_REACH
    if verb is None:
        return True
    if verb in _PROBLEM_VERBS:
        return False
    # "wasn't delivered", "isn't working": a state that went wrong; but "the roof is not leaking right now"
    # against the phrase "leaking right now" denies the very doing the trigger listens for
    if kind == "copula" and (verb.endswith(("ed", "en")) or verb.endswith("ing") and distance > 0):
        return False
    return True


def chosen_among(text: str, values: Sequence[str], read: str | None) -> str | None:
    """Which of `values` a caller chose in `text` (`read`: what an enum reader made of it, None when several
    or none fit): the only one said without a negation. "not nachos, a burrito" is a burrito; "not nachos"
    alone chooses nothing."""
    lowered = text.lower().replace("\u2019", "'")
    found = {value: [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w']){re.escape(value.lower())}(?![\w'])",
                                                              lowered)] for value in values}
    # "grand" said inside "baby grand" is not said of its own, as the enum reader weighs it too
    said = {value: [start for start, end in spans if not any(
        (a, b) != (start, end) and a <= start and end <= b for other in found.values() for a, b in other)]
        for value, spans in found.items()}
    if read is not None and not said.get(read):
        return read  # read by spelling tolerance: nothing to weigh
    kept = [value for value, starts in said.items()
            if starts and any(negation_before(text, start) is None for start in starts)]
    negated = any(starts for value, starts in said.items() if value not in kept)
    if not negated:
        return read
    return kept[0] if len(kept) == 1 else None
