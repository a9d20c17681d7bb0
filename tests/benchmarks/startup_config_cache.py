"""What a cache of validated configuration could save a one-file `callsim run`: prototypes counted in instructions.

    .venv/bin/python tests/benchmarks/startup_config_cache.py [--scenario FILE]

A plain run spends about half its instructions on pydantic: importing it, and making callsim's ~50 models (their
validators are built as each class is made). A cache of the validated scenario (its bytes and every input as the
key) would let a run skip reading and validating the files; this measures, before any of it is built, what such a
hit could save, each counted once under valgrind (deterministic, whatever the machine's load):

1. today: the `callsim` console script's run of the scenario;
2. a hit that unpickles the loaded scenario (pydantic instances: no YAML read, no validation, no checks) and runs
   it, with the models made as today;
3. the same with `defer_build` on every model (pydantic's default set before callsim's models are made), so that
   making a class builds no validator;
4. the floor of a hit without pydantic at all: everything the run imports but pydantic, callsim.config and what only
   they load, plus the call itself (the instructions of 2 after its imports).

Nothing here is a feature: 2 and 3 are prototypes (a pickle is no safe cache format, and 3 sets a private pydantic
default); they say which design is worth building. See "Start-up" in the README for the figures.
"""

from __future__ import annotations

import argparse
import compileall
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import ROOT, SCENARIO, console_script, environment, instructions  # noqa: E402

START = "import gc\ngc.disable()\nfrom callsim import startup_cache\nstartup_cache.install()\n"
"""As the console script starts: the startup cache installed, the collector off while callsim loads."""
DEFER = "import pydantic._internal._config\npydantic._internal._config.config_defaults['defer_build'] = True\n"
IMPORTS = "import callsim.run_command, callsim.runner, callsim.report, callsim.discover, pickle\n"
LOADED = "gc.freeze()\ngc.enable()\n"
"""The end of the start, as the console script's (what was loaded is frozen out of the collector's sight)."""
HIT = """from pathlib import Path
from callsim.discover import Found
scenarios = pickle.loads(Path({snapshot!r}).read_bytes())
callsim.run_command.discover = lambda paths: Found(scenarios=scenarios)
assert callsim.run_command.run_files([Path({scenario!r})]) == 0
"""
NOT_FOR_A_HIT = ("pydantic", "pydantic_core", "typing_inspection", "annotated_types", "callsim.config",
                 "importlib.metadata", "zipfile", "email", "csv")
"""What only validation loads (pydantic's plugin loader reads installed packages' metadata)."""


def snapshot(scenario: Path, folder: Path) -> Path:
    """The loaded scenario (with its agent and actions), pickled as a cache would keep it."""
    path = folder / "scenario.pickle"
    code = (f"import pickle\nfrom pathlib import Path\nfrom callsim.discover import discover\n"
            f"found = discover([Path({str(scenario)!r})])\nassert found.scenarios and not found.errors\n"
            f"Path({str(path)!r}).write_bytes(pickle.dumps(found.scenarios))\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=environment(ROOT))
    return path


def floor_imports(env: dict[str, str]) -> str:
    """Code importing every module a hit imports except pydantic's, callsim.config's and those importing them."""
    listing = START + IMPORTS + "import json\nprint(json.dumps(sorted(sys.modules)))\n"
    loaded = subprocess.run([sys.executable, "-c", "import sys\n" + listing], capture_output=True, text=True,
                            check=True, cwd=ROOT, env=env).stdout.splitlines()[-1]
    # a callsim module that imports configuration at its top cannot be loaded without it: the modules below
    # it that a hit needs are in the list on their own
    check = (f"import importlib, json, sys\nkept = []\nfor name in json.loads({loaded!r}):\n"
             f"    if name.startswith({NOT_FOR_A_HIT!r}) or name == '__main__':\n        continue\n"
             f"    before = set(sys.modules)\n    try:\n        importlib.import_module(name)\n"
             f"    except Exception:\n        continue  # a name that is no module of its own (typing.io)\n"
             f"    if any(m.startswith({NOT_FOR_A_HIT[:5]!r}) for m in set(sys.modules) - before):\n"
             f"        for m in set(sys.modules) - before:\n            del sys.modules[m]\n        continue\n"
             f"    kept.append(name)\nprint(json.dumps(kept))\n")
    kept = subprocess.run([sys.executable, "-c", START + check], capture_output=True, text=True, check=True,
                          cwd=ROOT, env=env).stdout.splitlines()[-1]
    return f"import importlib, json\nfor _name in json.loads({kept!r}):\n    importlib.import_module(_name)\n"


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
        hit = LOADED + HIT.format(snapshot=str(snapshot(scenario, Path(folder))), scenario=str(scenario))
        counts = {"today: the console script's run": instructions(today, env),
                  "hit: unpickled pydantic instances, models made as today": instructions(
                      [sys.executable, "-c", START + IMPORTS + hit], env),
                  "hit: the same, every model with defer_build": instructions(
                      [sys.executable, "-c", START + DEFER + IMPORTS + hit], env)}
        imports = instructions([sys.executable, "-c", START + IMPORTS + LOADED], env)
        floor = instructions([sys.executable, "-c", START + floor_imports(env) + LOADED], env)
    if None in (*counts.values(), imports, floor):
        sys.exit("valgrind is needed to count instructions")
    call = counts["hit: unpickled pydantic instances, models made as today"] - imports
    counts["floor of a hit without pydantic: its other imports and the call"] = floor + call
    print(f"callsim run {scenario.relative_to(ROOT) if scenario.is_relative_to(ROOT) else scenario} "
          "(instructions, valgrind):")
    for name, count in counts.items():
        print(f"  {count / 1e6:6.0f} M  {name}")
    print(f"  (of which the hit's call itself: {call / 1e6:.0f} M; its imports without pydantic: {floor / 1e6:.0f} M)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
