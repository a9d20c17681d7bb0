"""The `name` type: a person's name, written as it is on paper."""

from __future__ import annotations

import functools
import mmap
import re

from rapidfuzz import fuzz

from callsim.readers.base import FILLER, SpokenValue


_NAME_LEAD_INS = tuple(
    tuple(phrase.split())
    for phrase in (
        "my name is", "my name's", "name's", "name is", "the name is", "his name is", "her name is",
        "his name's", "her name's", "their name is", "the patient is", "the patient's name is",
        "it is", "it's", "this is", "i am", "i'm", "you can call me", "call me", "put it under",
        "under the name", "under", "yes", "yeah", "hi", "hello", "oh", "sure", "ok", "okay", "well",
        "so", "they're", "they are", "these are", "those are", "that's", "that is",
    )
)  # fmt: skip
_WEAK_LEAD_INS = frozenset({("i", "am"), ("i'm",), ("it", "is"), ("it's",), ("this", "is")})
"""Lead-ins that say who someone is as often as how they are ("I'm Kevin", "I'm new here", "this is urgent"):
after one, a word written in lower case must be said as a name (see `_said_as_a_name_after_weak`)."""
_NUMBER_WORDS = frozenset(
    """zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand half quarter""".split())
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
    what's don't can't won't they're we're you're he's she's there's here's let's who's
    new here angry upset mad sick tired worried afraid glad happy unhappy busy done ready fine good great
    late lost stuck back home away still also calling trying looking having getting hoping wondering
    monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight yesterday morning
    afternoon evening noon midnight""".split()
) | _NUMBER_WORDS
# Numbers, the states and doings that follow "I'm" ("I'm new here", "I'm angry", "I'm calling about"), and
# days ("make that friday at nine") are no names either.
_TITLES = {"dr": "Dr.", "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "prof": "Prof."}
_PARTICLES = frozenset("de la del van von der den da di du le bin".split())
_SPELLED_HYPHENATED = re.compile(r"[a-z](?:-[a-z])+")
_LONGEST_NAME = 5


def read_name(utterance: str) -> SpokenValue | None:
    """Read a person's name, merging a spelled-out repetition ("john j-o-h-n") into the word. When the
    utterance does not start with one, a later part that is nothing but a name is it: "it's for my wife,
    Jane Smith"."""
    found = _name_at_start(utterance)
    if found is not None:
        return SpokenValue(found[0], utterance.strip())
    for part in _APPOSITION.split(utterance)[1:]:
        found = _name_at_start(part)
        if found is not None and found[1]:
            return SpokenValue(found[0], utterance.strip())
    return None


_APPOSITION = re.compile(r"[,;:]\s+|[.!?]\s+")


def _name_at_start(utterance: str) -> tuple[str, bool] | None:
    """The name the utterance starts with, and whether it is all the utterance says."""
    tokens = re.sub(r"[^\w'.-]+", " ", utterance.replace("\u2019", "'")).split()
    tokens = [t if t.lower().rstrip(".") in _TITLES else t.strip(".-") for t in tokens]
    tokens = [t for t in tokens if t and t.lower() not in FILLER]
    tokens, weak = _without_lead_ins(tokens)
    if weak and tokens and not _said_as_a_name_after_weak(tokens, utterance):
        return None  # "I'm calling about", "I'm locked out", "this is urgent", "I am diabetic"
    words: list[str] = []
    whole = True
    after = 0  # where in the utterance the name read so far ends
    for spelled, word in _spelled_merged(tokens):
        if spelled and words and _spells(word, words[-1]):
            words[-1] = word  # the spelling says how the word just said is written
        elif (word.lower() in _NOT_NAMES or any(c.isdigit() for c in word)
              or (words and words[0][:1].isupper() and word.islower() and word not in _PARTICLES)
              or (words and words[0].islower() and not spelled and not _goes_on_a_name(word, utterance, after))):
            # a transcript that writes the name with capitals writes the words after it without: "Sofia Lopez
            # will be out" ends at "will", a word that is also a name
            whole = False
            break
        else:
            words.append(word)
            found = re.search(rf"(?<![\w']){re.escape(word)}(?![\w'])", utterance[after:], re.IGNORECASE)
            after += found.end() if found is not None else 0
    if all(w.lower().rstrip(".") in _TITLES for w in words) or len(words) > _LONGEST_NAME:
        return None
    words = _restated(words)
    return " ".join(_capitalised(word, first=index == 0) for index, word in enumerate(words)), whole


