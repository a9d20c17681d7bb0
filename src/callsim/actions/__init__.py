"""Action types: one module each, registered here by the `type:` users write."""

from __future__ import annotations

from callsim.actions import http
from callsim.actions.base import ActionContext, ActionError, ActionRunner

RUNNERS: dict[str, ActionRunner] = {
    "http": http.run,
}

__all__ = ["RUNNERS", "ActionContext", "ActionError", "ActionRunner"]
