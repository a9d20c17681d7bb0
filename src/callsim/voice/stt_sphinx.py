"""pocketsphinx: the small, fast fallback engine. Its bundled US English model listens only for a
weighted grammar built from the agent (trigger phrases, the words its variables are read from,
everyday caller words), which is what makes an engine this small usable.

It cannot hear what is not in the grammar: a name or an email address asked for is answered with a
note to type it instead.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from callsim.voice.audio import VoiceUnavailable
from callsim.voice.stt import Hints, Transcript

NUMBER_WORDS = ("zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
                "ninety hundred thousand double triple").split()
YES_NO_WORDS = ("yes no yeah yep nope correct right sure okay please absolutely definitely certainly not "
                "go ahead sounds good of course that's").split()
TYPE_WORDS: dict[str, list[str]] = {
    "digits": NUMBER_WORDS + "my number is it's".split(),
    "number": NUMBER_WORDS + ["point", "million"],
    "phone": NUMBER_WORDS + "plus my number is".split(),
    "yes_no": YES_NO_WORDS,
    "date": ("january february march april may june july august september october november december "
             "monday tuesday wednesday thursday friday saturday sunday today tomorrow next this week in "
             "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
             "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth "
             "days weeks the of on after before").split() + NUMBER_WORDS,
    "time": ("morning afternoon evening noon midnight o'clock a m p m half past quarter to at in after before "
             "minutes hours").split() + NUMBER_WORDS,
}
TYPE_WORDS["datetime"] = TYPE_WORDS["date"] + TYPE_WORDS["time"]
TYPE_WORDS["when"] = TYPE_WORDS["datetime"] + "anything soon as possible".split()
CALLER_WORDS = ("hi hello hey thanks thank you please um uh i i'm it's it is my me the a an to "
                "can could you what where when how about and for that this want need like would name number").split()
UNHEARD_TYPES = {"name": "a name", "email": "an email address"}
"""Answers the grammar cannot hold: the simulator asks the caller to type them."""

PHRASE, WORD, FILLER, EXPECTED = 2, 2, 1, 8
"""Grammar weights: the answer the agent asked for outweighs everything else, and everyday filler
words weigh least, so "want" does not swallow "one"."""


@dataclass
class Grammar:
    """What the offline English engine can hear: whole phrases, the agent's words, and filler words."""

    phrases: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    fillers: list[str] = field(default_factory=list)
    by_type: dict[str, list[str]] = field(default_factory=dict)
    """The words each of the agent's variable types is read from."""

    def tokens(self) -> set[str]:
        return ({w for p in self.phrases for w in p.split()} | set(self.words) | set(self.fillers)
                | {w for words in self.by_type.values() for w in words})


class SphinxEngine:
    """pocketsphinx with its bundled US English model and the agent's grammar."""

    name = "pocketsphinx"
    partial_every = 0.25

    def __init__(self, grammar: Grammar) -> None:
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise VoiceUnavailable("pocketsphinx is not installed (pip install pocketsphinx)") from None
        # no n-gram model (the grammar is the search); no lattice best-path pass, which over a word
        # loop costs seconds per utterance for no gain in accuracy
        self._decoder = Decoder(loglevel="FATAL", lm=None, bestpath=False)
        self._cmn = self._decoder.get_cmn()  # the starting point every utterance is normalised from
        self._lock = threading.Lock()
        known = {w for w in grammar.tokens() if self._decoder.lookup_word(w) is not None}
        self.unknown = sorted(grammar.tokens() - known)
        self._grammar = Grammar(
            phrases=[p for p in grammar.phrases if all(w in known for w in p.split())],
            words=sorted(w for w in set(grammar.words) if w in known),
            fillers=sorted(w for w in set(grammar.fillers) if w in known),
            by_type={kind: sorted(w for w in set(words) if w in known) for kind, words in grammar.by_type.items()})
        if not self._grammar.tokens():
            raise VoiceUnavailable("the agent gives pocketsphinx no words to listen for")
        self._searches: set[str] = set()
        self.vocabulary = len(known)
        self.description = (f"pocketsphinx en-us, grammar of {len(self._grammar.phrases)} phrases and "
                            f"{len(known)} words (names and email addresses: type them)")

    def recognizer(self, hints: Hints | None = None) -> SphinxRecognizer:
        expecting = hints.expecting if hints is not None else None
        if expecting in UNHEARD_TYPES:
            return SphinxRecognizer(self, None, f"pocketsphinx cannot hear {UNHEARD_TYPES[expecting]}: type it "
                                                "instead, or use the whisper engine")
        return SphinxRecognizer(self, self._search(expecting if expecting in self._grammar.by_type else None))

    def _search(self, expecting: str | None) -> str:
        """The name of the grammar search for this expected answer, added on first use."""
        name = f"callsim_{expecting or 'any'}"
        if name not in self._searches:
            self._decoder.add_jsgf_string(name, jsgf(self._grammar, expecting))
            self._searches.add(name)
        return name

    def decode(self, search: str, pcm: bytes) -> str:
        """The best path through `search` for a whole utterance, from the same starting state every time."""
        with self._lock:
            decoder = self._decoder
            decoder.activate_search(search)
            decoder.set_cmn(self._cmn)  # the live normalisation would otherwise carry over from the last call
            decoder.start_utt()
            decoder.process_raw(pcm, False, True)
            decoder.end_utt()
            hyp = decoder.hyp()
            return hyp.hypstr if hyp is not None else ""


