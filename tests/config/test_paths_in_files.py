"""Paths written in files (`agent:`, `uses:`, `ics:`, `hold_audio:`, `audio:`): relative to the file that names
them, inside the project, regular files only; a refusal is an error at the line that names the path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from callsim.config.project import load_project, load_scenario
from callsim.config.shapes.actions import check_hold_audio
from callsim.errors import ConfigErrors


def problems(load, path: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as caught:
        load(path)
    return [str(error) for error in caught.value.errors]


def test_an_agent_outside_the_project_is_refused_at_the_agent_line(project):
    project.edit("scenario.yaml", "agent: agent.yaml", "agent: ../../outside/agent.yaml")

    [error] = problems(load_scenario, project.scenario)
    assert error.startswith(f"{project.scenario}:2:8: agent file '../../outside/agent.yaml' is outside the project")


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_an_agent_that_is_a_device_is_refused_not_read(project, target):
    (project.root / "zero.yaml").symlink_to(target)  # a link inside the project: the path passes, the file does not
    project.edit("scenario.yaml", "agent: agent.yaml", "agent: zero.yaml")

    [error] = problems(load_scenario, project.scenario)
    assert error == (f"{project.scenario}:2:8: agent file 'zero.yaml' is a device; callsim reads only regular files; "
                     "give a path relative to the scenario file")


def test_a_library_that_is_a_fifo_is_refused_at_its_uses_line(project):
    os.mkfifo(project.root / "more.yaml")
    project.edit("agent.yaml", "uses: [actions.yaml]", "uses: [actions.yaml, more.yaml]")

    [error] = problems(load_project, project.agent)
    assert error.startswith(f"{project.agent}:5:22: uses[1]: is a named pipe (FIFO); callsim reads only regular files")


def test_a_path_holding_a_nul_is_refused_at_its_line(project):
    project.edit("scenario.yaml", "agent: agent.yaml", 'agent: "agent\\0.yaml"')

    [error] = problems(load_scenario, project.scenario)
    assert error.startswith(f"{project.scenario}:2:8: agent file 'agent\\x00.yaml' is no file name (it holds a NUL")


def test_a_library_outside_the_project_is_refused(project):
    project.edit("agent.yaml", "uses: [actions.yaml]", "uses: [actions.yaml, /etc/passwd]")

    [error] = problems(load_project, project.agent)
    assert f"{project.agent}:5:22: uses[1]: '/etc/passwd' is outside the project" in error


def test_a_library_named_twice_is_an_error(project):
    project.edit("agent.yaml", "uses: [actions.yaml]", "uses: [actions.yaml, ./actions.yaml]")

    [error] = problems(load_project, project.agent)
    assert error == (f"{project.agent}:5:22: uses[1]: './actions.yaml' is already used (uses[0]); "
                     "name each action library once")


def test_paths_resolve_from_the_file_that_names_them(tmp_path):
    """The scenario names its agent from scenarios/, the agent its library from agents/, the library its hold
    music from agents/lib/: each relative to its own file, all inside the project (marked by pyproject.toml)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "agents" / "lib").mkdir(parents=True)
    (tmp_path / "scenarios").mkdir()
    hold = Path(__file__).resolve().parents[2] / "scenarios" / "telephony" / "hold.wav"
    (tmp_path / "agents" / "lib" / "hold.wav").write_bytes(hold.read_bytes())
    (tmp_path / "agents" / "lib" / "actions.yaml").write_text(
        "actions:\n  to_desk:\n    type: transfer\n    trigger: {phrases: [desk]}\n    mode: cold\n"
        "    destination: '+14155550123'\n    hold_audio: hold.wav\n")
    (tmp_path / "agents" / "agent.yaml").write_text("agent: a\ngreeting: Hi\nuses: [lib/actions.yaml]\n"
                                                     "actions: [to_desk]\n")
    (tmp_path / "scenarios" / "s.yaml").write_text("scenario: s\nagent: ../agents/agent.yaml\n"
                                                   "phones: {'+14155550123': {answer_after: 1s}}\n"
                                                   "turns: [{caller: desk}]\n")

    scenario = load_scenario(tmp_path / "scenarios" / "s.yaml")
    assert scenario.project.files[-1] == tmp_path / "agents" / "lib" / "actions.yaml"


@pytest.mark.parametrize(("value", "problem"), [
    ("/dev/urandom", "hold_audio file '/dev/urandom' is outside the project"),
    ("fifo.wav", "hold_audio file 'fifo.wav' is a named pipe (FIFO); callsim reads only regular files"),
    ("missing.wav", "hold_audio file 'missing.wav' not found"),
])
def test_hold_audio_is_a_regular_wav_file_in_the_project(tmp_path, monkeypatch, value, problem):
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "fifo.wav")

    assert check_hold_audio(value, tmp_path)[0].startswith(problem)


