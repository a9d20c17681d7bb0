"""callsim: simulate and test the actions of voice-AI phone agents.

The names below are loaded on first use, so that `callsim run` and `import callsim.readers` pay
only for the modules they need.
"""

import importlib as _importlib
import typing as _typing

from callsim.version import __version__

if _typing.TYPE_CHECKING:
    from callsim.config.loaded import Project, Scenario
    from callsim.config.project import load_project, load_scenario
    from callsim.errors import CallsimError, ConfigError
    from callsim.runner import ScenarioResult, run_scenario
    from callsim.trace.trace import Trace, read_trace

_HOMES = {
    "CallsimError": "callsim.errors",
    "ConfigError": "callsim.errors",
    "Project": "callsim.config.loaded",
    "Scenario": "callsim.config.loaded",
    "ScenarioResult": "callsim.runner",
    "Trace": "callsim.trace.trace",
    "load_project": "callsim.config.project",
    "load_scenario": "callsim.config.project",
    "read_trace": "callsim.trace.trace",
    "run_scenario": "callsim.runner",
}

__all__ = [
    "CallsimError",
    "ConfigError",
    "Project",
    "Scenario",
    "ScenarioResult",
    "Trace",
    "__version__",
    "load_project",
    "load_scenario",
    "read_trace",
    "run_scenario",
]


def __getattr__(name: str) -> _typing.Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'callsim' has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
