"""Validation errors of agents, action libraries and scenarios: file:line:col, the problem and the hint.

Each test starts from the small valid project of `tests/conftest.py` and changes one thing.
"""

from __future__ import annotations

import re

import pytest

from callsim import load_project, load_scenario
from callsim.errors import CallsimError, ConfigError, ConfigErrors, Position


def errors_loading(load, path) -> list[ConfigError]:
    with pytest.raises(ConfigErrors) as caught:
        load(path)
    return caught.value.errors


def the_error(errors: list[ConfigError], problem_start: str) -> ConfigError:
    """The one error whose problem starts with `problem_start`."""
    matching = [e for e in errors if e.problem.startswith(problem_start)]
    assert len(matching) == 1, "errors were:\n" + "\n".join(map(str, errors))
    return matching[0]


def only_error(load, path) -> ConfigError:
    errors = errors_loading(load, path)
    assert len(errors) == 1, "errors were:\n" + "\n".join(map(str, errors))
    return errors[0]


def at(project, name: str, needle: str) -> Position:
    return Position(str(project.root / name), *project.locate(name, needle))


def test_the_base_project_is_valid(project):
    scenario = load_scenario(project.scenario)

    assert scenario.title == "order lookup"
    assert list(scenario.project.actions) == ["lookup_order"]
    assert scenario.project.actions["lookup_order"].request.timeout == 5.0


def test_str_of_an_error_is_file_line_col_problem_and_hint(project):
    project.edit("agent.yaml", "greeting:", "greting:")

    error = the_error(errors_loading(load_project, project.agent), "unknown field")

    assert str(error) == f"{project.agent}:2:1: unknown field 'greting'; did you mean 'greeting'?"


# --- unknown fields -----------------------------------------------------------------------------


@pytest.mark.parametrize(("file", "old", "new", "problem", "hint"), [
    ("agent.yaml", "greeting:", "greting:", "unknown field 'greting'", "did you mean 'greeting'?"),
    ("agent.yaml", "{type: digits,", "{typ: digits,", "unknown field 'typ' in variables.order_number",
     "did you mean 'type'?"),
    ("actions.yaml", "request:", "requst:", "unknown field 'requst' in actions.lookup_order",
     "did you mean 'request'?"),
    ("actions.yaml", "timeout: 5s", "timeot: 5s", "unknown field 'timeot' in actions.lookup_order.request",
     "did you mean 'timeout'?"),
    ("actions.yaml", "{phrases:", "{phrase:", "unknown field 'phrase' in actions.lookup_order.trigger",
     "did you mean 'phrases'?"),
    ("scenario.yaml", "- caller: where", "- callr: where", "unknown field 'callr' in turns[0]",
     "did you mean 'caller'?"),
    ("scenario.yaml", "json: {status", "jsn: {status", "unknown field 'jsn' in http[0]", "did you mean 'json'?"),
])
def test_unknown_field_is_reported_at_its_key_with_a_suggestion(project, file, old, new, problem, hint):
    project.edit(file, old, new)
    key = problem.split("'")[1]

    error = the_error(errors_loading(load_scenario, project.scenario), "unknown field")

    assert (error.position, error.problem, error.hint) == (at(project, file, f"{key}:"), problem, hint)


@pytest.mark.parametrize(("file", "old", "new", "problem", "hint"), [
    ("actions.yaml", "    save: {order_status: $.status}", "      save: {order_status: $.status}",
     "unknown field 'save' in actions.lookup_order.request",
     "'save' is a field of actions.lookup_order, not of actions.lookup_order.request: "
     "indent it as far as the other fields of actions.lookup_order"),
])
def test_a_field_indented_under_the_one_before_says_where_it_belongs(project, file, old, new, problem, hint):
    project.edit(file, old, new)
    key = problem.split("'")[1]

    error = the_error(errors_loading(load_scenario, project.scenario), "unknown field")

    assert (error.position, error.problem, error.hint) == (at(project, file, f"{key}:"), problem, hint)


