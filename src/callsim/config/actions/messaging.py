"""Texting the caller: `message` during the call (optionally awaiting a reply), `sms` after it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from callsim.config.actions.base import ActionBase, Fallback, Trigger
from callsim.config.phone_numbers import Recipient
from callsim.config.shapes.actions import MessageShape
from callsim.config.types import Duration


class MessageAction(MessageShape, ActionBase):
    """Text the caller (SMS or WhatsApp) during the call, optionally waiting for the reply while the call goes on."""

    type: Literal["message"]
    channel: Literal["sms", "whatsapp"] = "sms"
    to: Recipient = "{{ call.from }}"
    """The recipient, E.164 or a placeholder that renders to one; the caller's number by default."""
    body: str
    """The text; SMS bodies are sent as GSM-7 when they can be, else UCS-2, in as many segments as needed."""
    await_reply: Duration | None = None
    """Wait this long for a reply, on the call's clock, while the call goes on."""
    save_reply: str | None = None
    """The variable the reply's text is saved to (it is also in `reply.body`, with `reply.action`,
    `reply.channel` and `reply.from`, until the next reply)."""
    on_timeout: Fallback | None = None
    """What happens when no reply came within `await_reply`."""

    @field_validator("save_reply")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        import re

        from callsim.config.agent import RESERVED_ROOTS

        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError(f"save_reply {value!r} must be letters, digits and _ (usable as {{{{ {value} }}}})")
        if value in RESERVED_ROOTS:
            raise ValueError(f"save_reply {value!r} is reserved for {RESERVED_ROOTS[value]}; choose another name")
        return value

    @model_validator(mode="after")
    def _waits_for_reply(self) -> MessageAction:
        for name in ("save_reply", "on_timeout"):
            if getattr(self, name) is not None and self.await_reply is None:
                raise ValueError(f"{name} needs await_reply: how long to wait for the reply, e.g. await_reply: 2m")
        return self


class SmsAction(ActionBase):
    """Text the caller after the call ended, when the trigger's `if:` holds over the call's variables."""

    type: Literal["sms"]
    trigger: Trigger | None = Field(None, validate_default=True)
    """Must be `on: call_end`, optionally with an `if:`; an sms action never fires during the call."""
    to: Recipient = "{{ call.from }}"
    """The recipient, E.164 or a placeholder that renders to one; the caller's number by default."""
    body: str
    """The text, sent as GSM-7 when it can be, else UCS-2, in as many segments as needed."""

    @field_validator("trigger")
    @classmethod
    def _after_the_call(cls, trigger: Trigger | None) -> Trigger | None:
        if trigger is None or trigger.on != "call_end":
            raise ValueError("an sms action is sent after the call, so it needs trigger: {on: call_end} "
                             "(optionally with if:, e.g. {on: call_end, if: booking is defined}); "
                             "to text during the call use type: message")
        during = [name for name in ("phrases", "keywords", "regex", "description", "after") if getattr(trigger, name)]
        if during:
            raise ValueError(f"trigger.{during[0]} would fire an sms action during the call; its trigger takes "
                             "only on: call_end and if: (to text during the call use type: message)")
        return trigger

    @field_validator("say")
    @classmethod
    def _nobody_listens(cls, value: str | None) -> str | None:
        if value is not None:
            raise ValueError("an sms action runs after the call, so say: would never be spoken; remove it")
        return value
