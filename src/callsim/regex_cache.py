"""Compiled regular expressions kept from one run of the `callsim` command to the next, as Python keeps bytecode.

A one-file `callsim run` compiles some 240 regular expressions while it loads: callsim's readers and policy,
PyYAML's reader, phonenumbers, textwrap. Python's `re` compiles each in pure Python in every process (one of
PyYAML's takes 6 ms), a twentieth of the run. What it compiles to, the program `_sre` runs, depends only on the
pattern, the flags and the Python build, so the console script keeps those programs in a file beside callsim's
bytecode and hands them straight to `_sre` the next time.

Only patterns written in the code are kept: one compiled by a module's or a class's top level (or a
comprehension there), or a literal of the function that compiles it. A pattern made while a call runs (from a
scenario's trigger words, from a secret to redact) is compiled as usual and never written anywhere.

The file is trusted as the bytecode beside it is (whoever can write there can change callsim itself) and
written as Python writes bytecode: not when PYTHONDONTWRITEBYTECODE is set, not where the install is
read-only, and by a rename, so a reader sees the old file or the new one. A file of another Python build, a
damaged file or an entry `_sre` refuses is ignored, and that pattern is compiled afresh.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
import threading
from re import _compiler  # type: ignore[attr-defined]
from types import FrameType
from typing import Any

import _sre

MAX_KEPT = 4096
"""The most patterns the file holds; past it, only the ones this run used are kept."""

_BUILD = (sys.version, sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE)
"""What a kept program depends on besides its pattern and flags: a file made by another build is not read."""

_FRAMES_OF_RE = ("re/__init__.py", "re/_compiler.py", "re\\__init__.py", "re\\_compiler.py")
_COMPREHENSIONS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>")

Key = tuple[Any, int]
Program = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]


class RegexCache:
    """The compiled programs of one file; `install` makes `re` take its patterns from it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.kept: dict[Key, Program] = {}
        self.new: dict[Key, Program] = {}
        self.used: set[Key] = set()
        self._original: Any = None
        self._last = threading.local()

    def load(self) -> None:
        try:
            with open(self.path, "rb") as source:
                build, kept = marshal.load(source)
        except (OSError, EOFError, ValueError, TypeError):
            return
        if build == _BUILD and isinstance(kept, dict):
            self.kept = kept

    def install(self) -> None:
        """Compile through the cache from now on (patterns `re` already holds are not touched)."""
        if self._original is not None:
            return
        self._original = _compiler.compile
        _compiler._sre = _Recorder(self._last)
        _compiler.compile = self.compile

    def uninstall(self) -> None:
        if self._original is not None:
            _compiler.compile = self._original
            _compiler._sre = _sre
            self._original = None

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        """`re._compiler.compile`: the kept program of (`pattern`, `flags`) when there is one."""
        key = (pattern, flags)
        program = self.kept.get(key)
        if program is not None:
            try:
                compiled = _sre.compile(pattern, *program)
            except (TypeError, ValueError, RuntimeError):  # not a program _sre accepts: compile it afresh
                del self.kept[key]
            else:
                self.used.add(key)
                return compiled
        self._last.program = None
        compiled = self._original(pattern, flags)
        program = self._last.program
        if program is not None and not flags & _compiler.SRE_FLAG_DEBUG and _written_in_code(pattern):
            self.new[key] = program
        return compiled

    def save(self) -> None:
        """Write the file when this run compiled a pattern it did not hold (never when bytecode is not written)."""
        if not self.new or sys.dont_write_bytecode:
            return
        kept = {**self.kept, **self.new}
        if len(kept) > MAX_KEPT:
            kept = {key: kept[key] for key in self.used | set(self.new)}
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
            self.kept, self.new = kept, {}


class _Recorder:
    """Stands in for `_sre` inside `re._compiler`: notes the program of the pattern being compiled."""

    def __init__(self, last: threading.local) -> None:
        self.__dict__.update((name, value) for name, value in vars(_sre).items() if name != "compile")
        self._last = last

    def compile(self, pattern: Any, flags: int, code: list[int], groups: int, groupindex: Any,
                indexgroup: Any) -> Any:
        compiled = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
        # plain ints, dict and tuple: the opcodes are an int subclass marshal does not write
        self._last.program = (int(flags), [int(op) for op in code], int(groups), dict(groupindex), tuple(indexgroup))
        return compiled


def _written_in_code(pattern: Any) -> bool:
    """Whether `pattern` is part of the code rather than made from data: compiled by a module's or a class's top
    level (or a comprehension there), or a literal of the function that compiles it."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.endswith(_FRAMES_OF_RE):
        frame = frame.f_back
    if frame is None:
        return False
    code = frame.f_code
    if code.co_name in _COMPREHENSIONS and frame.f_back is not None:
        code = frame.f_back.f_code
    # a module's or a class's body (not a function's, nor code made at run time and exec'd)
    top_level = not code.co_flags & _OPTIMIZED and not code.co_filename.startswith("<")
    return top_level or pattern in code.co_consts


_OPTIMIZED = 0x0001  # inspect.CO_OPTIMIZED, without importing inspect


def cache_path() -> str:
    """Where the console script keeps the programs: beside callsim's bytecode (sys.pycache_prefix if set)."""
    folder = os.path.dirname(__file__)
    name = f"regex_cache.{sys.implementation.cache_tag}.sre"
    if sys.pycache_prefix:
        return os.path.join(sys.pycache_prefix, os.path.abspath(folder).lstrip(os.sep), name)
    return os.path.join(folder, "__pycache__", name)


def install() -> RegexCache:
    """Load the kept programs, compile through them from now on, and write what is new at exit."""
    cache = RegexCache(cache_path())
    cache.load()
    cache.install()
    atexit.register(cache.save)
    return cache