def test_a_top_level_field_indented_under_a_list_item_says_so(project):
    project.edit("scenario.yaml", "  - {match: GET https://api.test/orders/4567, json: {status: shipped}}\nturns:",
                 "  - match: GET https://api.test/orders/4567\n    json: {status: shipped}\n    turns:")

    [error] = errors_loading(load_scenario, project.scenario)  # not also the turns "missing" at the top level

    assert error.position.line == 6
    assert error.problem.startswith("line 6 is indented 4 spaces too many; as written, unknown field 'turns' in http[0]")
    assert error.hint == "start line 6 at the left margin; that one change makes the file valid"


@pytest.mark.parametrize(("file", "old", "new", "hint"), [
    ("agent.yaml", "{type: digits,", "{type: digit,", "did you mean 'digits'?"),
    ("agent.yaml", "{type: digits,", "{type: Yes-No,", "did you mean 'yes_no'?"),
    ("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}",
     "  - expect: {agent_said: Order 4567 is shipped}\n  - expect: {ended: {by: calller}}", "did you mean 'caller'?"),
])
def test_a_misspelt_choice_gets_a_did_you_mean(project, file, old, new, hint):
    project.edit(file, old, new)

    error = only_error(load_scenario, project.scenario)

    assert "input should be " in error.problem and error.hint == hint


def test_unknown_field_like_no_known_one_lists_the_known_ones(project):
    project.edit("scenario.yaml", "agent: agent.yaml", "agent: agent.yaml\nzzz: 1")

    error = only_error(load_scenario, project.scenario)

    assert (error.position, error.problem) == (at(project, "scenario.yaml", "zzz"), "unknown field 'zzz'")
    assert error.hint.startswith("expected one of: ")
    known = error.hint.removeprefix("expected one of: ").split(", ")
    assert known == sorted(known) and {"agent", "scenario", "turns", "http", "secrets"} <= set(known)


def test_unknown_field_in_a_top_level_expectation_suggests_the_check(project):
    project.write("scenario.yaml", project.scenario.read_text() + "expect:\n  - {agent_sad: hello}\n")

    error = only_error(load_scenario, project.scenario)

    assert (error.position, error.problem, error.hint) == (
        at(project, "scenario.yaml", "agent_sad"), "unknown field 'agent_sad' in expect[0]", "did you mean 'agent_said'?")


@pytest.mark.parametrize("written", ["{agent_sad: Order 4567}", "\n      - agent_sad: Order 4567"])
def test_unknown_field_in_a_turn_expectation_suggests_the_check(project, written):
    project.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}", written)

    error = only_error(load_scenario, project.scenario)

    assert (error.position, error.hint) == (at(project, "scenario.yaml", "agent_sad"), "did you mean 'agent_said'?")


# --- action types and required fields ------------------------------------------------------------


def test_unknown_action_type_lists_the_expected_types(project):
    project.edit("actions.yaml", "type: http", "type: teleport")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "actions.yaml", "teleport")
    assert error.problem == "unknown action type 'teleport'"
    assert error.hint.startswith("expected one of: ") and "'http'" in error.hint


def test_a_misspelt_action_type_gets_a_did_you_mean(project):
    project.edit("actions.yaml", "type: http", "type: transferr")

    error = only_error(load_project, project.agent)

    assert error.problem == "unknown action type 'transferr'"
    assert error.hint == "did you mean 'transfer'?"


def test_missing_action_type_says_to_add_one(project):
    project.edit("actions.yaml", "type: http", "description: no type")

    error = only_error(load_project, project.agent)

    assert (error.position, error.problem, error.hint) == (
        at(project, "actions.yaml", "lookup_order:"), "missing 'type' in actions.lookup_order",
        "add 'type: http' (or another action type)")