def _said_as_a_name_after_weak(tokens: list[str], utterance: str) -> bool:
    """Whether the words after "this is", "I'm" or "it's" name the caller rather than say how they are. A title
    or a word no English dictionary has does ("this is dr. lee", "it's xiomara"), and so does a capital where the
    transcript writes other words without ("this is Kowalski", "It's Hope calling"). Otherwise, as speech-to-text
    writes, an English word does only when it is a first name or surname people have ("this is will", "i'm
    rose") or a surname follows it: "this is urgent", "I'm blind and", "it's super important" and "I am
    diabetic" name nobody, without a list of states."""
    first, second = tokens[0], tokens[1] if len(tokens) > 1 else ""
    if second.lower() in _OF_SOMEONE and len(tokens) > 2 and tokens[2].lower() in _SOMEONE:
        return False  # "i'm frank with you", "I'm honest about it": how they are with someone, not who they are
    if first.lower().rstrip(".") in _TITLES or not _is_english_word(first.lower()):
        return True
    if first[:1].isupper() and not first.isupper() and any(t[:1].islower() for t in tokens + utterance.split()):
        # capitals written selectively, not Title Case Throughout: a name ("It's Hope calling", "this is Kowalski"),
        # unless it is shaped like a state and no list of names has it ("this is Urgent", "I'm Diabetic")
        lowered = first.lower()
        return _STATE_SHAPED.search(lowered) is None or lowered in _given_names() or lowered in _surnames()
    if first.lower() in _NOT_NAMES:
        return False
    return (is_given_name(first, " ".join(tokens[1:])) or is_surname(first)  # faker's lists, loaded only now
            or (second != "" and is_surname(second)))


_STATE_SHAPED = re.compile(r"(?:ent|ant|ous|ic|ive|ful|less|able|ible|ed|ing|ary|ory|ish|al)$")
"""The endings of the words that say how someone is ("urgent", "pregnant", "serious", "diabetic", "retired"):
capitalised, such a word is a name only when people have it as one ("Vincent", "Grant")."""
_OF_SOMEONE = frozenset("with about to towards toward".split())
_SOMEONE = frozenset("you ya u it this that them him her us everyone everybody".split())
"""After "I'm" a word then "with you", "about it", "to them" says how the caller is with someone ("frank", "honest",
"nice"): no name, though "Frank" is one; "I'm Frank with Acme Plumbing" still is."""


def _is_english_word(word: str) -> bool:
    """Whether the CMU pronouncing dictionary that pocketsphinx (a dependency) ships has `word` (lower case):
    126,000 words, names among them, no download. The file is searched where it lies (mapped, not read), not
    made into a set: a look costs about 0.2 ms, where building the set cost 55 ms of CPU the first time a
    lower-case word followed "this is" or "I'm"."""
    dictionary = _pronouncing_dictionary()
    said = word.encode("utf-8", "replace") + b" "  # a line is "word PHONES" ("word(2) PHONES": another way to say it)
    return dictionary[:len(said)] == said or dictionary.find(b"\n" + said) >= 0


@functools.cache
def _pronouncing_dictionary() -> mmap.mmap:
    import importlib.util
    import os

    spec = importlib.util.find_spec("pocketsphinx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pocketsphinx package is not installed (make setup installs requirements.lock)")
    path = os.path.join(next(iter(spec.submodule_search_locations)), "model", "en-us", "cmudict-en-us.dict")
    with open(path, "rb") as file:
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


def _goes_on_a_name(word: str, utterance: str, at: int = 0) -> bool:
    """Whether `word`, after a name's first word in a transcript without capitals, is more of the name: a first
    name or surname people have ("sam patel"), a particle ("de la cruz"), or the last word before a pause or the
    end ("jo march"); "my son leo wants olives" is Leo. The word is judged where it follows the name, its first
    saying from `at` on, not where the sentence says it again."""
    lowered = word.lower()
    if lowered in _PARTICLES or _before_a_pause(word, utterance, at):
        return True
    return lowered in _given_names() or lowered in _surnames()  # faker's lists, loaded only when needed


