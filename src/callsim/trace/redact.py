"""Remove secret values from anything about to enter a trace."""

from __future__ import annotations

from typing import Any

REDACTED = "[redacted]"


class Redactor:
    """Replaces every occurrence of known secret values in strings, dicts and lists."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        # longest first so a secret that contains another is removed whole
        self.secrets = sorted({s for s in (secrets or []) if s}, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def add(self, secret: str) -> None:
        if secret and secret not in self.secrets:
            self.secrets = sorted([*self.secrets, secret], key=len, reverse=True)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self.secrets:
                if secret in value:
                    value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self(v) for v in value]
        return value
