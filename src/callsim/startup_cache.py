"""What the `callsim` command compiles as it starts, kept from one run to the next as Python keeps bytecode.

A one-file `callsim run` is mostly start-up, and much of the start is compiling, in pure Python, the same things
every time: some 240 regular expressions (callsim's readers and policy, PyYAML's reader, phonenumbers, textwrap;
one of PyYAML's takes 6 ms) and the ~500 methods `dataclasses` writes out as text and compiles for callsim's
~180 dataclasses. For one Python build each always compiles to the same thing: a pattern and its flags to the
program `_sre` runs, a method's text to a code object. The `callsim` executable keeps both in one file beside
callsim's bytecode and the next run takes them from there (about a fifth of a one-file run's instructions).

Only what is written in the code is kept: a pattern or a dataclass made while a module is imported (by its top
level or a function it calls), or a pattern that is a literal of the function compiling it. A pattern made
while a call runs (from a scenario's trigger words, from a secret to redact) is compiled as usual and written
nowhere.

The file holds code that runs, so it is trusted as the bytecode beside it is (whoever can write there can change
callsim itself) and written as Python writes bytecode: not when PYTHONDONTWRITEBYTECODE is set, not where the
install is read-only, and by a rename, so a reader sees the old file or the new one. A file of another Python
build or a damaged one is ignored; a kept pattern `_sre` refuses is compiled afresh.

Like `python -m compileall`, the build step `python -m callsim.startup_cache` (run by `make bytecode`, so by
`make setup`) writes the file whatever PYTHONDONTWRITEBYTECODE says: it imports every module a command may load
(`fill`), so that a user's first run, and every run of a user whose Python writes no bytecode, starts from it.
"""

from __future__ import annotations

import ast  # loaded by dataclasses (through inspect) in any case
import atexit
import dataclasses
import importlib
import marshal
import os
import re
import sys
import threading
from re import _compiler  # type: ignore[attr-defined]
from typing import Any

import _sre

MAX_KEPT = 4096
"""The most patterns, and the most method texts, the file holds; past it only what this run used is kept."""

_BUILD = (sys.version, sys.implementation.cache_tag, sys.version_info.releaselevel, _sre.MAGIC, _sre.CODESIZE, 2)
"""What a kept program or code object depends on besides its pattern or text (and the file's layout, 2: each
program or code object marshalled on its own): another build's file is not read."""

PATTERNS, METHODS = "patterns", "methods"

_INSIDE_RE = frozenset({re.__file__, _compiler.__file__})
_INSIDE_DATACLASSES = frozenset({dataclasses.__file__})
_OPTIMIZED = 0x0001  # inspect.CO_OPTIMIZED (a function's code), without importing inspect
_NO_LITERAL = object()


