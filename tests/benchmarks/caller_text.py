"""Benchmark: the CPU a long caller turn costs, end to end, in every example project and state.

    .venv/bin/python tests/benchmarks/caller_text.py [CHARACTERS] [TURNS] [PROJECT,...]

For each scenario of each project, its own caller turns are played, then TURNS turns of CHARACTERS
characters (10,000 by default, the most a turn may hold) of one shape each: dates, plain words, spoken
digits, times with corrections ("no wait"), correction markers alone, names with "I mean", booking
requests. Prints the CPU seconds per long turn (CPU, not wall time: a busy machine does not change it),
worst first. The README's figure for reading caller text comes from here.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from callsim.config.project import load_scenario
from callsim.config.yaml_positions import read_document
from callsim.errors import CallsimError
from callsim.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
SHAPES = {
    "dates": "maybe next tuesday at 3 or the 14th of march, ", "words": "blah ", "digits": "4 5 6 7 ",
    "corrected times": "I said tomorrow at ten thirty pm no wait friday 2:45, ",
    "markers": "no I mean actually 45, wait sorry make that ", "names": "this is ana ruiz I mean bob smith, ",
    "requests": "book a cleaning for tomorrow at 10 am please ",
}
LEFT_OUT = ("turns", "expect", "http", "sms", "replies", "calendar", "persona")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    turns = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    projects = sys.argv[3].split(",") if len(sys.argv) > 3 else sorted(
        p.name for p in (ROOT / "scenarios").iterdir() if (p / "agent.yaml").is_file() and p.name != "voice")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "scenarios"
        shutil.copytree(ROOT / "scenarios", copy)
        (copy.parent / "pyproject.toml").write_text("")  # the project's root: agents use each other's files
        for project in projects:
            for path in sorted((copy / project).glob("*.yaml")):
                data = read_document(path).data
                if not isinstance(data, dict) or "scenario" not in data:
                    continue
                said = [t for t in data.get("turns", []) if isinstance(t, dict) and "caller" in t]
                for shape, unit in SHAPES.items():
                    text = (unit * (size // len(unit) + 1))[:size]
                    case = {k: v for k, v in data.items() if k not in LEFT_OUT}
                    case["turns"] = said + [{"caller": text}] * turns
                    bench = path.with_name("bench_case.yaml")
                    bench.write_text(yaml.safe_dump(case, width=10**9, allow_unicode=True))
                    try:
                        scenario = load_scenario(bench)
                    except CallsimError:  # a scenario with no place for caller turns (a phone menu's)
                        break
                    started = cpu()
                    run_scenario(scenario)
                    rows.append(((cpu() - started) / turns, f"{project}/{path.stem}", shape))
    rows.sort(reverse=True)
    print(f"{'CPU s/turn':>10}  {'µs/char':>7}  shape            scenario")
    for seconds, name, shape in rows[:15]:
        print(f"{seconds:10.3f}  {seconds / size * 1e6:7.1f}  {shape:16} {name}")
    print(f"{len(rows)} cases; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
