"""The `callsim` command line: run, validate, show, schema and bench."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from typer.core import TyperCommand, TyperGroup, TyperOption
from rich.text import Text

from callsim import config_cache
from callsim.discover import discover
from callsim.errors import CallsimError
from callsim.run_command import console, err, print_timeline, run_files
from callsim.terminal import markup
from callsim.version import __version__


def _plain_flags(params: list[Any]) -> list[Any]:
    """`params` with each on/off flag shown without a type: typer writes `<bool>` beside every flag
    (`--version <bool>`), which reads as if the flag took a value."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    return params


class _Command(TyperCommand):
    """A command whose help shows its flags as flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_flags(super().get_params(ctx))


class _Group(TyperGroup):
    """The command group, whose help shows `--version` and `--help` as flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_flags(super().get_params(ctx))


HELP = (
    "Simulate phone calls to a voice-AI agent and test its actions (transfers, HTTP calls, SMS,\n"
    "bookings) on a virtual clock, with a full trace of every call.\n\n"
    # one line: typer keeps a later paragraph's line breaks as they are written
    "Start with [b]callsim validate scenarios/[/b], then [b]callsim run scenarios/[/b]; each command "
    "below shows one example, and its --help the options and more examples."
)

app = typer.Typer(
    name="callsim",
    cls=_Group,
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _command(example: str) -> Callable[[Callable[..., None]], Any]:
    """Register a command whose line in `callsim --help` says what it is for and shows one example."""
    def register(function: Callable[..., None]) -> Any:
        purpose = (function.__doc__ or "").strip().splitlines()[0]
        return app.command(cls=_Command, short_help=f"{purpose}\n[dim]e.g.[/dim] [b]{example}[/b]")(function)
    return register


def main() -> None:
    """The full command line (the console script hands it all but a plain `run`): a user's mistake prints a
    message and exits 2, never a traceback."""
    try:
        app()
    except CallsimError as problem:
        err.print(f"[red]{markup(str(problem))}[/red]")
        sys.exit(2)


def _version(value: bool) -> None:
    if value:
        console.print(f"callsim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """The options before a command (the app's help, HELP, is what `callsim --help` shows)."""


PathsArg = Annotated[list[Path], typer.Argument(help="Scenario files or folders (searched for *.yaml).",
                                                show_default=False)]


@_command("callsim run scenarios/ --junit out/junit.xml")
def run(
    paths: PathsArg,
    record: Annotated[Optional[Path], typer.Option(help="Write each call's trace as JSON Lines under DIR, failing "
                                                        "calls too (for debugging; never into the golden recordings/, "
                                                        "see replay --update).", metavar="DIR")] = None,
    junit: Annotated[Optional[Path], typer.Option(help="Write a JUnit XML report to FILE (for CI).",
                                                  metavar="FILE")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every call's timeline.")] = False,
    coverage: Annotated[bool, typer.Option("--coverage", help="Report which actions, triggers and fallback "
                                                            "branches no scenario exercised.")] = False,
) -> None:
    """Run scenarios and check their expectations.

    Exit code 0 when every scenario passes, 1 when any expectation fails, 2 when a file is invalid.

    [b]Examples[/b]

      callsim run scenarios/
      callsim run scenarios/acme/order_status_spoken_digits.yaml -v
      callsim run scenarios/ --record out/traces --junit out/junit.xml
      callsim run scenarios/ --coverage
    """
    raise typer.Exit(run_files(paths, record=record, junit=junit, verbose=verbose, coverage=coverage))


@_command("callsim replay")
def replay(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Recordings (.jsonl) or folders of them; or scenario files/folders to compare with their "
             "recordings. Default: every recording under --recordings.", show_default=False)] = None,
    update: Annotated[bool, typer.Option("--update", help="Rewrite the recordings from this run (deliberately "
                                                          "approving the new behaviour); reports which changed. A call "
                                                          "that fails its own expectations is never recorded.")] = False,
    recordings: Annotated[Path, typer.Option(help="The folder of golden recordings.")] = Path("recordings"),
    live: Annotated[bool, typer.Option("--live", help="Send the requests of pass-through routes to the real server "
                                                      "again (starting the servers scenarios declare) instead of "
                                                      "playing the recorded answers back; times are then not "
                                                      "compared.")] = False,
) -> None:
    """Re-run the scenarios behind golden recordings and show how each call differs, event by event.

    A scenario whose routes pass requests through to a server of your own is replayed with the answers \
its recording holds: nothing is sent unless you ask for it with --live.

    Exit code 0 when every call behaves as recorded, 1 when one differs (or fails its expectations; \
with --update such a call is refused, not recorded) or a recording's scenario is gone, 2 when a \
recording or scenario cannot be used.

    [b]Examples[/b]

      callsim replay                         # every recording under recordings/
      callsim replay scenarios/acme --update # record (or re-approve) the acme suite
    """
    from callsim.recordings import RecordingError, compare, recorded_answers, recorded_scenario, recording_path
    from callsim.runner import run_scenario_async, variants
    from callsim.servers import ServerPool

    targets: dict[Path, tuple[Path, int]] = {}
    problems: list[str] = []
    orphans: list[str] = []
    """Recordings whose scenario is gone: nothing can be compared, so the replay fails."""
    scenario_paths: list[Path] = []
    for path in paths or [recordings]:
        if path.is_dir():
            for file in sorted(path.rglob("*.jsonl")):
                _add_recording(file, targets, problems, orphans)
            if any(path.rglob("*.y*ml")):
                scenario_paths.append(path)
        elif path.suffix == ".jsonl":
            _add_recording(path, targets, problems, orphans)
        else:
            scenario_paths.append(path)
    found = config_cache.discover(scenario_paths)  # files validated before (by run, pytest or replay) are not again
    problems.extend(str(e) for e in found.errors)
    runs = {(s.file.resolve(), v): (s, v) for s, v in variants(found.scenarios)}
    named: dict[tuple[Path, int], Path] = {}
    """The recording each run is compared with when the user named recordings (not scenarios)."""
    if targets:
        files = config_cache.Files()
        for recording, (file, variant) in targets.items():
            scenario = files.load(file).scenario
            if scenario is None:  # a file with problems: reported as before
                from callsim.config.project import load_scenario

                try:
                    scenario = load_scenario(file, files.projects)
                except CallsimError as error:
                    problems.append(str(error))
                    continue
            runs.setdefault((file.resolve(), variant), (scenario, variant))
            named[(file.resolve(), variant)] = recording
        files.close()
    if not runs and not problems and not orphans:
        err.print(f"[yellow]No recordings under {recordings}/.[/yellow] Record them with "
                  "'callsim replay scenarios/ --update' or 'pytest --callsim-update'.")
        raise typer.Exit(0)

    counts: dict[str, int] = {}
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("", no_wrap=True, min_width=12)
    table.add_column("recording", style="dim", no_wrap=True, overflow="ellipsis", max_width=40)
    table.add_column("scenario", no_wrap=True, overflow="ellipsis", max_width=max(16, console.width - 60))
    details: list[tuple[Any, Any]] = []

    async def run_all() -> None:
        servers = ServerPool(on_start=lambda text: err.print(f"[dim]{markup(text)}[/dim]"))
        try:
            for scenario, variant in sorted(runs.values(), key=lambda r: (str(r[0].file), r[1])):
                await replay_one(scenario, variant, servers)
        finally:
            servers.close()

    async def replay_one(scenario: Any, variant: int, servers: ServerPool) -> None:
        path = named.get((scenario.file.resolve(), variant)) or recording_path(scenario.file, recordings, variant)
        try:
            answers = recorded_answers(scenario, path, live)
            result = await run_scenario_async(scenario, variant=variant, servers=servers, recorded=answers)
            outcome = compare(result, path, update=update, times=not (live and scenario.passes_through))
        except RecordingError as error:
            problems.append(str(error))
            return
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        table.add_row(REPLAY_LABELS[outcome.status], markup(str(outcome.path.relative_to(recordings))
                                                             if outcome.path.is_relative_to(recordings)
                                                             else str(outcome.path)), markup(result.title))
        if outcome.diff or not result.passed:
            details.append((outcome, result))

    asyncio.run(run_all())
    console.print(table)
    for outcome, result in details:
        if outcome.diff:
            console.print(f"\n[bold red]CHANGED[/bold red] [bold]{markup(result.title)}[/bold] "
                          f"[dim](recording {outcome.path})[/dim]")
            for text in outcome.diff.render().splitlines():
                style = "red" if text.startswith("- ") else "green" if text.startswith("+ ") else \
                    "yellow" if text.startswith(("~", "    ")) else "dim"
                console.print(markup(text), style=style)
        if not result.passed:
            from callsim.report import print_failure

            print_failure(console, result)
    failed = any(not result.passed for _, result in details) or bool(orphans)
    refused = [str(result.scenario.file) + (f" (run {result.variant + 1})" if result.variant else "")
               for outcome, result in details if outcome.status == "refused"]
    if refused:
        console.print("[bold red]Not recorded (the call fails its own expectations):[/bold red] "
                      + markup(", ".join(refused)))
    for problem in problems + orphans:
        err.print(f"[red]{markup(problem)}[/red]")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    console.print(summary or "nothing replayed")
    if counts.get("missing"):
        console.print("[yellow]Scenarios without a recording are not compared; record them with --update.[/yellow]")
    if problems:
        raise typer.Exit(2)
    raise typer.Exit(1 if failed or counts.get("changed") else 0)


REPLAY_LABELS = {"same": Text("same", style="green"), "changed": Text("CHANGED", style="bold red"),
                 "missing": Text("no recording", style="yellow"), "written": Text("written", style="cyan"),
                 "refused": Text("REFUSED", style="bold red")}


def _add_recording(file: Path, targets: dict[Path, tuple[Path, int]], problems: list[str],
                   orphans: list[str]) -> None:
    from callsim.recordings import OrphanRecording, RecordingError, recorded_scenario

    try:
        targets[file] = recorded_scenario(file)
    except OrphanRecording as error:
        orphans.append(str(error))
    except RecordingError as error:
        problems.append(str(error))


@_command("callsim validate scenarios/")
def validate(paths: Annotated[list[Path], typer.Argument(
        help="Agent, action library and scenario files, or folders (searched for *.yaml).",
        show_default=False)]) -> None:
    """Check agents, action libraries and scenarios without running them.

    Every problem is reported as file:line:col with what is wrong and how to fix it. Exit code 0 when \
all files are valid, 2 otherwise.

    [b]Examples[/b]

      callsim validate scenarios/
      callsim validate scenarios/acme/agent.yaml scenarios/acme/order_status_spoken_digits.yaml
    """
    found = discover(paths, validate_all=True)
    for problem in found.errors:
        err.print(f"[red]{markup(str(problem))}[/red]")
    total = found.checked
    if not total:
        err.print(f"[yellow]No YAML files found in {markup(', '.join(map(str, paths)))}.[/yellow] "
                  "Name agent, action library or scenario files, or folders holding them.")
        raise typer.Exit(2)
    if found.errors:
        err.print(f"[bold red]{len(found.errors)} problem(s)[/bold red] in {total} file(s)")
        raise typer.Exit(2)
    from callsim.engine.semantic import close_actions

    for agent in found.agents:
        for warning in close_actions(agent):
            err.print(f"[yellow]{markup(warning)}[/yellow]")
    console.print(f"[bold green]{total} file(s) valid[/bold green] "
                  f"({len(found.scenarios)} scenario(s), {len(found.agents)} agent(s), {found.libraries} action librar{'y' if found.libraries == 1 else 'ies'})")


@_command("callsim show recordings/acme/caller_changes_subject.jsonl")
def show(
    trace_file: Annotated[Path, typer.Argument(help="A trace (.jsonl) written by run --record, or a golden recording under "
                                                     "recordings/.", show_default=False)],
    kinds: Annotated[Optional[str], typer.Option("--only", help="Comma-separated event types to show, "
                                                 "e.g. caller_said,agent_said,http_request.")] = None,
    details: Annotated[bool, typer.Option("--details", "-d", help="Show request headers and JSON bodies.")] = False,
) -> None:
    """Print a recorded call as a readable timeline."""
    from callsim.trace.trace import read_trace

    if trace_file.suffix in (".yaml", ".yml"):
        err.print(f"[red]{markup(str(trace_file))}: a YAML file, not a trace[/red]; show prints the trace a call left: "
                  f"run the scenario with [b]callsim run {markup(str(trace_file))} --record out/traces[/b], then show "
                  "the .jsonl file written under out/traces/ (or its golden recording under recordings/)")
        raise typer.Exit(2)

    trace = read_trace(trace_file)
    header = trace.header
    events = trace.events
    if kinds:
        wanted = {k.strip() for k in kinds.split(",")}
        events = [e for e in events if e.type in wanted]
    title = f"{markup(str(header.get('scenario', trace_file.name)))}  [dim]agent {markup(str(header.get('agent', '?')))}, " \
            f"seed {markup(str(header.get('seed')))}, started {markup(str(header.get('started_at')))}[/dim]"
    print_timeline(events, title=title, details=details)
    if header.get("truncated"):
        console.print("[yellow]The trace ends in a partial line: the run stopped while writing it.[/yellow]")


@_command("callsim schema scenario > scenario.schema.json")
def schema(
    kind: Annotated[str, typer.Argument(help="agent, actions, scenario, suite, or all (one schema that accepts "
                                             "any); webhook: the end-of-call report an agent's webhook "
                                             "receives.")] = "all",
) -> None:
    """Print the JSON Schema of callsim's files, for editor completion and checks.

    For VS Code's YAML extension, save it and map it in settings.json:

      "yaml.schemas": {"./callsim.schema.json": "scenarios/**/*.yaml"}
    """
    from callsim.config.schema import json_schema

    try:
        console.print_json(json.dumps(json_schema(kind)))
    except KeyError:
        err.print(f"[red]unknown schema {kind!r}; expected agent, actions, scenario, suite, all or webhook[/red]")
        raise typer.Exit(2) from None


@_command("callsim bench")
def bench(
    scenarios: Annotated[int, typer.Option(help="How many scenarios to generate and run.")] = 1000,
    turns: Annotated[int, typer.Option(help="Caller turns per scenario.")] = 10,
    actions: Annotated[int, typer.Option(help="Actions attached to the generated agent.")] = 50,
) -> None:
    """Measure the engine: scenarios per second and the per-turn overhead of triggers, dispatch and trace."""
    from callsim.bench import run_bench

    run_bench(console, scenarios=scenarios, turns=turns, actions=actions)


@_command("callsim tui --agent scenarios/acme/agent.yaml")
def tui(
    agent: Annotated[Optional[Path], typer.Option(help="An agent file: talk to it freely.", metavar="FILE")] = None,
    scenario: Annotated[Optional[Path], typer.Option(help="A scenario file: its fakes, and F5 steps through its "
                                                     "turns.", metavar="FILE")] = None,
    stt: Annotated[Optional[str], typer.Option(help="Speech-to-text engine: auto (vosk when a model is given, else "
                                               "whisper from its installed model packages, else pocketsphinx), "
                                               "whisper, vosk or pocketsphinx (else $CALLSIM_STT).",
                                               metavar="ENGINE")] = None,
    vosk_model: Annotated[Optional[str], typer.Option(help="A vosk model folder, or a language code found "
                                                      "among installed models (else $CALLSIM_VOSK_MODEL).",
                                                      metavar="MODEL")] = None,
    mute: Annotated[bool, typer.Option("--mute", help="Start with the agent's voice muted (ctrl+t toggles).")] = False,
    voice: Annotated[bool, typer.Option("--voice/--no-voice", help="Load speech-to-text and text-to-speech.")] = True,
    secret: Annotated[Optional[list[str]], typer.Option(
        "--secret", help="A secret the agent's actions read as {{ secrets.NAME }} (repeatable); else the "
                         "scenario's secrets: or the environment variable NAME.", metavar="NAME=VALUE")] = None,
    data: Annotated[Optional[list[str]], typer.Option(
        "--data", help="A value for one of the agent's variables that come from start_data or preconnect "
                       "(repeatable), in a free call (--agent): what the integration sends at call start, or the "
                       "team's lookup supplies before connect.", metavar="NAME=VALUE")] = None,
) -> None:
    """Open the simulator: talk to an agent (typing, or speaking with F4) and watch it work.

    [b]Examples[/b]

      callsim tui --agent scenarios/acme/agent.yaml --secret ACME_TOKEN=test-token --data crm_id=C-981
      callsim tui --scenario scenarios/acme/order_status_spoken_digits.yaml
    """
    from callsim.config.secrets import MissingSecretError
    from callsim.errors import ConfigErrors
    from callsim.tui.app import build_app

    secrets = _pairs("--secret", secret, "ACME_TOKEN=test-token")
    call_data = _pairs("--data", data, "crm_id=C-981")
    try:
        simulator = build_app(agent, scenario, voice=voice, stt=stt, vosk_model=vosk_model, muted=mute, secrets=secrets,
                              data=call_data)
    except ConfigErrors as problems:
        err.print(f"[red]{markup(str(problems))}[/red]")
        for name in dict.fromkeys(e.name for e in problems.errors if isinstance(e, MissingSecretError)):
            err.print(f"The simulator also takes it on the command line: --secret {markup(name)}=VALUE")
        raise typer.Exit(2) from None
    simulator.run()


def _pairs(option: str, items: list[str] | None, example: str) -> dict[str, str]:
    """`NAME=VALUE` options as a dict; exits with a usage error on one without a name or an `=`."""
    pairs = {}
    for item in items or []:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            err.print(f"[red]{option} {markup(item)}: expected NAME=VALUE, e.g. {option} {example}[/red]")
            raise typer.Exit(2)
        pairs[name.strip()] = value
    return pairs


if __name__ == "__main__":
    main()
