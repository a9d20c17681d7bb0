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


MEANING = {"callsim.engine.semantic", "callsim.engine.embedding"}
"""Matching by meaning (with the model's libraries, NEVER_FOR_A_RUN's, and the standard library's logging, which
faker loads too): only for an agent whose `semantic:` setting is on."""
WATCHED = {"rich.progress"} | MEANING
"""Modules within packages that `loaded_by_run` reports by their full name."""


def loaded_by_run(scenario: str, **environment: str) -> set[str]:
    """The top-level packages (and WATCHED's modules) loaded by the console script's `callsim run SCENARIO`."""
    code = ("import json, sys\n"
            f"sys.argv = ['callsim', 'run', {scenario!r}]\n"
            "from callsim.console_script import command as main\n"
            "try:\n    main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | "
            f"({WATCHED!r} & set(sys.modules)))))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1", **environment}, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_booking_run_loads_no_command_line_voice_http_or_fallback_date_parser():
    loaded = loaded_by_run("scenarios/booking/availability_tomorrow_morning.yaml")

    # faker's first names tell "this is ana" (said in lower case, as speech-to-text writes) from "this is urgent"
    assert not loaded & ((NEVER_FOR_A_RUN - {"faker"}) | ONLY_WHEN_USED | WATCHED)
    assert {"callsim", "pydantic", "rich", "phonenumbers"} <= loaded  # the probe sees what a run loads (its agent
    # extracts a callback number)


def test_phone_numbers_and_meaning_load_only_for_a_call_that_uses_them():
    without = loaded_by_run("scenarios/quality/evaluation_fails_and_says_why.yaml")
    meaning = loaded_by_run("scenarios/semantic/lone_keyword_defers_to_meaning.yaml")

    assert "phonenumbers" not in without and not without & MEANING  # reads no phone number, matches by words
    assert "callsim" in without
    assert {"callsim.engine.semantic", "callsim.engine.embedding"} <= meaning


def test_a_booking_run_from_the_configuration_cache_loads_only_what_its_call_uses(tmp_path: Path):
    """What the second run of a file loads (its configuration from the cache, so no pydantic, which loads more):
    no socket (only a request passed through to a server resolves a name), no difflib (only a request that missed
    every route, or aligning what speech-to-text heard), no matching by meaning."""
    cached = {"CALLSIM_NO_CACHE": "0", "CALLSIM_CACHE_DIR": str(tmp_path)}
    loaded_by_run("scenarios/booking/availability_tomorrow_morning.yaml", **cached)

    loaded = loaded_by_run("scenarios/booking/availability_tomorrow_morning.yaml", **cached)

    assert "pydantic" not in loaded  # a hit
    assert not loaded & ({"socket", "difflib", "logging"} | MEANING | NEVER_FOR_A_RUN | ONLY_WHEN_USED)
    assert {"callsim", "rich", "phonenumbers", "rapidfuzz"} <= loaded


def test_a_run_with_http_loads_the_http_client():
    loaded = loaded_by_run("scenarios/acme/order_status_spoken_digits.yaml")

    assert {"httpx", "respx"} <= loaded
    assert not loaded & (NEVER_FOR_A_RUN - {"click"})  # httpx itself loads click (its own command line)


PLAYED_PLAIN = ["scenarios/booking/availability_tomorrow_morning.yaml", "scenarios/quality/evaluation_fails_and_says_why.yaml",
                "scenarios/telephony/ivr_navigates_to_eligibility.yaml", "scenarios/telephony/cold_transfer_to_support.yaml",
                "scenarios/messaging/refill_yes_orders_and_texts_pickup_after_call.yaml",
                "scenarios/acme/order_not_found_takes_on_status_404.yaml"]
"""A booking, an evaluation, a phone menu, a transfer, messages and HTTP: what a call runs on, end to end."""
WITHOUT_PYDANTIC = """import pickle, sys
from pathlib import Path


class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("pydantic", "pydantic_core", "yaml"):
            raise ImportError(f"{name} may not load while a kept scenario is played")


sys.meta_path.insert(0, Refuse())
folder = Path(sys.argv[1])
scenarios = pickle.loads((folder / "scenarios.pickle").read_bytes())
from callsim.runner import needs_event_loop, run_scenario_async, run_to_end

for index, scenario in enumerate(scenarios):
    result = run_to_end(run_scenario_async(scenario, record=folder / f"plain-{index}.jsonl"),
                        event_loop=needs_event_loop(scenario))
    assert result.crash is None, result.crash
"""


def test_a_loaded_scenario_plays_from_a_pickle_in_a_process_that_cannot_load_pydantic(tmp_path: Path) -> None:
    """Validation needs pydantic (and reading needs PyYAML), a call does not: a loaded scenario (its
    configuration plain objects) is unpickled and played with both refused, and its traces are the ones a run
    after loading records."""
    import pickle

    from callsim.discover import discover
    from callsim.runner import needs_event_loop, run_scenario_async, run_to_end

    found = discover([ROOT / path for path in PLAYED_PLAIN])
    assert not found.errors and len(found.scenarios) == len(PLAYED_PLAIN)
    (tmp_path / "scenarios.pickle").write_bytes(pickle.dumps(found.scenarios))
    subprocess.run([sys.executable, "-c", WITHOUT_PYDANTIC, str(tmp_path)], cwd=ROOT, check=True, timeout=120)
    for index, scenario in enumerate(found.scenarios):
        run_to_end(run_scenario_async(scenario, record=tmp_path / f"loaded-{index}.jsonl"),
                   event_loop=needs_event_loop(scenario))
        played = (tmp_path / f"plain-{index}.jsonl").read_text(encoding="utf-8")
        assert played == (tmp_path / f"loaded-{index}.jsonl").read_text(encoding="utf-8"), PLAYED_PLAIN[index]
