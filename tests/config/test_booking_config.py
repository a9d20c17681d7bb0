"""Validation of calendars, booking, extract and evaluate actions: `file:line:col` errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from callsim import load_project, load_scenario
from callsim.config.shapes.calendar import parse_days, parse_ranges
from callsim.errors import ConfigError, ConfigErrors

AGENT = """\
agent: clinic
greeting: Hello.
timezone: America/New_York
variables:
  preferred_time: {type: when, ask: When would suit you?}
uses: [actions.yaml]
actions: [book, quality]
"""
ACTIONS = """\
actions:
  book:
    type: booking
    trigger: {phrases: [book]}
    needs: [preferred_time]
    say: Booked for {{ booking.start }}.
    on_conflict: {say: "Taken. I can offer {{ offer.times }}."}
  quality:
    type: evaluate
    criteria:
      - {name: booked, action: book}
      - {name: polite, never_said: whatever}
"""
SCENARIO = """\
scenario: s
agent: agent.yaml
now: 2026-11-30T15:00:00-05:00
calendar:
  timezone: America/New_York
  hours: {mon-fri: "09:00-17:00", sat: "10:00-14:00"}
  ics: clinic.ics
turns:
  - caller: book tomorrow at ten
expect:
  - evaluation: {quality: {passed: true}}
