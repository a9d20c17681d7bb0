"""callsim: simulate and test the actions of voice-AI phone agents."""

__version__ = "0.1.0"

from callsim.config.project import Project, Scenario, load_project, load_scenario  # noqa: E402
from callsim.errors import CallsimError, ConfigError  # noqa: E402
from callsim.runner import ScenarioResult, run_scenario  # noqa: E402
from callsim.trace.trace import Trace, read_trace  # noqa: E402

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
