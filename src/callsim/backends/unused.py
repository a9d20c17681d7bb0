"""What a scenario set up for a call but the call never used: an HTTP route, a phone, a scripted reply.

A fake nobody used means the scenario did not exercise what its author thought (like respx's
`assert_all_called`), so it fails the scenario unless the fake is marked `optional: true`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnusedFake:
    """One fake the call never used, with where the scenario sets it up and what happened instead."""

    path: tuple[str | int, ...]
    """Where in the scenario: `("http", 1)`, `("phones", "+14155550123")`, `("replies", 0)`."""
    label: str
    """How a person finds it: `http[1] GET https://...`, `phones '+14155550123'`, `replies[0] 'YES'`."""
    expected: str
    """What using it would have been, e.g. `a request to http[1] GET https://...`."""
    why: str
    """What happened instead, e.g. `no request used it; requests sent: GET https://...`."""

    @property
    def kind(self) -> str:
        """`http`, `phones` or `replies`: the scenario field it comes from."""
        return str(self.path[0])

    def __str__(self) -> str:
        return f"{self.label}: {self.why}"