def _before_a_pause(word: str, utterance: str, at: int = 0) -> bool:
    """Whether `word`, where it is first said from `at` on, is said right before a pause or the end of the
    utterance (not where the sentence says it again: "leo needs the day off, he needs" is no "Leo Needs")."""
    said = re.compile(rf"(?<![\w']){re.escape(word)}(?![\w'])", re.IGNORECASE).search(utterance, at)
    return said is not None and re.match(r"\s*(?:[,.;:!?]|$)", utterance[said.end():]) is not None


def _spells(spelling: str, word: str) -> bool:
    """Whether letters spelled out right after a word spell that word (as the caller writes it)."""
    spelling, word = spelling.lower(), word.lower()
    # Speech-to-text often mishears the word but not its letters: "kate c-a-t-e" is Cate.
    return spelling[0] == word[0] or fuzz.ratio(spelling, word) >= 60


def _without_lead_ins(tokens: list[str]) -> tuple[list[str], bool]:
    """Drop the phrases callers put before their name ("uh it's", "my name is", "the order is for", "it's for
    my son"); and whether the last one dropped was a weak one ("I'm")."""
    stripped, weak = True, False
    while stripped:
        stripped = False
        for phrase in _NAME_LEAD_INS:
            if tuple(t.lower() for t in tokens[: len(phrase)]) == phrase:
                tokens, stripped, weak = tokens[len(phrase) :], True, phrase in _WEAK_LEAD_INS
        after = _for_whom(tokens)
        if after:
            tokens, stripped, weak = tokens[after:], True, False
    return tokens, weak


_COPULAS = frozenset({"is", "was", "be", "it's", "that's", "this's", "he's", "she's", "order's", "one's"})
POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
"""The words before whom a caller speaks for ("my son", "our cat", "their daughter")."""
PEOPLE = frozenset(
    """son daughter wife husband partner mother mom mum mommy father dad daddy parent parents kid kids child
    children boy girl baby brother sister grandson granddaughter grandmother grandma granny grandfather
    grandpa grandparent aunt uncle nephew niece cousin fiance fiancee boyfriend girlfriend friend neighbor
    neighbour boss colleague patient client student stepson stepdaughter""".split())
PETS = frozenset(
    """dog doggy puppy pup cat kitty kitten pet bird parrot budgie rabbit bunny hamster pig ferret horse
    pony tortoise turtle lizard snake""".split())
RELATIONS = PEOPLE | PETS
"""Who a caller speaks for, a person or a pet: after "my", the word before the name ("it's for my son Leo", "my
dog Biscuit"). Said without a name too ("flowers for my mom"); before a name, any kind of pet or relative
introduces it (see `names_after`)."""


def names_after(noun: str, word: str, after: str = "") -> bool:
    """Whether `word`, said after a possessive and `noun`, is a name the noun introduces: "my son Leo", "our cat
    Luna", and without a list of every pet, breed and relative, "my iguana Spike", "my poodle Coco", "his
    stepbrother Sam". After a relation or pet the name is written with a capital or is a first name people have
    (`after`: the text right after it: "my son leo"); after another noun, one that is no everyday word, it is
    written with a capital or is a first name people have ("my terrier max"), so "my old Ford", "my car Honda",
    "my car honda" and "my order Monday" name nobody, nor do "my dog barks" and "my package arrived"."""
    noun = noun.lower()
    if noun in RELATIONS:
        return said_as_a_name(word, after)
    if not noun.isalpha() or len(noun) <= 2 or noun in _NOT_NAMES:
        return False
    # another noun needs a name written with a capital, or in a transcript without capitals a first name people
    # have ("my terrier max"); the capital is told first, so that "my package arrived" asks no list
    named = said_as_a_name(word) if word[:1].isupper() else word.islower() and is_given_name(word, after)
    return named and noun not in _ordinary_words()


def said_as_a_name(word: str, after: str = "") -> bool:
    """Whether `word` is written the way a name is: with a capital (not in capitals throughout) and no word that is
    never a name, a day or a month; or a first name people have (see `is_given_name`; `after`: the text after it)."""
    if word[:1].isupper() and not word.isupper():
        return word.lower() not in _NOT_NAMES and word.lower() not in _MONTHS
    return is_given_name(word, after)


