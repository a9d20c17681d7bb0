"""A minimal valid callsim project in tmp_path, so that each test changes one thing in it."""

from __future__ import annotations

import os
import re
import sys
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from callsim import cli as callsim_cli
from callsim import console_script

os.environ["CALLSIM_NO_CACHE"] = "1"  # no test depends on a warm cache (tests/test_config_cache.py turns it on)

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

AGENT = """\
agent: test-agent
greeting: Hello, how can I help?
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
    request:
      url: https://api.test/orders/{{ order_number }}
      timeout: 5s
    save: {order_status: $.status}
    say: Order {{ order_number }} is {{ order_status }}.
"""

SCENARIO = """\
scenario: order lookup
agent: agent.yaml
http:
  - {match: GET https://api.test/orders/4567, json: {status: shipped}}
turns:
  - caller: where is my order, it's 4567
  - expect: {agent_said: Order 4567 is shipped}
"""


@dataclass
class Project:
    """Files of a small valid project: agent.yaml, actions.yaml and scenario.yaml."""

    root: Path

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def edit(self, name: str, old: str, new: str) -> Path:
        """Replace `old` (which must occur exactly once) with `new`, so that a test cannot silently change nothing."""
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path

    def locate(self, name: str, needle: str) -> tuple[int, int]:
        """The 1-based (line, column) where `needle` (which must occur exactly once) starts in file `name`."""
        text = (self.root / name).read_text(encoding="utf-8")
        assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times in {name}"
        before = text[: text.index(needle)]
        return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1

    @property
    def agent(self) -> Path:
        return self.root / "agent.yaml"

    @property
    def actions(self) -> Path:
        return self.root / "actions.yaml"

    @property
    def scenario(self) -> Path:
        return self.root / "scenario.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    files = Project(tmp_path)
    files.write("agent.yaml", AGENT)
    files.write("actions.yaml", ACTIONS)
    files.write("scenario.yaml", SCENARIO)
    return files


@dataclass
class Outcome:
    """What a `callsim` command did: its exit code and what it printed (without colour codes)."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def cli(project, capsys, monkeypatch):
    """Run `callsim ARGS...` in the project folder; an uncaught exception becomes a traceback and exit 1, as in a shell."""
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping inside file:line:col messages (help is drawn at call time)
    monkeypatch.setenv("NO_COLOR", "1")
    for console in [v for v in vars(callsim_cli).values() if isinstance(v, Console)]:  # sized at import: resize them too
        monkeypatch.setattr(console, "width", 1000)

    def invoke(*args: str | Path, main=console_script.main) -> Outcome:
        """As the console script runs it (`console_script.main`), or through another entry, e.g. `cli.main`."""
        monkeypatch.setattr(sys, "argv", ["callsim", *map(str, args)])
        code, crash = 0, ""
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except Exception:
            code, crash = 1, traceback.format_exc()
        captured = capsys.readouterr()
        return Outcome(code, ANSI.sub("", captured.out), ANSI.sub("", captured.err) + crash)

    return invoke


SECRET_AGENT = """\
agent: shop
greeting: Hello, shop here.
variables:
  order_number: {type: digits, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup]
"""
SECRET_ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request:
      url: "https://api.shop.test/orders/{{ order_number }}"
      headers: {Authorization: "Bearer {{ secrets.SHOP_TOKEN }}"}
      timeout: 5s
    save: {status: $.status}
    say: Order {{ order_number }} is {{ status }}.
    on_error: {say: Our order system is not answering right now.}
  unattached:
    type: http
    request: {url: "https://api.shop.test/x?key={{ secrets.OTHER_TOKEN }}"}
"""


@pytest.fixture
def secret_shop(project, monkeypatch):
    """A project whose lookup action sends {{ secrets.SHOP_TOKEN }} (and an action it never runs reads
    OTHER_TOKEN); neither is in the environment."""
    monkeypatch.delenv("SHOP_TOKEN", raising=False)
    monkeypatch.delenv("OTHER_TOKEN", raising=False)
    project.write("agent.yaml", SECRET_AGENT)
    project.write("actions.yaml", SECRET_ACTIONS)
    return project
