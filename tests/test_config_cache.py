"""The validated-configuration cache (callsim.config_cache): a hit runs exactly as a miss does, anything the
load read or depended on that changed is a miss, a damaged or foreign entry is a miss, a folder others may
write is not used, and no secret's value is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from callsim import config_cache
from callsim import discover as discover_module

ROOT = Path(__file__).resolve().parents[1]
MODELS = {"callsim.config.scenario", "callsim.config.agent", "callsim.config.actions", "callsim.config.loader",
          "callsim.config.project"}
"""The pydantic models and what validates with them."""
SCENARIOS = ["scenarios/acme/order_status_spoken_digits.yaml",  # HTTP, a library by uses:, a secret's test value
             "scenarios/booking/recurring_staff_meeting_from_ics.yaml",  # a booking with an .ics calendar
             "scenarios/voice/line_noise_is_not_an_answer.yaml",  # audio turns
             "scenarios/booking/availability_tomorrow_morning.yaml"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache on (the suite runs with it off), in a folder of its own; the folder of its entries."""
    monkeypatch.delenv(config_cache.OFF, raising=False)
    monkeypatch.setenv(config_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "config"


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """The file of each real (validating) load of one file, so a test can tell a hit from a miss."""
    done: list[Path] = []
    real = discover_module.load_file

    def counted(file: Path, *args: Any, **options: Any) -> Any:
        done.append(file)
        return real(file, *args, **options)

    monkeypatch.setattr(discover_module, "load_file", counted)
    return done


def settle(folder: Path) -> None:
    """Date every file under `folder` 10 s back: a file changed within RACY_NS of its read is never kept."""
    past = time.time() - 10
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past))


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from callsim.console_script import command; command()", "run",
                           *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})})


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.entry")) if folder.is_dir() else []


def shown(text: str) -> str:
    """What a run printed, without its wall times and the folder it recorded to (nor the table's rules, whose
    length follows the wall times' widths: a run that took 9.8 ms and one that took 10.2 ms drew different ones)."""
    import re

    return re.sub(r"[ ━─]+", " ", re.sub(r"\d+\.\d+ ?m?s", "T", "\n".join(line for line in text.splitlines() if "Traces written" not in line)))


def test_a_hit_runs_each_scenario_exactly_as_a_miss(cache: Path, tmp_path: Path):
    """HTTP with a library and a secret's test value, a booking with an .ics file, audio turns: the traces a
    hit records are byte for byte those of a run without the cache, and so is the output."""
    without = run(*SCENARIOS, "--record", tmp_path / "without", env={config_cache.OFF: "1"})
    miss = run(*SCENARIOS, "--record", tmp_path / "miss")
    kept = entries(cache)
    assert len(kept) == len(SCENARIOS)  # an entry per file
    for entry in kept:
        os.utime(entry, (0, 0))  # a hit dates its entry now
    hit = run(*SCENARIOS, "--record", tmp_path / "hit")

    assert all(entry.stat().st_mtime > 0 for entry in kept), "the second run did not use every entry"
    assert without.returncode == miss.returncode == hit.returncode == 0, hit.stderr
    for name in SCENARIOS:
        recording = Path(name).relative_to("scenarios").with_suffix(".jsonl")
        expected = (tmp_path / "without" / recording).read_bytes()
        assert (tmp_path / "miss" / recording).read_bytes() == expected
        assert (tmp_path / "hit" / recording).read_bytes() == expected, f"{name}: a hit ran differently"
    assert shown(hit.stdout) == shown(without.stdout)
    assert hit.stderr == without.stderr
    inodes = {entry: entry.stat().st_ino for entry in kept}

    alone = run(SCENARIOS[0], "--record", tmp_path / "alone")  # a file run alone takes the entry its set's run kept

    assert alone.returncode == 0, alone.stderr
    assert {entry: entry.stat().st_ino for entry in entries(cache)} == inodes, "validated again and rewritten"
    recording = Path(SCENARIOS[0]).relative_to("scenarios").with_suffix(".jsonl")
    assert (tmp_path / "alone" / recording).read_bytes() == (tmp_path / "without" / recording).read_bytes()


