"""A trace's header names its scenario file relative to the working folder of the moment the call starts."""

from __future__ import annotations

from pathlib import Path

from callsim.config.project import load_scenario
from callsim.runner import trace_header

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios/booking/availability_tomorrow_morning.yaml"


def test_the_file_is_named_from_the_folder_the_process_is_in_now(monkeypatch):
    scenario = load_scenario(SCENARIO)
    monkeypatch.chdir(ROOT)
    assert trace_header(scenario)["file"] == "scenarios/booking/availability_tomorrow_morning.yaml"

    # an audio turn's file is looked for from this path's folder: one relative to the old folder is not found
    monkeypatch.chdir(ROOT / "scenarios")
    assert trace_header(scenario)["file"] == "booking/availability_tomorrow_morning.yaml"
