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
"""

from __future__ import annotations

import atexit
import dataclasses
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

_BUILD = (sys.version, sys.implementation.cache_tag, sys.version_info.releaselevel, _sre.MAGIC, _sre.CODESIZE)
"""What a kept program or code object depends on besides its pattern or text: another build's file is not read."""

PATTERNS, METHODS = "patterns", "methods"

_INSIDE_RE = frozenset({re.__file__, _compiler.__file__})
_INSIDE_DATACLASSES = frozenset({dataclasses.__file__})
_OPTIMIZED = 0x0001  # inspect.CO_OPTIMIZED (a function's code), without importing inspect
_NO_LITERAL = object()


class StartupCache:
    """The kept compiled patterns and dataclass methods of one file; `install` makes `re` and `dataclasses` take
    theirs from it and note what they compile that it does not hold."""

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
        program = self.kept[PATTERNS].get(key)
        if program is not None:
            try:
                compiled = _sre.compile(pattern, *program)
            except (TypeError, ValueError, RuntimeError):  # not a program _sre accepts: compile it afresh
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

    def exec_method(self, text: str, globals: dict[str, Any], namespace: dict[str, Any]) -> None:
        """`exec` as `dataclasses` calls it, on the text of a method it wrote: from the kept code of that text."""
        code = self.kept[METHODS].get(text)
        if code is not None:
            self.used[METHODS].add(text)
        else:
            code = compile(text, "<string>", "exec")  # as exec(text) compiles it
            if _from_code(_INSIDE_DATACLASSES):
                self.new[METHODS][text] = code
        exec(code, globals, namespace)

    def save(self) -> None:
        """Write the file when this run compiled something it did not hold (not when bytecode is not written)."""
        if not any(self.new.values()) or sys.dont_write_bytecode:
            return
        kept = {}
        for kind, old in self.kept.items():
            kept[kind] = {**old, **self.new[kind]}
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


def install() -> StartupCache:
    """Load what earlier runs kept, compile through it from now on, and write what is new at exit."""
    cache = StartupCache(cache_path())
    cache.load()
    cache.install()
    atexit.register(cache.save)
    return cache
