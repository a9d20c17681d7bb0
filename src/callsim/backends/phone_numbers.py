"""Phone numbers as messaging and telephony APIs take them: E.164 (`+` and the country code, digits only).

One check for both places a number can be wrong: a number written in a file (a validate-time
`file:line:col` error, through `callsim.config.phone_numbers`) and a number that only exists at
call time (a rendered `{{ call.from }}`, which the messaging fake refuses as `invalid_recipient`).
"""

from __future__ import annotations

from functools import lru_cache

EXAMPLE = "+14155550123"
_LENGTH = {"TOO_SHORT": "too short for the numbering plan", "TOO_LONG": "too long for the numbering plan",
           "INVALID_LENGTH": "a length the numbering plan does not have"}
"""What is wrong with a number of a length its numbering plan does not allow, by phonenumbers' ValidationResult."""


@lru_cache(maxsize=4096)  # parsing costs ~70 µs and the same few numbers recur all call long
def e164(value: str) -> str:
    """`value` itself when it is a valid phone number written in E.164; else ValueError saying how to write it."""
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or not text:
        raise ValueError(f"expected a phone number in E.164 form, e.g. {EXAMPLE}")
    if sum(c.isdigit() for c in text) < 3:
        raise ValueError(f"{value!r} is not a phone number; expected E.164, e.g. {EXAMPLE}")
    if not text.startswith("+"):
        raise ValueError(f"{value!r} has no country code; E.164 numbers start with + and the country code, "
                         f"e.g. {EXAMPLE}")
    import phonenumbers  # loaded by the first number checked (a run without one is spared its ~6% of a run)

    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise ValueError(f"{value!r} is not a phone number; expected E.164, e.g. {EXAMPLE}") from None
    # is_valid_number, not is_possible_number: a number must exist in the numbering plan (a real
    # area code) to be sendable; the fictitious 555-01xx numbers with a real area code pass.
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.ValidationResult.to_string(phonenumbers.is_possible_number_with_reason(number))
        why = _LENGTH.get(reason, "no such number in the numbering plan")
        raise ValueError(f"{value!r} is not a valid phone number ({why} of +{number.country_code}); "
                         f"expected E.164, e.g. {EXAMPLE}")
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if text != formatted:
        raise ValueError(f"{value!r} is not in E.164 form; write it as {formatted}")
    return formatted
