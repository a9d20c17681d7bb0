"""Wall time of a transfer that rings 25 s and keeps the caller on hold for 2 minutes (virtual time).

    .venv/bin/python tests/benchmarks/telephony_long_hold.py [RUNS]

Loads scenarios/telephony/warm_transfer_long_hold.yaml once and runs it RUNS times (default 500) in
one event loop, as `callsim run` does; prints the call's virtual length, its ring and hold times,
and the wall time per run (median, p95, min).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from callsim.config.project import load_scenario
from callsim.runner import run_scenario_async

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "telephony" / "warm_transfer_long_hold.yaml"


async def main(runs: int) -> None:
    scenario = load_scenario(SCENARIO)
    walls, call_length, ring, hold = [], 0.0, 0.0, 0.0
    for _ in range(runs):
        started = time.perf_counter()
        result = await run_scenario_async(scenario)
        walls.append(time.perf_counter() - started)
        if not result.passed:
            raise SystemExit(f"the scenario failed: {result.failures or result.errors}")
        call_length = result.trace.events[-1].t
        hold = next(e.duration for e in result.trace.events if e.type == "hold_stopped")
        ring = next(e.after for e in result.trace.events if e.type == "answered")
    walls.sort()
    p95 = walls[int(len(walls) * 0.95) - 1]
    print(f"scenario: {scenario.title}")
    print(f"virtual call {call_length:.1f} s, ringing {ring:g} s, caller on hold {hold:.1f} s")
    print(f"wall time per run over {runs} runs: median {statistics.median(walls) * 1000:.2f} ms, "
          f"p95 {p95 * 1000:.2f} ms, min {walls[0] * 1000:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
