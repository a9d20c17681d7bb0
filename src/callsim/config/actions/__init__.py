"""The action library format: `actions:` by name, each with a `type`, a trigger and what it does.

Adding an action type means one module in this package (a subclass of `ActionBase` with a `type`
literal), one module in `callsim.actions`, and a line in each registry (here `Action` and `ACTION_TYPES`).
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from callsim.config.actions.base import LIFECYCLE_EVENTS, ActionBase, Fallback, JsonPath, Trigger
from callsim.config.actions.booking import BOOKING_VARIABLES, BookingAction
from callsim.config.actions.dtmf import DtmfAction
from callsim.config.actions.evaluate import CRITERION_RULES, TRANSFER_OUTCOMES, Criterion, EvaluateAction
from callsim.config.actions.extract import ExtractAction, ExtractField
from callsim.config.actions.http import HttpAction, HttpRequest
from callsim.config.actions.messaging import MessageAction, SmsAction
from callsim.config.actions.transfer import (
    SIP_STACK_HEADERS,
    Phonebook,
    PhonebookEntry,
    PhonebookRef,
    TransferAction,
)
from callsim.config.types import Model

Action = Annotated[Union[HttpAction, MessageAction, SmsAction, TransferAction, DtmfAction, BookingAction,
                         ExtractAction, EvaluateAction],
                  Field(discriminator="type")]
ACTION_TYPES = ("http", "message", "sms", "transfer", "dtmf", "booking", "extract", "evaluate")
"""Action types this version can run; the others in the design (transfer, message, booking, sms,
extract, evaluate, dtmf) are added by their own modules."""


class ActionLibrary(Model):
    """A reusable file of named actions, attached to agents with `uses:`."""

    actions: dict[str, Action] = {}
    phonebooks: dict[str, Phonebook] = {}
    """Named, ordered lists of transfer targets; the first whose `if:` holds is dialed."""


__all__ = [
    "ACTION_TYPES",
    "BOOKING_VARIABLES",
    "CRITERION_RULES",
    "LIFECYCLE_EVENTS",
    "SIP_STACK_HEADERS",
    "TRANSFER_OUTCOMES",
    "Action",
    "ActionBase",
    "ActionLibrary",
    "BookingAction",
    "Criterion",
    "DtmfAction",
    "EvaluateAction",
    "ExtractAction",
    "ExtractField",
    "Fallback",
    "HttpAction",
    "HttpRequest",
    "JsonPath",
    "MessageAction",
    "Phonebook",
    "PhonebookEntry",
    "PhonebookRef",
    "SmsAction",
    "TransferAction",
    "Trigger",
]
