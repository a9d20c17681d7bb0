"""A free call in the simulator plays what it has no fake for through dialogs: the server behind an HTTP
request, the phone at a dialled number, a missing secret; F6 exports the answers as the scenario's fakes."""

from __future__ import annotations

import datetime as dt
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from textual.widgets import Button, Input, TextArea

from callsim.config.project import load_scenario
from callsim.runner import run_scenario_async
from callsim.tui.app import SimulatorApp, build_app
from callsim.tui.dialogs import HttpDialog, PhoneDialog, SecretDialog
from callsim.tui.help import HelpScreen
from callsim.tui.widgets.bars import KeyBar
from waits import dialog, submit, until

pytestmark = pytest.mark.anyio
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))

AGENT = """\
agent: shop
greeting: Hello, this is the shop. How can I help?
fallback: I can look up orders and put you through to sales.
timezone: America/New_York
variables:
  order_number: {type: digits, length: 4-8, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup_order, to_sales]
"""
ACTIONS = """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request:
      url: "{base}/orders/{{ order_number }}"
      headers: {Authorization: "Bearer {{ secrets.SHOP_TOKEN }}"}
      timeout: 5s
    save: {order_status: $.status}
    say: Order {{ order_number }} is {{ order_status }}.
    on_timeout: {say: The order system is slow.}
    on_status: {5xx: {say: The order system has a problem.}}
    on_error: {say: The order system is down.}
  to_sales:
    type: transfer
    trigger: {phrases: ["sales please"]}
    destination: "+14155550123"
    mode: cold
    say: Putting you through.
    on_busy: {say: Sales is busy.}
"""


class Orders(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"status": "on the truck", "auth": "%s"}' % self.headers.get("Authorization", "").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Orders)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def shop(root: Path, base: str = "https://shop.test") -> Path:
    (root / "pyproject.toml").write_text("")
    (root / "agent.yaml").write_text(AGENT)
    (root / "actions.yaml").write_text(ACTIONS.replace("{base}", base))
    return root


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make(root: Path, clock: Clock | None = None, **options: object) -> SimulatorApp:
    return build_app(agent=root / "agent.yaml", voice=False, start=START, monotonic=clock or Clock(),
                     traces=root / "traces", **({"secrets": {"SHOP_TOKEN": "tok-123"}} | options))


def transcript(app: SimulatorApp) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)