def test_missing_required_field_points_at_its_parent_key(project):
    project.edit("actions.yaml", "      url: https://api.test/orders/{{ order_number }}\n", "      method: GET\n")

    error = only_error(load_project, project.agent)

    assert (error.position, error.problem, error.hint) == (
        at(project, "actions.yaml", "request:"), "missing required field 'url' in actions.lookup_order.request",
        "add 'url: ...'")


def test_a_url_without_scheme_is_refused_at_the_url(project):
    project.edit("actions.yaml", "url: https://api.test", "url: api.test")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "actions.yaml", "api.test/orders")
    assert error.problem == ("actions.lookup_order.request.url: url 'api.test/orders/{{ order_number }}' "
                             "must start with http:// or https://")


# --- agents and their libraries ------------------------------------------------------------------


def test_agent_attaching_an_undefined_action_gets_a_did_you_mean(project):
    project.edit("agent.yaml", "actions: [lookup_order]", "actions: [lookup_order, lookup_ordr]")

    error = only_error(load_project, project.agent)

    assert (error.position, error.problem, error.hint) == (
        at(project, "agent.yaml", "lookup_ordr"),
        "agent attaches action 'lookup_ordr', which no library in uses defines", "did you mean 'lookup_order'?")


def test_agent_attaching_an_unrelated_name_lists_the_defined_actions(project):
    project.edit("agent.yaml", "actions: [lookup_order]", "actions: [lookup_order, book_visit]")

    error = only_error(load_project, project.agent)

    assert error.hint == "defined actions: lookup_order"


def test_an_action_attached_twice_is_an_error_once_however_often_it_is_repeated(project):
    """Attached twice, an action runs twice (two texts, two bookings): a pasted list is a mistake to name."""
    project.edit("agent.yaml", "actions: [lookup_order]", "actions: [lookup_order, lookup_order, lookup_order]")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "agent.yaml", "lookup_order, lookup_order]")
    assert error.problem == "actions[1]: 'lookup_order' is already attached (actions[0])"


def test_duplicate_action_names_across_libraries_mention_both_positions(project):
    project.write("more.yaml", project.actions.read_text())
    project.edit("agent.yaml", "uses: [actions.yaml]", "uses: [actions.yaml, more.yaml]")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "more.yaml", "lookup_order:")
    assert error.problem == (f"duplicate action name 'lookup_order' "
                             f"(also defined at {at(project, 'actions.yaml', 'lookup_order:')})")
    assert error.hint == "rename one of them"


def test_a_missing_library_is_reported_at_the_uses_entry(project):
    project.edit("agent.yaml", "uses: [actions.yaml]", "uses: [library.yaml]")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "agent.yaml", "library.yaml")
    assert error.problem == f"uses[0]: file not found ({project.root / 'library.yaml'})"
    assert error.hint == "give a path relative to the agent file"


@pytest.mark.parametrize(("file", "old", "new", "hint"), [
    ("agent.yaml", "uses: [actions.yaml]", "uses: [action.yaml]", "did you mean 'actions.yaml'?"),
    ("agent.yaml", "uses: [actions.yaml]", "uses: [./lib/actons.yaml]", "did you mean './lib/actions.yaml'?"),
    ("scenario.yaml", "agent: agent.yaml", "agent: agnet.yaml", "did you mean 'agent.yaml'?"),
])
def test_a_misspelt_file_name_gets_a_did_you_mean(project, file, old, new, hint):
    (project.root / "lib").mkdir()
    (project.root / "lib" / "actions.yaml").write_text(project.actions.read_text())
    project.edit(file, old, new)

    error = only_error(load_scenario, project.scenario)

    assert error.hint == hint


def test_invalid_yaml_in_a_library_is_reported_in_the_library(project):
    project.edit("actions.yaml", "    save: {order_status: $.status}", "    save: {order_status: $.status")

    error = only_error(load_project, project.agent)

    assert error.position.file == str(project.actions)
    assert error.problem.startswith("invalid YAML: ")
    assert error.hint == "check indentation, colons and quoting"


