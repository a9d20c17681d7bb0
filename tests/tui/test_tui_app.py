"""The simulator driven like a person would: type turns, press keys, and read the panes."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, RichLog, Static

from callsim.config.project import load_scenario
from callsim.runner import run_scenario_async
from callsim.trace.events import ActionFailed, ActionStarted, Answered, Event, SlotAsked
from callsim.trace.trace import read_trace
from callsim.tui.app import SimulatorApp, build_app
from callsim.tui.dialogs import HttpDialog
from callsim.tui.widgets import ActionsPanel, VariablesTable
from callsim.tui.widgets.backends import BackendsPanel, MessagesPane, PhonePane
from waits import dialog, submit, until

pytestmark = pytest.mark.anyio

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))

AGENT = """\
agent: shop
greeting: Hello, this is the shop. How can I help?
fallback: I can look up orders and text you a code.
timezone: America/New_York
variables:
  order_number: {type: digits, length: 4-8, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup_order, text_code]
"""
ACTIONS = """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://shop.test/orders/{{ order_number }}", timeout: 5s}
    save: {order_status: $.status}
    say: Order {{ order_number }} is {{ order_status }}.
    on_error: {say: The order system is down.}
  text_code:
    type: message
    trigger: {phrases: ["text me a code"]}
    channel: sms
    to: "{{ call.from }}"
    body: Your code is 1234. Reply YES to confirm.
    await_reply: 2m
    save_reply: confirmation
    say: I sent you a text.
    on_timeout: {say: I did not get your reply.}
