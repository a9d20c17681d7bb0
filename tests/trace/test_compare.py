"""Expected values compare with what the call produced by the declared type: one function, YAML and Python alike."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from callsim.runner import run_scenario
from callsim.trace.compare import same

AGENT = """\
agent: front-desk
greeting: Hello.
timezone: America/New_York
variables:
  callback: {type: phone, ask: Your number?}
  party: {type: number, ask: How many?}
uses: [actions.yaml]
actions: [details]
"""
ACTIONS = """\
actions:
  details:
    type: extract
    trigger: {on: turn}
    fields:
      t: {type: time}
      d: {type: date}
      at: {type: datetime}
      n: {type: number}
      e: {type: email}
      p: {type: phone}
      plan: {type: enum, values: [basic, pro]}
      ok: {type: yes_no}
      code: {type: digits}
"""


@pytest.mark.parametrize(("type_", "actual", "expected"), [
    ("time", "14:30:00", "14:30"),
    ("time", "14:30:00", "2:30 PM"),
    ("time", "14:30:00", dt.time(14, 30)),
    ("date", "2026-12-23", dt.date(2026, 12, 23)),
    ("datetime", "2026-12-01T14:00:00-05:00", "2026-12-01T14:00"),          # no offset: the agent's wall clock
    ("datetime", "2026-12-01T14:00:00-05:00", "2026-12-01T19:00:00Z"),      # the same instant
    ("when", "2026-12-01T06:00:00-05:00/2026-12-01T12:00:00-05:00", "2026-12-01T06:00/2026-12-01T12:00"),
    ("phone", "+14155550199", "(415) 555-0199"),
    ("phone", "+14155550199", "415.555.0199"),
    ("phone", "+14155550199", "+1 415 555 0199"),
    ("number", 5, 5.0),
    ("number", 5, "5.0"),
    ("number", 1000, "1,000"),
    ("email", "jane.doe@example.com", "Jane.Doe@Example.com"),
    ("enum", "pro", "Pro"),
    ("yes_no", True, "yes"),
    ("digits", "4567", 4567),
    (None, "4567", 4567),
    (None, 5, 5.0),
])
def test_values_that_mean_the_same_are_the_same(type_: str | None, actual: object, expected: object) -> None:
    assert same(actual, expected, type_)


@pytest.mark.parametrize(("type_", "actual", "expected"), [
    ("time", "14:30:00", "14:31"),
    ("time", "14:30:00", "2:30 AM"),
    ("date", "2026-12-23", "2026-12-24"),
    ("datetime", "2026-12-01T14:00:00-05:00", "2026-12-01T14:00:00Z"),     # another instant
    ("phone", "+14155550199", "(415) 555-0198"),
    ("phone", "+14155550199", "+44 415 555 0199"),
    ("number", 5, 5.01),
    ("email", "jane.doe@example.com", "jane.doe@example.org"),
    ("digits", "0042", 42),                                                  # leading zeros are digits too
    ("yes_no", True, "no"),
    ("name", "John Smith", "john smith"),                                    # a name is compared as written
    (None, "14:30:00", "14:30"),                                             # without a type: as written
    (None, True, 1),
])
def test_values_that_differ_are_not_the_same(type_: str | None, actual: object, expected: object) -> None:
    assert not same(actual, expected, type_)


def test_lists_compare_item_by_item_by_their_type() -> None:
    assert same(["2026-12-01T09:00:00-05:00"], ["2026-12-01T09:00"], "datetime")
    assert not same(["2026-12-01T09:00:00-05:00"], ["2026-12-01T09:00", "2026-12-01T09:30"], "datetime")


def scenario(tmp_path: Path, turns: str, expect: str) -> list[str]:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    (tmp_path / "s.yaml").write_text(f"scenario: s\nagent: agent.yaml\nnow: 2026-11-30T15:00:00-05:00\n"
                                     f"turns:\n{textwrap.indent(textwrap.dedent(turns).strip(), '  ')}\n"
                                     f"expect:\n{textwrap.indent(textwrap.dedent(expect).strip(), '  ')}\n")
    result = run_scenario(tmp_path / "s.yaml")
    assert not result.crash and not result.errors, result.crash or result.errors
    return [f.failure.instead for f in result.failures]


def test_scenario_expectations_compare_extracted_values_by_the_fields_type(tmp_path: Path) -> None:
    failures = scenario(tmp_path, """
        - caller: come at half past two in the afternoon on december twenty third
        - expect:
            - extracted: {t: "14:30", d: 2026-12-23}
            - variables: {t: "2:30 PM"}
        - caller: we are five
        - expect: {extracted: {n: 5.0}}
        - caller: it's jane dot doe at example dot com, call four one five five five five zero one nine nine
        - expect: {extracted: {e: Jane.Doe@Example.com, p: (415) 555-0199}}
        - caller: tomorrow at two pm on the pro plan, yes, code four five six seven
        - expect: {extracted: {at: "2026-12-01T14:00", plan: Pro, ok: "yes", code: 4567}}
    """, """
        - variables: {p: "+1 415 555 0199", e: JANE.DOE@example.com}
    """)
    assert failures == []


def test_a_different_value_still_fails_and_shows_what_was_read(tmp_path: Path) -> None:
    failures = scenario(tmp_path, "- caller: come at half past two in the afternoon", """
        - extracted: {t: "14:31"}
    """)
    assert failures == ["t = '14:30:00'"]


def test_an_unquoted_clock_time_in_yaml_is_a_time_not_a_base_60_number(tmp_path: Path) -> None:
    failures = scenario(tmp_path, "- caller: come at half past two in the afternoon", """
        - extracted: {t: 14:30}
    """)
    assert failures == []
