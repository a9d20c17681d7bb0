"""What a caller says to the conversation itself rather than to an action: goodbye, "can you repeat that?".

A goodbye is a closing formula ("bye", "that's all", "have a nice day") in a turn that asks for
nothing else: once the formulas are taken out, no content word is left ("ok that's all, thanks,
bye" is a goodbye; "that's all for my order, where is it" is not). A turn may also end with one
after saying something that asks for nothing ("never mind, I'll keep it. bye", "I'll be right over,
thanks, have a good night"): `goodbye_at` says where it starts. A repeat request is an
explicit one ("repeat", "say that again", "I didn't catch that", "pardon"), or a bare "what?" /
"sorry?" / "huh?" with nothing else said. A turn that only checks the line or asks the agent to hold
("hello? can you hear me?", "hang on, one second") answers nothing either, nor does a question back about the
question ("what do you mean?", "why do you need that?"): asked a question, the agent asks it again rather than
taking that as the answer to a free-text question.
"""

from __future__ import annotations

import re

from callsim.readers.base import FILLER
from callsim.readers.utterance import adds_nothing, clause_starts, content_words, knows_not, stem

__all__ = ["asks_back", "asks_to_repeat", "checks_the_line", "declines", "goodbye_at", "is_goodbye", "knows_not",
           "stem", "withdraws", "without_holding"]
# `knows_not` and `stem` live with the readers, so an extractor (a layer below) reads "I don't know" by the same rule

_CLOSING = re.compile(
    r"\b(?:good ?bye|bye(?: bye)?|bye now|that(?:'s| is| will be|'ll be) (?:all|it|everything)(?: for (?:now|today))?"
    r"|nothing else|no more questions|(?:i'm|i am|we're|we are) (?:all )?(?:set|done|good)"
    r"|have a (?:good|nice|great|lovely) (?:day|one|evening|night|weekend|afternoon)|take care"
    r"|talk (?:to you )?(?:later|soon)|see you(?: later| soon)?|cheers)\b",
    re.IGNORECASE)
_REPEAT = re.compile(
    r"\b(?:repeat|(?:say|tell me|give me|list|go over|read back)(?: (?:that|it|this|those|these|them|the|your|all)"
    r"(?: [\w']+)?)? again|(?:what|which) (?:was|were)(?: (?!and\b|but\b)[\w']+){1,3} again|come again|pardon"
    r"|one more time"
    r"|(?:didn't|did not|couldn't|could not|can't|cannot) (?:quite )?(?:catch|hear|understand|get) (?:that|you|it|what)"
    r"|(?:what|how much|how many|how long|which|when|where|who)(?: \w+){0,2} did you (?:just )?say|what was that"
    r"|once more)\b",
    re.IGNORECASE)
_NOTHING_ASKED = re.compile(
    r"\b(?:never ?mind|forget (?:it|about it)|no worries|don't worry|no problem|all ?right|alright|great|perfect"
    r"|cool|awesome|lovely|wonderful|excellent|fine|good|nice|brilliant|appreciate it|a lot|so much)\b", re.IGNORECASE)
"""Words that ask for nothing: "never mind, bye" and "alright, perfect, thanks a lot, bye" are still goodbyes."""
_WITHDRAWN = re.compile(r"\b(?:never ?mind|forget (?:it|about it))\b", re.IGNORECASE)
_HUH = re.compile(r"\b(?:what|huh|sorry|eh|excuse me)\b", re.IGNORECASE)
_ON_THE_LINE = re.compile(
    r"\b(?:can you (?:still )?hear me|(?:are )?you (?:still )?there|(?:is )?any(?:one|body) there|hello(?=\s*\?)"
    r"|hold on|hang on|(?:wait |just |give me )?(?:a|one) (?:sec|second|moment|minute)|bear with me"
    r"|let me (?:think|check|see|look)|wait)\b", re.IGNORECASE)
"""Checking the line and asking the agent to hold: a turn of these alone answers no question."""


def is_goodbye(text: str) -> bool:
    """Whether the caller is saying goodbye and asking for nothing else."""
    return goodbye_at(text) == 0


def goodbye_at(text: str) -> int | None:
    """Where the goodbye a turn ends with starts: the clauses at its end that say nothing but a closing
    and thanks, with a closing among them ("never mind, I'll keep it, thanks, bye" -> at "thanks"); None
    when it does not end with one. What comes before it may still ask for something: see the policy."""
    if _CLOSING.search(text) is None:
        return None
    starts = clause_starts(text)
    at, closing = None, False
    for start, end in reversed(list(zip(starts, starts[1:] + [len(text)]))):
        clause = text[start:end]
        if content_words(_NOTHING_ASKED.sub(" ", _CLOSING.sub(" ", clause))):
            break
        at, closing = start, closing or _CLOSING.search(clause) is not None
    if not closing or at is None:
        return None
    return at + len(text[at:]) - len(text[at:].lstrip())


def asks_to_repeat(text: str) -> bool:
    """Whether the caller asks the agent to say its last line again."""
    if _REPEAT.search(text) is not None:
        return True
    return _HUH.search(text) is not None and not content_words(_HUH.sub(" ", text))


