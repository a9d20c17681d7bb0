"""`callsim bench`: generate a suite, run it, and report throughput and per-turn engine overhead.

The per-turn overhead is the time `caller_says` takes minus the time spent inside the HTTP
fake (httpx and respx): what the engine itself adds for trigger evaluation, slot reading,
dispatch, rendering and the trace.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from faker import Faker
from rich.console import Console
from rich.table import Table

from callsim.backends.http import FakeHttp
from callsim.config.loaded import Scenario
from callsim.discover import discover
from callsim.engine.clock import VirtualClock
from callsim.backends import ScenarioBackends
from callsim.engine.session import CallSession, CallSetup
from callsim.runner import _triggers, run_many, trace_header
from callsim.trace.trace import Trace

TOPICS = ["order", "refund", "invoice", "delivery", "warranty", "account", "password", "subscription", "coupon",
          "return", "exchange", "repair", "upgrade", "downgrade", "billing", "shipping", "address", "payment",
          "receipt", "voucher", "membership", "points", "gift card", "store hours", "pickup"]


def write_suite(folder: Path, *, scenarios: int, turns: int, actions: int, seed: int = 7) -> None:
    """Write an agent with `actions` http actions and `scenarios` scenario files of `turns` caller turns."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    names = [f"{TOPICS[i % len(TOPICS)].replace(' ', '_')}_{i}" for i in range(actions)]
    lib = ["actions:"]
    for i, name in enumerate(names):
        topic = TOPICS[i % len(TOPICS)]
        lib += [f"  {name}:", "    type: http",
                f"    trigger: {{phrases: [\"{topic} number {i}\", \"help with {topic} {i}\", \"{topic} case {i}\"]}}",
                *(["    needs: [reference]"] if i % 2 else []),
                "    request:", f"      url: https://api.bench.test/{name}/{{{{ reference | default(\"none\") }}}}",
                "      headers: {X-Caller: \"{{ call.from }}\"}", "    save: {result: $.result}",
                "    say: Your " + topic + " result is {{ result }}."]
    (folder / "actions.yaml").write_text("\n".join(lib) + "\n")
    (folder / "agent.yaml").write_text(
        "agent: bench\ngreeting: Hello, how can I help?\nfallback: Sorry?\n"
        "variables:\n  reference: {type: digits, length: 4-8, ask: What is the reference number?}\n"
        "uses: [actions.yaml]\nactions: [" + ", ".join(names) + "]\n")
    for n in range(scenarios):
        lines = [f"scenario: bench {n}", "agent: agent.yaml", f"seed: {n}",
                 f"caller: {{number: \"+1415555{n % 10000:04d}\", name: \"{fake.name()}\"}}",
                 "http:", "  - {match: GET https://api.bench.test/*, json: {result: ok}}", "turns:"]
        for t in range(turns):
            i = fake.random_int(0, actions - 1)
            topic = TOPICS[i % len(TOPICS)]
            if t % 3 == 2:
                lines.append(f"  - caller: \"{fake.sentence(nb_words=6)}\"")
            else:
                lines.append(f"  - caller: \"uh {topic} number {i} please, it's {fake.random_int(1000, 99999)}\"")
        lines.append("expect:\n  - ended: {by: caller}")
        (folder / f"scenario_{n:05d}.yaml").write_text("\n".join(lines) + "\n")


class _TimedHttp(FakeHttp):
    """The HTTP fake, counting the wall time spent inside it so it can be subtracted."""

    spent = 0.0

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await super().request(*args, **kwargs)
        finally:
            _TimedHttp.spent += time.perf_counter() - started


async def _turn_costs(scenarios: list[Scenario]) -> tuple[list[float], list[float]]:
    engine, whole = [], []
    for scenario in scenarios:
        config = scenario.config
        clock = VirtualClock(config.now)
        http = _TimedHttp(config.http, clock)
        call = CallSession(scenario.project, clock=clock, backends=ScenarioBackends(http=http),
                           trace=Trace(header=trace_header(scenario)), setup=CallSetup(seed=config.seed),
                           triggers=_triggers(scenario.project))
        await call.start()
        for turn in config.turns:
            if turn.caller is None:
                continue
            _TimedHttp.spent = 0.0
            started = time.perf_counter()
            await call.caller_says(turn.caller)
            total = time.perf_counter() - started
            whole.append(total)
            engine.append(total - _TimedHttp.spent)
        await call.hangup()
        await http.aclose()
    return engine, whole


def run_bench(console: Console, *, scenarios: int, turns: int, actions: int) -> dict[str, float]:
    """Generate, load and run a suite; print and return the figures."""
    with tempfile.TemporaryDirectory(prefix="callsim-bench-") as tmp:
        folder = Path(tmp)
        with console.status(f"generating {scenarios} scenarios × {turns} turns, {actions} actions"):
            write_suite(folder, scenarios=scenarios, turns=turns, actions=actions)
        started = time.perf_counter()
        found = discover([folder])
        load = time.perf_counter() - started
        if found.errors:
            raise RuntimeError(f"generated suite is invalid: {found.errors[0]}")
        started = time.perf_counter()
        results = asyncio.run(run_many(found.scenarios))
        run = time.perf_counter() - started
        sample = found.scenarios[: min(200, len(found.scenarios))]
        engine, whole = asyncio.run(_turn_costs(sample))
    passed = sum(r.passed for r in results)
    total_turns = sum(len([t for t in s.config.turns if t.caller]) for s in found.scenarios)
    figures = {
        "scenarios": len(results), "passed": passed, "load_s": load, "run_s": run,
        "scenarios_per_s": len(results) / run, "turns_per_s": total_turns / run,
        "engine_turn_median_ms": statistics.median(engine) * 1000,
        "engine_turn_p95_ms": statistics.quantiles(engine, n=20)[18] * 1000,
        "turn_median_ms": statistics.median(whole) * 1000,
    }
    table = Table(title=f"callsim bench: {scenarios} scenarios × {turns} turns, {actions} actions attached",
                  show_edge=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("load + validate", f"{load:.2f} s")
    table.add_row("run (virtual clock)", f"{run:.2f} s  ({figures['scenarios_per_s']:.0f} scenarios/s, "
                                         f"{figures['turns_per_s']:.0f} turns/s)")
    table.add_row("scenarios passed", f"{passed}/{len(results)}")
    table.add_row("engine overhead per turn, median", f"{figures['engine_turn_median_ms']:.3f} ms")
    table.add_row("engine overhead per turn, p95", f"{figures['engine_turn_p95_ms']:.3f} ms")
    table.add_row("whole turn incl. httpx+respx, median", f"{figures['turn_median_ms']:.3f} ms")
    console.print(table)
    return figures
