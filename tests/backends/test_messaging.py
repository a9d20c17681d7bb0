"""The messaging fake: SMS encoding and segments, recipients, delivery plans and scripted replies."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callsim.backends.messaging import (DELIVERED_AFTER, GSM7_BASIC, GSM7_EXTENSION, SENT_AFTER, FakeMessaging,
                                        InvalidBody, InvalidRecipient, sms_encoding)
from callsim.config.scenario import ScriptedReply

CALLER = "+14155550100"
OTHER = "+14155550111"

# --- encoding and segments ----------------------------------------------------------------------


@pytest.mark.parametrize(("body", "encoding", "units", "segments"), [
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),          # 2 × 153
    ("a" * 307, "GSM-7", 307, 3),
    ("€" * 80, "GSM-7", 160, 1),            # extension characters count two septets
    ("€" * 81, "GSM-7", 162, 2),
    ("a" * 159 + "€", "GSM-7", 161, 2),     # 159 characters, but 161 septets
    ("a" * 159 + "^", "GSM-7", 161, 2),
    ("@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", "GSM-7", 43, 1),
    ("д" * 70, "UCS-2", 70, 1),
    ("д" * 71, "UCS-2", 71, 2),
    ("д" * 134, "UCS-2", 134, 2),          # 2 × 67
    ("д" * 135, "UCS-2", 135, 3),
    ("😀" * 35, "UCS-2", 70, 1),            # outside the BMP: a surrogate pair, two units
    ("😀" * 36, "UCS-2", 72, 2),
    ("a" * 100 + "’", "UCS-2", 101, 2),     # one curly apostrophe turns a 1-segment text into 2
    ("Información", "UCS-2", 11, 1),        # ó is not in GSM-7 (ò is)
])
def test_encoding_units_and_segments(body, encoding, units, segments):
    result = sms_encoding(body)
    assert (result.encoding, result.units, result.segments) == (encoding, units, segments)


def test_an_escape_sequence_is_not_split_across_segments():
    # 152 + 2 + 152 = 306 septets would fit 2 × 153, but the € cannot straddle the boundary:
    # segment 1 carries 152 septets, segment 2 the € and 151 letters, segment 3 the last letter
    assert sms_encoding("a" * 152 + "€" + "a" * 152).segments == 3
    assert sms_encoding("a" * 151 + "€" + "a" * 153).segments == 2


def test_a_surrogate_pair_is_not_split_across_segments():
    assert sms_encoding("д" * 66 + "😀" + "д" * 66).segments == 3
    assert sms_encoding("д" * 65 + "😀" + "д" * 67).segments == 2


def test_the_escape_character_itself_is_not_a_gsm_character():
    assert "\x1b" not in GSM7_BASIC and sms_encoding("a\x1b").encoding == "UCS-2"


@given(st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), min_size=1, max_size=700))
def test_gsm_segments_hold_at_most_153_septets_each(body):
    result = sms_encoding(body)
    assert result.encoding == "GSM-7"
    assert result.units == len(body) + sum(c in GSM7_EXTENSION for c in body)
    if result.units <= 160:
        assert result.segments == 1
    else:
        # never fewer than the septets need, at most one more per segment for an unsplit escape
        assert -(-result.units // 153) <= result.segments <= -(-result.units // 152)


@given(st.text(min_size=1, max_size=400).filter(lambda t: any(c not in GSM7_BASIC | GSM7_EXTENSION for c in t)))
def test_non_gsm_text_is_ucs2_counted_in_utf16_units(body):
    result = sms_encoding(body)
    assert result.encoding == "UCS-2"
    assert result.units == len(body.encode("utf-16-le")) // 2
    if result.units <= 70:
        assert result.segments == 1
    else:
        assert -(-result.units // 67) <= result.segments <= -(-result.units // 66)


# --- sending ------------------------------------------------------------------------------------


def test_send_puts_the_message_in_its_channel_outbox_queued():
    fake = FakeMessaging()
    sms = fake.send("sms", CALLER, "Your code is 1234")
    chat = fake.send("whatsapp", CALLER, "Directions: 118 Grand St")
    assert fake.outbox == {"sms": [sms], "whatsapp": [chat]}
    assert (sms.status, sms.encoding, sms.segments) == ("queued", "GSM-7", 1)
    assert (chat.encoding, chat.segments) == (None, None)  # WhatsApp has no SMS segments
    assert sms.id != chat.id


def test_delivery_plan_is_sent_then_delivered():
    message = FakeMessaging().send("sms", CALLER, "hi")
    assert message.delivery == [(SENT_AFTER, "sent"), (DELIVERED_AFTER, "delivered")]


@pytest.mark.parametrize(("outcome", "plan"), [
    ("undelivered", [(SENT_AFTER, "sent"), (DELIVERED_AFTER, "undelivered")]),
    ("failed", [(SENT_AFTER, "failed")]),
])
def test_a_number_the_scenario_marks_cannot_receive(outcome, plan):
    fake = FakeMessaging(delivery={OTHER: outcome})
    assert fake.send("sms", OTHER, "hi").delivery == plan
    assert fake.send("sms", CALLER, "hi").delivery[-1] == (DELIVERED_AFTER, "delivered")


def test_set_status_keeps_the_history():
    fake = FakeMessaging()
    message = fake.send("sms", CALLER, "hi")
    fake.set_status(message, "sent")
    fake.set_status(message, "delivered")
    assert (message.status, message.statuses) == ("delivered", ["queued", "sent", "delivered"])


@pytest.mark.parametrize(("to", "problem"), [
    ("anonymous", "not a phone number"),
    ("4155550100", "no country code"),
    ("+1 415 555 0100", "write it as +14155550100"),
    ("+1415555", "too short"),
    ("+15550100000", "no such number"),
    ("", "expected a phone number"),
])
def test_invalid_recipients_are_refused_with_the_reason(to, problem):
    fake = FakeMessaging()
    with pytest.raises(InvalidRecipient, match=re.escape(problem)):
        fake.send("sms", to, "hi")
    assert fake.outbox["sms"] == []


@pytest.mark.parametrize(("channel", "body", "problem"), [
    ("sms", "   ", "empty"),
    ("sms", "a" * 1601, "at most 1600"),
    ("whatsapp", "a" * 4097, "at most 4096"),
])
def test_bodies_the_channel_refuses(channel, body, problem):
    with pytest.raises(InvalidBody, match=problem):
        FakeMessaging().send(channel, CALLER, body)


def test_the_longest_bodies_the_channels_accept():
    fake = FakeMessaging()
    assert fake.send("sms", CALLER, "a" * 1600).segments == 11
    assert fake.send("whatsapp", CALLER, "a" * 4096).segments is None


# --- scripted replies ---------------------------------------------------------------------------


def reply(body: str, **fields: object) -> ScriptedReply:
    return ScriptedReply.model_validate({"body": body, **fields})


def test_replies_answer_waiting_messages_in_order():
    fake = FakeMessaging([reply("YES", after="20s"), reply("NO", after=5)])
    first = fake.send("sms", CALLER, "Reply YES", wants_reply=True)
    second = fake.send("sms", CALLER, "Reply YES or NO", wants_reply=True)
    third = fake.send("sms", CALLER, "Anything else?", wants_reply=True)
    assert (first.reply.body, first.reply.after) == ("YES", 20.0)
    assert (second.reply.body, second.reply.after) == ("NO", 5.0)
    assert third.reply is None


def test_a_message_that_waits_for_no_reply_does_not_use_one():
    fake = FakeMessaging([reply("YES")])
    assert fake.send("sms", CALLER, "Thanks for calling").reply is None
    assert fake.send("sms", CALLER, "Reply YES", wants_reply=True).reply.body == "YES"


def test_a_reply_on_a_channel_answers_only_that_channel():
    fake = FakeMessaging([reply("👍", channel="whatsapp"), reply("YES")])
    assert fake.send("sms", CALLER, "Reply YES", wants_reply=True).reply.body == "YES"
    assert fake.send("whatsapp", CALLER, "OK?", wants_reply=True).reply.body == "👍"


def test_a_reply_from_a_number_answers_only_messages_to_it():
    fake = FakeMessaging([reply("on my way", **{"from": OTHER}), reply("YES")])
    assert fake.send("sms", CALLER, "Reply YES", wants_reply=True).reply.body == "YES"
    assert fake.send("sms", OTHER, "Can you come?", wants_reply=True).reply.body == "on my way"


def test_an_undelivered_message_gets_no_reply_and_leaves_it_for_the_next():
    fake = FakeMessaging([reply("YES")], delivery={OTHER: "undelivered"})
    assert fake.send("sms", OTHER, "Reply YES", wants_reply=True).reply is None
    assert fake.send("sms", CALLER, "Reply YES", wants_reply=True).reply.body == "YES"


def test_receive_records_the_inbox():
    fake = FakeMessaging()
    received = fake.receive("whatsapp", CALLER, "thanks")
    assert fake.inbox == [received]
    assert (received.channel, received.from_, received.body) == ("whatsapp", CALLER, "thanks")
