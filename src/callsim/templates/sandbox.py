"""The jinja side of placeholders: the sandbox templates and conditions run in, and what a parsed template reads.

Only a template beyond plain `{{ a.b }}` (a filter, a test, control flow, an expression), an `if:`
condition, or an error that only jinja words exactly, needs it: this module (and jinja, about a tenth of
a one-file run's start-up) is imported when the first one is compiled (see callsim.templates.plain).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import jinja2
from jinja2 import nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from callsim.templates.limits import (LOOP_BUDGET, bounded_concat, check_arguments, check_binop, check_growth,
                                      checked, counted_turns)
from callsim.templates.values import FINALIZE


class Unresolved(jinja2.UndefinedError):
    """A missing variable was used; carries it so the full dotted name can be reported."""

    def __init__(self, undefined: _Missing) -> None:
        super().__init__(f"{undefined._undefined_name!r} is undefined")
        self.undefined = undefined


class _Missing(jinja2.ChainableUndefined, jinja2.StrictUndefined):
    """A missing variable: `.attr` chains on (see _Sandbox) so `default` and `is defined` see it; any other use fails."""

    __slots__ = ()

    def _child(self, key: object) -> _Missing:
        """`missing.key`, remembering the whole path for the error message."""
        return type(self)(obj=self._undefined_obj, name=f"{self._undefined_name}.{key}")

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        if self._undefined_name is None:
            super()._fail_with_undefined_error()
        raise Unresolved(self)


# Undefined binds its failing operators (`__str__`, `__eq__`, `__add__`, ...) to its own function at
# class creation; point them at the override so every failure carries the missing variable.
for _name in dir(jinja2.StrictUndefined):
    if getattr(jinja2.StrictUndefined, _name) is jinja2.Undefined._fail_with_undefined_error:
        setattr(_Missing, _name, _Missing._fail_with_undefined_error)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox every placeholder runs in; `order.items` on a mapping means its key, not `dict.items`;
    nothing it builds may pass the limits of `callsim.templates.limits`."""

    intercepted_binops = frozenset(["*", "**", "%"])  # also keeps jinja from folding `'x' * 10**9` while compiling

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return checked(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (jinja's names)
        check_arguments([*args, *kwargs.values()])
        receiver = getattr(__obj, "__self__", None)
        if isinstance(receiver, str):  # `text.replace(a, b)`, `sep.join(items)`
            name = getattr(__obj, "__name__", "")
            check_growth(name, args[0] if name == "join" and args else receiver, (receiver,) if name == "join" else args)
        return checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            check_arguments([value.__self__])  # `'{:>999999999}'.format(x)`: refused before it is built
        return wrapped

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> nodes.Template:
        """The syntax tree, refusing blocks that collect output out of reach of the output limit (`{% set x %}`,
        `{% filter %}`, macros) and counting every loop's turns against one budget per render."""
        tree = super().parse(source, name, filename)
        for node in tree.find_all((nodes.AssignBlock, nodes.FilterBlock, nodes.Macro, nodes.CallBlock)):
            tag = {"AssignBlock": "{% set name %} ... {% endset %} is", "FilterBlock": "{% filter %} is"}.get(
                type(node).__name__, "{% macro %} and {% call %} are")
            raise TemplateSyntaxError(f"{tag} not available in placeholders; write an expression", node.lineno)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, LOOP_BUDGET, [], [], None, None, lineno=loop.lineno)
        return tree

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict or isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        elif isinstance(obj, _Missing):
            return obj._child(attribute)  # never expose the Undefined object's own attributes
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, _Missing):
            return obj._child(argument)
        return super().getitem(obj, argument)

    def unsafe_undefined(self, obj: Any, attribute: str) -> NoReturn:
        # Refuse at once: an unsafe attribute must not quietly become a `default` or `is defined` false.
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")


