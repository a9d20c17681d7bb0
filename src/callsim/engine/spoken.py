"""Typed values read out of what a caller said.

Speech-to-text hands the engine lowercase-ish words with filler, spelled letters and no
punctuation ("uh it's four five six seven"). `read_value` turns one such utterance into the
value a slot of a given type expects ("4567"), or None when the caller did not say one, so that
triggers and actions work on values rather than on wording. Dates and times live in
`spoken_dates`, loaded on first use because dateparser is slow to import.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import phonenumbers
from rapidfuzz import fuzz, process
from text_to_num import alpha2digit


@dataclass(frozen=True)
class SpokenValue:
    """A typed value read out of one utterance, with the text it was read from."""

    # str for text, digits, phone (E.164), email, name and enum; int or float for number; bool
    # for yes_no; date for date; naive time for time; datetime aware in the agent's zone.
    value: object
    # Best effort: the words matched when a reader can tell which, else the stripped utterance.
    text: str


@dataclass(frozen=True)
class ReadContext:
    """What parsing needs besides the text: the virtual clock's now and the agent's zone."""

    now: datetime.datetime
    timezone: str = "UTC"
    region: str = "US"

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("ReadContext.now must be timezone-aware")


_FILLER = frozenset({"uh", "um", "umm", "uhm", "er", "erm", "ah", "hmm", "mm"})
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy"
    " eighty ninety hundred thousand million".split()
)
_REPEATS = {"double": 2, "triple": 3}
# Sentence punctuation only: the comma in "1,200" and the point in "3.5" are part of a number.
_PUNCTUATION = re.compile(r"[,.!?;:]+(?=\s|$)|[\"()]")
_WORD_CHARS = re.compile(r"[^\w'@.+-]+")


def _words_of(utterance: str) -> list[str]:
    """Split an utterance into lowercase words, without punctuation or filler."""
    text = _WORD_CHARS.sub(" ", utterance.lower().replace("\u2019", "'"))
    return [word.strip(".") for word in text.split() if word.strip(".") not in _FILLER]


def as_numerals(utterance: str) -> str:
    """Rewrite the spoken numbers in an utterance as numerals: "one oh one" -> "1 01"."""
    words = [w for w in _PUNCTUATION.sub(" ", utterance.lower()).split() if w not in _FILLER]
    return alpha2digit(" ".join(_repeats_expanded(_zeros_said_as_oh(words))), "en", threshold=0)


def _is_number(word: str) -> bool:
    """Whether a word is a number, spelled or written."""
    return word in _NUMBER_WORDS or word.isdigit()


def _zeros_said_as_oh(words: list[str]) -> list[str]:
    """Read "oh" as zero inside a run of numbers, and as an exclamation anywhere else."""
    said = list(words)
    start = 0
    while start < len(said):
        end = start
        while end < len(said) and (_is_number(said[end]) or said[end] in {"oh", "o", *_REPEATS}):
            end += 1
        if any(_is_number(word) for word in said[start:end]):
            said[start:end] = ["zero" if word in {"oh", "o"} else word for word in said[start:end]]
        start = end + 1
    return said


def _repeats_expanded(words: list[str]) -> list[str]:
    """Spell out "double two" as "two two" and "triple five" as "five five five"."""
    said: list[str] = []
    for index, word in enumerate(words):
        if word in _REPEATS and index + 1 < len(words) and _is_number(words[index + 1]):
            said.extend([words[index + 1]] * (_REPEATS[word] - 1))
        else:
            said.append(word)
    return said


def read_text(utterance: str, pattern: str | None = None) -> SpokenValue | None:
    """Read free text: the whole utterance, or the first match of `pattern` in it."""
    text = utterance.strip()
    if pattern is None:
        return SpokenValue(text, text) if text else None
    match = re.search(pattern, text)
    return SpokenValue(match.group(0), match.group(0)) if match else None


# Digits said in groups ("forty five sixty seven") are one number read in pieces.
_DIGIT_RUN = re.compile(r"(?<!\w)\d+(?:[ .,-]+\d+)*(?!\w)")


def read_digits(utterance: str, length: tuple[int, int] | None = None) -> SpokenValue | None:
    """Read a string of digits (an order number, a PIN), optionally of a length in a range."""
    runs = [re.sub(r"\D", "", run) for run in _DIGIT_RUN.findall(as_numerals(utterance))]
    if length is not None:
        runs = [run for run in runs if length[0] <= len(run) <= length[1]]
    if not runs:
        return None
    # The longest run is the one being read out; among equals the last, since callers correct
    # themselves ("one two, sorry, one three").
    return SpokenValue(max(reversed(runs), key=len), utterance.strip())


_NUMBER = re.compile(r"(?<![\w.])(-|minus |negative )?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\w|\.\d)")
_AND_A_HALF = re.compile(r"\b(\d+) and a half\b")


def read_number(utterance: str) -> SpokenValue | None:
    """Read a quantity: an int, or a float when a fraction was said."""
    match = _NUMBER.search(_AND_A_HALF.sub(r"\1.5", as_numerals(utterance)))
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    whole = whole.replace(",", "")
    value: int | float = float(whole + fraction) if fraction else int(whole)
    return SpokenValue(-value if sign else value, utterance.strip())


_PHONE_RUN = re.compile(r"\+?\d[\d .()-]*\d")
_PLUS = re.compile(r"\bplus ?(?=\d)")


def read_phone(utterance: str, region: str = "US") -> SpokenValue | None:
    """Read a full phone number, in E.164, assuming `region` when no country code was said."""
    for run in _PHONE_RUN.findall(_PLUS.sub("+", as_numerals(utterance))):
        digits = ("+" if run.startswith("+") else "") + re.sub(r"\D", "", run)
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        # is_valid_number, not is_possible_number: "possible" accepts a 7-digit US local number
        # ("555-1234"), which cannot be dialled. The fictitious 555-0100..0199 numbers scenarios
        # use are valid in phonenumbers' metadata when the area code is real (+1 415 555 0100).
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return SpokenValue(e164, utterance.strip())
    return None


_WRITTEN_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_EMAIL_WORDS = {
    "at": "@", "dot": ".", "period": ".", "point": ".", "underscore": "_",
    "dash": "-", "hyphen": "-", "plus": "+", "dotcom": ".com",
}  # fmt: skip
_SPELLED_GAP = re.compile(r"(?<=\b\w) (?=\w\b)")
_SYMBOL_GAP = re.compile(r" ?([@._+-]) ?")


def read_email(utterance: str) -> SpokenValue | None:
    """Read an email address, written ("jo@x.org") or spoken ("jo at x dot org")."""
    written = _WRITTEN_EMAIL.search(utterance)
    if written:
        # Only the domain is case-insensitive by the RFCs; keep the mailbox as written.
        local, domain = written.group(0).rsplit("@", 1)
        return SpokenValue(f"{local}@{domain.lower()}", written.group(0))
    words = _words_of(utterance)
    symbols: list[str] = []
    for index, word in enumerate(words):
        if word in {"sign", "symbol"} and index and words[index - 1] == "at":
            continue
        symbols.append(_EMAIL_WORDS.get(word, word))
    text = _SYMBOL_GAP.sub(r"\1", _SPELLED_GAP.sub("", " ".join(symbols)))
    spoken = _WRITTEN_EMAIL.search(text)
    if spoken is None:
        return None
    local, domain = spoken.group(0).rsplit("@", 1)
    return SpokenValue(f"{local.strip('.')}@{domain}", utterance.strip())


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
    tokens = _without_lead_ins([t for t in tokens if t and t.lower() not in _FILLER])
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


_ENUM_CUTOFF = 80  # fuzz.ratio: "basik" -> "basic" is 80, "pro" -> "for" is 33
_ENUM_FUZZY_MIN = 5
"""Values shorter than this must be said as they are written."""


def read_enum(utterance: str, values: Sequence[str]) -> SpokenValue | None:
    """Read one of `values`, said exactly or close enough; None when none or several fit."""
    if not values:
        raise ValueError("an enum needs at least one value to choose from")
    words = _words_of(utterance)
    text = f" {' '.join(words)} "
    said = {value: " ".join(_words_of(value)) for value in values}
    exact = [value for value, form in said.items() if form and f" {form} " in text]
    # "pro plus" also contains "pro"; the longer value is the one that was said.
    exact = [
        v for v in exact if not any(v != o and f" {said[v]} " in f" {said[o]} " for o in exact)
    ]
    if exact:
        return SpokenValue(exact[0], said[exact[0]]) if len(exact) == 1 else None
    best: list[tuple[float, str, str]] = []
    for value, form in said.items():
        if len(form) < _ENUM_FUZZY_MIN:
            continue  # one letter away from a short word is another word: "one" is not "none"
        size = len(form.split())
        spans = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
        match = process.extractOne(form, spans, scorer=fuzz.ratio, score_cutoff=_ENUM_CUTOFF)
        if match is not None:
            best.append((match[1], value, match[0]))
    best.sort(reverse=True)
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return SpokenValue(best[0][1], best[0][2])


_UNSURE = ("don't know", "dont know", "not sure", "not certain", "no idea", "maybe", "perhaps", "dunno")
# Phrases that agree although they contain a negative word.
_YES_DESPITE_NO = ("no problem", "no worries", "why not", "not a problem")
_NO = frozenset(
    "no nope nah not don't dont never negative incorrect wrong isn't doesn't wasn't".split()
)
_YES = frozenset(
    "yes yeah yea yep yup sure correct right absolutely definitely ok okay affirmative certainly"
    " exactly uh-huh mhm".split()
)
_YES_PHRASES = ("please do", "go ahead", "sounds good", "of course", "i do", "that's it", "uh huh")


def read_yes_no(utterance: str) -> SpokenValue | None:
    """Read agreement (True) or refusal (False); a negative anywhere wins over a positive."""
    words = re.sub(r"[^\w'-]+", " ", utterance.lower().replace("\u2019", "'")).split()
    text = f" {' '.join(words)} "
    if any(f" {phrase} " in text for phrase in _UNSURE):
        return None
    for phrase in _YES_DESPITE_NO:
        text = text.replace(f" {phrase} ", " yes ")
    said = text.split()
    if _NO.intersection(said):
        return SpokenValue(False, utterance.strip())
    if _YES.intersection(said) or any(f" {phrase} " in text for phrase in _YES_PHRASES):
        return SpokenValue(True, utterance.strip())
    return None


def read_date(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a calendar day (a `datetime.date`), relative to `ctx.now` in `ctx.timezone`."""
    from callsim.engine import spoken_dates  # loads dateparser, ~0.3 s, only when first needed

    return spoken_dates.read_date(utterance, ctx)


