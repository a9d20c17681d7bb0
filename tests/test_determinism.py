"""The same scenario and seed give a byte-identical trace across runs, processes and xdist workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios" / "acme"
PRINT_TRACE = "import sys; from callsim import run_scenario; sys.stdout.write(run_scenario(sys.argv[1]).trace.to_jsonl())"


def trace_in_new_process(scenario: Path, hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", PRINT_TRACE, str(scenario.relative_to(ROOT))], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_identical_across_processes_with_different_hash_seeds():
    scenario = SCENARIOS / "persona_update_email.yaml"
    first, second = trace_in_new_process(scenario, "1"), trace_in_new_process(scenario, "4242")
    assert first == second
    assert '"caller_said"' in first


def test_identical_under_xdist_and_in_one_process(tmp_path):
    pytest.importorskip("xdist")
    outputs = {}
    for workers in ("0", "2"):
        out = tmp_path / f"n{workers}"
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:textual-snapshot",
                        "-n", workers, "--callsim-record", str(out), str(SCENARIOS)], cwd=ROOT, check=True,
                       capture_output=True)
        outputs[workers] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.jsonl"))}
    assert outputs["0"] == outputs["2"]
    assert len(outputs["0"]) >= 10  # every acme run was recorded, personas included
