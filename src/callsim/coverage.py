"""Action coverage: which actions, triggers and fallback branches a suite exercised, and which never; with
matching by meaning, which phrases, descriptions and examples turns reached by meaning, and the turns that got the
agent's fallback with the action meaning came nearest (the sentences to add as that action's `examples:` if that is
what they ask for)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from callsim.config.project import Project
from callsim.runner import ScenarioResult, _triggers
from callsim.trace.timeline import shorten


@dataclass
class AgentCoverage:
    """What one agent's scenarios exercised."""

    project: Project
    actions: Counter[str] = field(default_factory=Counter)
    triggers: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    branches: Counter[tuple[str, str]] = field(default_factory=Counter)
    meanings: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(action, text of the nearest phrase/description/example) -> turns that reached it by meaning."""
    missed: dict[str, str] = field(default_factory=dict)
    """Caller turns that got the fallback after meaning fired nothing -> the nearest action, its score and why."""
    calls: int = 0

    def known_triggers(self) -> list[tuple[str, str, str]]:
        """Every way each attached action can fire, named as its trigger_matched events name it."""
        return _triggers(self.project).ways()

    def known_meanings(self) -> list[tuple[str, str, str]]:
        """Every (action, kind, text) a turn can reach by meaning; none when the agent does not match by meaning."""
        semantic = _triggers(self.project).semantic
        return semantic.ways() if semantic is not None else []

    def known_branches(self) -> list[tuple[str, str]]:
        return [(name, branch) for name, action in self.project.actions.items()
                for branch in action.fallbacks()]


@dataclass
class Coverage:
    """Coverage over a whole run, per agent."""

    agents: dict[str, AgentCoverage] = field(default_factory=dict)

    def add(self, result: ScenarioResult) -> None:
        project = result.scenario.project
        key = str(project.agent_file.resolve())
        agent = self.agents.setdefault(key, AgentCoverage(project))
        agent.calls += 1
        said, near = "", ""
        for event in result.trace.events:
            kind = event.type
            if kind == "caller_said":
                said, near = event.text, ""  # type: ignore[attr-defined]
            elif kind == "meaning_unmatched":
                near = (f"nearest {event.action} {event.score:.3f}, "  # type: ignore[attr-defined]
                        f"{event.why.rsplit(': ', 1)[-1]}")  # type: ignore[attr-defined]
            elif kind == "agent_said" and event.reason == "fallback" and near:  # type: ignore[attr-defined]
                agent.missed.setdefault(said, near)
            if kind == "action_started":
                agent.actions[event.action] += 1  # type: ignore[attr-defined]
            elif kind == "trigger_matched":
                agent.triggers[(event.action, event.by, event.detail)] += 1  # type: ignore[attr-defined]
                if event.by == "semantic":  # type: ignore[attr-defined]
                    agent.meanings[(event.action, event.detail)] += 1  # type: ignore[attr-defined]
            elif kind == "fallback_taken":
                agent.branches[(event.action, event.branch)] += 1  # type: ignore[attr-defined]

    def report_lines(self) -> list[str]:
        lines = []
        for agent in self.agents.values():
            project = agent.project
            actions = project.agent.actions
            ran = [a for a in actions if agent.actions[a]]
            triggers = agent.known_triggers()
            hit = [t for t in triggers if agent.triggers[t]]
            branches = agent.known_branches()
            taken = [b for b in branches if agent.branches[b]]
            meanings = agent.known_meanings()
            reached = [m for m in meanings if agent.meanings[(m[0], m[2])]]
            by_meaning = f", reached by meaning {len(reached)}/{len(meanings)}" if meanings else ""
            lines.append(f"{project.agent.agent} ({project.agent_file}, {agent.calls} calls): "
                         f"actions {len(ran)}/{len(actions)}, triggers {len(hit)}/{len(triggers)}{by_meaning}, "
                         f"fallback branches {len(taken)}/{len(branches)}")
            for name in actions:
                if not agent.actions[name]:
                    lines.append(f"  never ran: action {name}")
            for action, by, detail in triggers:
                if not agent.triggers[(action, by, detail)]:
                    lines.append(f"  never matched: {action} {by} {detail!r}")
            for action, kind, text in reached:
                turns = agent.meanings[(action, text)]
                lines.append(f"  reached by meaning: {action} {kind} {text!r} ({turns} turn{'s' if turns != 1 else ''})")
            for action, kind, text in meanings:
                if kind in ("description", "example") and not agent.meanings[(action, text)]:
                    lines.append(f"  never reached by meaning: {action} {kind} {text!r}")
            for action, branch in branches:
                if not agent.branches[(action, branch)]:
                    lines.append(f"  never taken: {action}.{branch}")
            for said, near in agent.missed.items():
                lines.append(f"  fallback, meaning fired nothing: {shorten(said, 200)!r} ({near})")
        return lines
