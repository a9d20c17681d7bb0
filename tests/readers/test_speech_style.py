"""The readers on speech-to-text style input: lowercase, no punctuation, "oh" for zero, "uh" and "um", a caller
starting a number over ("twenty uh twenty five") or pausing inside one ("three hundred uh fifty"). Every pair
of tests/readers/speech_corpus.tsv (written by hand) is read right; the cases below say why."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callsim.readers import ReadContext, read_value

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from readers_accuracy import CORPORA, load, outcome  # noqa: E402

CTX = ReadContext(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("America/New_York")), timezone="America/New_York")


@pytest.mark.parametrize(("kind", "said", "expected"),
                         [(kind, said, expected) for _, kind, said, expected, _ in load(corpus=CORPORA["speech"])])
def test_each_speech_style_pair_is_read_right(kind: str, said: str, expected: str) -> None:
    result, read = outcome(kind, said, expected)
    assert result == "right", f"{said!r} read as {read}, expected {expected}"


@pytest.mark.parametrize(("said", "expected"), [
    ("twenty uh twenty five", 25),           # started over: the later number
    ("six uh sixty", 60),
    ("four uh five tickets", 5),
    ("three hundred uh fifty", 350),         # a pause inside a number: its rest
    ("one hundred twenty uh three", 123),
    ("two thousand um five hundred", 2500),
    ("twenty twenty five", 2025),            # no hesitation: groups said one after another
])
def test_a_number_said_with_a_hesitation(said: str, expected: int) -> None:
    found = read_value("number", said, CTX)
    assert found is not None and found.value == expected


def test_a_domain_may_start_with_my() -> None:
    found = read_value("email", "info at my company dot co dot uk", CTX)
    assert found is not None and found.value == "info@mycompany.co.uk"


def test_a_web_address_is_no_email() -> None:
    assert read_value("email", "you can find my CV at https://frank.website.com/CV/#cite_2", CTX) is None
