"""The pytest plugin: every scenario file is a test, failures explain the call, recordings are compared.

Scenario files under the `callsim_paths` ini option (default `scenarios`) are collected as test
items named after their `scenario:` title (one item per run of a `repeat: N` scenario), so
`-k`, `--lf`, `-x`, markers (`tags:`) and pytest-xdist work as usual. When a golden recording
exists for a scenario it is compared with the new call; `--callsim-update` rewrites recordings.
Fixtures: `callsim` (load projects, start calls by hand) and the `anyio_backend` default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# loaded with the plugin, though a session whose scenarios come from the cache does not use them: a module that a
# session loads is dropped after it by pytester (in-process runs), and PyYAML loaded again then reads no file
from callsim.config.project import Scenario, load_scenario
from callsim.config.yaml_positions import Document, read_document
from callsim.config_cache import Files
from callsim.discover import YAML_SUFFIXES, kind_of
from callsim.errors import CallsimError
from callsim.recordings import RecordingError, compare, debug_folder_problem, recorded_answers
from callsim.report import explain
from callsim.terminal import printable
from callsim.runner import ScenarioResult, below, recording_name, run_scenario_async, shown_title
from callsim.servers import ServerPool

_FILES = pytest.StashKey[Files]()
"""The session's scenario files, each validated once and kept, or taken from the validated-configuration cache."""
_STATS = pytest.StashKey[dict[str, Any]]()
_LOOP = pytest.StashKey[asyncio.AbstractEventLoop]()
_SERVERS = pytest.StashKey[ServerPool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("callsim", "callsim scenarios and golden recordings")
    group.addoption("--callsim-update", action="store_true", default=False,
                    help="rewrite the golden recordings of the scenarios that run (deliberately approving "
                         "their new behaviour); reports which changed")
    group.addoption("--callsim-record", metavar="DIR", default=None,
                    help="also write every scenario's trace as JSON Lines under DIR")
    group.addoption("--callsim-live", action="store_true", default=False,
                    help="send the requests of pass-through routes to the real server even for scenarios that have "
                         "a golden recording (else the recorded answers are played back); times are then not compared")
    group.addoption("--callsim-coverage", action="store_true", default=False,
                    help="report which actions, triggers and fallback branches the scenarios never exercised")
    parser.addini("callsim_paths", type="args", default=["scenarios"],
                  help="folders (relative to rootdir) whose *.yaml scenario files are collected as tests")
    parser.addini("callsim_recordings", default="recordings",
                  help="folder (relative to rootdir) of golden recordings")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "callsim: a callsim scenario file (added to every scenario item)")
    config.stash[_FILES] = Files()
    config.stash[_STATS] = {"written": [], "changed": [], "refused": [], "results": []}
    record = config.getoption("callsim_record", None)
    if record:
        problem = debug_folder_problem(config.rootpath / record, "--callsim-record", "pytest --callsim-update",
                                       config.rootpath / config.getini("callsim_recordings"))
        if problem:
            raise pytest.UsageError(problem)


def pytest_unconfigure(config: pytest.Config) -> None:
    servers = config.stash.get(_SERVERS, None)
    if servers is not None:  # the servers scenarios passed requests through to stop with the session
        servers.close()
    loop = config.stash.get(_LOOP, None)
    if loop is not None:
        loop.close()


def _loop(config: pytest.Config) -> asyncio.AbstractEventLoop:
    """One event loop for every scenario of the session: asyncio.run per item costs more than a call."""
    loop = config.stash.get(_LOOP, None)
    if loop is None:
        loop = config.stash[_LOOP] = asyncio.new_event_loop()
    return loop


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in YAML_SUFFIXES:
        return None
    config = parent.config
    roots = [config.rootpath / p for p in config.getini("callsim_paths")]
    if not any(file_path.is_relative_to(root) for root in roots):
        return None
    path = below(file_path, Path.cwd())
    part = config.stash[_FILES].load(path)
    if part.scenario is not None:  # validated (or taken from the cache) as `callsim run` does
        collector = ScenarioFile.from_parent(parent, path=file_path)
        collector.scenario = part.scenario
        return collector
    if not part.errors:
        return None  # agents and action libraries are loaded by their scenarios
    try:  # a file with problems: reported as before, by the file's kind
        doc = read_document(path)
    except CallsimError:
        return ScenarioFile.from_parent(parent, path=file_path)  # collect() reports the error
    if kind_of(doc.data) != "scenario":
        return None  # agents and action libraries are loaded by their scenarios
    collector = ScenarioFile.from_parent(parent, path=file_path)
    collector.doc = doc
    return collector


