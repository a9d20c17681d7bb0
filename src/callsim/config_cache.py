"""The validated-configuration cache: a `callsim run` of files validated before skips reading and validating them.

An entry is one file's load (callsim.discover.load_file): a set of files (a folder's run, a pytest session) is
loaded file by file, each from its entry or validated and kept, so that a run of one file takes what a folder's
run kept and the other way round; which files the set holds is found afresh every time, and so is what only the
whole set tells (an error reported once for the files that share it). Each file's load is recorded as it runs:
every file it opens, every path it looks up (found or not: a `suite.yaml` or a `uses:` target appearing later must
count), every folder it lists and every environment variable it reads (a secret by whether it is set, anything
else by its value), but not what imports read (code, keyed below). An agent that the scenario files of a set share
is loaded once, as a part of the first one's record, and that part is added to the record of each later file that
takes it (Projects); memos of what files hold are emptied before each file's load (callsim.files.MEMOS), so that a
file's record never depends on the files loaded before it. Its result is kept with that record, under a key made of
everything else it depends on: the file's path as given, the working folder, callsim's source, the Python build,
the installed libraries, the date and the time zone. The next run with the same key replays the record (reads the
files again, hashes them, looks the paths up, reads the variables) and takes the kept result only when every answer
is the same; any difference is a miss, and the file is validated afresh.

Only a file's load without errors or warnings is kept (they are always found afresh, so they read the same with the
cache as without). Secret values never reach the file: the scenarios' `secrets:` test values are kept encrypted with a
key made from the bytes of the files read (so only someone who holds those files, and so the values, can read
them back), and an entry whose kept data would still hold a secret's value is not written.

The kept result is a pickle, and reading a pickle runs code, so the cache lives where only the user writes:
$CALLSIM_CACHE_DIR/config, else ($XDG_CACHE_HOME or ~/.cache)/callsim/config, made 0700; a folder or an entry
that is not the user's own, or that others may write, is not used. Entries are written atomically (a temporary
file and a rename), checked by a SHA-256 of their body (a damaged or foreign one is a miss, never an error), and
the oldest go once there are more than MAX_ENTRIES or MAX_BYTES of them. CALLSIM_NO_CACHE=1 turns it off.

This module imports nothing of the configuration models (a hit loads only what the kept result needs).
"""

from __future__ import annotations

import builtins
import hashlib
import io
import marshal
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from callsim import user_cache
from callsim.user_cache import CACHE_ENV, OFF, enabled, own, own_folder, write_atomically  # noqa: F401
# (CACHE_ENV and OFF, the switches, are named here too)

FORMAT = b"callsim config cache 2\n"
"""The first line of every entry: another format (or another program's file) is a miss."""
MAX_ENTRIES = 4096
MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 16 * 1024 * 1024
"""A result bigger than this (a folder of thousands of scenarios) is not kept."""
RACY_NS = 2_000_000_000
"""A file changed this recently when it was read might change again within the same timestamp unseen: not kept."""
MIN_SECRET = 6
"""A secret's value shorter than this is not looked for in what is kept: it would be found in any text (and a
value that short is no secret from whoever tries)."""
_SECRETS_KEY = b"callsim config cache: secrets\0"
_stat, _lstat, _os_open, _scandir, _listdir, _readlink = os.stat, os.lstat, os.open, os.scandir, os.listdir, os.readlink
_open, _io_open = builtins.open, io.open
"""The functions a recording replaces, as they are: what the cache itself reads is never part of a record."""


def cache_dir() -> str:
    """$CALLSIM_CACHE_DIR/config, else the user's cache ($XDG_CACHE_HOME or ~/.cache)/callsim/config."""
    return user_cache.folder("config")


# --- what a load depends on besides what it reads -------------------------------------------------------------

def static_key(request: Any) -> bytes:
    """The digest of what the result depends on that the record does not replay (see the module's docstring)."""
    local = time.localtime()
    parts = (FORMAT, request, os.getcwd(), sys.version, sys.executable, sys.implementation.cache_tag,
             _flags(), sys.getfilesystemencoding(), tuple(sys.path), _source(), _installed(),
             time.strftime("%Y-%m-%d", local), local.tm_gmtoff, local.tm_zone)
    return hashlib.sha256(marshal.dumps(parts)).digest()


