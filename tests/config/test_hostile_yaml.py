"""Hostile and broken YAML: every problem is a ConfigError at its line and column, within the loader's limits."""

from __future__ import annotations

import pytest

from callsim.config.loader import load_model
from callsim.config.scenario import ScenarioConfig
from callsim.config.yaml_positions import _UNSAFE, MAX_DEPTH, MAX_TEXT, MAX_VALUES, parse_document, read_document
from callsim.errors import ConfigError, ConfigErrors, Position


def parse_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_document(text, "f.yaml")
    return caught.value


# --- tags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "where", "tag"), [
    ("a: !!python/object/apply:os.system ['true']\n", (1, 4), "!!python/object/apply:os.system"),
    ("a: !!binary aGVsbG8=\n", (1, 4), "!!binary"),
    ("a: !!set {x, y}\n", (1, 4), "!!set"),
    ("turns: !mytag\n  - caller: hi\n", (1, 8), "!mytag"),
    ("a:\n  - !custom {b: 1}\n", (2, 5), "!custom"),
    ("? !!binary aGk=\n: x\n", (1, 3), "!!binary"),
])
def test_a_tag_other_than_the_plain_ones_is_refused_where_it_stands(text, where, tag):
    error = parse_error(text)

    assert (error.position, error.problem) == (Position("f.yaml", *where), f"the YAML tag {tag} is not supported")


@pytest.mark.parametrize(("text", "tag"), [
    ("a: !!bool xyz\n", "!!bool"),
    ("a: !!int abc\n", "!!int"),
    ("a: !!float nope\n", "!!float"),
    ("a: !!timestamp nope\n", "!!timestamp"),
])
def test_a_plain_tag_with_a_value_it_cannot_read_is_an_error_at_the_value(text, tag):
    error = parse_error(text)

    assert error.position == Position("f.yaml", 1, 4)
    assert error.problem.endswith(f"is not a valid {tag} value")


def test_the_plain_tags_are_read():
    doc = parse_document("pin: !!str 0042\nn: !!int '7'\nm: !!map {a: 1}\ns: !!seq [1]\nz: !!null ''\n", "f.yaml")

    assert doc.data == {"pin": "0042", "n": 7, "m": {"a": 1}, "s": [1], "z": None}


@pytest.mark.parametrize("text", ["2026-13-45", "0000-01-01", "2026-01-01T10:00:00+99:00", "9" * 5000],
                         ids=["month-13", "year-0", "offset-99h", "5000-digits"])
def test_a_value_that_only_looks_like_a_date_or_number_stays_text(text):
    assert parse_document(f"a: {text}\n", "f.yaml").data == {"a": text}


# --- documents, encodings, characters ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "line"), [("a: 1\n---\nb: 2\n", 2), ("a: 1\n---\n", 2), ("---\n...\n---\n", 3)])
def test_a_second_document_is_refused_at_its_marker(text, line):
    error = parse_error(text)

    assert error.position == Position("f.yaml", line, 1)
    assert error.problem == "expected a single document in the file, found a second one (---)"


def test_one_document_with_its_markers_is_read():
    assert parse_document("---\na: 1\n...\n", "f.yaml").data == {"a": 1}


