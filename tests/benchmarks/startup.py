"""Start-up time: `callsim run ONE.yaml` end to end, what importing costs, and date reads after the first.

    .venv/bin/python tests/benchmarks/startup.py [RUNS] [SCENARIO]

1. Wall time of `callsim run SCENARIO` (default: scenarios/booking/availability_tomorrow_morning.yaml,
   a call with dates and times) as a fresh process, RUNS times (default 15): median and min.
2. `python -X importtime -c "import callsim.cli"`: the total and the ten costliest modules (cumulative).
3. Reading spoken dates, times and datetimes in one process: the first read, then the median of 2000
   reads of common forms, and the share that needed the dateparser fallback.
"""

from __future__ import annotations

import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALLSIM = Path(sys.executable).with_name("callsim")
SAID = ["tomorrow", "next tuesday", "december third", "the fifth of january", "monday at ten thirty",
        "tomorrow at 2 pm", "ten thirty", "half past two", "quarter to three in the afternoon",
        "january seventh ninety eight", "the 14th", "friday", "noon", "in two hours", "12/03"]
TYPES = ["date", "date", "date", "date", "datetime", "datetime", "time", "time", "time", "date", "date", "date",
         "time", "datetime", "date"]


def run_times(runs: int, scenario: Path) -> tuple[list[float], list[float]]:
    """Wall time and CPU time (user + system) of each run: on a busy machine the CPU time is the steadier."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([str(CALLSIM), "run", str(scenario)], check=True, capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def import_times() -> tuple[float, list[tuple[float, str]]]:
    found = subprocess.run([sys.executable, "-X", "importtime", "-c", "import callsim.cli"], capture_output=True,
                           text=True, check=True).stderr
    rows = []
    for line in found.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match[2]) / 1e6, len(match[3]), match[4]))
    total = sum(cumulative for cumulative, depth, _ in rows if depth == 1)
    top = sorted(((c, n) for c, d, n in rows), reverse=True)[:10]
    return total, top


def read_times() -> tuple[float, float, float]:
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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    scenario = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "scenarios/booking/availability_tomorrow_morning.yaml"
    walls, cpus = run_times(runs, scenario)
    print(f"callsim run {scenario.relative_to(ROOT)} over {runs} runs: wall median {statistics.median(walls) * 1000:.0f} "
          f"ms (min {min(walls) * 1000:.0f} ms), CPU median {statistics.median(cpus) * 1000:.0f} ms "
          f"(min {min(cpus) * 1000:.0f} ms)")
    total, top = import_times()
    print(f"import callsim.cli: {total * 1000:.0f} ms; costliest (cumulative):")
    for cumulative, name in top:
        print(f"  {cumulative * 1000:7.1f} ms  {name}")
    first, median, loaded = read_times()
    print(f"date/time reads: first {first * 1000:.1f} ms, then median {median * 1000:.3f} ms "
          f"(dateparser loaded after the first read: {'yes' if loaded else 'no'})")


if __name__ == "__main__":
    main()
