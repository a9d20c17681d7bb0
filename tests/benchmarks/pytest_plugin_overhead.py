"""What the pytest plugin costs per scenario item, and a suite's wall time with -n 2 against -n 0.

    .venv/bin/python tests/benchmarks/pytest_plugin_overhead.py [SCENARIOS]

Generates SCENARIOS ten-turn scenarios (callsim bench's suite, 50 actions attached), then:
- in one process, `pytest.main` timing the test loop against the engine's own time per
  scenario: the difference per item is what the plugin and pytest add to each scenario;
- as commands: `pytest -n 0` and `pytest -n 2`, start-up and collection included.
Note: with PYTHONDONTWRITEBYTECODE set, every pytest process recompiles (and assertion-rewrites)
every plugin module at start-up, which dominates small runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from callsim.bench import write_suite
from callsim.pytest_plugin import _STATS

QUIET = ["-q", "-p", "no:cacheprovider", "-p", "no:textual-snapshot"]


class LoopTimer:
    """Times pytest's run loop and sums the engine time of each scenario inside it."""

    loop = 0.0
    engine = 0.0
    items = 0

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        started = time.perf_counter()
        yield
        self.loop = time.perf_counter() - started
        results = session.config.stash[_STATS]["results"]
        self.engine = sum(r.wall_time for r in results)
        self.items = len(results)


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="callsim-plugin-bench-") as tmp:
        root = Path(tmp)
        (root / "scenarios").mkdir()
        write_suite(root / "scenarios", scenarios=count, turns=10, actions=50)
        (root / "pytest.ini").write_text("[pytest]\ntestpaths = scenarios\n")
        timer = LoopTimer()
        here = Path.cwd()
        os.chdir(root)
        try:
            pytest.main([*QUIET, "--callsim-coverage"], plugins=[timer])
        finally:
            os.chdir(here)
        serial = timed([sys.executable, "-m", "pytest", *QUIET, "-n", "0"], root)
        parallel = timed([sys.executable, "-m", "pytest", *QUIET, "-n", "2"], root)
    per_item = (timer.loop - timer.engine) / timer.items * 1000
    print(f"\n{count} scenarios x 10 turns, 50 actions attached")
    print(f"  pytest's run loop, in process:  {timer.loop:6.2f} s for {timer.items} items")
    print(f"  of which the engine:            {timer.engine:6.2f} s ({timer.engine / timer.items * 1000:.2f} ms per scenario)")
    print(f"  plugin + pytest per item:       {per_item:6.2f} ms")
    print(f"  pytest -n 0 (whole command):    {serial:6.2f} s")
    print(f"  pytest -n 2 (whole command):    {parallel:6.2f} s  ({serial / parallel:.2f}x faster)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
