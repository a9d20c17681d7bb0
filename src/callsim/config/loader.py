"""Validate a YAML document against a model, turning pydantic's errors into `file:line:col` ones."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from callsim.config.misindented import line_to_fix
from callsim.config.yaml_positions import Document, PathKey, parse_document, parses, read_text
from callsim.errors import MAX_REPORTED, ConfigError, ConfigErrors, UsageError, at_most
from callsim.files import excerpt
from callsim.suggest import closest, did_you_mean

M = TypeVar("M", bound=BaseModel)


def load_model(model: type[M], path: Path, display: str | None = None) -> tuple[M, Document]:
    """Read `path` and validate it as `model`; raise ConfigErrors listing every problem found."""
    name = display or str(path)
    try:
        text = read_text(path, name)
    except ConfigError as problem:
        raise ConfigErrors([problem]) from None
    doc = parse_yaml(text, name, lambda data: model)
    return validate_document(model, doc), doc


def parse_yaml(text: str, name: str, model_for: Callable[[Any], type[BaseModel] | None]) -> Document:
    """Parse a file's text; a YAML error that one misindented line explains is reported at that line
    (the repaired text must validate as `model_for(its data)`)."""
    try:
        return parse_document(text, name)
    except ConfigError as problem:
        misread = problem.problem.startswith(("invalid YAML", "duplicate key"))  # not a limit or a character
        raise ConfigErrors([misread and _one_line_to_fix([problem], text, name, model_for) or problem]) from None


def validate_document(model: type[M], doc: Document) -> M:
    """Validate an already read document as `model`."""
    if not isinstance(doc.data, dict):
        found = "an empty file" if doc.data is None else _WORDS.get(type(doc.data), "a single value")
        raise ConfigErrors([ConfigError(f"expected a mapping at the top level, found {found}",
                                        doc.position(()), f"start with '{_first_field(model)}: ...'")])
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        items = _without_misspelt_missing(error.errors(include_url=False))
        explained = [_explain(model, doc, item) for item in items[:MAX_REPORTED + 1]]
        fix = _one_line_to_fix(explained, doc.text, doc.file, lambda data: model, total=len(items))
        raise ConfigErrors([fix] if fix else at_most(explained, total=len(items))) from None


def _one_line_to_fix(errors: list[ConfigError], text: str, name: str,
                     model_for: Callable[[Any], type[BaseModel] | None], total: int = 1) -> ConfigError | None:
    """One error at the line to fix in place of `errors` (the first of `total`), when re-indenting that one
    line alone makes the file valid as `model_for(its data)` (see config/misindented.py)."""

    def valid(tried: str, line: int) -> bool:
        if not parses(tried):  # most tries are not YAML, and libyaml alone says so fastest
            return False
        try:
            doc = parse_document(tried, name)
        except ConfigError:
            return False
        model = model_for(doc.data)
        if model is None or not isinstance(doc.data, dict):
            return False
        try:
            model.model_validate(doc.data)
        except ValidationError:
            return False
        return all(_declared(model, doc, path) for path, (at, _) in doc.key_positions.items() if at == line)

    return line_to_fix(errors, text, name, valid, total)


def _declared(model: type[BaseModel], doc: Document, path: PathKey) -> bool:
    """Whether the key at `path` is a field its model names, or the name of an entry the model then checks
    (an action, a variable): not a key of free-form data (a JSON body, headers), where any key fits."""
    node = _schema_at(model, doc, path[:-1])
    extra = node.get("additionalProperties")
    return path[-1] in node.get("properties", {}) or (
        isinstance(extra, dict) and any(key in extra for key in ("$ref", "properties", "oneOf", "anyOf")))


def validate_data(model: type[M], data: dict[str, Any], where: str) -> M:
    """Validate the arguments of a Python call (`where`, e.g. `callsim.call()`) as `model`, with the same
    messages as a file gets, and keywords named as keywords; raise UsageError."""
    try:
        return validate_document(model, Document(where, data))
    except ConfigErrors as problem:
        lines = [f"{where}: {error.problem.replace('unknown field', 'unknown keyword')}"
                 + (f"; {error.hint}" if error.hint else "") for error in problem.errors]
        raise UsageError("\n".join(lines)) from None


def _without_misspelt_missing(items: list[Any]) -> list[Any]:
    """Drop "missing field 'greeting'" when the same mapping has an unknown 'greting': the
    did-you-mean on the misspelt key already says everything."""
    unknown = [(tuple(i["loc"][:-1]), str(i["loc"][-1])) for i in items if i["type"] == "extra_forbidden"]

    def misspelt(item: Any) -> bool:
        parent, name = tuple(item["loc"][:-1]), str(item["loc"][-1])
        return any(p == parent and closest(u, [name]) for p, u in unknown)

    return [i for i in items if not (i["type"] == "missing" and misspelt(i))]


_WORDS = {str: "plain text", int: "a number", float: "a number", bool: "true/false", list: "a list"}


def _first_field(model: type[BaseModel]) -> str:
    for name, info in model.model_fields.items():
        if info.is_required():
            return info.alias or name
    return next(iter(model.model_fields), "key")


def _data_path(doc: Document, loc: tuple[Any, ...]) -> PathKey:
    """Map pydantic's loc (which includes union tags) onto the path of the data it points at."""
    node, path = doc.data, []
    for part in loc:
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
            path.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and part in node:  # a number key (YAML's `404:`); positions key it as text
            node = node[part]
            path.append(str(part))
    return tuple(path)


