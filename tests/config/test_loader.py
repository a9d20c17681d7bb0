"""Reading YAML with positions (`parse_document`, `Document.position`) and the duration value type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callsim.config.yaml_positions import parse_document, read_document
from callsim.durations import format_duration, parse_duration
from callsim.errors import ConfigError, Position

NESTED = """\
agent: acme
variables:
  order_number: {type: digits, ask: What is your order number?}
uses:
  - actions.yaml
  - more.yaml
turns:
  - caller: hi
  - expect:
      agent_said: hello
"""


def parse_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_document(text, "f.yaml")
    return caught.value


# --- positions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "line", "column"), [
    (("agent",), 1, 8),
    (("variables",), 3, 3),
    (("variables", "order_number"), 3, 17),
    (("variables", "order_number", "type"), 3, 24),
    (("variables", "order_number", "ask"), 3, 37),
    (("uses", 0), 5, 5),
    (("uses", 1), 6, 5),
    (("turns", 1), 9, 5),
    (("turns", 1, "expect", "agent_said"), 10, 19),
])
def test_value_positions_are_one_based_line_and_column(path, line, column):
    doc = parse_document(NESTED, "agent.yaml")

    assert doc.position(path) == Position("agent.yaml", line, column)


@pytest.mark.parametrize(("path", "line", "column"), [
    (("agent",), 1, 1),
    (("variables", "order_number"), 3, 3),
    (("variables", "order_number", "ask"), 3, 32),
    (("turns", 1, "expect"), 9, 5),
    (("turns", 1, "expect", "agent_said"), 10, 7),
])
def test_key_positions_point_at_the_key(path, line, column):
    doc = parse_document(NESTED, "agent.yaml")

    assert doc.position(path, key=True) == Position("agent.yaml", line, column)


def test_position_of_a_missing_path_is_its_nearest_known_parent():
    doc = parse_document(NESTED, "agent.yaml")

    assert doc.position(("variables", "order_number", "length")) == Position("agent.yaml", 3, 17)
    assert doc.position(("nothing", "here")) == Position("agent.yaml", 1, 1)


def test_data_is_plain_dicts_lists_and_scalars():
    doc = parse_document(NESTED, "agent.yaml")

    assert doc.data["variables"] == {"order_number": {"type": "digits", "ask": "What is your order number?"}}
    assert doc.data["turns"] == [{"caller": "hi"}, {"expect": {"agent_said": "hello"}}]


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_an_empty_document_has_no_data(text):
    assert parse_document(text, "f.yaml").data is None


# --- malformed YAML -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "where", "problem"), [
    ("a: [1, 2\nb: 3\n", "f.yaml:2:2",
     "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence started at line 1, column 4)"),
])
def test_malformed_yaml_is_reported_at_its_line_and_column(text, where, problem):
    error = parse_error(text)

    assert str(error) == f"{where}: {problem}; check indentation, colons and quoting"


@pytest.mark.parametrize(("text", "where", "hint"), [
    ("a: 1\n b: 2\n", "f.yaml:2:3", "line 2 is indented deeper than line 1, which already has its value: "
                                     "indent it as far as line 1 (or end line 1 with the key alone)"),
    ("agent: towing\n\n# the zone\n   timezone: America/Chicago\n", "f.yaml:4:4",
     "line 4 is indented deeper than line 1, which already has its value: indent it as far as line 1 "
     "(or end line 1 with the key alone)"),
    ("say: Note: we close at 5\n", "f.yaml:1:10", "a value holding ': ' needs quotes, e.g. say: \"Note: we close at 5\""),
    ("a:\n\tb: 1\n", "f.yaml:2:1",
     "replace the tab in line 2's indentation with spaces (YAML indents with spaces only)"),
    ("turns:\n  - caller: hi\n \t - caller: bye\n", "f.yaml:3:2",
     "replace the tab in line 3's indentation with spaces (YAML indents with spaces only)"),
])
def test_malformed_yaml_says_how_to_fix_the_usual_mistakes(text, where, hint):
    error = parse_error(text)

    assert str(error.position) == where
    assert error.hint == hint


@pytest.mark.parametrize(("text", "context"), [
    ("a: 'unterminated\n", "while scanning a quoted scalar"),
    ("a: 1\n---\nb: 2\n", "expected a single document"),
])
def test_malformed_yaml_message_says_what_was_being_read(text, context):
    error = parse_error(text)

    assert context in error.problem


def test_unknown_tags_are_refused_at_the_value():
    error = parse_error("a: !!python/object:os.system echo\n")

    assert error.position == Position("f.yaml", 1, 4)
    assert error.problem == "the YAML tag !!python/object:os.system is not supported"


def test_a_mapping_key_must_be_plain_text():
    error = parse_error("? [a, b]\n: 1\n")

    assert (error.position, error.problem) == (Position("f.yaml", 1, 3), "a mapping key must be plain text")


def test_an_alias_repeats_the_anchored_value():
    doc = parse_document("base: &phrases [hi, hello]\nagain: *phrases\n", "f.yaml")

    assert doc.data == {"base": ["hi", "hello"], "again": ["hi", "hello"]}


def test_a_recursive_alias_is_a_config_error():
    error = parse_error("a: &loop [*loop]\n")

    assert error.position.line == 1
    assert "alias" in error.problem


# --- duplicate keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key", "second", "first_line"), [
    ("a: 1\nb: 2\na: 3\n", "a", "3:1", 1),
    ("outer:\n  x: 1\n  y: 2\n  x: 3\n", "x", "4:3", 2),
    ("a: {k: 1, k: 2}\n", "k", "1:11", 1),
    ("a: 1\n'a': 2\n", "a", "2:1", 1),
])
def test_duplicate_key_is_reported_at_the_second_and_names_the_first_line(text, key, second, first_line):
    error = parse_error(text)

    assert str(error) == (f"f.yaml:{second}: duplicate key '{key}' (first at line {first_line}); "
                          "each key may appear once in a mapping")


# --- scalars: YAML 1.2 booleans, timestamps -----------------------------------------------------


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "y", "n", "Yes", "NO"])
def test_yaml_1_1_boolean_words_stay_strings(word):
    doc = parse_document(f"value: {word}\n{word}: key\n", "f.yaml")

    assert doc.data == {"value": word, word: "key"}


def test_on_stays_a_key_in_a_trigger():
    assert parse_document("trigger: {on: call_end}\n", "f.yaml").data == {"trigger": {"on": "call_end"}}


@pytest.mark.parametrize(("word", "value"), [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_true_and_false_are_booleans(word, value):
    assert parse_document(f"value: {word}\n", "f.yaml").data["value"] is value


@pytest.mark.parametrize(("text", "offset"), [
    ("2026-11-30T15:00:00-05:00", dt.timedelta(hours=-5)),
    ("2026-11-30 15:00:00+01:00", dt.timedelta(hours=1)),
    ("2026-11-30T15:00:00Z", dt.timedelta(0)),
])
def test_timestamps_keep_the_offset_as_written(text, offset):
    value = parse_document(f"now: {text}\n", "f.yaml").data["now"]

    assert (value.hour, value.utcoffset()) == (15, offset)


def test_a_timestamp_without_offset_stays_naive():
    value = parse_document("now: 2026-11-30T15:00:00\n", "f.yaml").data["now"]

    assert value == dt.datetime(2026, 11, 30, 15, 0)
    assert value.tzinfo is None


# --- merge keys ---------------------------------------------------------------------------------


def test_merge_keys_are_refused_with_a_hint():
    error = parse_error("base: &base {x: 1}\nuse:\n  <<: *base\n  y: 2\n")

    assert str(error) == ("f.yaml:3:3: YAML merge keys (<<) are not supported; "
                          "write the keys out, or use an action library")


# --- reading files ------------------------------------------------------------------------------


def test_reading_a_missing_file_says_so(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        read_document(tmp_path / "nope.yaml", display="nope.yaml")

    assert str(caught.value) == "nope.yaml: file not found; check the path"


def test_reading_a_file_that_is_not_utf8_says_so(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("greeting: Gr\xfc\xdf Gott\n".encode("latin-1"))

    with pytest.raises(ConfigError) as caught:
        read_document(path, display="latin1.yaml")

    assert str(caught.value) == ("latin1.yaml:1:13: invalid UTF-8 (byte 0xfc: invalid start byte); "
                                 "save the file as UTF-8 text")


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [
    ("25s", 25.0), ("2m", 120.0), ("1h30m", 5400.0), ("1h", 3600.0), ("500ms", 0.5), ("1.5s", 1.5),
    ("1m30s", 90.0), ("2m500ms", 120.5), ("0s", 0.0), (" 25s ", 25.0), ("1h 30m", 5400.0),
    (25, 25.0), (2.5, 2.5), (0, 0.0),
])
def test_parse_duration(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["", "   ", "25x", "-1", "-5s", "5 seconds", "1d", "ms", "s", -1, -0.5,
                                   True, False, None, [25]])
def test_parse_duration_rejects(value):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(value)


def test_parse_duration_error_lists_the_expected_forms():
    with pytest.raises(ValueError) as caught:
        parse_duration("5 seconds")

    assert str(caught.value) == "invalid duration '5 seconds'; expected a duration such as 25s, 2m, 1h30m or 500ms"


def test_a_quoted_number_as_a_duration_is_told_to_add_its_unit():
    with pytest.raises(ValueError) as caught:
        parse_duration("20")

    assert str(caught.value) == ("invalid duration '20'; quoted, a number needs its unit: write 20s "
                                 "(a bare number without quotes is seconds) or 20m")


@pytest.mark.parametrize(("seconds", "text"), [
    (25, "25s"), (90, "1m30s"), (120, "2m"), (3600, "1h"), (5400, "1h30m"), (0.5, "500ms"), (1.5, "1.5s"),
    (0, "0s"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@given(st.integers(min_value=0, max_value=10 * 24 * 3600 * 1000))
def test_format_duration_reads_back_to_the_same_milliseconds(millis):
    seconds = millis / 1000

    assert parse_duration(format_duration(seconds)) == pytest.approx(seconds, abs=1e-9)


def test_a_misspelt_required_field_is_reported_once(tmp_path):
    from callsim.config.agent import AgentConfig
    from callsim.config.loader import load_model
    from callsim.errors import ConfigErrors

    path = tmp_path / "agent.yaml"
    path.write_text("agent: a\ngreting: Hello\n")
    with pytest.raises(ConfigErrors) as caught:
        load_model(AgentConfig, path)
    assert [str(e) for e in caught.value.errors] == [f"{path}:2:1: unknown field 'greting'; did you mean 'greeting'?"]