class StartupCache:
    """The kept compiled patterns and dataclass methods of one file; `install` makes `re` and `dataclasses` take
    theirs from it and note what they compile that it does not hold.

    `kept` holds each program or code object as its own marshalled bytes, read when first asked for: a run uses
    a few hundred of what the file holds (all that the build step's imports compiled), and reading the rest
    would cost it more than they spare (4 ms against 0.3 for a file of 1,100)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.kept: dict[str, dict[Any, Any]] = {PATTERNS: {}, METHODS: {}}
        self.new: dict[str, dict[Any, Any]] = {PATTERNS: {}, METHODS: {}}
        self.used: dict[str, set[Any]] = {PATTERNS: set(), METHODS: set()}
        self._compile: Any = None
        self._program = threading.local()

    def load(self) -> None:
        try:
            with open(self.path, "rb") as source:
                # loads of the bytes, not load of the file: that reads it a few bytes at a time, 15 times the work
                build, kept = marshal.loads(source.read())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if build == _BUILD and isinstance(kept, dict) and all(isinstance(kept.get(kind), dict) for kind in self.kept):
            self.kept = kept

    def install(self) -> None:
        """Compile patterns and dataclass methods through the cache from now on (what `re` holds already stays)."""
        if self._compile is not None:
            return
        self._compile = _compiler.compile
        _compiler._sre = _Recorder(self._program)
        _compiler.compile = self.compile_pattern
        dataclasses.exec = self.exec_method  # type: ignore[attr-defined]  # the only exec dataclasses calls

    def uninstall(self) -> None:
        if self._compile is not None:
            _compiler.compile, _compiler._sre, self._compile = self._compile, _sre, None
            del dataclasses.exec  # type: ignore[attr-defined]

    def compile_pattern(self, pattern: Any, flags: int = 0) -> Any:
        """`re._compiler.compile`: from the kept program of (`pattern`, `flags`) when there is one."""
        key = (pattern, flags)
        kept = self.kept[PATTERNS].get(key)
        if kept is not None:
            try:
                compiled = _sre.compile(pattern, *marshal.loads(kept))
            except (TypeError, ValueError, RuntimeError, EOFError):  # not a program _sre accepts: compile it afresh
                del self.kept[PATTERNS][key]
            else:
                self.used[PATTERNS].add(key)
                return compiled
        self._program.last = None
        compiled = self._compile(pattern, flags)
        program = self._program.last
        if program is not None and not flags & _compiler.SRE_FLAG_DEBUG and _from_code(_INSIDE_RE, pattern):
            self.new[PATTERNS][key] = program
        return compiled

    def keep_pattern(self, pattern: str, flags: int = 0) -> None:
        """Compile `pattern`, written in the code (a literal a function compiles when it is first called), and keep
        it (installed only)."""
        key = (pattern, flags)
        if key not in self.kept[PATTERNS] and key not in self.new[PATTERNS]:
            self._program.last = None
            try:
                self._compile(pattern, flags)
            except re.error:
                return
            if self._program.last is not None:
                self.new[PATTERNS][key] = self._program.last

    def exec_method(self, text: str, globals: dict[str, Any], namespace: dict[str, Any]) -> None:
        """`exec` as `dataclasses` calls it, on the text of a method it wrote: from the kept code of that text."""
        code = _code(self.kept[METHODS].get(text))
        if code is not None:
            self.used[METHODS].add(text)
        else:
            code = compile(text, "<string>", "exec")  # as exec(text) compiles it
            if _from_code(_INSIDE_DATACLASSES):
                self.new[METHODS][text] = code
        exec(code, globals, namespace)

    def save(self, build: bool = False) -> None:
        """Write the file when this run compiled something it did not hold (not when bytecode is not written,
        unless this is the `build` step)."""
        if not any(self.new.values()) or (sys.dont_write_bytecode and not build):
            return
        kept = {}
        for kind, old in self.kept.items():
            kept[kind] = {**old, **{key: marshal.dumps(value) for key, value in self.new[kind].items()}}
            if len(kept[kind]) > MAX_KEPT:
                kept[kind] = {key: kept[kind][key] for key in self.used[kind] | set(self.new[kind])}
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as out:
                marshal.dump((_BUILD, kept), out)
            os.replace(temporary, self.path)
        except OSError:  # a read-only install or a full disk: the next run compiles as this one did
            try:
                os.unlink(temporary)
            except OSError:
                pass
        else:
            self.kept, self.new = kept, {kind: {} for kind in kept}


def _code(kept: bytes | None) -> Any:
    """The code object of a kept method, None when there is none (or it is damaged: then it is compiled afresh)."""
    if kept is None:
        return None
    try:
        code = marshal.loads(kept)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, type(_code.__code__)) else None


class _Recorder:
    """Stands in for `_sre` inside `re._compiler`: notes the program of the pattern being compiled."""

    def __init__(self, program: threading.local) -> None:
        self.__dict__.update((name, value) for name, value in vars(_sre).items() if name != "compile")
        self._program = program

    def compile(self, pattern: Any, flags: int, code: list[int], groups: int, groupindex: Any,
                indexgroup: Any) -> Any:
        compiled = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
        # plain ints, dict and tuple: the opcodes are an int subclass marshal does not write
        self._program.last = (int(flags), [int(op) for op in code], int(groups), dict(groupindex), tuple(indexgroup))
        return compiled


def _from_code(inside: frozenset[str], literal: Any = _NO_LITERAL) -> bool:
    """Whether what is being compiled is part of the code rather than made from data: `literal` is a constant of
    the function asking for it, or it is asked for while an imported module's top level runs (at an import, by
    that code or a function it calls: nothing of a call reaches there), not the program's own `__main__`.
    `inside`: the files of the library doing the compiling, whose frames are passed over."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename in inside:
        frame = frame.f_back
    if frame is not None and literal is not _NO_LITERAL and literal in frame.f_code.co_consts:
        return True
    while frame is not None:
        code = frame.f_code
        if not code.co_flags & _OPTIMIZED and frame.f_locals is frame.f_globals:  # a module's top level
            return not code.co_filename.startswith("<") and frame.f_globals.get("__name__") != "__main__"
        frame = frame.f_back
    return False


