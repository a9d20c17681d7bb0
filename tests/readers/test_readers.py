"""Reading typed values out of speech-to-text utterances."""

from __future__ import annotations

import datetime
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callsim.readers import VALUE_TYPES, ReadContext, SpokenValue, read_value
from callsim.readers.digits import read_digits

NEW_YORK = "America/New_York"
# A Wednesday afternoon in late November.
WEDNESDAY = ReadContext(datetime.datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo(NEW_YORK)), NEW_YORK)


def at(*fields: int, zone: str = NEW_YORK) -> ReadContext:
    """A context whose clock reads the given wall-clock time in `zone`."""
    return ReadContext(datetime.datetime(*fields, tzinfo=ZoneInfo(zone)), zone)


def value_of(type_: str, utterance: str, ctx: ReadContext = WEDNESDAY, **options: object) -> object:
    """The value read, or None when nothing was."""
    read = read_value(type_, utterance, ctx, **options)  # type: ignore[arg-type]
    return None if read is None else read.value


def test_value_types_are_the_documented_ones() -> None:
    assert VALUE_TYPES == (
        "text", "digits", "number", "phone", "email", "name", "date", "time", "datetime", "enum", "yes_no",
        "when",
    )  # fmt: skip


def test_unknown_type_is_an_error_that_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown value type 'colour'.*yes_no"):
        read_value("colour", "red", WEDNESDAY)


def test_context_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        ReadContext(datetime.datetime(2026, 11, 25, 15, 0))


def test_the_readers_load_alone() -> None:
    # dateparser takes ~0.3 s to import, pydantic and the config models more: reading a value needs
    # neither, and a reader can be used and tested without the rest of callsim.
    code = ("import sys, callsim.readers; print(sorted({m for m in sys.modules if m in ('dateparser', 'pydantic') "
            "or m.startswith('callsim.') and not m.startswith(('callsim.readers', 'callsim.version'))}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("it's four five six seven", "4567"),
        ("4 5 6 7", "4567"),
        ("double two three", "223"),
        ("triple five", "555"),
        ("one oh one", "101"),
        ("zero zero seven", "007"),
        ("double oh seven", "007"),
        ("my order is 12345", "12345"),
        ("forty five sixty seven", "4567"),
        ("uh um my order number is four five six seven", "4567"),
        ("four five uh six seven", "4567"),
        ("oh it's one two three four", "1234"),
        ("one two sorry one three", "13"),
        ("I don't know", None),
        ("", None),
    ],
)
def test_digits(utterance: str, expected: str | None) -> None:
    assert value_of("digits", utterance) == expected


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("one two three", None),
        ("one two three four", "1234"),
        ("one two three four five six seven eight", "12345678"),
        ("one two three four five six seven eight nine", None),
        ("it was 12 no wait 4567", "4567"),
        ("account 12345678, 80 dollars", "12345678"),   # a pause ends the number: the 80 is another value
        ("It's four-five-six-seven.", "4567"),          # as speech-to-text writes digits said one by one
        ("nine-oh-oh-two-one", "90021"),
        ("the x-ray is four five six seven", "4567"),
    ],
)
def test_digits_of_a_length(utterance: str, expected: str | None) -> None:
    assert value_of("digits", utterance, length=(4, 8)) == expected


@pytest.mark.parametrize(
    ("utterance", "length", "expected"),
    [
        ("oh, one two three four five six seven eight", (8, 8), "12345678"),   # a pause after it: surprise
        ("oh! one two three four", None, "1234"),
        ("oh one two three four five six seven eight", (8, 8), "12345678"),    # nine digits with it: surprise
        ("oh one two three", (4, 4), "0123"),                                  # four with it: a zero
        ("five oh two one", (4, 4), "5021"),
        ("five five two oh, one one three four", (8, 8), "55201134"),          # a number right before it: a zero
        ("oh wait here it is, five five two oh, one one three four", (8, 8), "55201134"),
        ("seven two oh, five five five, zero one eight eight", None, "7205550188"),
        ("two one, four four, oh nine, eight seven", (8, 8), "21440987"),      # a number right after it: a zero
    ],
)
def test_oh_is_surprise_or_a_zero(utterance: str, length: tuple[int, int] | None, expected: str) -> None:
    assert value_of("digits", utterance, length=length) == expected


