"""Speech for the voice tests, synthesised by espeak-ng (the tests skip, saying so, where it is missing)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def speak(tmp_path: Path) -> Callable[..., Path]:
    """speak(text, voice="en-us", name=None) -> a WAV file of espeak-ng saying `text`."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng; `make setup` does it as root)")

    def synthesise(text: str, voice: str = "en-us", name: str | None = None) -> Path:
        path = tmp_path / (name or f"speech-{abs(hash((text, voice)))}.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True, capture_output=True)
        return path

    return synthesise
