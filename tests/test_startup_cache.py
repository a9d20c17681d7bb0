"""What the console script keeps of its start: the same patterns and dataclasses as Python makes, only what is
written in the code, and never a damaged or foreign file's. (What a call would make is made in a thread of its
own, with no imported module's top level below it, as a call runs under the console script's `__main__`;
pytest's stack is no model of that, as an xdist worker runs its tests below execnet's modules.)"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import marshal
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from callsim import startup_cache
from callsim.startup_cache import METHODS, PATTERNS, StartupCache

TEXTS = ["Call me at 415 555 0100, ext. 12", "ÉCOLE école straße", "a\nb\n  c", "tomorrow at 10:30 pm", ""]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StartupCache]:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as a user's Python, whatever this one's is
    made = StartupCache(str(tmp_path / "kept"))
    re.purge()  # re's own per-process cache would answer before the kept one is asked
    made.install()
    yield made
    made.uninstall()
    re.purge()


def reloaded(cache: StartupCache) -> StartupCache:
    """A fresh cache from the file `cache` wrote, installed in its place (as the next run's)."""
    cache.save()
    cache.uninstall()
    again = StartupCache(cache.path)
    again.load()
    again.install()
    re.purge()
    return again


def patterns_written_in_code() -> list[re.Pattern[str]]:
    return [re.compile(r"(?P<area>\d{3})\D*(?P<line>\d{3}\D*\d{4})(?:,? ext\.? (\d+))?"),
            re.compile(r"stra(ss|ß)e|école", re.IGNORECASE),
            re.compile(r"""^ \s* (\w) $  # one letter on a line""", re.MULTILINE | re.VERBOSE),
            re.compile(r"(?<![\w'])(?:ten|\d{1,2})(?::(\d\d))?\s*(am|pm)?(?![\w'])"),
            re.compile(r"[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd]")]


MODULE = """
import dataclasses
import re


def compiled(pattern):  # a library's helper, called by its top level (as phonenumbers' re_compile is)
    return re.compile(pattern)


NUMBER = compiled(r"\\+?\\d[\\d .()-]*\\d")


@dataclasses.dataclass(frozen=True, order=True)
class Slot:
    day: str
    hour: int = 9
    tags: tuple[str, ...] = ()


class Holder:
    @dataclasses.dataclass(slots=True)
    class Leg:
        number: str
        rings: list[int] = dataclasses.field(default_factory=list)
        note: str = dataclasses.field(default="", kw_only=True)
"""


def imported(folder: Path, name: str) -> Any:
    """The module MODULE, imported afresh as `name` (its top level runs as an import's does)."""
    path = folder / f"{name}.py"
    path.write_text(MODULE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_kept_program_compiles_to_the_pattern_re_makes(cache: StartupCache):
    plain = patterns_written_in_code()  # through the cache, which notes their programs
    again = reloaded(cache)
    try:
        kept = patterns_written_in_code()
    finally:
        again.uninstall()

    assert len(again.used[PATTERNS]) == len(plain)  # every one came from the file, none compiled afresh
    for ours, theirs in zip(kept, plain, strict=True):
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (
            theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)
        for text in TEXTS:
            assert ([(m.span(), m.groups()) for m in ours.finditer(text)]
                    == [(m.span(), m.groups()) for m in theirs.finditer(text)])


def test_what_an_import_makes_is_kept_and_made_the_same_from_the_file(cache: StartupCache, tmp_path: Path):
    plain = imported(tmp_path, "first")
    again = reloaded(cache)
    try:
        kept = imported(tmp_path, "second")
    finally:
        again.uninstall()

    assert again.used[METHODS] and not again.new[METHODS]  # every method came from the file
    assert (plain.NUMBER.pattern, 0) in again.used[PATTERNS]  # though a helper function compiled it
    slot, leg = kept.Slot, kept.Holder.Leg
    for ours, theirs in ((slot, plain.Slot), (leg, plain.Holder.Leg)):
        assert [(f.name, f.kw_only) for f in dataclasses.fields(ours)] == [
            (f.name, f.kw_only) for f in dataclasses.fields(theirs)]
    assert repr(slot("mon", 10)) == repr(plain.Slot("mon", 10)) == "Slot(day='mon', hour=10, tags=())"
    assert slot("mon") == slot("mon", 9, ()) and slot("mon") < slot("tue") and hash(slot("a")) == hash(slot("a"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        slot("mon").hour = 3
    first, second = leg("+14155550100"), leg("+14155550100")
    first.rings.append(3)
    assert second.rings == [] and leg("1", note="n").note == "n" and not hasattr(first, "__dict__")
    with pytest.raises(TypeError):
        leg("1", [2], "positional note")  # kw_only stays keyword-only


def as_a_call_runs(work: Callable[[], None]) -> None:
    """Run `work` with no imported module's top level below it on the stack, as a call runs under the console
    script's `__main__` (pytest's own stack differs by runner: an xdist worker runs tests below execnet's)."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as problem:  # handed to the test's thread
            failed.append(problem)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


def test_what_is_made_from_data_is_never_written(cache: StartupCache):
    secret = "_".join(["sk", "live", "4f7a9c"])  # made at run time, as a secret read from the environment
    said = "book a visit"

    def a_call() -> None:
        re.compile(re.escape(secret))
        re.compile(rf"(?<![\w']){re.escape(said)}(?![\w'])")
        re.compile(r"written \d+ in the code")
        dataclasses.make_dataclass("Caller", [("field_from_" + said.replace(" ", "_"), str)])

        @dataclasses.dataclass
        class MadeWhileACallRuns:
            number: str

    as_a_call_runs(a_call)
    cache.save()

    assert list(cache.kept[PATTERNS]) == [(r"written \d+ in the code", 0)]
    assert cache.kept[METHODS] == {}
    written = Path(cache.path).read_bytes()
    assert b"4f7a9c" not in written and b"visit" not in written


def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path):
    damaged = tmp_path / "damaged"
    damaged.write_bytes(b"\x00not marshal at all")
    foreign = tmp_path / "foreign"
    foreign.write_bytes(marshal.dumps((("2.7.18", "cpython-27", "final", 0, 4),
                                       {PATTERNS: {("a", 0): (32, [1], 0, {}, (None,))}, METHODS: {}})))
    for path in (damaged, foreign):
        read = StartupCache(str(path))
        read.load()
        assert read.kept == {PATTERNS: {}, METHODS: {}}


def test_a_kept_pattern_sre_refuses_is_compiled_afresh(cache: StartupCache):
    cache.kept[PATTERNS][(r"(\d+)-(\d+)", 0)] = marshal.dumps((32, [1, 2, 3, 99999], 0, {}, (None,)))  # not a program

    found = re.compile(r"(\d+)-(\d+)").fullmatch("12-345")

    assert found is not None and found.groups() == ("12", "345")
    assert (r"(\d+)-(\d+)", 0) not in cache.kept[PATTERNS]


def test_nothing_is_written_when_python_writes_no_bytecode(cache: StartupCache, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    re.compile(r"kept \w+ only where bytecode is")
    cache.save()

    assert not Path(cache.path).exists()


def test_the_file_lives_beside_the_bytecode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    assert Path(startup_cache.cache_path()).parent == Path(startup_cache.__file__).parent / "__pycache__"
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    assert Path(startup_cache.cache_path()).is_relative_to(tmp_path)


def test_uninstalled_python_is_as_before(cache: StartupCache):
    cache.uninstall()
    assert not hasattr(dataclasses, "exec")
    assert re._compiler._sre.compile is _sre_compile()  # type: ignore[attr-defined]


def _sre_compile() -> Any:
    import _sre

    return _sre.compile


def test_a_run_of_the_executable_keeps_what_its_start_compiles_and_nothing_of_its_scenario(tmp_path: Path):
    """The whole executable on a scenario with a secret: its start is kept, and no pattern or method made from the
    scenario (the redaction pattern built from the secret's name, its value, the trigger phrases) is written."""
    root = Path(__file__).resolve().parents[1]
    scenario = root / "scenarios" / "acme" / "order_number_in_first_turn.yaml"
    environment = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    ran = subprocess.run([sys.executable, "-c", "from callsim.console_script import command; command()",
                          "run", str(scenario)], cwd=tmp_path, env=environment, capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr

    [written] = (tmp_path / "pycache").rglob("startup_cache.*.kept")
    _, kept = marshal.loads(written.read_bytes())
    assert len(kept[PATTERNS]) > 100 and len(kept[METHODS]) > 100  # the start was kept
    texts = [str(pattern) for pattern, _ in kept[PATTERNS]] + list(kept[METHODS])
    for made_from_the_scenario in ("ACME_TOKEN", "test-token-4f9a", "where is my order", "order status"):
        assert not [text for text in texts if made_from_the_scenario in text], made_from_the_scenario


PLAYED = """import json, sys
from pathlib import Path
from callsim.startup_cache import METHODS, PATTERNS, StartupCache

cache = StartupCache(sys.argv[1])
cache.load()
cache.install()
from callsim.run_command import run_files

code = run_files([Path(path) for path in sys.argv[2:]])
print(json.dumps({"code": code, "patterns": [list(key) for key in cache.new[PATTERNS]],
                  "methods": list(cache.new[METHODS]), "used": len(cache.used[PATTERNS]) + len(cache.used[METHODS])}))
"""


URLLIB_SPLITS_A_URL = [["([^/:]+):(.*)", re.DOTALL], ["//([^/#?]*)(.*)", re.DOTALL]]


@pytest.mark.parametrize("config_cache", ["off", "on"])
def test_the_build_step_keeps_all_a_run_compiles_though_python_writes_no_bytecode(tmp_path: Path, config_cache: str):
    """`python -m callsim.startup_cache` (make bytecode) writes the file with PYTHONDONTWRITEBYTECODE set, and a run
    after it, in that environment, compiles no pattern and no dataclass method the cache would keep: its imports,
    late ones included (validating, dates, phone numbers, an evaluation, a phone menu, a transfer, messages, HTTP),
    and the literal patterns callsim's functions compile when first called all come from the file. (What a
    library's function compiles when first called is left to it: httpx's cookie jar has urllib split the first URL
    it sees with two literals of urllib's functions.)"""
    root = Path(__file__).resolve().parents[1]
    kept = tmp_path / "kept"
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1", "CALLSIM_CACHE_DIR": str(tmp_path),
                   "CALLSIM_NO_CACHE": "1" if config_cache == "off" else "0"}
    subprocess.run([sys.executable, "-m", "callsim.startup_cache", str(kept)], cwd=root, env=environment, check=True,
                   capture_output=True, timeout=300)
    assert kept.exists()
    scenarios = ["scenarios/booking/availability_tomorrow_morning.yaml",
                 "scenarios/quality/evaluation_fails_and_says_why.yaml",
                 "scenarios/telephony/ivr_navigates_to_eligibility.yaml",
                 "scenarios/telephony/cold_transfer_to_support.yaml",
                 "scenarios/messaging/refill_yes_orders_and_texts_pickup_after_call.yaml",
                 "scenarios/acme/order_not_found_takes_on_status_404.yaml"]

    for _ in range(1 if config_cache == "off" else 2):  # with the configuration cache: a miss, then a hit
        ran = subprocess.run([sys.executable, "-c", PLAYED, str(kept), *scenarios], cwd=root, env=environment,
                             capture_output=True, text=True, timeout=300)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        found = json.loads(ran.stdout.splitlines()[-1])

        assert found["code"] == 0 and found["used"] > 500
        assert found["methods"] == []
        assert found["patterns"] in ([], URLLIB_SPLITS_A_URL)
