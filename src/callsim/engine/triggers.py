"""Triggers compiled once per agent: which actions a caller turn or a lifecycle event fires.

Lexical matching is tolerant of speech-to-text spelling: a phrase matches when it appears in the
turn, or when rapidfuzz's partial ratio against the turn reaches `PHRASE_CUTOFF`. Fuzzy scoring
is the expensive part, so it only runs when no phrase appears verbatim, and only on phrases
that share a word with the turn (each word of the turn matched against the phrases' vocabulary
with a spelling tolerance, and the answer cached): a turn costs about the same with 50 actions
as with 5.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from callsim.config.actions import Action
from callsim.engine.templates import Condition, compile_condition

PHRASE_CUTOFF = 85.0
KEYWORD_CUTOFF = 85.0
WORD_CUTOFF = 75.0
SHORT = 5  # phrases and keywords this short must match exactly: fuzzing "hi" matches everything
_MAX_CACHED_WORDS = 20_000

_PUNCT = re.compile(r"[^\w\s']+")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lowercase, punctuation to spaces, single spaces: the form phrases are matched in."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", text.lower())).strip()


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """Why an action fires: how it matched, on what, and how well."""

    action: str
    by: str
    detail: str = ""
    score: float = 100.0


@dataclass(slots=True)
class _Compiled:
    action: str
    order: int
    on: str | None
    keywords: tuple[str, ...]
    regex: tuple[re.Pattern[str], ...]
    condition: Condition | None
    after: str | None
    lexical: bool
    has_phrases: bool

    def event_match(self, event: str) -> TriggerMatch:
        """How this trigger reports firing on a lifecycle event: by its `if:` on turns, else by the event."""
        if self.condition is not None and event == "turn":
            return TriggerMatch(self.action, "if", self.condition.source)
        return TriggerMatch(self.action, "event", event)


@dataclass
class TriggerIndex:
    """All trigger matchers of one agent's actions."""

    compiled: list[_Compiled] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    phrase_owner: list[_Compiled] = field(default_factory=list)
    by_word: dict[str, set[int]] = field(default_factory=dict)
    """Each word of any phrase -> the indexes of the phrases that contain it."""
    vocabulary: list[str] = field(default_factory=list)
    near: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Cache: a word the caller said -> the vocabulary words it may be a misspelling of."""

    @classmethod
    def build(cls, actions: Mapping[str, Action], attached: list[str]) -> TriggerIndex:
        index = cls()
        for order, name in enumerate(attached):
            trigger = actions[name].trigger
            if trigger is None:
                continue
            lexical = bool(trigger.phrases or trigger.keywords or trigger.regex)
            item = _Compiled(
                action=name, order=order,
                on=trigger.on or ("turn" if lexical else None),
                keywords=tuple(normalize(k) for k in trigger.keywords),
                regex=tuple(re.compile(p, re.IGNORECASE) for p in trigger.regex),
                condition=compile_condition(trigger.if_) if trigger.if_ else None,
                after=trigger.after, lexical=lexical, has_phrases=bool(trigger.phrases),
            )
            if item.on is None and item.condition is not None and item.after is None:
                item.on = "turn"
            index.compiled.append(item)
            for phrase in trigger.phrases:
                for word in normalize(phrase).split():
                    index.by_word.setdefault(word, set()).add(len(index.phrases))
                index.phrases.append(normalize(phrase))
                index.phrase_owner.append(item)
        index.vocabulary = sorted(index.by_word)
        return index

    def _phrase_scores(self, norm: str) -> list[tuple[int, float]]:
        exact = [(i, 100.0) for i, phrase in enumerate(self.phrases) if phrase in norm]
        if exact:
            return exact
        candidates: set[int] = set()
        for word in set(norm.split()):
            for known in self._near(word):
                candidates.update(self.by_word[known])
        ordered = sorted(candidates)
        scored = process.extract(norm, [self.phrases[i] for i in ordered], scorer=fuzz.partial_ratio,
                                 score_cutoff=PHRASE_CUTOFF, limit=None)
        return [(ordered[j], score) for _, score, j in scored]

    def _near(self, word: str) -> tuple[str, ...]:
        found = self.near.get(word)
        if found is None:
            if len(word) <= 2:
                found = (word,) if word in self.by_word else ()
            else:
                found = tuple(w for w, _, _ in process.extract(word, self.vocabulary, scorer=fuzz.ratio,
                                                               score_cutoff=WORD_CUTOFF, limit=None))
            if len(self.near) > _MAX_CACHED_WORDS:
                self.near.clear()
            self.near[word] = found
        return found

    def match_turn(self, text: str, context: Mapping[str, Any]) -> list[TriggerMatch]:
        """Lexical matches for a caller turn, best first (ties keep the agent's order of actions)."""
        norm = normalize(text)
        found: dict[str, tuple[TriggerMatch, int]] = {}
        if self.phrases:
            for i, score in self._phrase_scores(norm):
                phrase = self.phrases[i]
                if len(phrase) <= SHORT and not _has_words(norm, phrase):
                    continue
                owner = self.phrase_owner[i]
                best = found.get(owner.action)
                if best is None or score > best[0].score:
                    found[owner.action] = (TriggerMatch(owner.action, "phrase", phrase, score), owner.order)
        words: list[str] | None = None
        for item in self.compiled:
            if not item.lexical or item.action in found:
                continue
            if item.keywords:
                words = words if words is not None else norm.split()
                if all(_keyword_in(k, norm, words) for k in item.keywords):
                    found[item.action] = (TriggerMatch(item.action, "keywords", ", ".join(item.keywords)), item.order)
                    continue
            for pattern in item.regex:
                if pattern.search(text):
                    found[item.action] = (TriggerMatch(item.action, "regex", pattern.pattern), item.order)
                    break
        owners = {item.action: item for item in self.compiled}
        matches = [(m, order) for m, order in found.values()
                   if owners[m.action].condition is None or owners[m.action].condition(context)]
        matches.sort(key=lambda pair: (-pair[0].score, pair[1]))
        return [m for m, _ in matches]

    def lifecycle(self, event: str, context: Mapping[str, Any]) -> list[TriggerMatch]:
        """Actions fired by a lifecycle event (`call_start`, `turn`, `call_end`) whose `if:` holds."""
        out = []
        for item in self.compiled:
            if item.on == event and not item.lexical and item.after is None:
                if item.condition is None or item.condition(context):
                    out.append(item.event_match(event))
        return out

    def ways(self) -> list[tuple[str, str, str]]:
        """Every (action, by, detail) a `trigger_matched` event of this agent can report (for coverage)."""
        found = [(owner.action, "phrase", phrase) for phrase, owner in zip(self.phrases, self.phrase_owner)]
        for item in self.compiled:
            if item.keywords:
                found.append((item.action, "keywords", ", ".join(item.keywords)))
            found += [(item.action, "regex", pattern.pattern) for pattern in item.regex]
            if item.after is not None:
                found.append((item.action, "after", item.after))
            elif not item.lexical and item.on is not None:
                match = item.event_match(item.on)
                found.append((match.action, match.by, match.detail))
        return found

    def after(self, finished: str, context: Mapping[str, Any]) -> list[TriggerMatch]:
        """Actions that fire after `finished` finished."""
        return [TriggerMatch(item.action, "after", finished) for item in self.compiled
                if item.after == finished and (item.condition is None or item.condition(context))]


def _has_words(norm: str, phrase: str) -> bool:
    return f" {phrase} " in f" {norm} "


def _keyword_in(keyword: str, norm: str, words: list[str]) -> bool:
    if " " in keyword or len(keyword) <= SHORT:
        return _has_words(norm, keyword)
    return process.extractOne(keyword, words, scorer=fuzz.ratio, score_cutoff=KEYWORD_CUTOFF) is not None
