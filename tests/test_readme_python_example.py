"""The README's Python example runs as written (from a test folder, with the repository as rootdir)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_the_readme_python_example_passes(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:textual-snapshot")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(# tests/test_by_hand\.py.*?)```", readme, re.DOTALL)
    assert code is not None, "the README's Python example is gone"
    pytester.makepyfile(test_by_hand=code[1])
    result = pytester.runpytest("-q", "-p", "anyio", f"--rootdir={REPO}", "-c", "/dev/null",
                                str(pytester.path / "test_by_hand.py"))
    result.assert_outcomes(passed=1)
