"""The version of callsim, for trace headers and `callsim --version`."""

__version__ = "0.1.0"
