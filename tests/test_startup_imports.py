"""What `callsim run ONE.yaml` loads: only what the scenario uses.

Start-up is most of a one-file run, and a library loaded for nothing costs more than the call itself
(httpx alone is about a tenth of a booking run). These are not timings (tests/benchmarks/startup.py
measures those) but which libraries a run loads, which does not vary with the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEVER_FOR_A_RUN = {"typer", "click", "textual", "ctypes", "xml", "faker", "numpy", "onnxruntime", "tokenizers",
                   "sounddevice", "vosk", "pyttsx3", "hypothesis", "jsonschema"}
"""The full command line, the simulator, voice, the meaning model and test tools: none serves a plain run."""
ONLY_WHEN_USED = {"httpx", "respx", "dateparser", "icalendar", "jinja2", "asyncio", "ssl", "subprocess"}
"""HTTP without routes or a webhook, dates beyond the readers' own forms, calendar files, templates beyond
plain `{{ a.b }}` placeholders (a filter, a test, control flow) or an `if:` condition, asyncio's event loop
(with ssl) without a call that waits on something real (tests/test_event_loop.py) or HTTP routes (respx), and
the pool of servers of your own (subprocess) without a scenario naming one."""


def loaded_by_run(scenario: str) -> set[str]:
    """The top-level packages (and rich.progress) loaded by the console script's `callsim run SCENARIO`."""
    code = ("import json, sys\n"
            f"sys.argv = ['callsim', 'run', {scenario!r}]\n"
            "from callsim.console_script import command as main\n"
            "try:\n    main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | "
            "({'rich.progress'} & set(sys.modules)))))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"}, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_booking_run_loads_no_command_line_voice_http_or_fallback_date_parser():
    loaded = loaded_by_run("scenarios/booking/availability_tomorrow_morning.yaml")

    assert not loaded & (NEVER_FOR_A_RUN | ONLY_WHEN_USED | {"rich.progress"})
    assert {"callsim", "pydantic", "rich"} <= loaded  # the probe sees what a run loads


def test_a_run_with_http_loads_the_http_client():
    loaded = loaded_by_run("scenarios/acme/order_status_spoken_digits.yaml")

    assert {"httpx", "respx"} <= loaded
    assert not loaded & (NEVER_FOR_A_RUN - {"click"})  # httpx itself loads click (its own command line)
