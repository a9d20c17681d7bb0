"""The `callsim` console script: a plain `callsim run FILES...` starts running at once.

A one-file run is mostly start-up, so the script reads a plain run itself and goes straight to
`run_files`; anything else (another command, --help, an option written another way) goes to the full
command line in `callsim.cli` (typer), which parses and explains it exactly as before.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from pathlib import Path
from typing import Any

_FLAGS = {"--verbose": "verbose", "-v": "verbose", "--coverage": "coverage"}
_VALUED = {"--record": "record", "--junit": "junit"}


def command() -> None:
    """The `callsim` executable: `main`, in a process that keeps what its start compiles.

    Regular expressions and dataclass methods come compiled from earlier runs (callsim.startup_cache; only the
    executable does this: a program that imports callsim, a test run among them, compiles as Python does). What
    loading callsim makes lives as long as the process (modules, classes, models, schemas): collecting while it
    is made finds no garbage, and each later collection would look through all of it again. So the collector is
    off while callsim loads, and what was loaded is then frozen out of its sight (~5% of a one-file run; the run
    itself is collected as usual)."""
    collecting = gc.isenabled()
    gc.disable()
    from callsim import startup_cache

    startup_cache.install()  # before anything compiles a pattern or a dataclass
    import callsim.run_command  # noqa: F401  # loaded now, with the collector off

    gc.freeze()
    if collecting:
        gc.enable()
    main()


def main() -> None:
    """The console script: `callsim run FILES... [--record DIR] [--junit FILE] [-v] [--coverage]` runs at
    once; everything else is parsed by the full command line. A user's mistake prints a message and exits
    2, never a traceback."""
    options = plain_run(sys.argv[1:])
    if options is None:
        from callsim.cli import main as full

        full()
        return
    from callsim.errors import CallsimError
    from callsim.run_command import err, run_files
    from callsim.terminal import markup

    try:
        code = run_files(**options)
    except CallsimError as problem:
        err.print(f"[red]{markup(str(problem))}[/red]")
        sys.exit(2)
    except KeyboardInterrupt:  # as the full command line ends an interrupted command
        sys.exit(130)
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        sys.exit(1)  # the reader of the output went away (`callsim run x.yaml | head`)
    sys.exit(code)


def plain_run(args: list[str]) -> dict[str, Any] | None:
    """The options of `args` when they are `run` with paths and only the run's options, each written in
    its usual form; None for anything else (left to the full command line, which explains mistakes)."""
    if not args or args[0] != "run" or "_CALLSIM_COMPLETE" in os.environ:
        return None
    options: dict[str, Any] = {"paths": [], "record": None, "junit": None, "verbose": False, "coverage": False}
    rest = iter(args[1:])
    for arg in rest:
        name, equals, value = arg.partition("=")
        if arg in _FLAGS:
            options[_FLAGS[arg]] = True
        elif name in _VALUED:
            if not equals:
                value = next(rest, "")
            if not value or value.startswith("-"):
                return None
            options[_VALUED[name]] = Path(value)
        elif arg.startswith("-") or not arg:
            return None  # --help, `--`, `-`, an unknown option: the full command line says what it means
        else:
            options["paths"].append(Path(arg))
    return options if options["paths"] else None