def _environment(finalize: Callable[[object], str]) -> _Sandbox:
    """A sandbox with strict, chainable undefined and no globals, formatting each value with `finalize`."""
    env = _Sandbox(undefined=_Missing, finalize=finalize, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {name: _bounded(name, run) for name, run in env.filters.items()}
    env.filters[LOOP_BUDGET] = counted_turns
    env.concat = bounded_concat  # type: ignore[method-assign]
    return env


def _bounded(name: str, run: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses to build a value past MAX_RENDERED (its attributes, such as jinja's
    `pass_context` mark, are kept)."""
    passed = getattr(run, "jinja_pass_arg", None) is not None

    @functools.wraps(run)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = args[1:] if passed else args
        check_arguments([*values[1:], *kwargs.values()])
        if values:
            check_growth(name, values[0], values[1:])
            if name == "format":
                check_arguments([values[0]])
        return checked(run(*args, **kwargs))

    return bounded


ENVIRONMENTS: dict[str, _Sandbox] = {"text": _environment(FINALIZE["text"])}
ENVIRONMENTS["json"] = _environment(FINALIZE["json"])
ENVIRONMENTS["header"] = _environment(FINALIZE["header"])
ENVIRONMENTS["url"] = _environment(FINALIZE["url"])
"""The sandbox of each kind of template, formatting values as the kind does."""


# ---- which variables a template reads -------------------------------------------------------


def _path(node: nodes.Node) -> str | None:
    """The dotted path of `a.b["c"][0]`, or None when a step is computed or the root is not a name."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(
            node.arg.value, (str, int)
        ):
            parts.append(str(node.arg.value))
        elif isinstance(node, nodes.Name) and node.ctx == "load":
            parts.append(node.name)
            return ".".join(reversed(parts))
        else:
            return None
        node = node.node


def _defined_by(test: nodes.Node) -> tuple[set[str], set[str]]:
    """Paths a test proves defined in its true branch and in its false branch."""
    if isinstance(test, nodes.Test) and test.name in ("defined", "undefined"):
        path = _path(test.node)
        proven = {path} if path else set()
        return (proven, set()) if test.name == "defined" else (set(), proven)
    if isinstance(test, nodes.Not):
        when_true, when_false = _defined_by(test.node)
        return when_false, when_true
    if isinstance(test, nodes.And):
        return _defined_by(test.left)[0] | _defined_by(test.right)[0], set()
    return set(), set()


class Reads:
    """Walks a template's syntax tree collecting the dotted paths it reads."""

    def __init__(self) -> None:
        self.required: set[str] = set()
        self.optional: set[str] = set()
        self.bound: set[str] = set()

    def visit(self, node: nodes.Node, guarded: frozenset[str] = frozenset()) -> None:
        """Record the reads under `node`; paths in `guarded` were tested with `is defined`."""
        if isinstance(node, nodes.Name) and node.ctx != "load":
            self.bound.add(node.name)
        elif (path := _path(node)) is not None:
            optional = any(path == g or path.startswith(f"{g}.") for g in guarded)
            (self.optional if optional else self.required).add(path)
        elif isinstance(node, (nodes.Filter, nodes.Test)) and node.name in ("default", "d", "defined", "undefined"):
            if node.node is not None and (path := _path(node.node)) is not None:
                self.optional.add(path)
            elif node.node is not None:
                self.visit(node.node, guarded)
            for child in node.args:
                self.visit(child, guarded)
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            self.visit(node.node.node, guarded)  # `order.keys()` reads `order`, not `order.keys`
            for child in node.iter_child_nodes(exclude=("node",)):
                self.visit(child, guarded)
        elif isinstance(node, (nodes.If, nodes.CondExpr)):
            when_true, when_false = _defined_by(node.test)
            self.visit(node.test, guarded)
            true_part, false_part = (node.body, node.elif_ + node.else_) if isinstance(node, nodes.If) else (
                [node.expr1], [node.expr2] if node.expr2 else []
            )
            for child in true_part:
                self.visit(child, guarded | when_true)
            for child in false_part:
                self.visit(child, guarded | when_false)
        else:
            if isinstance(node, nodes.For):
                self.bound.add("loop")
            for child in node.iter_child_nodes():
                self.visit(child, guarded)

    def names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The required and the optional paths, without names the template binds itself."""
        free = {p for p in self.required | self.optional if p.split(".", 1)[0] not in self.bound}
        required = frozenset(p for p in free if p in self.required)
        return required, frozenset(free - required)


# ---- which secrets a template reads, and whether it transforms them ---------------------------


def _placed_as_is(node: nodes.Node) -> nodes.Name | None:
    """The `secrets` name of an output that is exactly `secrets.NAME` (or `secrets["NAME"]`, or either with
    `default(...)`): the secret's own text lands in the output, where redaction finds it."""
    if isinstance(node, nodes.Filter) and node.name in ("default", "d") and node.node is not None:
        node = node.node
    if isinstance(node, nodes.Getattr):
        root = node.node
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        root = node.node
    else:
        return None
    return root if isinstance(root, nodes.Name) and root.name == "secrets" else None


def secret_use(tree: nodes.Node) -> tuple[frozenset[str], bool]:
    """The secrets a template names, and whether it does anything with one but place it as is: filter it,
    slice it, compare it, loop over it, bind it to another name, read the whole mapping (then its output is
    derived from a secret, in a form no list of encodings can foresee)."""
    reads = [node for node in tree.find_all(nodes.Name) if node.name == "secrets"]
    if not reads:
        return frozenset(), False
    placed = set()
    for output in tree.body if isinstance(tree, nodes.Template) else ():
        if isinstance(output, nodes.Output):
            placed.update(id(name) for name in map(_placed_as_is, output.nodes) if name is not None)
    names = frozenset(path.split(".")[1] for path in _names_under(tree) if path.startswith("secrets."))
    return names, any(id(node) not in placed for node in reads)


def _names_under(tree: nodes.Node) -> set[str]:
    reads = Reads()
    reads.visit(tree)
    return reads.required | reads.optional


# ---- compiling and evaluating ---------------------------------------------------------------


def single_expression(tree: nodes.Template) -> nodes.Expr | None:
    """The expression when a template is exactly one `{{ ... }}`, give or take surrounding whitespace."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output):
        return None
    parts = [n for n in tree.body[0].nodes if not (isinstance(n, nodes.TemplateData) and not n.data.strip())]
    if len(parts) == 1 and not isinstance(parts[0], nodes.TemplateData):
        return parts[0]
    return None


def expression(expr: nodes.Expr) -> TemplateExpression:
    """Compile one parsed expression to a callable that returns its value, as jinja's compile_expression does."""
    body = nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1)
    return TemplateExpression(ENVIRONMENTS["text"].from_string(body), undefined_to_none=False)


