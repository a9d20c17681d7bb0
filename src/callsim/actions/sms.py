"""The `sms` action: text the caller after the call, with every variable the call gathered.

Nobody is on the line any more, so the action waits (on the clock) for the delivery receipt and
fails, taking `on_error`, when the text was not delivered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callsim.actions.base import ActionContext, ActionError
from callsim.actions.message import record_status, send
from callsim.backends.messaging import FAILED_STATUSES

if TYPE_CHECKING:
    from callsim.config.actions import SmsAction


async def run(action: SmsAction, ctx: ActionContext) -> dict[str, Any]:
    """Send the SMS and wait for its final delivery status."""
    if not ctx.call.ended:
        # the trigger is validated to be call_end; this guards other ways in (a policy asking for it by name)
        raise ActionError("during_call", "an sms action is sent after the call only; "
                                         "use a message action to text during the call")
    message = send("sms", action.to, action.body, ctx)
    waited = 0.0
    for delay, status in message.delivery:
        await ctx.clock.sleep(delay - waited)
        waited = delay
        record_status(ctx, message, status)
    if message.status in FAILED_STATUSES:
        raise ActionError("undelivered", f"the sms to {message.to} was not delivered ({message.status})")
    return {}