def test_no_secret_value_is_written(cache: Path, secret_shop, tmp_path: Path):
    """A scenario's test value of a secret and a secret from the environment: neither is in the entry, and
    a hit still sends the test value (its run passes only if the request carried it)."""
    secret_shop.write("scenario.yaml", """\
        scenario: token from the file
        agent: agent.yaml
        secrets: {SHOP_TOKEN: file-value-7c1e93}
        http:
          - {match: GET https://api.shop.test/orders/4567, json: {status: shipped}}
        turns:
          - caller: where is my order, it's 4567
          - expect: {agent_said: Order 4567 is shipped}
        expect:
          - http: {url: https://api.shop.test/orders/4567, headers: {Authorization: "Bearer {{ secrets.SHOP_TOKEN }}"}}
        """)
    settle(secret_shop.root)
    env = {"OTHER_TOKEN": "environment-value-5d0b2a"}
    first = run(secret_shop.scenario, cwd=secret_shop.root, env=env)
    [entry] = entries(cache)
    os.utime(entry, (0, 0))
    second = run(secret_shop.scenario, cwd=secret_shop.root, env=env)

    assert first.returncode == second.returncode == 0, second.stdout + second.stderr
    assert entry.stat().st_mtime > 0, "the second run did not use the entry"
    kept = entry.read_bytes()
    assert b"SHOP_TOKEN" in kept  # the probe looks where names are
    assert b"file-value-7c1e93" not in kept and b"environment-value-5d0b2a" not in kept


def test_a_secret_no_longer_set_misses_and_is_reported(cache: Path, secret_shop, monkeypatch: pytest.MonkeyPatch,
                                                        loads: list):
    settle(secret_shop.root)
    monkeypatch.setenv("SHOP_TOKEN", "t")
    monkeypatch.chdir(secret_shop.root)
    assert config_cache.discover([Path("scenario.yaml")]).scenarios
    assert config_cache.discover([Path("scenario.yaml")]).scenarios
    assert len(loads) == 1
    monkeypatch.delenv("SHOP_TOKEN")

    found = config_cache.discover([Path("scenario.yaml")])

    assert len(loads) == 2
    assert "SHOP_TOKEN" in str(found.errors[0])


CHANGES = {
    "a byte of the scenario": lambda p: p.edit("scenario.yaml", "where is my order", "where is my 0rder"),
    "a byte of the agent": lambda p: p.edit("agent.yaml", "Hello, how", "Hello, who"),
    "a byte of a uses: library": lambda p: p.edit("actions.yaml", "timeout: 5s", "timeout: 6s"),
    "a suite.yaml appearing": lambda p: p.write("suite.yaml", "expect: [{not_action: nothing}]\n"),
    "a pyproject.toml appearing (another project root)": lambda p: p.write("pyproject.toml", "[project]\n"),
    "the agent replaced by a link": lambda p: (p.root / "agent.yaml").rename(p.root / "real.yaml")
    or (p.root / "agent.yaml").symlink_to("real.yaml"),
}


@pytest.mark.parametrize("folder", [False, True], ids=["the file", "its folder"])
@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_each_changed_input_misses(change: str, folder: bool, cache: Path, project, monkeypatch: pytest.MonkeyPatch,
                                   loads: list):
    monkeypatch.chdir(project.root)
    settle(project.root)
    paths = [Path("." if folder else "scenario.yaml")]  # a file's lookups, not a listing, find the rest
    assert config_cache.discover(paths).scenarios
    assert config_cache.discover(paths).scenarios
    assert loads.count(Path("scenario.yaml")) == 1, "the second load was not a hit"
    CHANGES[change](project)
    settle(project.root)

    config_cache.discover(paths)

    assert loads.count(Path("scenario.yaml")) == 2, f"{change}: served from the cache"


def test_a_scenario_file_added_to_a_folder_is_run_and_the_others_are_kept(cache: Path, project, loads: list,
                                                                          monkeypatch: pytest.MonkeyPatch):
    """Which files a folder holds is listed afresh on every run: a new scenario is loaded (and the one kept
    before is not validated again)."""
    monkeypatch.chdir(project.root)
    settle(project.root)
    assert [s.title for s in config_cache.discover([Path(".")]).scenarios] == ["order lookup"]
    project.write("second.yaml", (project.root / "scenario.yaml").read_text().replace("order lookup", "again"))
    settle(project.root)

    found = config_cache.discover([Path(".")])

    assert [s.title for s in found.scenarios] == ["order lookup", "again"]
    assert loads.count(Path("scenario.yaml")) == 1 and loads.count(Path("second.yaml")) == 1