def defined(value: object) -> object:
    """`value`, failing when it is a missing variable."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    return value


def parse(source: str, kind: str) -> nodes.Template:
    """The syntax tree of a template in its kind's sandbox; TemplateSyntaxError when it does not parse."""
    return ENVIRONMENTS[kind].parse(source)


def renderer(tree: nodes.Template, kind: str) -> Callable[[Mapping[str, object]], str]:
    """The render function of a parsed template, formatting values as its kind does (an unknown filter or
    test is found here, while generating code: TemplateSyntaxError)."""
    return ENVIRONMENTS[kind].from_string(tree).render


def names(node: nodes.Node) -> tuple[frozenset[str], frozenset[str]]:
    """The dotted paths a template or expression reads: the required ones and the optional ones."""
    reads = Reads()
    reads.visit(node)
    return reads.names()


_MIRRORED = {"lt": "gt", "gt": "lt", "lteq": "gteq", "gteq": "lteq", "eq": "eq", "ne": "ne"}
"""A comparison's operator with its two sides swapped (`100 < total` is `total > 100`)."""


def _literal(node: nodes.Node) -> tuple[bool, object]:
    """(True, the value) of a literal: a constant, a signed number, or a list or tuple of them (a tuple)."""
    if isinstance(node, nodes.Const):
        return True, tuple(node.value) if isinstance(node.value, list) else node.value
    if isinstance(node, (nodes.Neg, nodes.Pos)) and isinstance(node.node, nodes.Const) and isinstance(
            node.node.value, (int, float)) and not isinstance(node.node.value, bool):
        return True, -node.node.value if isinstance(node, nodes.Neg) else node.node.value
    if isinstance(node, (nodes.List, nodes.Tuple)):
        items = [_literal(item) for item in node.items]
        if all(known for known, _ in items):
            return True, tuple(value for _, value in items)
    return False, None


def comparisons(node: nodes.Node) -> tuple[tuple[str, str, object], ...]:
    """(path, operator, literal) of each comparison of a variable with a literal under `node`, the variable
    first: `plan == "pro"`, `100 < total` as `total gt 100`, `status in ["a", "b"]` (the literal a tuple)."""
    found = []
    inner = node.find_all(nodes.Compare)
    for compare in [node, *inner] if isinstance(node, nodes.Compare) else inner:
        sides = [compare.expr, *(operand.expr for operand in compare.ops)]
        for left, operand, right in zip(sides, compare.ops, sides[1:]):
            path, (known, value) = _path(left), _literal(right)
            if path is not None and known:
                found.append((path, operand.op, value))
                continue
            path, (known, value) = _path(right), _literal(left)
            if path is not None and known and operand.op in _MIRRORED:
                found.append((path, _MIRRORED[operand.op], value))
    return tuple(found)

