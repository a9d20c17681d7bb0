"""Reading the files users name (`callsim.files`): regular files only, with a size limit, inside the project."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from callsim.files import UnreadableFile, excerpt, open_regular, project_root, read_regular, referenced


def refusal(path: Path, limit: int = 1000) -> UnreadableFile:
    """What reading `path` raises, read in a thread so that a read that blocks fails the test instead of hanging it."""
    outcome: list[BaseException | bytes] = []
    reader = threading.Thread(target=lambda: outcome.append(_read(path, limit)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert outcome, f"reading {path} blocked"
    assert isinstance(outcome[0], UnreadableFile), f"{path} was read: {outcome[0]!r}"
    return outcome[0]


def _read(path: Path, limit: int) -> BaseException | bytes:
    try:
        return read_regular(path, limit)
    except UnreadableFile as problem:
        return problem


def test_a_regular_file_is_read():
    assert read_regular(Path(__file__), 10**6).startswith(b'"""Reading the files')


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "calendar.ics"
    os.mkfifo(fifo)

    assert refusal(fifo).reason == "is a named pipe (FIFO); callsim reads only regular files"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_before_a_byte_is_read(device):
    assert refusal(Path(device)).reason == "is a device; callsim reads only regular files"


def test_a_link_to_a_device_is_refused_too(tmp_path):
    (tmp_path / "agent.yaml").symlink_to("/dev/zero")

    assert "is a device" in refusal(tmp_path / "agent.yaml").reason


def test_a_folder_and_a_missing_file_are_refused(tmp_path):
    assert refusal(tmp_path).reason == "is a folder, not a file"
    missing = refusal(tmp_path / "nope.yaml")
    assert (missing.reason, missing.missing) == ("file not found", True)


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 3 * 1024 * 1024)

    assert refusal(big, limit=2 * 1024 * 1024).reason == "file too large (3 MiB; the limit is 2 MiB)"


def test_open_regular_hands_back_a_readable_file(tmp_path):
    (tmp_path / "a.wav").write_bytes(b"RIFF")
    with open_regular(tmp_path / "a.wav", 100) as file:
        assert file.read() == b"RIFF"


# --- paths inside the project ---------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A project (marked by pyproject.toml) with scenarios/ a link to a folder outside it."""
    project = tmp_path / "project"
    (project / "agents").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "acme").mkdir(parents=True)
    (project / "scenarios").symlink_to(elsewhere)
    monkeypatch.chdir(tmp_path)
    return project


def test_the_project_is_the_nearest_folder_with_a_marker(tree):
    assert project_root(tree / "scenarios" / "acme") == tree
    assert project_root(tree / "agents") == tree


def test_without_a_marker_the_project_is_the_working_folder_or_the_files_own(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a")
    assert project_root(tmp_path / "a" / "b") == tmp_path / "a"
    assert project_root(tmp_path) == tmp_path  # not below the working folder: its own folder


def test_a_path_is_relative_to_the_folder_of_the_file_naming_it(tree):
    folder = tree / "scenarios" / "acme"

    assert referenced(folder, "agent.yaml") == folder / "agent.yaml"
    # `..` folds as written: through the link, up to the project, not to the link's target's parent
    assert referenced(folder, "../../agents/agent.yaml") == tree / "agents" / "agent.yaml"


def test_a_path_holding_a_nul_is_no_file_name(tree):
    with pytest.raises(UnreadableFile) as refused:
        referenced(tree / "agents", "agent\x00.yaml")

    assert str(refused.value) == "'agent\\x00.yaml': is no file name (it holds a NUL character)"
    assert refusal(tree / "agent\x00.yaml").reason == "is no file name (it holds a NUL character)"


@pytest.mark.parametrize("value", ["../../../outside.yaml", "/etc/passwd", "/dev/zero", "../../../elsewhere/x.ics"])
def test_a_path_leaving_the_project_is_refused(tree, value):
    with pytest.raises(UnreadableFile) as refused:
        referenced(tree / "scenarios" / "acme", value)

    assert refused.value.reason.startswith(f"is outside the project ({tree}); callsim reads only files inside")


def test_an_excerpt_is_short_and_shows_control_characters_escaped():
    quoted = excerpt("root:x:0:0:\x1b[2J\u202e" + "y" * 100)
    assert quoted == "'root:x:0:0:\\x1b[2J\\u202e" + "y" * 23 + "…'"  # 40 characters, escapes shown as such
    assert len(excerpt("z" * 1000, 20)) == 22  # 20 characters and the quotes
