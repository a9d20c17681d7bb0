"""The `phone` type: a full phone number, in E.164."""

from __future__ import annotations

import re

from callsim.readers.base import SpokenValue
from callsim.readers.numerals import as_numerals


_PHONE_RUN = re.compile(r"\+?\d[\d .()-]*\d")
_PLUS = re.compile(r"\bplus ?(?=\d)")


def read_phone(utterance: str, region: str = "US") -> SpokenValue | None:
    """Read a full phone number, in E.164, assuming `region` when no country code was said."""
    import phonenumbers  # loaded by the first phone number read (a run without one is spared its ~6% of a run)

    for run in _PHONE_RUN.findall(_PLUS.sub("+", as_numerals(utterance))):
        digits = ("+" if run.startswith("+") else "") + re.sub(r"\D", "", run)
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        # is_valid_number, not is_possible_number: "possible" accepts a 7-digit US local number
        # ("555-1234"), which cannot be dialled. The fictitious 555-0100..0199 numbers scenarios
        # use are valid in phonenumbers' metadata when the area code is real (+1 415 555 0100).
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return SpokenValue(e164, utterance.strip())
    return None
