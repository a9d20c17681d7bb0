"""Remove secret values from anything about to enter a trace, keeping two secrets apart.

A secret becomes `[redacted 15 chars #3f2a9c]`: its length and the first hex digits of its SHA-256,
so a trace, a diff or a failure message can tell that two values differ (the wrong token was sent)
without showing either. The same marker stands for every encoded form of one secret, so an
expectation that names a secret, redacted the same way, compares with what was actually sent.

A secret shorter than FOUND_INSIDE_TEXT characters (a PIN) is redacted as a whole value and inside the
text a placeholder put it in (`add_shown`), not wherever its characters appear: "1234" is as likely
part of what a caller says ("order 12345") as the secret. Its marker has no hash: six hex digits of
the hash of a four-digit PIN give it away to anyone who tries the 10,000 PINs.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import quote, quote_plus

FOUND_INSIDE_TEXT = 8
"""The shortest secret looked for inside any text (see the module's docstring)."""
HASH_DIGITS = 6


def marker(secret: str) -> str:
    """What a secret is replaced with: its length and, for one long enough to keep it safe, a short hash;
    never the value."""
    if len(secret) < FOUND_INSIDE_TEXT:
        return f"[redacted {len(secret)} chars]"
    return f"[redacted {len(secret)} chars #{hashlib.sha256(secret.encode()).hexdigest()[:HASH_DIGITS]}]"


MARKER = re.compile(r"\[redacted \d+ chars(?: #[0-9a-f]{6})?\]")
"""What `marker` writes."""


def _forms(secret: str) -> set[str]:
    """A secret as it may appear once rendered: raw, percent-encoded in a URL, form-encoded, JSON-escaped."""
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), json.dumps(secret)[1:-1]}
    return {form for form in forms if form}


class Redactor:
    """Replaces every occurrence of known secret values (in any encoded form) in strings, in dict keys and
    values, in lists, and in numbers that equal a secret (a PIN sent as a JSON number)."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self.secrets: list[tuple[str, str]] = []
        """Each form a secret may take once rendered, with the marker it becomes; longest first."""
        self._markers: dict[str, str] = {}
        """The same, by form: a whole value (a number, a short secret) is looked up at once."""
        self._placed: set[str] = set()
        """The texts templates placed short secrets in (see `add_shown`)."""
        for secret in secrets or []:
            self.add(secret)

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def add(self, secret: str) -> None:
        if not secret:
            return
        self._learn([(form, marker(secret)) for form in sorted(_forms(secret) - self._markers.keys())])

    def add_shown(self, text: str, shown: str) -> None:
        """`text` holds short secrets (below FOUND_INSIDE_TEXT) a template placed in it, and `shown` is the same
        text with each one's marker where the template put it: wherever `text` appears, it is shown so. Only
        there: the same characters elsewhere are no secret ("order 12345" beside a PIN "1234")."""
        if shown != text:
            self._placed.add(text)
            if text not in self._markers:
                self._learn([(text, self(shown))])

    def shown(self, text: str) -> str:
        """How `text` is shown once redacted when a template placed a short secret in it (see `add_shown`),
        else `text` itself."""
        return self._markers[text] if text in self._placed else text

    def _learn(self, new: list[tuple[str, str]]) -> None:
        if new:
            self._markers.update(new)
            # longest first so a secret that contains another is removed whole
            self.secrets = sorted([*self.secrets, *new], key=lambda pair: len(pair[0]), reverse=True)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            whole = self._markers.get(value)
            if whole is not None:
                return whole
            for secret, replacement in self.secrets:
                if len(secret) >= FOUND_INSIDE_TEXT and secret in value:
                    value = value.replace(secret, replacement)
            return value
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return self._markers.get(_as_text(value), value)
        if isinstance(value, dict):
            return {self(k): self(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self(v) for v in value]
        return value


def _as_text(number: float) -> str:
    """A number as a secret holding it is written: 98761.0 as "98761"."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return str(number)
