"""The variables pane as a person reads it: the agent's variables listed from the start, "not set" until
they have a value, and times, dates and phone numbers as the agent says them."""

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
defaults:
  http:
    - {match: GET https://shop.test/orders/4567, json: {status: shipped, eta: "2026-12-02", slot: "14:30:00"}}
uses: [actions.yaml]
actions: [lookup_order]
"""
ACTIONS = """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://shop.test/orders/{{ order_number }}"}
    save: {order_status: $.status, eta: $.eta, slot: $.slot}
    say: Order {{ order_number }} is {{ order_status }}.
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


async def test_times_dates_and_phone_numbers_read_as_the_agent_says_them(tmp_path):
    app = make(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(app, pilot)
        assert shown(app, "call.from") == "+1 415-555-0100"
        assert shown(app, "call.started_at") == "Monday, November 30 at 3 PM"  # the agent's zone: no offset
        app.query_one("#say", Input).value = "where is my order, it's 4567"
        await pilot.press("enter")
        await settled(app, pilot)
        assert shown(app, "eta") == "Wednesday, December 2" and shown(app, "slot") == "2:30 PM"  # saved from JSON
        for value, readable in [
            (Readable("16:00:00", "4 PM"), "4 PM"),  # a time the caller gave, as the agent says it
            ("2026-12-04T16:00:00-08:00", "Friday, December 4 at 4 PM (UTC-08:00)"),  # another zone: its offset
            ("2026-11-30T08:00:08.8-05:00/2026-12-01T00:00:00-05:00", "Monday, November 30, 8 AM to midnight"),
            ("2026-12-03T14:00:00-05:00/2026-12-03T14:30:00-05:00", "Thursday, December 3, 2 PM to 2:30 PM"),
            ("1962-03-03", "March 3, 1962"),
            (["2026-11-30T09:00:00-05:00", "+14155550123"], "Monday, November 30 at 9 AM, +1 415-555-0123"),
            ("+442071234567", "+44 20 7123 4567"),
            (True, "yes"),
            ({"body": "yes"}, '{"body": "yes"}'),
            ("2026-13-45", "2026-13-45"),  # only looks like a date: as it is
            ("sip:sales@pbx.shop.test", "sip:sales@pbx.shop.test"),
        ]:
            app.live.trace.emit(VariableSet(name="probe", value=value, source="action:probe"))
            await pilot.pause()
            assert shown(app, "probe") == readable