def cache_path() -> str:
    """Where the console script keeps it: beside callsim's bytecode (under sys.pycache_prefix when that is set)."""
    folder = os.path.dirname(os.path.abspath(__file__))
    name = f"startup_cache.{sys.implementation.cache_tag}.kept"
    if sys.pycache_prefix:
        return os.path.join(sys.pycache_prefix, folder.lstrip(os.sep), name)
    return os.path.join(folder, "__pycache__", name)


NOT_FILLED = ("callsim.tui",)
"""What `fill` leaves to its first use: the simulator (an interactive start; a scenario's caller speaking audio uses
callsim.voice, which is filled)."""


def fill(path: str | None = None) -> StartupCache:
    """The build step: write the file afresh with what importing every module a command may load compiles, and
    the patterns callsim's functions compile from a literal when first called (`re.sub(r"\\D", "", said)`).

    The modules are each of callsim's (but NOT_FILLED's) and each module their code imports, at its top or inside a
    function (a library loaded late, when a run first needs it: PyYAML and pydantic to validate, phonenumbers,
    dateparser, jinja2, httpx...), read from callsim's source; one that is not installed is passed over."""
    cache = StartupCache(path or cache_path())
    modules, patterns = written_in_callsim()
    cache.install()
    try:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # an optional library not installed, or one that cannot load here: a run's first use
                pass  # compiles it as before
        for pattern in patterns:
            cache.keep_pattern(pattern)
    finally:
        cache.uninstall()
    cache.save(build=True)
    return cache


_FLAGS_AT = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2, "split": 3, "sub": 4,
             "subn": 4}
"""Where each function of `re` takes its flags (counted from 0): a call with no more arguments than that (and no
flags=) compiles with none."""


def written_in_callsim() -> tuple[list[str], list[str]]:
    """callsim's modules (but NOT_FILLED's), then the other modules their code imports (not under TYPE_CHECKING); and
    the patterns written as literals in calls of `re` without flags (`re.fullmatch(r"\\d{4}", word)`)."""
    imported: dict[str, None] = {}
    patterns: dict[str, None] = {}

    def read(tree: ast.AST) -> None:
        for node in ast.iter_child_nodes(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                for other in node.orelse:
                    read(other)
                continue
            if isinstance(node, ast.Import):
                imported.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported[node.module] = None
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                  and 0 < len(node.args) <= _FLAGS_AT.get(node.func.attr, 0) and not node.keywords
                  and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                patterns[node.args[0].value] = None
            read(node)

    root = os.path.dirname(os.path.abspath(__file__))
    ours: list[str] = []
    for folder, folders, files in os.walk(root):
        package = "callsim" + folder[len(root):].replace(os.sep, ".")
        folders[:] = sorted(name for name in folders if name != "__pycache__"
                            and f"{package}.{name}" not in NOT_FILLED and
                            os.path.exists(os.path.join(folder, name, "__init__.py")))
        for file in sorted(files):
            if file.endswith(".py"):
                ours.append(package if file == "__init__.py" else f"{package}.{file[:-3]}")
                with open(os.path.join(folder, file), "rb") as source:
                    read(ast.parse(source.read()))
    return ours + [name for name in imported if name.partition(".")[0] != "callsim"
                   and not name.startswith(NOT_FILLED)], list(patterns)


def install() -> StartupCache:
    """Load what earlier runs kept, compile through it from now on, and write what is new at exit."""
    cache = StartupCache(cache_path())
    cache.load()
    cache.install()
    atexit.register(cache.save)
    return cache


if __name__ == "__main__":
    # python -m callsim.startup_cache [FILE]: the build step, into FILE rather than beside the bytecode when given;
    # through the module the console script installs, not this __main__ copy of it
    from callsim import startup_cache as _module

    _filled = _module.fill(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"kept what callsim's start compiles ({len(_filled.kept[PATTERNS])} patterns, {len(_filled.kept[METHODS])} "
          f"dataclass methods) in {_filled.path}")
