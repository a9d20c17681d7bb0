"""What a hit of the validated-configuration cache costs a one-file `callsim run`, counted in instructions.

    .venv/bin/python tests/benchmarks/startup_config_cache.py [--scenario FILE]

A plain run spends about half its instructions on pydantic: importing it, and making callsim's ~50 models (their
validators are built as each class is made). The engine runs on plain objects (callsim.config.plain), so a run
that takes its loaded scenarios from a cache needs no pydantic at all. Each counted once under valgrind
(deterministic, whatever the machine's load):

1. today: the `callsim` console script's run of the scenario, validating it (no cache);
2. a hit: the run with its loaded scenarios unpickled instead of read and validated (as callsim.config_cache keeps
   them, without its key checks), with pydantic and PyYAML refused: neither may load;
3. the same hit's imports alone, so that 2 minus 3 is the call itself.

See "Start-up" in the README for the figures.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import ROOT, SCENARIO, console_script, environment, instructions  # noqa: E402

START = "import gc\ngc.disable()\nfrom callsim import startup_cache\nstartup_cache.install()\n"
"""As the console script starts: the startup cache installed, the collector off while callsim loads."""
REFUSE = """import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("pydantic", "pydantic_core", "yaml"):
            raise ImportError(f"a hit loaded {name}")
sys.meta_path.insert(0, Refuse())
"""
IMPORTS = "import callsim.config_cache, callsim.run_command, callsim.runner, callsim.report, pickle\n"
LOADED = "gc.freeze()\ngc.enable()\n"
"""The end of the start, as the console script's (what was loaded is frozen out of the collector's sight)."""
HIT = """from pathlib import Path
from callsim.discover import Found
scenarios = pickle.loads(Path({snapshot!r}).read_bytes())
callsim.config_cache.discover = lambda paths: Found(scenarios=scenarios)
assert callsim.run_command.run_files([Path({scenario!r})]) == 0
"""


def snapshot(scenario: Path, folder: Path) -> Path:
    """The loaded scenario (with its agent and actions, plain objects), pickled as a cache keeps it."""
    path = folder / "scenario.pickle"
    code = (f"import pickle\nfrom pathlib import Path\nfrom callsim.discover import discover\n"
            f"found = discover([Path({str(scenario)!r})])\nassert found.scenarios and not found.errors\n"
            f"Path({str(path)!r}).write_bytes(pickle.dumps(found.scenarios))\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=environment(ROOT))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    options = parser.parse_args()
    scenario = options.scenario.resolve()
    compileall.compile_dir(ROOT / "src" / "callsim", quiet=1)
    env = environment(ROOT)
    warm = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    today = [*console_script(ROOT), "run", str(scenario)]
    subprocess.run(today, check=True, capture_output=True, cwd=ROOT, env=warm)  # the startup cache holds its start
    with tempfile.TemporaryDirectory() as folder:
        hit = HIT.format(snapshot=str(snapshot(scenario, Path(folder))), scenario=str(scenario))
        counts = {"today: the console script's run, validating": instructions(today, env),
                  "hit: unpickled plain objects, pydantic and PyYAML refused": instructions(
                      [sys.executable, "-c", START + REFUSE + IMPORTS + LOADED + hit], env)}
        imports = instructions([sys.executable, "-c", START + REFUSE + IMPORTS + LOADED], env)
    if None in (*counts.values(), imports):
        sys.exit("valgrind is needed to count instructions")
    print(f"callsim run {scenario.relative_to(ROOT) if scenario.is_relative_to(ROOT) else scenario} "
          "(instructions, valgrind):")
    for name, count in counts.items():
        print(f"  {count / 1e6:6.0f} M  {name}")
    call = counts["hit: unpickled plain objects, pydantic and PyYAML refused"] - imports
    print(f"  (of which the hit's imports: {imports / 1e6:.0f} M, its call: {call / 1e6:.0f} M)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")

if __name__ == "__main__":
    main()
