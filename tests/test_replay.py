"""`callsim replay`: golden recordings are compared, and rewritten only from calls that pass.

A recording is the approved behaviour of a scenario; writing one from a call that fails its own
expectations would turn a red scenario into a green replay.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def recording(project) -> Path:
    return project.root / "recordings" / "scenario.jsonl"


def fail(project) -> None:
    project.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}", "{agent_said: Order 4567 is delivered}")


def test_update_records_a_passing_call(cli, recording):
    outcome = cli("replay", "scenario.yaml", "--update")

    assert outcome.exit_code == 0, outcome.output
    assert recording.exists()
    assert "1 written" in outcome.stdout
    assert cli("replay").exit_code == 0


def test_update_refuses_to_record_a_failing_call(cli, project, recording):
    fail(project)

    outcome = cli("replay", "scenario.yaml", "--update")

    assert outcome.exit_code == 1
    assert not recording.exists()
    assert "REFUSED" in outcome.stdout and "1 refused" in outcome.stdout
    assert "Not recorded (the call fails its own expectations): scenario.yaml" in outcome.stdout
    assert "expected the agent to say something containing 'Order 4567 is delivered'" in outcome.stdout


def test_update_keeps_the_approved_recording_when_the_call_now_fails(cli, project, recording):
    assert cli("replay", "scenario.yaml", "--update").exit_code == 0
    approved = recording.read_bytes()
    project.edit("actions.yaml", "say: Order {{ order_number }} is {{ order_status }}.",
                 "say: Order {{ order_number }} is lost.")

    outcome = cli("replay", "recordings", "--update")

    assert outcome.exit_code == 1
    assert recording.read_bytes() == approved
    assert "1 refused" in outcome.stdout
    # and a plain replay still shows both the failure and how the call drifted from the recording
    replayed = cli("replay")
    assert replayed.exit_code == 1
    assert "CHANGED" in replayed.stdout and "Order 4567 is lost." in replayed.stdout


def test_run_record_writes_debug_traces_of_failing_calls_too(cli, project):
    fail(project)

    outcome = cli("run", "scenario.yaml", "--record", "traces")

    assert outcome.exit_code == 1
    assert (project.root / "traces" / "scenario.jsonl").exists()


@pytest.mark.parametrize("target", ["recordings", "recordings/debug", "./recordings/"])
def test_run_record_refuses_to_write_into_the_golden_recordings(cli, project, target):
    outcome = cli("run", "scenario.yaml", "--record", target)

    assert outcome.exit_code == 2
    assert not (project.root / "recordings").exists()
    assert ("--record writes the trace of every call, failing ones too; it cannot write into the golden "
            "recordings folder recordings/") in outcome.stderr
    assert "callsim replay scenario.yaml --update" in outcome.stderr
