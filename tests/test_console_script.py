"""The console script reads a plain `callsim run FILES...` itself (no typer at start-up): it must do
exactly what the full command line does, and leave everything else to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from callsim.cli import main as full_command_line
from callsim.console_script import plain_run

RUN_DEFAULTS = {"record": None, "junit": None, "verbose": False, "coverage": False}


@pytest.mark.parametrize(("args", "options"), [
    (["run", "a.yaml"], {"paths": [Path("a.yaml")]}),
    (["run", "a.yaml", "dir", "-v"], {"paths": [Path("a.yaml"), Path("dir")], "verbose": True}),
    (["run", "--verbose", "a.yaml", "--coverage"], {"paths": [Path("a.yaml")], "verbose": True, "coverage": True}),
    (["run", "a.yaml", "--record", "out", "--junit=j.xml"],
     {"paths": [Path("a.yaml")], "record": Path("out"), "junit": Path("j.xml")}),
    (["run", "--record=out", "a.yaml", "--record", "again"], {"paths": [Path("a.yaml")], "record": Path("again")}),
])
def test_a_plain_run_is_read_by_the_console_script(args, options):
    assert plain_run(args) == {**RUN_DEFAULTS, **options}


@pytest.mark.parametrize("args", [
    [], ["validate", "a.yaml"], ["--version"], ["run"], ["run", "--help"], ["run", "a.yaml", "--help"],
    ["run", "a.yaml", "-h"], ["run", "-vv", "a.yaml"], ["run", "a.yaml", "--verbos"], ["run", "--", "a.yaml"],
    ["run", "-", "a.yaml"], ["run", "a.yaml", "--record"], ["run", "a.yaml", "--record", "-v"],
    ["run", "a.yaml", "--junit="], ["run", ""], ["run", "a.yaml", "--record-dir", "x"],
])
def test_anything_else_goes_to_the_full_command_line(args):
    assert plain_run(args) is None


def test_the_completion_request_goes_to_the_full_command_line(monkeypatch):
    monkeypatch.setenv("_CALLSIM_COMPLETE", "bash_complete")

    assert plain_run(["run", "a.yaml"]) is None


def _steady(text: str) -> str:
    """Output without what differs between two runs of the same call: wall times (and the column widths
    they give the table)."""
    return re.sub(r"[ ━]+", " ", re.sub(r"\d+(\.\d+)? ?m?s\b", "T", text))


@pytest.mark.parametrize("args", [
    ["run", "scenario.yaml"],
    ["run", "scenario.yaml", "-v", "--coverage"],
    ["run", ".", "--junit", "report.xml", "--record", "traces"],
    ["run", "missing.yaml"],
    ["run", "empty"],
    ["run", "scenario.yaml", "--record", "recordings"],
])
def test_the_console_script_runs_as_the_full_command_line_does(cli, project, args):
    (project.root / "empty").mkdir()

    fast = cli(*args)
    full = cli(*args, main=full_command_line)

    assert (fast.exit_code, _steady(fast.stdout), _steady(fast.stderr)) == \
        (full.exit_code, _steady(full.stdout), _steady(full.stderr))
    assert "Traceback" not in fast.output


@pytest.mark.parametrize("failure", ["expectation", "invalid"])
def test_a_failing_or_invalid_run_exits_as_the_full_command_line_does(cli, project, failure):
    if failure == "expectation":
        project.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}", "{agent_said: Order 4567 is delivered}")
    else:
        project.edit("scenario.yaml", "- caller: where", "- callr: where")

    fast = cli("run", "scenario.yaml")
    full = cli("run", "scenario.yaml", main=full_command_line)

    assert fast.exit_code == full.exit_code == (1 if failure == "expectation" else 2)
    assert _steady(fast.output) == _steady(full.output)
