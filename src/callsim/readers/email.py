"""The `email` type: an address written ("jo@x.org") or spoken ("jo at x dot org")."""

from __future__ import annotations

import re

from callsim.readers.base import SpokenValue, words_of


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
    words = words_of(utterance)
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