@pytest.mark.parametrize(("utterance", "expected"), [
    ("two. oh and we have a piano", 2), ("three, oh, and a garage", 3), ("nineteen oh five", 1905)])
def test_an_oh_after_a_pause_and_before_a_word_is_no_zero(utterance: str, expected: int) -> None:
    assert value_of("number", utterance) == expected


_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@settings(derandomize=True, database=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=12), st.booleans())
def test_digits_read_one_by_one_come_back_unchanged(digits: str, zero_as_oh: bool) -> None:
    words = [_DIGIT_WORDS[int(d)] for d in digits]
    if zero_as_oh and digits.strip("0"):
        # "oh" is zero only beside another number; "oh oh" alone is an exclamation.
        words = ["oh" if w == "zero" else w for w in words]
    read = read_digits(" ".join(words))
    assert read is not None and read.value == digits


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("twenty three", 23),
        ("three point five", 3.5),
        ("about 1,200", 1200),
        ("a hundred", 100),
        ("three and a half", 3.5),
        ("minus five", -5),
        ("it costs $1,200.50", 1200.5),
        ("none", None),
        ("the twenty third", 23),  # an ordinal is its number: "the twenty third", "first"
        ("no idea", None),
        ("five point two million", 5200000),
        ("two point five billion dollars", 2500000000),
        ("point zero two", 0.02),
        ("seventy trillion", 70000000000000),
        ("one twenty three", 123),
        ("one fifty five dollars", 155),
        ("forty five sixty seven", 4567),
        ("first", 1),
        ("twenty first", 21),
        ("eleven hundred twenty first", 1121),
        ("seventy five dollars sixty three", 75.63),
        ("four united states dollars and sixty nine cents", 4.69),
        ("twenty cents", 0.2),
        ("two hundred and fifty four", 254),
        ("negative four point thirty four", -4.34),
        ("twenty one crore ninety eight lakh thirty six thousand five hundred and ninety three", 219836593),
        ("give me a second, it's four", 4),
        ("1 hundred and 20.", 120),  # speech-to-text writes "one hundred" with a digit
        ("5 hundred", 500),
        # counts said by the group
        ("a dozen", 12),
        ("half a dozen please", 6),
        ("two dozen", 24),
        ("a dozen and a half", 18),
        ("a couple of quesadillas", 2),
        ("a pair of tacos", 2),
        ("a couple hundred dollars", 200),
        ("a couple more days", None),
    ],
)
def test_number(utterance: str, expected: float | None) -> None:
    value = value_of("number", utterance)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("four one five five five five zero one zero zero", "+14155550100"),
        ("one four one five five five five zero one zero zero", "+14155550100"),
        ("my number is (415) 555-0100 thanks", "+14155550100"),
        ("+44 20 7946 0958", "+442079460958"),
        ("plus four four two zero seven nine four six zero nine five eight", "+442079460958"),
        ("555-1234", None),
        ("I don't have one", None),
    ],
)
def test_phone(utterance: str, expected: str | None) -> None:
    assert value_of("phone", utterance) == expected


@pytest.mark.parametrize("number", ["415 555 0100", "212 555 0199", "800 555 0123"])
def test_fictitious_555_01xx_numbers_scenarios_use_are_valid(number: str) -> None:
    assert value_of("phone", number) == "+1" + number.replace(" ", "")


