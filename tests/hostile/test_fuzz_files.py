"""Hostile and broken files: callsim answers every one with a clean result, never a traceback or a hang.

Each case copies one example project from `scenarios/` (with its golden recordings), breaks one of its
files the way a careless edit, a bad merge or an attacker would (a deleted key, a swapped type, a huge
or strange string, a YAML tag, alias bombs, several documents, byte order marks, invalid bytes; for a
recording: a cut, reordered, mistyped or huge line), and runs `callsim validate` and `callsim run`
(`show` and `replay` for a recording) in a worker process. Every command must end with exit 0, 1 (a
scenario's own expectation failing) or 2 with each problem at `file:line:col`, without a traceback or a
"bug in callsim", within a few CPU seconds and under 300 MB of memory.

Each case is drawn from its own random stream, seeded by the campaign's seed and the case's number, and
picks its project and files by rendezvous hashing (`Pick.stable`): a scenario or project added to the
examples changes only the few cases that now pick it, so a CI failure (`case 17`) is re-run as it was with
`pytest tests/hostile/test_fuzz_files.py -k 'case-17'`. In CI the seed is fixed and the cases bounded to
about a minute; `make fuzz` runs thousands (CALLSIM_FUZZ_EXAMPLES, CALLSIM_FUZZ_SEED) and prints the figures.

Memory is measured per command as what the command added to the worker's resident memory (its peak less
what the worker held when it began): the worker keeps what earlier commands loaded (the meaning model and
its runtime alone are over 200 MB), which is no part of the case that happens to run next.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
RECORDINGS = ROOT / "recordings"
WORKER = Path(__file__).with_name("fuzz_worker.py")

EXAMPLES = int(os.environ.get("CALLSIM_FUZZ_EXAMPLES", "80"))
SEED = os.environ.get("CALLSIM_FUZZ_SEED") or "ci"
"""The campaign's seed; CI's is fixed, so its cases are the same on every run."""
REPORT = os.environ.get("CALLSIM_FUZZ_REPORT")
COLLECT = bool(os.environ.get("CALLSIM_FUZZ_COLLECT"))
"""Keep going after a failing case (for `make fuzz`: every failure found, not the first one shrunk)."""
MAX_CPU_SECONDS = 5.0
"""A command may use this much CPU time; measured in CPU time, so a busy machine does not fail it."""
HEARD_CPU_SECONDS = 60.0
"""A command that plays audio turns may use this much: each goes through speech-to-text (up to a few seconds
each, the model loaded first), and a scenario may play at most 20 (see MAX_HEARD in config/scenario.py)."""
HANG_SECONDS = 60.0
"""A command still running after this much wall time is hung (blocked on a FIFO, say)."""
MAX_PEAK_MB = 300.0
"""What one command may add to the worker's resident memory at its peak."""
POSITIONED = re.compile(r"^\S[^:\n]*:\d+:\d+: ")
POSITIONED_LINE = re.compile(r"^\S[^:\n]*\.jsonl:\d+: ")
WHOLE_FILE = ("file too large", "empty trace file")
"""Problems of a whole file, which have no line to point at."""
SUMMARIES = re.compile(r"^(\d+ problem\(s\) in \d+ file\(s\)|No scenario files found|No YAML files found)")


# --- the example projects --------------------------------------------------------------------------


def _kind(path: Path) -> str:
    if path.suffix == ".jsonl":
        return "recording"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    if "scenario" in data:
        return "scenario"
    return "agent" if "agent" in data else "actions"


PROJECTS = sorted(p.name for p in SCENARIOS.iterdir() if p.is_dir())
FILES = {name: sorted(f.relative_to(SCENARIOS).as_posix() for f in (SCENARIOS / name).glob("*.yaml"))
         for name in PROJECTS}
RECORDED = {name: sorted(f.relative_to(RECORDINGS).as_posix() for f in (RECORDINGS / name).glob("*.jsonl"))
            for name in PROJECTS if (RECORDINGS / name).is_dir()}
KINDS = {f: _kind(SCENARIOS / f) for files in FILES.values() for f in files}
LIVE = {name for name in PROJECTS if any(b"servers:" in (SCENARIOS / f).read_bytes() for f in FILES[name])}
"""Projects whose calls reach a real server of their own (scenarios/webhooks): a call waits on it in real time."""