def is_given_name(word: str, after: str = "") -> bool:
    """Whether `word` is a first name people have (faker's English-speaking locales list 8,600), and not
    also a month or a day: tells "for noah kim" from "for delivery" in a transcript without capitals.

    A first name that is also an ordinary English word ("young", "long", "will", "hope", "little") is one
    only where the sentence uses it as a name, as `after` (the text right after it) shows: the clause ends
    ("it's for will"), a surname or another first name follows that is no ordinary word ("Will Smith"), or
    a word that makes no phrase with it ("for will at six"); not where it describes what follows ("for
    young drivers", "Long Island", "little ones")."""
    lowered = word.lower()
    if lowered in _NOT_NAMES or lowered in _MONTHS or lowered not in _given_names():
        return False
    return lowered not in _ordinary_words() or _named_by(after)


def is_surname(word: str) -> bool:
    """Whether `word` is a surname people have (faker's lists) and no everyday word: "kim" in "for noah kim", not
    "price" or "long"."""
    lowered = word.lower()
    return lowered in _surnames() and lowered not in _ordinary_words() and lowered not in _NOT_NAMES


def written_as_a_name(text: str, name: str) -> bool:
    """Whether `name`, read from `text`, is said there the way a name is: its first word written with a capital
    (not only because it starts a sentence), or a first name or a surname people have. A correction's new name
    must be one by its form, since any word can be read as a name: "no, nothing like that" and "Asha Patel, and
    no tattoos" correct no name."""
    first = name.split()[0] if name.split() else ""
    said = list(re.finditer(rf"(?<![\w']){re.escape(first)}(?![\w'])", text, re.IGNORECASE))
    if not said:
        return False
    for found in said:  # any saying of it: "mark it under Mark Lee" writes the name at its second
        before = text[:found.start()].rstrip(" ,;:-")
        if before and not before.endswith((".", "!", "?")) and said_as_a_name(found.group(0)):
            return True
    return any(is_given_name(first, text[found.end():]) for found in said) or is_surname(first)


def _named_by(after: str) -> bool:
    """Whether the words after an ordinary word that is also a first name leave it a name (see `is_given_name`)."""
    following = _NEXT_WORD.match(after)
    if following is None:
        return True  # the clause ends: "it's for will", "for will, please"
    word = following.group(1).lower()
    if word in _NOT_NAMES:
        return word not in _NUMBER_WORDS  # "for will at six", not "a long one"
    return word not in _ordinary_words() and (word in _given_names() or word in _surnames())


_NEXT_WORD = re.compile(r"\s*([^\W\d_][\w'-]*)")


@functools.cache
def _ordinary_words() -> frozenset[str]:
    # faker's list of about a thousand common English words (its lorem provider), no download
    return _faker_names()["ordinary"]


@functools.cache
def _surnames() -> frozenset[str]:
    return _faker_names()["surnames"]


_MONTHS = frozenset("january february march april may june july august september october november december".split())


@functools.cache
def _given_names() -> frozenset[str]:
    # faker's lists, no download; read (5 ms of CPU when kept, else 75 ms) the first time a word must be told
    # to be a name by itself: after "for" in lower case, or as the first of two capitalised words ("Ben Cole felt sick")
    return _faker_names()["given"]


_NAME_FIELDS = {"given": ("first_names", "first_names_male", "first_names_female"), "surnames": ("last_names",)}
_KEPT_FORMAT = 2