def test_duplicate_key_in_a_library_is_reported_at_the_second_key(project):
    project.edit("actions.yaml", "    needs: [order_number]", "    needs: [order_number]\n    needs: []")

    error = only_error(load_project, project.agent)

    assert str(error) == (f"{at(project, 'actions.yaml', 'needs: []')}: duplicate key 'needs' (first at line 5); "
                          "each key may appear once in a mapping")


# --- values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file", "old", "new", "field"), [
    ("actions.yaml", "timeout: 5s", "timeout: 5 seconds", "actions.lookup_order.request.timeout"),
    ("scenario.yaml", "json: {status: shipped}", "json: {status: shipped}, delay: 5 seconds", "http[0].delay"),
])
def test_bad_duration_lists_the_expected_forms(project, file, old, new, field):
    project.edit(file, old, new)

    error = only_error(load_scenario, project.scenario)

    assert error.position == at(project, file, "5 seconds")
    assert error.problem == (f"{field}: invalid duration '5 seconds'; "
                             "expected a duration such as 25s, 2m, 1h30m or 500ms")


def test_invalid_jsonpath_in_save_names_the_variable_and_an_example(project):
    project.edit("actions.yaml", "save: {order_status: $.status}", 'save: {order_status: "$..["}')

    error = only_error(load_project, project.agent)

    assert error.position.file == str(project.actions)
    assert "save.order_status: '$..[' is not a valid JSONPath" in error.problem
    assert "e.g. $.status" in str(error)


def test_invalid_jsonpath_error_is_one_line(project):
    project.edit("actions.yaml", "save: {order_status: $.status}", 'save: {order_status: "$..["}')

    error = only_error(load_project, project.agent)

    assert "\n" not in str(error)


def test_invalid_jsonpath_error_points_at_the_path(project):
    project.edit("actions.yaml", "save: {order_status: $.status}", 'save: {order_status: "$..["}')

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "actions.yaml", '"$..["')


def test_bad_regex_in_a_trigger_says_why(project):
    project.edit("actions.yaml", '{phrases: ["where is my order"]}', '{regex: ["order (\\\\d+"]}')

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "actions.yaml", '"order')  # the pattern itself, in its list
    assert error.problem == ("actions.lookup_order.trigger.regex[0]: 'order (\\\\d+' does not compile as a regular "
                             "expression: missing ): order (\\d+")


def test_a_trigger_needs_something_to_fire_on(project):
    project.edit("actions.yaml", '{phrases: ["where is my order"]}', "{phrases: []}")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "actions.yaml", "{phrases: []}")
    assert "a trigger needs at least one of on, phrases, keywords, regex, description, examples, if, after" in error.problem


def test_unknown_time_zone_names_the_expected_form(project):
    project.edit("agent.yaml", "agent: test-agent", "agent: test-agent\ntimezone: America/New_Yrok")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "agent.yaml", "America/New_Yrok")
    assert error.problem == "timezone: unknown time zone 'America/New_Yrok'; did you mean America/New_York?"


@pytest.mark.parametrize(("zone", "hint"), [("america/chicago", "did you mean America/Chicago?"),
                                            ("Mars/Olympus", "expected an IANA name such as America/New_York")])
def test_a_time_zone_in_the_wrong_case_or_far_off(project, zone, hint):
    project.edit("agent.yaml", "agent: test-agent", f"agent: test-agent\ntimezone: {zone}")

    error = only_error(load_project, project.agent)

    assert error.problem == f"timezone: unknown time zone '{zone}'; {hint}"


# --- placeholders and variables -------------------------------------------------------------------