def read_time(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a time of day (a naive `datetime.time`), relative to `ctx.now` in `ctx.timezone`."""
    from callsim.engine import spoken_dates

    return spoken_dates.read_time(utterance, ctx)


def read_datetime(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a day and a time (an aware `datetime.datetime` in `ctx.timezone`)."""
    from callsim.engine import spoken_dates

    return spoken_dates.read_datetime(utterance, ctx)


def read_when(utterance: str, ctx: ReadContext) -> SpokenValue | None:
    """Read a moment or a span a caller asks for ("tomorrow morning"); see `spoken_when`."""
    from callsim.engine import spoken_when

    return spoken_when.read_when(utterance, ctx)


@dataclass(frozen=True)
class _Options:
    """The per-slot options read_value passes on to the reader that uses them."""

    length: tuple[int, int] | None
    values: Sequence[str]
    pattern: str | None


_READERS: dict[str, Callable[[str, ReadContext, _Options], SpokenValue | None]] = {
    "text": lambda u, ctx, o: read_text(u, o.pattern),
    "digits": lambda u, ctx, o: read_digits(u, o.length),
    "number": lambda u, ctx, o: read_number(u),
    "phone": lambda u, ctx, o: read_phone(u, ctx.region),
    "email": lambda u, ctx, o: read_email(u),
    "name": lambda u, ctx, o: read_name(u),
    "date": lambda u, ctx, o: read_date(u, ctx),
    "time": lambda u, ctx, o: read_time(u, ctx),
    "datetime": lambda u, ctx, o: read_datetime(u, ctx),
    "enum": lambda u, ctx, o: read_enum(u, o.values),
    "yes_no": lambda u, ctx, o: read_yes_no(u),
    "when": lambda u, ctx, o: read_when(u, ctx),
}

VALUE_TYPES: tuple[str, ...] = tuple(_READERS)


def read_value(
    type_: str,
    utterance: str,
    ctx: ReadContext,
    *,
    length: tuple[int, int] | None = None,
    values: Sequence[str] = (),
    pattern: str | None = None,
) -> SpokenValue | None:
    """Read a value of `type_` from `utterance`; None when the utterance holds none."""
    reader = _READERS.get(type_)
    if reader is None:
        raise ValueError(f"unknown value type {type_!r}; expected one of {', '.join(VALUE_TYPES)}")
    return reader(utterance, ctx, _Options(length, values, pattern))
