"""Triggers compiled once per agent: which actions a caller turn or a lifecycle event fires.

Lexical matching is tolerant of speech-to-text spelling: a phrase matches when its words appear in
the turn, or when rapidfuzz's partial ratio against the turn reaches `PHRASE_CUTOFF`. Fuzzy scoring
is the expensive part, so it only runs when no phrase appears verbatim, and only on phrases
that share a word with the turn (each word of the turn matched against the phrases' vocabulary
with a spelling tolerance, and the answer cached): a turn costs about the same with 50 actions
as with 5.

A phrase of two words of substance or more also matches when the caller puts a few words inside it
("pick up Mia Chen early" for "pick up early", "change all the locks", "locked myself out"): its words
in order, each as written, with an ending or a letter or two misspelled, within one clause, with at
most `MAX_INSERTED` words of substance and `MAX_SPREAD` words in all between them, none of them a
negation (`_spread`).

A match whose words are negated ("I am not angry", "I don't want to dispute anything") does not
fire; `hear` reports it as suppressed, with the negation cue (see `callsim.engine.negation`).

An index may carry a `MeaningScorer` (see `engine/semantic.py`): `hear` then hands it the lexical
result, and it judges turns no lexical matcher caught, and lone keywords, by meaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from rapidfuzz import fuzz, process

from callsim.engine.negation import negation_before
from callsim.patterns import compile_pattern
from callsim.readers.name import RELATIONS
from callsim.readers.times import clock_times
from callsim.readers.utterance import FUNCTION_WORDS
from callsim.readers.when import mentions_a_day
from callsim.templates import Condition, compile_condition

if TYPE_CHECKING:
    from callsim.config.actions import Action

PHRASE_CUTOFF = 85.0
KEYWORD_CUTOFF = 85.0
WORD_CUTOFF = 75.0
SHORT = 5  # phrases and keywords this short must match exactly: fuzzing "hi" matches everything
MINOR_WORDS = frozenset("a an the is are am was were be to of for in on at my your our it its i me".split())
"""Words of a phrase speech-to-text may drop or mangle ("power out" for "power is out")."""
WORDS_IN_ORDER = 90.0
"""The score of a phrase said word for word without its small words ("cancel order" for "cancel my order")."""
GAPPED = 86.0
"""The score of a phrase said with other words inside it ("pick up Mia Chen early" for "pick up early"):
above `PHRASE_CUTOFF`, below a phrase said whole or misspelled."""
MAX_INSERTED = 2
"""Words of substance a caller may put inside a phrase: a name ("Mia Chen"), a count ("two"), "all", "real";
whom it is for ("my son") is not counted ("pick up my son Leo Park early")."""
MAX_SPREAD = 4
"""Words a caller may put inside a phrase in all, small ones included: "speak to one of the librarians" for
"speak to a librarian" puts "one of the" where the phrase has "a"."""
_FILLER = frozenset("uh um umm er erm ah hmm like just".split())
"""Words inside a phrase that count as small ones: "renew uh the books"."""
_GAP_BREAKS = frozenset("and but or so then because also plus if when while".split())
"""Words that start another statement: a phrase's words on both sides of one are not said as one request
("I got locked in and had to climb out" is no "locked out")."""
_GAP_PAUSE = re.compile(r"[,;.!?:]")
_GLUE = FUNCTION_WORDS | _FILLER | frozenset("all myself yourself himself herself ourselves themselves".split())
"""Words inside a phrase that belong to it ("locked myself out", "send some flowers", "change all the locks"),
unlike a name or a value said inside it ("pick up Mia Chen early")."""
POLARITY_WORDS = frozenset("no not never nothing none without".split())
"""Words a fuzzy match must hear as said: "I need electricity" is one letter from "no electricity"."""
_MAX_CACHED_WORDS = 20_000

_TOKEN = re.compile(r"[\w']+")
"""The words of a turn as `normalize` keeps them, with where each is in the turn as said."""
_APOSTROPHED = re.compile(r"[\w'\u2019]+")
"""The words of a turn as said, a typographic apostrophe kept inside them ("aren\u2019t"): what `_Turn.contracted`
spells out."""


def normalize(text: str) -> str:
    """Lowercase, punctuation to spaces, single spaces: the form phrases are matched in."""
    return " ".join(_TOKEN.findall(text.lower()))


@dataclass(slots=True)
class TriggerMatch:
    """Why an action fires: how it matched, on what, and how well."""

    action: str
    by: str
    detail: str = ""
    score: float = 100.0
    start: int = -1
    """Where in the caller's turn (a character offset in the text as said) the match begins; -1 for events."""
    end: int = -1
    negated: str | None = None
    """The negation cue that covers the match ("not", "don't want"): then it does not fire."""
    parts: tuple[tuple[int, int], ...] = ()
    """For a phrase said with other words inside it: where each of its own words is (the words between are not
    the phrase's: "Mia Chen" in "pick up Mia Chen early" is still free to be a name); else empty."""
    runner_up: str = ""
    """For a match by meaning: the second-best action and its score."""
    why: str = ""
    """For a match by meaning, or a lexical match meaning overruled: the scores and the rule that decided;
    for a phrase said with other words inside it, which words."""

    def spans(self) -> tuple[tuple[int, int], ...]:
        """Where in the caller's turn the words that matched are: the phrase's own words only, for a phrase
        said with others inside it; else the match's span (none for an event)."""
        if self.parts:
            return self.parts
        return ((self.start, self.end),) if self.start >= 0 else ()


