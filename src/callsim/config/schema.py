"""JSON Schemas of callsim's files, for editors (e.g. VS Code's YAML extension)."""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

from pydantic import BaseModel

from callsim.config.actions import ActionLibrary
from callsim.config.agent import AgentConfig
from callsim.config.report import EndOfCallReport
from callsim.config.scenario import ScenarioConfig
from callsim.config.suite import SuiteConfig
from callsim.config.types import Model

MODELS: dict[str, type[BaseModel]] = {"agent": AgentConfig, "actions": ActionLibrary, "scenario": ScenarioConfig,
                                      "suite": SuiteConfig}
"""The files users write."""
PAYLOADS: dict[str, type[BaseModel]] = {"webhook": EndOfCallReport}
"""What callsim sends: the end-of-call report an agent's webhook receives."""


def json_schema(kind: str = "all") -> dict[str, Any]:
    """The schema of one file kind, or with `all` one schema that accepts any of them."""
    docs = _field_docs()
    if kind != "all":
        model = {**MODELS, **PAYLOADS}[kind]
        schema = model.model_json_schema(by_alias=True)
        _describe(schema, docs.get(model.__name__, {}))
        for name, definition in schema.get("$defs", {}).items():
            _describe(definition, docs.get(name, {}))
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"callsim {kind} file" if kind in MODELS else "callsim end-of-call report (webhook payload)"
        return schema
    defs: dict[str, Any] = {}
    options = []
    for name, model in MODELS.items():
        schema = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        options.append({"$ref": f"#/$defs/{model.__name__}"})
    for name, definition in defs.items():
        _describe(definition, docs.get(name, {}))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "callsim file",
            "anyOf": options, "$defs": defs}


def _describe(schema: dict[str, Any], docs: dict[str, str]) -> None:
    """Give each property of a model's schema its field's docstring (unless it has a description)."""
    for name, prop in schema.get("properties", {}).items():
        if name in docs and isinstance(prop, dict):
            prop.setdefault("description", docs[name])


def _field_docs() -> dict[str, dict[str, str]]:
    """Every file-format model's field docstrings, by model name and then by the field's key in files."""
    found: dict[str, dict[str, str]] = {}
    pending = [Model]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        docs: dict[str, str] = {}
        for cls in reversed(model.__mro__):  # a field redefined in a subclass keeps the subclass's words
            if issubclass(cls, Model):
                docs.update(attribute_docstrings(cls))
        found[model.__name__] = {(info.alias or name): docs[name] for name, info in model.model_fields.items()
                                 if name in docs}
    return found


def attribute_docstrings(cls: type) -> dict[str, str]:
    """The string literals right under a class's annotated attributes (PEP 257's attribute docstrings)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):  # defined where there is no source (an interactive session)
        return {}
    body = ast.parse(source).body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, following in zip(body, body[1:], strict=False):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs
