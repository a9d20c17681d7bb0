"""Start-up time: `callsim run ONE.yaml` end to end, what it imports, and date reads after the first.

    .venv/bin/python tests/benchmarks/startup.py [--runs N] [--scenario FILE] [--against CHECKOUT] [--instructions]
                                                 [--breakdown] [--cache off|miss|hit]

1. `callsim run SCENARIO` (default: scenarios/booking/availability_tomorrow_morning.yaml, a booking call
   with dates and times) as a fresh process, N times (default 15): the median and the least CPU time
   (user + system) and wall time. On a machine shared with other work the CPU time is the steadier
   figure; the wall time is only meaningful on a quiet machine.
   With `--against CHECKOUT` (another checkout of callsim, e.g. a `git worktree` of an older commit)
   the runs of both alternate, each from its own src/ (same venv), so both see the same machine state.
   With `--instructions` each is also counted once in instructions under valgrind (deterministic, load
   or no load; slow: ~30 s a run).
2. `python -X importtime` of the same run: the total import time and the ten costliest modules.
3. Reading spoken dates, times and datetimes in one process: the first read, then the median of 2000
   reads of common forms, and whether the dateparser fallback was loaded.
4. With `--breakdown` (valgrind), where the run's instructions go: Python's own start, each library the
   run loads (in turn, each counted on top of the ones before), callsim's own modules, and the call itself.

Every run is made without the validated-configuration cache (callsim.config_cache) unless `--cache` says
otherwise: `miss` gives each run an empty configuration cache (it validates, then hashes and keeps what it read;
the other kinds kept in the same folder, such as faker's names, stay from the first run), `hit` one
that the first run filled (each run then takes the kept result).

The runs are made as a user's shell makes them after `make setup`, in this environment (PYTHONDONTWRITEBYTECODE
as it is set here; the benchmark says which): callsim's bytecode is compiled first, as `make bytecode` (and
installing a package) compiles it, and so is what its start compiles in pure Python (`python -m
callsim.startup_cache`: regular expressions and dataclass methods), for a checkout that has that build step. A
checkout without it runs with whatever startup cache it finds (with PYTHONDONTWRITEBYTECODE set, its runs write
none; the benchmark says whether there was one). A first, unmeasured run of each warms the file cache.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/booking/availability_tomorrow_morning.yaml"
SAID = ["tomorrow", "next tuesday", "december third", "the fifth of january", "monday at ten thirty",
        "tomorrow at 2 pm", "ten thirty", "half past two", "quarter to three in the afternoon",
        "january seventh ninety eight", "the 14th", "friday", "noon", "in two hours", "12/03"]
TYPES = ["date", "date", "date", "date", "datetime", "datetime", "time", "time", "time", "date", "date", "date",
         "time", "datetime", "date"]


def entry_point(checkout: Path) -> tuple[str, str]:
    """The module and function of the `callsim` console script of `checkout`."""
    project = tomllib.loads((checkout / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, function = project["project"]["scripts"]["callsim"].partition(":")
    return module, function


def console_script(checkout: Path) -> list[str]:
    """What the `callsim` console script of `checkout` runs, as a command (run from that checkout's src/)."""
    module, function = entry_point(checkout)
    return [sys.executable, "-c", f"import sys; sys.argv[0] = 'callsim'; from {module} import {function}; "
                                  f"sys.exit({function}())"]


def environment(checkout: Path, cache: str = "off", folder: Path | None = None) -> dict[str, str]:
    """The environment of a run of `checkout`: without the validated-configuration cache (`off`: every run
    validates), or with it in `folder` (`hit` and `miss`: a folder the caller fills, or a fresh empty one)."""
    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "NO_COLOR": "1", "CALLSIM_NO_CACHE": "1"}
    if cache != "off":
        assert folder is not None
        if cache == "miss":  # the configuration cache emptied; what else is kept there (faker's names) stays, as a
            # user's miss finds it: a new folder each run would count building those too (~80 M instructions)
            shutil.rmtree(folder / "config", ignore_errors=True)
        env.update({"CALLSIM_NO_CACHE": "0", "CALLSIM_CACHE_DIR": str(folder)})
    return env


