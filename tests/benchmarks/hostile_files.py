"""Benchmark: how fast a file beyond a limit is refused, and what the largest accepted scenarios cost.

    .venv/bin/python tests/benchmarks/hostile_files.py

Each case runs in a fresh `python` (so its peak memory is its own) and prints the wall and CPU time of
loading (and, for scenarios that load, running) it, callsim's own imports left out, the outcome and the peak resident memory; CPU time
is what to compare on a busy machine. The example
agent is scenarios/acme/agent.yaml, copied next to each generated scenario.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "scenarios" / "acme"

PROBE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from callsim.errors import CallsimError
    from callsim.config.project import load_scenario
    from callsim.runner import run_scenario
    from callsim.trace.trace import read_trace
    path, run = Path(sys.argv[1]), sys.argv[2] == "run"
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    outcome = "accepted"
    try:
        if path.suffix == ".jsonl":
            outcome = f"read {len(read_trace(path).events)} events"
        else:
            scenario = load_scenario(path)
            loaded = time.perf_counter() - started
            if run:
                result = run_scenario(scenario)
                outcome = f"ran {len(result.trace.events)} events in {time.perf_counter() - started - loaded:.2f} s, " \\
                          f"{'passed' if result.passed else 'failed'}"
    except CallsimError as problem:
        outcome = "refused: " + str(problem).splitlines()[0].split(": ", 1)[-1][:90]
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime - cpu, "outcome": outcome,
                      "peak_mb": usage.ru_maxrss / 1024}))
""")

BARE = "scenario: generated\nagent: agent.yaml\nsecrets: {ACME_TOKEN: x}\n"
HEAD = BARE + "start_data: {crm_id: C-981}\n"
ORDER = ("http:\n  - {match: GET https://api.acme.test/orders/4567, json: {status: shipped, eta: Thursday}, "
         "optional: true}\n  - {match: POST https://api.acme.test/calls, status: 204, optional: true}\n")


def turns(count: int) -> str:
    return ORDER + "turns:\n" + "".join(f"  - caller: hello there, this is turn {i}\n"
                                        f"  - expect: {{agent_said: I can help with orders}}\n" for i in range(count // 2))


def billion_laughs(levels: int) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\n{HEAD}turns: *l{levels - 1}\n"


CASES: list[tuple[str, str, bool]] = [
    ("file over 2 MiB", HEAD + "# " + "x" * (2 * 1024 * 1024) + "\n", False),
    ("billion laughs (10^9 values)", billion_laughs(9), False),
    ("alias chain (2^40 values)", HEAD + "".join(f"c{i}: &c{i} [*c{i - 1}, *c{i - 1}]\n" if i else "c0: &c0 [a, b]\n"
                                                 for i in range(40)), False),
    ("110,000 values (1.5 MB)", BARE + "start_data:\n" + "".join(f"  k{i}: v{i}\n" for i in range(55_000)), False),
    ("nesting 10,000 deep", BARE + "start_data: {a: " + "[" * 10_000 + "]" * 10_000 + "}\n", False),
    ("a 1 MB caller turn", HEAD + ORDER + "turns:\n  - caller: " + "where is my order " * 58_000 + "\n", False),
    ("a 50,000-character caller turn", HEAD + ORDER + "turns:\n  - caller: " + "where is my order " * 2_800 + "\n",
     False),
    ("6,000 turns", HEAD + ORDER + "turns:\n" + "  - wait: 1s\n" * 6_000, False),
    ("2,000 turns (1,000 caller turns, 1,000 checks)", HEAD + turns(2_000), True),
    ("5,000 turns (2,500 caller turns, 2,500 checks)", HEAD + turns(5_000), True),
    ("a 10,000-character caller turn", HEAD + ORDER + "turns:\n  - caller: " + "well " * 1_994
     + "where is my order, it's 4567\n  - expect: {agent_said: Order 4567 is shipped}\n", True),
]


def measure(path: Path, run: bool) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(path), "run" if run else "load"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    print(f"{'case':50} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("agent.yaml", "actions.yaml"):
            shutil.copy(ACME / name, root / name)
        for index, (label, text, run) in enumerate(CASES):
            path = root / f"case{index}.yaml"
            path.write_text(text, encoding="utf-8")
            figures = measure(path, run)
            print(f"{label:50} {figures['seconds']:7.3f} {figures['cpu']:7.3f} {figures['peak_mb']:8.0f}  "
                  f"{figures['outcome']}")
        trace = root / "big.jsonl"
        subprocess.run([sys.executable, "-m", "callsim.cli", "run", str(root / "case9.yaml"), "--record", str(root / "out")],
                       capture_output=True, check=False, cwd=root)
        recorded = next((root / "out").rglob("*.jsonl"), None)
        if recorded is not None:
            shutil.copy(recorded, trace)
            figures = measure(trace, False)
            size = trace.stat().st_size / 1024 / 1024
            print(f"{f'reading its trace ({size:.1f} MB)':50} {figures['seconds']:7.3f} {figures['cpu']:7.3f} "
                  f"{figures['peak_mb']:8.0f}  {figures['outcome']}")


if __name__ == "__main__":
    main()
