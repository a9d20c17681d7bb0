"""The `callsim` command line: exit codes, what it prints, and the files it writes.

Commands run in-process through `callsim.console_script.main` (the console script), so that a user's mistake
is turned into exit code 2 exactly as in a shell; one test runs the installed script for real.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from callsim import __version__
from callsim import cli as callsim_cli
from callsim.trace.redact import marker

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "scenarios"


def example_scenarios() -> list[Path]:
    """The example scenario files (a top-level `scenario:` line), found without trusting callsim's discovery."""
    return [p for p in sorted(EXAMPLES.rglob("*.yaml"))
            if re.search(r"^scenario:", p.read_text(encoding="utf-8"), re.MULTILINE)]


def example_runs() -> int:
    """How many calls the examples make: one per scenario file, or its `repeat: N`."""
    repeats = [re.search(r"^repeat:\s*(\d+)", p.read_text(encoding="utf-8"), re.MULTILINE) for p in example_scenarios()]
    return sum(int(found[1]) if found else 1 for found in repeats)


@pytest.fixture
def callsim(cli):
    """`callsim ARGS...` run in the project folder (see conftest's `cli`)."""
    return cli


def no_traceback(outcome) -> bool:
    return "Traceback (most recent call last)" not in outcome.output


@pytest.fixture
def failing(project):
    """The project's scenario, changed so that its expectation fails."""
    project.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}", "{agent_said: Order 4567 is delivered}")
    return project


@pytest.fixture
def recorded(callsim, project) -> Path:
    """The trace of the project's scenario, recorded with --record."""
    assert callsim("run", "scenario.yaml", "--record", "traces").exit_code == 0
    return project.root / "traces" / "scenario.jsonl"


# --- help and version ----------------------------------------------------------------------------


def test_help_lists_the_commands(callsim):
    outcome = callsim("--help")

    assert outcome.exit_code == 0
    for command in ("run", "validate", "show", "schema", "bench"):
        assert re.search(rf"^\W*{command}\b", outcome.stdout, re.MULTILINE), command


def test_help_teaches_each_command_with_an_example_and_shows_flags_as_flags(callsim):
    outcome = callsim("--help")
    text = " ".join(outcome.stdout.split())

    assert "Start with callsim validate scenarios/, then callsim run scenarios/" in text
    for command in ("run", "replay", "validate", "show", "schema", "bench", "tui"):
        assert re.search(rf"^\W*{command} .*\n\W+(.*\n\W+)?e\.g\. callsim {command}\b", outcome.stdout, re.MULTILINE), command
    for args in (("--help",), ("run", "--help"), ("replay", "--help"), ("tui", "--help")):
        assert "<bool>" not in callsim(*args).stdout, args  # a flag takes no value


@pytest.mark.parametrize("command", ["run", "replay", "validate", "show", "schema", "bench", "tui"])
def test_help_paragraphs_wrap_to_the_terminal_not_to_the_source(command):
    """A help text is drawn with its line breaks kept: a paragraph broken across lines in the source
    shows its sentence broken mid-way in a wide terminal. Lines indented under a paragraph (examples) may
    stand alone."""
    import inspect

    doc = inspect.getdoc(getattr(callsim_cli, command))
    for paragraph in doc.split("\n\n"):
        lines = paragraph.split("\n")
        assert len(lines) == 1 or all(line.startswith(" ") for line in lines[1:]) or lines[0].startswith(" "), \
            f"{command}: {paragraph!r}"


def test_validate_help_says_what_it_checks(callsim):
    text = " ".join(callsim("validate", "--help").stdout.split())

    assert "Agent, action library and scenario files, or folders" in text
    assert "Exit code 0 when all files are valid, 2 otherwise." in text
    assert "callsim validate scenarios/" in text


def test_run_help_lists_its_options(callsim):
    outcome = callsim("run", "--help")

    assert outcome.exit_code == 0
    for option in ("--record", "--junit", "--verbose"):
        assert option in outcome.stdout
    assert "Exit code 0 when every scenario passes, 1 when any expectation fails, 2 when a file is invalid" \
        in " ".join(outcome.stdout.split())


def test_version(callsim):
    outcome = callsim("--version")

    assert (outcome.exit_code, outcome.stdout.strip()) == (0, f"callsim {__version__}")


# --- validate ------------------------------------------------------------------------------------


