"""Remove secret values from anything about to enter a trace."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_SUBSTRING = 4


def _forms(secret: str) -> set[str]:
    """A secret as it may appear once rendered: raw, percent-encoded in a URL, form-encoded, JSON-escaped."""
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), json.dumps(secret)[1:-1]}
    return {form for form in forms if form}


class Redactor:
    """Replaces every occurrence of known secret values (in any encoded form) in strings, dicts and lists."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self.secrets: list[str] = []
        for secret in secrets or []:
            self.add(secret)

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def add(self, secret: str) -> None:
        if not secret:
            return
        new = _forms(secret) - set(self.secrets)
        if new:
            # longest first so a secret that contains another is removed whole
            self.secrets = sorted([*self.secrets, *new], key=len, reverse=True)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self.secrets:
                if len(secret) < MIN_SUBSTRING:
                    # a 1-3 character "secret" (a test value) would shred every word that contains it
                    if value == secret:
                        return REDACTED
                elif secret in value:
                    value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self(v) for v in value]
        return value