def test_phone_without_country_code_uses_the_region() -> None:
    london = ReadContext(WEDNESDAY.now, "Europe/London", region="GB")
    assert value_of("phone", "oh two oh seven nine four six oh nine five eight", london) == "+442079460958"


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("john dot smith at example dot com", "john.smith@example.com"),
        ("j o h n at acme dot co dot uk", "john@acme.co.uk"),
        ("john underscore smith at example dot com", "john_smith@example.com"),
        ("jane dash doe at example dot org", "jane-doe@example.org"),
        ("you can reach me at bob at gmail dot com thanks", "bob@gmail.com"),
        ("it's sam at sign example dot io", "sam@example.io"),
        ("Jane.Doe@Example.com", "Jane.Doe@example.com"),
        ("my email is jane doe", None),
        ("I'm at home", None),
    ],
)
def test_email(utterance: str, expected: str | None) -> None:
    assert value_of("email", utterance) == expected


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("uh it's john j-o-h-n smith", "John Smith"),
        ("my name is maria garcia", "Maria Garcia"),
        ("this is Bob", "Bob"),
        ("call me Dr. Lee", "Dr. Lee"),
        ("j o h n", "John"),
        ("my name is john s m i t h", "John Smith"),
        ("it's kate c-a-t-e", "Cate"),
        ("yes it's maria de la cruz", "Maria de la Cruz"),
        ("sean o'brien", "Sean O'Brien"),
        ("Mary-Jane McDonald", "Mary-Jane McDonald"),
        ("sarah from accounting", "Sarah"),
        ("his name is Leo Park", "Leo Park"),
        ("it's under Maya", "Maya"),
        ("Patel. Sam Patel.", "Sam Patel"),          # said again in full
        ("it's for my wife, Jane Smith", "Jane Smith"),  # a later part that is only a name
        ("they're for Alex Moreno", "Alex Moreno"),      # whom flowers are for: "they're" is no name
        ("these are for my sister Jane", "Jane"),
        ("we're at the park", None),
        ("I'm new here", None),
        ("I'm angry", None),
        ("i'm calling about my bill", None),
        ("eight fifteen", None),
        ("uh, I don't know, let me check", None),
        ("yes", None),
        ("no", None),
        ("I want to check my order", None),
        ("Dr.", None),
        ("", None),
        ("friday at nine", None),                    # a day is no name
        ("make that tomorrow morning", None),
        ("Jo March", "Jo March"),                    # a month may be one
    ],
)
def test_name(utterance: str, expected: str | None) -> None:
    assert value_of("name", utterance) == expected


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("tomorrow", datetime.date(2026, 11, 26)),
        ("next tuesday", datetime.date(2026, 12, 1)),
        ("friday", datetime.date(2026, 11, 27)),
        ("the twenty third of next month", datetime.date(2026, 12, 23)),
        ("december first", datetime.date(2026, 12, 1)),
        ("12/01", datetime.date(2026, 12, 1)),
        ("march 3rd 1985", datetime.date(1985, 3, 3)),
        ("my date of birth is march third nineteen eighty five", datetime.date(1985, 3, 3)),
        ("the fifth", datetime.date(2026, 12, 5)),
        ("on the twenty seventh please", datetime.date(2026, 11, 27)),
        ("uh sometime tomorrow if that works", datetime.date(2026, 11, 26)),
        ("in two weeks", datetime.date(2026, 12, 9)),
        ("next month", None),
        ("ten thirty am", None),
        ("I want to check my order", None),
        ("yes", None),
    ],
)
def test_date(utterance: str, expected: datetime.date | None) -> None:
    assert value_of("date", utterance) == expected


def test_date_day_month_order_follows_the_region() -> None:
    london = ReadContext(WEDNESDAY.now, "Europe/London", region="GB")
    assert value_of("date", "12/01", london) == datetime.date(2027, 1, 12)


def test_date_is_today_in_the_agents_zone_not_in_utc() -> None:
    # 02:00 UTC on the 26th is still the evening of the 25th in New York.
    late = ReadContext(datetime.datetime(2026, 11, 26, 2, 0, tzinfo=datetime.UTC), NEW_YORK)
    assert value_of("date", "tomorrow", late) == datetime.date(2026, 11, 26)