@pytest.mark.parametrize("change", ["callsim's source", "the Python build", "the working folder", "the date",
                                    "an installed library"])
def test_what_is_not_read_is_in_the_key(change: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    if change == "callsim's source":
        # a package of its own, not callsim's files: touching those would change the key under a test running
        # beside this one (xdist), which then saw its second load miss
        package = tmp_path / "callsim"
        (package / "config").mkdir(parents=True)
        for name in ("config_cache.py", "version.py", "config/__init__.py"):
            (package / name).write_text("")
        monkeypatch.setattr(config_cache, "__file__", str(package / "config_cache.py"))
    before = config_cache.static_key(("discover", ["a.yaml"]))
    if change == "callsim's source":
        source = tmp_path / "callsim" / "config" / "__init__.py"
        stamp = source.stat()
        os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1000))
        after = config_cache.static_key(("discover", ["a.yaml"]))
    else:
        if change == "the Python build":
            monkeypatch.setattr(sys, "version", sys.version + " (another build)")
        elif change == "the working folder":
            monkeypatch.chdir(tmp_path)
        elif change == "the date":
            tomorrow = time.localtime(time.time() + 86400)
            monkeypatch.setattr(time, "localtime", lambda *seconds: tomorrow)
        else:
            (tmp_path / "somelib-1.0.dist-info").mkdir()
            monkeypatch.syspath_prepend(str(tmp_path))
        after = config_cache.static_key(("discover", ["a.yaml"]))
    assert after != before


def test_an_environment_variable_the_load_reads_is_keyed_by_its_value(cache: Path, project, loads: list,
                                                                      monkeypatch: pytest.MonkeyPatch):
    real = discover_module.load_file

    def reading(*args: Any) -> Any:
        os.environ.get("CALLSIM_TEST_SETTING")  # as a loader reading a setting would
        return real(*args)

    monkeypatch.setattr(discover_module, "load_file", reading)
    monkeypatch.chdir(project.root)
    settle(project.root)
    monkeypatch.setenv("CALLSIM_TEST_SETTING", "setting-one-b41f")
    config_cache.discover([Path("scenario.yaml")])
    config_cache.discover([Path("scenario.yaml")])
    assert len(loads) == 1
    assert b"setting-one-b41f" not in entries(cache)[0].read_bytes()  # a value is kept only hashed
    monkeypatch.setenv("CALLSIM_TEST_SETTING", "setting-two")
    config_cache.discover([Path("scenario.yaml")])
    assert len(loads) == 2


@pytest.mark.parametrize("damage", ["truncated", "a flipped byte", "garbage with a checksum that matches",
                                    "another format", "empty", "a folder"])
