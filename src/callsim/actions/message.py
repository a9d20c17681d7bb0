"""The `message` action: text the caller during the call and, with `await_reply`, wait for the answer
on the call's clock while the call goes on.

The runner returns as soon as the provider accepted the message; what happens next is scheduled
on the call: the delivery statuses, the scripted reply (if the scenario gave one), and the
`await_reply` deadline. A reply that comes in first closes the wait (the session saves it and
fires `on: message_reply`); the deadline takes `on_timeout`; a delivery failure takes `on_error`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from callsim.actions.base import ActionContext, ActionError
from callsim.actions.replies import AwaitedReply
from callsim.backends.messaging import FAILED_STATUSES, InvalidBody, InvalidRecipient, OutboundMessage
from callsim.templates import render_data, render_text
from callsim.trace.events import ActionFailed, MessageSent, MessageStatus, ReplyTimedOut

if TYPE_CHECKING:
    from callsim.config.actions import MessageAction
    from callsim.engine.clock import Callback


async def run(action: MessageAction, ctx: ActionContext) -> dict[str, Any]:
    """Send the message and schedule its delivery, its reply and its reply deadline on the call."""
    message = send(action.channel, action.to, action.body, ctx, wants_reply=action.await_reply is not None)
    call = ctx.call
    wait = None
    if action.await_reply is not None:
        wait = call.awaited_replies.add(AwaitedReply(ctx.name, message.channel, message.to, action.save_reply))
    reply = message.reply
    if reply is not None:  # scheduled before the deadline: a reply due exactly at the deadline is in time
        call.schedule(reply.after, lambda: _reply_arrives(ctx, message, reply.body))
    if wait is not None:
        wait.timer = call.schedule(action.await_reply or 0.0, lambda: _timed_out(action, ctx, wait))
    for delay, status in message.delivery:
        call.schedule(delay, _status_change(action, ctx, message, status, wait), after_end=True)
    return {}


def send(channel: str, to: str, body: str, ctx: ActionContext, *, wants_reply: bool = False) -> OutboundMessage:
    """Render `to` and `body`, hand the message to the provider and record it (shared with `sms`)."""
    recipient = render_data(to, ctx.variables, ctx.where("to")).strip()
    text = render_text(body, ctx.variables, ctx.where("body"))
    try:
        message = ctx.backends.messaging.send(channel, recipient, text, wants_reply=wants_reply)
    except InvalidRecipient as problem:
        raise ActionError("invalid_recipient", str(problem)) from None
    except InvalidBody as problem:
        raise ActionError("invalid_body", str(problem)) from None
    ctx.emit(MessageSent(action=ctx.name, id=message.id, channel=channel, to=message.to, body=text,
                         encoding=message.encoding, segments=message.segments, after_call=ctx.call.ended))
    return message


def record_status(ctx: ActionContext, message: OutboundMessage, status: str) -> None:
    ctx.backends.messaging.set_status(message, status)
    ctx.emit(MessageStatus(action=ctx.name, id=message.id, channel=message.channel, to=message.to, status=status))


async def _reply_arrives(ctx: ActionContext, message: OutboundMessage, body: str) -> None:
    ctx.backends.messaging.reply_arrived(message)  # the scenario's reply was used (see unused fakes)
    await ctx.call.message_received(message.channel, message.to, body)


async def _timed_out(action: MessageAction, ctx: ActionContext, wait: AwaitedReply) -> None:
    if wait.close("timed_out"):
        ctx.emit(ReplyTimedOut(action=ctx.name, channel=wait.channel, to=wait.number, waited=action.await_reply or 0.0))
        await ctx.call.take_fallback(ctx.name, action.on_timeout, "on_timeout")


def _status_change(action: MessageAction, ctx: ActionContext, message: OutboundMessage, status: str,
                   wait: AwaitedReply | None) -> Callback:
    async def change() -> None:
        record_status(ctx, message, status)
        call = ctx.call
        # a message nobody can read will get no reply: stop waiting and take on_error now
        if status in FAILED_STATUSES and wait is not None and not call.ended and wait.close("undelivered"):
            ctx.emit(ActionFailed(action=ctx.name, kind="undelivered",
                                  error=f"the {message.channel} to {message.to} was not delivered ({status}), "
                                        "so no reply can come"))
            call.set_variable("error.kind", "undelivered", f"action:{ctx.name}")
            await call.take_fallback(ctx.name, action.on_error, "on_error")

    return change
