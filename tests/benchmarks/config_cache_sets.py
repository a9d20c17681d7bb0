"""The validated-configuration cache on the runs users make one after another: a folder, then one file of it;
a pytest session; a replay of every recording.

    .venv/bin/python tests/benchmarks/config_cache_sets.py [--runs N] [--against CHECKOUT] [--instructions]
                                                           [--only after-folder|collect|replay]

For this checkout (and `--against` another one, e.g. a `git worktree` of an older commit; the runs of both
alternate, each from its own src/ with the same venv):
1. after-folder: `callsim run ONE.yaml` (the booking file of tests/benchmarks/startup.py) after `callsim run
   scenarios/` filled the cache, N times; with `--instructions`, once under valgrind.
2. collect: `pytest --collect-only scenarios/` with the cache off, cold (an empty cache each time: it validates
   and keeps) and warm (the cache a cold session filled), N times each.
3. replay: `callsim replay` (every recording under recordings/) off, cold and warm, max(2, N // 3) times each.
Each figure is the median CPU time (user + system) of the runs, steadier than wall time on a shared machine; the
load average is printed at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from startup import ROOT, SCENARIO, console_script, environment, instructions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", type=Path, help="another checkout of callsim to alternate runs with")
    parser.add_argument("--instructions", action="store_true", help="count the one-file run's instructions (valgrind)")
    parser.add_argument("--only", choices=["after-folder", "collect", "replay"], action="append")
    options = parser.parse_args()
    checkouts = {"this checkout": ROOT}
    if options.against:
        checkouts[f"against {options.against}"] = options.against.resolve()
    folder = Path(tempfile.mkdtemp(prefix="callsim-cache-sets-"))
    try:
        for part in options.only or ["after-folder", "collect", "replay"]:
            {"after-folder": after_folder, "collect": collect, "replay": replay}[part](checkouts, options, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def _env(checkout: Path, cache: str, folder: Path) -> dict[str, str]:
    """`off`, `cold` (a new empty cache) or `warm` (the cache in `folder`, filled by the caller)."""
    return environment(checkout, {"off": "off", "cold": "miss", "warm": "hit"}[cache], folder)


def _cpu(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """The CPU time (user + system) of one run of `command` in `cwd` (which may fail: a figure all the same)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, cwd=cwd, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def after_folder(checkouts: dict[str, Path], options: argparse.Namespace, folder: Path) -> None:
    one = str(SCENARIO.relative_to(ROOT))  # as a user types it (an entry is keyed by the path as given)
    print(f"callsim run {one} after callsim run scenarios/, {options.runs} runs:")
    cpus: dict[str, list[float]] = {name: [] for name in checkouts}
    envs, filled = {}, {}
    for index, (name, checkout) in enumerate(checkouts.items()):
        filled[name] = folder / f"after-folder-{index}"
        subprocess.run([*console_script(checkout), "run", "scenarios/"], cwd=checkout,
                       env=_env(checkout, "warm", filled[name]), capture_output=True)  # (a failing scenario fails
        # the run, not the filling)
        envs[name] = _env(checkout, "warm", folder / f"after-folder-{index}-run")

    def as_after_the_folder(name: str) -> None:
        """The cache as the folder's run left it (an older callsim keeps the one-file run's own entry, which the
        next run would take)."""
        run = folder / f"after-folder-{list(checkouts).index(name)}-run"
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(filled[name], run, symlinks=True)

    for _ in range(options.runs):
        for name, checkout in checkouts.items():
            as_after_the_folder(name)
            cpus[name].append(_cpu([*console_script(checkout), "run", one], envs[name], checkout))
    for name, checkout in checkouts.items():
        as_after_the_folder(name)
        counted = instructions([*console_script(checkout), "run", one], envs[name]) if options.instructions else None
        print(f"  {name}: CPU median {statistics.median(cpus[name]) * 1000:.0f} ms (least "
              f"{min(cpus[name]) * 1000:.0f} ms)" + (f", {counted / 1e6:.0f} M instructions" if counted else ""))


def _modes(title: str, command: Callable[[Path], list[str]], runs: int, checkouts: dict[str, Path],
           folder: Path) -> None:
    print(f"{title}, {runs} runs each:")
    for index, (name, checkout) in enumerate(checkouts.items()):
        warm = folder / f"{title.split()[0]}-{index}"
        subprocess.run(command(checkout), cwd=checkout, env=_env(checkout, "warm", warm), capture_output=True)
        # and the cold runs' folder: what else is kept beside the configuration cache (faker's names, the phrases'
        # embeddings) is there for each of them, as for a user's run that misses
        subprocess.run(command(checkout), cwd=checkout, env=_env(checkout, "cold", folder / "cold"), capture_output=True)
        figures = []
        for mode in ("off", "cold", "warm"):
            cpus = [_cpu(command(checkout), _env(checkout, mode, warm if mode == "warm" else folder / "cold"), checkout)
                    for _ in range(runs)]
            figures.append(f"{mode} {statistics.median(cpus):.2f} s")
        print(f"  {name}: CPU median " + ", ".join(figures))


def collect(checkouts: dict[str, Path], options: argparse.Namespace, folder: Path) -> None:
    _modes("pytest --collect-only scenarios/",
           lambda checkout: [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                             "scenarios/"], options.runs, checkouts, folder)


def replay(checkouts: dict[str, Path], options: argparse.Namespace, folder: Path) -> None:
    _modes("callsim replay (every recording)", lambda checkout: [*console_script(checkout), "replay"],
           max(2, options.runs // 3), checkouts, folder)


if __name__ == "__main__":
    main()
