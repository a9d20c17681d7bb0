"""Simulated callers: seeded fake people whose details scenario turns can use as `{{ caller.name }}`."""

from __future__ import annotations

import datetime as dt
from typing import Any

# Area codes of real US regions; with 555-01xx (reserved for fiction) every number is a valid
# E.164 number that can never ring a real person.
_AREA_CODES = ("212", "213", "303", "312", "404", "415", "512", "617", "702", "206")

_BORN_FROM, _BORN_TO = dt.date(1936, 1, 1), dt.date(2006, 12, 31)
_FAKERS: dict[str, Any] = {}


def make_persona(seed: int, locale: str = "en_US") -> dict[str, Any]:
    """A caller's name, number, e-mail and so on; the same seed always gives the same person."""
    fake = _FAKERS.get(locale)
    if fake is None:
        from faker import Faker  # imported on first use: it costs ~0.1 s of every start-up otherwise

        fake = _FAKERS[locale] = Faker(locale)
    fake.seed_instance(seed)
    first, last = fake.first_name(), fake.last_name()
    number = f"+1{fake.random_element(_AREA_CODES)}55501{fake.random_int(0, 99):02d}"
    return {
        "first_name": first,
        "last_name": last,
        "name": f"{first} {last}",
        "number": number,
        "email": (email := f"{first}.{last}@example.com".lower().replace("'", "")),
        "email_spoken": email.replace(".", " dot ").replace("@", " at "),
        # a fixed range, not "age from today": a persona must not change with the date the suite runs
        "birth_date": fake.date_between_dates(_BORN_FROM, _BORN_TO).isoformat(),
        "city": fake.city(),
        "postcode": fake.postcode(),
        "company": fake.company(),
        "seed": seed,
    }


def persona_text(text: str, persona: dict[str, Any] | None) -> str:
    """A scenario's own text with the persona's details filled in (`{{ caller.name }}`); raises TemplateError."""
    if persona is None or "{{" not in text:
        return text
    from callsim.config.shapes.scenario import MAX_SAID
    from callsim.errors import TemplateError
    from callsim.templates import render_text

    filled = render_text(text, {"caller": persona}, "scenario turn")
    if len(filled) > MAX_SAID:  # a loop over the persona's details could say 100,000 characters in one turn
        raise TemplateError(f"scenario turn: filled in, it is {len(filled):,} characters; a turn holds at most "
                            f"{MAX_SAID:,} (some ten minutes of speech)")
    return filled
