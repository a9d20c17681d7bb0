"""Remove secret values from anything about to enter a trace, keeping two secrets apart.

A secret becomes `[redacted 15 chars #3f2a9c]`: its length and the first hex digits of its SHA-256,
so a trace, a diff or a failure message can tell that two values differ (the wrong token was sent)
without showing either. The same marker stands for every encoded form of one secret, so an
expectation that names a secret, redacted the same way, compares with what was actually sent.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote, quote_plus

MIN_SUBSTRING = 4
HASH_DIGITS = 6


def marker(secret: str) -> str:
    """What a secret is replaced with: its length and a short hash, never the value."""
    return f"[redacted {len(secret)} chars #{hashlib.sha256(secret.encode()).hexdigest()[:HASH_DIGITS]}]"


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
        for secret in secrets or []:
            self.add(secret)

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def add(self, secret: str) -> None:
        if not secret:
            return
        new = [(form, marker(secret)) for form in sorted(_forms(secret) - self._markers.keys())]
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
                # a 1-3 character secret is only redacted as a whole value: found inside other text, it
                # would shred every word that contains it
                if len(secret) >= MIN_SUBSTRING and secret in value:
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
