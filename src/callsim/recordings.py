"""Golden recordings: approved traces under `recordings/`, compared with every new run.

A recording mirrors its scenario's path (`scenarios/acme/x.yaml` → `recordings/acme/x.jsonl`)
and holds the trace header (engine version, the agent's fingerprint, the scenario's path) and
the events. Comparing ignores nothing that can change behaviour; rewriting is deliberate
(`--update`) and only ever from a call that passes its own expectations: a failing call is
refused, whichever command asked, so a red scenario can never become a green replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from callsim.backends.live_http import RecordedAnswers
from callsim.config.loaded import Scenario
from callsim.errors import CallsimError
from callsim.files import UnreadableFile, excerpt, referenced
from callsim.runner import ScenarioResult, recording_name
from callsim.trace.diff import TraceDiff, diff_traces
from callsim.trace.jsonl import TraceFileError
from callsim.trace.trace import Trace, read_trace

RECORDINGS = Path("recordings")


class RecordingError(CallsimError):
    """A recording cannot be used: unreadable, from another format version, or its scenario is gone."""


class OrphanRecording(RecordingError):
    """A recording whose scenario cannot be found: nothing can be compared with it."""


@dataclass
class Comparison:
    """A run held against its recording."""

    path: Path
    status: str
    """`same`, `changed`, `missing` (no recording yet), `written` (created or rewritten by --update), `refused`
    (--update was asked, but the call fails its own expectations, so nothing was written)."""
    diff: TraceDiff | None = None


def recording_path(result_or_file: ScenarioResult | Path, recordings: Path = RECORDINGS, variant: int = 0) -> Path:
    """Where the recording of a scenario run lives."""
    if isinstance(result_or_file, ScenarioResult):
        return recordings / recording_name(result_or_file.scenario.file, result_or_file.variant)
    return recordings / recording_name(result_or_file, variant)


def debug_folder_problem(folder: Path, option: str, approve: str, recordings: Path = RECORDINGS) -> str | None:
    """Why `folder` cannot take debug traces (`--record`, which writes failing calls too): it is, or is
    inside, the golden recordings folder. None when it is elsewhere."""
    target, golden = folder.resolve(), recordings.resolve()
    if target != golden and golden not in target.parents:
        return None
    return (f"{option} writes the trace of every call, failing ones too; it cannot write into the golden "
            f"recordings folder {recordings.as_posix()}/; write debug traces elsewhere (e.g. {option} traces/) "
            f"and approve golden recordings with {approve}, which records only calls that pass")


def load_recording(path: Path) -> Trace:
    """Read a recording, turning every way it can be broken into one clear RecordingError."""
    try:
        trace = read_trace(path)
    except TraceFileError as error:
        if error.missing:
            raise RecordingError(str(error)) from None
        raise RecordingError(f"{error}; rewrite it with --update if the current behaviour is right") from None
    if trace.header.get("truncated"):
        raise RecordingError(f"{path}:{trace.header['truncated']}: the recording ends in a partial line (was it "
                             "cut off?); rewrite it with --update")
    return trace


def compare(result: ScenarioResult, path: Path, *, update: bool = False, times: bool = True) -> Comparison:
    """Compare a run with its recording (or write it, with `update`, when the call passed); without `times`
    (the call went to a real server again), when things happened and how long they took do not count."""
    exists = path.exists()
    if update and not result.passed:
        return Comparison(path, "refused")
    if update:
        if exists:
            try:
                old = load_recording(path)
                if not diff_traces(old, result.trace, times=times):
                    return Comparison(path, "same")
            except RecordingError:
                pass
        write_recording(result, path)
        return Comparison(path, "written")
    if not exists:
        return Comparison(path, "missing")
    changes = diff_traces(load_recording(path), result.trace, times=times)
    return Comparison(path, "changed" if changes else "same", changes if changes else None)


def write_recording(result: ScenarioResult, path: Path) -> None:
    """Write a call as a golden recording; only a call that passed may become one."""
    if not result.passed:
        raise RecordingError(f"{path}: not recorded, the call fails its own expectations")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.trace.to_jsonl(), encoding="utf-8")


def recorded_answers(scenario: Scenario, path: Path, live: bool) -> RecordedAnswers | None:
    """What a scenario's pass-through requests get in a replay: the answers its recording holds (none when
    there is no recording: nothing is sent unless the replay is `live`), or None to send them for real."""
    if live or not scenario.passes_through:
        return None
    return RecordedAnswers.from_events(load_recording(path).events) if path.exists() else RecordedAnswers()


def recorded_scenario(path: Path) -> tuple[Path, int]:
    """The scenario file (and run number) a recording was made from: a path relative to the working
    folder, inside the project."""
    header = load_recording(path).header
    file = header.get("file")
    if not file:
        raise RecordingError(f"{path}:1: the recording does not say which scenario it came from; "
                             "record it again with --update")
    try:
        scenario = referenced(Path.cwd(), file)
    except UnreadableFile as problem:
        raise RecordingError(f"{path}:1: its scenario {excerpt(file)} {problem.reason}") from None
    if not scenario.exists():
        raise OrphanRecording(f"{path}:1: its scenario {file} no longer exists, so nothing was compared; "
                              "delete the recording or restore the scenario")
    return scenario, int(header.get("variant", 0))