def test_validate_the_examples(callsim):
    files = sorted(EXAMPLES.rglob("*.yaml"))

    outcome = callsim("validate", EXAMPLES)

    assert outcome.exit_code == 0, outcome.output
    assert f"{len(files)} file(s) valid ({len(example_scenarios())} scenario(s)," in outcome.stdout


def test_validate_the_project(callsim):
    outcome = callsim("validate", ".")

    assert outcome.exit_code == 0, outcome.output
    assert "3 file(s) valid (1 scenario(s), 1 agent(s), 1 action library)" in outcome.stdout


def test_validate_a_broken_file_prints_file_line_col_and_hint(callsim, project):
    project.edit("scenario.yaml", "- caller: where", "- callr: where")

    outcome = callsim("validate", "scenario.yaml")

    assert outcome.exit_code == 2
    assert "scenario.yaml:6:5: unknown field 'callr' in turns[0]; did you mean 'caller'?\n" in outcome.stderr
    assert "1 problem(s) in 1 file(s)" in outcome.stderr
    assert no_traceback(outcome)


def test_validate_reports_broken_yaml_in_a_library_once(callsim, project):
    project.edit("actions.yaml", "    say: Order", "    say: Note: Order")

    outcome = callsim("validate", ".")

    assert outcome.exit_code == 2
    assert outcome.stderr.count("actions.yaml:10:14: invalid YAML: mapping values are not allowed") == 1, outcome.stderr
    assert "1 problem(s) in 3 file(s)" in outcome.stderr


def test_validate_reports_every_problem_of_every_file(callsim, project):
    project.edit("scenario.yaml", "- caller: where", "- callr: where")
    project.edit("actions.yaml", "timeout: 5s", "timeout: 5 seconds")

    outcome = callsim("validate", ".")

    assert outcome.exit_code == 2
    assert "scenario.yaml:6:5: unknown field 'callr'" in outcome.stderr
    assert "actions.yaml:8:16: actions.lookup_order.request.timeout: invalid duration '5 seconds'" in outcome.stderr
    assert "2 problem(s) in 3 file(s)" in outcome.stderr  # the library's problem once, not once per reader


NOT_CALLSIM = "scenario.yaml:1:1: not a callsim file; expected a top-level 'scenario:', 'agent:' or 'actions:' key"


@pytest.mark.parametrize(("text", "message"), [
    ("scenario: x\nagent: [unclosed\n", "scenario.yaml:3:1: invalid YAML: "),
    ("", NOT_CALLSIM),
    ("- a\n- b\n", NOT_CALLSIM),
    ("title: no kind\n", NOT_CALLSIM),
    ("a: &loop [*loop]\n", "scenario.yaml:1:"),
])
def test_validate_reports_broken_yaml_without_a_traceback(callsim, project, text, message):
    project.write("scenario.yaml", text)

    outcome = callsim("validate", "scenario.yaml")

    assert outcome.exit_code == 2
    assert message in outcome.stderr
    assert no_traceback(outcome)


def test_validate_a_file_that_is_not_utf8(callsim, project):
    project.scenario.write_bytes("scenario: Gr\xfc\xdf\n".encode("latin-1"))

    outcome = callsim("validate", "scenario.yaml")

    assert outcome.exit_code == 2
    assert "scenario.yaml:1:13: invalid UTF-8 (byte 0xfc: invalid start byte)" in outcome.stderr
    assert no_traceback(outcome)


def test_validate_a_missing_path(callsim):
    outcome = callsim("validate", "nowhere")

    assert outcome.exit_code == 2
    assert "nowhere: no such file or folder; check the path" in outcome.stderr


def test_run_a_misspelt_path_gets_a_did_you_mean(callsim):
    outcome = callsim("run", "scenari.yaml")

    assert outcome.exit_code == 2
    assert "scenari.yaml: no such file or folder; did you mean 'scenario.yaml'?" in outcome.stderr


def test_validate_an_empty_folder_is_an_error(callsim, project):
    (project.root / "empty").mkdir()

    outcome = callsim("validate", "empty")

    assert outcome.exit_code == 2


def test_the_installed_script_exits_2_without_a_traceback(project):
    project.edit("scenario.yaml", "- caller: where", "- callr: where")
    script = Path(sys.executable).parent / "callsim"

    done = subprocess.run([str(script), "validate", "scenario.yaml"], cwd=project.root, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "COLUMNS": "1000", "NO_COLOR": "1"}, timeout=60)

    assert done.returncode == 2
    assert "scenario.yaml:6:5: unknown field 'callr' in turns[0]; did you mean 'caller'?" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


# --- run -----------------------------------------------------------------------------------------


