"""The README's YAML examples are valid as written, and its example scenario passes against the agent it
names (`scenarios/acme/`): a new user copies them first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from callsim import load_project, load_scenario
from callsim.config.agent import AgentConfig
from callsim.config.scenario import ScenarioConfig
from callsim.runner import run_scenario

REPO = Path(__file__).resolve().parents[1]
BLOCKS = [(text[: match.start()].count("\n") + 2, match.group(1))
          for text in [(REPO / "README.md").read_text(encoding="utf-8")]
          for match in re.finditer(r"```yaml\n(.*?)```", text, re.S)]


def _kind(data: dict) -> str:
    """What a README block is: a whole file, or a part of an agent, a scenario or an action library."""
    if "scenario" in data:
        return "scenario"
    if "suite" in data:
        return "suite"
    if all(isinstance(value, dict) and "type" in value for value in data.values()):
        return "actions"
    fields = {f.alias or name for name, f in AgentConfig.model_fields.items()}
    if set(data) <= fields:
        return "agent part"
    fields = {f.alias or name for name, f in ScenarioConfig.model_fields.items()}
    assert set(data) <= fields, f"a README block that is no callsim file nor part of one: {sorted(data)}"
    return "scenario part"


def _copy(project: str, to: Path) -> Path:
    """A copy of an example project's agent, library and server (paths in files stay inside `to`)."""
    for name in ("agent.yaml", "actions.yaml", "app.py"):
        if (REPO / "scenarios" / project / name).exists():
            shutil.copy(REPO / "scenarios" / project / name, to / name)
    (to / "pyproject.toml").write_text("")
    return to


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """A copy of the acme example project (the agent the README's scenario names)."""
    return _copy("acme", tmp_path)


def _scenario() -> str:
    [text] = [text for _, text in BLOCKS if "scenario" in yaml.safe_load(text)]
    return text


def test_the_readme_has_its_examples():
    assert len(BLOCKS) >= 5
    assert {_kind(yaml.safe_load(text)) for _, text in BLOCKS} >= {"scenario", "actions", "agent part", "suite"}


def test_the_readme_scenario_passes_against_the_agent_it_names(acme):
    (acme / "readme.yaml").write_text(_scenario())

    result = run_scenario(load_scenario(acme / "readme.yaml"))

    assert not result.errors and not result.failures, [str(f.failure.instead) for f in result.failures] + [
        e.message for e in result.errors]


@pytest.mark.parametrize(("line", "text"), BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_each_readme_yaml_block_is_valid(tmp_path, monkeypatch, line, text):
    """Each block in the file it belongs to: a whole file as it is, a part added to the example it is from
    (with the secrets it reads in the environment, as a user's shell would have them)."""
    for name in re.findall(r"secrets\.(\w+)", text):
        monkeypatch.setenv(name, "test-value-from-the-environment")
    data = yaml.safe_load(text)
    kind = _kind(data)
    project = _copy("webhooks" if kind == "scenario part" else "acme", tmp_path)
    scenario = _scenario()
    if kind == "scenario":
        scenario = text
    elif kind == "suite":
        (project / "suite.yaml").write_text(text)
    elif kind == "actions":  # the README's version of an action replaces the example's
        library = (project / "actions.yaml").read_text()
        for name in data:
            library = re.sub(rf"\n  {name}:\n(    .*\n|\s*\n)*", "\n", library)
        indented = "".join(f"  {row}\n" if row.strip() else "\n" for row in text.splitlines())
        (project / "actions.yaml").write_text(library.rstrip("\n") + "\n\n" + indented)
    elif kind == "agent part":
        agent = (project / "agent.yaml").read_text()
        assert not set(data) & set(yaml.safe_load(agent.replace("?}", "}"))), "the example has this part already"
        (project / "agent.yaml").write_text(agent + text)
    else:
        scenario = f"scenario: the README's {', '.join(data)}\nagent: agent.yaml\n{text}turns:\n  - caller: hi\n"
    (project / "readme.yaml").write_text(scenario)

    load_project(project / "agent.yaml")
    load_scenario(project / "readme.yaml")
