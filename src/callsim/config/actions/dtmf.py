"""The `dtmf` action: keys pressed on the line."""

from __future__ import annotations

from typing import Literal

from callsim.config.actions.base import ActionBase
from callsim.config.telephony import DigitsTemplate


class DtmfAction(ActionBase):
    """Press keys on the line, e.g. to get through another company's phone menu on an outbound call."""

    type: Literal["dtmf"]
    digits: DigitsTemplate
    """Keys 0-9 * # A-D, pauses w (half a second) and W (one second), and placeholders whose values are keys."""
