"""Where callsim keeps what it may reuse from one run to the next, and whether a folder or file there is safe to read.

Each kind has a folder of its own: $CALLSIM_CACHE_DIR/KIND, else the user's cache ($XDG_CACHE_HOME or ~/.cache)
/callsim/KIND, shared by every project. What is kept there is read back as data a run acts on (a pickle runs
code), so a folder or file is used only when it is the user's own and nobody else may write it.
"""

from __future__ import annotations

import os
import stat

CACHE_ENV = "CALLSIM_CACHE_DIR"
OFF = "CALLSIM_NO_CACHE"
"""Set to 1, nothing is kept or read back."""


def enabled() -> bool:
    return os.environ.get(OFF, "") in ("", "0")


def folder(kind: str) -> str:
    """$CALLSIM_CACHE_DIR/KIND, else the user's cache ($XDG_CACHE_HOME or ~/.cache)/callsim/KIND."""
    root = os.environ.get(CACHE_ENV)
    if root:
        return os.path.join(root, kind)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "callsim", kind)


def own_folder(path: str, create: bool) -> bool:
    """Whether `path` is a folder (not a link) of this user that nobody else may write; made 0700 if asked."""
    if create:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and own(info)


def own(info: os.stat_result) -> bool:
    """Whether what `info` describes is this user's and nobody else may write it."""
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def write_atomically(path: str, data: bytes) -> None:
    """Write `data` to `path` for this user alone (0600) by a temporary file and a rename, so that a reader sees
    the old file or the new one, never half of one; a failure (a full disk, a read-only home) leaves nothing."""
    temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:  # the next run computes what this one did
        try:
            os.unlink(temporary)
        except OSError:
            pass
