"""The pytest plugin, run inside pytester: collection, failure output, recordings, fixtures."""

from __future__ import annotations

import textwrap

import pytest

AGENT = """\
agent: shop
greeting: Hello, shop here.
fallback: Sorry?
variables:
  order_number: {type: digits, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup]
"""
ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://api.shop.test/orders/{{ order_number }}"}
    save: {status: $.status}
    say: Order {{ order_number }} is {{ status }}.
    on_error: {say: The order system is down.}
"""
SCENARIO = """\
scenario: {title}
agent: agent.yaml
tags: [orders]
http:
  - {{match: GET https://api.shop.test/orders/4567, json: {{status: {status}}}}}
turns:
  - caller: where is my order, it's 4567
  - expect: {{agent_said: Order 4567 is shipped}}
"""


@pytest.fixture
def shop(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # pytest-textual-snapshot's session hooks assume one session per process; the inner runs don't need it
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:textual-snapshot")
    pytester.makefile(".yaml", **{"scenarios/shop/agent": AGENT, "scenarios/shop/actions": ACTIONS})
    pytester.makefile(".yaml", **{"scenarios/shop/shipped": SCENARIO.format(title="order shipped", status="shipped")})
    pytester.makeini("[pytest]\ntestpaths = scenarios\n")
    return pytester


def test_scenarios_are_items_named_by_title(shop):
    shop.makefile(".yaml", **{"scenarios/shop/lost": SCENARIO.format(title="order lost", status="lost")})
    result = shop.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["scenarios/shop/lost.yaml::order lost", "scenarios/shop/shipped.yaml::order shipped"])
    assert "agent.yaml" not in result.stdout.str()
    selected = shop.runpytest("-k", "shipped", "-q")
    selected.assert_outcomes(passed=1, deselected=1)


def test_failure_explains_the_call_not_the_engine(shop):
    shop.makefile(".yaml", **{"scenarios/shop/lost": SCENARIO.format(title="order lost", status="lost")})
    result = shop.runpytest("-q")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "lost.yaml:8:13: expected" in out
    assert "expected the agent to say something containing 'Order 4567 is shipped'" in out
    assert "instead: the agent said: 'Order 4567 is lost.'" in out
    assert "agent: Order 4567 is lost." in out  # the timeline
    assert "Traceback" not in out and "runner.py" not in out


def test_invalid_file_is_a_collection_error_with_position(shop):
    shop.makefile(".yaml", **{"scenarios/shop/broken": "scenario: broken\nagent: agent.yaml\nturnz: []\n"})
    result = shop.runpytest("-q")
    out = result.stdout.str()
    assert "broken.yaml:3:1: unknown field 'turnz'; did you mean 'turns'?" in out
    assert "Traceback" not in out
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_tags_are_markers_and_repeat_makes_items(shop):
    shop.makefile(".yaml", **{"scenarios/shop/many": SCENARIO.format(title="many callers", status="shipped")
                              .replace("tags: [orders]", "tags: [smoke]\ncaller: {persona: random}\nrepeat: 3")})
    result = shop.runpytest("-m", "smoke", "-q")
    result.assert_outcomes(passed=3, deselected=1)
    result.stdout.no_fnmatch_line("*PytestUnknownMarkWarning*")


def test_recordings_are_written_compared_and_explained(shop):
    written = shop.runpytest("--callsim-update", "-q")
    written.assert_outcomes(passed=1)
    written.stdout.fnmatch_lines(["*callsim recordings written*", "*recordings/shop/shipped.jsonl"])
    recording = shop.path / "recordings/shop/shipped.jsonl"
    assert recording.exists()
    assert shop.runpytest("-q").ret == 0
    # the agent's line changes: the scenario still passes its expectation, but drifted from the recording
    (shop.path / "scenarios/shop/actions.yaml").write_text(ACTIONS.replace("Order {{ order_number }} is {{ status }}.",
                                                                           "Order {{ order_number }} is {{ status }}!"))
    drifted = shop.runpytest("-q")
    drifted.assert_outcomes(failed=1)
    drifted.stdout.fnmatch_lines(["*differs from its golden recording*", "*note: the agent or action files changed*",
                                  "- *agent: Order 4567 is shipped.", "+ *agent: Order 4567 is shipped!",
                                  "*pytest --callsim-update*"])


@pytest.mark.parametrize("content, message", [
    ("", "empty trace file"),
    ('{"type": "trace", "format": 0}\n', "trace format 0 is not the supported format"),
    ("garbage\n", "not a callsim trace"),
])
def test_broken_recordings_say_what_to_do(shop, content, message):
    (shop.path / "recordings/shop").mkdir(parents=True)
    (shop.path / "recordings/shop/shipped.jsonl").write_text(content)
    result = shop.runpytest("-q")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*{message}*rewrite it with --update*"])


def test_update_never_approves_a_failing_call(shop):
    shop.makefile(".yaml", **{"scenarios/shop/lost": SCENARIO.format(title="order lost", status="lost")})
    result = shop.runpytest("--callsim-update", "-q")
    result.assert_outcomes(passed=1, failed=1)
    assert not (shop.path / "recordings/shop/lost.jsonl").exists()
    assert (shop.path / "recordings/shop/shipped.jsonl").exists()
    result.stdout.fnmatch_lines(["*callsim recordings refused (the call fails its own expectations)*",
                                 "*recordings/shop/lost.jsonl"])


def test_record_option_refuses_the_golden_recordings_folder(shop):
    result = shop.runpytest("--callsim-record", "recordings/debug", "-q")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--callsim-record writes the trace of every call, failing ones too; it cannot "
                                 "write into the golden recordings folder*pytest --callsim-update*"])
    assert not (shop.path / "recordings").exists()


def test_coverage_summary(shop):
    result = shop.runpytest("--callsim-coverage", "-q")
    result.stdout.fnmatch_lines(["*callsim action coverage*", "shop (*): actions 1/1, triggers 1/1, fallback branches 0/1",
                                 "  never taken: lookup.on_error"])


def test_callsim_fixture_drives_a_call_by_hand(shop):
    shop.makepyfile(test_by_hand=textwrap.dedent("""
        import pytest

        @pytest.mark.anyio
        async def test_lookup(callsim):
            call = await callsim.call("scenarios/shop/agent.yaml",
                                      http=[{"match": "GET https://api.shop.test/orders/4567",
                                             "json": {"status": "packed"}}])
            await call.say("where is my order")
            call.trace.expect.agent_said("What is your order number")
            await call.wait("30s")
            await call.say("four five six seven")
            call.trace.expect.action("lookup").finished().request(url="https://api.shop.test/orders/4567")
            assert call.trace.expect.variable("status") == "packed"
            cursor = call.trace.expect
            cursor.next_event("caller_said").is_caller_said("where is my order")
            cursor.next_event("agent_said").is_agent_said("order number")
            await call.hangup()
            with pytest.raises(AssertionError, match="expected action missing to run"):
                call.trace.expect.action("missing")
    """))
    result = shop.runpytest("test_by_hand.py", "-q")
    result.assert_outcomes(passed=1)
