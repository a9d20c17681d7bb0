"""Run callsim commands on request and say how each went: the fuzz test's worker process.

Reads one JSON request per line on stdin (`{"argv": [...], "cwd": "..."}`), runs `callsim ARGV` in
this process, and answers one JSON line: the exit code, what was printed, any exception that escaped,
the CPU seconds and the peak memory of that one command with what the process held when it began. Running
many commands in one process keeps a case at milliseconds instead of a fresh interpreter's start-up; the
peak is still per command, because Linux lets a process reset its high-water mark (`/proc/self/clear_refs`,
value 5), and what the command itself added is the peak less what the process held before it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import sys
import time
import traceback
from pathlib import Path

# the fuzz measures callsim's own memory: audio turns are heard by the small engine, not a
# speech model that stays resident in this long-lived worker (Whisper base alone is ~400 MB)
os.environ["CALLSIM_STT"] = "pocketsphinx"
STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


def memory_mb(field: str = "VmHWM") -> float:
    """The process's peak resident memory since the last reset (`VmHWM`), or its resident memory now
    (`VmRSS`), in MB."""
    for line in STATUS.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str], cwd: str) -> dict[str, object]:
    from callsim.cli import main

    out, err = io.StringIO(), io.StringIO()
    escaped = ""
    code: object = 0
    os.chdir(cwd)
    held = memory_mb("VmRSS")
    resettable = reset_peak()
    cpu, wall = cpu_seconds(), time.perf_counter()
    sys.argv = ["callsim", *argv]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as stop:
            code = stop.code if stop.code is not None else 0
        except BaseException:  # noqa: BLE001 - exactly what the fuzz test looks for
            escaped = traceback.format_exc()
            code = "exception"
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue(), "exception": escaped,
            "cpu": cpu_seconds() - cpu, "wall": time.perf_counter() - wall,
            "peak_mb": memory_mb() if resettable else None, "held_mb": held}


def serve() -> None:
    # answers go out on a copy of stdout; whatever a library writes straight to file descriptor 1 is dropped
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    import callsim.cli  # noqa: F401 - imported before the first request, so no case pays for it

    for line in sys.stdin:
        request = json.loads(line)
        answers.write(json.dumps(run(request["argv"], request["cwd"])) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