def test_a_damaged_entry_is_a_miss_never_an_error(damage: str, cache: Path, project, loads: list,
                                                  monkeypatch: pytest.MonkeyPatch):
    import hashlib

    monkeypatch.chdir(project.root)
    settle(project.root)
    expected = config_cache.discover([Path("scenario.yaml")])
    [entry] = entries(cache)
    data = bytearray(entry.read_bytes())
    head = len(config_cache.FORMAT) + 32
    if damage == "truncated":
        data = data[:len(data) // 2]
    elif damage == "a flipped byte":
        data[head + (len(data) - head) * 2 // 3] ^= 0x55
    elif damage.startswith("garbage"):  # (an entry its owner forged well enough cannot be told from a real one)
        garbage = bytes(range(256)) * 8
        data = bytearray(config_cache.FORMAT + hashlib.sha256(garbage).digest() + garbage)
    elif damage == "another format":
        data = b"something else entirely\n" + data[len(config_cache.FORMAT):]
    elif damage == "empty":
        data = bytearray()
    if damage == "a folder":
        entry.unlink()
        entry.mkdir()
    else:
        entry.write_bytes(bytes(data))

    found = config_cache.discover([Path("scenario.yaml")])

    assert len(loads) == 2
    assert [s.config.model_dump() for s in found.scenarios] == [s.config.model_dump() for s in expected.scenarios]


@pytest.mark.parametrize("weakness", ["a group-writable folder", "a world-writable entry", "a folder that is a link",
                                      "a folder of another user", "an entry of another user"])
def test_a_cache_others_could_write_is_not_used(weakness: str, cache: Path, project, loads: list,
                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    if "another user" in weakness and os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    monkeypatch.chdir(project.root)
    settle(project.root)
    config_cache.discover([Path("scenario.yaml")])
    [entry] = entries(cache)
    if weakness == "a group-writable folder":
        cache.chmod(0o770)
    elif weakness == "a world-writable entry":
        entry.chmod(0o666)
    elif weakness == "a folder that is a link":
        cache.rename(tmp_path / "elsewhere")
        cache.symlink_to(tmp_path / "elsewhere")
    elif weakness == "a folder of another user":
        os.chown(cache, 12345, 12345)
    else:
        os.chown(entry, 12345, 12345)
    before = entry.read_bytes()

    assert config_cache.discover([Path("scenario.yaml")]).scenarios

    assert len(loads) == 2, f"{weakness}: used"
    assert entry.read_bytes() == before or "entry" in weakness  # a weak folder is not written either


def test_a_new_folder_is_made_for_the_user_alone(cache: Path, project, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(project.root)
    settle(project.root)
    config_cache.discover([Path("scenario.yaml")])

    assert cache.stat().st_mode & 0o777 == 0o700
    assert all(entry.stat().st_mode & 0o777 == 0o600 for entry in entries(cache))


def test_a_file_set_with_an_error_is_never_kept(cache: Path, project, monkeypatch: pytest.MonkeyPatch, loads: list):
    project.edit("scenario.yaml", "turns:", "turnz:")
    monkeypatch.chdir(project.root)
    settle(project.root)
    first = config_cache.discover([Path("scenario.yaml")])
    second = config_cache.discover([Path("scenario.yaml")])

    assert entries(cache) == []
    assert len(loads) == 2
    assert [str(e) for e in first.errors] == [str(e) for e in second.errors] != []


def test_a_load_that_warns_is_never_kept_and_warns_every_time(cache: Path, project, loads: list,
                                                             monkeypatch: pytest.MonkeyPatch):
    import warnings

    real = discover_module.load_file

    def warning(*args: Any) -> Any:
        warnings.warn("something to know", UserWarning, stacklevel=1)
        return real(*args)

    monkeypatch.setattr(discover_module, "load_file", warning)
    monkeypatch.chdir(project.root)
    settle(project.root)
    for _ in range(2):
        with pytest.warns(UserWarning, match="something to know"):
            assert config_cache.discover([Path("scenario.yaml")]).scenarios
    assert entries(cache) == []


def test_a_file_changed_just_before_it_was_read_is_not_kept(cache: Path, project, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(project.root)
    settle(project.root)
    project.edit("agent.yaml", "Hello, how", "Hello, who")  # now: a second change this tick could go unseen

    config_cache.discover([Path("scenario.yaml")])

    assert entries(cache) == []


def test_off_when_asked(cache: Path, project, monkeypatch: pytest.MonkeyPatch, loads: list):
    monkeypatch.setenv(config_cache.OFF, "1")
    monkeypatch.chdir(project.root)
    settle(project.root)
    config_cache.discover([Path("scenario.yaml")])
    config_cache.discover([Path("scenario.yaml")])

    assert len(loads) == 2
    assert not cache.exists()


WRITER = """
import sys
from callsim import config_cache
cache = config_cache.Cache(sys.argv[1])
record = config_cache.Record()
for round in range(40):
    assert cache.put(b"k" * 32, record, {"writer": sys.argv[2], "data": sys.argv[2] * 200_000}, [], []) == ""
"""


def test_two_processes_writing_at_once_leave_a_valid_entry(tmp_path: Path):
    folder = str(tmp_path / "config")
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, folder, name]) for name in ("a", "b")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]

    kept = config_cache.Cache(folder).get(b"k" * 32)

    assert kept is not None and kept["data"] == kept["writer"] * 200_000
    assert sorted(p.name for p in Path(folder).iterdir()) == [(b"k" * 32).hex()[:40] + ".entry", "salt"]


def test_old_entries_go_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(config_cache, "MAX_ENTRIES", 3)
    cache = config_cache.Cache(str(tmp_path))
    for number in range(5):
        cache.put(bytes([number]) * 32, config_cache.Record(), number, [], [])
        path = Path(cache.path(bytes([number]) * 32))
        os.utime(path, (number, number))  # in the order written, whatever the clock's resolution

    cache.put(b"\x09" * 32, config_cache.Record(), 9, [], [])

    assert len(entries(tmp_path)) == 3
    assert cache.get(b"\x09" * 32) == 9 and cache.get(b"\x04" * 32) == 4 and cache.get(b"\x00" * 32) is None


def test_the_suite_runs_without_the_cache():
    assert os.environ.get(config_cache.OFF) == "1"


def test_a_link_pointing_elsewhere_is_a_changed_answer(tmp_path: Path):
    (tmp_path / "one.yaml").write_text("a")
    (tmp_path / "two.yaml").write_text("a")
    link = tmp_path / "agent.yaml"
    link.symlink_to("one.yaml")
    with config_cache.recording(b"s" * 32) as record:
        link.resolve()
    manifest, _ = record.manifest()
    assert config_cache.replays(manifest, b"s" * 32) is not None
    link.unlink()
    link.symlink_to("two.yaml")

    assert config_cache.replays(manifest, b"s" * 32) is None


LOADED = """
import json, sys
sys.argv = ["callsim", "run", *sys.argv[1:]]
from callsim.console_script import command
try:
    command()
except SystemExit as done:
    assert done.code == 0, done.code
print(json.dumps(sorted(sys.modules)))
"""


def test_a_hit_loads_no_pydantic_nor_the_models(cache: Path):
    """What a hit skips is most of a one-file run: pydantic, callsim's models built at import, and the YAML
    parser (a kept scenario's positions are a plain callsim.config.document.Document)."""
    def modules() -> set[str]:
        done = subprocess.run([sys.executable, "-c", LOADED, SCENARIOS[-1]], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "NO_COLOR": "1"}, check=True)
        return set(json.loads(done.stdout.splitlines()[-1]))

    cold = modules()
    warm = modules()

    assert "pydantic" in cold  # the probe sees what a miss loads
    assert not {name for name in warm if name.split(".")[0] in ("pydantic", "yaml")}
    assert not warm & MODELS


def test_validate_always_validates(cache: Path, project, monkeypatch: pytest.MonkeyPatch, cli):
    settle(project.root)
    config_cache.discover([Path("scenario.yaml")])
    assert entries(cache)
    asked = []
    monkeypatch.setattr(config_cache.Cache, "get", lambda self, key, answers=None: asked.append(key))

    done = cli("validate", "scenario.yaml")

    assert done.exit_code == 0, done.output
    assert asked == [], "validate asked the cache"
    assert cli("run", "scenario.yaml").exit_code == 0 and asked, "the probe sees a run ask the cache"


@pytest.mark.parametrize(("scenario", "changed"), [("booking/recurring_staff_meeting_from_ics.yaml", "booking/clinic.ics"),
                                                   ("voice/line_noise_is_not_an_answer.yaml", "voice/audio/line_noise.wav")],
                         ids=["a byte of an .ics calendar", "a byte of an audio turn's file"])
def test_a_changed_calendar_or_audio_file_misses(scenario: str, changed: str, cache: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, loads: list):
    import shutil

    folder = scenario.split("/")[0]
    shutil.copytree(ROOT / "scenarios" / folder, tmp_path / "project" / folder)
    monkeypatch.chdir(tmp_path / "project")
    settle(tmp_path / "project")
    assert config_cache.discover([Path(scenario)]).scenarios
    assert config_cache.discover([Path(scenario)]).scenarios
    assert len(loads) == 1, "the second load was not a hit"
    data = bytearray(Path(changed).read_bytes())
    if changed.endswith(".ics"):
        data = data.replace(b"Front desk", b"Front dusk")  # still a valid calendar
    else:
        data[-2] ^= 0x01  # one sample of the sound
    Path(changed).write_bytes(bytes(data))
    settle(tmp_path / "project")

    assert config_cache.discover([Path(scenario)]).scenarios

    assert len(loads) == 2, f"{changed} changed, and the kept result was used"


def test_a_load_that_writes_a_file_is_never_kept(cache: Path, project, loads: list, monkeypatch: pytest.MonkeyPatch):
    real = discover_module.load_file

    def writing(*args: Any) -> Any:
        (project.root / "side-effect.txt").write_text("a load that leaves something behind")
        return real(*args)

    monkeypatch.setattr(discover_module, "load_file", writing)
    monkeypatch.chdir(project.root)
    settle(project.root)
    config_cache.discover([Path("scenario.yaml")])

    assert entries(cache) == []


def test_a_file_run_alone_after_its_folder_hits_and_the_folder_after_a_file(cache: Path, project, loads: list,
                                                                            monkeypatch: pytest.MonkeyPatch):
    """An entry is one file's: a folder's run keeps one per file, which a run of one of them takes, and the
    other way round."""
    project.write("second.yaml", (project.root / "scenario.yaml").read_text().replace("order lookup", "second"))
    monkeypatch.chdir(project.root)
    settle(project.root)
    assert [s.title for s in config_cache.discover([Path("second.yaml")]).scenarios] == ["second"]
    assert [s.title for s in config_cache.discover([Path(".")]).scenarios] == ["order lookup", "second"]
    assert [s.title for s in config_cache.discover([Path("scenario.yaml")]).scenarios] == ["order lookup"]

    assert loads == [Path("second.yaml"), Path("actions.yaml"), Path("agent.yaml"), Path("scenario.yaml")]


def test_an_agent_changed_under_a_scenario_that_shared_it_misses(cache: Path, project, loads: list,
                                                                monkeypatch: pytest.MonkeyPatch):
    """In a folder's run the second scenario takes the agent the first one loaded; its entry still holds what
    that load read, so a change to the agent is a miss when the second is run alone."""
    project.write("second.yaml", (project.root / "scenario.yaml").read_text().replace("order lookup", "second"))
    monkeypatch.chdir(project.root)
    settle(project.root)
    config_cache.discover([Path(".")])
    assert [s.title for s in config_cache.discover([Path("second.yaml")]).scenarios] == ["second"]
    assert loads.count(Path("second.yaml")) == 1, "the probe sees a hit"
    project.edit("actions.yaml", "timeout: 5s", "timeout: 6s")
    settle(project.root)

    found = config_cache.discover([Path("second.yaml")])

    assert loads.count(Path("second.yaml")) == 2, "a changed library was served from the cache"
    assert found.scenarios[0].project.actions["lookup_order"].request.timeout == 6


MANIFESTS = """
import json, sys
from pathlib import Path
from callsim import config_cache, discover
kept, current = {}, []
def put(self, key, record, result, hidden, values, evict=True, digests=None):
    kept[current[-1]] = repr(record.manifest()[0])
    return ""
config_cache.Cache.put = put
files = config_cache.Files(config_cache.Cache(sys.argv[1]))
order = discover.yaml_files([Path("scenarios")])
for file in (order if sys.argv[2] == "forward" else order[::-1]):
    current.append(str(file))
    files.load(file)
print(json.dumps(kept))
"""


def test_what_a_file_read_does_not_depend_on_the_files_loaded_before_it(cache: Path, tmp_path: Path):
    """Every scenario of the examples loaded in one order and in the reverse one: each file's record is the same,
    so nothing an earlier file's load left in memory (an agent, a parsed calendar, a suite file, the project's
    root, a time zone) hides a read from a later file's record (callsim.files.MEMOS, config_cache.Projects)."""
    def manifests(order: str) -> dict[str, str]:
        done = subprocess.run([sys.executable, "-c", MANIFESTS, str(tmp_path / order), order], cwd=ROOT,
                              capture_output=True, text=True, timeout=600, env={**os.environ, config_cache.OFF: "0"},
                              check=True)
        return json.loads(done.stdout.splitlines()[-1])

    forward, backward = manifests("forward"), manifests("backward")

    assert len(forward) > 200 and forward.keys() == backward.keys()
    assert [name for name in forward if forward[name] != backward[name]] == []


def _project_copy(tmp_path: Path, *folders: str) -> Path:
    """A project of a few of the examples' folders, with their golden recordings, dated in the past."""
    import shutil

    root = tmp_path / "project"
    for folder in folders:
        shutil.copytree(ROOT / "scenarios" / folder, root / "scenarios" / folder)
        if (ROOT / "recordings" / folder).is_dir():
            shutil.copytree(ROOT / "recordings" / folder, root / "recordings" / folder)
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["scenarios"]\n')
    settle(root)
    return root


def _inodes(folder: Path) -> dict[Path, int]:
    return {entry: entry.stat().st_ino for entry in entries(folder)}


def test_pytest_collects_from_the_cache_and_records_the_same_traces(cache: Path, tmp_path: Path):
    """A session validates each scenario file once and keeps it; the next takes every file from the cache (no
    entry written again) and its calls record byte for byte the traces of a session without the cache."""
    root = _project_copy(tmp_path, "acme", "booking")

    def session(name: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                               "--callsim-record", str(tmp_path / name)], cwd=root, capture_output=True, text=True,
                              timeout=600, env={**os.environ, config_cache.OFF: "0", **(env or {})})

    without = session("without", {config_cache.OFF: "1"})
    cold = session("cold")
    kept = _inodes(cache)
    warm = session("warm")

    assert without.returncode == cold.returncode == warm.returncode == 0, warm.stdout[-3000:]
    assert len(kept) == len(list((root / "scenarios").rglob("*.yaml")))
    assert _inodes(cache) == kept, "the second session validated files again"
    traces = sorted(p.relative_to(tmp_path / "without") for p in (tmp_path / "without").rglob("*.jsonl"))
    assert len(traces) > 20
    for trace in traces:
        expected = (tmp_path / "without" / trace).read_bytes()
        assert (tmp_path / "warm" / trace).read_bytes() == expected, f"{trace}: a kept scenario ran differently"


