"""The pytest plugin entry point (name `callsim`); scenario collection arrives with the pytest issue."""
