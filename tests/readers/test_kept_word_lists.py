"""faker's name and word lists are kept in the user's cache: read back the same, and never from a file that is
damaged or that others could have written (a name read wrong would name a caller wrong)."""

from __future__ import annotations

from pathlib import Path

import pytest

from callsim.readers import name


def _fresh(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    monkeypatch.setenv("CALLSIM_CACHE_DIR", str(root))
    monkeypatch.delenv("CALLSIM_NO_CACHE", raising=False)
    name._faker_names.cache_clear()


@pytest.fixture(autouse=True)
def _forget_after() -> object:
    yield
    name._faker_names.cache_clear()


def _built() -> dict[str, frozenset[str]]:
    """The lists as faker gives them, nothing kept or read back."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALLSIM_NO_CACHE", "1")
        name._faker_names.cache_clear()
        built = name._faker_names()
    name._faker_names.cache_clear()
    return built


def test_the_kept_lists_read_back_the_same_as_faker_gives_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    built = _built()
    _fresh(monkeypatch, tmp_path)
    first = name._faker_names()
    [kept] = (tmp_path / "names").iterdir()
    assert oct(kept.stat().st_mode & 0o777) == "0o600" and oct((tmp_path / "names").stat().st_mode & 0o777) == "0o700"
    name._faker_names.cache_clear()
    second = name._faker_names()
    assert first == second == built
    assert "ana" in second["given"] and "ruiz" in second["surnames"] and "urgent" not in second["given"]


def test_a_damaged_or_foreign_kept_file_is_not_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    built = _built()
    _fresh(monkeypatch, tmp_path)
    name._faker_names()
    [kept] = (tmp_path / "names").iterdir()
    for damage in (kept.read_bytes()[:1000], b"garbage", b""):
        kept.write_bytes(damage)
        name._faker_names.cache_clear()
        assert name._faker_names() == built
    import marshal

    kept.write_bytes(marshal.dumps({"given": frozenset({"urgent"}), "surnames": frozenset(), "ordinary": frozenset()}))
    kept.chmod(0o666)  # others could have written it: not read
    name._faker_names.cache_clear()
    assert "urgent" not in name._faker_names()["given"]


def test_a_cache_folder_others_may_write_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    (tmp_path / "names").mkdir(mode=0o777)
    (tmp_path / "names").chmod(0o777)
    _fresh(monkeypatch, tmp_path)
    assert name._names_folder() is None
    assert name._faker_names() == _built()
    assert list((tmp_path / "names").iterdir()) == []


def test_the_pronouncing_dictionary_is_looked_up_by_whole_word():
    assert name._is_english_word("urgent") and name._is_english_word("blind")
    assert not name._is_english_word("xiomara") and not name._is_english_word("urgentl")
    assert not name._is_english_word("urgent b")