def test_run_the_examples(callsim):
    outcome = callsim("run", EXAMPLES)

    assert outcome.exit_code == 0, outcome.output
    assert f"{example_runs()} passed, 0 failed" in outcome.stdout


def test_run_a_passing_scenario(callsim):
    outcome = callsim("run", "scenario.yaml")

    assert outcome.exit_code == 0, outcome.output
    assert re.search(r"PASS\W+order lookup", outcome.stdout)
    assert "1 passed, 0 failed" in outcome.stdout


def test_run_verbose_prints_the_timeline(callsim):
    outcome = callsim("run", "scenario.yaml", "-v")

    assert "caller: where is my order, it's 4567" in outcome.stdout
    assert "agent: Order 4567 is shipped." in outcome.stdout


def test_a_failing_expectation_exits_1_and_explains_itself(callsim, failing):
    where = ":".join(map(str, failing.locate("scenario.yaml", "{agent_said")))

    outcome = callsim("run", "scenario.yaml")

    assert outcome.exit_code == 1
    assert (f"scenario.yaml:{where}: expected the agent to say something containing 'Order 4567 is delivered'"
            in outcome.stdout)
    assert "after caller turn 1" in outcome.stdout
    assert "instead: the agent said: 'Order 4567 is shipped.'" in outcome.stdout
    assert "caller: where is my order, it's 4567" in outcome.stdout  # the timeline around the miss
    assert "agent: Order 4567 is shipped." in outcome.stdout
    assert "0 passed, 1 failed" in outcome.stdout
    assert no_traceback(outcome)


@pytest.mark.parametrize(("written", "hint"), [
    ("variables: {order_statu: shipped}", "did you mean 'order_status'?"),
    ("extracted: {ordr_number: '4567'}", "did you mean 'order_number'?"),
    ("variables: {parcel: shipped}", "declare it under the agent's variables, save it from an action, or fix its spelling"),
])
def test_an_expectation_on_a_variable_nothing_sets_is_refused_before_the_run(callsim, project, written, hint):
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}", f"  - expect: {{{written}}}")
    name = written.split("{")[1].split(":")[0]

    outcome = callsim("run", "scenario.yaml")

    assert outcome.exit_code == 2
    line, column = project.locate("scenario.yaml", name)
    assert (f"scenario.yaml:{line}:{column}: expectation names variable '{name}', which nothing in agent test-agent "
            f"sets, so it can only fail; {hint}") in outcome.stderr