def test_placeholder_naming_an_unknown_variable_says_how_to_supply_it(project):
    project.edit("actions.yaml", "say: Order {{ order_number }}", "say: Order {{ parcel_id }}")

    error = only_error(load_project, project.agent)

    assert error.position.file == str(project.actions)
    assert error.problem == ("action 'lookup_order', say: placeholder {{ parcel_id }} names a variable "
                             "nothing can supply")
    assert error.hint == ("declare 'parcel_id' under the agent's variables (with an ask: line, or from: "
                          "start_data), save it from an action, or write {{ parcel_id | default(\"...\") }}")


def test_a_misspelt_placeholder_gets_a_did_you_mean(project):
    project.edit("actions.yaml", "say: Order {{ order_number }}", "say: Order {{ ordr_number }}")

    error = only_error(load_project, project.agent)

    assert error.problem == ("action 'lookup_order', say: placeholder {{ ordr_number }} names a variable "
                             "nothing can supply")
    assert error.hint == "did you mean {{ order_number }}?"


def test_placeholder_error_in_an_action_points_at_the_field(project):
    project.edit("actions.yaml", "say: Order {{ order_number }}", "say: Order {{ ordr_number }}")

    error = only_error(load_project, project.agent)

    assert error.position.line == project.locate("actions.yaml", "say:")[0]


def test_placeholder_error_in_the_greeting_points_at_the_greeting(project):
    project.edit("agent.yaml", "greeting: Hello,", "greeting: Hello {{ caller_nme }},")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "agent.yaml", "Hello {{")
    assert error.problem == "greeting: placeholder {{ caller_nme }} names a variable nothing can supply"


def test_placeholder_with_a_default_needs_no_supplier(project):
    project.edit("actions.yaml", "say: Order {{ order_number }}", 'say: Order {{ ordr_number | default("?") }}')

    load_project(project.agent)


@pytest.mark.parametrize("placeholder", ["{{ secrets.ANY_NAME }}", "{{ call.from }}", "{{ agent.name }}",
                                         "{{ order_status }}"])
def test_placeholders_with_a_supplier_are_accepted(project, placeholder):
    project.edit("actions.yaml", "say: Order {{ order_number }}", f"say: Order {placeholder} {{{{ order_number }}}}")

    assert "lookup_order" in load_project(project.agent).actions


def test_unknown_call_field_lists_the_call_fields(project):
    project.edit("actions.yaml", "say: Order {{ order_number }}", "say: Order {{ call.frm }}")

    error = only_error(load_project, project.agent)

    assert error.problem == "action 'lookup_order', say: placeholder {{ call.frm }} is not a call field"
    assert error.hint.startswith("expected one of: call.id, call.from, call.to,")


def test_placeholder_syntax_error_says_how_to_write_one(project):
    project.edit("actions.yaml", "say: Order {{ order_number }}", "say: Order {{ order_number")

    error = only_error(load_project, project.agent)

    assert error.problem.startswith("action 'lookup_order', say: ")
    assert "syntax error" in error.problem
    assert error.hint == "fix the placeholder syntax: {{ name }}"


def test_needs_naming_an_undeclared_variable(project):
    project.edit("actions.yaml", "needs: [order_number]", "needs: [order_number, zip_code]")

    error = only_error(load_project, project.agent)

    assert error.position.file == str(project.actions)
    assert error.problem == "action 'lookup_order' needs 'zip_code', which the agent does not declare"
    assert error.hint == "add 'zip_code: {type: text, ask: ...}' under the agent's variables"


def test_needs_naming_a_misspelt_variable_gets_a_did_you_mean(project):
    project.edit("actions.yaml", "needs: [order_number]", "needs: [order_numbr]")

    error = only_error(load_project, project.agent)

    assert error.problem == "action 'lookup_order' needs 'order_numbr', which the agent does not declare"
    assert error.hint == "did you mean 'order_number'?"


def test_needs_error_points_at_the_needs_entry(project):
    project.edit("actions.yaml", "needs: [order_number]", "needs: [order_number, zip_code]")

    error = only_error(load_project, project.agent)

    assert error.position == at(project, "actions.yaml", "zip_code")


