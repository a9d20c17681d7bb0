"""Text from callers, servers and recordings reaches a terminal as text: escape sequences, control
characters, rich markup and emoji codes are shown, never acted on (`callsim.terminal`)."""

from __future__ import annotations

from callsim.report import explain
from callsim.runner import run_scenario
from callsim.terminal import markup, printable

HOSTILE = "hi \\u001b]0;pwned\\u0007 \\u001b[2J [bold red]x[/] :smile: root:x:0:0 \\u202eevil"
ACTIONS = """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    request: {url: "https://api.test/orders/1"}
    save: {status: $.status}
    say: "Status {{ status }}."
"""


def hostile_project(project) -> None:
    project.write("actions.yaml", ACTIONS)
    project.write("agent.yaml", "agent: 'a:x:b:smile:'\ngreeting: Hello.\nuses: [actions.yaml]\nactions: [lookup_order]\n")
    project.write("scenario.yaml", f"""\
scenario: "[link=https://evil.test]click[/link] :smile:"
agent: agent.yaml
http:
  - {{match: GET https://api.test/orders/1, json: {{status: "\\u001b[31mred\\u001b[0m :x: [blink]"}}}}
turns:
  - caller: "{HOSTILE} where is my order"
  - expect: {{agent_said: nothing like this}}
""")


def shown_as_text(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    assert "😄" not in output and "❌" not in output
    assert "\\x1b]0;pwned\\x07" in output and "[bold red]x[/]" in output and "root:x:0:0" in output


def test_run_and_show_print_hostile_text_as_text(project, cli) -> None:
    hostile_project(project)
    run = cli("run", "scenario.yaml", "-v", "--record", "out")
    assert run.exit_code == 1
    shown_as_text(run.output)
    assert "[link=https://evil.test]click[/link] :smile:" in run.output and "a:x:b:smile:" in run.output
    show = cli("show", "out/scenario.jsonl", "-d")
    assert show.exit_code == 0
    shown_as_text(show.output)
    assert "\\x1b[31mred\\x1b[0m :x: [blink]" in show.output


def test_the_failure_text_pytest_and_junit_show_is_printable(project) -> None:
    hostile_project(project)
    text = explain(run_scenario(project.scenario))
    assert "\x1b" not in text and "\\x1b[2J" in text


def test_printable_keeps_lines_and_tabs_and_markup_escapes_brackets() -> None:
    assert printable("a\tb\nc\x1b[2J\x7f\x9b\u200e") == "a\tb\nc\\x1b[2J\\x7f\\x9b\\u200e"
    assert markup("[bold]x[/bold] \x1b") == "\\[bold]x\\[/bold] \\x1b"
