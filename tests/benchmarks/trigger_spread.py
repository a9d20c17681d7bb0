"""Phrases said with words inside them: what the rule catches, and what it fires that it should not.

    .venv/bin/python tests/benchmarks/trigger_spread.py          # counts
    .venv/bin/python tests/benchmarks/trigger_spread.py --list   # also every turn the rule fires on

A trigger phrase also matches when the caller puts a few words inside it ("pick up Mia Chen early" for
"pick up early"; `callsim.engine.triggers`, `MAX_INSERTED`, `MAX_SPREAD`). This script runs lexical
matching (no meaning) with and without that rule over:

- the paraphrase sets of the meaning benchmark (tests/benchmarks/semantic_sets/): requests no phrase
  spells out (how many more reach their action, how many a wrong one), and the sentences that must fire
  nothing: `none` (greetings, answers, small talk), `off_topic` (requests for what the agent does not do)
  and `keyword_traps` (an action's word said in passing);
- every caller turn of the example scenarios and the held-out callers sets, through its own agent's
  triggers: the turns whose actions change (`--list` prints them to judge by eye: no labels exist).

Counts only; no timing (the rule runs on the few phrases all of whose words a turn says, see
`callsim bench` for the per-turn cost).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import yaml

from callsim.config.project import load_project
from callsim.engine.triggers import TriggerIndex

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "tests" / "benchmarks" / "semantic_sets"
CALLERS = [ROOT / "scenarios", ROOT / "tests" / "benchmarks" / "callers_heldout"]


@contextmanager
def without_spread():
    """Lexical matching as it was before the rule: no phrase said with words inside it."""
    kept = TriggerIndex._spread
    TriggerIndex._spread = lambda self, *args: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        TriggerIndex._spread = kept  # type: ignore[method-assign]


def fired(index: TriggerIndex, text: str) -> list[str]:
    return [m.action for m in index.match_turn(text, {})]


def semantic_sets(show: bool) -> None:
    from callsim.config.actions import ActionLibrary

    totals = {key: [0, 0, 0] for key in ("request right", "request wrong", "quiet fired")}
    quiet_total = requests_total = 0
    for path in sorted(SETS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        actions = {name: {"type": "http", "trigger": trigger, "request": {"url": "https://x.test/"}}
                   for name, trigger in data["actions"].items()}
        library = ActionLibrary.model_validate({"actions": actions})
        index = TriggerIndex.build(library.actions, list(library.actions))
        quiet = data.get("none", []) + data.get("off_topic", []) + [
            item if isinstance(item, str) else item[-1] for item in data.get("keyword_traps", [])]
        quiet_total += len(quiet)
        requests_total += len(data.get("requests", []))
        for column, context in enumerate((without_spread, _nothing)):
            with context():
                for action, text in data.get("requests", []):
                    got = fired(index, text)
                    totals["request right"][column] += bool(got) and got[0] == action
                    totals["request wrong"][column] += bool(got) and got[0] != action
                    if show and column == 1 and got:
                        with without_spread():
                            before = fired(index, text)
                        if before != got:
                            print(f"  {path.stem} request ({action}): {text!r} -> {got}")
                for text in quiet:
                    got = fired(index, text)
                    totals["quiet fired"][column] += bool(got)
                    if show and column == 1 and got:
                        with without_spread():
                            before = fired(index, text)
                        if before != got:
                            print(f"  {path.stem} QUIET FIRED: {text!r} -> {got}")
    print(f"semantic sets: {requests_total} requests no phrase spells out, {quiet_total} sentences that must fire nothing")
    for key, (before, after, _) in totals.items():
        print(f"  {key:14} before {before:4}  after {after:4}")


@contextmanager
def _nothing():
    yield


def callers_sets(show: bool) -> None:
    changed = turns = 0
    for root in CALLERS:
        for agent_path in sorted(root.rglob("agent.yaml")):
            try:
                project = load_project(agent_path)
            except Exception:  # an agent this script cannot load alone (e.g. one needing secrets) is skipped
                continue
            index = TriggerIndex.build(project.actions, project.agent.actions)
            said: list[str] = []
            for scenario in sorted(agent_path.parent.glob("*.yaml")):
                try:
                    data = yaml.safe_load(scenario.read_text())
                except yaml.YAMLError:  # the examples of broken files
                    continue
                if not isinstance(data, dict) or "turns" not in data:
                    continue
                said += [turn["caller"] for turn in data["turns"]
                         if isinstance(turn, dict) and isinstance(turn.get("caller"), str)]
            for text in dict.fromkeys(said):
                turns += 1
                after = fired(index, text)
                with without_spread():
                    before = fired(index, text)
                if before != after:
                    changed += 1
                    if show:
                        where = agent_path.parent.relative_to(ROOT)
                        print(f"  {where}: {text!r}: {before} -> {after}")
    print(f"callers sets (scenarios/ and callers_heldout/): {turns} distinct caller turns, "
          f"{changed} fire other actions with the rule")


def main() -> None:
    show = "--list" in sys.argv
    semantic_sets(show)
    callers_sets(show)


if __name__ == "__main__":
    main()
