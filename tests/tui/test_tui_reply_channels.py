"""`/reply` answers a text on its own thread: the message waiting for a reply, else the agent's latest text,
on its channel (a WhatsApp message is answered on WhatsApp, not by SMS); `/reply whatsapp TEXT` or
`/reply sms TEXT` picks the channel, and an export keeps it (`channel:` beside `reply:`)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from callsim.config.project import load_scenario
from callsim.runner import run_scenario_async
from callsim.tui.app import SimulatorApp, build_app
from callsim.tui.widgets.backends import MessagesPane
from waits import submit

pytestmark = pytest.mark.anyio

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
AGENT = """\
agent: shop
greeting: Hello, this is the shop. How can I help?
fallback: I can text you a code or our address.
uses: [actions.yaml]
actions: [text_code, whatsapp_code, address]
"""
ACTIONS = """\
actions:
  text_code:
    type: message
    trigger: {phrases: ["text me a code"]}
    channel: sms
    body: Your code is 1234. Reply YES to confirm.
    await_reply: 2m
    save_reply: sms_answer
    say: I sent you a text.
  whatsapp_code:
    type: message
    trigger: {phrases: ["whatsapp me a code"]}
    channel: whatsapp
    body: Your code is 5678. Reply YES to confirm.
    await_reply: 2m
    save_reply: whatsapp_answer
    say: I sent you a WhatsApp.
  address:
    type: message
    trigger: {phrases: ["your address"]}
    channel: whatsapp
    body: We are at 118 Grand St.
    say: I sent our address to your WhatsApp.
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    for name, text in (("agent.yaml", AGENT), ("actions.yaml", ACTIONS)):
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def make(shop: Path) -> SimulatorApp:
    return build_app(agent=shop / "agent.yaml", voice=False, start=START, monotonic=lambda: 0.0,
                     traces=shop / "traces")


async def say(app: SimulatorApp, pilot, text: str) -> None:
    await submit(pilot, text)
    await app.workers.wait_for_complete()
    await pilot.pause()


def received(app: SimulatorApp) -> list[tuple[str, str]]:
    return [(e.channel, e.body) for e in app.live.trace.events if e.type == "message_received"]


async def test_a_reply_to_a_whatsapp_message_stays_on_whatsapp(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "what is your address")
        await say(app, pilot, "/reply thanks, see you soon")   # nothing waits: the thread of the latest text
        assert received(app) == [("whatsapp", "thanks, see you soon")]
        threads = app.query_one(MessagesPane).threads
        assert [item[0] for item in threads[("whatsapp", "+14155550100")]] == ["out", "in"]
        assert ("sms", "+14155550100") not in threads


async def test_the_channel_word_picks_the_waiting_text_to_answer(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "text me a code")
        await say(app, pilot, "whatsapp me a code")
        text = " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)
        assert "for a text back on WhatsApp: /reply TEXT (or /reply whatsapp TEXT) answers it" in text
        await say(app, pilot, "/reply whatsapp YES")        # the WhatsApp one, though the SMS waits longer
        values = app.live.call.variables
        assert values.get("whatsapp_answer") == "YES" and values.get("sms_answer") is None
        await say(app, pilot, "/reply yes sure")            # the one still waiting: the SMS
        assert values.get("sms_answer") == "yes sure"
        assert received(app) == [("whatsapp", "YES"), ("sms", "yes sure")]
        await say(app, pilot, "/reply sms one more thing")  # nothing waits: on SMS, as asked
        assert received(app)[-1] == ("sms", "one more thing")
        exported = app.export(shop / "exported.yaml")
    assert exported is not None
    written = exported.read_text()
    assert "- reply: 'YES'\n  channel: whatsapp\n" in written, written
    assert "- reply: yes sure\n- expect:" in written and "- reply: one more thing\n  channel: sms\n" in written
    result = await run_scenario_async(load_scenario(exported))
    assert result.passed, [f.failure for f in result.failures] + result.errors
    assert [(e.channel, e.body) for e in result.trace.events if e.type == "message_received"] == [
        ("whatsapp", "YES"), ("sms", "yes sure"), ("sms", "one more thing")]


def test_a_channel_goes_only_beside_a_reply() -> None:
    from pydantic import ValidationError

    from callsim.config.scenario import Turn

    assert Turn.model_validate({"reply": "YES", "channel": "whatsapp"}).kind == "reply"
    with pytest.raises(ValidationError, match="channel goes beside reply:"):
        Turn.model_validate({"caller": "hi", "channel": "sms"})
    with pytest.raises(ValidationError):
        Turn.model_validate({"reply": "YES", "channel": "fax"})
