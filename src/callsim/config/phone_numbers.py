"""Phone numbers written in a file: valid E.164, or a placeholder that renders to a number in the call."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from callsim.backends.phone_numbers import EXAMPLE, e164


def e164_unless_template(value: str) -> str:
    """A number with placeholders is checked once rendered in a call; any other must be valid E.164 now."""
    return value if "{{" in value or "{%" in value else e164(value)


PhoneNumber = Annotated[str, AfterValidator(e164),
                        WithJsonSchema({"type": "string", "pattern": r"^\+[1-9][0-9]{1,14}$", "examples": [EXAMPLE]})]
"""A phone number written in a file: must be valid E.164."""
Recipient = Annotated[str, AfterValidator(e164_unless_template)]
"""A phone number written in a file, or a placeholder such as `{{ call.from }}` that renders to one."""