_FLAGS = ("optimize", "utf8_mode", "dev_mode", "bytes_warning", "warn_default_encoding", "int_max_str_digits",
          "isolated", "no_site", "no_user_site", "ignore_environment", "safe_path")
"""Python's flags that change what code does or which code runs (not -B, -v, -q, -i or the hash seed)."""


def _flags() -> list[Any]:
    return [(name, getattr(sys.flags, name, None)) for name in _FLAGS]


def _source() -> list[Any]:
    """callsim's files (its code and any data beside it) by path, size and time of change (a change to any of
    them is another key)."""
    top = os.path.dirname(os.path.abspath(__file__))
    found: list[Any] = []
    folders = [top]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(entry.path)
                else:
                    info = entry.stat()
                    found.append((entry.path, info.st_size, info.st_mtime_ns))
    found.sort()
    return found


def _installed() -> list[str]:
    """The distributions installed on sys.path by name and version (`pydantic-2.9.2.dist-info`)."""
    names = []
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as entries:
                names.extend(f"{folder}/{e.name}" for e in entries if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    names.sort()
    return names


def _library_folders() -> tuple[str, ...]:
    """Where the standard library and installed packages live: what a load reads there is keyed by _installed
    and the Python build, not replayed."""
    folders = {os.path.dirname(os.__file__)}
    folders.update(os.path.abspath(p) for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return tuple(folder.rstrip(os.sep) + os.sep for folder in folders)


# --- the record of a load -----------------------------------------------------------------------------------

class Uncacheable(Exception):
    """A file the load read changed before its record was kept."""


class Record:
    """What one load read: file contents, path lookups, folder listings and environment variables, each with
    the answer it got, so that a later run can ask the same questions and compare."""

    def __init__(self, own: str = "", skip: tuple[str, ...] | None = None) -> None:
        self.opened: dict[str, tuple[int, int, int, int] | None] = {}
        """Paths opened for reading, with (inode, size, mtime_ns, ctime_ns) when opened."""
        self.looked_up: dict[tuple[str, bool], Any] = {}
        self.listed: dict[str, Any] = {}
        self.links: dict[str, Any] = {}
        self.environ: dict[str, Any] = {}
        self.refused = ""
        self.skip = skip if skip is not None else _library_folders() + ((os.path.abspath(own) + os.sep,) if own else ())
        """Folders whose files are keyed otherwise (libraries), or are the cache's own (`own`)."""

    def include(self, part: Record) -> None:
        """Add what `part` read (a load inside this one, or one whose result this load took) to this record."""
        for mine, theirs in ((self.opened, part.opened), (self.looked_up, part.looked_up), (self.listed, part.listed),
                             (self.links, part.links), (self.environ, part.environ)):
            for question, answer in theirs.items():
                mine.setdefault(question, answer)
        self.refuse(part.refused)

    def keeps(self, path: Any) -> str | None:
        """The path to note, or None for a path of the standard library or an installed package."""
        if isinstance(path, int):
            return None  # an open descriptor: its path was noted when it was opened
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        path = os.fspath(path)
        known = _kept_paths.get(path, self)
        if known is not self:
            return known
        absolute = os.path.abspath(path)
        kept = None if (absolute + os.sep).startswith(self.skip) else path
        if _active and _active[0].skip == self.skip:  # while watching: the working folder does not change
            _kept_paths[path] = kept
        return kept

    def refuse(self, why: str) -> None:
        self.refused = self.refused or why

    def note_open(self, path: Any, writes: bool, handle_stat: Callable[[], os.stat_result]) -> None:
        """A file opened by path: a load that writes one is not kept; one it reads is, with its signature."""
        if writes:
            self.refuse(f"wrote {path}")
            return
        kept = self.keeps(path)
        if kept is None:
            return
        signature = None
        try:
            info = handle_stat()
            signature = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            if time.time_ns() - info.st_mtime_ns < RACY_NS:
                self.refuse(f"{kept} changed less than {RACY_NS // 10**9} s before it was read")
        except (OSError, ValueError):
            pass
        self.opened.setdefault(kept, signature)

    def manifest(self, digests: dict[Any, Any] | None = None) -> tuple[Any, bytes]:
        """The questions and answers to replay, and the key of the secrets (from the bytes of the files read);
        raises Uncacheable when a file changed since it was read. `digests` holds the answers of files hashed
        before by their signature (inode, size and times: the file read then is the file read now); each file
        hashed is added."""
        digests = {} if digests is None else digests
        files = []
        secrets = hashlib.sha256(_SECRETS_KEY)
        for path, signature in sorted(self.opened.items()):
            known = digests.get((path, signature)) if signature is not None else None
            if known is None:
                data, info = _read(path)
                if data is not None and signature is not None and info is not None and \
                        (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns) != signature:
                    raise Uncacheable(f"{path} changed while it was read")
                known = _file_answer(data)
                if data is not None and signature is not None:
                    digests[path, signature] = known
            digest, secret = known
            files.append((path, digest))
            secrets.update(secret)
        return (files, sorted(self.looked_up.items()), sorted(self.listed.items()), sorted(self.links.items()),
                sorted(self.environ.items())), secrets.digest()


def _file_answer(data: bytes | None) -> tuple[bytes | None, bytes]:
    """What a file's bytes answer: their digest (kept in the entry), and their part of the key of the secrets (a
    digest of another kind, kept nowhere: only someone who holds the bytes can make it)."""
    digest = None if data is None else hashlib.sha256(data).digest()
    data = data or b""
    return digest, hashlib.sha256(_SECRETS_KEY + b"%d\0" % len(data) + data).digest()


def _read(path: str) -> tuple[bytes | None, os.stat_result | None]:
    try:
        with _open(path, "rb") as file:
            return file.read(), os.fstat(file.fileno())
    except (OSError, ValueError):
        return None, None


def _looked_up(path: str, follow: bool) -> Any:
    """What a stat of `path` tells a loader: the kind of file and a regular file's size, or the error."""
    try:
        info = _stat(path) if follow else _lstat(path)
    except OSError as error:
        return ("error", error.errno)
    except ValueError:
        return ("error", "value")
    return _stat_answer(info)


def _stat_answer(info: os.stat_result) -> Any:
    kind = stat.S_IFMT(info.st_mode)
    return (kind, info.st_size if kind == stat.S_IFREG else 0)


def _listing(path: str) -> Any:
    try:
        with _scandir(path) as entries:
            return sorted((e.name, e.is_dir(), e.is_file(), e.is_symlink()) for e in entries)
    except OSError as error:
        return ("error", error.errno)


def _link(path: str) -> Any:
    try:
        return os.fsdecode(_readlink(path))
    except OSError as error:
        return ("error", error.errno)


def _env_answer(name: str, how: str, salt: bytes) -> Any:
    value = os.environ._data.get(os.environ.encodekey(name))  # type: ignore[attr-defined]
    if how == "set":
        return value is not None
    return None if value is None else hashlib.sha256(salt + value).digest()


def replays(manifest: Any, salt: bytes, answers: dict[Any, Any] | None = None) -> bytes | None:
    """The secrets key when every question of `manifest` gets the answer it got when it was kept, else None.
    `answers` holds what this run has asked already (the entries of one set's files ask much the same: their
    agents, libraries and suite files), each question asked once a run."""
    answers = {} if answers is None else answers

    def answer(question: Any, ask: Callable[[], Any]) -> Any:
        if question not in answers:
            answers[question] = ask()
        return answers[question]

    files, looked_up, listed, links, environ = manifest
    for (path, follow), expected in looked_up:
        if answer(("stat", path, follow), lambda: _looked_up(path, follow)) != expected:
            return None
    for path, expected in listed:
        if answer(("list", path), lambda: _listing(path)) != expected:
            return None
    for path, expected in links:
        if answer(("link", path), lambda: _link(path)) != expected:
            return None
    for (name, how), expected in environ:
        if answer(("environ", name, how), lambda: _env_answer(name, how, salt)) != expected:
            return None
    secrets = hashlib.sha256(_SECRETS_KEY)
    for path, expected in files:
        digest, secret = answer(("read", path), lambda: _file_answer(_read(path)[0]))
        if digest != expected:
            return None
        secrets.update(secret)
    return secrets.digest()


_active: list[Record] = []
"""The records being written, outermost first: a read is noted in the innermost, and a record inside another (a
part, such as an agent's load that the scenario files of a set share) is added to the one around it as it ends."""


@contextmanager
def recording(salt: bytes, own: str = "") -> Iterator[Record]:
    """Note what the code run inside reads (see Record), through os, io and builtins, and the environment;
    not what is in the folder `own` (the cache's). Inside another recording, this one is a part of it."""
    record = Record(own, _active[-1].skip if _active else None)
    depth = len(_active)
    _active.append(record)
    try:
        if depth:
            yield record
        else:
            with _watching(salt):
                yield record
    finally:
        _fold(depth)
        _active.pop()
        if depth:
            _active[-1].include(record)


def begin_part() -> Record | None:
    """Start a part of the record being written (None when nothing is recorded); `end_part` ends it."""
    if not _active:
        return None
    part = Record(skip=_active[-1].skip)
    _active.append(part)
    return part


def end_part(part: Record) -> None:
    """End `part` (and any part begun inside it): what it read is added to the record it was begun in."""
    for depth, record in enumerate(_active):
        if record is part:
            _fold(depth)
            _active.pop()
            _active[-1].include(part)
            return


def _fold(depth: int) -> None:
    """Add the records begun inside the one at `depth` (parts a failed load never ended) to it, innermost first."""
    while len(_active) > depth + 1:
        inner = _active.pop()
        _active[-1].include(inner)


_kept_paths: dict[str, str | None] = {}
"""Record.keeps's answers while a recording watches (paths are looked up many times; the working folder, which
makes them absolute, does not change while a file loads)."""
_importing = [0]
"""How many imports are under way: what a module's code reads as it is loaded (sysconfig its build, pydantic
its plugins' entry points) is code, keyed by callsim's files, the libraries and the Python build, not noted."""


@contextmanager
def _watching(salt: bytes) -> Iterator[None]:
    """Note what is read in the innermost record being written (see `recording`), but not by imports."""
    import importlib

    real = {"stat": _stat, "lstat": _lstat, "open": _os_open, "scandir": _scandir, "listdir": _listdir,
            "readlink": _readlink}
    real_open, real_io_open = _open, _io_open
    real_import, real_import_module = builtins.__import__, importlib.import_module

    def unnoted(function: Callable[..., Any]) -> Callable[..., Any]:
        def run_import(*args: Any, **kwargs: Any) -> Any:
            _importing[0] += 1
            try:
                return function(*args, **kwargs)
            finally:
                _importing[0] -= 1
        return run_import

    def looked_up(follow: bool) -> Callable[..., Any]:
        function = real["stat" if follow else "lstat"]

        def look(path: Any, *args: Any, **kwargs: Any) -> Any:
            if _importing[0]:
                return function(path, *args, **kwargs)
            record = _active[-1]
            if args or kwargs.get("dir_fd") is not None:
                record.refuse("looked a path up relative to an open folder")
                return function(path, *args, **kwargs)
            kept = record.keeps(path)
            question = (kept, follow and kwargs.get("follow_symlinks", True))
            if kept is None or question in record.looked_up:
                return function(path, *args, **kwargs)
            try:  # the caller's own stat answers the question (one system call, not two)
                info = function(path, *args, **kwargs)
            except OSError as error:
                record.looked_up[question] = ("error", error.errno)
                raise
            except ValueError:
                record.looked_up[question] = ("error", "value")
                raise
            record.looked_up[question] = _stat_answer(info)
            return info
        return look

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        handle = real["open"](path, flags, *args, **kwargs)
        writes = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
        if not _importing[0]:
            _active[-1].note_open(path, writes, lambda: os.fstat(handle))
        return handle

    def file_open(opener: Callable[..., Any]) -> Callable[..., Any]:
        def open_file(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = opener(file, mode, *args, **kwargs)
            if not isinstance(file, int) and not _importing[0]:
                _active[-1].note_open(file, any(c in mode for c in "wax+"), lambda: os.fstat(handle.fileno()))
            return handle
        return open_file

    def listing(function: Callable[..., Any]) -> Callable[..., Any]:
        def list_folder(path: Any = ".") -> Any:
            if _importing[0]:
                return function(path)
            record = _active[-1]
            kept = record.keeps(path)
            if kept is not None:
                record.listed.setdefault(kept, _listing(kept))
            return function(path)
        return list_folder

    def readlink(path: Any, *args: Any, **kwargs: Any) -> Any:
        if _importing[0]:
            return real["readlink"](path, *args, **kwargs)
        record = _active[-1]
        kept = record.keeps(path)
        if kept is not None:
            record.links.setdefault(kept, _link(kept))
        return real["readlink"](path, *args, **kwargs)

    environ_class = type(os.environ)

    class Watched(environ_class):  # type: ignore[misc, valid-type]
        def __getitem__(self, key: Any) -> Any:
            if isinstance(key, str) and not _importing[0]:
                _active[-1].environ[(key, "value")] = _env_answer(key, "value", salt)
            return super().__getitem__(key)

        def __contains__(self, key: Any) -> bool:  # whether it is set, not its value (a secret's is checked so)
            if not isinstance(key, str):
                return False
            if not _importing[0]:
                _active[-1].environ.setdefault((key, "set"), _env_answer(key, "set", salt))
            return self.encodekey(key) in self._data

        def __iter__(self) -> Any:
            if not _importing[0]:
                _active[-1].refuse("read every environment variable")
            return super().__iter__()

    patched = {"stat": looked_up(True), "lstat": looked_up(False), "open": os_open, "scandir": listing(_scandir),
               "listdir": listing(_listdir), "readlink": readlink}
    for name, function in patched.items():
        setattr(os, name, function)
    builtins.open, io.open = file_open(real_open), file_open(real_io_open)
    builtins.__import__, importlib.import_module = unnoted(real_import), unnoted(real_import_module)
    os.environ.__class__ = Watched
    _kept_paths.clear()
    try:
        yield
    finally:
        _kept_paths.clear()
        os.environ.__class__ = environ_class
        for name, function in real.items():
            setattr(os, name, function)
        builtins.open, io.open = real_open, real_io_open
        builtins.__import__, importlib.import_module = real_import, real_import_module


# --- entries --------------------------------------------------------------------------------------------------

def _keystream_xor(key: bytes, data: bytes) -> bytes:
    """`data` XORed with SHA-256 of `key` and a counter, block by block (a stream cipher keyed by the files)."""
    stream = b"".join(hashlib.sha256(key + i.to_bytes(8, "big")).digest() for i in range(len(data) // 32 + 1))
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream[:len(data)], "big")).to_bytes(len(data), "big")


class _Pickler(pickle.Pickler):
    """Pickles the result with the objects in `hidden` (secrets' values) left out, as references."""

    def __init__(self, file: Any, hidden: list[Any]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.hidden = {id(obj): index for index, obj in enumerate(hidden)}

    def persistent_id(self, obj: Any) -> Any:
        return self.hidden.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, hidden: list[Any]) -> None:
        super().__init__(file)
        self.hidden = hidden

    def persistent_load(self, index: Any) -> Any:
        return self.hidden[index]


class Cache:
    """The cache folder: `get` a kept result for a request, `put` one after a load without errors."""

    def __init__(self, folder: str | None = None) -> None:
        self.folder = folder or cache_dir()
        self._salt: bytes | None = None

    def salt(self, create: bool = False) -> bytes | None:
        """A random value of this cache folder that environment values are hashed with."""
        if self._salt is None:
            path = os.path.join(self.folder, "salt")
            data, info = _read(path)
            if data is not None and len(data) == 32 and info is not None and own(info):
                self._salt = data
            elif create and own_folder(self.folder, create=True):
                write_atomically(path, os.urandom(32))
                data, info = _read(path)
                self._salt = data if data is not None and len(data) == 32 else None
        return self._salt

    def path(self, key: bytes) -> str:
        return os.path.join(self.folder, key.hex()[:40] + ".entry")

    def get(self, key: bytes, answers: dict[Any, Any] | None = None) -> Any:
        """The kept result of `key` when its record replays the same, else None (never an error); `answers`, see
        `replays`."""
        if not own_folder(self.folder, create=False):
            return None
        salt = self.salt()
        if salt is None:
            return None
        path = self.path(key)
        try:
            with open(path, "rb") as file:
                if not own(os.fstat(file.fileno())):
                    return None
                data = file.read()
        except OSError:
            return None
        try:
            if not data.startswith(FORMAT):
                return None
            body = data[len(FORMAT) + 32:]
            if hashlib.sha256(body).digest() != data[len(FORMAT):len(FORMAT) + 32]:
                return None
            kept_key, manifest, sealed, result = marshal.loads(body)
            if kept_key != key:
                return None
            secrets_key = replays(manifest, salt, answers)
            if secrets_key is None:
                return None
            hidden = pickle.loads(_keystream_xor(secrets_key, sealed)) if sealed else []
            found = _Unpickler(io.BytesIO(result), hidden).load() if hidden else pickle.loads(result)
        except Exception:  # noqa: BLE001 - a damaged, truncated or foreign entry is a miss, whatever it holds
            return None
        try:
            os.utime(path)  # the oldest used go first
        except OSError:
            pass
        return found

    def put(self, key: bytes, record: Record, result: Any, hidden: list[Any], secret_values: list[str],
            evict: bool = True, digests: dict[Any, Any] | None = None) -> str:
        """Keep `result` (with `hidden` encrypted); the reason it was not kept, or ''. `digests`: see
        Record.manifest."""
        if record.refused:
            return record.refused
        salt = self.salt(create=True)
        if salt is None:
            return f"{self.folder} cannot be used (not the user's own, or others may write it)"
        try:
            manifest, secrets_key = record.manifest(digests)
        except Uncacheable as why:
            return str(why)
        buffer = io.BytesIO()
        try:
            if hidden:
                _Pickler(buffer, hidden).dump(result)
            else:  # nothing to leave out: pickled without a call back into Python for each object
                pickle.dump(result, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # noqa: BLE001 - something in it cannot be kept: validated every time instead
            return f"cannot be pickled ({error})"
        payload = buffer.getvalue()
        if any(len(value) >= MIN_SECRET and value.encode() in payload for value in secret_values):
            return "a secret's value would be written"
        sealed = _keystream_xor(secrets_key, pickle.dumps(hidden)) if hidden else b""
        body = marshal.dumps((key, manifest, sealed, payload))
        if len(body) > MAX_ENTRY_BYTES:
            return "too large"
        write_atomically(self.path(key), FORMAT + hashlib.sha256(body).digest() + body)
        if evict:
            self.evict()
        return ""

    def evict(self) -> None:
        """Let the oldest used entries go past MAX_ENTRIES or MAX_BYTES."""
        try:
            with os.scandir(self.folder) as entries:
                kept = [(e.stat().st_mtime_ns, e.stat().st_size, e.path) for e in entries
                        if e.name.endswith(".entry")]
        except OSError:
            return
        kept.sort(reverse=True)
        total = 0
        for index, (_, size, path) in enumerate(kept):
            total += size
            if index >= MAX_ENTRIES or total > MAX_BYTES:
                try:
                    os.unlink(path)
                except OSError:
                    pass


# --- the hook -------------------------------------------------------------------------------------------------

def discover(paths: list[Any]) -> Any:
    """`callsim.discover.discover(paths)`, each file from the cache when it was validated before (alone or in any
    set: an entry is one file's) and nothing its load depends on changed (see the module's docstring); validated
    and kept otherwise. Which files `paths` holds is found afresh each time (a scenario file added to a folder
    is seen), and so is everything about the set as a whole."""
    from callsim import discover as loading

    files = Files()
    found = loading.Found()
    seen: set[str] = set()
    for file in loading.yaml_files(paths):
        found.add(files.load(file), seen)
    files.close()
    return found


class Files:
    """One file at a time from the cache (`load`), for the files of one set (a run's, a pytest session's): the
    agents their scenarios share are loaded once, each with the part of the record its load made. With the cache
    off (CALLSIM_NO_CACHE), each file is validated."""

    def __init__(self, cache: Cache | None = None) -> None:
        self.cache = cache or Cache()
        self.projects = Projects()
        self.kept = 0
        self._shown: dict[Any, Any] = {}
        self._base: bytes | None = None
        self._keyed = not enabled()
        self.answers: dict[Any, Any] = {}
        """What the entries taken so far asked (see `replays`)."""
        self.digests: dict[Any, Any] = {}
        """The files hashed for the entries kept so far (see Record.manifest)."""

    def key(self, file: Any) -> bytes | None:
        """The key of `file`'s entry: the file's path as given (which the kept scenario's messages show) with what
        every entry's key holds (see static_key); None with the cache off, or when callsim's own folder or the
        working folder cannot be read (then validated, not kept)."""
        if not self._keyed:
            self._keyed = True
            try:
                self._base = static_key(("file", FORMAT))
            except OSError:
                pass
        if self._base is None:
            return None
        return hashlib.sha256(self._base + os.fsencode(os.fspath(file))).digest()

    def load(self, file: Any) -> Any:
        """`callsim.discover.load_file(file, ...)`, from the cache when it holds the file's load and nothing it
        read changed; validated and kept otherwise (not with errors, nor when it warned)."""
        from callsim import discover as loading
        from callsim.files import MEMOS

        key = self.key(file)
        found = None if key is None else self.cache.get(key, self.answers)
        if found is not None:
            return found
        salt = None if key is None else self.cache.salt(create=True)
        if salt is None:
            return loading.load_file(file, self.projects)
        for forget in MEMOS:  # what an earlier file's load left there would go unrecorded in this one's
            forget()
        import warnings

        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")  # a warning shown for an earlier file counts for this one too
            self.projects.warned = warned
            with recording(salt, self.cache.folder) as record:
                part = loading.load_file(file, self.projects)
        for warning in warned:  # shown as they would have been; a load that warns is never kept, so they always are
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno,
                                   registry=self._shown)
        if not part.errors and not warned:
            hidden = _secret_parts(part.scenario) if part.scenario is not None else []
            values = [value for mapping in hidden for value in mapping.values() if isinstance(value, str)]
            if part.scenario is not None:
                values += [os.environ[name] for name in part.scenario.project.secret_names if name in os.environ]
            if not self.cache.put(key, record, part, hidden, values, evict=False, digests=self.digests):
                self.kept += 1
        return part

    def close(self) -> None:
        """Let the oldest entries go once the set's are written."""
        if self.kept:
            self.cache.evict()


class Projects(dict):  # type: ignore[type-arg]
    """The agents loaded for the scenario files of a set by resolved path (load_scenario's `agents`), each with
    the part of the record its load made: a file whose scenario takes an agent an earlier file loaded gets
    that part added to its own record, so that each file's record holds every read its result depends on.
    (load_scenario asks `key in agents`, then takes `agents[key]` or loads the agent and stores it; an agent
    taken whose load was not recorded makes the file's record refused.)"""

    def __init__(self) -> None:
        super().__init__()
        self.parts: dict[Any, Record] = {}
        self.loading: dict[Any, tuple[Record, int]] = {}
        self.warned: list[Any] = []

    def __contains__(self, key: Any) -> bool:
        if dict.__contains__(self, key):
            return True
        part = begin_part()
        if part is not None:
            self.loading[key] = (part, len(self.warned))
        return False

    def __getitem__(self, key: Any) -> Any:
        project = dict.__getitem__(self, key)
        if _active:
            part = self.parts.get(key)
            if part is None:
                _active[-1].refuse("took an agent whose load was not recorded")
            else:
                _active[-1].include(part)
        return project

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if dict.__contains__(self, key) else default

    def __setitem__(self, key: Any, project: Any) -> None:
        begun = self.loading.pop(key, None)
        if begun is not None and not dict.__contains__(self, key):
            part, warnings_before = begun
            if len(self.warned) > warnings_before:
                part.refuse("its agent's load warned")
            end_part(part)
            self.parts[key] = part
        dict.__setitem__(self, key, project)


def _secret_parts(scenario: Any) -> list[Any]:
    """The mappings of a scenario holding secrets' test values: its validated `secrets:` and the file's."""
    data = scenario.doc.data
    return [part for part in (scenario.config.secrets, data.get("secrets") if isinstance(data, dict) else None)
            if isinstance(part, dict) and part]