def test_a_call_stopped_by_an_error_says_so_before_the_expectations_it_broke(callsim, project):
    project.edit("scenario.yaml", "orders/4567,", "orders/4568,")
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}",
                 "  - expect: [{action: lookup_order}, {agent_said: Order 4567 is shipped}]")

    outcome = callsim("run", "scenario.yaml")

    assert outcome.exit_code == 1
    lines = [line for line in outcome.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("FAIL scenario 'order lookup' failed")
    assert lines[1].startswith("the call stopped with an error: no http route matches GET https://api.test/orders/4567;")
    stopped = outcome.stdout.index("the call stopped with an error")
    assert stopped < outcome.stdout.index("expected action lookup_order to run and finish")
    assert ("instead: it started, but the call stopped with an error before it finished (#"
            in outcome.stdout)
    assert ": no http route matches GET https://api.test/orders/4567)" in outcome.stdout
    assert "it never ran" not in outcome.stdout


def test_an_invalid_file_exits_2_but_the_valid_ones_still_run(callsim, project):
    project.write("broken.yaml", project.scenario.read_text().replace("- caller: where", "- callr: where"))

    outcome = callsim("run", ".")

    assert outcome.exit_code == 2
    assert "broken.yaml:6:5: unknown field 'callr' in turns[0]; did you mean 'caller'?" in outcome.stderr
    assert re.search(r"PASS\W+order lookup", outcome.stdout)
    assert "1 passed, 0 failed, 1 invalid" in outcome.stdout


def test_a_scenario_with_a_misspelt_title_key_is_not_skipped(callsim, project):
    project.write("second.yaml", project.scenario.read_text().replace("scenario: order lookup", "senario: again"))

    outcome = callsim("run", ".")

    assert outcome.exit_code == 2
    assert "second.yaml:1:1: unknown field 'senario'; did you mean 'scenario'?" in outcome.stderr


def test_run_an_empty_folder(callsim, project):
    (project.root / "empty").mkdir()

    outcome = callsim("run", "empty")

    assert outcome.exit_code == 2
    assert "No scenario files found in empty." in outcome.stderr
    assert "A scenario is a YAML file with a top-level 'scenario:' key." in outcome.stderr


def test_run_a_folder_with_only_an_agent(callsim, project):
    project.scenario.unlink()

    outcome = callsim("run", ".")

    assert outcome.exit_code == 2
    assert "No scenario files found in ." in outcome.stderr


def test_run_a_missing_path(callsim):
    outcome = callsim("run", "nowhere.yaml")

    assert outcome.exit_code == 2
    assert "nowhere.yaml: no such file or folder; check the path" in outcome.stderr


@pytest.mark.parametrize(("args", "printed"), [
    (("scenario.yaml", "--junit", "reports/[ci].xml"), "JUnit report: reports/[ci].xml"),
    (("scenario.yaml", "--record", "traces/[/old]"), "Traces written under traces/[/old]/"),
    (("suite[/old]",), "No scenario files found in suite[/old]."),
])
def test_run_prints_paths_verbatim(callsim, project, args, printed):
    (project.root / "suite[/old]").mkdir(parents=True)

    outcome = callsim("run", *args)

    assert printed in outcome.output
    assert no_traceback(outcome)


def test_a_header_that_is_not_ascii_is_reported_not_a_crash(callsim, project):
    project.edit("actions.yaml", "      timeout: 5s", '      headers: {X-Note: "Grüß Gott"}\n      timeout: 5s')

    outcome = callsim("run", "scenario.yaml")

    assert outcome.exit_code != 0
    assert "X-Note" in outcome.output
    assert "callsim crashed" not in outcome.output and no_traceback(outcome)


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit_has_one_testcase_per_scenario_and_a_failure_for_the_failing_one(callsim, failing):
    failing.write("passing.yaml", failing.scenario.read_text()
                  .replace("scenario: order lookup", "scenario: passing lookup")
                  .replace("Order 4567 is delivered", "Order 4567 is shipped"))

    outcome = callsim("run", ".", "--junit", "out/junit.xml")

    assert outcome.exit_code == 1
    suite = ET.parse(failing.root / "out" / "junit.xml").getroot()
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert (suite.tag, suite.get("tests"), suite.get("failures")) == ("testsuite", "2", "1")
    assert sorted(cases) == ["order lookup", "passing lookup"]
    assert cases["passing lookup"].find("failure") is None
    failure = cases["order lookup"].find("failure")
    assert failure.get("message") == "expected the agent to say something containing 'Order 4567 is delivered'"
    assert "instead: the agent said: 'Order 4567 is shipped.'" in failure.text


def test_junit_for_the_examples_has_one_testcase_per_scenario(callsim, project):
    outcome = callsim("run", EXAMPLES, "--junit", "junit.xml")

    assert outcome.exit_code == 0, outcome.output
    suite = ET.parse(project.root / "junit.xml").getroot()
    assert len(list(suite.iter("testcase"))) == example_runs()
    assert not list(suite.iter("failure")) and not list(suite.iter("error"))


def test_junit_reports_an_invalid_file_as_an_error(callsim, project):
    project.write("broken.yaml", project.scenario.read_text().replace("- caller: where", "- callr: where"))

    callsim("run", ".", "--junit", "junit.xml")

    suite = ET.parse(project.root / "junit.xml").getroot()
    errors = [case.find("error") for case in suite.iter("testcase") if case.find("error") is not None]
    assert suite.get("errors") == "1"
    assert [e.get("message") for e in errors] == [
        "broken.yaml:6:5: unknown field 'callr' in turns[0]; did you mean 'caller'?"]


# --- record --------------------------------------------------------------------------------------


def test_record_writes_one_trace_per_scenario(callsim, project):
    outcome = callsim("run", EXAMPLES, "--record", "traces")

    assert outcome.exit_code == 0, outcome.output
    traces = list((project.root / "traces").rglob("*.jsonl"))
    assert len(traces) == example_runs()
    assert {t.name.split(".")[0] for t in traces} == {s.stem for s in example_scenarios()}


def test_record_keeps_scenarios_with_the_same_file_name_apart(callsim, project, monkeypatch):
    for folder in ("a", "b"):
        for name in ("agent.yaml", "actions.yaml", "scenario.yaml"):
            project.write(f"{folder}/{name}", (project.root / name).read_text())
    (project.root / "elsewhere").mkdir()
    monkeypatch.chdir(project.root / "elsewhere")

    outcome = callsim("run", project.root / "a", project.root / "b", "--record", "traces")

    assert outcome.exit_code == 0, outcome.output
    assert len(list((project.root / "elsewhere" / "traces").rglob("*.jsonl"))) == 2


def test_a_recorded_trace_starts_with_a_header_and_numbers_its_events(recorded):
    header, *events = [json.loads(line) for line in recorded.read_text(encoding="utf-8").splitlines()]

    assert (header["type"], header["scenario"], header["agent"]) == ("trace", "order lookup", "test-agent")
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all(a["t"] <= b["t"] for a, b in zip(events, events[1:]))
    assert events[0]["type"] == "call_started" and events[-1]["type"] == "call_ended"


# --- secrets -------------------------------------------------------------------------------------

SECRET_ACTION = """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    request:
      method: POST
      url: "https://api.test/orders?key={{ secrets.ACME_TOKEN }}"
      headers: {Authorization: "Bearer {{ secrets.ACME_TOKEN }}"}
      json: {token: "{{ secrets.ACME_TOKEN }}"}
    save: {echo: $.echo}
    say: Token {{ secrets.ACME_TOKEN }}, echo {{ echo }}.
"""

SECRET_SCENARIO = """\
scenario: secrets stay out of traces
agent: agent.yaml
secrets: {{ACME_TOKEN: "{secret}"}}
http:
  - {{match: "POST https://api.test/orders*", json: {{echo: "{secret}"}}}}
turns:
  - caller: where is my order
  - expect: {{action: lookup_order}}
"""


@pytest.fixture
def secret_project(project):
    project.write("actions.yaml", SECRET_ACTION)
    project.edit("agent.yaml", "variables:\n  order_number: {type: digits, ask: What is your order number?}\n", "")
    return project


def test_a_secret_appears_nowhere_in_the_trace(callsim, secret_project):
    secret_project.write("scenario.yaml", SECRET_SCENARIO.format(secret="s3cr3t-value"))

    outcome = callsim("run", "scenario.yaml", "--record", "traces", "-v")

    assert outcome.exit_code == 0, outcome.output
    trace = (secret_project.root / "traces" / "scenario.jsonl").read_text(encoding="utf-8")
    assert "s3cr3t-value" not in trace
    assert "s3cr3t-value" not in outcome.output
    assert f'"Authorization": "Bearer {marker("s3cr3t-value")}"' in trace  # the request was recorded, redacted


def test_a_secret_from_the_environment_appears_nowhere_in_the_trace(callsim, secret_project, monkeypatch):
    secret_project.write("scenario.yaml", SECRET_SCENARIO.format(secret="env-s3cr3t")
                         .replace('secrets: {ACME_TOKEN: "env-s3cr3t"}\n', ""))
    monkeypatch.setenv("ACME_TOKEN", "env-s3cr3t")

    outcome = callsim("run", "scenario.yaml", "--record", "traces")

    assert outcome.exit_code == 0, outcome.output
    assert "env-s3cr3t" not in (secret_project.root / "traces" / "scenario.jsonl").read_text(encoding="utf-8")


def test_a_secret_encoded_into_a_url_appears_nowhere_in_the_trace(callsim, secret_project):
    secret_project.write("scenario.yaml", SECRET_SCENARIO.format(secret="s3cr3t value"))

    outcome = callsim("run", "scenario.yaml", "--record", "traces")

    assert outcome.exit_code == 0, outcome.output
    trace = (secret_project.root / "traces" / "scenario.jsonl").read_text(encoding="utf-8")
    assert "s3cr3t" not in trace


# --- show ----------------------------------------------------------------------------------------


def test_show_prints_the_timeline(callsim, recorded):
    outcome = callsim("show", recorded)

    assert outcome.exit_code == 0, outcome.output
    assert "order lookup" in outcome.stdout
    assert "caller: where is my order, it's 4567" in outcome.stdout
    assert "agent: Order 4567 is shipped." in outcome.stdout
    assert "partial line" not in outcome.output


def test_show_only_some_event_types(callsim, recorded):
    outcome = callsim("show", recorded, "--only", "agent_said")

    assert "agent: Order 4567 is shipped." in outcome.stdout
    assert "caller:" not in outcome.stdout


def test_show_a_truncated_trace_prints_what_is_there_and_says_so(callsim, recorded):
    text = recorded.read_text(encoding="utf-8").rstrip("\n")
    last = text.rindex("\n") + 1
    assert '"call_ended"' in text[last:]
    recorded.write_text(text[: last + (len(text) - last) // 2], encoding="utf-8")

    outcome = callsim("show", recorded)

    assert outcome.exit_code == 0, outcome.output
    assert "agent: Order 4567 is shipped." in outcome.stdout
    assert "call ended" not in outcome.stdout
    assert "The trace ends in a partial line" in outcome.output


@pytest.mark.parametrize(("content", "message"), [
    ("agent: test-agent\n", "not.jsonl:1: not a callsim trace (the first line is not JSON)"),
    ('{"hello": "world"}\n', "not.jsonl:1: not a callsim trace (no trace header)"),
    ("", "not.jsonl: empty trace file"),
    ('{"type": "trace", "format": 99}\n', "not.jsonl:1: trace format 99 is not the supported format 1"),
    ('{"type": "trace", "format": 1}\n{"seq": 1, "type": "no_such_event"}\n{"seq": 2, "type": "call_ended"}\n',
     "not.jsonl:2: unknown event type 'no_such_event'"),
])
def test_show_refuses_a_file_that_is_not_a_trace(callsim, project, content, message):
    project.write("not.jsonl", content)

    outcome = callsim("show", "not.jsonl")

    assert outcome.exit_code == 2
    assert message in outcome.stderr
    assert no_traceback(outcome)


@pytest.mark.parametrize("name", ["scenario.yaml", "agent.yaml"])
def test_show_of_a_yaml_file_says_how_to_get_a_trace(callsim, name):
    outcome = callsim("show", name)

    assert outcome.exit_code == 2
    assert f"{name}: a YAML file, not a trace" in outcome.stderr
    assert f"callsim run {name} --record out/traces" in outcome.stderr
    assert no_traceback(outcome)


def test_show_a_missing_trace(callsim):
    outcome = callsim("show", "missing.jsonl")

    assert outcome.exit_code == 2
    assert "missing.jsonl: no such trace file; check the path" in outcome.stderr


def test_show_a_misspelt_trace_names_the_one_there(callsim, tmp_path):
    (tmp_path / "order_status.jsonl").write_text("")

    outcome = callsim("show", str(tmp_path / "order_staus.jsonl"))

    assert outcome.exit_code == 2
    assert f"order_staus.jsonl: no such trace file; did you mean '{tmp_path}/order_status.jsonl'?" in outcome.stderr


# --- schema --------------------------------------------------------------------------------------


def refs(node) -> set[str]:
    if isinstance(node, dict):
        own = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node))
    return set()


def test_schema_prints_one_schema_for_every_file_kind(callsim, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")  # as when redirected to a file: long lines must not be wrapped

    outcome = callsim("schema")

    schema = json.loads(outcome.stdout)
    assert {"AgentConfig", "ActionLibrary", "ScenarioConfig", "HttpAction", "Turn", "Expectation"} <= set(
        schema["$defs"])
    assert schema["anyOf"] == [{"$ref": "#/$defs/AgentConfig"}, {"$ref": "#/$defs/ActionLibrary"},
                               {"$ref": "#/$defs/ScenarioConfig"}, {"$ref": "#/$defs/SuiteConfig"}]
    assert {r.rsplit("/", 1)[-1] for r in refs(schema)} <= set(schema["$defs"])


@pytest.mark.parametrize(("kind", "required"), [
    ("scenario", {"scenario", "agent"}), ("agent", {"agent", "greeting"}), ("actions", set()), ("suite", {"expect"})])
def test_schema_of_one_file_kind(callsim, kind, required):
    outcome = callsim("schema", kind)

    assert outcome.exit_code == 0
    schema = json.loads(outcome.stdout)
    assert schema["title"] == f"callsim {kind} file"
    assert set(schema.get("required", [])) == required
    assert {r.rsplit("/", 1)[-1] for r in refs(schema)} <= set(schema.get("$defs", {}))


def test_schema_describes_each_field_with_its_docstring(callsim):
    schema = json.loads(callsim("schema", "actions").stdout)

    request = schema["$defs"]["HttpRequest"]["properties"]
    assert request["json"]["description"].startswith("A JSON body; placeholders are inserted as JSON values")
    trigger = schema["$defs"]["Trigger"]["properties"]
    assert trigger["if"]["description"].startswith("A condition over variables")  # by its key in files


def test_schema_names_the_kinds_when_given_an_unknown_one(callsim):
    outcome = callsim("schema", "agents")

    assert outcome.exit_code == 2
    assert "unknown schema 'agents'; expected agent, actions, scenario, suite, all or webhook" in outcome.stderr