def test_replay_takes_the_scenarios_from_the_cache_and_reads_the_same(cache: Path, tmp_path: Path):
    """`callsim replay` of every recording: a second replay takes each scenario from the cache, and says exactly
    what a replay without the cache says."""
    root = _project_copy(tmp_path, "acme")

    def replay(env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", "from callsim.console_script import command; command()",
                               "replay"], cwd=root, capture_output=True, text=True, timeout=600,
                              env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", config_cache.OFF: "0", **(env or {})})

    without = replay({config_cache.OFF: "1"})
    cold = replay()
    kept = _inodes(cache)
    warm = replay()

    assert without.returncode == cold.returncode == warm.returncode == 0, warm.stdout + warm.stderr
    assert len(kept) == len(list((root / "scenarios").rglob("*.yaml"))) - 2  # not the agent and library: no run lists them
    assert _inodes(cache) == kept, "the second replay validated files again"
    assert shown(warm.stdout) == shown(without.stdout) and warm.stderr == without.stderr


def test_a_broken_file_reads_the_same_beside_kept_ones(cache: Path, project, loads: list,
                                                      monkeypatch: pytest.MonkeyPatch):
    """What only the whole set tells is worked out afresh on every run: an agent's error met through two of its
    scenarios is reported once, the same way with the other files from the cache as without the cache; a good file
    beside the broken ones is kept and taken."""
    (project.root / "broken").mkdir()
    project.write("broken/agent.yaml", "agent: broken\ngreeting: hi\nactions: [nowhere]\n")
    for name in ("one", "two"):
        project.write(f"broken/{name}.yaml", f"scenario: {name}\nagent: agent.yaml\nturns:\n  - caller: hi\n")
    monkeypatch.chdir(project.root)
    settle(project.root)
    monkeypatch.setenv(config_cache.OFF, "1")
    without = [str(error) for error in config_cache.discover([Path(".")]).errors]
    monkeypatch.delenv(config_cache.OFF)
    first = config_cache.discover([Path(".")])
    second = config_cache.discover([Path(".")])

    assert len(without) == 1 and "nowhere" in without[0]
    assert [str(error) for error in first.errors] == [str(error) for error in second.errors] == without
    assert [s.title for s in second.scenarios] == ["order lookup"]
    assert loads.count(Path("scenario.yaml")) == 2 and loads.count(Path("broken/two.yaml")) == 3  # (one: off)
