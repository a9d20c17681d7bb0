"""callsim: simulate and test the actions of voice-AI phone agents."""

__version__ = "0.1.0"
