"""JSON Schemas of callsim's files, for editors (e.g. VS Code's YAML extension)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from callsim.config.actions import ActionLibrary
from callsim.config.agent import AgentConfig
from callsim.config.scenario import ScenarioConfig

MODELS: dict[str, type[BaseModel]] = {"agent": AgentConfig, "actions": ActionLibrary, "scenario": ScenarioConfig}


def json_schema(kind: str = "all") -> dict[str, Any]:
    """The schema of one file kind, or with `all` one schema that accepts any of them."""
    if kind != "all":
        schema = MODELS[kind].model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"callsim {kind} file"
        return schema
    defs: dict[str, Any] = {}
    options = []
    for name, model in MODELS.items():
        schema = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        options.append({"$ref": f"#/$defs/{model.__name__}"})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "callsim file",
            "anyOf": options, "$defs": defs}
