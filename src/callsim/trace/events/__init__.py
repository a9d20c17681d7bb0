"""Typed trace events: everything observable that happened in a call, in order.

Each event has a `type` tag, a sequence number and the virtual time `t` in seconds since the
call started. Events are plain slotted dataclasses (cheap on the engine's hot path) that turn
into JSON objects with `to_json` and back with `event_from_json`.

The base and the JSON helpers live in `base`; the events, grouped by family, in the other
modules. Importing this package imports them all, so every event type is registered in
`EVENT_TYPES` before a trace is read.
"""

from callsim.trace.events.base import EVENT_TYPES, TRACE_FORMAT, Event, event_from_json
from callsim.trace.events.booking import (BookingCancelled, BookingMade, BookingRescheduled, BookingUnavailable,
                                          SlotsOffered)
from callsim.trace.events.call import (ActionAbandoned, ActionFailed, ActionFinished, ActionOffered, ActionStarted,
                                       AgentCut, AgentSaid, CallEnded, CallerSaid, CallStarted, CallState, Corrected,
                                       EngineError, EnumByMeaning, FallbackTaken, MeaningUnmatched, SlotAsked,
                                       SlotDeclined, SlotUnreadable, SpeechRecognized, TriggerMatched, TriggerOverruled,
                                       TriggerSuppressed, VariableSet, Waited, said_lines)
from callsim.trace.events.http import HttpRequestSent, HttpResponseReceived, WebhookAnswered, WebhookSent
from callsim.trace.events.messaging import MessageReceived, MessageSent, MessageStatus, ReplyTimedOut
from callsim.trace.events.quality import Evaluation, Extracted, NotExtracted
from callsim.trace.events.telephony import (Answered, Bridged, Busy, Declined, DialFailed, Dialing, DtmfReceived,
                                            DtmfSent, HoldStarted, HoldStopped, IvrInput, IvrSaid, LegCancelled,
                                            NoAnswer, PhonebookChoice, Ringing, WhisperPlayed)

__all__ = [
    "EVENT_TYPES", "TRACE_FORMAT",
    "ActionAbandoned", "ActionFailed", "ActionFinished", "ActionOffered", "ActionStarted", "AgentCut", "AgentSaid",
    "Answered", "BookingCancelled",
    "BookingMade", "BookingRescheduled", "BookingUnavailable", "Bridged", "Busy", "CallEnded", "CallStarted",
    "CallState", "CallerSaid", "Corrected", "Declined", "DialFailed", "Dialing", "DtmfReceived", "DtmfSent",
    "EngineError", "EnumByMeaning", "Evaluation", "Event", "Extracted", "FallbackTaken", "HoldStarted", "HoldStopped",
    "HttpRequestSent", "HttpResponseReceived",
    "IvrInput", "IvrSaid", "LegCancelled", "MeaningUnmatched", "MessageReceived", "MessageSent", "MessageStatus",
    "NoAnswer", "NotExtracted", "PhonebookChoice", "ReplyTimedOut", "Ringing", "SlotAsked", "SlotDeclined", "SlotUnreadable",
    "SlotsOffered", "SpeechRecognized",
    "TriggerMatched", "TriggerOverruled", "TriggerSuppressed", "VariableSet", "Waited", "WebhookAnswered",
    "WebhookSent", "WhisperPlayed",
    "event_from_json", "said_lines",
]
