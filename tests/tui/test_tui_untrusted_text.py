"""The simulator shows what callers, files and servers say without letting it act: secrets are redacted in
every pane, note and export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Static

from callsim.tui.app import SimulatorApp, build_app
from callsim.tui.dialogs import HttpDialog
from callsim.tui.widgets import ActionsPanel, VariablesTable
from waits import showing, submit, until

pytestmark = pytest.mark.anyio

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone.utc)
SECRET = "shop-Key-abcd"
AGENT = """\
agent: shop
greeting: Hello.
variables:
  order_number: {type: digits, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup_order]
"""
ACTIONS = """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://shop.test/orders/{{ order_number }}?key={{ secrets.SHOP_KEY }}", timeout: 5s}
    say: "Checked with {{ secrets.SHOP_KEY | upper }}."
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SHOP_KEY", SECRET)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    return tmp_path


def make(shop: Path) -> SimulatorApp:
    return build_app(agent=shop / "agent.yaml", voice=False, start=START, monotonic=lambda: 0.0,
                     traces=shop / "traces")


def everything_shown(app: SimulatorApp) -> str:
    """The transcript, the actions' details and the variables, as text."""
    lines = [line.text for line in app.query_one("#transcript").lines]
    for run in app.query_one(ActionsPanel).runs.values():
        lines += [run.title(200), *run.detail_lines]
    lines += [str(value) for value in app.query_one(VariablesTable).values.values()]
    return "\n".join(lines)


async def say(app: SimulatorApp, pilot, text: str) -> None:
    """Say `text`; a request it makes reaches the dialog (no route answers it), which must show it safely and
    is left unanswered, so the call stops with the setup error."""
    await submit(pilot, text)
    await until(pilot, lambda: showing(app, HttpDialog) or all(worker.is_finished for worker in app.workers),
                "the line played, or its request asked about")
    if isinstance(app.screen, HttpDialog):
        shown = " ".join(str(widget.render()) for widget in app.screen.query(Static))
        assert "\x1b" not in shown and SECRET not in shown, shown
        await pilot.press("escape")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_secret_typed_sent_or_quoted_in_an_error_shows_nowhere(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, f"my key is {SECRET}, where is my order")
        await say(app, pilot, "4567")  # no route answers: the call stops with an error quoting the URL
        shown = everything_shown(app)
        assert "no http route matches GET https://shop.test/orders/4567?key=[redacted" in " ".join(shown.split())
        exported = app.export(shop / "exported.yaml")
    assert SECRET not in shown and SECRET.upper() not in shown
    assert exported is not None and SECRET not in exported.read_text() and SECRET.upper() not in exported.read_text()


async def test_escape_sequences_and_markup_show_as_text_in_every_pane(shop: Path) -> None:
    app = make(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await say(app, pilot, "where is my order \x1b]0;pwned\x07 \x1b[2J [bold]x[/bold] :smile:")
        await say(app, pilot, "4567 \x1b[31m")
        shown = everything_shown(app)
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b]0;pwned\\x07 \\x1b[2J [bold]x[/bold] :smile:" in " ".join(shown.split())