@functools.cache
def _faker_names() -> dict[str, frozenset[str]]:
    """faker's given names and surnames of its English-speaking locales, and its thousand ordinary English words
    (its lorem provider), in lower case (no download).

    Importing faker and its providers costs about 75 ms of CPU, once per process, and a call that must tell
    "this is ana" from "this is urgent" needs them. So the three sets are kept in the user's cache
    ($CALLSIM_CACHE_DIR/names, else ($XDG_CACHE_HOME or ~/.cache)/callsim/names, 0700), keyed by faker's person
    and lorem provider files (path, size, time of change), and read back in about 5 ms. A kept file that is
    damaged, foreign or not the user's own is not read; CALLSIM_NO_CACHE=1 keeps nothing."""
    import hashlib
    import marshal
    import os

    from callsim import user_cache  # only when names are needed: a reader loads without the rest of callsim

    providers = _faker_word_files()
    folder = _names_folder()
    path = None
    if folder is not None and providers:
        key = hashlib.sha256(marshal.dumps((_KEPT_FORMAT, providers))).hexdigest()[:32]
        path = os.path.join(folder, f"names-{key}.marshal")
        kept = _read_kept(path)
        if kept is not None:
            return kept
    from faker.providers.lorem.en_US import Provider as Lorem

    names = {kind: _people_names(fields) for kind, fields in _NAME_FIELDS.items()}
    names["ordinary"] = frozenset(word.lower() for word in Lorem.word_list)
    if path is not None:
        user_cache.write_atomically(path, marshal.dumps(names))
    return names


def _faker_word_files() -> tuple[tuple[str, int, int], ...]:
    import importlib.util
    import os

    spec = importlib.util.find_spec("faker")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return ()
    people = os.path.join(next(iter(spec.submodule_search_locations)), "providers", "person")
    try:
        locales = sorted(name for name in os.listdir(people) if name.startswith("en"))
        files = [os.path.join(people, locale, "__init__.py") for locale in locales]
        files.append(os.path.join(people, os.pardir, "lorem", "en_US", "__init__.py"))
        return tuple((file, (info := os.stat(file)).st_size, info.st_mtime_ns) for file in files)
    except OSError:
        return ()


def _names_folder() -> str | None:
    """The user's own folder for the kept name sets, made 0700; None when caching is off or it is unsafe."""
    from callsim import user_cache

    folder = user_cache.folder("names")
    return folder if user_cache.enabled() and user_cache.own_folder(folder, create=True) else None


def _read_kept(path: str) -> dict[str, frozenset[str]] | None:
    import marshal
    import os
    import stat

    from callsim import user_cache

    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or not user_cache.own(info):
                return None
            kept = marshal.loads(file.read())  # marshal.load reads a file in small pieces: 4 times slower
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if (isinstance(kept, dict) and set(kept) == {*_NAME_FIELDS, "ordinary"}
            and all(isinstance(words, frozenset) and all(isinstance(w, str) for w in words)
                    for words in kept.values())):
        return kept
    return None


def _people_names(fields: tuple[str, ...]) -> frozenset[str]:
    """The names of these fields of faker's person providers for English-speaking locales, in lower case."""
    import importlib
    import pkgutil

    import faker.providers.person as people

    names: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        if module.name.startswith("en"):
            provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
            for field in fields:
                found = getattr(provider, field, ())  # a tuple, or a mapping of name to weight
                names.update(name.lower() for name in found)
    return frozenset(names)


def _for_whom(tokens: list[str]) -> int:
    """How many leading tokens say whom something is for rather than name them: "for", "it's for", "my order is
    for", "the reservation is for my daughter", "my son" (0: none)."""
    lowered = [t.lower() for t in tokens[:6]]
    at = 0
    if "for" in lowered[:5]:
        index = lowered.index("for")
        if index == 0 or lowered[index - 1] in _COPULAS or lowered[index - 1].endswith("'s"):
            at = index + 1
    pair = tokens[at : at + 3]
    if len(pair) == 3 and pair[0].lower() in POSSESSIVES and names_after(pair[1], pair[2], " ".join(tokens[at + 3:])):
        at += 2
    elif len(pair) >= 2 and pair[0].lower() in POSSESSIVES and pair[1].lower() in RELATIONS:
        at += 2
    return at


def _restated(words: list[str]) -> list[str]:
    """A name said again in full after a part of it ("Patel. Sam Patel", "Bond, James Bond") is the full
    saying; a word said twice in a row ("Sam Sam Patel") is one."""
    words = [w for i, w in enumerate(words) if i == 0 or w.lower() != words[i - 1].lower()]
    last = words[-1].lower() if words else ""
    for index, word in enumerate(words[:-1]):
        if word.lower() == last and index < len(words) - 2:
            return words[index + 1 :]
    return words


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
