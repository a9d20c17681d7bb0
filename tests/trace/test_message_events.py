"""Messaging events survive the JSON Lines round trip that recordings and replays rely on."""

from __future__ import annotations

import pytest

from callsim.trace.events import MessageReceived, MessageSent, MessageStatus, ReplyTimedOut, event_from_json


@pytest.mark.parametrize("event", [
    MessageSent(action="text_code", id="SM0001", channel="sms", to="+14155550100", body="Código 1234 ✓",
                encoding="UCS-2", segments=1),
    MessageSent(action="follow_up", id="SM0002", channel="sms", to="+14155550100", body="Bye", encoding="GSM-7",
                segments=1, after_call=True),
    MessageSent(action="directions", id="WA0003", channel="whatsapp", to="+14155550100", body="118 Grand St"),
    MessageStatus(action="text_code", id="SM0001", channel="sms", to="+14155550100", status="undelivered"),
    MessageReceived(id="IN0001", channel="sms", from_="+14155550100", body="YES", action="text_code"),
    MessageReceived(id="IN0002", channel="sms", from_="+14155550100", body="YES", late_for="text_code"),
    ReplyTimedOut(action="text_code", channel="sms", to="+14155550100", waited=120.0),
])
def test_round_trip(event):
    event.seq, event.t = 7, 12.5
    data = event.to_json()
    assert event_from_json(data) == event


def test_json_names_are_the_users_words():
    received = MessageReceived(id="IN0001", channel="whatsapp", from_="+14155550100", body="hi").to_json()
    assert received["from"] == "+14155550100" and "from_" not in received


def test_summaries_say_what_a_reader_needs():
    sent = MessageSent(action="a", id="SM0001", channel="sms", to="+14155550100", body="x" * 200,
                       encoding="GSM-7", segments=2)
    assert sent.summary().startswith("✉ sms SM0001 to +14155550100 [GSM-7, 2 segments]: 'xxx")
    assert sent.summary().endswith("…'")
    assert ReplyTimedOut(action="a", channel="sms", to="+14155550100", waited=120.0).summary() == (
        "no sms reply from +14155550100 to a within 2m")