"""
ICS = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nDTSTART:20261201T100000\nEND:VEVENT\nEND:VCALENDAR\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name, text in (("agent.yaml", AGENT), ("actions.yaml", ACTIONS), ("scenario.yaml", SCENARIO),
                       ("clinic.ics", ICS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def errors(load, path: Path) -> list[ConfigError]:
    with pytest.raises(ConfigErrors) as caught:
        load(path)
    return caught.value.errors


def only(load, path: Path) -> ConfigError:
    found = errors(load, path)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def where(root: Path, name: str, needle: str) -> str:
    """`file:line:col` of the first occurrence of `needle`."""
    text = (root / name).read_text(encoding="utf-8")
    before = text[: text.index(needle)]
    return f"{root / name}:{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def test_the_base_files_are_valid(files: Path) -> None:
    scenario = load_scenario(files / "scenario.yaml")
    assert scenario.config.calendar is not None and scenario.config.calendar.opening()[5] == [(600, 840)]


def test_overlapping_opening_hours_for_the_same_day(files: Path) -> None:
    edit(files, "scenario.yaml", 'sat: "10:00-14:00"', 'fri: "16:00-18:00"')
    error = only(load_scenario, files / "scenario.yaml")
    at = where(files, "scenario.yaml", 'fri: "16')
    assert str(error).startswith(f"{at}: calendar.hours: fri 16:00-18:00 "
                                 "overlaps mon-fri 09:00-17:00 on fri; ")


def test_overlapping_ranges_within_one_entry(files: Path) -> None:
    edit(files, "scenario.yaml", 'mon-fri: "09:00-17:00"', 'mon-fri: "09:00-12:00, 11:00-17:00"')
    error = only(load_scenario, files / "scenario.yaml")
    assert error.problem == ("calendar.hours: mon-fri 11:00-17:00 overlaps an earlier range of the same entry "
                             "09:00-12:00 on mon, tue, wed, thu, fri")


def test_touching_ranges_do_not_overlap(files: Path) -> None:
    edit(files, "scenario.yaml", 'sat: "10:00-14:00"', 'fri: "17:00-19:00"')
    load_scenario(files / "scenario.yaml")


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('mon-fri: "09:00-17:00"', 'mon-fry: "09:00-17:00"', "'fry' is not a day"),
    ('mon-fri: "09:00-17:00"', 'mon-fri: "9am-5pm"', "opening hours '9am-5pm': write them as HH:MM-HH:MM"),
    ('mon-fri: "09:00-17:00"', 'mon-fri: "17:00-09:00"', "the end must be after the start"),
    ('mon-fri: "09:00-17:00"', 'mon-fri: "09:00-25:00"', "not a time of day"),
    ("timezone: America/New_York\n  hours", "timezone: Mars/Olympus\n  hours", "unknown time zone 'Mars/Olympus'"),
])
def test_bad_opening_hours_and_zones(files: Path, old: str, new: str, problem: str) -> None:
    edit(files, "scenario.yaml", old, new)
    error = only(load_scenario, files / "scenario.yaml")
    assert problem in error.problem
    assert error.position is not None and error.position.file == str(files / "scenario.yaml")
    assert error.position.line in (5, 6)


def test_a_malformed_ics_file_names_the_file_and_its_line(files: Path) -> None:
    (files / "clinic.ics").write_text(ICS.replace("DTSTART:20261201T100000", "DTSTART:2026-12-01 10:00"))
    error = only(load_scenario, files / "scenario.yaml")
    assert str(error).startswith(f"{files / 'clinic.ics'}:5:1: DTSTART of event a: ")
    assert f"imported by {where(files, 'scenario.yaml', 'clinic.ics')}" in str(error)


def test_a_missing_ics_file_is_reported_at_the_scenarios_ics_line(files: Path) -> None:
    edit(files, "scenario.yaml", "ics: clinic.ics", "ics: missing.ics")
    error = only(load_scenario, files / "scenario.yaml")
    assert str(error).startswith(f"{where(files, 'scenario.yaml', 'missing.ics')}: calendar.ics: file 'missing.ics' "
                                 "not found")


def test_an_evaluation_criterion_naming_an_unknown_action(files: Path) -> None:
    edit(files, "actions.yaml", "{name: booked, action: book}", "{name: booked, action: bok}")
    error = only(load_project, files / "agent.yaml")
    assert str(error) == (f"{where(files, 'actions.yaml', 'bok}')}: action 'quality': criteria[0].action names "
                          "unknown action 'bok'; did you mean 'book'?")


def test_an_evaluation_expectation_naming_something_that_is_no_evaluation(files: Path) -> None:
    edit(files, "scenario.yaml", "evaluation: {quality:", "evaluation: {book:")
    error = only(load_scenario, files / "scenario.yaml")
    assert str(error).startswith(f"{where(files, 'scenario.yaml', 'book: {passed')}: evaluation expectation names "
                                 "'book', which is not an evaluate action")


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("{name: polite, never_said: whatever}", "{name: polite, never_said: whatever, said: hi}",
     "criterion 'polite' needs exactly one rule"),
    ("{name: polite, never_said: whatever}", "{name: polite}", "got none"),
    ("{name: polite, never_said: whatever}", "{name: booked, said: hi}", "criterion names must be unique; repeated: booked"),
    ("{name: polite, never_said: whatever}", "{name: polite, if: 'booking.id ==='}", "condition"),
    ("{name: polite, never_said: whatever}", "{name: polite, transfer: answered}", "transfer"),
    ("    type: evaluate\n", "    type: evaluate\n    trigger: {phrases: [bye]}\n", "its trigger is {on: call_end}"),
    ("    type: evaluate\n", "    type: evaluate\n    pass_score: 1.5\n", "pass_score"),
])
def test_bad_evaluations(files: Path, old: str, new: str, problem: str) -> None:
    edit(files, "actions.yaml", old, new)
    error = only(load_project, files / "agent.yaml")
    assert problem in str(error)
    assert error.position is not None and error.position.file == str(files / "actions.yaml") and error.position.line


def test_zero_total_weight_is_an_error(files: Path) -> None:
    edit(files, "actions.yaml", "{name: booked, action: book}", "{name: booked, action: book, weight: 0}")
    edit(files, "actions.yaml", "{name: polite, never_said: whatever}", "{name: polite, never_said: x, weight: 0}")
    assert "weights add up to 0" in str(only(load_project, files / "agent.yaml"))


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("    needs: [preferred_time]\n", "", "a book needs the wanted time"),
    ("    type: booking\n", "    type: booking\n    mode: cancel\n", "a cancel needs to find the booking"),
    ("    type: booking\n", "    type: booking\n    mode: move\n", "mode"),
    ("    type: booking\n", "    type: booking\n    alternatives: 0\n", "alternatives"),
    ("Booked for {{ booking.start }}.", "Booked for {{ booking.strat }}.", "booking.strat"),
])
def test_bad_bookings(files: Path, old: str, new: str, problem: str) -> None:
    edit(files, "actions.yaml", old, new)
    assert problem in str(only(load_project, files / "agent.yaml"))


@pytest.mark.parametrize(("fields", "problem"), [
    ("{}", "an extractor needs at least one field"),
    ("{plan: {type: enum}}", "an enum field needs values"),
    ("{code: {type: digits, length: 8-4}}", "empty range"),
    ("{code: {type: colour}}", "type"),
    ("{call: {type: text}}", "reserved"),
    ("{'my field': {type: text}}", "field name 'my field' must be letters, digits and _"),
    ("{note: {type: text, pattern: '(unclosed'}}", "'(unclosed' does not compile as a regular expression"),
])
def test_bad_extractors(files: Path, fields: str, problem: str) -> None:
    edit(files, "actions.yaml", "actions:\n", f"actions:\n  details:\n    type: extract\n    fields: {fields}\n")
    error = only(load_project, files / "agent.yaml")
    assert problem in str(error)
    assert error.position is not None and error.position.line in (3, 4)


def test_day_keys_and_ranges() -> None:
    assert parse_days("mon-fri") == (0, 1, 2, 3, 4)
    assert parse_days("fri-mon") == (4, 5, 6, 0)
    assert parse_days("Tuesday, thu") == (1, 3)
    assert parse_days("daily") == tuple(range(7))
    assert parse_ranges("09:00-12:00, 13:00-17:00") == [(540, 720), (780, 1020)]
    assert parse_ranges(["13:00-24:00", "closed"]) == [(780, 1440)]


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("  hours:", "  hour:", "unknown field 'hour' in calendar; did you mean 'hours'?"),
    ("evaluation: {quality: {passed: true}}", "evaluation: {quality: {pased: true}}",
     "unknown field 'pased' in expect[0].evaluation.quality; did you mean 'passed'?"),
    ("  - evaluation: {quality: {passed: true}}", "  - booking: {strat: 2026-12-01T10:00}",
     "unknown field 'strat' in expect[0].booking; did you mean 'start'?"),
])
def test_misspelled_keys_get_a_did_you_mean(files: Path, old: str, new: str, problem: str) -> None:
    edit(files, "scenario.yaml", old, new)
    assert str(only(load_scenario, files / "scenario.yaml")).split(": ", 1)[1] == problem


@pytest.mark.parametrize(("old", "new", "at"), [
    ("    needs: [preferred_time]\n", "    needs: [pet_name, preferred_time]\n", "needs: [pet_name"),
    ("    needs: [preferred_time]\n", "    needs: [preferred_time]\n    start: \"{{ pet_name }}\"\n", "start:"),
])
def test_a_booking_reading_its_time_from_a_variable_that_is_no_time(files: Path, old: str, new: str,
                                                                     at: str) -> None:
    edit(files, "agent.yaml", "variables:\n", "variables:\n  pet_name: {type: name, ask: Your pet's name?}\n")
    edit(files, "actions.yaml", old, new)
    error = only(load_project, files / "agent.yaml")
    assert str(error.position).rsplit(":", 1)[0] == where(files, "actions.yaml", at).rsplit(":", 1)[0]
    assert "'pet_name'" in error.problem and "type name" in error.problem
    assert "when" in error.hint


def test_an_old_booking_alternatives_placeholder_points_to_offer_times(files: Path) -> None:
    edit(files, "actions.yaml", "{{ offer.times }}", "{{ booking.alternatives }}")
    error = only(load_project, files / "agent.yaml")
    assert "booking.alternatives" in error.problem and "{{ offer.times }}" in error.hint
