"""The variables pane as a person reads it: the agent's variables listed from the start, "not set" until
they have a value, a time or date the caller gave as the agent says it, phone numbers grouped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input

from callsim.templates.values import Readable
from callsim.trace.events import VariableSet
from callsim.tui.app import SimulatorApp, build_app

pytestmark = pytest.mark.anyio
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))

AGENT = """\
agent: shop
greeting: Hello, this is the shop. How can I help?
timezone: America/New_York
variables:
  order_number: {type: digits, length: 4-8, ask: What is your order number?}
  crm_id: {from: start_data}
  pickup_day: {type: date, ask: Which day will you pick it up?}
  pickup_time: {type: time, ask: At what time?}
defaults:
  http:
    - {match: GET https://shop.test/orders/4567, json: {status: shipped, eta: "2026-12-02"}}
    - {match: POST https://shop.test/pickups, json: {}}
uses: [actions.yaml]
actions: [lookup_order, book_pickup]
"""
ACTIONS = """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://shop.test/orders/{{ order_number }}"}
    save: {order_status: $.status, eta: $.eta}
    say: Order {{ order_number }} is {{ order_status }}.
  book_pickup:
    type: http
    trigger: {phrases: ["pick it up"]}
    needs: [pickup_day, pickup_time]
    request: {method: POST, url: "https://shop.test/pickups", json: {day: "{{ pickup_day }}", at: "{{ pickup_time }}"}}
    say: See you {{ pickup_day }} at {{ pickup_time }}.
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make(root: Path) -> SimulatorApp:
    (root / "pyproject.toml").write_text("")
    (root / "agent.yaml").write_text(AGENT)
    (root / "actions.yaml").write_text(ACTIONS)
    return build_app(agent=root / "agent.yaml", voice=False, start=START, traces=root / "traces")


def shown(app: SimulatorApp, name: str) -> str:
    """The value as the pane shows it, whole (a narrow pane cuts it with an ellipsis)."""
    return app.variables_table.shown[name]


async def settled(app: SimulatorApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_agents_variables_show_as_not_set_until_they_have_a_value(tmp_path):
    app = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(app, pilot)
        table = app.variables_table
        assert shown(app, "order_number") == shown(app, "crm_id") == "not set"  # what the call lacks, at a glance
        assert table.get_cell("crm_id", "source").plain == "start_data"
        assert table.get_cell("crm_id", "value").plain == "not set"
        assert table.get_cell("crm_id", "value").style.italic  # dim and slanted: not a value anyone gave
        app.query_one("#say", Input).value = "where is my order, it's 4567"
        await pilot.press("enter")
        await settled(app, pilot)
        assert shown(app, "order_number") == "4567" and not table.get_cell("order_number", "value").style
        app.live.trace.emit(VariableSet(name="order_status", value=None, source="action:cancel_order"))  # unset
        await pilot.pause()
        assert shown(app, "order_status") == "not set"
        assert "null" not in " ".join(shown(app, name) for name in table.values)
        app.action_new_call()  # a new call lists them again, not set
        await settled(app, pilot)
        assert shown(app, "order_number") == "not set" and "order_status" not in table.values


async def test_a_time_or_date_reads_as_the_agent_says_it_and_phone_numbers_are_grouped(tmp_path):
    app = make(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(app, pilot)
        assert shown(app, "call.from") == "+1 415-555-0100"
        for line in ("I'd like to pick it up", "friday", "at four in the afternoon"):
            app.query_one("#say", Input).value = line
            await pilot.press("enter")
            await settled(app, pilot)
        assert "Agent See you Friday, December 4 at 4 PM." in " ".join(
            " ".join(line.text.split()) for line in app.transcript.lines)
        assert shown(app, "pickup_day") == "Friday, December 4" and shown(app, "pickup_time") == "4 PM"  # as said
        sent = next(e for e in app.live.trace.events if e.type == "http_request")
        assert sent.json_ == {"day": "2026-12-04", "at": "16:00:00"}  # the trace keeps what programs read
        app.query_one("#say", Input).value = "where is my order, it's 4567"
        await pilot.press("enter")
        await settled(app, pilot)
        assert shown(app, "eta") == "2026-12-02"  # an API's text: the agent would say it just so
        assert shown(app, "call.started_at") == "2026-11-30T15:00:00-05:00"
        for value, readable in [
            (Readable("2026-11-30T08:00:00-05:00/2026-12-01T00:00:00-05:00", "Monday, November 30, 8 AM to midnight"),
             "Monday, November 30, 8 AM to midnight"),
            (["+14155550123", 4567], "+1 415-555-0123, 4567"),
            ("+442071234567", "+44 20 7123 4567"),
            ("+1", "+1"),
            (True, "yes"),
            (12.5, "12.5"),
            ({"body": "yes"}, '{"body": "yes"}'),
            ("sip:sales@pbx.shop.test", "sip:sales@pbx.shop.test"),
        ]:
            app.live.trace.emit(VariableSet(name="probe", value=value, source="action:probe"))
            await pilot.pause()
            assert shown(app, "probe") == readable