def checks_the_line(text: str) -> bool:
    """Whether the caller only checks the line or asks the agent to hold ("hello? are you still there?",
    "hang on a sec"): said while the agent waits for an answer, the question is asked again."""
    return _ON_THE_LINE.search(text) is not None and not content_words(_HUH.sub(" ", _ON_THE_LINE.sub(" ", text)))


_ASKS_BACK = re.compile(
    r"^\W*(?:(?:sorry|excuse me|wait|hang on|um+|uh+|er+|so|but|and|ok(?:ay)?|hm+)\W+)*"
    r"(?:what|why|how|which|who|whose|where|when|do|does|did|is|are|was|can|could|would|should|will|must|may"
    r"|like what|meaning)\b", re.IGNORECASE)
_ABOUT_ASKING = re.compile(
    r"\b(?:what|why|how|which|who|whose|where|when|come|mean|means|meaning|need|know|ask|asking|asked|say|said"
    r"|talking|kind|sort|type|exactly|example|instance|for|matter|important|necessary|required|want|wanna"
    r"|tell|give|does|did|mine|own|explain|understand|supposed|recommend|suggest|options|choices|choose|available"
    r"|popular|best|usual|usually|offer|difference|different)\b", re.IGNORECASE)
"""Words that ask about the question or for its options ("what do you recommend?"), not answer it."""


def asks_back(text: str, question: str) -> bool:
    """Whether the caller answers the agent's question with a question about it ("what do you mean?", "why do
    you need that?", "what kind of description?", "is that the number on the card?"): a turn that opens as a
    question and says nothing the question did not (no new content word), so it cannot be the answer."""
    if _ASKS_BACK.search(text) is None:
        return False
    # "what's": the "'s" of "what" is no word of its own
    return adds_nothing(_ABOUT_ASKING.sub(" ", _HUH.sub(" ", text)), question, lambda word: word.startswith("'"))


_REFUSED = re.compile(
    r"\b(?:(?:(?:i'?d|i would) rather not|(?:i'?d )?prefer not(?: to)?)(?: (?:say|tell|give|share|answer|disclose))?"
    r"|(?:don't|do not|won't|will not|wouldn't|would not)(?: really)?"
    r" (?:want to |wanna |like to |feel comfortable )?(?:say|tell|give|share|answer|disclose|provide)"
    r"|(?:can't|cannot|can not)(?: really)? (?:give|share|disclose|answer|tell you|tell anyone|say that)"
    r"|(?:not|don't|do not)(?: really)?(?: feel)? comfortable(?: (?:saying|giving|sharing|telling|disclosing|providing"
    r"|with that))?"
    r"|(?:rather|prefer to|like to) keep (?:that|it|this)(?: \w+)? (?:private|to myself|confidential)"
    r"|(?:that's|that is|it's|it is) (?:private|personal|confidential)|none of your business|no comment)\b",
    re.IGNORECASE)
# "I can't say" is not knowing, not a refusal (`knows_not`): the question is asked again, the action kept
_ABOUT_IT = frozenset("""out info information details detail personal private phone call line over online email
    internet here stranger strangers anyone anybody computer machine robot bot system yet""".split())
"""What a refusal may add: "I'd rather not give that out over the phone", "I don't want to share personal
information"."""


def declines(text: str, question: str) -> bool:
    """Whether the caller takes the question back or will not answer it ("never mind", "forget it", "I'd rather
    not say", "I don't want to give that out") and says nothing else: no word but those of the question."""
    lowered = text.lower()
    if not any(word in lowered for word in ("mind", "forget", "not", "n't", "none", "comment", "private", "personal",
                                            "confidential")):
        return False  # no withdrawal and no refusal can be said without one of these
    if _WITHDRAWN.search(text) is None and _REFUSED.search(text) is None:
        return False
    return adds_nothing(_NOTHING_ASKED.sub(" ", _REFUSED.sub(" ", _WITHDRAWN.sub(" ", text))), question,
                        _ABOUT_IT.__contains__)


_WORDS = re.compile(r"[\w']+")
_HOLDING_WORDS = frozenset("hold hang sec second moment minute bear let wait hear there hello anyone anybody".split())
"""A word every phrase of `_ON_THE_LINE` says."""


def without_holding(text: str) -> str:
    """An answer with the clauses it opens with that only hold the line blanked ("um, let me think... pepperoni
    and mushrooms" is "pepperoni and mushrooms"; "hang on, it's 4567" is "it's 4567"), offsets unchanged."""
    if _HOLDING_WORDS.isdisjoint(_WORDS.findall(text.lower())):
        return text  # nothing holds the line: one cheap look
    starts = clause_starts(text)
    for start, end in zip(starts, starts[1:] + [len(text)]):
        clause = text[start:end]
        if not checks_the_line(clause) and any(word not in FILLER for word in _WORDS.findall(clause.lower())):
            return " " * start + text[start:] if start and checks_the_line(text[:start]) else text
    return text


def withdraws(text: str) -> bool:
    """Whether the caller takes back what they were asked about ("never mind", "forget it")."""
    return _WITHDRAWN.search(text) is not None