class MeaningScorer(Protocol):
    """Matches caller turns by meaning (the plug-in point for `engine/semantic.py`)."""

    def refine(self, text: str, heard: TurnMatches, eligible: Callable[[str], bool]) -> TurnMatches:
        """What fires for a turn, given what the lexical matchers heard (the lexical matches meaning overruled
        go to `overruled`)."""
        ...

    def read_enum(self, text: str, values: Sequence[str]) -> Any:
        """Which of `values` an answer means; a verdict with `fires`, `best` and `why`."""
        ...


@dataclass(slots=True)
class _Compiled:
    action: str
    order: int
    on: str | None
    keywords: tuple[str, ...]
    regex: tuple[Any, ...]
    """RE2 patterns (see callsim.patterns)."""
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
    phrase_words: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    """Each phrase's polarity words and its other words that are not `MINOR_WORDS` (see `_said_enough`)."""
    by_word: dict[str, set[int]] = field(default_factory=dict)
    """Each word of any phrase -> the indexes of the phrases that contain it."""
    by_first_word: dict[str, list[int]] = field(default_factory=dict)
    """The first word of each phrase -> the indexes of the phrases that start with it (said whole, a
    phrase is found by its first word; said inside longer words, by the fuzzy matcher)."""
    vocabulary: list[str] = field(default_factory=list)
    near: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Cache: a word the caller said -> the vocabulary words it may be a misspelling of."""
    _owners: dict[str, _Compiled] = field(default_factory=dict)
    semantic: MeaningScorer | None = None
    on_turn: list[_Compiled] = field(default_factory=list)
    """The `on: turn` triggers that are not lexical: every turn, or each time their `if:` becomes true."""
    by_words: list[_Compiled] = field(default_factory=list)
    """The triggers with keywords or regex."""
    after_action: dict[str, list[_Compiled]] = field(default_factory=dict)
    """Each action -> the triggers that fire after it."""
    negative: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    """The phrases that say "not" ("not producing", "isn't working"), each with its words as `_uncontracted`
    writes them: a caller may say the "not" either way ("aren't producing", "is not working")."""

    @classmethod
    def build(cls, actions: Mapping[str, Action], attached: list[str],
              semantic: MeaningScorer | None = None) -> TriggerIndex:
        index = cls(semantic=semantic)
        for order, name in enumerate(attached):
            trigger = actions[name].trigger
            if trigger is None:
                continue
            # with matching by meaning, a description or examples alone make a trigger fire on what callers say
            lexical = bool(trigger.phrases or trigger.keywords or trigger.regex
                           or (semantic is not None and (trigger.description or trigger.examples)))
            item = _Compiled(
                action=name, order=order,
                on=trigger.on or ("turn" if lexical else None),
                keywords=tuple(normalize(k) for k in trigger.keywords),
                regex=tuple(compile_pattern(p, ignore_case=True) for p in trigger.regex),
                condition=compile_condition(trigger.if_) if trigger.if_ else None,
                after=trigger.after, lexical=lexical, has_phrases=bool(trigger.phrases),
            )
            if item.on is None and item.condition is not None and item.after is None:
                item.on = "turn"
            index.compiled.append(item)
            for phrase in trigger.phrases:
                words = normalize(phrase).split()
                if not words:
                    continue
                index.by_first_word.setdefault(words[0], []).append(len(index.phrases))
                for word in words:
                    index.by_word.setdefault(word, set()).add(len(index.phrases))
                index.phrases.append(normalize(phrase))
                index.phrase_owner.append(item)
                index.phrase_words.append((tuple(w for w in words if w in POLARITY_WORDS),
                                           tuple(w for w in words if w not in MINOR_WORDS | POLARITY_WORDS)))
                if "not" in (spelled := _uncontracted(words)):
                    index.negative.append((len(index.phrases) - 1, spelled))
        index.vocabulary = sorted(index.by_word)
        index._owners = {item.action: item for item in index.compiled}
        index.on_turn = [item for item in index.compiled if item.on == "turn" and not item.lexical and item.after is None]
        index.by_words = [item for item in index.compiled if item.keywords or item.regex]
        for item in index.compiled:
            if item.after is not None:
                index.after_action.setdefault(item.after, []).append(item)
        return index

    def _phrase_scores(self, norm: str) -> tuple[list[tuple[int, float]], list[int]]:
        """The phrases a turn says, with their scores, and the phrases all of whose words of substance it says
        (as written or misspelled) but not together: those may be said with other words inside them."""
        padded = f" {norm} "
        words = set(norm.split())
        exact = sorted((i, 100.0) for word in words for i in self.by_first_word.get(word, ())
                       if f" {self.phrases[i]} " in padded)
        if exact:
            # beside a phrase said as written, another action's phrase may be said misspelled or without its
            # small words in the rest of the turn ("is my order ready, and also cancel order 422"): a second
            # request, which must have all its words there
            for i, _ in exact:
                padded = padded.replace(f" {self.phrases[i]} ", " | ")
            norm = padded.strip()
            words = set(norm.split())
        candidates: set[int] = set()
        heard: set[str] = set()
        for word in words:
            heard.update(self._near(word))
        for known in heard:
            candidates.update(self.by_word[known])
        matched = {self.phrase_owner[i].action for i, _ in exact}
        candidates = {i for i in candidates if self.phrase_owner[i].action not in matched
                      and self._said_enough(i, words, heard, every=bool(exact))}
        if not candidates:
            return exact, []
        # a phrase is looked for inside the turn; a turn shorter than a phrase is only part of it at best
        # ("a cleaning" is no "book a cleaning"), so the two are compared whole
        found: list[tuple[int, float]] = []
        for scorer, group in ((fuzz.partial_ratio, [i for i in sorted(candidates) if len(self.phrases[i]) <= len(norm)]),
                              (fuzz.ratio, [i for i in sorted(candidates) if len(self.phrases[i]) > len(norm)])):
            scored = process.extract(norm, [self.phrases[i] for i in group], scorer=scorer,
                                     score_cutoff=PHRASE_CUTOFF, limit=None) if group else []
            found += [(group[j], score) for _, score, j in scored]
        kept = {i for i, _ in found}
        found += [(i, WORDS_IN_ORDER) for i in candidates if i not in kept and self._in_order(i, norm)]
        kept = {i for i, _ in found}
        apart = [i for i in sorted(candidates) if i not in kept and self._said_enough(i, words, heard, every=True)]
        return exact + sorted(found, key=lambda pair: (-pair[1], pair[0])), apart

    def _in_order(self, phrase: int, norm: str) -> bool:
        """Whether a turn says a phrase's words one after another, but for its small words ("cancel order 422"
        for "cancel my order"), each as written or misspelled; a phrase of two such words at least."""
        _, others = self.phrase_words[phrase]
        if len(others) < 2:
            return False
        said = [word for word in norm.split() if word not in MINOR_WORDS]
        return any(all(others[j] == said[k + j] or others[j] in self._near(said[k + j]) for j in range(len(others)))
                   for k in range(len(said) - len(others) + 1))

    def _spread(self, phrase: int, turn: _Turn, taken: Sequence[tuple[int, int]]) -> tuple[int, ...] | None:
        """Which words of the turn (indexes into `turn.tokens()`) are a phrase's words of substance said in order
        with a few other words inside it ("pick up Mia Chen early" for "pick up early"); None when none are.

        Bounded so that words scattered over a sentence do not add up to a request: a phrase of two such words
        at least and no "no"/"not" in it; between its first and last word at most `MAX_INSERTED` other words of
        substance and `MAX_SPREAD` words in all beyond the phrase's own small words, no pause (a comma, a full
        stop), no word that starts another statement ("and", "but", "because") and no negation; none of its
        words inside another match (`taken`)."""
        polarity, others = self.phrase_words[phrase]
        if polarity:
            return None
        if len(others) < 2:
            return self._around_a_moment(phrase, turn, taken) if len(self.phrases[phrase].split()) > 1 else None
        tokens = turn.tokens()
        room = MAX_SPREAD + len(self.phrases[phrase].split()) - len(others)

        def says(at: int, word: str) -> bool:
            return _same_word(tokens[at][0], word)

        for first in range(len(tokens) - len(others) + 1):
            if not says(first, others[0]) or _inside(tokens[first], taken):
                continue
            at, found, inserted, between = first, [first], 0, 0
            for word in others[1:]:
                nxt = at + 1
                while nxt < len(tokens) and between <= room and not says(nxt, word):  # bounded: linear in the turn
                    said = tokens[nxt][0]
                    if said in _GAP_BREAKS or said in POLARITY_WORDS or said.endswith("n't"):
                        nxt = len(tokens)
                        break
                    inserted += said not in MINOR_WORDS and said not in _FILLER and said not in RELATIONS
                    between += 1
                    nxt += 1
                if (nxt >= len(tokens) or inserted > MAX_INSERTED or between > room or _inside(tokens[nxt], taken)
                        or any(_GAP_PAUSE.search(turn.text, tokens[k][2], tokens[k + 1][1]) for k in range(at, nxt))):
                    break
                found.append(nxt)
                at = nxt
            else:
                return tuple(found)
        return None

    def _around_a_moment(self, phrase: int, turn: _Turn, taken: Sequence[tuple[int, int]]) -> tuple[int, ...] | None:
        """Which words of the turn are a phrase of one word of substance and small ones ("is available") said
        around a day or a time ("is june the twentieth available", "is saturday at ten open"): its words as
        written, in order, with at most `MAX_SPREAD` words inside it in one place, which name a day or a time and
        hold no pause or negation. Any other words inside such a phrase make another sentence ("is the parking
        lot available" asks about no date)."""
        words = self.phrases[phrase].split()
        tokens = turn.tokens()
        for first in range(len(tokens) - len(words)):
            for cut in range(1, len(words)):
                if not _same_word(tokens[first + cut - 1][0], words[cut - 1]) or _inside(tokens[first + cut - 1], taken):
                    break
                for gap in range(1, MAX_SPREAD + 1):
                    rest = first + cut + gap
                    if rest + len(words) - cut > len(tokens):
                        break
                    if not all(_same_word(tokens[rest + j][0], words[cut + j]) for j in range(len(words) - cut)):
                        continue
                    inside = turn.text[tokens[first + cut][1]:tokens[rest - 1][2]]
                    if (_GAP_PAUSE.search(turn.text, tokens[first + cut - 1][2], tokens[rest][1]) is None
                            and not any(t[0] in POLARITY_WORDS or t[0].endswith("n't") for t in tokens[first + cut:rest])
                            and not any(_inside(t, taken) for t in tokens[rest:rest + len(words) - cut])
                            and (mentions_a_day(inside) or clock_times(inside))):
                        return tuple(range(first, first + cut)) + tuple(range(rest, rest + len(words) - cut))
        return None

    def _said_enough(self, phrase: int, words: set[str], heard: set[str], every: bool = False) -> bool:
        """Whether a turn says enough of a phrase's words for a fuzzy match: its polarity words as said ("no",
        "not"), and at least half of its other words as said or misspelled (speech-to-text mishears a word or
        two: "where are you open"), so that no single word of a longer phrase is taken for it; with `every`,
        all of them."""
        polarity, others = self.phrase_words[phrase]
        said = sum(word in heard for word in others)
        return all(word in words for word in polarity) and (said == len(others) if every else 2 * said >= len(others))

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
        """Lexical matches for a caller turn that fire, best first (ties keep the agent's order of actions)."""
        return self.hear(text, context).matches

    def hear(self, text: str, context: Mapping[str, Any]) -> TurnMatches:
        """Matches for a caller turn: those that fire, best first (ties keep the agent's order of actions),
        those a negation suppressed, and, with a meaning scorer, matches by meaning and the lexical ones
        meaning overruled."""
        heard = _Turn(text)
        norm = heard.norm
        found: dict[str, tuple[TriggerMatch, int]] = {}
        negated: dict[str, TriggerMatch] = {}
        if self.phrases:
            scored, apart = self._phrase_scores(norm)
            for i, score in scored:
                phrase = self.phrases[i]
                if len(phrase) <= SHORT and not _has_words(norm, phrase):
                    continue
                owner = self.phrase_owner[i]
                best = found.get(owner.action)
                if best is not None and score <= best[0].score:
                    continue
                match = heard.phrase(owner.action, phrase, score)
                if match.negated is None:
                    found[owner.action] = (match, owner.order)
                elif owner.action not in negated or score > negated[owner.action].score:
                    negated[owner.action] = match
            for i in apart:
                owner = self.phrase_owner[i]
                if owner.action in found or owner.action in negated:
                    continue
                parts = self._spread(i, heard, [span for m, _ in found.values() for span in m.spans()])
                if parts is not None:
                    match = heard.spread(owner.action, self.phrases[i], parts)
                    if match.negated is None:
                        found[owner.action] = (match, owner.order)
                    else:
                        negated[owner.action] = match
        for action, (match, _) in list(found.items()):
            if match.by == "phrase" and (told := heard.told_of_the_past(match) or heard.asks_whether_needed(match)):
                del found[action]  # "you catered my sister's wedding" tells a story, it asks for no "cater a wedding"
                negated[action] = replace(match, negated=told)
        for i, words in self.negative:
            owner = self.phrase_owner[i]
            if owner.action not in found and owner.action not in negated \
                    and (match := heard.contracted(owner.action, self.phrases[i], words)) is not None:
                if match.negated is None:
                    found[owner.action] = (match, owner.order)
                else:
                    negated[owner.action] = match
        for item in self.by_words:
            if item.action in found:
                continue
            match = None
            if item.keywords:
                match = heard.keywords(item.action, item.keywords)
            if (match is None or match.negated) and item.regex:
                match = heard.regex(item.action, item.regex) or match
            if match is None:
                continue
            if match.negated is None:
                found[item.action] = (match, item.order)
            else:
                negated.setdefault(item.action, match)
        owners = self._owners

        def eligible(action: str) -> bool:
            owner = owners.get(action)
            return owner is not None and owner.lexical and (owner.condition is None or owner.condition(context))

        matches = [(m, order) for m, order in found.values() if eligible(m.action)]
        matches.sort(key=lambda pair: (-pair[0].score, pair[1]))
        suppressed = [m for action, m in negated.items() if action not in found and eligible(action)]
        heard = TurnMatches([m for m, _ in matches], suppressed)
        return heard if self.semantic is None else self.semantic.refine(text, heard, eligible)

    def phrases_in(self, text: str) -> list[tuple[int, int]]:
        """Where any trigger phrase of the agent is said as written in `text` (whole words, any case): a request's
        words, wherever a match fired ("I need a tow truck" says "tow truck" beside "need a tow")."""
        lowered = text.lower()
        return [(m.start(), m.end()) for phrase in self.phrases if phrase in lowered
                for m in re.finditer(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", lowered)]

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
        return [TriggerMatch(item.action, "after", finished) for item in self.after_action.get(finished, ())
                if item.condition is None or item.condition(context)]


@dataclass(slots=True)
class TurnMatches:
    """What a caller turn matched: the matches that fire, best first, those a negation suppressed, and those
    meaning overruled."""

    matches: list[TriggerMatch]
    suppressed: list[TriggerMatch]
    overruled: list[TriggerMatch] = field(default_factory=list)
    unmatched: TriggerMatch | None = None
    """When no words matched and meaning fired nothing: the nearest action by meaning, and why it did not fire."""


class _Turn:
    """One caller turn as matchers see it: its normalized words, and where each is in the text as said."""

    __slots__ = ("text", "lowered", "norm", "_starts", "_tokens", "_spelled")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = text.lower()
        self.norm = " ".join(_TOKEN.findall(self.lowered))  # as `normalize` writes it
        self._starts: list[int] | None = None
        self._tokens: list[tuple[str, int, int]] | None = None
        self._spelled: list[tuple[str, int, int]] | None = None
        """The words with each "n't" written as "not" (see `contracted`); empty when the turn says no "not"."""

    def tokens(self) -> list[tuple[str, int, int]]:
        """The words of the turn, lowercased, each with where it starts and ends in the text as said."""
        if self._tokens is None:
            self._tokens = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(self.text)]
        return self._tokens

    def said_at(self, position: int) -> int:
        """The offset in the text as said of a character offset in the normalized text."""
        if self._starts is None:
            self._starts = [m.start() for m in _TOKEN.finditer(self.text)]
        word = self.norm.count(" ", 0, position)
        if word >= len(self._starts):  # lowercasing changed the words (rare scripts): keep the order at least
            return min(position, len(self.text))
        return self._starts[word] + position - (self.norm.rfind(" ", 0, position) + 1)

    def _said_as_is(self, phrase: str) -> list[tuple[int, int]] | None:
        """Where a phrase is in the text as said, when it was said just as written (the common case, and
        cheaper than mapping the normalized text back); else None."""
        lowered = self.lowered
        if len(lowered) != len(self.text) or lowered.count(phrase) != self.norm.count(phrase):
            return None
        spans, at = [], lowered.find(phrase)
        while at >= 0:
            spans.append((at, at + len(phrase)))
            at = lowered.find(phrase, at + 1)
        return spans

    def _match(self, action: str, by: str, detail: str, score: float, spans: list[tuple[int, int]]) -> TriggerMatch:
        """The match at its first span that no negation covers, else at its first span, suppressed."""
        cues = []
        for start, end in spans:
            cue = negation_before(self.text, start)
            if cue is None:
                return TriggerMatch(action, by, detail, score, start, end)
            cues.append(cue)
        return TriggerMatch(action, by, detail, score, spans[0][0], spans[0][1], cues[0])

    def phrase(self, action: str, phrase: str, score: float) -> TriggerMatch:
        norm = self.norm
        spans = []
        if score >= 100.0:
            spans = self._said_as_is(phrase) or []
            at = -1 if spans else norm.find(phrase)
            while at >= 0:
                spans.append((self.said_at(at), self.said_at(at + len(phrase) - 1) + 1))
                at = norm.find(phrase, at + 1)
        if not spans:
            # the fuzzy matcher may align a phrase from inside a word ("r a cleaning"): the match is the whole words
            where = fuzz.partial_ratio_alignment(phrase, norm)
            start, end = _whole_words(norm, where.dest_start, where.dest_end)
            spans = [(self.said_at(start), self.said_at(max(start, end - 1)) + 1)]
        return self._match(action, "phrase", phrase, score, spans)

    def spread(self, action: str, phrase: str, words: tuple[int, ...]) -> TriggerMatch:
        """A phrase said with other words inside it (`words`: its own, as indexes into `tokens()`), at the span
        from its first word to its last. Its parts are its words and the small words inside it ("locked myself
        out", "send some flowers"); the words of substance inside are not the phrase's ("pick up Mia Chen early")."""
        tokens = self.tokens()
        first, last = words[0], words[-1]
        own = set(phrase.split())
        inside = [k for k in range(first, last + 1) if k not in words and tokens[k][0] not in own]
        cut = [k for k in range(first, last + 1) if k in words or tokens[k][0] in _GLUE]
        parts: list[tuple[int, int]] = []
        for k in cut:
            if parts and k - 1 in cut:
                parts[-1] = (parts[-1][0], tokens[k][2])
            else:
                parts.append((tokens[k][1], tokens[k][2]))
        start, end = tokens[first][1], tokens[last][2]
        said = " ".join(self.text[tokens[k][1]:tokens[k][2]] for k in inside)
        return TriggerMatch(action, "phrase", phrase, GAPPED, start, end, negation_before(self.text, start),
                            tuple(parts), why=f"said with {said!r} inside it")

    def told_of_the_past(self, match: TriggerMatch) -> str | None:
        """The word that says a phrase's verb in the past tense ("catered" for "cater a wedding", "booked" for "book
        a lesson"), which tells what happened, not what the caller wants; None when the match says it as written,
        or as a passive or a wish ("can I be transferred", "I'd like it booked"). Only regular verbs: an irregular
        past ("got", "sent") is no misspelling of the phrase's word to begin with."""
        if "ed" not in self.lowered[match.start:match.end]:
            return None  # the common case: no word of the match could be a past tense
        own = set(match.detail.split())
        tokens = [token for token in self.tokens() if match.start < token[2] and token[1] < match.end]
        before = [token[0] for token in self.tokens() if token[2] <= match.start][-1:]
        for k, (said, _, _) in enumerate(tokens):
            if said in own or not said.endswith("ed"):
                continue
            previous = tokens[k - 1][0] if k else (before[0] if before else "")
            if previous not in _PASSIVE and any(_past_of(said, word) for word in own):
                return f"{said} (said of the past)"
        return None

    def asks_whether_needed(self, match: TriggerMatch) -> str | None:
        """The words by which the clause a phrase is said in asks whether the caller must do something ("do I need
        to come in person to reserve a unit?", "is it necessary to book a lesson?"): a question about the action,
        no request for it; None when the clause asks nothing of the kind."""
        before = self.text[:match.start]
        opening = _OBLIGATION.match(before, max(map(before.rfind, ".?!;,:")) + 1)
        return None if opening is None else f"{' '.join(opening.group(1).lower().split())} (asks whether it is needed)"

    def contracted(self, action: str, phrase: str, words: tuple[str, ...]) -> TriggerMatch | None:
        """A phrase that says "not" said with the other spelling of it ("aren't producing" for "not producing",
        "is not working" for "isn't working"; `words`: the phrase as `_uncontracted` writes it), or None."""
        if self._spelled is None:
            says_not = " not " in f" {self.norm} " or "n't" in self.lowered or "n\u2019t" in self.lowered \
                or any(word in _NOT_FUSED for word in self.norm.split())
            self._spelled = [(part, m.start(), m.end()) for m in _APOSTROPHED.finditer(self.text)
                             for part in _uncontracted((m.group().lower(),))] if says_not else []
        spelled = self._spelled
        said = [word for word, _, _ in spelled]
        for at in range(len(said) - len(words) + 1):
            if all(_same_word(said[at + k], word) for k, word in enumerate(words)):
                span = (spelled[at][1], spelled[at + len(words) - 1][2])
                return self._match(action, "phrase", phrase, WORDS_IN_ORDER, [span])
        return None

    def keywords(self, action: str, keywords: tuple[str, ...]) -> TriggerMatch | None:
        """All the keywords said, at the span from the first to the last; negated when any of them is."""
        words = self.norm.split()
        spans = []
        for keyword in keywords:
            at = _keyword_at(keyword, self.norm, words)
            if at is None:
                return None
            spans.append((self.said_at(at[0]), self.said_at(at[1] - 1) + 1))
        cues = [cue for start, _ in spans if (cue := negation_before(self.text, start)) is not None]
        return TriggerMatch(action, "keywords", ", ".join(keywords), 100.0, min(s for s, _ in spans),
                            max(e for _, e in spans), cues[0] if cues else None)

    def regex(self, action: str, patterns: tuple[Any, ...]) -> TriggerMatch | None:
        for pattern in patterns:
            spans = [m.span() for m in pattern.finditer(self.text)]
            if spans:
                return self._match(action, "regex", pattern.pattern, 100.0, spans)
        return None


def _same_word(said: str, word: str) -> bool:
    """Whether a word said is a phrase's word, for a phrase said with others inside it: as written, with an
    ending ("tickets", "librarians", "where's", "booked" for "ticket", "librarian", "where", "book"), or
    misspelled by a letter or two in a longer word. Stricter than a phrase said whole (`_near`): its words
    are spread over more of the sentence, where "can" is not "clean"."""
    if said == word:
        return True
    short, long = sorted((said, word), key=len)
    if len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3:
        return True
    return len(short) >= 5 and fuzz.ratio(said, word) >= 88.0


_OBLIGATION = re.compile(
    r"\s*(?:(?:so|and|but|um|uh|well|ok|okay|oh|also|just|hi|hey|quick question)\s+)*"
    r"((?:do|does|did|will|would)\s+(?:i|we|you|they|he|she|one)\s+(?:really\s+|still\s+|even\s+)?(?:need|have)\s+to"
    r"|is\s+it\s+(?:really\s+)?(?:necessary|required|mandatory|needed)\s+to)\b", re.IGNORECASE)
"""How a clause opens that asks whether something must be done."""
_PASSIVE = frozenset("be been being get gets getting got is are was were am i'm we're you're they're it me him her "
                     "them us".split())
"""Words after which a verb's "-ed" form is a passive or a wish, not a story: "can I be transferred", "get it
booked", "I'd like it cancelled"."""


def _past_of(said: str, word: str) -> bool:
    """Whether `said` is the regular past tense of `word` ("catered", "booked", "stopped", "carried")."""
    if len(word) < 3 or word.endswith("ed"):
        return False
    return said in (word + "ed", word + "d", word + word[-1] + "ed", word[:-1] + "ied" if word.endswith("y") else "")


_NOT_FUSED = {"can't": "can", "cannot": "can", "cant": "can", "won't": "will", "wont": "will", "ain't": "is",
              "aint": "is", "shan't": "shall", **{f"{aux}nt": aux for aux in
                                                 "do does did is are was were could would should have has had".split()}}
"""A "not" fused with the word before it that is not that word and "n't" ("can't", "won't"), or is written without
its apostrophe ("dont", "isnt"), as transcripts write it."""


def _uncontracted(words: Sequence[str]) -> tuple[str, ...]:
    """Words with each "n't" written as "not": ("aren't", "producing") -> ("are", "not", "producing")."""
    out: list[str] = []
    for word in words:
        word = word.replace("\u2019", "'")
        if word in _NOT_FUSED:
            out += [_NOT_FUSED[word], "not"]
        elif word.endswith("n't"):
            out += [word[:-3], "not"]
        else:
            out.append(word)
    return tuple(out)


def _inside(token: tuple[str, int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < token[2] and token[1] < end for start, end in spans)


def _whole_words(norm: str, start: int, end: int) -> tuple[int, int]:
    """A span of the normalized turn widened to the words it cuts into."""
    start = norm.rfind(" ", 0, start) + 1
    end = norm.find(" ", max(start, end - 1))
    return start, len(norm) if end < 0 else end


def _has_words(norm: str, phrase: str) -> bool:
    return f" {phrase} " in f" {norm} "


def _keyword_at(keyword: str, norm: str, words: list[str]) -> tuple[int, int] | None:
    """Where a keyword is in the normalized turn (start, end), or None when it was not said."""
    if " " in keyword or len(keyword) <= SHORT:
        at = f" {norm} ".find(f" {keyword} ")
        return None if at < 0 else (at, at + len(keyword))
    found = process.extractOne(keyword, words, scorer=fuzz.ratio, score_cutoff=KEYWORD_CUTOFF)
    if found is None:
        return None
    index = found[2]
    at = sum(len(word) + 1 for word in words[:index])
    return at, at + len(words[index])