@pytest.mark.parametrize(("name", "problem"), [
    ("order-number", "variable name 'order-number' must be letters, digits and _ (usable as {{ order-number }})"),
    ("secrets", "variable name 'secrets' is reserved for secrets from the environment (secrets.NAME)"),
])
def test_variable_names_must_work_as_placeholders(project, name, problem):
    project.edit("agent.yaml", "  order_number: {type: digits", f"  {name}: {{type: digits")

    error = only_error(load_project, project.agent)

    assert problem in error.problem


def test_needs_a_caller_variable_without_an_ask_line(project):
    project.edit("agent.yaml", "{type: digits, ask: What is your order number?}", "{type: digits}")

    error = only_error(load_project, project.agent)

    assert error.problem == "action 'lookup_order' needs 'order_number', but the agent has no ask: line for it"
    assert error.hint == "add ask: to variables.order_number"


# --- scenarios -----------------------------------------------------------------------------------


def test_now_without_offset_asks_for_one(project):
    project.edit("scenario.yaml", "agent: agent.yaml", "agent: agent.yaml\nnow: 2026-11-30T15:00:00")

    error = only_error(load_scenario, project.scenario)

    assert error.position == at(project, "scenario.yaml", "2026-11-30T15:00:00")
    assert "needs a UTC offset, e.g. 2026-11-30T15:00:00-05:00" in error.problem


def test_now_keeps_the_written_offset(project):
    project.edit("scenario.yaml", "agent: agent.yaml", "agent: agent.yaml\nnow: 2026-11-30T15:00:00-05:00")

    now = load_scenario(project.scenario).config.now

    assert now.isoformat() == "2026-11-30T15:00:00-05:00"


def test_expectation_with_two_keys(project):
    project.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}",
                 "{agent_said: Order 4567 is shipped, action: lookup_order}")

    error = only_error(load_scenario, project.scenario)

    assert error.position == at(project, "scenario.yaml", "{agent_said")
    assert error.problem == ("turns[1].expect: an expectation is a one-key mapping (got keys: agent_said, action); "
                             "write each check as its own list item")


def test_turn_with_two_keys(project):
    project.edit("scenario.yaml", "  - expect: {agent_said", "    expect: {agent_said")

    error = only_error(load_scenario, project.scenario)

    assert error.position == at(project, "scenario.yaml", "caller:")
    assert error.problem == ("turns[0]: a turn is a one-key mapping (got keys: caller, expect); "
                             "put caller, wait, hangup and expect in separate list items")


@pytest.mark.parametrize("check", ["{action: lookup_ordr}", "{not_action: lookup_ordr}",
                                   "{action_failed: lookup_ordr}"])
def test_expectation_naming_an_unknown_action(project, check):
    project.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}", check)

    error = only_error(load_scenario, project.scenario)

    assert (error.position, error.problem, error.hint) == (
        at(project, "scenario.yaml", check), "expectation names unknown action 'lookup_ordr'",
        "did you mean 'lookup_order'?")


def test_order_expectation_naming_an_unknown_action(project):
    project.write("scenario.yaml", project.scenario.read_text() + "expect:\n  - order: [lookup_order, log_call]\n")

    error = only_error(load_scenario, project.scenario)

    assert (error.position, error.problem) == (
        at(project, "scenario.yaml", "order: ["), "order names unknown action 'log_call'")


def test_scenario_whose_agent_file_is_missing(project):
    project.edit("scenario.yaml", "agent: agent.yaml", "agent: agents/support.yaml")

    error = only_error(load_scenario, project.scenario)

    assert (error.position, error.problem, error.hint) == (
        at(project, "scenario.yaml", "agents/support.yaml"), "agent file 'agents/support.yaml' not found",
        "give a path relative to the scenario file")


def test_scenario_reports_the_errors_of_its_agent_in_the_agent_file(project):
    project.edit("agent.yaml", "greeting:", "greting:")

    errors = errors_loading(load_scenario, project.scenario)

    assert {e.position.file for e in errors} == {str(project.agent)}
    the_error(errors, "unknown field 'greting'")


