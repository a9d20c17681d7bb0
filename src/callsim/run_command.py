"""`callsim run`: run scenario files and print what happened, without the command-line parser.

The console script (`callsim.console_script`) calls `run_files` straight for a plain `callsim run
FILES...`, and the full command line (`callsim.cli`, typer) for its `run` command: one run, one output,
one set of exit codes (0 when every scenario passes, 1 when any expectation fails, 2 when a file is
invalid). The consoles and the timeline printer are shared with the other commands.
"""

from __future__ import annotations

import gc

# Start-up builds many long-lived objects (models, schemas, event classes); collecting while they
# are made is wasted work (~15% of a one-file run), so the youngest generation is collected less often.
gc.set_threshold(20_000, 10, 10)

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from callsim import config_cache
from callsim.terminal import markup, printable
from callsim.trace.timeline import MAX_SHOWN, STYLES, clock, shorten

# no emoji codes: `agent.yaml:100:3` must not print as `agent.yaml💯3`
console = Console(highlight=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # a file:line:col message stays one line

def run_files(paths: list[Path], record: Path | None = None, junit: Path | None = None, verbose: bool = False,
              coverage: bool = False) -> int:
    """Run the scenarios under `paths`, print what happened, and return the exit code."""
    from callsim.report import print_failure, write_junit
    from callsim.runner import needs_event_loop, recording_name, run_scenario_async, run_to_end, variants

    if record is not None:
        from callsim.recordings import debug_folder_problem

        problem = debug_folder_problem(record, "--record", f"callsim replay {' '.join(map(str, paths))} --update")
        if problem:
            err.print(f"[red]{markup(problem)}[/red]")
            return 2
    found = config_cache.discover(paths)
    for problem in found.errors:
        err.print(f"[red]{markup(str(problem))}[/red]")
    scenarios = found.scenarios
    if not scenarios and not found.errors:
        err.print(f"[yellow]No scenario files found in {markup(', '.join(map(str, paths)))}.[/yellow] "
                  "A scenario is a YAML file with a top-level 'scenario:' key.")
        return 2

    runs = variants(scenarios)

    async def run_all() -> list:
        results = []
        servers = None  # a pool (its imports, its folder of logs) only for a run that names servers
        if any(scenario.servers for scenario, _ in runs):
            from callsim.servers import ServerPool

            servers = ServerPool(on_start=lambda text: err.print(f"[dim]{markup(text)}[/dim]"))
        with _progress(len(runs)) as advance:
            try:
                for scenario, variant in runs:
                    target = record / recording_name(scenario.file, variant) if record else None
                    results.append(await run_scenario_async(scenario, record=target, variant=variant,
                                                            servers=servers))
                    advance()
            finally:
                if servers is not None:
                    servers.close()
        return results

    results = run_to_end(run_all(), event_loop=any(needs_event_loop(scenario) for scenario, _ in runs))
    for result in results:
        if verbose:
            print_timeline(result.trace.events, title=markup(result.title))
        if not result.passed:
            print_failure(console, result)
    _evaluations(results)
    _summary(results, found.errors)
    if coverage:
        from callsim.coverage import Coverage

        report = Coverage()
        for result in results:
            report.add(result)
        console.print("[bold]Action coverage[/bold]")
        for text in report.report_lines():
            console.print(markup(text), style="yellow" if text.startswith("  never") else None)
    if junit:
        write_junit(junit, results, found.errors)
        console.print(f"JUnit report: {markup(str(junit))}")
    if record:
        console.print(f"Traces written under {markup(str(record))}/")
    if found.errors:
        return 2
    return 0 if all(r.passed for r in results) else 1


def _evaluations(results: list) -> None:
    """Post-call evaluations: each verdict and score, and every criterion that was not met with why."""
    rows = [(r, e) for r in results for e in r.trace.events if e.type == "evaluation"]
    if len(rows) > 60:
        rows = [(r, e) for r, e in rows if not e.passed]
    if not rows:
        return
    console.print("[bold]Evaluations[/bold]")
    for result, evaluation in rows:
        mark = "[bold green]PASS[/bold green]" if evaluation.passed else "[bold red]FAIL[/bold red]"
        sign = "≥" if evaluation.passed else "<"
        console.print(f"  {mark} {markup(evaluation.action)} {evaluation.score:.2f} {sign} {evaluation.pass_score:.2f}"
                      f"  [dim]{markup(result.title)}[/dim]")
        for criterion in evaluation.criteria:
            if not criterion["passed"]:
                rubric = f" [dim]— {markup(criterion['rubric'])}[/dim]" if criterion.get("rubric") else ""
                console.print(f"       [red]✗[/red] {markup(criterion['name'])} (weight {criterion['weight']:g}): "
                              f"{markup(criterion['why'])}{rubric}")


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
        title = result.title if result.scenario.config.repeat == 1 else \
            result.trace.redact(f"({result.variant + 1}/{result.scenario.config.repeat}) {result.scenario.title}")
        cells = [mark, markup(title)] + ([markup(result.scenario.file.name)] if with_file else [])
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
            text = Text(printable("call fields: " + ", ".join(f"{e.name}={e.value}" for e in group)), style="dim")
            table.add_row(clock(event.t), f"#{event.seq}", text)
        else:
            text = Text(printable(shorten(event.summary(), 20 * MAX_SHOWN)), style=STYLES.get(event.type, ""))
            body = getattr(event, "json_", None) if details else None
            if details and event.type == "http_request" and event.headers:
                text.append("\n" + printable(json.dumps(event.headers, ensure_ascii=False)), style="dim")
            if body is not None:
                text.append("\n" + printable(json.dumps(body, ensure_ascii=False, default=str)), style="dim")
            table.add_row(clock(event.t), f"#{event.seq}", text)
        index += 1
    console.print(table)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal for 20 runs or more (rich.progress loads only then); advance it by one."""
    if total < 20 or not err.is_terminal:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("running scenarios", total=total)
        yield lambda: bar.advance(task, 1)
