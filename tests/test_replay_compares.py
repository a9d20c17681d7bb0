"""A replay that compares nothing is not green: with `scenarios/` a link, a recording is still compared with its
scenario's run, and a recording whose scenario is gone fails the replay."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture
def linked(project, monkeypatch):
    """The project's files moved to a folder elsewhere, and `scenarios/` in the project a link to it."""
    elsewhere = project.root.parent / f"{project.root.name}-elsewhere"
    elsewhere.mkdir()
    for name in ("agent.yaml", "actions.yaml", "scenario.yaml"):
        shutil.move(project.root / name, elsewhere / name)
    (project.root / "pyproject.toml").write_text("")
    (project.root / "scenarios").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(project.root)
    return elsewhere


def test_a_recording_under_a_linked_scenarios_folder_is_compared(cli, project, linked):
    recorded = cli("replay", "scenarios/scenario.yaml", "--update")
    assert recorded.exit_code == 0, recorded.output
    assert (project.root / "recordings" / "scenario.jsonl").is_file()  # beside the others, not under the link's target

    outcome = cli("replay", "recordings/scenario.jsonl")

    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.strip().splitlines()[-1] == "1 same"


def test_a_change_behind_a_linked_scenarios_folder_fails_the_replay(cli, project, linked):
    assert cli("replay", "scenarios/scenario.yaml", "--update").exit_code == 0
    (linked / "agent.yaml").write_text((linked / "agent.yaml").read_text().replace("Hello, how can I help?",
                                                                                   "Hi there."))

    outcome = cli("replay", "recordings/scenario.jsonl")

    assert outcome.exit_code == 1
    assert outcome.stdout.strip().splitlines()[-1] == "1 changed"


def test_a_recording_whose_scenario_is_gone_fails_the_replay(cli, project):
    assert cli("replay", "scenario.yaml", "--update").exit_code == 0
    project.scenario.unlink()

    outcome = cli("replay", "recordings/scenario.jsonl")

    assert outcome.exit_code == 1
    assert ("recordings/scenario.jsonl:1: its scenario scenario.yaml no longer exists, so nothing was compared; "
            "delete the recording or restore the scenario") in outcome.stderr
    assert "nothing replayed" in outcome.stdout


def test_a_recording_naming_a_scenario_outside_the_project_is_refused(cli, project):
    assert cli("replay", "scenario.yaml", "--update").exit_code == 0
    path = project.root / "recordings" / "scenario.jsonl"
    header, rest = path.read_text().split("\n", 1)
    path.write_text(header.replace('"file": "scenario.yaml"', '"file": "/etc/passwd"') + "\n" + rest)

    outcome = cli("replay", "recordings/scenario.jsonl")

    assert outcome.exit_code == 2
    assert "recordings/scenario.jsonl:1: its scenario '/etc/passwd' is outside the project" in outcome.stderr
