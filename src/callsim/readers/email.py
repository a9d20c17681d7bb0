"""The `email` type: an address written ("jo@x.org") or spoken ("jo at x dot org").

Spoken, an address is its words run together around "at": "a one b two at a b c dot com" is
a1b2@abc.com, "enterprise services at nvidia dot com" is enterpriseservices@nvidia.com, "g mail"
is gmail. Number words are digits, "dot", "underscore", "dash", "hyphen" and "plus" are the
characters, spelled letters are letters. The mailbox starts after the words that lead into it
("my email is", "it's"), and the domain must end in a dot and a top-level name of letters.
"""

from __future__ import annotations

import re

from callsim.readers.base import SpokenValue, words_of
from callsim.readers.number_words import TEENS, TENS, UNITS

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_WRITTEN_EMAIL = re.compile(
    rf"(?<![\w.%+/@-])[\w%+-]+(?:\.[\w%+-]+)*@(?:(?:{_LABEL}\.)+[A-Za-z]{{2,}}|\[\d{{1,3}}(?:\.\d{{1,3}}){{3}}\])"
    r"(?![\w@-]|\.[\w-])")
"""An address as RFC 5322 writes one (no dot at either end of the mailbox or two in a row, no hyphen at either
end of a domain label, or an IP address in brackets), standing alone: "foo..bar@x.com" is none, nor a part of it."""
_SYMBOLS = {
    "dot": ".", "period": ".", "point": ".", "underscore": "_", "dash": "-", "hyphen": "-", "minus": "-",
    "plus": "+", "dotcom": ".com",
}  # fmt: skip
_AT = {"at", "@"}
# Words that lead into an address or follow it; a mailbox never spans them.
_NOT_IN_ADDRESS = frozenset(
    """is it's its it my email e-mail address the me uh so sure yes yeah ok okay this that you can
    reach write send to use please and or i i'm am was be on of for with by from your our his her their
    name hi hello thanks thank well just number contact try here there sign symbol""".split()
)
_DOMAIN_WORDS = frozenset("my your our the".split())
"""Words that lead into an address elsewhere but may start a domain's name: "info at my company dot co dot uk"."""
_LONGEST_MAILBOX_WORDS = 3
"""Whole words (not spelled letters or digits) a mailbox may be said in: "rtx pro help"."""
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}")
_MAILBOX = re.compile(r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*")
_SPELLED = re.compile(r"[a-z0-9](?:-[a-z0-9])+")
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S*", re.IGNORECASE)
"""A web address written out is no part of an email address ("my CV at https://frank.site.com/cv"), nor is one
inside it ("https://x.com/a@b.com")."""


def read_email(utterance: str) -> SpokenValue | None:
    """Read an email address, written ("jo@x.org") or spoken ("jo at x dot org")."""
    utterance = _URL.sub(" , ", utterance)
    written = _WRITTEN_EMAIL.search(utterance)
    if written:
        # Only the domain is case-insensitive by the RFCs; keep the mailbox as written.
        local, domain = written.group(0).rsplit("@", 1)
        return SpokenValue(f"{local}@{domain.lower()}", written.group(0))
    # letters spelled with dashes are the letters ("j-o-h-n at gmail"); a dash itself is said "dash"
    words = [w.replace("-", "") if _SPELLED.fullmatch(w) else w
             for w in words_of(utterance) if w not in ("sign", "symbol")]
    for index in range(len(words) - 1, 0, -1):
        if words[index] not in _AT:
            continue
        domain = _domain(words[index + 1 :])
        local = _mailbox(words[:index])
        if domain and local:
            return SpokenValue(f"{local}@{domain}", utterance.strip())
    return None


def _characters(words: list[str]) -> list[str]:
    """Each word as what it writes: a symbol, a number's digits, or itself."""
    written = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in TENS and index + 1 < len(words) and words[index + 1] in UNITS and words[index + 1] != "zero":
            written.append(str(TENS[word] + UNITS[words[index + 1]]))
            index += 2
            continue
        written.append(_SYMBOLS.get(word) or str(UNITS.get(word, TEENS.get(word, TENS.get(word, word)))))
        index += 1
    return written


def _domain(words: list[str]) -> str | None:
    taken: list[str] = []
    dotted = False
    for word in words:
        after_a_symbol = bool(taken) and taken[-1] in _SYMBOLS
        if word in _AT or (word in _NOT_IN_ADDRESS and not after_a_symbol  # "dot it" is Italy
                           and not (not dotted and word in _DOMAIN_WORDS)):
            break
        # Before the first dot a name may be said in words ("g mail"); after it, each label is one
        # word or spelled letters ("dot e d u"), so "dot com call me" ends at com.
        if dotted and not after_a_symbol and word not in _SYMBOLS and not (len(word) == 1 and len(taken[-1]) == 1):
            break
        dotted = dotted or _SYMBOLS.get(word) == "."
        taken.append(word)
    text = "".join(_characters(taken))
    found = _DOMAIN.match(text)
    return found.group(0) if found else None


def _mailbox(words: list[str]) -> str | None:
    taken: list[str] = []
    whole_words = 0
    for word in reversed(words):
        if word in _NOT_IN_ADDRESS or word in _AT:
            break
        if len(word) > 1 and word not in _SYMBOLS and not word.isdigit() and word not in UNITS | TEENS | TENS:
            whole_words += 1
            if whole_words > _LONGEST_MAILBOX_WORDS:
                break
        taken.append(word)
    text = "".join(_characters(list(reversed(taken)))).strip(".")
    return text if text and _MAILBOX.fullmatch(text) else None