def test_tomorrow_late_on_the_eve_of_spring_forward_is_the_next_day() -> None:
    # With TO_TIMEZONE, dateparser adds the day in UTC and answers March 9th.
    assert value_of("date", "tomorrow", at(2026, 3, 7, 23, 30)) == datetime.date(2026, 3, 8)


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("ten thirty am", datetime.time(10, 30)),
        ("half past two in the afternoon", datetime.time(14, 30)),
        ("quarter to four in the afternoon", datetime.time(15, 45)),
        ("twenty past nine in the morning", datetime.time(9, 20)),
        ("ten oh five pm", datetime.time(22, 5)),
        ("noon", datetime.time(12, 0)),
        ("3pm", datetime.time(15, 0)),
        ("at 2 p.m.", datetime.time(14, 0)),
        ("seven o'clock in the evening", datetime.time(19, 0)),
        # No am/pm is guessed for a bare hour: the agent should ask.
        ("at three", datetime.time(3, 0)),
        ("tomorrow at ten thirty", datetime.time(10, 30)),
        ("tomorrow morning", None),
        ("tomorrow", None),
        ("no", None),
    ],
)
def test_time(utterance: str, expected: datetime.time | None) -> None:
    assert value_of("time", utterance) == expected


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("tomorrow at ten thirty", datetime.datetime(2026, 11, 26, 10, 30)),
        ("next monday at 3pm", datetime.datetime(2026, 11, 30, 15, 0)),
        ("uh sometime tomorrow at ten thirty if that works", datetime.datetime(2026, 11, 26, 10, 30)),
        ("the day after tomorrow at noon", datetime.datetime(2026, 11, 27, 12, 0)),
        ("at 5pm", datetime.datetime(2026, 11, 25, 17, 0)),
        # A bare time already past today means its next occurrence...
        ("ten thirty am", datetime.datetime(2026, 11, 26, 10, 30)),
        # ...unless the caller said today.
        ("today at 10am", datetime.datetime(2026, 11, 25, 10, 0)),
        # A day of the month: the next one (dateparser alone reads "the 3rd" as March).
        ("thursday the third at half past two pm", datetime.datetime(2026, 12, 3, 14, 30)),
        ("on the 4th at 3", datetime.datetime(2026, 12, 4, 3, 0)),
        ("monday the thirtieth at nine", datetime.datetime(2026, 11, 30, 9, 0)),
        ("the twenty fifth at ten am", datetime.datetime(2026, 12, 25, 10, 0)),  # today's 10 am has passed
        ("the twenty fifth at 4 pm", datetime.datetime(2026, 11, 25, 16, 0)),
        ("the fourth", None),
        ("tomorrow", None),
        ("tomorrow morning", None),
        ("december first", None),
    ],
)
def test_datetime(utterance: str, expected: datetime.datetime | None) -> None:
    value = value_of("datetime", utterance)
    if expected is None:
        assert value is None
    else:
        assert value == expected.replace(tzinfo=ZoneInfo(NEW_YORK))
        assert isinstance(value, datetime.datetime) and value.tzinfo == ZoneInfo(NEW_YORK)


@pytest.mark.parametrize(
    ("now", "utterance", "expected", "offset_hours"),
    [
        # Fall back on Sunday 2026-11-01: Friday is EDT, the Monday after is EST.
        ((2026, 10, 30, 12, 0), "next monday at 9am", datetime.datetime(2026, 11, 2, 9, 0), -5),
        ((2026, 10, 30, 12, 0), "tomorrow at 9am", datetime.datetime(2026, 10, 31, 9, 0), -4),
        # Spring forward on Sunday 2026-03-08 at 02:00.
        ((2026, 3, 7, 23, 30), "tomorrow at noon", datetime.datetime(2026, 3, 8, 12, 0), -4),
        ((2026, 3, 7, 12, 0), "tomorrow at two thirty am", datetime.datetime(2026, 3, 8, 3, 30), -4),
        # Two hours elapse from 01:30 EST: 03:30 EST, which the clocks call 04:30 EDT.
        ((2026, 3, 8, 1, 30), "in two hours", datetime.datetime(2026, 3, 8, 4, 30), -4),
    ],
)
def test_datetime_across_a_dst_change(
    now: tuple[int, ...], utterance: str, expected: datetime.datetime, offset_hours: int
) -> None:
    value = value_of("datetime", utterance, at(*now))
    assert isinstance(value, datetime.datetime)
    assert value.replace(tzinfo=None) == expected
    assert value.utcoffset() == datetime.timedelta(hours=offset_hours)


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("in twenty minutes", datetime.datetime(2026, 11, 25, 15, 20)),
        ("two hours from now", datetime.datetime(2026, 11, 25, 17, 0)),
        ("in half an hour", datetime.datetime(2026, 11, 25, 15, 30)),
    ],
)
def test_datetime_in_a_while(utterance: str, expected: datetime.datetime) -> None:
    assert value_of("datetime", utterance) == expected.replace(tzinfo=ZoneInfo(NEW_YORK))