def _dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _explain(model: type[BaseModel], doc: Document, item: dict[str, Any]) -> ConfigError:
    loc, kind, msg = tuple(item["loc"]), item["type"], item["msg"]
    path = _data_path(doc, loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_keys(model, doc, path[:-1])
        hint = did_you_mean(name, allowed) or (
            _indented_too_far(model, doc, path, name)
            or (f"expected one of: {', '.join(sorted(allowed))}" if allowed else "remove it"))
        where = _dotted(path[:-1])
        return ConfigError(f"unknown field '{name}'" + ("" if where == "(top level)" else f" in {where}"),
                           doc.position(path, key=True), hint)
    if kind == "missing":
        name = str(loc[-1])
        return ConfigError(f"missing required field '{name}'" + _in(path), doc.position(path, key=True),
                           f"add '{name}: ...'")
    if kind == "union_tag_invalid":
        ctx = item.get("ctx", {})
        return ConfigError(f"unknown action type {ctx.get('tag')!r}", doc.position((*path, "type")),
                           _among_choices(ctx.get("tag"), str(ctx.get("expected_tags", "")))
                           or f"expected one of: {ctx.get('expected_tags', '')}")
    if kind == "union_tag_not_found":
        return ConfigError(f"missing 'type'{_in(path)}", doc.position(path, key=True),
                           "add 'type: http' (or another action type)")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    field = _dotted(path)
    value = item.get("input")
    shown = f" (got {excerpt(value) if isinstance(value, str) else repr(value)})" \
        if isinstance(value, (str, int, float, bool)) and kind != "value_error" and "secrets" not in path else ""
    hint = _among_choices(value, str(item.get("ctx", {}).get("expected", ""))) if kind in ("literal_error", "enum") \
        else ""
    return ConfigError(f"{field}: {msg[0].lower() + msg[1:] if msg else msg}{shown}",
                       doc.position(path, key=loc[-1:] == ("[key]",)), hint or _expected(kind))


def _among_choices(value: Any, expected: str) -> str:
    """'did you mean 'digits'?' when `value` is close to one of the quoted choices pydantic lists in
    `expected` ("'text', 'digits' or 'when'"), else ''."""
    if not isinstance(value, str):
        return ""
    return did_you_mean(value, re.findall(r"'([^']*)'", expected))


def _indented_too_far(model: type[BaseModel], doc: Document, path: PathKey, name: str) -> str:
    """A hint when an unknown key is a field of a mapping further out: the usual cause is its line
    indented under the field before it (`save:` written inside `request:`)."""
    for depth in range(len(path) - 2, -1, -1):
        if name not in _allowed_keys(model, doc, path[:depth]):
            continue
        owner = _dotted(path[:depth])
        return (f"'{name}' is a field of {owner}, not of {_dotted(path[:-1])}: "
                f"indent it as far as the other fields of {owner}" if depth else
                f"'{name}' is a top-level field: start its line at the left margin")
    return ""


def _in(path: PathKey) -> str:
    return "" if not path else f" in {_dotted(path)}"


def _expected(kind: str) -> str:
    return {
        "string_type": "expected text",
        "int_parsing": "expected a whole number",
        "int_type": "expected a whole number",
        "bool_parsing": "expected true or false",
        "bool_type": "expected true or false",
        "list_type": "expected a list ([a, b] or '- a' lines)",
        "dict_type": "expected a mapping (key: value lines)",
        "model_type": "expected a mapping (key: value lines)",
        "datetime_from_date_parsing": "expected an ISO 8601 date-time such as 2026-11-30T15:00:00-05:00",
        "datetime_parsing": "expected an ISO 8601 date-time such as 2026-11-30T15:00:00-05:00",
    }.get(kind, "")


def _allowed_keys(model: type[BaseModel], doc: Document, path: PathKey) -> list[str]:
    """The keys allowed at `path`, found by walking the model's JSON Schema along the data."""
    return list(_schema_at(model, doc, path).get("properties", {}))


def _schema_at(model: type[BaseModel], doc: Document, path: PathKey) -> dict[str, Any]:
    """The part of the model's JSON Schema that describes the data at `path`."""
    schema = _schema(model)
    node: dict[str, Any] = schema
    data: Any = doc.data
    for part in path:
        node = _resolve(schema, node, data)
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            props = node.get("properties", {})
            node = props.get(part) or (node.get("additionalProperties") if isinstance(node.get("additionalProperties"), dict) else {})
        data = _part(data, part)
    return _resolve(schema, node, data)


def _part(data: Any, part: str | int) -> Any:
    """`data[part]`, where a number key (YAML's `404:`) is found by its text too; None when absent."""
    if isinstance(data, list):
        return data[part] if isinstance(part, int) and -len(data) <= part < len(data) else None
    if isinstance(data, dict):
        return data[part] if part in data else next((v for k, v in data.items() if str(k) == part), None)
    return None


def _resolve(root: dict[str, Any], node: dict[str, Any], data: Any) -> dict[str, Any]:
    for _ in range(8):
        if "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "oneOf" in node or "anyOf" in node:
            options = [_resolve(root, o, data) for o in node.get("oneOf") or node.get("anyOf")]
            arrays = [o for o in options if o.get("type") == "array"]
            objects = [o for o in options if o.get("type") == "object" or "properties" in o]
            if arrays and (isinstance(data, list) or not objects):
                # a list, or a one-item shorthand of a list (`expect: {agent_said: ...}`)
                node = arrays[0] if isinstance(data, list) else _resolve(root, arrays[0].get("items", {}), data)
                continue
            tag = data.get("type") if isinstance(data, dict) else None
            chosen = next((o for o in objects if o.get("properties", {}).get("type", {}).get("const") == tag), None)
            node = chosen or (objects[0] if objects else {})
        else:
            return node
    return node


@lru_cache(maxsize=None)
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(by_alias=True)