# --- the shape of a whole file -------------------------------------------------------------------


@pytest.mark.parametrize(("file", "text", "found", "first_key"), [
    ("scenario.yaml", "- scenario: x\n", "a list", "scenario"),
    ("scenario.yaml", "", "an empty file", "scenario"),
    ("scenario.yaml", "# nothing yet\n", "an empty file", "scenario"),
    ("agent.yaml", "- agent: x\n", "a list", "agent"),
    ("agent.yaml", "", "an empty file", "agent"),
])
def test_top_level_must_be_a_mapping(project, file, text, found, first_key):
    project.write(file, text)

    error = only_error(load_scenario, project.scenario)

    assert str(error) == (f"{project.root / file}:1:1: expected a mapping at the top level, found {found}; "
                          f"start with '{first_key}: ...'")


def test_a_library_that_is_a_list_is_reported_in_the_library(project):
    project.write("actions.yaml", "- lookup_order\n")

    error = only_error(load_project, project.agent)

    assert str(error) == (f"{project.actions}:1:1: expected a mapping at the top level, found a list; "
                          "start with 'actions: ...'")


@pytest.mark.parametrize("text", ["just words\n", "42\n"])
def test_top_level_scalar_is_described_in_plain_words(project, text):
    project.write("scenario.yaml", text)

    error = only_error(load_scenario, project.scenario)

    assert error.problem.startswith("expected a mapping at the top level, found ")
    assert not re.search(r"found an? (str|int|float|bool)\b", error.problem)


@pytest.mark.parametrize(("load", "file"), [(load_project, "agent.yaml"), (load_scenario, "scenario.yaml")])
def test_invalid_yaml_is_reported_as_config_errors_like_every_other_problem(project, load, file):
    project.write(file, "agent: [unclosed\n")

    with pytest.raises(CallsimError) as caught:
        load(project.root / file)

    assert isinstance(caught.value, ConfigErrors)


# --- several errors at once ----------------------------------------------------------------------


def test_every_error_in_one_file_is_reported(project):
    project.edit("agent.yaml", "greeting:", "greting:")
    project.edit("agent.yaml", "{type: digits,", "{type: digitz,")
    project.edit("agent.yaml", "agent: test-agent", "agent: test-agent\nmax_asks: lots")

    errors = errors_loading(load_project, project.agent)

    assert the_error(errors, "unknown field 'greting'").position == at(project, "agent.yaml", "greting")
    assert the_error(errors, "variables.order_number.type:").position == at(project, "agent.yaml", "digitz")
    assert the_error(errors, "max_asks:").position == at(project, "agent.yaml", "lots")


def test_every_broken_action_in_a_library_is_reported(project):
    project.edit("actions.yaml", "timeout: 5s", "timeout: soon")
    project.write("actions.yaml", project.actions.read_text() + "  second:\n    type: htp\n")

    errors = errors_loading(load_project, project.agent)

    assert the_error(errors, "actions.lookup_order.request.timeout:").position == at(project, "actions.yaml", "soon")
    assert the_error(errors, "unknown action type 'htp'").position == at(project, "actions.yaml", "htp")


def test_every_unknown_attached_action_is_reported(project):
    project.edit("agent.yaml", "actions: [lookup_order]", "actions: [lookup_order, transfer, book]")

    errors = errors_loading(load_project, project.agent)

    assert [e.position for e in errors] == [at(project, "agent.yaml", "transfer"), at(project, "agent.yaml", "book]")]


def test_every_unknown_action_in_a_scenario_is_reported(project):
    project.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}", "[{action: one}, {not_action: two}]")

    errors = errors_loading(load_scenario, project.scenario)

    assert [e.problem for e in errors] == ["expectation names unknown action 'one'",
                                          "expectation names unknown action 'two'"]
