"""The `callsim` command line: run, validate, show, schema and bench."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from callsim import __version__
from callsim.discover import discover
from callsim.errors import CallsimError
from callsim.trace.timeline import STYLES, clock, excerpt, line

app = typer.Typer(
    name="callsim",
    help="Simulate phone calls to a voice-AI agent and test its actions (transfers, HTTP calls, SMS, "
         "bookings) on a virtual clock, with a full trace of every call.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def main() -> None:
    """The console script: a user's mistake prints a message and exits 2, never a traceback."""
    try:
        app()
    except CallsimError as problem:
        err.print(f"[red]{escape(str(problem))}[/red]")
        sys.exit(2)


def _version(value: bool) -> None:
    if value:
        console.print(f"callsim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """callsim: a local simulator and test harness for the actions of voice-AI phone agents."""


PathsArg = Annotated[list[Path], typer.Argument(help="Scenario files or folders (searched for *.yaml).",
                                                show_default=False)]


@app.command()
def run(
    paths: PathsArg,
    record: Annotated[Optional[Path], typer.Option(help="Write each call's trace as JSON Lines under DIR.",
                                                   metavar="DIR")] = None,
    junit: Annotated[Optional[Path], typer.Option(help="Write a JUnit XML report to FILE (for CI).",
                                                  metavar="FILE")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every call's timeline.")] = False,
) -> None:
    """Run scenarios and check their expectations.

    Exit code 0 when every scenario passes, 1 when any expectation fails, 2 when a file is invalid.

    [b]Examples[/b]

      callsim run scenarios/
      callsim run scenarios/acme/order_status_spoken_digits.yaml -v
      callsim run scenarios/ --record out/traces --junit out/junit.xml
    """
    from callsim.report import print_failure, write_junit
    from callsim.runner import recording_name, run_scenario_async

    found = discover(paths)
    for problem in found.errors:
        err.print(f"[red]{escape(str(problem))}[/red]")
    scenarios = found.scenarios
    if not scenarios and not found.errors:
        err.print(f"[yellow]No scenario files found in {', '.join(map(str, paths))}.[/yellow] "
                  "A scenario is a YAML file with a top-level 'scenario:' key.")
        raise typer.Exit(2)

    async def run_all() -> list:
        results = []
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=len(scenarios) < 20 or not err.is_terminal) as bar:
            task = bar.add_task("running scenarios", total=len(scenarios))
            for scenario in scenarios:
                target = record / recording_name(scenario.file) if record else None
                results.append(await run_scenario_async(scenario, record=target))
                bar.advance(task)
        return results

    results = asyncio.run(run_all())
    for result in results:
        if verbose:
            print_timeline(result.trace.events, title=escape(result.scenario.title))
        if not result.passed:
            print_failure(console, result)
    _summary(results, found.errors)
    if junit:
        write_junit(junit, results, found.errors)
        console.print(f"JUnit report: {junit}")
    if record:
        console.print(f"Traces written under {record}/")
    if found.errors:
        raise typer.Exit(2)
    raise typer.Exit(0 if all(r.passed for r in results) else 1)


def _summary(results: list, invalid: list) -> None:
    table = Table(title=None, show_edge=False, pad_edge=False, expand=False)
    table.add_column("")
    with_file = console.width >= 110
    table.add_column("scenario", overflow="ellipsis", no_wrap=True, max_width=max(20, console.width - 44 - 30 * with_file))
    if with_file:
        table.add_column("file", style="dim", overflow="ellipsis", no_wrap=True, max_width=30)
    table.add_column("checks", justify="right")
    table.add_column("call time", justify="right")
    table.add_column("wall", justify="right")
    compact = len(results) > 60
    for result in results:
        if compact and result.passed:
            continue
        mark = Text("PASS", style="bold green") if result.passed else Text("FAIL", style="bold red")
        call_time = result.trace.events[-1].t if result.trace.events else 0.0
        cells = [mark, escape(result.scenario.title)] + ([escape(result.scenario.file.name)] if with_file else [])
        table.add_row(*cells, str(result.checks), clock(call_time), f"{result.wall_time * 1000:.1f} ms")
    if table.row_count:
        console.print(table)
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    wall = sum(r.wall_time for r in results)
    parts = [f"[bold green]{passed} passed[/bold green]" if passed else "0 passed",
             f"[bold red]{failed} failed[/bold red]" if failed else "0 failed"]
    if invalid:
        parts.append(f"[bold red]{len(invalid)} invalid[/bold red]")
    console.print(", ".join(parts) + f" [dim]in {wall:.2f}s of engine time[/dim]")


@app.command()
def validate(paths: PathsArg) -> None:
    """Check agents, action libraries and scenarios without running them.

    Every problem is reported as file:line:col with what was expected. Exit code 0 when all
    files are valid, 2 otherwise.
    """
    found = discover(paths, validate_all=True)
    for problem in found.errors:
        err.print(f"[red]{escape(str(problem))}[/red]")
    total = found.checked
    if found.errors:
        err.print(f"[bold red]{len(found.errors)} problem(s)[/bold red] in {total} file(s)")
        raise typer.Exit(2)
    console.print(f"[bold green]{total} file(s) valid[/bold green] "
                  f"({len(found.scenarios)} scenario(s), {len(found.agents)} agent(s), {found.libraries} action libraries)")


@app.command()
def show(
    trace_file: Annotated[Path, typer.Argument(help="A trace file (.jsonl) written by --record.", show_default=False)],
    kinds: Annotated[Optional[str], typer.Option("--only", help="Comma-separated event types to show, "
                                                 "e.g. caller_said,agent_said,http_request.")] = None,
    details: Annotated[bool, typer.Option("--details", "-d", help="Show request headers and JSON bodies.")] = False,
) -> None:
    """Print a recorded call as a readable timeline."""
    from callsim.trace.trace import read_trace

    trace = read_trace(trace_file)
    header = trace.header
    events = trace.events
    if kinds:
        wanted = {k.strip() for k in kinds.split(",")}
        events = [e for e in events if e.type in wanted]
    title = f"{escape(str(header.get('scenario', trace_file.name)))}  [dim]agent {header.get('agent', '?')}, " \
            f"seed {header.get('seed')}, started {header.get('started_at')}[/dim]"
    print_timeline(events, title=title, details=details)
    if header.get("truncated"):
        console.print("[yellow]The trace ends in a partial line: the run stopped while writing it.[/yellow]")


def print_timeline(events: list, title: str, details: bool = False) -> None:
    """A call as a table: virtual time, sequence number, what happened (call fields folded into one row)."""
    console.print(f"[bold]{title}[/bold]")
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(style="dim", justify="right", no_wrap=True)
    table.add_column(overflow="fold")
    index = 0
    while index < len(events):
        event = events[index]
        if event.type == "variable_set" and event.source == "call":
            group = [event]
            while index + 1 < len(events) and events[index + 1].type == "variable_set" \
                    and events[index + 1].source == "call":
                index += 1
                group.append(events[index])
            text = Text("call fields: " + ", ".join(f"{e.name}={e.value}" for e in group), style="dim")
            table.add_row(clock(event.t), f"#{event.seq}", text)
        else:
            text = Text(event.summary(), style=STYLES.get(event.type, ""))
            body = getattr(event, "json_", None) if details else None
            if details and event.type == "http_request" and event.headers:
                text.append("\n" + json.dumps(event.headers, ensure_ascii=False), style="dim")
            if body is not None:
                text.append("\n" + json.dumps(body, ensure_ascii=False, default=str), style="dim")
            table.add_row(clock(event.t), f"#{event.seq}", text)
        index += 1
    console.print(table)


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="agent, actions, scenario, or all (one schema that accepts any).")] = "all",
) -> None:
    """Print the JSON Schema of callsim's files, for editor completion and checks.

    For VS Code's YAML extension, save it and map it in settings.json:
    "yaml.schemas": {"./callsim.schema.json": "scenarios/**/*.yaml"}
    """
    from callsim.config.schema import json_schema

    try:
        console.print_json(json.dumps(json_schema(kind)))
    except KeyError:
        err.print(f"[red]unknown schema {kind!r}; expected agent, actions, scenario or all[/red]")
        raise typer.Exit(2) from None


@app.command()
def bench(
    scenarios: Annotated[int, typer.Option(help="How many scenarios to generate and run.")] = 1000,
    turns: Annotated[int, typer.Option(help="Caller turns per scenario.")] = 10,
    actions: Annotated[int, typer.Option(help="Actions attached to the generated agent.")] = 50,
) -> None:
    """Measure the engine: scenarios per second and the per-turn overhead of triggers, dispatch and trace."""
    from callsim.bench import run_bench

    run_bench(console, scenarios=scenarios, turns=turns, actions=actions)


if __name__ == "__main__":
    main()
