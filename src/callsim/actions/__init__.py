"""Action types: one module each, registered here by the `type:` users write."""

from __future__ import annotations

from callsim.actions import booking, dtmf, evaluate, extract, http, message, sms, transfer
from callsim.actions.base import ActionContext, ActionError, ActionRunner

RUNNERS: dict[str, ActionRunner] = {
    "http": http.run,
    "message": message.run,
    "sms": sms.run,
    "transfer": transfer.run,
    "dtmf": dtmf.run,
    "booking": booking.run,
    "extract": extract.run,
    "evaluate": evaluate.run,
}

__all__ = ["RUNNERS", "ActionContext", "ActionError", "ActionRunner"]
