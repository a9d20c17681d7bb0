"""The console script's kept regular expressions: the same patterns as `re` compiles, only those written in
the code, and never a damaged or foreign file's."""

from __future__ import annotations

import marshal
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from callsim import regex_cache
from callsim.regex_cache import RegexCache

TEXTS = ["Call me at 415 555 0100, ext. 12", "ÉCOLE école straße", "a\nb\n  c", "tomorrow at 10:30 pm", ""]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RegexCache]:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as a user's Python, whatever this one's is
    made = RegexCache(str(tmp_path / "kept.sre"))
    re.purge()  # re's own per-process cache would answer before the kept one is asked
    made.install()
    yield made
    made.uninstall()
    re.purge()


def patterns_written_in_code() -> list[re.Pattern[str]]:
    return [re.compile(r"(?P<area>\d{3})\D*(?P<line>\d{3}\D*\d{4})(?:,? ext\.? (\d+))?"),
            re.compile(r"stra(ss|ß)e|école", re.IGNORECASE),
            re.compile(r"""^ \s* (\w) $  # one letter on a line""", re.MULTILINE | re.VERBOSE),
            re.compile(r"(?<![\w'])(?:ten|\d{1,2})(?::(\d\d))?\s*(am|pm)?(?![\w'])"),
            re.compile(r"[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd]")]


def test_a_kept_program_compiles_to_the_pattern_re_makes(cache: RegexCache, tmp_path: Path):
    plain = patterns_written_in_code()  # through the cache, which notes their programs
    cache.save()
    cache.uninstall()
    again = RegexCache(cache.path)
    again.load()
    again.install()
    re.purge()
    try:
        kept = patterns_written_in_code()
    finally:
        again.uninstall()

    assert len(again.used) == len(plain)  # every one came from the file, none compiled afresh
    for ours, theirs in zip(kept, plain, strict=True):
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (
            theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)
        for text in TEXTS:
            assert [(m.span(), m.groups()) for m in ours.finditer(text)] == [(m.span(), m.groups()) for m in theirs.finditer(text)]


def test_a_pattern_made_from_data_is_never_written(cache: RegexCache, tmp_path: Path):
    secret = "_".join(["sk", "live", "4f7a9c"])  # made at run time, as a secret read from the environment
    said = "book a visit"
    re.compile(re.escape(secret))
    re.compile(rf"(?<![\w']){re.escape(said)}(?![\w'])")
    re.compile(r"written \d+ in the code")
    cache.save()

    assert list(cache.kept) == [(r"written \d+ in the code", 0)]
    written = Path(cache.path).read_bytes()
    assert b"4f7a9c" not in written and b"visit" not in written


def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path):
    damaged = tmp_path / "damaged.sre"
    damaged.write_bytes(b"\x00not marshal at all")
    foreign = tmp_path / "foreign.sre"
    foreign.write_bytes(marshal.dumps((("2.7.18", "cpython-27", 0, 4), {("a", 0): (32, [1], 0, {}, (None,))})))
    for path in (damaged, foreign):
        read = RegexCache(str(path))
        read.load()
        assert read.kept == {}


def test_an_entry_sre_refuses_is_compiled_afresh(cache: RegexCache):
    cache.kept[(r"(\d+)-(\d+)", 0)] = (32, [1, 2, 3, 99999], 0, {}, (None,))  # not a program: _sre refuses it

    found = re.compile(r"(\d+)-(\d+)").fullmatch("12-345")

    assert found is not None and found.groups() == ("12", "345")
    assert (r"(\d+)-(\d+)", 0) not in cache.kept


def test_nothing_is_written_when_python_writes_no_bytecode(cache: RegexCache, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    re.compile(r"kept \w+ only where bytecode is")
    cache.save()

    assert not Path(cache.path).exists()


def test_the_file_lives_beside_the_bytecode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    assert Path(regex_cache.cache_path()).parent == Path(regex_cache.__file__).parent / "__pycache__"
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    assert Path(regex_cache.cache_path()).is_relative_to(tmp_path)