def test_a_utf8_byte_order_mark_at_the_start_is_accepted(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes("\ufeffa: 1\n".encode())

    assert read_document(path).data == {"a": 1}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_utf16_or_utf32_file_is_refused_with_how_to_fix_it(tmp_path, encoding):
    path = tmp_path / "a.yaml"
    path.write_bytes("a: 1\n".encode(encoding))

    with pytest.raises(ConfigError) as caught:
        read_document(path, display="a.yaml")
    assert str(caught.value) == (f"a.yaml:1:1: the file is {encoding.upper()} text (it starts with a "
                                 f"{encoding.upper()} byte order mark); save it as UTF-8")


def test_invalid_utf8_is_reported_at_its_line_and_column(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes("scenario: x\nturns:\n  - caller: h\xe9llo\n".encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))

    with pytest.raises(ConfigError) as caught:
        read_document(path, display="a.yaml")
    assert str(caught.value) == ("a.yaml:3:14: invalid UTF-8 (byte 0xe9: invalid continuation byte); "
                                 "save the file as UTF-8 text")


@pytest.mark.parametrize(("char", "name"), [
    ("\x00", "a NUL character U+0000"),
    ("\x1b", "the control character U+001B"),
    ("\x85", "the line break NEL U+0085"),
    ("\u2028", "the line separator U+2028"),
    ("\u2029", "the paragraph separator U+2029"),
    ("\ufeff", "a byte order mark U+FEFF"),
    ("\ufffe", "a noncharacter U+FFFE"),
])
def test_a_character_yaml_or_an_editor_cannot_show_is_refused_at_the_editors_line(char, name):
    # U+0085, U+2028 and U+2029 are line breaks to YAML 1.1, not to editors: every later line would be off
    error = parse_error(f"scenario: x\nturns:\n  - caller: wh{char}ere\n")

    assert error.position == Position("f.yaml", 3, 15)
    assert error.problem == f"{name} is not allowed in a YAML file"


def test_exactly_the_characters_yaml_does_not_print_and_the_three_line_breaks_are_refused():
    # YAML 1.1's printable set (tab, line ends, x20-x7E, x85, xA0-xD7FF, xE000-xFFFD, astral), less U+0085,
    # U+2028, U+2029 (line breaks to YAML, not to editors) and U+FEFF (a byte order mark past the start)
    def printable(code: int) -> bool:
        return (code in (0x09, 0x0A, 0x0D) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
                or 0xE000 <= code <= 0xFFFD or code >= 0x10000) and code not in (0x2028, 0x2029, 0xFEFF)

    every = "".join(map(chr, range(0x110000)))
    refused = {ord(char) for char in _UNSAFE.findall(every)}

    assert refused == {code for code in range(0x110000) if not printable(code)}


def test_such_a_character_is_written_as_an_escape_in_double_quotes():
    assert parse_document('a: "line\\u2028separator \\0"\n', "f.yaml").data == {"a": "line\u2028separator \x00"}


def test_an_escaped_lone_surrogate_is_refused():
    error = parse_error('a: "\\ud800"\n')

    assert error.position.line == 1 and "escape" in error.problem


# --- limits ---------------------------------------------------------------------------------------


def test_nesting_up_to_the_limit_is_read_and_deeper_is_refused_at_the_level_too_deep():
    def nested(depth: int) -> str:
        return "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + "  " * depth + "leaf: 1\n"

    assert parse_document(nested(MAX_DEPTH - 1), "f.yaml").data is not None
    error = parse_error(nested(MAX_DEPTH))
    assert (error.position.line, error.problem) == (MAX_DEPTH + 1, f"nested more than {MAX_DEPTH} levels deep")


def billion_laughs(levels: int) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nturns: *l{levels - 1}\n"


def test_a_billion_laughs_stops_at_the_first_alias_past_the_limit():
    error = parse_error(billion_laughs(9))  # 10^9 values once expanded

    # l0..l3 hold 12,348 values; each *l3 repeats 11,111 more, and l4's eighth passes 100,000
    assert error.position == Position("f.yaml", 5, 45)
    assert error.problem == f"the file holds more than {MAX_VALUES:,} values once its aliases (*name) are expanded"


def test_an_alias_chain_doubling_each_line_stops_at_the_limit():
    text = "c0: &c0 [a, b]\n" + "".join(f"c{i}: &c{i} [*c{i - 1}, *c{i - 1}]\n" for i in range(1, 40))

    assert "once its aliases (*name) are expanded" in parse_error(text).problem


def test_aliases_within_the_limit_repeat_their_anchor_and_point_at_the_alias():
    doc = parse_document("base: &phrases [hi, hello]\nagain: *phrases\n", "f.yaml")

    assert doc.data == {"base": ["hi", "hello"], "again": ["hi", "hello"]}
    assert doc.position(("again", 1)) == Position("f.yaml", 2, 8)  # inside a repeated value: the alias


def test_an_alias_to_nothing_is_an_error_at_the_alias():
    error = parse_error("a: 1\nb: *nowhere\n")

    assert (error.position, error.problem) == (Position("f.yaml", 2, 4), "the alias *nowhere names no anchor")


def test_a_file_with_too_many_values_is_refused_at_the_first_value_past_the_limit():
    error = parse_error("".join(f"k{i}: v\n" for i in range(MAX_VALUES)))

    # the top mapping, then a key and a value a line: the value of line 50,000 is one too many
    assert (error.position.line, error.problem) == (MAX_VALUES // 2, f"the file holds more than {MAX_VALUES:,} values")


def test_a_value_longer_than_the_limit_is_refused_at_the_value():
    error = parse_error(f"scenario: x\nturns:\n  - caller: {'a' * (MAX_TEXT + 1)}\n")

    assert error.position == Position("f.yaml", 3, 13)
    assert error.problem == f"a value of {MAX_TEXT + 1:,} characters; the limit is {MAX_TEXT:,}"


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")

    with pytest.raises(ConfigError) as caught:
        read_document(path, display="big.yaml")
    assert str(caught.value) == "big.yaml: file too large (2,097,155 bytes; the limit is 2 MiB)"


# --- validation messages ------------------------------------------------------------------------------


def scenario_errors(tmp_path, text: str) -> list[ConfigError]:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigErrors) as caught:
        load_model(ScenarioConfig, path, display="s.yaml")
    return caught.value.errors


def test_a_caller_turn_longer_than_ten_thousand_characters_is_refused_at_its_line(tmp_path):
    [error] = scenario_errors(tmp_path, f"scenario: x\nagent: a.yaml\nturns:\n  - caller: {'où ' * 4000}\n")

    assert error.position == Position("s.yaml", 4, 13)
    assert error.problem.startswith("turns[0].caller: string should have at most 10000 characters (got 'où où")
    assert len(str(error)) < 300  # the value is quoted short, not whole


def test_more_than_five_thousand_turns_are_refused(tmp_path):
    [error] = scenario_errors(tmp_path, "scenario: x\nagent: a.yaml\nturns:\n" + "  - wait: 1s\n" * 5001)

    assert error.position == Position("s.yaml", 4, 3)
    assert error.problem == "turns: list should have at most 5000 items after validation, not 5001"


def test_turns_times_repeat_are_bounded_too(tmp_path):
    [error] = scenario_errors(tmp_path, "scenario: x\nagent: a.yaml\nrepeat: 1000\nturns:\n" + "  - wait: 1s\n" * 51)

    assert error.position == Position("s.yaml", 3, 9)
    assert error.problem == ("repeat: 51 turns × repeat 1000 is more than the 50,000 turns a scenario may play over "
                             "all its runs; repeat it fewer times")


def test_what_a_call_says_in_all_is_bounded(tmp_path):
    # each turn within its own limit, 2 MB in all: a minute of reading caller text, or hours with repeat
    turn = "  - caller: " + "book a cleaning for tomorrow at 10 am please " * 222 + "\n"
    [error] = scenario_errors(tmp_path, "scenario: x\nagent: a.yaml\nturns:\n" + turn * 11)
    [repeated] = scenario_errors(tmp_path, "scenario: x\nagent: a.yaml\nrepeat: 11\nturns:\n" + turn * 10)

    assert (error.position, error.problem) == (Position("s.yaml", 4, 3), "turns: the caller turns and replies say "
                                               "109,879 characters in all; a call may say at most 100,000 (some two "
                                               "hours of speech); split it into several scenarios")
    assert repeated.position == Position("s.yaml", 3, 9) and repeated.problem == (
        "repeat: 99,890 characters said × repeat 11 is more than the 1,000,000 characters a scenario may say over all "
        "its runs; repeat it fewer times")


def test_audio_turns_heard_through_speech_to_text_are_bounded(tmp_path):
    [error] = scenario_errors(tmp_path, "scenario: x\nagent: a.yaml\nturns:\n" + "  - audio: a.wav\n" * 21)
    [repeated] = scenario_errors(tmp_path, "scenario: x\nagent: a.yaml\nrepeat: 11\nturns:\n  - audio: a.wav\n"
                                           "  - audio: b.wav\n")

    assert (error.position, error.problem) == (Position("s.yaml", 4, 3), "turns: 21 audio turns; a scenario may "
                                               "play at most 20 (each goes through speech-to-text, which takes up to a "
                                               "few seconds)")
    assert repeated.position == Position("s.yaml", 3, 9) and "2 audio turns × repeat 11" in repeated.problem


def test_a_file_lists_at_most_fifty_problems_then_says_how_many_more(tmp_path):
    errors = scenario_errors(tmp_path, "scenario: x\nagent: a.yaml\nturns:\n" + "  - wait: soon\n" * 80)

    assert len(errors) == 51
    assert errors[-1].position == Position("s.yaml", 54, 11)  # where the 51st problem is
    assert str(errors[-1]).endswith("… and 30 more problem(s) from here on; fix the ones above first")


def test_a_message_stays_one_line_whatever_the_users_text_holds(tmp_path):
    [error] = scenario_errors(tmp_path, 'scenario: x\nagent: a.yaml\nturns:\n  - {caller: hi, "wa\\rit\\u2028": 1s}\n')

    assert "\n" not in str(error) and "\r" not in str(error) and "\u2028" not in str(error)
    assert "wa\\rit\\u2028" in str(error)


@pytest.mark.parametrize("now", ["9999-12-31T15:00:00-05:00", "0001-01-01T10:00:00+05:00"])
def test_a_moment_the_engine_cannot_count_days_from_is_refused(tmp_path, now):
    # 'tomorrow' in the year 9999 overflowed the calendar: a crash at run time
    [error] = scenario_errors(tmp_path, f"scenario: x\nagent: a.yaml\nnow: {now}\n")

    assert error.position == Position("s.yaml", 3, 6)
    assert error.problem.endswith("is not between the years 1900 and 2999")


@pytest.mark.parametrize(("written", "shown"), [("100000h", "100000h"), ("169h", "169h"), (".inf", "inf"), (".nan", "nan")])
def test_a_duration_longer_than_a_week_is_refused(tmp_path, written, shown):
    # a wait of 10^14 hours overflowed the virtual clock's date: a crash at run time
    [error] = scenario_errors(tmp_path, f"scenario: x\nagent: a.yaml\nturns:\n  - wait: {written}\n")

    assert error.position == Position("s.yaml", 4, 11)
    assert error.problem == f"turns[0].wait: a duration may be at most a week (168h), not {shown}"


def test_an_action_needing_a_variable_twice_is_refused_at_its_line(project, cli):
    # found by the fuzz campaign: 6,000 copies of a taqueria order's three needs ran one turn for minutes
    project.edit("actions.yaml", "    needs: [order_number]\n", "    needs: [order_number" + ", order_number" * 3000 + "]\n")
    checked = cli("validate", ".")
    line, _ = project.locate("actions.yaml", "needs: [order_number, order_number")
    assert checked.exit_code == 2
    assert f"actions.yaml:{line}:" in checked.output
    assert "'order_number' is listed twice; name each variable once" in checked.output
