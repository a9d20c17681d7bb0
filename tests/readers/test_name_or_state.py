"""After "this is", "I'm", "I am" or "it's" a caller says how they are as often as who they are: "this is urgent"
names nobody, "this is Grace" names Grace."""

from __future__ import annotations

import pytest

from callsim.readers.name import read_name

LEAD_INS = ["this is", "I'm", "I am", "it's"]
STATES = [
    "urgent", "important", "serious", "late", "calling", "sorry", "fine", "confused", "new here", "locked out",
    "pregnant", "deaf", "retired", "in a hurry", "not sure", "upset", "blind", "diabetic", "disabled", "stranded",
]  # fmt: skip


def name_in(utterance: str) -> str | None:
    found = read_name(utterance)
    return found.value if found else None


@pytest.mark.parametrize("utterance", [
    "this is urgent, my card was stolen",
    "I'm blind and I need the large print form",
    "I am diabetic and I ran out of insulin",
    "it's super important, my card was stolen",
    "i'm blind now.",
    "i'm totally confused.",
])
def test_the_states_found_last_round_name_nobody(utterance: str) -> None:
    assert name_in(utterance) is None


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("lead_in", LEAD_INS)
def test_a_state_after_an_introduction_is_no_name(lead_in: str, state: str) -> None:
    # as speech-to-text writes: a capital opening the sentence, or none at all
    spoken = f"{lead_in} {state}, can you help me"
    assert name_in(spoken[0].upper() + spoken[1:]) is None
    assert name_in(spoken.lower()) is None
    assert name_in(f"hi, {spoken.lower()}") is None


@pytest.mark.parametrize("state", ["urgent", "blind", "diabetic"])
def test_written_all_in_capitals_or_title_case_a_state_is_still_no_name(state: str) -> None:
    assert name_in(f"THIS IS {state.upper()}") is None
    assert name_in(f"I Am {state.title()}") is None


@pytest.mark.parametrize(("utterance", "expected"), [
    ("this is Grace", "Grace"),
    ("I'm Sunny Patel", "Sunny Patel"),
    ("I am Will", "Will"),
    ("it's Hope calling", "Hope"),
    ("this is Mark", "Mark"),
    ("I'm Rose", "Rose"),
    ("this is dr. lee", "Dr. Lee"),
    ("this is maria lopez", "Maria Lopez"),
    # names that are also words, where they are said as names
    ("this is will", "Will"),                       # a first name people have, and the clause ends
    ("hi this is grace, I'd like to book", "Grace"),
    ("i'm sunny", "Sunny"),
    ("it's hope calling about my order", "Hope"),
    ("this is joy from the school office", "Joy"),
    ("this is ana ruiz, do you have anything tomorrow", "Ana Ruiz"),
    ("i'm ted", "Ted"),                             # no doing, though it ends in "ed"
    ("this is Kowalski", "Kowalski"),               # a capital where other words have none
    ("this is Brooks, i need a plumber", "Brooks"),  # a capital on an English word people have as a name
    ("i'm Frank with acme plumbing", "Frank"),
    ("i'm xiomara", "Xiomara"),                     # no English word: a name
    ("This is Siobhan Walsh", "Siobhan Walsh"),
    ("my name is Urgent", "Urgent"),                # asked for by name, any word is one
])
def test_a_name_after_an_introduction_is_still_read(utterance: str, expected: str) -> None:
    assert name_in(utterance) == expected


@pytest.mark.parametrize("utterance", [
    "this is Urgent, i need a plumber",          # speech-to-text capitalised a state in a lower-case transcript
    "hi this is Urgent i need help",
    "i'm frank with you, the heater is broken",  # how the caller is with someone, though Frank is a name
    "I'm honest with you",
    "i'm Frank with you about the bill",
])
def test_a_state_is_no_name_written_with_a_capital_or_said_of_someone(utterance: str) -> None:
    assert name_in(utterance) is None
