"""The plain objects a call runs on are their models' twins: same fields, set fields, shape, dumps and equality.

A run plays its call on callsim.config.plain's objects, never on the pydantic models they were validated by;
any difference between the two would make a run do something its validation did not promise, silently.
"""

from __future__ import annotations

import itertools
import pickle
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from callsim.config import plain_table
from callsim.config.actions import ActionLibrary
from callsim.config.agent import AgentConfig
from callsim.config.loader import load_model
from callsim.config.plain import PLAIN, PlainModel, to_model, to_plain
from callsim.config.project import load_scenario
from callsim.config.scenario import Expectation, ScenarioConfig, Turn
from callsim.config.yaml_positions import read_document
from callsim.discover import kind_of, yaml_files

ROOT = Path(__file__).resolve().parents[2]
MODEL_OF_KIND = {"scenario": ScenarioConfig, "agent": AgentConfig, "actions": ActionLibrary}


def test_the_table_of_plain_fields_is_generated_from_the_models_as_they_are() -> None:
    written = (ROOT / "src/callsim/config/plain_fields.py").read_text(encoding="utf-8")

    assert written == plain_table.source(), "a model changed: run python -m callsim.config.plain_table"


def _own_attributes(model: type[BaseModel]) -> dict[str, Any]:
    """What a model class defines beyond its fields and validators, in callsim's classes of its hierarchy."""
    decorators = model.__pydantic_decorators__
    validators = {*decorators.field_validators, *decorators.model_validators, *decorators.field_serializers,
                  *decorators.model_serializers}
    found = {}
    for cls in model.__mro__:
        if not cls.__module__.startswith("callsim.") or cls.__module__.startswith("callsim.config.shapes."):
            continue
        for name, value in vars(cls).items():
            if name.startswith("__") or name in model.model_fields or name in validators or name == "model_config":
                continue
            if name in ("model_fields", "model_computed_fields", "model_post_init"):
                continue
            found.setdefault(name, value)
    return found


@pytest.mark.parametrize("model", plain_table.models(), ids=lambda model: model.__name__)
def test_a_model_does_nothing_its_plain_twin_cannot(model: type[BaseModel]) -> None:
    """Methods, properties and class constants live in the shape both inherit; only validators stay."""
    own = {name for name in _own_attributes(model) if not name.startswith("_")}
    twin = PLAIN[model.__name__]

    assert not own, f"{model.__name__} defines {sorted(own)} outside its shape (callsim.config.shapes): move them there"
    assert list(twin.model_fields) == list(model.model_fields)
    assert [base for base in model.__mro__ if base.__module__.startswith("callsim.config.shapes.")] == \
        [base for base in twin.__mro__ if base.__module__.startswith("callsim.config.shapes.")]


def _models_in(value: Any) -> list[BaseModel]:
    found: list[BaseModel] = []
    if isinstance(value, BaseModel):
        found.append(value)
        value = [getattr(value, name) for name in type(value).model_fields]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for item in value:
            found.extend(_models_in(item))
    return found


def _every_model_instance() -> list[BaseModel]:
    found = []
    for file in yaml_files([ROOT / "scenarios"]):
        doc = read_document(file)
        model = MODEL_OF_KIND.get(kind_of(doc.data))
        if model is not None and file.name != "suite.yaml":
            found.extend(_models_in(load_model(model, file)[0]))
    return found


INSTANCES = _every_model_instance()
DUMPS = [dict(zip(("by_alias", "exclude_unset", "exclude_none", "exclude_defaults"), flags))
         for flags in itertools.product((False, True), repeat=4)]


def test_the_scenarios_folder_has_an_instance_of_most_models() -> None:
    """The checks below are as good as the variety they run on."""
    assert len({type(item).__name__ for item in INSTANCES}) >= 40


def test_every_plain_object_dumps_as_its_model_does() -> None:
    for model in INSTANCES:
        twin = to_plain(model)
        for flags in DUMPS:
            assert twin.model_dump(**flags) == model.model_dump(**flags), (type(model).__name__, flags)


def test_every_plain_object_has_its_models_set_fields_equality_and_repr() -> None:
    for model in INSTANCES:
        twin = to_plain(model)
        assert type(twin).__name__ == type(model).__name__
        assert twin.model_fields_set == model.model_fields_set
        assert repr(twin) == repr(model)
        assert twin == to_plain(model.model_copy())
        assert twin != to_plain(model.model_copy(update={next(iter(type(model).model_fields)): object()}))
        assert to_model(twin) == model and twin == model and model == twin
        if isinstance(model, (Turn, Expectation)):
            assert twin.kind == model.kind


def test_a_plain_object_pickles_and_keeps_which_fields_were_set() -> None:
    turn = to_plain(Turn.model_validate({"caller": "hi", "barge_in": "2s"}))

    again = pickle.loads(pickle.dumps(turn))

    assert again == turn and again.model_fields_set == {"caller", "barge_in"}
    assert again.kind == "caller"  # with barge_in set too: the kind is the key that is not a modifier


def test_an_object_met_twice_becomes_one_plain_object() -> None:
    said = Expectation(agent_said="hello")
    turns = to_plain([Turn(expect=[said]), Turn(expect=[said])])

    assert turns[0].expect[0] is turns[1].expect[0]


def test_model_copy_and_construction_count_fields_as_set_as_pydantic_does() -> None:
    made = PLAIN["Expectation"](evaluation={"quality": PLAIN["EvaluationExpectation"](passed=True)})
    model = Expectation(evaluation={"quality": {"passed": True}})

    assert made == to_plain(model) and made.model_fields_set == model.model_fields_set == {"evaluation"}
    copied = made.model_copy(update={"agent_said": "hi"})
    assert copied.model_fields_set == model.model_copy(update={"agent_said": "hi"}).model_fields_set
    assert made.agent_said is None  # the original is left alone


def test_validating_through_a_plain_class_gives_a_plain_object() -> None:
    from pydantic import ValidationError

    assert PLAIN["Expectation"].model_validate({"agent_said": "hi"}) == PLAIN["Expectation"](agent_said="hi")
    with pytest.raises(ValidationError):
        PLAIN["Expectation"].model_validate({"agent_said": ""})


def test_a_loaded_scenario_runs_on_plain_objects() -> None:
    scenario = load_scenario(ROOT / "scenarios/acme/order_status_spoken_digits.yaml")

    assert isinstance(scenario.config, PlainModel) and isinstance(scenario.project.agent, PlainModel)
    assert all(isinstance(action, PlainModel) for action in scenario.project.actions.values())
    assert all(isinstance(rule.expectation, PlainModel) for rule in scenario.suite)
