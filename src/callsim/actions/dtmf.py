"""The `dtmf` action: press keys on the line (e.g. through another company's phone menu).

`digits` holds keys (0-9 * # A-D), pauses (`w` half a second, `W` one second) and placeholders.
A placeholder's value must be keys only: a caller-supplied "12w4" cannot slip a pause (or anything
else) into what is sent. Each key reaches the far end at its moment on the call's clock.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from callsim.actions.base import ActionContext, ActionError
from callsim.backends.telephony import DTMF_PAUSES, KEY_SECONDS, check_digits, dtmf_duration
from callsim.templates import built_from, render_data
from callsim.trace.events import DtmfSent

if TYPE_CHECKING:
    from callsim.config.actions import DtmfAction

_PLACEHOLDER = re.compile(r"(\{\{.*?\}\})", re.DOTALL)


async def run(action: DtmfAction, ctx: ActionContext) -> dict[str, Any]:
    """Send the digits, key by key, on the call's clock."""
    digits = render_digits(action.digits, ctx.variables, ctx.where("digits"))
    ctx.emit(DtmfSent(action=ctx.name, digits=digits, duration=dtmf_duration(digits)))
    telephony = ctx.backends.telephony
    for char in digits:
        if char in DTMF_PAUSES:
            await ctx.clock.sleep(DTMF_PAUSES[char])
        else:
            telephony.press(char)
            await ctx.clock.sleep(KEY_SECONDS)
    return {}


def render_digits(source: str, variables: dict[str, Any], where: str) -> str:
    """The digits with each placeholder rendered and checked to be keys only (no pauses, spaces or letters)."""
    parts = []
    for index, part in enumerate(_PLACEHOLDER.split(source)):
        if index % 2 == 0:
            parts.append(part)
            continue
        value = render_data(part, variables, where)
        try:
            if not value:
                raise ValueError("it is empty")
            check_digits(value, pauses=False)
        except ValueError as problem:
            raise ActionError("invalid_digits", f"{where}: {part} gave {value!r}, which is not keys only: {problem}") \
                from None
        parts.append(value)
    return built_from(variables, "".join, parts)
