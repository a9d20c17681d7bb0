"""callsim: simulate and test the actions of voice-AI phone agents."""

from callsim.config.project import Project, Scenario, load_project, load_scenario
from callsim.errors import CallsimError, ConfigError, UsageError
from callsim.runner import ScenarioResult, run_scenario
from callsim.trace.trace import Trace, read_trace
from callsim.version import __version__

__all__ = [
    "CallsimError",
    "ConfigError",
    "Project",
    "Scenario",
    "ScenarioResult",
    "Trace",
    "UsageError",
    "__version__",
    "load_project",
    "load_scenario",
    "read_trace",
    "run_scenario",
]
