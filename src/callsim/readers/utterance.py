"""How a caller's turn is built: its clauses, the words that carry content, and what is left of it
once the words that fired a trigger are taken out.

Speech-to-text gives few commas, so a clause also starts at a coordinating word ("and", "also",
"plus", "then", "but"): "where is my order four five six seven and how many points do I have"
is two clauses, so two requests. The content of a clause is what is not a function word
(articles, pronouns, auxiliaries, prepositions, politeness, filler): "hi, I'd like to" has none,
"the driver was rude" has two.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from callsim.readers.name import (PEOPLE, POSSESSIVES, RELATIONS, is_given_name, is_surname, names_after, read_name,
                                  said_as_a_name)
from callsim.readers.number_words import TEENS, TENS, UNITS

if TYPE_CHECKING:
    from callsim.engine.triggers import TriggerMatch

# A name said out of the blue counts only when the caller introduces it or spells it: "anything
# tomorrow morning" is not a name, "this is ana ruiz" and "a-n-a" are.
_NAME_CUE = re.compile(
    r"\b(?:my name is|my name's|name's|name is|this is|it's|it is|i'm|i am|call me(?! back)|speaking"
    r"|under the name)\b"
    r"|\b[a-z](?:-[a-z]){2,}\b|\b(?:[a-z] ){2,}[a-z]\b", re.IGNORECASE)
_BREAK = re.compile(r"[,;.!?:]+(?=\s|$)|\s(?=(?:and|also|plus|then|but)\b)", re.IGNORECASE)
_WORD = re.compile(r"[\w']+")
_TOKEN = re.compile(r"\S+")

FUNCTION_WORDS = frozenset(
    """a an the this that these those some any i me my mine we us our you your he him his she her it its they
    them their i'm i'd i'll i've it's that's there's what's we're you're they're im id ive is am are was were be
    been being do does did done have has had having can could will would shall should may might must to of in
    on at for from with by about as into onto than then so and or but if also plus just only like want wants wanted
    need needs needed please thanks thank hi hello hey oh ok okay well yes yeah yep no not uh um umm er erm ah hmm
    mm sure right get got go going gonna wanna help call calling here there today now really very quite much
    many lot one sorry actually wait mean meant rather oops because since regarding concerning
    file make lodge raise report register submit put place open start""".split())
"""Words that carry no content of their own for a slot: "hi, I'd like to" says nothing yet, nor do the
verbs a request is made with ("I want to file a complaint")."""
_LEADING = frozenset(
    """about regarding concerning re that because since as with for to at on in from and so but also then plus um uh
    er erm well oh ok okay like yeah yes hi hello hey please sorry""".split())
"""Words that connect a fragment to what came before ("... about the driver", "... at 42 Elm Street", "... from 55
Water Street");
dropped from its start."""
_DETAIL = re.compile(r"\b(?:with|without)\s", re.IGNORECASE)
"""What a single word after these says is a detail of what was asked for: "a pizza with olives"."""


def clause_starts(text: str) -> list[int]:
    """Where each clause of `text` starts (character offsets; the first is 0)."""
    starts = [0]
    for found in _BREAK.finditer(text):  # after the punctuation, or at the coordinating word
        if found.end() <= starts[-1]:
            continue
        if len(starts) > 1 and not text[starts[-1]:found.end()].strip(" ,;.!?:"):
            starts[-1] = found.end()  # ", and ...": one break
        else:
            starts.append(found.end())
    return starts


def clause_at(starts: list[int], offset: int) -> int:
    """The index of the clause holding character `offset`."""
    return bisect_right(starts, offset) - 1


def clause_around(text: str, offset: int) -> str:
    """The clause of `text` holding character `offset`, as said."""
    starts = clause_starts(text) + [len(text)]
    index = clause_at(starts, offset)
    return text[starts[index]:starts[index + 1]]


def content_words(text: str) -> list[str]:
    """The words of `text` that carry content (not function words), lowercased."""
    return [w for w in _WORD.findall(text.lower().replace("\u2019", "'")) if w not in FUNCTION_WORDS]


def stem(word: str) -> str:
    """A word without its plural or possessive ending, so "symptom" in a turn matches "symptoms" in a question."""
    for ending in ("'s", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


NOT_KNOWING = re.compile(
    r"\b(?:(?:do not|don'?t|dont|doesn'?t) (?:(?:really|honestly|actually|even|quite) )?know|dunno|idk"
    r"|no (?:idea|clue)|not (?:a|any) clue|(?:haven'?t|have not|ain'?t) (?:got )?(?:a|any|the (?:faintest|slightest)) "
    r"(?:idea|clue)|not (?:(?:really|totally|quite|entirely|too|so|a hundred percent|one hundred percent) )?"
    r"(?:sure|certain)|unsure|beats me|who knows"
    r"|(?:couldn'?t|could not|can'?t|cannot|can not) (?:really |honestly )?(?:say|tell)(?! you\b| anyone\b| anybody\b)"
    r"|(?:haven'?t|have not|didn'?t|did not) (?:really |even )?"
    r"(?:thought about it|thought of it|decided|figured it out)"
    r"|(?:not|haven'?t|have not) (?:yet )?decided|undecided"
    r"|(?:don'?t|do not|haven'?t|have not) (?:have |got )?(?:it|that|them|one|the \w+)"
    r" (?:on me|with me|here|handy|to hand|in front of me)"
    r"|(?:can'?t|cannot|can not|couldn'?t|could not|don'?t|do not) (?:really )?(?:remember|recall)|i forg[eo]t)\b",
    re.IGNORECASE)
"""Saying one does not know: "I don't know", "no clue", "I can't say" (which is not knowing, not a refusal: "I
can't tell you" refuses), "I haven't decided yet", "I don't have it on me"."""
_HEDGES = frozenset(
    """honestly honest truthfully frankly exactly either yet all anymore totally entirely completely afraid guess
    think know what why how which where when who whether wrong happened happening going thing things stuff problem
    issue offhand maybe man mate tell you""".split())
"""What a caller may say around not knowing that still says nothing ("I'm not sure, honestly", "no idea what's
wrong", "I'm afraid I don't know"); a word beyond these and the question's own is an answer."""


def adds_nothing(said: str, question: str, beside: Callable[[str], bool]) -> bool:
    """Whether `said` holds no content word but the question's own (plural or possessive aside) and those `beside`
    allows: what is left of a turn once its non-answer ("no idea", "never mind", "what do you mean") is cut."""
    asked = {stem(word) for word in content_words(question)}
    return all(stem(word) in asked or beside(word) for word in content_words(said))


def knows_not(text: str, question: str) -> bool:
    """Whether the caller only says they do not know ("I don't know", "not sure", "no idea", "dunno", "I'm not
    sure, honestly"): no answer to any question. A turn that says more ("I don't know why but the heater makes a
    loud noise") is an answer."""
    if NOT_KNOWING.search(text) is None:
        return False
    return adds_nothing(NOT_KNOWING.sub(" ", text), question, _HEDGES.__contains__)


_GOES_ON = frozenset("but so because though although since which yet except".split())
"""Words a clause opens with that go on about what the clause before said ("a piano, but it's an upright")."""


def cued_remark(text: str, cue: int, about: str) -> str | None:
    """What a turn says about a free-text field whose cue it says at character `cue`: the cue's clause with
    the clauses that go on about it ("it's the heater, but the problem is a loud bang": the heater too; "he's
    allergic to chicken, but lamb is fine"), within its sentence. Clauses that only ask back about the field or
    say the caller does not know are no remark ("what's the problem now? no idea, it just clicks" is "it just
    clicks"; "there's a leak, what's the problem now? no idea" is "there's a leak"); when the cue is said only
    in such clauses, the remark is the turn's other clauses of substance. None when nothing is left."""
    starts = clause_starts(text) + [len(text)]
    spans = list(zip(starts, starts[1:]))
    kept = [not _says_nothing_of(text[start:end], about) for start, end in spans]
    at = clause_at(starts, cue)
    if not kept[at]:
        picked = [i for i, keep in enumerate(kept) if keep and content_words(text[spans[i][0]:spans[i][1]])]
        return ", ".join(without_leading(text[spans[i][0]:spans[i][1]]) for i in picked) or None
    first = last = at
    while first > 0 and kept[first - 1] and _goes_on(text, spans[first]) and not _ends_sentence(text, spans[first - 1]):
        first -= 1
    while last + 1 < len(spans) and kept[last + 1] and _goes_on(text, spans[last + 1]) \
            and not _ends_sentence(text, spans[last]):
        last += 1
    return without_leading(text[spans[first][0]:spans[last][1]]) or None


def lead_in(text: str, at: int, floor: int = 0) -> int:
    """Where the small words leading into a request's words at character `at` start ("can I" talk to someone,
    "I'd like to" book): back over function words, to a word of substance or a pause (not before `floor`)."""
    lead = at
    for word in reversed(list(_WORD.finditer(text, floor, at))):
        if word.group(0).lower() not in FUNCTION_WORDS or text[word.end():lead].strip(" "):
            break
        lead = word.start()
    return lead


def between_requests(text: str, at: int, requests: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The part of `text` around character `at` (start, end) that no request said in it takes: from the end of the
    request before `at` to where the next one begins, with the small words leading into it ("... ringing all
    day can I talk to an audiologist" ends before "can I"). `requests` are the spans of a trigger's words."""
    start, end = 0, len(text)
    for first, last in requests:
        if last <= at:
            start = max(start, last)
        elif first > at:
            end = min(end, lead_in(text, first))
    return start, end


_ANOTHER_STATEMENT = frozenset("and also plus oh anyway btw".split())
"""Words a clause opens with that start another statement, not more of the one before ("..., and we have trees")."""


def cued_answer(text: str, cues: list[str]) -> str:
    """An answer to a free-text question whose variable has cues, without the statements after the cued one that
    say none of them: "77 juniper lane, and we have lots of trees out back" is "77 juniper lane", while "12 Oak
    Street, apartment 4" and "12 Oak Street, but the gate is round the back" stay whole."""
    cue = says_any(text, cues)
    if cue is None:
        return text
    starts = clause_starts(text) + [len(text)]
    spans = list(zip(starts, starts[1:]))
    for k in range(clause_at(starts, cue) + 1, len(spans)):
        clause = text[spans[k][0]:spans[k][1]]
        opens = _WORD.search(clause)
        if says_any(clause, cues) is None and (_ends_sentence(text, spans[k - 1])
                                               or opens is not None and opens.group(0).lower() in _ANOTHER_STATEMENT):
            return text[:spans[k][0]]
    return text


def _says_nothing_of(clause: str, about: str) -> bool:
    """A clause that only says the caller does not know, only hedges ("honestly"), or only asks back about what it
    is asked ("what's the problem now?", "the noise?": no word of substance beyond the question's, the cues and
    hedges)."""
    if knows_not(clause, about) or adds_nothing(clause, "", _HEDGES.__contains__):  # "honestly"
        return True
    return clause.rstrip().endswith("?") and adds_nothing(clause, about, _HEDGES.__contains__)


def _goes_on(text: str, span: tuple[int, int]) -> bool:
    word = _WORD.search(text, span[0], span[1])
    return word is not None and word.group(0).lower() in _GOES_ON


def _ends_sentence(text: str, span: tuple[int, int]) -> bool:
    return text[span[0]:span[1]].rstrip().endswith((".", "?", "!"))


def clauses(text: str, cut: tuple[tuple[int, int], ...] = ()) -> list[tuple[int, int]]:
    """The clauses of `text` outside the spans in `cut`, as (start, end) offsets."""
    pieces, at = [], 0
    for start, end in sorted(cut):
        if start > at:
            pieces.append((at, start))
        at = max(at, end)
    pieces.append((at, len(text)))
    found = []
    for first, last in pieces:
        starts = [first + s for s in clause_starts(text[first:last])] + [last]
        found += [(start, end) for start, end in zip(starts, starts[1:]) if text[start:end].strip(" ,;.!?:-")]
    return found


def runs(text: str, spans: list[tuple[int, int]], picked: list[bool]) -> list[str]:
    """The picked clauses, consecutive ones joined as said (over clauses without content in between, but
    never over words left out of `spans`, such as a trigger's), as said: "with ham", "and pineapple" ->
    "with ham and pineapple" (see `without_leading`)."""
    return [text[start:end] for start, end in run_spans(text, spans, picked)]


def run_spans(text: str, spans: list[tuple[int, int]], picked: list[bool]) -> list[tuple[int, int]]:
    """Where each of `runs` lies in `text` (start, end): a run's words may be said again elsewhere in the turn
    ("poor Zuri is sick, so report my daughter Zuri absent"), so its place is kept, never searched for."""
    found: list[tuple[int, int]] = []
    start = end = -1
    for (first, last), pick in zip(spans, picked):
        if pick and start >= 0 and _WORD.search(text, end, first) is not None:
            found.append((start, end))  # something not in the clauses lies between: a new run
            start = -1
        if pick:
            start, end = (first if start < 0 else start), last
        elif content_words(text[first:last]) and start >= 0:
            found.append((start, end))
            start = -1
    if start >= 0:
        found.append((start, end))
    return [(start, end) for start, end in found if content_words(text[start:end])]


def detail_in(run: str) -> str | None:
    """The detail a run says of what was asked for, from its "with" or "without" ("with olives", "one with
    ham" -> "with ham"), which one content word is enough for; None when it says none."""
    found = _DETAIL.search(run)
    if found is None or content_words(run[:found.start()]):
        return None
    return _TRAILING.sub("", run[found.start():].strip(" ,;.!?:-"))


_TRAILING = re.compile(r"(?:\s+(?:at|on|for|by|around|about|in|from|until|till|before|after))+\s*$", re.IGNORECASE)
"""The words that lead in to a value said after a detail ("with cheese at" eight): not the detail's."""


def value_span(text: str, read: Callable[[str], Any], value: Any) -> tuple[int, int]:
    """Where in `text` a value `read` found in it was said: the shortest run of whole words that still
    reads as `value` ("two burritos at six thirty" -> "six thirty" for a time). Found by halving from each
    side, so a long turn costs a few reads; a value said twice is found at its first saying."""
    words = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if not words:
        return 0, len(text)
    low, high = 0, len(words) - 1
    while low < high:  # the first word up to which the text reads as the value
        middle = (low + high) // 2
        if read(text[:words[middle][1]]) == value:
            high = middle
        else:
            low = middle + 1
    last, low = low, 0
    while low < high:  # the last word from which that part still does
        middle = (low + high + 1) // 2
        if read(text[words[middle][0]:words[last][1]]) == value:
            low = middle
        else:
            high = middle - 1
    return words[low][0], words[last][1]


def masked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the characters of `spans` blanked out (as a clause break, so readers do not join what
    is on either side), keeping every other character where it was."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[max(start, 0):max(end, 0)] = ";" * (max(end, 0) - max(start, 0))
    return "".join(chars)


def name_introductions(text: str, before: str = "", pets: bool = True) -> list[int]:
    """Where the caller introduces or spells a name ("this is Ana", "my name is Ana", "a-n-a"), says whom
    something is for or who someone is ("an absence for Noah Kim", "my daughter Sofia", "our cat Luna"), or
    writes a first name and a surname with capitals ("Ben Cole felt sick"), first first. After
    "for" or a relation (a person or a pet), the next word must be written with a capital or be a first name:
    "for delivery", "my son's school" and "my dog barks" introduce nobody. `before` is what was said right
    before `text` (words a trigger took, as "board my dog" in "board my dog Biscuit"): ending in such a
    relation, it introduces a name `text` starts with (offset 0). Without `pets`, only people's names count:
    "my dog Biscuit" introduces no person."""
    for_whom, at_end = (_FOR_WHOM, _FOR_WHOM_AT_END) if pets else (_FOR_WHOM_PERSON, _FOR_WHOM_PERSON_AT_END)
    found = [0] if before and _names_someone(text) and at_end.search(before[-40:]) else []
    found += [cue.start() for cue in _NAME_CUE.finditer(text)]
    found += [cue.start() for cue in for_whom.finditer(text) if _names_someone(text[cue.end():])]
    if pets:  # any kind of pet or relative before a name: "my iguana Spike", "my poodle Coco"
        found += [cue.start() for cue in _POSSESSED.finditer(text)
                  if names_after(cue.group(1), cue.group(2), text[cue.end():])]
    found += [full.start() for full in _FULL_NAME.finditer(text) if is_given_name(full.group(1), text[full.end(1):])]
    return sorted(set(found))


_SELF = r"(?:my name is|my name's|this is|i'm|i am|call me(?! back))"
_SELF_INTRODUCTION = re.compile(rf"{_SELF}\b", re.IGNORECASE)
_SELF_INTRODUCED = re.compile(rf"\b{_SELF}\s+$", re.IGNORECASE)


def introduces_oneself(text: str, at: int) -> bool:
    """Whether the introduction at offset `at` (one `name_introductions` found) is the caller's of themselves ("this
    is Ana Ruiz", "my name is Ana", "I'm Ana", or the name right after such words), not of whom they call about
    ("my son Leo", "for Sam")."""
    return (_SELF_INTRODUCTION.match(text, at) is not None
            or _SELF_INTRODUCED.search(text[max(0, at - 20):at]) is not None)


_OWN_NAME = re.compile(r"\byour (?:full |first |last )?name\b|\bwho (?:am i|is this)\b|\bwho(?:'s| is) calling\b"
                       r"|\bcaller\b", re.IGNORECASE)


def asks_own_name(*about: str) -> bool:
    """Whether a name asked for is the caller's own, by what says what it is (its name, question, description: "May
    I have your name?", "caller name"), not the name of whom they call about ("What is the student's name?")."""
    return _OWN_NAME.search(" ".join(about)) is not None


def introductions_of(text: str, own: bool, pets: bool = True) -> list[int]:
    """`name_introductions` of the caller themselves (`own`: "this is Maria Lopez") or of whom they call about ("my
    son Leo"), when the text has both kinds; else all of them."""
    found = name_introductions(text, pets=pets)
    return [at for at in found if introduces_oneself(text, at) is own] or found


def only_introduces(clause: str) -> bool:
    """Whether a clause only says who is calling ("hi, this is Maria Lopez", "my name is Ana"): no free text, whoever
    the name need of the request is about."""
    cue = _SELF_INTRODUCTION.search(clause)
    if cue is None or content_words(clause[:cue.start()]):
        return False
    name = read_name(clause[cue.start():])
    if name is None:
        return False
    said = {word.lower() for word in str(name.value).split()}
    return all(word in said for word in content_words(clause[cue.end():]))


_FULL_NAME = re.compile(r"(?<![\w'])([A-Z][a-z]+)\s+[A-Z][a-z]+(?:['-][A-Za-z]+)?\b")
"""A first name and a surname written with capitals ("Ben Cole felt sick"): a name by its form, in a
transcript that writes capitals."""


_POSSESSIVE = "(?:" + "|".join(sorted(POSSESSIVES)) + ")"
_POSSESSED = re.compile(rf"\b(?i:{_POSSESSIVE})\s+([a-z]+)\s+([^\W\d_][\w'-]*)")
"""A possessive, a noun and the word after it, which `names_after` tells a name or not ("my iguana Spike")."""


def _for_whom(relations: frozenset[str]) -> re.Pattern[str]:
    said = "|".join(sorted(relations))
    return re.compile(rf"\bfor\b(?:\s+{_POSSESSIVE}\s+(?:{said})\b)?|\b{_POSSESSIVE}\s+(?:{said})\b", re.IGNORECASE)


_FOR_WHOM, _FOR_WHOM_PERSON = _for_whom(RELATIONS), _for_whom(PEOPLE)
"""Words that say whom something is for or who someone is ("for", "for my son", "our cat"); with pets or not."""
_FOR_WHOM_AT_END, _FOR_WHOM_PERSON_AT_END = (re.compile(rf"(?:{cue.pattern})[\s,]*$", re.IGNORECASE)
                                             for cue in (_FOR_WHOM, _FOR_WHOM_PERSON))


_TO_WHOM = re.compile(rf"\b(?:for|to)\b(?:\s+{_POSSESSIVE}\s+(?:{'|'.join(sorted(RELATIONS))})\b)?",
                      re.IGNORECASE)
_WHOSE = re.compile(rf"\b{_POSSESSIVE}\s+(?:{'|'.join(sorted(RELATIONS))})'s\b", re.IGNORECASE)
"""A relation's possessive: "my mom's" (birthday), "our daughter's" (recital)."""
_SURNAME = re.compile(r" ([A-Za-z][\w'-]*)")


def without_whom(text: str, leading: bool = False) -> str:
    """`text` without the words that only say whom something is for or goes to: "for"/"to" with a relation ("to
    my mom", "for our cat") or a name ("for Rosa Delgado", "to my son Leo"). What a request is for is no answer
    to what it needs: "send some flowers to my mom for her birthday" says no card message, while "our cat Luna
    is sick" (no "for" or "to") keeps its words. `leading`: only such words the text starts with ("for my son
    Leo, he wants olives" is "he wants olives"; "the driver was rude to my son" keeps all). Without `leading`, a
    relation's possessive says whom too: "flowers, it's my mom's birthday" says no card message either, while "my
    son's pizza was cold" still says what was wrong."""
    if not leading:
        text = _WHOSE.sub(" ", text)
    kept, at = [], 0
    for cue in _TO_WHOM.finditer(text):
        if cue.start() < at or leading and text[at:cue.start()].strip(" ,"):
            continue
        end = cue.end()
        if _names_someone(text[end:]):
            end = _WORD.search(text, end).end()
            while (surname := _SURNAME.match(text, end)) is not None and (
                    surname.group(1)[0].isupper() or is_surname(surname.group(1))):
                end = surname.end()  # "for Rosa Delgado", "for noah kim"
        elif " " not in cue.group(0):
            continue  # a bare "for"/"to" says whom only before a name: "to the airport" stays
        kept.append(text[at:cue.start()])
        at = end
    return " ".join(" ".join(kept + [text[at:]]).split())


def _names_someone(rest: str) -> bool:
    word = _WORD.search(rest)
    if word is None or rest[:word.start()].strip(" ,"):
        return False  # "for my son's school": the name must come next, at most after a comma
    return said_as_a_name(word.group(0), rest[word.end():])


def says_any(text: str, cues: list[str], keep: Callable[[int, int], bool] | None = None) -> int | None:
    """Where the first of `cues` (words or phrases, whole words, any case) is said in `text`, or None; with `keep`,
    the first saying `keep(start, end)` keeps."""
    lowered = text.lower()
    found = [m.start() for cue in cues for m in re.finditer(rf"(?<![\w']){re.escape(cue.lower())}(?![\w'])", lowered)
             if keep is None or keep(m.start(), m.end())]
    return min(found) if found else None


_ASKS_WHAT = re.compile(
    r"^\W*(?:(?:um+|uh+|so|and|but|ok(?:ay)?|hey|hi|hello|sorry|excuse me|also)\W+)*(?:where|when|what|how|why|which"
    r"|who|whose)(?:'s|'re|\s+(?:is|are|was|were|do|does|did|will|would|can|could|should|long|much|many|far|soon|about)"
    r")\b", re.IGNORECASE)


def asks_a_question(clause: str) -> bool:
    """Whether a clause asks a question about something ("where is my tow truck", "how long will the van take"):
    what it names is asked about, not given ("what happened is my car broke down" gives it)."""
    return _ASKS_WHAT.search(clause) is not None


_POINTS_AT = re.compile(
    r"(?:it's|it is|that's|that is|(?:it|that)(?:'d| would|'ll| will) be|(?:we're|we are|i'm|i am|they're|they are) at)\s+"
    rf"(?=\d|(?:one(?! of)|{'|'.join(word for word in (*UNITS, *TEENS, *TENS) if word not in ('zero', 'one'))})\b)",
    re.IGNORECASE)
"""How a caller points at a value they then say: "it's 88 Bank Street", "that would be 4 Elm Road", "we're at
1450 Ocean View Drive"."""


def without_leading(fragment: str) -> str:
    """A fragment without the connecting words it starts with ("and pineapple" -> "pineapple"), nor the words
    that point at a value it then says ("it's 88 Bank Street" -> "88 Bank Street"; "it's the boiler" keeps them:
    a remark, not a value)."""
    fragment = fragment.strip(" ,;.!?:-")
    while True:
        pointer = _POINTS_AT.match(fragment)
        if pointer is not None:
            fragment = fragment[pointer.end():]
            continue
        word = _WORD.match(fragment)
        if word is None or word.group(0).lower() not in _LEADING:
            return fragment
        fragment = fragment[word.end():].strip(" ,;.!?:-")


@dataclass(slots=True)
class Said:
    """A part of a caller's turn, and the spans in it (offsets into `text`) that fired triggers."""

    text: str
    cut: tuple[tuple[int, int], ...] = ()
    at: int = 0
    """Where `text` starts in the whole turn (a character offset)."""


@dataclass(slots=True)
class Request:
    """One thing the caller asked for in a turn: the match that fired it, where its clause starts,
    and its own part of the turn (from its clause to the next request's; the first from the start)."""

    match: TriggerMatch
    clause_start: int
    said: Said


def requests_in(text: str, matches: list[TriggerMatch], spans: list[tuple[int, int]]) -> list[Request]:
    """The requests of a turn, in the order said: the best match of each clause that holds one, each
    action once, none overlapping another ("..., and how many points do I have" is a second request).
    `matches` come best first; `spans` are every trigger span of the turn (suppressed ones too)."""
    if not matches:
        return []
    if len(matches) == 1:  # the common case: the clause before the match is all that is needed
        match = matches[0]
        return [Request(match, clause_starts(text[:max(match.start, 0)])[-1], Said(text, tuple(spans)))]
    starts = clause_starts(text)
    chosen: dict[int, TriggerMatch] = {}
    actions: set[str] = set()
    for match in matches:
        clause = clause_at(starts, max(match.start, 0))
        if clause in chosen or match.action in actions or any(
                match.start < other.end and other.start < match.end for other in chosen.values()):
            continue
        chosen[clause] = match
        actions.add(match.action)
    ordered = sorted(chosen.items())
    bounds = [0] + [starts[clause] for clause, _ in ordered[1:]] + [len(text)]
    requests = []
    for index, (clause, match) in enumerate(ordered):
        first, last = bounds[index], bounds[index + 1]
        cut = tuple((max(s, first) - first, min(e, last) - first) for s, e in spans if s < last and e > first)
        requests.append(Request(match, starts[clause], Said(text[first:last], cut, first)))
    return requests