async def settled(app: SimulatorApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_request_no_route_answers_is_answered_in_a_dialog_and_remembered(tmp_path):
    clock = Clock()
    app = make(shop(tmp_path), clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        shown = " ".join(str(w.render()) for w in asked.query(".dialog--request, .dialog--details"))
        assert "GET https://shop.test/orders/4567" in shown
        assert "authorization: Bearer [redacted 7 chars" in shown and "tok-123" not in shown  # as the trace has it
        assert asked.query_one("#pass", Button).disabled  # shop.test is not this machine
        clock.now += 90  # the person takes a minute and a half to answer: the call's time stands still
        asked.query_one("#body", TextArea).text = '{"status": "shipped"}'
        await pilot.click("#answer")
        await settled(app, pilot)
        assert "Agent Order 4567 is shipped." in transcript(app)
        response = next(e for e in app.live.trace.events if e.type == "http_response")
        assert response.elapsed == 0
        assert app.live.clock.elapsed() < 60
        await submit(pilot, "where is my order 4567")  # the same request again: no dialog this time
        await settled(app, pilot)
        assert transcript(app).count("Order 4567 is shipped.") == 2


@pytest.mark.parametrize("button, line, kind", [
    ("#timeout", "The order system is slow.", "timeout"),
    ("#error500", "The order system has a problem.", "status"),
    ("#connect", "The order system is down.", "connect"),
])
async def test_a_request_can_be_failed_three_ways(tmp_path, button, line, kind):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        await dialog(pilot, HttpDialog)
        await pilot.click(button)
        await settled(app, pilot)
        assert f"Agent {line}" in transcript(app)
        failed = next(e for e in app.live.trace.events if e.type == "action_failed")
        assert failed.kind == kind


async def test_a_bad_answer_is_explained_and_the_dialog_stays(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        asked.query_one("#body", TextArea).text = "{status: shipped"
        await pilot.click("#answer")
        await pilot.pause()
        assert app.screen is asked
        assert "The body is not JSON" in str(asked.query_one(".dialog--problem").render())
        await pilot.press("escape")  # leave it unanswered: the call stops, as a scenario would
        await settled(app, pilot)
        assert "no http route matches GET https://shop.test/orders/4567" in transcript(app)
        assert app.live.call.ended


async def test_a_loopback_request_can_pass_through_to_the_real_server(tmp_path, local_server):
    app = make(shop(tmp_path, local_server))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        assert not asked.query_one("#pass", Button).disabled
        await pilot.click("#pass")
        await settled(app, pilot)
        assert "Agent Order 4567 is on the truck." in transcript(app)
        response = next(e for e in app.live.trace.events if e.type == "http_response")
        assert response.live and response.json_["auth"].startswith("Bearer [redacted")  # sent for real, redacted


async def test_a_dialled_number_no_phone_describes_is_played_in_a_dialog(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "sales please")
        asked = await dialog(pilot, PhoneDialog)
        assert "+14155550123" in str(asked.query_one(".dialog--request").render())
        assert "to_sales: a cold transfer; it rings for up to 30s (answering later is no answer)." in dialog_text(asked)
        await pilot.click("#busy")
        await settled(app, pilot)
        assert "Agent Sales is busy." in transcript(app)
        await submit(pilot, "sales please")  # remembered: busy again, without asking
        await settled(app, pilot)
        assert transcript(app).count("Sales is busy.") == 2


async def test_a_missing_secret_is_asked_for_once_and_never_shown(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOP_TOKEN", raising=False)
    app = make(shop(tmp_path), secrets={})
    async with app.run_test(size=(120, 40)) as pilot:
        asked = await dialog(pilot, SecretDialog)
        assert asked.query_one(".dialog--box").border_title == "Secret SHOP_TOKEN"
        await pilot.press(*"tok-from-dialog", "enter")
        await settled(app, pilot)
        assert "Hello, this is the shop" in transcript(app)
        app.action_new_call()  # a new call: not asked again
        await settled(app, pilot)
        assert not isinstance(app.screen, SecretDialog)
        assert app.live.secrets == {"SHOP_TOKEN": "tok-from-dialog"}


async def test_export_writes_the_answered_fakes_and_never_a_setup_error(tmp_path):
    root = shop(tmp_path)
    app = make(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        asked.query_one("#body", TextArea).text = '{"status": "shipped"}'
        await pilot.click("#answer")
        await settled(app, pilot)
        await submit(pilot, "sales please")
        phone = await dialog(pilot, PhoneDialog)
        phone.query_one("#after", Input).value = "3"
        await pilot.click("#answer")
        await settled(app, pilot)
        exported = app.export(root / "exported.yaml")
    assert exported is not None
    text = exported.read_text()
    data = yaml.safe_load(text)
    assert data["http"] == [{"match": "GET https://shop.test/orders/4567", "json": {"status": "shipped"}}]
    assert data["phones"] == {"+14155550123": {"answer_after": "3s"}}
    assert "tok-123" not in text and "secrets" not in data
    assert "It needs the secret(s) SHOP_TOKEN" in text
    scenario = load_scenario(exported, secrets={"SHOP_TOKEN": "another-token"})
    result = await run_scenario_async(scenario)
    assert result.passed, (result.failures, result.errors)


async def test_an_unanswered_request_is_no_expected_outcome_in_the_export(tmp_path):
    root = shop(tmp_path)
    app = make(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        await dialog(pilot, HttpDialog)
        await pilot.press("escape")
        await settled(app, pilot)
        exported = app.export(root / "stopped.yaml")
    text = exported.read_text()
    assert "- error:" not in text
    assert "# The call stopped on a setup error" in text
    result = await run_scenario_async(load_scenario(exported, secrets={"SHOP_TOKEN": "t"}))
    assert not result.passed and result.errors[0].setup  # run, it stops as loudly as the call did


# By keyboard alone, as a person at a terminal answers: nothing below clicks, sets a widget's value or calls
# a handler; it presses keys where the dialog puts the focus.

def dialog_text(asked: object) -> str:
    return " ".join(str(w.render()) for w in asked.query("Static"))  # type: ignore[attr-defined]


async def answered(app: SimulatorApp, pilot) -> None:
    """The keys pressed closed the dialog (so the call goes on); a dialog still open fails here (bounded, see
    waits.py), saying what it says and where the focus is, not as a hang."""
    def closed() -> bool:
        return not isinstance(app.screen, (HttpDialog, PhoneDialog, SecretDialog))

    try:
        await until(pilot, closed, "the dialog closed")
    except AssertionError:
        problem = " ".join(str(w.render()) for w in app.screen.query(".dialog--problem"))
        raise AssertionError(f"the dialog is still open (focus on {app.focused!r}; it says {problem!r})") from None
    await settled(app, pilot)


async def test_a_request_is_answered_by_typing_the_body_and_ctrl_s(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        status = asked.query_one("#answer-status", Input)
        assert status.region.height == 3 and status.content_region.height == 1  # its value row is shown
        assert "ctrl+s or enter: answer" in dialog_text(asked) and "esc: leave it unanswered" in dialog_text(asked)
        await pilot.press(*'{"status": "shipped"}')  # typed over the {} the body starts with
        await pilot.press("ctrl+s")
        await answered(app, pilot)
        assert "Agent Order 4567 is shipped." in transcript(app)


async def test_a_request_is_answered_by_tab_to_answer_and_enter(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        await pilot.press(*'{"status": "packed"}', "tab")
        assert app.focused is asked.query_one("#answer", Button)
        await pilot.press("enter")
        await answered(app, pilot)
        assert "Agent Order 4567 is packed." in transcript(app)


async def test_a_status_typed_in_its_field_answers_on_enter(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        await dialog(pilot, HttpDialog)
        await pilot.press("shift+tab", "backspace", "backspace", "backspace", *"503", "enter")
        await answered(app, pilot)
        assert "Agent The order system has a problem." in transcript(app)
        response = next(e for e in app.live.trace.events if e.type == "http_response")
        assert response.status == 503


@pytest.mark.parametrize("keys, line, kind", [
    (("tab",) * 2 + ("enter",), "The order system is slow.", "timeout"),  # body -> Answer -> (Pass through is off) Timeout
    (("tab",) * 3 + ("enter",), "The order system has a problem.", "status"),
    (("tab",) * 4 + ("enter",), "The order system is down.", "connect"),
    # halfway through a body, the person fails it by its key instead, without leaving the body
    ((*'{"sta', "ctrl+t"), "The order system is slow.", "timeout"),
    ((*'{"sta', "ctrl+r"), "The order system has a problem.", "status"),
    ((*'{"sta', "ctrl+o"), "The order system is down.", "connect"),
])
async def test_a_request_is_failed_by_keyboard_alone(tmp_path, keys, line, kind):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        await dialog(pilot, HttpDialog)
        await pilot.press(*keys)
        await answered(app, pilot)
        assert f"Agent {line}" in transcript(app)
        failed = next(e for e in app.live.trace.events if e.type == "action_failed")
        assert failed.kind == kind


@pytest.mark.parametrize("keys", [("tab", "tab", "enter"), ("ctrl+p",)])  # to its button, or by its key
async def test_a_request_passes_through_by_keyboard_alone(tmp_path, local_server, keys):
    app = make(shop(tmp_path, local_server))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        await dialog(pilot, HttpDialog)
        await pilot.press(*keys)
        await answered(app, pilot)
        assert "Agent Order 4567 is on the truck." in transcript(app)


async def test_a_dialog_in_an_80_by_24_terminal_opens_on_the_request_itself(tmp_path):
    """Focusing the body scrolled the box down to it: the person saw a status and a body, not what was asked."""
    agent = Path(__file__).resolve().parents[2] / "scenarios" / "telephony" / "agent.yaml"
    app = build_app(agent=agent, voice=False, start=START, monotonic=Clock(), traces=tmp_path,
                    data={"account_id": "NW-1", "language": "en"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(app, pilot)
        await submit(pilot, "what is my balance, my pin is 4321")
        asked = await dialog(pilot, HttpDialog)
        await pilot.pause()
        box, request = asked.query_one(".dialog--box"), asked.query_one(".dialog--request")
        assert box.max_scroll_y > 0  # the box is taller than the terminal: it scrolls
        assert box.scroll_y == 0 and box.content_region.contains(request.region.x, request.region.y)
        assert isinstance(asked.focused, TextArea)  # and typing still goes into the body


async def test_the_key_line_of_a_dialog_in_an_80_column_terminal_still_says_how_to_leave_it(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        line = str(asked.query_one(KeyBar).render())
        assert line.startswith("^S Answer  ^P Pass through") and line.endswith("Esc Leave unanswered")
        assert len(line) <= 78


async def test_a_body_that_is_no_json_is_explained_in_view_and_mended_by_keyboard(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(100, 24)) as pilot:  # a short terminal: the dialog scrolls, nothing is cut off
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        await pilot.press(*'{"status": "shipped"', "tab", "enter")
        await pilot.pause()
        assert app.screen is asked
        problem = asked.query_one(".dialog--problem")
        assert "The body is not JSON" in str(problem.render())
        assert problem.region.height and asked.query_one(".dialog--box").region.contains_region(problem.region)
        assert app.focused is asked.query_one("#body", TextArea)  # back where it is mended
        await pilot.press("}", "ctrl+s")
        await answered(app, pilot)
        assert "Agent Order 4567 is shipped." in transcript(app)


async def test_escape_from_the_body_leaves_the_request_unanswered(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        await dialog(pilot, HttpDialog)
        await pilot.press("escape")
        await answered(app, pilot)
        shown = " ".join(transcript(app).split())
        assert "no http route matches GET https://shop.test/orders/4567" in shown
        assert "scenario has no" not in shown and "scenario's http: list" not in shown  # a free call plays none
        assert "under defaults: http: in the agent's file" in shown
        assert app.live.call.ended


async def test_a_dialled_number_is_answered_after_seconds_typed_and_enter(tmp_path):
    root = shop(tmp_path)
    app = make(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "sales please")
        asked = await dialog(pilot, PhoneDialog)
        assert "enter: a person answers after the seconds given" in dialog_text(asked)
        await pilot.press("shift+tab", "backspace", "2", "enter")  # from Answer back to the seconds
        await answered(app, pilot)
        assert "Agent Putting you through." in transcript(app)
        exported = app.export(root / "exported.yaml")
    assert yaml.safe_load(exported.read_text())["phones"] == {"+14155550123": {"answer_after": "2s"}}


async def test_the_pass_through_key_says_why_it_is_off(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen is asked  # still asking: shop.test is not this machine
        assert "Pass through is off: shop.test is not this machine" in str(asked.query_one(".dialog--problem").render())


async def test_the_dialog_shows_its_keys_and_the_key_line_lists_them(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        text = dialog_text(asked)
        assert "ctrl+p: pass through" in text
        assert "ctrl+t: timeout, ctrl+r: 500, ctrl+o: connection error" in text
        line = asked.query_one(KeyBar)
        assert str(line.render()) == ("^S Answer  ^P Pass through  ^T Timeout  ^R 500  ^O Connection error  "
                                      "Esc Leave unanswered")
        assert line.region.y == 39  # the screen's bottom line, where the simulator's keys were
        await pilot.click(KeyBar, offset=(33, 0))  # on "^T Timeout": the keys click too
        await answered(app, pilot)
        assert "Agent The order system is slow." in transcript(app)


STARTING = """\
  greet_known_caller:
    type: http
    trigger: {on: call_start}
    request: {url: "https://crm.test/callers/{{ call.from }}", timeout: 3s}
    save: {caller_name: $.name}
    say: Welcome back, {{ caller_name }}.
    on_error: {say: I could not find your account.}
"""


async def test_a_request_at_call_start_is_asked_in_a_dialog_too(tmp_path):
    root = shop(tmp_path)
    (root / "actions.yaml").write_text((root / "actions.yaml").read_text() + STARTING)
    (root / "agent.yaml").write_text(AGENT.replace("actions: [", "actions: [greet_known_caller, "))
    app = make(root)
    async with app.run_test(size=(120, 40)) as pilot:
        asked = await dialog(pilot, HttpDialog)
        assert "GET https://crm.test/callers/%2B14155550100" in dialog_text(asked)
        await pilot.press(*'{"name": "Jo"}', "ctrl+s")
        await answered(app, pilot)
        assert "Agent Welcome back, Jo." in transcript(app)
        exported = app.export(root / "exported.yaml")
        assert yaml.safe_load(exported.read_text())["http"] == [
            {"match": "GET https://crm.test/callers/%2B14155550100", "json": {"name": "Jo"}}]
        await pilot.press("ctrl+n")  # a new call starts with its own fakes: asked again, by key as well
        await dialog(pilot, HttpDialog)
        await pilot.press("ctrl+o")
        await answered(app, pilot)
        assert "Agent I could not find your account." in transcript(app)
        assert not app.live.call.ended


BILLING = """\
  to_billing:
    type: transfer
    trigger: {phrases: ["billing please"]}
    say: Connecting you to billing.
    destination: "+14155550124"
    mode: warm
    whisper: A caller for billing.
    ring_timeout: 30s
    on_busy: {say: Billing is busy.}
    on_no_answer: {say: Billing is not answering.}
    on_declined: {say: Billing cannot take the call.}
    on_fail: {say: The billing line is down.}
"""


def billing(root: Path) -> Path:
    shop(root)
    (root / "actions.yaml").write_text((root / "actions.yaml").read_text() + BILLING)
    (root / "agent.yaml").write_text(AGENT.replace("actions: [", "actions: [to_billing, "))
    return root


# each outcome a scenario's phones: gives, by its key: on the Answer button the dialog focuses, or typed in
# the seconds field (which takes digits only, so a letter is the outcome's key there too)
@pytest.mark.parametrize("keys, phone, line, outcome", [
    (("b",), {"busy": True}, "Billing is busy.", "busy"),
    (("shift+tab", "n"), {"no_answer": True}, "Billing is not answering.", "no_answer"),
    (("v",), {"answer_after": "5s", "voicemail": True}, "Billing is not answering.", "no_answer"),  # warm: a person
    (("shift+tab", "backspace", "3", "d"), {"answer_after": "3s", "declines": True}, "Billing cannot take the call.",
     "declined"),
    (("f",), {"fails": True}, "The billing line is down.", "failed"),
    (("enter",), {"answer_after": "5s"}, "Connecting you to billing.", "connected"),
])
async def test_each_phone_outcome_has_its_key_and_exports_as_a_scenario_writes_it(tmp_path, keys, phone, line,
                                                                                  outcome):
    root = billing(tmp_path)
    app = make(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "billing please")
        await dialog(pilot, PhoneDialog)
        await pilot.press(*keys)
        await answered(app, pilot)
        assert f"Agent {line}" in transcript(app)
        assert app.live.call.variables.get("transfer.outcome") == outcome
        exported = app.export(root / "exported.yaml")
    assert yaml.safe_load(exported.read_text())["phones"] == {"+14155550124": phone}
    result = await run_scenario_async(load_scenario(exported, secrets={"SHOP_TOKEN": "t"}))
    assert result.passed, (result.failures, result.errors)  # the export plays the same outcome again


async def test_the_phone_dialog_lists_its_keys_in_the_dialog_and_the_key_line(tmp_path):
    app = make(billing(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await submit(pilot, "billing please")
        asked = await dialog(pilot, PhoneDialog)
        text = dialog_text(asked)
        assert ("to_billing: a warm transfer; it rings for up to 30s (answering later is no answer), then briefs "
                "whoever answers (voicemail is no answer: a warm transfer needs a person).") in " ".join(text.split())
        assert "b: busy · n: no answer · v: voicemail answers · d: a person answers, then declines" in text
        assert "f: the call fails (503)" in text
        line = asked.query_one(KeyBar)
        assert str(line.render()) == "B Busy  N No answer  V Voicemail  D Declines  F Fails  Esc Leave unanswered"
        for button in asked.query(Button):  # every outcome's button is on screen in an 80×24 terminal
            assert asked.query_one(".dialog--box").region.contains_region(button.region), button.id
        await pilot.click(KeyBar, offset=(3, 0))  # on "B Busy": the keys click too
        await answered(app, pilot)
        assert "Agent Billing is busy." in transcript(app)


async def test_the_request_dialog_says_what_the_action_reads_and_starts_the_body_with_it(tmp_path):
    app = make(shop(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        assert "The action reads $.status into order_status" in dialog_text(asked)
        assert asked.query_one("#body", TextArea).text == '{"status": ""}'
        await pilot.press("right", "left", "left", *"shipped", "ctrl+s")  # into the quotes, then the value
        await answered(app, pilot)
        assert "Agent Order 4567 is shipped." in transcript(app)


async def test_the_simulators_keys_wait_while_a_dialog_is_open(tmp_path):
    root = shop(tmp_path)
    app = make(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        asked = await dialog(pilot, HttpDialog)
        # F2 panels, F3 keypad, F6 export, F7 hang up, F8 tabs, ctrl+n new call: none reaches the call
        await pilot.press("f2", "f3", "f6", "f7", "f8", "ctrl+n")
        assert app.screen is asked
        await pilot.press(*'{"status": "shipped"}', "ctrl+s")
        await answered(app, pilot)
        text = transcript(app)
        assert "Agent Order 4567 is shipped." in text
        assert "New call." not in text and "Exported" not in text and not app.live.call.ended
        assert not app.screen.has_class("-show-keypad") and not app.screen.has_class("-show-side")
        assert app.backends_panel.tabs.active == "phone" and not list(root.glob("recorded_*.yaml"))


async def test_f5_waits_while_the_help_is_open(tmp_path):
    root = shop(tmp_path)
    (root / "scenario.yaml").write_text("scenario: sales\nagent: agent.yaml\nsecrets: {SHOP_TOKEN: t}\n"
                                        "phones: {'+14155550123': {answer_after: 2s}}\nturns:\n"
                                        "  - caller: sales please\n")
    app = build_app(scenario=root / "scenario.yaml", voice=False, start=START, monotonic=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(app, pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help shown")
        await pilot.press("f5", "f5")
        await pilot.press("escape")
        await settled(app, pilot)
        assert app.live.turn_index == 0 and "Caller sales please" not in transcript(app)
        await pilot.press("f5")  # the help closed: F5 plays the turn
        await settled(app, pilot)
        assert app.live.turn_index == 1 and "Caller sales please" in transcript(app)
