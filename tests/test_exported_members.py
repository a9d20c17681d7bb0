"""The public API is exactly what `callsim.__all__` promises, sorted."""

import types

import callsim


def test_all_is_sorted_and_exported():
    assert callsim.__all__ == sorted(callsim.__all__, key=lambda name: (not name[0].isupper(), name))
    for name in callsim.__all__:
        assert hasattr(callsim, name), name
    public = {name for name, value in vars(callsim).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert public == set(callsim.__all__) - {"__version__"}