def test_datetime_said_in_another_zone_lands_in_the_agents() -> None:
    value = value_of("datetime", "3pm EST", at(2026, 10, 30, 12, 0))
    assert value == datetime.datetime(2026, 10, 30, 16, 0, tzinfo=ZoneInfo(NEW_YORK))


PLANS = ["basic", "plus", "pro"]


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("the pro plan please", "pro"),
        ("plus", "plus"),
        ("PLUS!", "plus"),
        ("I'd like basik", "basic"),
        ("the bsic one", "basic"),
        ("the bass one", None),
        ("something else", None),
        # Two plans named: the caller has not chosen yet.
        ("the basic one no wait the pro", None),
    ],
)
def test_enum(utterance: str, expected: str | None) -> None:
    assert value_of("enum", utterance, values=PLANS) == expected


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("pro plus please", "Pro Plus"),
        ("just pro", "pro"),
        ("the gold plan", "Gold Plan"),
        ("the gold plam", "Gold Plan"),
    ],
)
def test_enum_with_multi_word_values(utterance: str, expected: str) -> None:
    assert value_of("enum", utterance, values=["Pro Plus", "pro", "Gold Plan"]) == expected


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("the first one", None),  # "one" is a letter away from "none", and means something else
        ("none of them", "none"),
        ("done", None),
        ("the second", "second"),
        ("the secnd", "second"),
    ],
)
def test_enum_short_values_are_matched_only_as_written(utterance: str, expected: str | None) -> None:
    assert value_of("enum", utterance, values=["none", "second", "pro"]) == expected


def test_enum_reports_the_words_it_matched() -> None:
    assert read_value("enum", "I'd like basik", WEDNESDAY, values=PLANS) == SpokenValue("basic", "basik")


def test_enum_without_values_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        read_value("enum", "pro", WEDNESDAY)


@pytest.mark.parametrize(
    "utterance",
    ["yes", "Yes.", "yeah sure", "yep", "that's right", "correct", "please do", "uh huh", "no problem", "sure why not"],
)
def test_yes(utterance: str) -> None:
    assert value_of("yes_no", utterance) is True


@pytest.mark.parametrize(
    "utterance", ["no", "nope", "no thanks", "don't", "not really", "yes, no, wait, no", "that's incorrect"]
)
def test_no(utterance: str) -> None:
    assert value_of("yes_no", utterance) is False


@pytest.mark.parametrize("utterance", ["maybe", "I don't know", "I'm not sure", "what time is it", "",
                                       "no clue", "no clue, my husband is deciding that", "not a clue",
                                       "I can't say", "beats me, no", "no idea yet"])
def test_neither_yes_nor_no(utterance: str) -> None:
    assert value_of("yes_no", utterance) is None


@pytest.mark.parametrize(
    ("utterance", "pattern", "expected"),
    [
        ("  I'd like to cancel  ", None, "I'd like to cancel"),
        ("   ", None, None),
        ("my ticket is AB-1234 thanks", r"[A-Z]{2}-\d{4}", "AB-1234"),
        ("my ticket is ab-1234", r"[A-Z]{2}-\d{4}", None),
    ],
)
def test_text(utterance: str, pattern: str | None, expected: str | None) -> None:
    assert value_of("text", utterance, pattern=pattern) == expected


@pytest.mark.parametrize(("type_", "utterance", "expected"), [
    ("number", "100 and 20", 120),
    ("number", "one hundred and 20", 120),
    ("number", "2000 and twenty six", 2026),
    ("number", "between 100 and 200", 100),          # two numbers: the second is no part of the first
    ("number", "4 5 6 7", 4567),                    # digits written one by one, as said
    ("number", "I'm calling from 3 oak street", None),
    ("number", "15 Pine Road, apartment 4", None),
    ("number", "eight hundred fifty five square kilometers", 855),   # a measure, not a street
    ("number", "fifty six point three per square kilometer", 56.3),
    ("time", "I'm calling from 3 oak street", None),
    ("time", "I live at 12 elm street, can I come at 4", datetime.time(4, 0)),
    ("time", "gate 12 at 5", datetime.time(5, 0)),
    ("time", "3 pm street party", datetime.time(15, 0)),  # "pm" is no street's name
])
def test_numbers_that_label_a_place_and_numbers_said_in_parts(type_, utterance, expected):
    assert value_of(type_, utterance) == expected