# --- a case's choices ------------------------------------------------------------------------------

T = TypeVar("T")
CODE_POINTS = [(0x20, 0x7E), (0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0x1FFF), (0x2000, 0x206F), (0xD800, 0xDFFF),
               (0xE000, 0xFFFF), (0x10000, 0x10FFFF)]
"""Where a strange character comes from: printable ASCII, controls (C0, C1), the rest of the BMP with its
punctuation and lone surrogates, private use and noncharacters, and the astral planes."""


class Pick:
    """One case's random choices, from its own stream: the same seed and case number make the same case,
    whatever the other cases drew."""

    def __init__(self, seed: str, case: int) -> None:
        self.random = random.Random(f"{seed}:{case}")

    def one(self, items: Sequence[T]) -> T:
        return self.random.choice(items)

    def stable(self, names: Sequence[str]) -> str:
        """One of `names` by rendezvous hashing: the name that scores highest with this case's draw. A name
        added later wins only the cases where it scores highest, and every other case keeps its choice (an
        index into the list would move every case after the new name)."""
        draw = self.random.getrandbits(64)
        return max(names, key=lambda name: hashlib.blake2b(f"{draw}:{name}".encode(), digest_size=8).digest())

    def integer(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def flip(self) -> bool:
        return self.random.random() < 0.5

    def bytes(self, shortest: int, longest: int) -> bytes:
        return self.random.randbytes(self.integer(shortest, longest))


# --- mutations -------------------------------------------------------------------------------------

STRANGE = ["\u2028", "\u2029", "\x85", "\ufeff", "\x00", "\x1b[2J", "\u202e", "e\u0301", "🙂", "\ud800",
           "\udfff", "\uffff", "\t", "\r", "'", '"', "{{", "}}", "{% if %}", "*a", "&a", "!x", ": ", "- ", "#"]
TAGS = ["!!python/object:os.system", "!!python/object/apply:os.system ['true']", "!custom", "!!binary",
        "!!set", "!!int", "!!float", "!!bool", "!!timestamp", "!!str", "!!map", "!!seq", "!", "!<tag:x>"]


def _paths(data: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def huge_text(pick: Pick) -> str:
    size = pick.one([1_000, 10_000, 99_999, 100_001, 400_000, 1_000_000])
    unit = pick.one(["where is my order ", "4 5 6 7 ", "tomorrow at 10 ", "x", "é", "🙂",
                                 "{{ caller.name }} ", "a" * 50 + " ",
                                 # each correction marker was a read of the whole turn: 25 s for 10,000 of these
                                 "friday at 2:45 no wait ", "ana ruiz I mean ", "no I mean actually 45, sorry "])
    return (unit * (size // len(unit) + 1))[:size]


def strange_text(pick: Pick) -> str:
    if pick.flip():
        return "".join(chr(pick.integer(*pick.one(CODE_POINTS))) for _ in range(pick.integer(0, 40)))
    return "hi ".join(pick.one(STRANGE) for _ in range(pick.integer(1, 5)))


def mutate_data(pick: Pick, data: Any) -> tuple[str, Any]:
    """Change the parsed file: delete a key, swap a type, put in a huge or strange string, repeat a list."""
    paths = list(_paths(data))
    path = pick.one(paths)
    op = pick.one(["delete", "swap", "huge", "strange", "null", "repeat", "nest"])
    if op == "delete" and path:
        del _get(data, path[:-1])[path[-1]]
        return f"delete {path}", data
    if op == "swap":
        value = pick.one([None, True, False, 0, -1, 7, 10**30, 1.5, float("inf"), "", "text",
                                      [], {}, ["a"], {"k": "v"}, [{"k": [1]}]])
        return f"swap {path} -> {value!r}", _set(data, path, value)
    if op == "huge":
        return f"huge string at {path}", _set(data, path, huge_text(pick))
    if op == "strange":
        text = strange_text(pick)
        return f"strange {text!r} at {path}", _set(data, path, text)
    if op == "null":
        return f"null at {path}", _set(data, path, None)
    if op == "repeat":
        lists = [p for p in paths if isinstance(_get(data, p), list) and _get(data, p)]
        if lists:
            where = pick.one(lists)
            times = pick.one([10, 500, 2000, 6000])
            items = _get(data, where)
            return f"repeat {where} x{times}", _set(data, where, (items * (times // len(items) + 1))[:times])
    depth = pick.one([10, 60, 70, 500])
    nested: Any = "deep"
    for _ in range(depth):
        nested = {"a": nested} if pick.flip() else [nested]
    return f"nest {depth} at {path}", _set(data, path, nested)


def mutate_yaml_text(pick: Pick, text: bytes) -> tuple[str, bytes]:
    """Change the file's bytes: tags, aliases, documents, byte order marks, invalid or cut bytes."""
    lines = text.split(b"\n")
    index = pick.integer(0, max(0, len(lines) - 1))
    op = pick.one(["tag", "bomb", "chain", "self_alias", "undefined_alias", "documents", "bom",
                               "utf16", "bytes", "cut", "char", "flip", "anchor_value"])
    if op == "tag":
        tag = pick.one(TAGS).encode()
        line = lines[index]
        if b": " in line:
            key, _, value = line.partition(b": ")
            lines[index] = key + b": " + tag + b" " + value
        else:
            lines[index] = line.replace(b"- ", b"- " + tag + b" ", 1) if b"- " in line else tag + b" " + line
        return f"tag {tag!r} on line {index + 1}", b"\n".join(lines)
    if op == "bomb":
        levels = pick.integer(3, 12)
        bomb = [b"x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        bomb += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]".encode() for i in range(1, levels)]
        key = pick.one([b"turns", b"phrases", b"uses", b"actions", b"expect", b"start_data"])
        bomb.append(key + f": *a{levels - 1}".encode())
        return f"billion laughs ({levels} levels) on {key!r}", b"\n".join(bomb) + b"\n" + text
    if op == "chain":
        count = pick.integer(2, 400)
        chain = [b"c0: &c0 [a, b]"] + [f"c{i}: &c{i} [*c{i - 1}, *c{i - 1}]".encode() for i in range(1, count)]
        return f"alias chain of {count}", b"\n".join(chain) + b"\n" + text
    if op == "self_alias":
        lines.insert(index, b"loop: &loop [*loop]")
        return "self alias", b"\n".join(lines)
    if op == "undefined_alias":
        line = lines[index]
        lines[index] = line.split(b": ", 1)[0] + b": *nowhere" if b": " in line else b"- *nowhere"
        return f"undefined alias on line {index + 1}", b"\n".join(lines)
    if op == "documents":
        where = pick.one(["after", "before", "middle", "end-marker"])
        if where == "after":
            return "second document", text + b"\n---\n" + text
        if where == "before":
            return "document marker first", b"---\n" + text
        if where == "end-marker":
            return "document end marker", text + b"\n...\n"
        lines.insert(index, b"---")
        return f"--- at line {index + 1}", b"\n".join(lines)
    if op == "bom":
        where = pick.one(["start", "middle", "twice"])
        bom = "\ufeff".encode()
        if where == "start":
            return "UTF-8 BOM", bom + text
        if where == "twice":
            return "two UTF-8 BOMs", bom + bom + text
        lines[index] = bom + lines[index]
        return f"BOM at line {index + 1}", b"\n".join(lines)
    if op == "utf16":
        encoding = pick.one(["utf-16", "utf-16-le", "utf-32"])
        return encoding, text.decode("utf-8").encode(encoding)
    if op == "bytes":
        junk = pick.bytes(1, 8)
        offset = pick.integer(0, len(text))
        return f"bytes {junk!r} at {offset}", text[:offset] + junk + text[offset:]
    if op == "cut":
        offset = pick.integer(0, len(text))
        return f"cut at {offset}", text[:offset]
    if op == "char":
        char = pick.one(STRANGE).encode("utf-8", "surrogatepass")
        offset = pick.integer(0, len(text))
        return f"char {char!r} at {offset}", text[:offset] + char + text[offset:]
    if op == "flip":
        offset = pick.integer(0, max(0, len(text) - 1))
        byte = pick.integer(0, 255)
        return f"byte {byte} at {offset}", text[:offset] + bytes([byte]) + text[offset + 1:]
    lines.insert(index, b"anchored: &v " + pick.one([b"x", b"[1, 2]", b"{a: b}"]))
    lines.insert(min(len(lines), index + 1), b"again: *v")
    return "anchor and alias", b"\n".join(lines)


def mutate_recording(pick: Pick, text: bytes, project: str) -> tuple[str, bytes]:
    """Break a golden recording: cut, reorder, drop or repeat lines, mistype fields, huge or invalid lines."""
    lines = text.rstrip(b"\n").split(b"\n")
    index = pick.integer(1, max(1, len(lines) - 1))
    other = pick.integer(1, max(1, len(lines) - 1))
    op = pick.one(["cut", "swap", "delete", "repeat", "mistype", "drop_key", "unknown_type", "huge",
                               "junk", "bytes", "header", "empty", "unicode", "seq"])
    if op == "cut":
        offset = pick.integer(0, len(text))
        return f"cut at {offset}", text[:offset]
    if op == "swap" and len(lines) > 2:
        lines[index], lines[other] = lines[other], lines[index]
        return f"swap lines {index + 1} and {other + 1}", b"\n".join(lines) + b"\n"
    if op == "delete":
        del lines[index]
        return f"delete line {index + 1}", b"\n".join(lines) + b"\n"
    if op == "repeat":
        lines.insert(index, lines[index])
        return f"repeat line {index + 1}", b"\n".join(lines) + b"\n"
    if op in ("mistype", "drop_key", "unknown_type", "unicode", "seq", "header"):
        at = 0 if op == "header" else index
        event = json.loads(lines[at])
        keys = sorted(event)
        key = pick.one(keys)
        if op == "header":
            value = pick.one([None, 2, "x", "/etc/passwd", "../../outside.yaml", "/dev/zero",
                                          f"scenarios/{project}/missing.yaml", [], {}])
            event[key] = value
        elif op == "drop_key":
            del event[key]
        elif op == "unknown_type":
            event["type"] = pick.one(["no_such_event", 3, None, ""])
        elif op == "seq":
            event["seq"] = pick.one([0, -1, 10**6, "1", None])
        elif op == "unicode":
            event[key] = strange_text(pick)
        else:
            event[key] = pick.one([None, True, 0, -1.5, "", "text", [], {}, [1, 2], {"a": None}])
        lines[at] = json.dumps(event, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return f"{op} {key!r} on line {at + 1}", b"\n".join(lines) + b"\n"
    if op == "huge":
        size = pick.one([100_000, 1_000_000, 5_000_000])
        event = json.loads(lines[index])
        event[pick.one(sorted(event))] = "x" * size
        lines[index] = json.dumps(event).encode()
        return f"huge line {index + 1} ({size} chars)", b"\n".join(lines) + b"\n"
    if op == "junk":
        lines.insert(index, pick.one([b"not json", b"[]", b"null", b"42", b"{", b'"text"', b"{}"]))
        return f"junk line {index + 1}", b"\n".join(lines) + b"\n"
    if op == "bytes":
        junk = pick.bytes(1, 8)
        offset = pick.integer(0, len(text))
        return f"bytes {junk!r} at {offset}", text[:offset] + junk + text[offset:]
    return "empty file", b""


# --- the worker ------------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the campaign measured, for the report."""

    cases: int = 0
    commands: int = 0
    max_cpu: float = 0.0
    max_wall: float = 0.0
    max_added_mb: float = 0.0
    """The most memory one command added to what the worker held."""
    max_peak_mb: float = 0.0
    """The worker's highest resident memory (with what earlier commands loaded)."""
    slowest: str = ""
    largest: str = ""
    failures: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    """How many cases each kind of break made (the first words of its description)."""


class Worker:
    """A callsim process that runs commands one after another (restarted after a hang or every few hundred)."""

    RESTART_EVERY = 200

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.served = 0

    def start(self) -> None:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, env=env)
        self.served = 0

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def run(self, argv: list[str], cwd: Path) -> dict[str, Any]:
        if self.process is None or self.served >= self.RESTART_EVERY:
            self.stop()
            self.start()
        assert self.process is not None and self.process.stdin and self.process.stdout
        self.served += 1
        self.process.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd)}) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], HANG_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            code = self.process.poll()
            self.stop()
            return {"code": "hang" if code is None else f"died ({code})", "stdout": "", "stderr": "",
                    "exception": "", "cpu": HANG_SECONDS, "wall": HANG_SECONDS, "peak_mb": None, "held_mb": None}
        return json.loads(line)


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    started = Worker()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def figures() -> Iterator[Figures]:
    found = Figures()
    yield found
    summary = (f"fuzz: {found.cases} cases, {found.commands} commands, {len(found.failures)} failures; "
               f"max CPU {found.max_cpu:.2f} s ({found.slowest}), max wall {found.max_wall:.2f} s, "
               f"most memory added by one command {found.max_added_mb:.0f} MB ({found.largest}); the worker's "
               f"peak {found.max_peak_mb:.0f} MB")
    print("\n" + summary)
    if REPORT:
        Path(REPORT).write_text(json.dumps({**found.__dict__, "summary": summary}, indent=2))


# --- the check -------------------------------------------------------------------------------------


def added_mb(result: dict[str, Any]) -> float | None:
    """What a command added to the worker's resident memory at its peak (None where it cannot be told)."""
    return None if result["peak_mb"] is None else result["peak_mb"] - result["held_mb"]


def problems_with(result: dict[str, Any], command: str, cpu_limit: float = MAX_CPU_SECONDS) -> list[str]:
    """Why a command's outcome is not clean (empty when it is)."""
    found = []
    output = result["stdout"] + result["stderr"]
    if result["exception"]:
        found.append("an exception escaped:\n" + "\n".join(result["exception"].splitlines()[-8:]))
    if result["code"] not in (0, 1, 2, "exception"):
        found.append(f"exit code {result['code']}")
    if "Traceback" in output or "a bug in callsim" in output:
        found.append("a traceback or a 'bug in callsim' was printed:\n" + output[-1500:])
    if command == "validate" and result["code"] == 1:
        found.append("validate exits 0 or 2, not 1")
    if result["code"] == 2:
        for line in result["stderr"].splitlines():
            if not line.strip() or SUMMARIES.match(line) or line.startswith(" "):
                continue
            if POSITIONED.match(line) or POSITIONED_LINE.match(line):
                continue
            if any(text in line for text in WHOLE_FILE):
                continue
            found.append(f"an error without file:line:col: {line[:300]}")
    if result["cpu"] > cpu_limit:
        found.append(f"took {result['cpu']:.1f} s of CPU time (the limit is {cpu_limit} s)")
    added = added_mb(result)
    if added is not None and added > MAX_PEAK_MB:
        found.append(f"took {added:.0f} MB of memory at its peak (the limit is {MAX_PEAK_MB:.0f} MB)")
    return found


def dumped(data: Any) -> bytes:
    """`data` as YAML; a nest 500 deep takes PyYAML's representer about 2,000 frames down."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 5000))
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200).encode("utf-8", "surrogatepass")
    finally:
        sys.setrecursionlimit(limit)


def plan_case(pick: Pick) -> tuple[str, str, str, str]:
    """Which project a case breaks, which kind of file, which file, and which of its scenarios it runs."""
    project = pick.stable(PROJECTS)
    kind = pick.one(["agent", "actions", "scenario", "recording"] if RECORDED.get(project)
                    else ["agent", "actions", "scenario"])
    if kind == "recording":
        return project, kind, pick.stable(RECORDED[project]), ""
    target = pick.stable([f for f in FILES[project] if KINDS[f] == kind])
    scenario = target if kind == "scenario" else pick.stable([f for f in FILES[project] if KINDS[f] == "scenario"])
    return project, kind, target, scenario


def build_case(pick: Pick, root: Path) -> tuple[str, list[list[str]]]:
    """Copy the example projects into `root`, break one file of one of them, and say which commands to run."""
    project, kind, target, scenario = plan_case(pick)
    shutil.copytree(SCENARIOS, root / "scenarios")  # all of them: a project may use another's files (../booking)
    if (RECORDINGS / project).is_dir():
        shutil.copytree(RECORDINGS / project, root / "recordings" / project)
    if kind == "recording":
        path = root / "recordings" / target
        what, text = mutate_recording(pick, path.read_bytes(), project)
        path.write_bytes(text)
        rec = f"recordings/{target}"
        return f"{rec}: {what}", [["show", rec], ["replay", rec]]
    path = root / "scenarios" / target
    original = path.read_bytes()
    if pick.flip():
        data = yaml.load(original, Loader=yaml.CSafeLoader)
        what, data = mutate_data(pick, data)
        text = dumped(data)
    else:
        what, text = mutate_yaml_text(pick, original)
    path.write_bytes(text)
    commands = [["validate", f"scenarios/{project}"], ["run", f"scenarios/{scenario}"]]
    if project in LIVE and what.startswith("repeat"):  # 500 requests to a deliberately slow server take 500 s, rightly
        commands.pop()
    return f"scenarios/{target}: {what}", commands


def _plays_audio(root: Path, target: str) -> bool:
    """Whether the scenario a command runs (or the recording replays) has audio turns."""
    path = root / target
    if path.suffix == ".jsonl":
        path = root / "scenarios" / Path(target).relative_to("recordings").with_suffix(".yaml")
    try:
        return b"audio:" in path.read_bytes()
    except OSError:
        return False


@pytest.mark.parametrize("number", range(EXAMPLES), ids=lambda number: f"case-{number}")
def test_a_broken_file_gets_a_clean_positioned_answer(number: int, worker: Worker, figures: Figures,
                                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("case")
    try:
        what, commands = build_case(Pick(SEED, number), root)
        case = f"case {number} of seed {SEED}: {what}"
        figures.cases += 1
        kind = what.split(": ", 1)[1].split(" ")[0] if ": " in what else what
        figures.kinds[kind] = figures.kinds.get(kind, 0) + 1
        found = []
        for argv in commands:
            result = worker.run(argv, root)
            figures.commands += 1
            label = f"{' '.join(argv)} ({case[:120]})"
            if result["cpu"] > figures.max_cpu:
                figures.max_cpu, figures.slowest = result["cpu"], label
            figures.max_wall = max(figures.max_wall, result["wall"])
            if (added_mb(result) or 0) > figures.max_added_mb:
                figures.max_added_mb, figures.largest = added_mb(result) or 0, label
            figures.max_peak_mb = max(figures.max_peak_mb, result["peak_mb"] or 0)
            heard = argv[0] in ("run", "replay") and _plays_audio(root, argv[1])
            found += [f"callsim {' '.join(argv)}: {problem}"
                      for problem in problems_with(result, argv[0], HEARD_CPU_SECONDS if heard else MAX_CPU_SECONDS)]
        if found:
            figures.failures.append(f"{case}\n" + "\n".join(found))
        assert COLLECT or not found, f"{case}\n" + "\n".join(found)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_project_or_scenario_added_changes_only_the_cases_that_pick_it(monkeypatch: pytest.MonkeyPatch) -> None:
    before = [plan_case(Pick(SEED, number)) for number in range(200)]
    project = PROJECTS[0]
    added = f"{project}/a_new_scenario.yaml"
    monkeypatch.setattr(sys.modules[__name__], "PROJECTS", sorted([*PROJECTS, "aaa"]))
    monkeypatch.setitem(FILES, "aaa", ["aaa/agent.yaml", "aaa/actions.yaml", "aaa/call.yaml"])
    monkeypatch.setitem(FILES, project, sorted([*FILES[project], added]))
    for name, kind in (("aaa/agent.yaml", "agent"), ("aaa/actions.yaml", "actions"), ("aaa/call.yaml", "scenario"),
                       (added, "scenario")):
        monkeypatch.setitem(KINDS, name, kind)
    after = [plan_case(Pick(SEED, number)) for number in range(200)]
    moved = [number for number, (old, new) in enumerate(zip(before, after)) if old != new]
    assert all(after[number][0] == "aaa" or added in after[number] for number in moved)
    assert 0 < len(moved) < 200 / len(PROJECTS) * 2  # about the new project's share, and the new scenario's