def build_startup_cache(checkout: Path) -> str:
    """Run the build step of `checkout`'s startup cache (as `make bytecode` does) and say what it found."""
    module = checkout / "src/callsim/startup_cache.py"
    if module.exists() and "def fill(" in module.read_text(encoding="utf-8"):
        subprocess.run([sys.executable, "-m", "callsim.startup_cache"], check=True, capture_output=True, cwd=checkout,
                       env={**os.environ, "PYTHONPATH": str(checkout / "src")})
        return "its startup cache was written by its build step (python -m callsim.startup_cache)"
    if not module.exists():
        return "no startup cache"
    kept = list((checkout / "src/callsim/__pycache__").glob("startup_cache.*.kept"))
    return f"no build step for its startup cache; its runs {'find one' if kept else 'find none'}"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def instructions(command: list[str], env: dict[str, str]) -> int | None:
    """Instructions executed by one run of `command`, counted by valgrind (None without valgrind)."""
    if not shutil.which("valgrind"):
        return None
    # a fixed hash seed: set and dict orders, and so the count, otherwise vary by some tens of millions a run
    found = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                            *command], capture_output=True, text=True, cwd=ROOT, env={**env, "PYTHONHASHSEED": "0"},
                           check=True).stderr
    match = re.search(r"I\s+refs:\s+([\d,]+)", found)
    return int(match[1].replace(",", "")) if match else None


LIBRARIES = [("pydantic and its first model", "pydantic",
              "import pydantic\nclass _First(pydantic.BaseModel):\n    x: int = 0"), ("PyYAML", "yaml", "import yaml"),
             ("phonenumbers", "phonenumbers", "import phonenumbers"), ("rapidfuzz", "rapidfuzz", "import rapidfuzz"),
             ("rich", "rich", "import rich.console, rich.table"), ("asyncio", "asyncio", "import asyncio")]
"""The libraries a run may load (name, module, what loads it), in the order the breakdown counts those it loads."""


def breakdown(checkout: Path, scenario: Path, env: dict[str, str]) -> list[tuple[str, int]]:
    """The instructions of each part of a run of `scenario`, each counted on top of the parts before it."""
    module, function = entry_point(checkout)
    kept = (checkout / "src/callsim/startup_cache.py").exists()
    if kept:  # installed as the executable does (first), then its `main`, so that it is loaded once
        function = "main"
    run = (f"import sys\nsys.argv = ['callsim', 'run', {str(scenario)!r}]\nfrom {module} import {function}\n"
           f"try:\n    {function}()\nexcept SystemExit:\n    pass\n")
    subprocess.run([sys.executable, "-c", run], capture_output=True, cwd=ROOT, env=env, check=True)  # a hit's
    # cache is keyed by sys.path too, which differs from the console script's: filled here for the steps below
    listing = run + "import json\nprint(json.dumps(list(sys.modules)))"
    modules = json.loads(subprocess.run([sys.executable, "-c", listing], capture_output=True, text=True, cwd=ROOT,
                                        env=env, check=True).stdout.splitlines()[-1])
    loaded = [name for name in modules if name.startswith("callsim")]
    libraries = [(name, step) for name, module, step in LIBRARIES if module in modules]
    install = [("loading what earlier runs compiled (callsim.startup_cache)",
                "from callsim import startup_cache\nstartup_cache.install()")] if kept else []
    steps = [("Python's start", ""), *install, *libraries,
             ("callsim's modules", f"import importlib\nfor _name in {loaded}:\n    importlib.import_module(_name)"),
             ("the call (and what it loads late)", run)]
    found, code, before = [], "", 0
    for name, step in steps:
        code += step + "\n"
        counted = instructions([sys.executable, "-c", code], env) or 0
        found.append((name, counted - before))
        before = counted
    return found