"""
SCENARIO = """\
scenario: order lookup by phone
agent: agent.yaml
now: 2026-11-30T15:00:00-05:00
http:
  - {match: GET https://shop.test/orders/4567, json: {status: shipped}}
turns:
  - caller: where is my order
  - expect: {agent_said: order number}
  - caller: four five six seven
  - expect:
      - action: lookup_order
      - agent_said: Order 4567 is shipped
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    for name, text in (("agent.yaml", AGENT), ("actions.yaml", ACTIONS), ("scenario.yaml", SCENARIO)):
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def make(shop: Path, scenario: bool = True) -> SimulatorApp:
    target = {"scenario": shop / "scenario.yaml"} if scenario else {"agent": shop / "agent.yaml"}
    return build_app(**target, voice=False, start=START, monotonic=lambda: 0.0, traces=shop / "traces")


def transcript(app: SimulatorApp) -> str:
    """The transcript's text with wrapped lines joined and runs of spaces collapsed."""
    return " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)


async def say(app: SimulatorApp, pilot, text: str) -> None:
    """Put a line in the input and press enter (typing each key is covered once, in the first test)."""
    await submit(pilot, text)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_typed_turns_fill_transcript_actions_and_variables(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"where is my order", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Caller where is my order" in transcript(app)
        assert "Agent What is your order number?" in transcript(app)
        await say(app, pilot, "it is 4567")
        assert "Agent Order 4567 is shipped." in transcript(app)
        run = app.query_one(ActionsPanel).runs["lookup_order"]
        assert run.state == "ok" and "lookup_order (http)  ok" in str(run.node.label)
        details = "\n".join(run.detail_lines)
        assert "trigger lookup_order by phrase 'where is my order'" in details
        assert "→ GET https://shop.test/orders/4567" in details and '← 200' in details and '"shipped"' in details
        table = app.query_one(VariablesTable)
        assert table.values["order_number"] == "4567" and table.values["order_status"] == "shipped"
        assert table.sources["order_status"] == "action:lookup_order"
        assert str(table.get_cell("order_status", "source")) == "action:lookup…"  # cut to its column


async def test_failed_action_is_marked_and_expands(shop: Path) -> None:
    app = make(shop, scenario=False)  # no fake routes: the request is asked about, left unanswered, fails the call
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, "where is my order, it's 4567")
        await dialog(pilot, HttpDialog)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.query_one(ActionsPanel)
        run = panel.runs["lookup_order"]
        assert run.state == "stopped"  # it never finished: the unmatched request ended the call
        assert run.result == "stopped: the call ended (error)"
        assert "no http route matches GET https://shop.test/orders/4567" in transcript(app)
        assert app.query_one(PhonePane).query_one("#phone-state").render().plain == "☎ call ended"
        assert not run.node.is_expanded
        await pilot.click(panel, offset=(4, 1))  # the run's row, under the border
        await pilot.pause()
        assert run.node.is_expanded
        shown = [str(child.label) for child in run.node.children]
        assert any("→ GET https://shop.test/orders/4567" in line for line in shown)


async def test_commands_explain_their_usage_and_the_call_goes_on(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        for bad in ("/dtmf 12x", "/wait soon", "/reply", "/frobnicate", "/hangup now"):
            await say(app, pilot, bad)
        text = transcript(app)
        assert "Usage: /dtmf KEYS" in text and "'12x' holds keys a phone does not have" in text
        assert "Usage: /wait DURATION" in text and "'soon' is not a duration" in text
        assert "Usage: /reply [sms|whatsapp] TEXT" in text
        assert "Unknown command /frobnicate" in text
        assert "/hangup — hang up; the post-call actions run (F7). It takes no argument." in text
        await say(app, pilot, "where is my order")
        assert "What is your order number?" in transcript(app)


async def test_wait_fast_forwards_the_call_clock_and_fires_the_reply_timeout(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "text me a code")
        assert "SMS → +14155550100: Your code is 1234" in transcript(app)
        tabs = app.query_one(BackendsPanel).tabs
        assert str(tabs.get_tab("messages").label) == "Messages •"  # news in a hidden tab
        before = app.live.clock.elapsed()
        await say(app, pilot, "/wait 3m")
        assert app.live.clock.elapsed() - before >= 180
        text = transcript(app)
        assert "⏩ 180s pass" in text and "I did not get your reply." in text
        thread = app.query_one(MessagesPane).query_one("#messages-view").render().plain
        assert "SMS +14155550100" in thread and "no sms reply" in thread


async def test_the_keys_line_lists_what_works_now_and_its_keys_click(shop: Path) -> None:
    free_call = make(shop, scenario=False)
    async with free_call.run_test(size=(120, 40)) as pilot:
        await free_call.workers.wait_for_complete()
        await pilot.pause()
        keys = str(free_call.query_one("#keys").render())
        # no F5 (no scenario), no F4 (no voice)
        assert keys == "F1 Help  F2 Panels  F3 Keypad  F6 Export  F7 Hang up  F8 Tabs  ^S Save  ^N New call"
        await pilot.click("#keys", offset=(22, 0))  # on "F3 Keypad"
        await pilot.pause()
        assert free_call.screen.has_class("-show-keypad")
    app = make(shop)
    async with app.run_test(size=(60, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys = str(app.query_one("#keys").render())
        assert keys.startswith("F1 Help") and "F5 Next turn" in keys and len(keys) <= 58  # what fits; F1 lists the rest


async def test_reply_and_keypad_reach_the_call(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "text me a code")
        assert "The agent waits 2m for a text back: /reply TEXT answers it from +14155550100." in transcript(app)
        await say(app, pilot, "/reply YES")
        assert "SMS ← +14155550100: YES" in transcript(app)
        assert app.query_one(VariablesTable).values["confirmation"] == "YES"
        await pilot.press("f3")
        await pilot.click("#key-pound")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "⌨ pressed #" in transcript(app)
        assert app.live.call.variables.get("dtmf") == "#"


async def test_stepping_a_scenario_checks_its_expectations(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        progress = []
        for _ in range(3):
            await pilot.press("f5")
            await app.workers.wait_for_complete()
            await pilot.pause()
            progress.append(app.status_bar.status.scenario)
        # counted as the first screen counts them ("F5 plays its 2 turns"): what the caller does, not the checks
        assert progress == ["scenario turn 1/2, 1 ✓ 0 ✗", "scenario turn 2/2, 3 ✓ 0 ✗", "scenario turn 2/2, 4 ✓ 0 ✗"]
        text = transcript(app)
        assert "✓ line 8: agent_said: \"order number\"" in text
        assert "✓ line 12: agent_said: \"Order 4567 is shipped\"" in text
        assert "Scenario finished: 4 checks passed, 0 failed." in text  # and its http route was used
        assert app.live.call.ended


async def test_stepping_a_persona_scenario_fills_in_the_callers_details() -> None:
    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "acme" / "persona_update_email.yaml"
    app = build_app(scenario=scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):  # two caller turns and their checks, the end of the call, and two more
            await pilot.press("f5")
            await app.workers.wait_for_complete()
            await pilot.pause()
        text = transcript(app)
        assert "{{" not in text
        assert text.count("Scenario finished") == 1
        assert text.count("The scenario has finished: F5 has no turn left") == 1
        email = app.live.call.setup.persona["email"]
        assert f"✓ line 13: extracted: {{\"email\": \"{email}\"}}" in text
        # its own 3, its http route used, and the 3 rules of scenarios/suite.yaml
        assert "Scenario finished: 7 checks passed, 0 failed." in text


@pytest.mark.parametrize("name, checks, seen", [  # checks: its own, its fakes used, scenarios/suite.yaml's 3 rules
    ("caller_cuts_into_the_fallback_menu", 9, "agent cut off after 3 of 11 words"),
    ("caller_hangs_up_while_the_order_lookup_is_slow", 10, "action lookup_order abandoned after 2s")])
async def test_stepping_a_scenario_plays_barge_ins_and_timed_hang_ups(name: str, checks: int, seen: str) -> None:
    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "acme" / f"{name}.yaml"
    app = build_app(scenario=scenario, voice=False, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.press("f5")
            await app.workers.wait_for_complete()
            await pilot.pause()
        text = transcript(app)
        assert f"Scenario finished: {checks} checks passed, 0 failed." in text
        assert seen in text


async def test_save_and_export_make_a_trace_and_a_scenario_that_replays(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "where is my order")
        await say(app, pilot, "four five six seven")
        await say(app, pilot, "text me a code")
        assert "The agent waits 2m for a text back: /reply TEXT answers it from +14155550100." in transcript(app)
        await say(app, pilot, "/reply YES")
        await say(app, pilot, "/hangup")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = next((shop / "traces" / "tui").glob("*.jsonl"))
        assert not (shop / "recordings").exists()  # a hand-driven call is not a golden recording
        assert [e.type for e in read_trace(saved).events][-1] == "call_ended"
        exported = app.export(shop / "exported.yaml")
    assert exported is not None
    text = exported.read_text()
    assert "caller: where is my order" in text and "reply: 'YES'" in text and "hangup: true" in text
    assert "- action: lookup_order" in text and "to: '+14155550100'" in text
    result = await run_scenario_async(load_scenario(exported))  # valid, as `callsim validate` would say
    assert result.passed, [f.failure for f in result.failures] + result.errors
    assert result.checks >= 8


async def test_too_small_terminal_says_so_and_the_call_goes_on(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        assert "needs at least 60×15" in app.query_one("#too-small").render().plain
        await pilot.press(*"where is my order", "enter")
        await app.workers.wait_for_complete()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        assert "What is your order number?" in transcript(app)


async def test_push_to_talk_without_voice_explains_itself(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert "Voice is off in this session" in transcript(app)


async def test_new_call_starts_over(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "where is my order")
        await pilot.press("f7")  # hang up by key
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "call ended by caller (hangup)" in transcript(app)
        assert "The call is over: ctrl+n starts a new call; ctrl+s saves its trace, F6 exports it" in transcript(app)
        await say(app, pilot, "hello again")
        assert "The call has ended" in transcript(app)
        await say(app, pilot, "/new")
        assert "Hello, this is the shop" in transcript(app) and "where is my order" not in transcript(app)
        assert app.query_one(VariablesTable).shown["order_number"] == "not set"
        assert not app.live.call.ended


@dataclass(slots=True)
class TransferParked(Event):
    """An event type this version of the simulator has never heard of."""

    type: ClassVar[str] = "transfer_parked"
    action: str
    slot: int

    def summary(self) -> str:
        return f"☎ parked in slot {self.slot}"


async def test_unknown_event_types_still_show_up(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # connected: the call's trace is the one the panes listen to
        app.live.trace.emit(TransferParked(action="transfer_billing", slot=7))
        app.live.trace.emit(SlotAsked(variable="order_number", action="lookup_order", attempt=1))
        await pilot.pause()
        assert "☎ parked in slot 7" in transcript(app)  # by its summary
        assert "ask for order_number" not in transcript(app)  # known, and not part of the conversation
        phone = app.query_one(PhonePane).query_one("#phone-log").lines
        assert any("parked in slot 7" in line.text for line in phone)  # a transfer_* event is the phone's
        app.query_one(BackendsPanel).tabs.active = "events"  # a hidden log renders once shown (laid out)
        log = app.query_one("#events-log", RichLog)
        await until(pilot, lambda: log.lines, "the shown Events tab's first lines")
        events = " ".join(line.text for line in log.lines)
        assert "transfer_parked" not in events and "parked in slot 7" in events and "ask for order_number" in events


async def test_the_events_tab_hangs_wrapped_lines_under_their_text_and_colours_what_they_are(shop: Path) -> None:
    """Wrapped lines ran back to the first column, under the times, and every line had one colour."""
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "where is my order")
        await say(app, pilot, "it's 4567")
        app.query_one(BackendsPanel).tabs.active = "events"
        await pilot.pause()
        log = app.query_one("#events-log", RichLog)
        texts = [line.text for line in log.lines]
        assert any(text.startswith(" " * 17) and text.strip() for text in texts)  # a wrapped line, hung
        for text in texts:
            assert text[:2] == "00" or text.startswith(" " * 17), text
        def colour(fragment: str):
            line = next(line for line in log.lines if fragment in line.text)
            return next(seg.style.color for seg in line if fragment in seg.text)
        assert len({colour("caller: where is my order"), colour("agent: What is your order number"),
                    colour("order_number = '4567'")}) == 3


async def test_the_phone_and_events_logs_wrap_long_lines_to_their_pane(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # connected: the call's trace is the one the panes listen to
        app.live.trace.emit(Answered(action="transfer_billing", leg="leg-1", by="voicemail", after=12,
                                     destination="sip:front-desk-overflow@pbx.northwind.example.com"))
        await pilot.pause()
        panel = app.query_one(BackendsPanel)
        for tab in ("phone", "events"):
            panel.tabs.active = tab
            log = app.query_one(f"#{tab}-log", RichLog)
            await until(pilot, lambda: log.lines, f"the shown {tab} tab's first lines")  # once laid out
            assert "after 12s of ringing" in " ".join(line.text.strip() for line in log.lines)  # all of it, wrapped
            width = log.scrollable_content_region.width
            assert max(line.cell_length for line in log.lines) <= width, f"the {tab} log runs past its pane"
        await pilot.resize_terminal(200, 40)  # wider, then narrower than it was written at: wrapped again
        await pilot.pause()
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        log = app.query_one("#events-log", RichLog)
        assert max(line.cell_length for line in log.lines) <= log.scrollable_content_region.width
        assert "after 12s of ringing" in " ".join(line.text.strip() for line in log.lines)


async def test_an_action_row_keeps_what_it_came_to_whole_in_a_narrow_panel(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(ActionsPanel)
        app.live.trace.emit(ActionStarted(action="update_customer_email_address", action_type="http", reason=""))
        app.live.trace.emit(ActionFailed(action="update_customer_email_address", kind="missing_variable",
                                         error="variable 'crm_id' has no value"))
        await pilot.pause()
        row = str(panel.runs["update_customer_email_address"].node.label)
        assert row.endswith("failed: missing_variable") and " updat…  failed" in row  # the name is cut, not the result
        assert len(row) <= panel.scrollable_content_region.width - 2
        await pilot.resize_terminal(200, 40)  # wider: the type comes back
        await pilot.pause()
        assert "update_customer_email_address (http)  failed: missing_variable" in str(
            panel.runs["update_customer_email_address"].node.label)


async def test_the_simulators_styles_reach_no_other_widget_that_shares_an_id(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")  # the keypad is mounted when first shown
        await pilot.pause()
        ids = sorted(widget.id for widget in app.screen.walk_children() if widget.id and widget.id[0] != "-")
        assert {"status", "keys", "title", "main", "say", "partial", "keypad", "too-small", "variables"} <= set(ids)
        elsewhere = ModalScreen[None]()
        await app.push_screen(elsewhere)
        await elsewhere.mount_all([Static("one\ntwo\nthree", id=name) for name in ids])
        await pilot.pause()
        for widget in elsewhere.query(Static):  # plain, shown, three lines: no border, no 1fr, no display: none
            assert widget.display and widget.region.height == 3, f"#{widget.id} took the simulator's #{widget.id} style"
        app.pop_screen()
        await pilot.pause()
        for bar in ("#status", "#keys", "#title"):  # the bars themselves keep their one line
            assert app.query_one(bar).region.height == 1
        assert app.query_one("#keypad").region.height == 15 and not app.query_one("#partial").display


async def test_keys_pressed_while_a_turn_plays_wait_for_it(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        async with app.live.clock.lock:  # the call is busy (a slow server, a reply still being painted)
            await pilot.press("f5", "f5", "f5")  # a person presses F5 again before the turn is over
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = transcript(app)
        assert "✗" not in text  # each turn's expectations checked after it, not halfway through
        assert text.index("Caller where is my order") < text.index("✓ line 8") < text.index("Caller four five")
        assert "Scenario finished: 4 checks passed, 0 failed." in text


async def test_lines_typed_after_the_call_ended_get_one_note(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        async with app.live.clock.lock:  # hung up while a turn still plays; two more lines are typed
            for line in ("/hangup", "hello?", "hello??"):
                app.query_one("#say", Input).value = line
                await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert transcript(app).count("The call has ended") == 1
        await say(app, pilot, "/mute")
        await say(app, pilot, "anyone there?")  # said again once something else was shown
        assert transcript(app).count("The call has ended") == 2


async def test_a_line_that_waited_while_the_call_ended_is_not_said_into_it(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        async with app.live.clock.lock:  # the call's own work holds it (a timeout falling due) ...
            app.query_one("#say", Input).value = "hello?"
            await pilot.press("enter")  # ... while the person types a line
            await app.live.call.hangup("agent", "timeout")  # and that work ends the call
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "The call has ended" in transcript(app)
        assert not [e for e in app.live.trace.events if e.type == "error"]  # the trace holds no turn into an ended call
        assert [step.kind for step in app.live.steps] == []  # nor will an export


async def test_a_note_from_work_still_running_as_the_app_closes_is_dropped(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)):
        await app.workers.wait_for_complete()
    app.note("Scenario mode: ...")  # the call connects in a worker, which may finish as a quick session closes


async def test_f8_steps_through_the_backends_tabs_and_brings_them_into_view(shop: Path) -> None:
    app = make(shop, scenario=False)
    async with app.run_test(size=(120, 40)) as pilot:
        tabs = app.backends_panel.tabs
        await say(app, pilot, "text me a code")
        assert str(tabs.get_tab("messages").label) == "Messages •"  # news while hidden
        seen = []
        for _ in range(4):
            await pilot.press("f8")
            seen.append(tabs.active)
        assert seen == ["messages", "calendar", "events", "phone"]
        assert str(tabs.get_tab("messages").label) == "Messages"  # read once shown
        await pilot.press("f2", "f8")  # F2 hid the side panels: F8 shows them again, on the next tab
        assert not app.screen.has_class("-show-side") and tabs.active == "messages"
    narrow = make(shop, scenario=False)
    async with narrow.run_test(size=(80, 30)) as pilot:
        assert not narrow.query_one("#side").display
        await pilot.press("f8")
        await pilot.pause()
        assert narrow.query_one("#side").display and narrow.backends_panel.tabs.active == "messages"


def typed_fast(app: SimulatorApp, keys: str) -> None:
    """Keys reaching the app faster than it handles them, as from a quick typist or a paste: all posted before
    any is handled (`pilot.press` waits after each key, which hides what a person typing quickly meets)."""
    for key in keys:
        app.post_message(Key("enter" if key == "\n" else key, None if key == "\n" else key))


async def test_a_line_typed_at_once_after_enter_is_kept_whole_and_said_on_its_own(shop: Path) -> None:
    app = make(shop, scenario=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        line = app.query_one("#say", Input)
        typed_fast(app, "where is my order\n4567")
        await until(pilot, lambda: line.value == "4567", "the next line kept in the input")
        await pilot.press("enter")
        await until(pilot, lambda: "Caller 4567" in transcript(app), "the order number said")
        said = [event.text for event in app.live.trace.events if event.type == "caller_said"]
        assert said == ["where is my order", "4567"]


async def test_up_and_down_recall_the_lines_taken_and_the_line_being_typed(shop: Path) -> None:
    app = make(shop, scenario=False)
    async with app.run_test(size=(120, 40)) as pilot:
        line = app.query_one("#say", Input)
        for text in ("/wait 1s", "/reply YES", "/reply YES"):
            await submit(pilot, text)
        await pilot.press(*"where")
        seen = []
        for key in ("up", "up", "up", "down", "down"):
            await pilot.press(key)
            seen.append(line.value)
        assert seen == ["/reply YES", "/wait 1s", "/wait 1s", "/reply YES", "where"]  # a repeat is kept once
        await pilot.press("up", *"NO", "enter")  # a recalled line is edited and entered as any other
        await until(pilot, lambda: line.taken == 4, "the edited line taken")
        assert line.history[-1] == "/reply YESNO" and line.value == ""


async def test_the_status_clock_stops_when_the_call_ends_and_starts_again_with_a_new_call(shop: Path) -> None:
    wall = [0.0]
    app = build_app(scenario=shop / "scenario.yaml", voice=False, start=START, monotonic=lambda: wall[0],
                    traces=shop / "traces")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        wall[0] = 30.0  # half a minute of the call
        await say(app, pilot, "/hangup")
        await app.workers.wait_for_complete()
        ended = next(event.t for event in app.live.trace.events if event.type == "call_ended")
        wall[0] = 600.0  # the person reads the transcript for ten minutes
        app._refresh_status()
        status = app.status_bar.status
        assert status.elapsed == ended and status.state == "ended"
        assert status.clock == (START + dt.timedelta(seconds=ended)).strftime("%a %H:%M:%S UTC-05:00")
        await pilot.press("ctrl+n")  # a new call's clock runs from its own start
        await until(pilot, lambda: app.status_bar.status.state == "connected", "the new call connected")
        wall[0] = 660.0
        app._refresh_status()
        assert 60 <= app.status_bar.status.elapsed < ended + 60


async def test_a_long_text_thread_shows_its_newest_message_with_lines_hung_under_the_text(shop: Path) -> None:
    app = make(shop, scenario=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")  # the Messages tab
        for number in range(8):
            await say(app, pilot, "text me a code")
            await say(app, pilot, f"/reply YES number {number}, and thank you very much for the quick text message")
        await app.workers.wait_for_complete()
        pane = app.query_one(MessagesPane)
        await until(pilot, lambda: pane.scroll_y == pane.max_scroll_y > 0, "the thread scrolled to its end")
        view = pane.view.render().plain.splitlines()
        newest = next(n for n, line in enumerate(view) if "number 7, and thank" in line)
        assert int(pane.scroll_y) <= newest < pane.scroll_y + pane.size.height  # in view
        lead = view[newest].index("YES")
        assert view[newest + 1].startswith(" " * lead) and view[newest + 1].strip()  # hung under the text


async def test_every_transcript_line_starts_its_text_in_one_column_whatsapp_too() -> None:
    agent = Path(__file__).resolve().parents[2] / "scenarios" / "messaging" / "agent.yaml"
    app = build_app(agent=agent, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "directions please")
        await until(pilot, lambda: "I sent our address" in transcript(app), "the agent's answer")
        lines = [line.text for line in app.transcript.lines]
        who = {"Agent", "Caller", "WhatsApp", "SMS"}
        starts = {line.split()[1]: line.index(line.split()[2]) for line in lines
                  if line[:2].isdigit() and line.split()[1] in who}
        assert starts.keys() >= {"Agent", "Caller", "WhatsApp"} and len(set(starts.values())) == 1, starts


async def test_actions_lists_what_sets_off_each_of_the_agents_actions() -> None:
    agent = Path(__file__).resolve().parents[2] / "scenarios" / "telephony" / "agent.yaml"
    app = build_app(agent=agent, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "/actions lists what the agent's 13 actions listen for" in transcript(app),
                    "the first lines pointing to /actions")
        await say(app, pilot, "/actions")
        await until(pilot, lambda: "missed_you_text" in transcript(app), "the list's last action")
        text = transcript(app)
        assert "The agent's 13 actions, and what sets each off:" in text
        assert ('transfer_front_desk (transfer): say "talk to a person", "human", "operator" or "representative"'
                in text)
        assert 'keypad_support (transfer): on keys pressed (F3 opens the keypad); if dtmf == "2"' in text
        assert "transfer_account_manager (transfer): after find_account_manager finished" in text
        assert ('transfer_billing (transfer): say "billing", "talk to billing" or "question about my invoice"; then '
                "asks for caller_name, order_number (if not given yet)") in text
        assert 'missed_you_text (sms): after the call; if transfer.outcome == "abandoned"' in text
        assert not [e for e in app.live.trace.events if e.type == "caller_said"]  # nothing was said on the call