class SphinxRecognizer:
    """Buffers the utterance; every decode starts from the engine's initial state, so an utterance is
    heard the same alone, after others, or in another process."""

    def __init__(self, engine: SphinxEngine, search: str | None, note: str | None = None) -> None:
        self._engine, self._search, self._note = engine, search, note
        self._pcm = bytearray()

    def accept(self, pcm: bytes) -> None:
        self._pcm += pcm

    def partial(self) -> str:
        return self._engine.decode(self._search, bytes(self._pcm)) if self._search else ""

    def finish(self) -> Transcript:
        if self._search is None:
            return Transcript("", note=self._note)
        return Transcript(self._engine.decode(self._search, bytes(self._pcm)))


def jsgf(grammar: Grammar, expecting: str | None = None) -> str:
    """A weighted JSGF grammar: an utterance is one or more phrases or words; the words of the answer
    being asked for weigh most."""
    weights: dict[str, int] = {}
    for items, weight in ((grammar.fillers, FILLER), (grammar.words, WORD), (grammar.phrases, PHRASE)):
        for item in items:
            weights[item] = max(weights.get(item, 0), weight)
    for kind, words in grammar.by_type.items():
        for word in words:
            weights[word] = max(weights.get(word, 0), EXPECTED if kind == expecting else WORD)
    items = " | ".join(f"/{weight}/ {item}" for item, weight in sorted(weights.items()))
    return f"#JSGF V1.0;\ngrammar callsim;\npublic <utterance> = <item>+;\n<item> = {items};\n"


# -- the grammar an agent implies ------------------------------------------------------------------

def agent_grammar(project: Any) -> Grammar:
    """The phrases and words a caller of this agent is expected to use: its triggers' phrases and
    keywords, the words its variables' types are read from (numbers, months, yes/no, enum values)
    and everyday caller words."""
    phrases: list[str] = []
    words: list[str] = []
    by_type: dict[str, list[str]] = {}
    for name in project.agent.actions:
        trigger = project.actions[name].trigger
        if trigger is None:
            continue
        phrases += [normal for p in trigger.phrases if (normal := _normalise(p))]
        words += [w for k in trigger.keywords for w in _normalise(k).split()]
    for spec in project.agent.variables.values():
        if spec.from_ != "caller":
            continue
        if spec.type in TYPE_WORDS:
            by_type.setdefault(spec.type, []).extend(TYPE_WORDS[spec.type])
        if spec.values:
            by_type.setdefault(spec.type, []).extend(w for v in spec.values for w in _normalise(v).split())
    words += [w for p in phrases for w in p.split()]
    return Grammar(phrases=sorted(set(phrases)), words=sorted(set(words)), fillers=sorted(set(CALLER_WORDS)),
                   by_type={kind: sorted(set(found)) for kind, found in sorted(by_type.items())})


def _normalise(text: str) -> str:
    """Lower-case words without punctuation or digits (a grammar holds spoken words only)."""
    kept = [w.strip("'") for w in re.sub(r"[^a-z' ]+", " ", text.lower()).split()]
    return " ".join(w for w in kept if w)