def import_times(command: list[str], env: dict[str, str]) -> tuple[float, list[tuple[float, str]]]:
    found = subprocess.run([command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True,
                           cwd=ROOT, env=env, check=True).stderr
    rows = []
    for text in found.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", text)
        if match:
            rows.append((int(match[2]) / 1e6, len(match[3]), match[4]))
    total = sum(cumulative for cumulative, depth, _ in rows if depth == 1)
    top = sorted(((c, n) for c, d, n in rows), reverse=True)[:10]
    return total, top


def read_times(env: dict[str, str]) -> tuple[float, float, float]:
    code = f"""
import datetime as dt, statistics, sys, time
from zoneinfo import ZoneInfo
from callsim.readers import ReadContext, read_value
ctx = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("America/New_York")), timezone="America/New_York")
said, types = {SAID!r}, {TYPES!r}
started = time.perf_counter(); read_value(types[0], said[0], ctx); first = time.perf_counter() - started
loaded = "dateparser" in sys.modules
times = []
for i in range(2000):
    started = time.perf_counter(); read_value(types[i % len(said)], said[i % len(said)], ctx)
    times.append(time.perf_counter() - started)
print(first, statistics.median(times), int(loaded))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    parser.add_argument("--against", type=Path, help="another checkout of callsim to alternate runs with")
    parser.add_argument("--instructions", action="store_true", help="also count instructions under valgrind")
    parser.add_argument("--breakdown", action="store_true", help="count where the run's instructions go (valgrind)")
    parser.add_argument("--cache", choices=["off", "miss", "hit"], default="off",
                        help="the validated-configuration cache: off (every run validates), miss (each run validates "
                             "and keeps the result in an empty cache), hit (each run takes the kept result)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="callsim-startup-cache-"))
    try:
        measure(options, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(options: argparse.Namespace, folder: Path) -> None:
    def environment_of(checkout: Path) -> dict[str, str]:
        """Each checkout's cache in a folder of its own."""
        return environment(checkout, options.cache, folder / hashlib.sha256(str(checkout).encode()).hexdigest()[:8])

    checkouts = {"this checkout": ROOT}
    if options.against:
        checkouts[f"against {options.against}"] = options.against.resolve()
    print(f"PYTHONDONTWRITEBYTECODE is {'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'not set'}; "
          "callsim's bytecode was compiled ahead, as `make bytecode` and an install do")
    for name, checkout in checkouts.items():
        compileall.compile_dir(checkout / "src" / "callsim", quiet=1)
        print(f"  {name}: {build_startup_cache(checkout)}")
    scenario = options.scenario.resolve()
    commands = {name: [*console_script(path), "run", str(scenario)] for name, path in checkouts.items()}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
    for name in checkouts:  # a first run of each warms the file cache (and fills a `hit`'s configuration cache)
        timed(commands[name], environment_of(checkouts[name]))
    for _ in range(options.runs):
        for name, checkout in checkouts.items():
            times[name].append(timed(commands[name], environment_of(checkout)))
    print(f"callsim run {scenario.relative_to(ROOT) if scenario.is_relative_to(ROOT) else scenario}, "
          f"{options.runs} runs, validated-configuration cache: {options.cache}:")
    for name, checkout in checkouts.items():
        walls, cpus = zip(*times[name])
        counted = instructions(commands[name], environment_of(checkout)) if options.instructions else None
        print(f"  {name}: CPU median {ms(statistics.median(cpus))} (least {ms(min(cpus))}), wall median "
              f"{ms(statistics.median(walls))} (least {ms(min(walls))})"
              + (f", {counted / 1e6:.0f} M instructions" if counted else ""))
    env = environment_of(ROOT)
    total, top = import_times(commands["this checkout"], env)
    print(f"imports during the run: {ms(total)} (wall); costliest (cumulative):")
    for cumulative, module in top:
        print(f"  {cumulative * 1000:7.1f} ms  {module}")
    first, median, loaded = read_times(env)
    print(f"date/time reads: first {first * 1000:.1f} ms, then median {median * 1000:.3f} ms "
          f"(dateparser loaded after the first read: {'yes' if loaded else 'no'})")
    if options.breakdown:
        parts = breakdown(ROOT, scenario, env)
        print(f"where the run's {sum(count for _, count in parts) / 1e6:.0f} M instructions go:")
        for name, count in parts:
            print(f"  {count / 1e6:6.0f} M  {name}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
