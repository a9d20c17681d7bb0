"""Plain placeholder templates rendered without jinja: literal text, `{{ a.b }}` and `{{ a | default("x") }}`.

Most templates (a URL with an order number, a header with the caller's number, "Order {{ n }} is
{{ status }}.") are just that, and jinja's per-render context costs more than the rest of a turn.
Such a template becomes a list of literal parts and paths, rendered by a dictionary walk with the
kind's own formatting. Anything else, or any path that is not found in plain mappings, is left to
jinja, so errors and edge cases (a missing variable, a list index) stay exactly as jinja gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from jinja2 import nodes

_NOT_FOUND = object()
Part = tuple[str | None, tuple[str, ...], object]
"""A literal (text, (), None), or a path to look up with its default (None, path, default or _NOT_FOUND)."""


def plain_renderer(tree: nodes.Template, path: Callable[[nodes.Node], str | None],
                   finalize: Callable[[object], str],
                   jinja: Callable[[Mapping[str, object]], str]) -> Callable[[Mapping[str, object]], str] | None:
    """A renderer for `tree` when it is plain (else None); `jinja` renders whatever the walk cannot."""
    parts = _parts(tree, path)
    if parts is None:
        return None

    def render(context: Mapping[str, object]) -> str:
        out = []
        for literal, steps, default in parts:
            if literal is not None:
                out.append(literal)
                continue
            value: object = context
            for step in steps:
                if not isinstance(value, Mapping) or step not in value:
                    value = _NOT_FOUND
                    break
                value = value[step]
            if value is _NOT_FOUND:
                if default is _NOT_FOUND:
                    return jinja(context)  # let jinja report the missing variable its own way
                value = default
            out.append(finalize(value))
        return "".join(out)

    return render


def _parts(tree: nodes.Template, path: Callable[[nodes.Node], str | None]) -> list[Part] | None:
    parts: list[Part] = []
    for output in tree.body:
        if not isinstance(output, nodes.Output):
            return None
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                parts.append((node.data, (), None))
                continue
            default: object = _NOT_FOUND
            if isinstance(node, nodes.Filter) and node.name in ("default", "d") and node.node is not None:
                if (len(node.args) != 1 or not isinstance(node.args[0], nodes.Const) or node.kwargs
                        or node.dyn_args or node.dyn_kwargs):
                    return None
                default, node = node.args[0].value, node.node
            found = path(node) if isinstance(node, (nodes.Name, nodes.Getattr)) else None
            if found is None:
                return None
            parts.append((None, tuple(found.split(".")), default))
    return parts