def test_a_misspelt_hold_audio_file_names_the_one_beside_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "hold.wav").write_bytes(b"")

    assert check_hold_audio("hld.wav", tmp_path)[1] == "did you mean 'hold.wav'?"
    assert check_hold_audio("other.wav", tmp_path)[1] == "give a path relative to the action library"


@pytest.mark.parametrize(("old", "new", "hint"), [
    ("http:", "calendar: {timezone: UTC, ics: files/clinc.ics}\nhttp:", "did you mean 'files/clinic.ics'?"),
    ("http:", "calendar: {timezone: UTC, ics: files/Clinic.ICS}\nhttp:", "did you mean 'files/clinic.ics'?"),
    ("http:", "calendar: {timezone: UTC, ics: files/hours.ics}\nhttp:", "give a path relative to the scenario file"),
    ("  - caller: where is my order, it's 4567", "  - audio: files/questoin.wav", "did you mean 'files/question.wav'?"),
    ("  - caller: where is my order, it's 4567", "  - audio: files/answer.wav",
     "give a WAV file path relative to the scenario file"),
])
def test_a_missing_ics_or_audio_file_names_the_close_one_in_its_folder(project, old, new, hint):
    (project.root / "files").mkdir()
    for name in ("clinic.ics", "question.wav", "notes.txt"):
        (project.root / "files" / name).write_bytes(b"")
    project.edit("scenario.yaml", old, new)

    with pytest.raises(ConfigErrors) as caught:
        load_scenario(project.scenario)
    [error] = caught.value.errors
    assert "not found" in error.problem and error.hint == hint


def test_an_audio_turn_that_is_a_fifo_is_refused_at_its_turn(project):
    os.mkfifo(project.root / "question.wav")
    project.edit("scenario.yaml", "  - caller: where is my order, it's 4567", "  - audio: question.wav")

    [error] = problems(load_scenario, project.scenario)
    line, column = project.locate("scenario.yaml", "question.wav")
    assert error.startswith(f"{project.scenario}:{line}:{column}: audio 'question.wav': is a named pipe (FIFO)")


ICS = "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n"


def calendar_scenario(project, ics: str) -> None:
    project.edit("scenario.yaml", "http:", f"calendar: {{timezone: UTC, ics: {ics}}}\nhttp:")


def test_an_ics_file_outside_the_project_is_refused_without_reading_it(project):
    calendar_scenario(project, "/etc/passwd")

    [error] = problems(load_scenario, project.scenario)
    line, column = project.locate("scenario.yaml", "/etc/passwd")
    assert error.startswith(f"{project.scenario}:{line}:{column}: calendar.ics: '/etc/passwd' is outside the project")
    assert "root:x" not in error  # nothing of the file is quoted


def test_an_ics_error_quotes_a_short_escaped_excerpt_of_the_file(project):
    (project.root / "cal.ics").write_text("root:x:0:0:\x1b]0;owned\x07:/root:/bin/bash" + "x" * 200 + "\n")
    calendar_scenario(project, "cal.ics")

    [error] = problems(load_scenario, project.scenario)
    assert "line 1 is 'root:x:0:0:\\x1b]0;owned\\x07:/root:/bin/bashxx…'" in error  # 40 characters
    assert "\x1b" not in error and "x" * 30 not in error


def test_an_ics_file_that_is_a_fifo_is_refused(project):
    os.mkfifo(project.root / "cal.ics")
    calendar_scenario(project, "cal.ics")

    [error] = problems(load_scenario, project.scenario)
    line, column = project.locate("scenario.yaml", "cal.ics")
    assert error.startswith(f"{project.scenario}:{line}:{column}: calendar.ics: ")  # no line of the file: the ics: line
    assert "cal.ics is a named pipe (FIFO); callsim reads only regular files" in error


@pytest.mark.parametrize("zone", ["A" * 200 + "/B", "America", "../../etc/passwd", "zone.tab", "Europe/Par\x00is"])
def test_an_absurd_time_zone_is_a_clean_error(project, zone):
    project.edit("agent.yaml", "greeting: Hello, how can I help?", f"greeting: Hello\ntimezone: {zone!r}")

    [error] = problems(load_project, project.agent)
    assert error.startswith(f"{project.agent}:3:11: timezone: unknown time zone ")
    assert error.endswith(("expected an IANA name such as America/New_York", "did you mean Europe/Paris?"))
    assert len(error) < len(str(project.agent)) + 160