def pytest_collection_finish(session: pytest.Session) -> None:
    files = session.config.stash.get(_FILES, None)
    if files is not None:
        files.close()


class ScenarioFile(pytest.File):
    """A scenario YAML file: one item per run."""

    doc: Document | None = None
    scenario: Scenario | None = None

    def collect(self) -> Iterator[ScenarioItem]:
        scenario = self.scenario
        if scenario is None:
            try:
                # relative to the working directory when possible: messages then show short paths
                scenario = load_scenario(below(self.path, Path.cwd()), self.config.stash[_FILES].projects, self.doc)
            except CallsimError as error:
                raise ScenarioConfigError(str(error)) from None
        for tag in scenario.config.tags:
            self.config.addinivalue_line("markers", f"{tag}: scenario tag")
        for variant in range(scenario.config.repeat):
            item = ScenarioItem.from_parent(self, name=shown_title(scenario, variant), scenario=scenario,
                                            variant=variant)
            item.add_marker("callsim")
            for tag in scenario.config.tags:
                item.add_marker(tag)
            yield item

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ScenarioConfigError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioConfigError(Exception):
    """An invalid scenario (or agent) file: shown as `file:line:col` errors, without a traceback."""


class ScenarioFailed(Exception):
    """A scenario's expectations failed, its call errored, or it differs from its recording."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ScenarioItem(pytest.Item):
    """One run of one scenario."""

    def __init__(self, *, scenario: Scenario, variant: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.variant = variant

    def runtest(self) -> None:
        config = self.config
        record_dir = config.getoption("callsim_record")
        record = Path(record_dir) / recording_name(self.scenario.file, self.variant) if record_dir else None
        servers = config.stash.get(_SERVERS, None)
        if servers is None:
            servers = config.stash[_SERVERS] = ServerPool()
        recordings = config.rootpath / config.getini("callsim_recordings")
        path = recordings / recording_name(below(self.scenario.file, config.rootpath), self.variant)
        # a recorded pass-through scenario plays its recorded answers back, unless asked to go live
        live = config.getoption("callsim_live") or not path.exists()
        try:
            answers = recorded_answers(self.scenario, path, live)
        except RecordingError as error:
            raise ScenarioFailed(str(error)) from None
        result = _loop(config).run_until_complete(
            run_scenario_async(self.scenario, record=record, variant=self.variant, servers=servers, recorded=answers))
        if config.getoption("callsim_coverage"):
            config.stash[_STATS]["results"].append(result)
        problems = [explain(result)] if not result.passed else []
        same_server_times = answers is not None or not self.scenario.passes_through
        problems.extend(self._against_recording(result, path, times=same_server_times))
        if problems:
            raise ScenarioFailed("\n\n".join(problems))

    def _against_recording(self, result: ScenarioResult, path: Path, times: bool) -> list[str]:
        config = self.config
        try:
            outcome = compare(result, path, update=config.getoption("callsim_update"), times=times)
        except RecordingError as error:
            return [str(error)]
        if outcome.status in ("written", "refused"):
            config.stash[_STATS][outcome.status].append(str(path))
        if outcome.status == "changed" and outcome.diff:
            config.stash[_STATS]["changed"].append(str(path))
            return [f"the call differs from its golden recording {path}:\n{outcome.diff.render()}\n"
                    "(if the new behaviour is right: pytest --callsim-update)"]
        return []

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ScenarioFailed):
            return printable(excinfo.value.text)  # a recording's diff quotes what callers and servers said
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.name}"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    stats = config.stash.get(_STATS, None)
    if not stats:
        return
    for status, title in (("written", "callsim recordings written"),
                          ("refused", "callsim recordings refused (the call fails its own expectations)")):
        if stats[status]:
            terminalreporter.write_sep("-", title)
            for path in stats[status]:
                terminalreporter.write_line(f"  {path}")
    if config.getoption("callsim_coverage") and stats["results"]:
        from callsim.coverage import Coverage

        coverage = Coverage()
        for result in stats["results"]:
            coverage.add(result)
        terminalreporter.write_sep("-", "callsim action coverage")
        for line in coverage.report_lines():
            terminalreporter.write_line(line)


@pytest.fixture
def anyio_backend() -> str:
    """callsim's calls run on asyncio; a project's own conftest may override this."""
    return "asyncio"


@pytest.fixture
def callsim(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Load projects and drive calls by hand: `call = await callsim.call("agent.yaml", http=[...])`; a
    relative agent path is found beside the test file, else under the rootdir. Servers the calls started
    (`servers={NAME: {command: [...]}}`) stop after the test."""
    from callsim.live import Callsim

    calls = Callsim(folder=request.path.parent, root=request.config.rootpath)
    yield calls
    calls.servers.close()
