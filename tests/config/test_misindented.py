"""One line indented wrong gives one error, at the line to fix, not the list of problems that follow from it."""

from __future__ import annotations

import pytest

from callsim.config.misindented import MAX_WORK, find_reindent
from callsim.config.project import load_scenario
from callsim.errors import ConfigErrors

ACTIONS = """\
actions:
  lookup_order:
    type: http
    trigger:
      phrases: ["where is my order"]
    needs: [order_number]
    request:
      method: GET
      url: https://api.test/orders/{{ order_number }}
      timeout: 5s
    save: {order_status: $.status}
    say: Order {{ order_number }} is {{ order_status }}.
  log_call:
    type: http
    trigger: {on: call_end}
    request:
      method: POST
      url: https://api.test/calls
"""


@pytest.fixture
def library(project):
    project.write("actions.yaml", ACTIONS)
    project.edit("agent.yaml", "actions: [lookup_order]", "actions: [lookup_order, log_call]")
    project.edit("scenario.yaml", "http:\n", "http:\n  - {match: POST https://api.test/calls, status: 204}\n")
    load_scenario(project.scenario)  # valid as written
    return project


def errors(project) -> list[str]:
    with pytest.raises(ConfigErrors) as caught:
        load_scenario(project.scenario)
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize(("old", "new", "line", "problem", "fix"), [
    # every action became a field of a mis-indented `actions:`: five errors before
    ("actions:\n  lookup_order:", "  actions:\n  lookup_order:", 1, "line 1 is indented 2 spaces too many",
     "start line 1 at the left margin"),
    # the action name indented under the one before: its fields are read as that one's (duplicate 'type')
    ("  log_call:", "    log_call:", 13, "line 13 is indented 2 spaces too many; as written, line 14: duplicate key",
     "indent line 13 2 spaces, as deep as line 2 ('lookup_order:')"),
    # `request:` out of its action: "missing request" and "missing type" before
    ("    request:\n      method: POST", "  request:\n      method: POST", 16, "line 16 is indented 2 spaces too few",
     "indent line 16 4 spaces"),
    # libyaml stops at the line after the mistake, whose indentation is right
    ("      url: https://api.test/orders", "    url: https://api.test/orders", 9,
     "line 9 is indented 2 spaces too few; as written, YAML stops at line 10: mapping values are not allowed",
     "indent line 9 6 spaces, as deep as line 8 ('method: GET')"),
    # a trigger's field read as the action's
    ('      phrases: ["where', '    phrases: ["where', 5,
     "line 5 is indented 2 spaces too few; as written, unknown field 'phrases' in actions.lookup_order",
     "indent line 5 6 spaces"),
])
def test_one_wrong_indent_is_one_error_at_the_line_to_fix(library, old, new, line, problem, fix):
    library.edit("actions.yaml", old, new)

    [error] = errors(library)

    assert error.startswith(f"{library.actions}:{line}:")
    assert problem in error and fix in error and error.endswith("that one change makes the file valid")


def test_either_of_two_lines_may_be_the_one_to_fix(project):
    project.edit("agent.yaml", "variables:\n  order_number:", "variables:\n   order_number:")
    project.edit("agent.yaml", "uses:", "  caller_name: {type: name, ask: Your name?}\nuses:")

    [error] = errors(project)

    assert error.startswith(f"{project.agent}:4:4: lines 4 and 5 are indented differently (3 and 2 spaces)")
    assert "indent line 4 2 spaces, as deep as line 5" in error and "or indent line 5 3 spaces, as deep as line 4" in error


def test_a_misspelt_key_is_not_moved_into_free_form_data(project):
    """`start_data:` takes any keys: indented under it an unknown top-level key would be valid, but it is
    an unknown key, not a misplaced one."""
    project.edit("scenario.yaml", "turns:", "start_data:\n  crm_id: C-1\nhold_musik: jazz\nturns:")

    [error] = errors(project)

    assert error.startswith(f"{project.scenario}:7:1: unknown field 'hold_musik'; expected one of:")


def test_a_misspelt_key_keeps_its_did_you_mean(project):
    project.edit("scenario.yaml", "turns:", "start_data:\n  crm_id: C-1\nturnz:")

    assert any("unknown field 'turnz'; did you mean 'turns'?" in error for error in errors(project))


def test_the_search_is_bounded_by_the_work_it_may_do():
    text = "a:\n" + "".join(f"  k{n}: v\n" for n in range(20_000)) + "   broken: here\n"
    tries = []

    assert find_reindent(text, [len(text.splitlines())], lambda tried, line: tries.append(line) or False) == []
    assert 0 < len(tries) <= MAX_WORK // len(text) + 1
