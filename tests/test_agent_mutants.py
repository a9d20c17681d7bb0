"""The agent-mutants benchmark's machinery (tests/benchmarks/agent_mutants.py): which single changes it makes
to what a scenario exercises, that they stay in memory, and how it tells a mutant the scenario's expectations
catch from one only the golden replay sees. The benchmark itself is not run here."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from callsim.config.project import load_scenario
from callsim.recordings import write_recording

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("agent_mutants", ROOT / "tests" / "benchmarks" / "agent_mutants.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["agent_mutants"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def shop(project):
    project.edit("actions.yaml", "      timeout: 5s", "      headers: {X-Shop: web}\n      timeout: 5s")
    return project


def mutants_of(bench, path: Path):
    scenario = load_scenario(path)
    baseline = asyncio.run(bench.run(scenario, None))
    assert baseline.passed
    sites = bench.sites_of(scenario)
    return scenario, baseline, sites, {(m.kind, m.change): m for m in bench.mutants(bench.Context(scenario, sites,
                                                                                                baseline, 0))}


def test_changes_what_the_call_exercises_one_thing_at_a_time(bench, shop):
    _, _, _, found = mutants_of(bench, shop.scenario)

    assert set(found) == {
        ("drop_action", "lookup_order no longer attached"),
        ("drop_need", "order_number no longer needed"),
        ("save_path", "'$.status' -> '$.status_'"),  # the response has no other field to map by mistake
        ("request_url", "'https://api.test/orders/{{ order_number }}' -> 'https://api.test/order/{{ order_number }}'"),
        ("request_method", "'GET' -> 'POST'"),
        ("request_header", "'web' -> 'web-x'"),
    }
    assert list(found) == list(mutants_of(bench, shop.scenario)[3])  # the same, in the same order, every run


def test_a_mutant_lives_in_memory_only(bench, shop):
    scenario, _, sites, found = mutants_of(bench, shop.scenario)
    before = shop.actions.read_text()

    changed = bench.load_mutant(scenario, found["request_method", "'GET' -> 'POST'"], sites)

    assert changed.project.actions["lookup_order"].request.method == "POST"
    assert shop.actions.read_text() == before
    assert load_scenario(shop.scenario).project.actions["lookup_order"].request.method == "GET"


def test_tells_red_from_replay_only_from_survived(bench, shop):
    scenario, baseline, sites, found = mutants_of(bench, shop.scenario)
    recording = shop.root / "recordings" / "scenario.jsonl"
    write_recording(baseline, recording)

    def outcome(key, path=shop.scenario):
        return asyncio.run(bench.try_mutant(load_scenario(path), found[key], sites, recording))[0]

    assert outcome(("request_method", "'GET' -> 'POST'")) == "red"  # no route answers a POST
    assert outcome(("request_header", "'web' -> 'web-x'")) == "replay only"
    assert outcome(("save_path", "'$.status' -> '$.status_'")) == "red"  # the say: line has no status to read
    shop.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}",
              "  - expect:\n      - agent_said: Order 4567 is shipped\n      - http: {headers: {X-Shop: web}}")
    assert outcome(("request_header", "'web' -> 'web-x'")) == "red"


def test_a_change_the_call_never_shows_survives(bench, shop):
    shop.edit("scenario.yaml", "json: {status: shipped}}", "status: 500}")
    shop.edit("scenario.yaml", "{agent_said: Order 4567 is shipped}",
              "{action_failed: {action: lookup_order, status: 500}}")
    scenario, baseline, sites, found = mutants_of(bench, shop.scenario)
    recording = shop.root / "recordings" / "scenario.jsonl"
    write_recording(baseline, recording)

    # the failed lookup saves nothing, so which field it would have saved cannot be seen: an equivalent mutant
    assert asyncio.run(bench.try_mutant(scenario, found["save_path", "'$.status' -> '$.status_'"], sites,
                                        recording))[0] == "survived"