MONDAY = at(2026, 11, 30, 10, 0)
THURSDAY = at(2026, 12, 3, 10, 0)


@pytest.mark.parametrize(("ctx", "utterance", "expected"), [
    (MONDAY, "next tuesday", datetime.date(2026, 12, 8)),     # "this tuesday" would be tomorrow
    (MONDAY, "this tuesday", datetime.date(2026, 12, 1)),
    (MONDAY, "next friday", datetime.date(2026, 12, 11)),
    (MONDAY, "next monday", datetime.date(2026, 12, 7)),
    (THURSDAY, "next tuesday", datetime.date(2026, 12, 8)),   # the coming Tuesday is already next week's
    (THURSDAY, "next friday", datetime.date(2026, 12, 11)),
    (THURSDAY, "this friday", datetime.date(2026, 12, 4)),
])
def test_next_weekday_is_that_day_of_next_week(ctx, utterance, expected):
    # "next" and "this" say which way; the variable's direction fills in only what the caller left out
    for direction in (None, "past", "future", "nearest"):
        assert value_of("date", utterance, ctx, direction=direction) == expected


@pytest.mark.parametrize(("utterance", "expected"), [
    ("it's for Sam", "Sam"),
    ("my order is for Sam Lee", "Sam Lee"),
    ("the reservation is for my son Leo Park", "Leo Park"),
    ("my daughter Sofia Lopez will be out tomorrow", "Sofia Lopez"),  # capitals end at "will"
    ("will smith", "Will Smith"),
    # without capitals, a name goes on only with names people have, or up to a pause or the end
    ("my son leo wants olives", "Leo"),
    ("my dog max needs a bath", "Max"),
    ("priya nair please", "Priya Nair"),
    ("jo march", "Jo March"),
    ("dana smithwick, calling about my order", "Dana Smithwick"),
])
def test_a_name_said_as_whom_something_is_for(utterance, expected):
    assert value_of("name", utterance) == expected


@pytest.mark.parametrize(("type_", "utterance", "expected"), [
    ("time", "4ish", datetime.time(4, 0)),
    ("time", "around 4:30-ish", datetime.time(4, 30)),
    ("time", "noonish", datetime.time(12, 0)),
    ("number", "twentyish", 20),
    ("number", "fish and chips for two", 2),           # an "ish" of a word that is no number stays
    ("email", "J-O-H-N at gmail dot com", "john@gmail.com"),
    ("email", "j-o-h-n dash smith at gmail dot com", "john-smith@gmail.com"),
])
def test_a_rough_value_is_the_value_and_letters_spelled_with_dashes_are_letters(type_, utterance, expected):
    assert value_of(type_, utterance) == expected


def test_a_word_after_a_lowercase_name_is_judged_where_it_follows_the_name():
    from callsim.readers.name import read_name, written_as_a_name
    # "needs" ends the turn later on, but after "leo" it goes on with the sentence: no "Leo Needs"
    assert read_name("leo needs the day off, he needs").value == "Leo"
    assert read_name("jo march").value == "Jo March"          # the last word before the end still goes on
    # a new name written as one at its second saying ("the ziggy record, no, Ziggy") is one
    assert written_as_a_name("the ziggy stardust record, no, Ziggy", "Ziggy")


def test_a_first_name_after_a_kind_of_pet_or_relative_no_list_holds_names_it_in_lower_case():
    from callsim.readers.name import names_after
    assert names_after("terrier", "max", "needs a bath")
    assert names_after("godson", "max", "")
    assert not names_after("car", "honda", "")                  # no first name people have
    assert not names_after("old", "ford", "")                   # an everyday word introduces nobody
