"""Reading the files users name: regular files only, each kind with a size limit, and a file named
inside another one only from within the project.

A path in a user's file could point at `/dev/zero` (endless), a FIFO (blocks forever) or a file
outside the project (whose first line an error message would then quote); every read of a user's
file goes through here so that none of these can hang a run, fill the memory or leak a file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from callsim.errors import CallsimError

MiB = 1024 * 1024
MAX_YAML_BYTES = 2 * MiB
"""An agent, action library or scenario file."""
MAX_ICS_BYTES = 5 * MiB
"""An iCalendar file a calendar imports (`ics:`)."""
MAX_AUDIO_BYTES = 50 * MiB
"""A WAV file: a caller's `audio:` turn or a transfer's `hold_audio:` (about 5 minutes of CD-quality stereo)."""
MAX_TRACE_BYTES = 32 * MiB
"""A trace or golden recording (JSON Lines)."""

MEMOS: list[Callable[[], None]] = []
"""How to empty each in-process memo of what a user's file holds or where it stands (the project root, a parsed
calendar, a suite file): the validated-configuration cache (callsim.config_cache) empties them before each file's
recorded load, as a load that took from a memo an earlier file's load filled would not record the reads its
result depends on. A module that keeps such a memo adds its `clear` here."""

PROJECT_MARKERS = (".git", "pyproject.toml")
"""A folder holding one of these is the top of a project."""


class UnreadableFile(CallsimError):
    """A user's file that callsim will not read: missing, not a regular file, too large, or outside the
    project. `reason` is a sentence without the path, for messages that name the path themselves."""

    def __init__(self, path: Path | str, reason: str, *, missing: bool = False) -> None:
        self.path = Path(path)
        self.reason = reason
        self.missing = missing
        super().__init__(f"{path}: {reason}")


def close_file(written: str | Path, path: Path, otherwise: str) -> str:
    """A hint for a file that is not there: "did you mean 'agent.yaml'?" (the path as written, with the close
    name) when its folder holds a file of a close name, else `otherwise`."""
    from itertools import islice

    from callsim.suggest import closest

    try:
        with os.scandir(path.parent) as entries:
            names = [entry.name for entry in islice(entries, 1000)]  # a huge folder: its first ones
    except (OSError, ValueError):
        return otherwise
    close = closest(path.name, names)
    if close is None:
        return otherwise
    written = str(written)
    folder, slash, _ = written.rstrip("/").rpartition("/")
    return f"did you mean '{folder}{slash}{close}'?"


def open_regular(path: Path, limit: int) -> BinaryIO:
    """Open `path` for reading, refusing anything but a regular file of at most `limit` bytes.

    The type is checked before opening (a device or FIFO is never opened) and again on the open file
    (the path cannot be swapped in between); a FIFO opened in that gap does not block the open.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile(path, "file not found", missing=True) from None
    except OSError as error:
        raise UnreadableFile(path, f"cannot read it ({error.strerror or error})") from None
    except ValueError:  # a NUL in the path: no file can have that name
        raise UnreadableFile(path, "is no file name (it holds a NUL character)") from None
    _check(path, info, limit)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise UnreadableFile(path, f"cannot read it ({error.strerror or error})") from None
    try:
        _check(path, os.fstat(handle), limit)
        os.set_blocking(handle, True)
    except BaseException:
        os.close(handle)
        raise
    return os.fdopen(handle, "rb")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see open_regular)."""
    with open_regular(path, limit) as file:
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew after the check
        raise UnreadableFile(path, _too_large(len(data), limit))
    return data


def _check(path: Path, info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise UnreadableFile(path, f"is {kind}; callsim reads only regular files")
    if info.st_size > limit:
        raise UnreadableFile(path, _too_large(info.st_size, limit))


def _too_large(size: int, limit: int) -> str:
    shown = _size(size)
    return f"file too large ({shown if shown != _size(limit) else f'{size:,} bytes'}; the limit is {_size(limit)})"


def _size(count: int) -> str:
    if count >= MiB:
        return f"{count / MiB:.1f} MiB".replace(".0 ", " ")
    if count >= 1024:
        return f"{count / 1024:.0f} KiB"
    return f"{count} bytes"


def project_root(folder: Path) -> Path:
    """The folder that paths written in files of `folder` must stay in: the nearest folder from `folder`
    up holding `.git` or `pyproject.toml`; else the working folder when `folder` is in it; else `folder`.

    Paths are taken as written (made absolute, `..` folded, symbolic links not followed), so that a
    project whose `scenarios/` is a link to elsewhere keeps working.
    """
    return _project_root(os.path.abspath(folder), os.getcwd())


@lru_cache(maxsize=256)
def _project_root(folder: str, cwd: str) -> Path:
    here = Path(folder)
    for candidate in (here, *here.parents):
        if any(os.path.exists(os.path.join(candidate, marker)) for marker in PROJECT_MARKERS):
            return candidate
    working = Path(cwd)
    return working if here == working or working in here.parents else here


MEMOS.append(_project_root.cache_clear)


def referenced(folder: Path, value: str) -> Path:
    """The path `value`, written in a file in `folder`, relative to that folder; refused when it leaves
    the project (see project_root).

    `..` is folded as written (`scenarios/../x` is `x` even when `scenarios` is a link), so the file
    checked is the file read.
    """
    if "\x00" in value:
        raise UnreadableFile(excerpt(value), "is no file name (it holds a NUL character)")
    target = Path(os.path.normpath(folder / value))
    root = project_root(folder)
    absolute = Path(os.path.abspath(target))
    if absolute != root and root not in absolute.parents:
        raise UnreadableFile(target, f"is outside the project ({root}); callsim reads only files inside the "
                                     "project (the nearest folder above with .git or pyproject.toml)")
    return target


def excerpt(text: str, limit: int = 40) -> str:
    """A short quote of a user's file for a message: at most `limit` characters, quoted, with control
    and invisible characters escaped (so it cannot rewrite a terminal or hide what it says)."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(short)
