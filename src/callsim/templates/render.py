"""Placeholders: `{{ name }}` templates compiled once and rendered safely into text, URLs, headers and JSON.

Templates are user-written and trusted; the values they read come from callers and are not. A value
can never change the structure of what it lands in: it is percent-encoded as one component inside a
URL, refused if it would break a header line, and inserted into JSON as a value, never as JSON text.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal, NoReturn, Protocol, cast
from urllib.parse import quote, urlsplit

import jinja2
from jinja2 import nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from callsim.templates.limits import (LOOP_BUDGET, bounded_concat, check_arguments, check_binop, check_growth,
                                      check_source, checked, counted_turns, loop_budget)
from callsim.templates.plain import plain_renderer
from callsim.errors import CallsimError, MissingSecret, MissingVariable, TemplateError
from callsim.files import excerpt

Kind = Literal["text", "url", "header", "json"]

MAX_HEADER_BYTES = 8 * 1024
# The literal start of a URL template must fix the scheme and host (or be a path on a host set elsewhere).
_FIXED_ORIGIN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+[/?#]|/(?!/)")
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f]")
# RFC 9110 5.5: field-value = visible characters, obs-text, SP and HTAB; as text, no C0 or C1 control, DEL
# or lone surrogate (one cannot be encoded at all)
_NOT_IN_FIELD_VALUE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


class _Unresolved(jinja2.UndefinedError):
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
        raise _Unresolved(self)


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


def _number(value: float) -> str:
    """A float as people write it: 5.0 as "5"."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else str(value)


def _spoken(value: object) -> str:
    """How a value reads in text: None as "", yes/no, 5.0 as "5", a list as "a, b and c"."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        items = [_spoken(item) for item in value]
        return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else "".join(items)
    return str(value)


def _plain(value: object) -> str:
    """How a value reads in a URL or header: None as "", true/false, 5.0 as "5", a list as "a,b"."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return ",".join(_plain(item) for item in value)
    return str(value)


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


def _url_component(value: object) -> str:
    """A value percent-encoded as one URL component; "." and ".." too, lest they climb the path."""
    text = quote(_plain(value), safe="")
    return text if text.strip(".") else text.replace(".", "%2E")


_FINALIZE: dict[str, Callable[[object], str]] = {"text": _spoken, "json": _spoken, "header": _plain,
                                                 "url": _url_component}
_TEXT = _environment(_spoken)
_ENVIRONMENTS: dict[str, _Sandbox] = {
    "text": _TEXT,
    "json": _TEXT,
    "header": _environment(_plain),
    "url": _environment(_url_component),
}


def _at(where: str, message: str) -> str:
    """`message`, prefixed by where it happened when known."""
    return f"{where}: {message}" if where else message


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


class _Reads:
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


class SecretValues(Protocol):
    """What a call's `secrets` mapping does besides giving values: it is told what each template that read
    a secret rendered, so that a transformed secret (`upper`, a slice, `tojson`, ...) is redacted as a
    whole (see `callsim.engine.variables.Secrets`)."""

    def rendered(self, output: object, names: frozenset[str], transformed: bool) -> None: ...


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


def _secret_use(tree: nodes.Node) -> tuple[frozenset[str], bool]:
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
    reads = _Reads()
    reads.visit(tree)
    return reads.required | reads.optional


# ---- compiled templates -----------------------------------------------------------------------


def _single_expression(tree: nodes.Template) -> nodes.Expr | None:
    """The expression when a template is exactly one `{{ ... }}`, give or take surrounding whitespace."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output):
        return None
    parts = [n for n in tree.body[0].nodes if not (isinstance(n, nodes.TemplateData) and not n.data.strip())]
    if len(parts) == 1 and not isinstance(parts[0], nodes.TemplateData):
        return parts[0]
    return None


def _expression(expr: nodes.Expr) -> TemplateExpression:
    """Compile one parsed expression to a callable that returns its value, as jinja's compile_expression does."""
    body = nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1)
    return TemplateExpression(_TEXT.from_string(body), undefined_to_none=False)


def _whole_url(value: object) -> str:
    """A whole URL from one trusted variable: must be one http(s) URL with a host."""
    url = _plain(value)
    if _NOT_IN_URL.search(url):
        raise TemplateError("the URL contains a space, line break or control character")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TemplateError("the value is not an http:// or https:// URL with a host")
    return url


def _header(value: str) -> str:
    """A rendered header value, refused when it holds what RFC 9110 does not allow in a field value (a
    control character: it could end the header line, or be read differently by each proxy) or is oversized."""
    found = _NOT_IN_FIELD_VALUE.search(value)
    if found is not None:
        char = found.group()
        what = " (a line break)" if char in "\r\n" else ""
        raise TemplateError(f"a header value cannot contain the control character U+{ord(char):04X}{what}; "
                            "RFC 9110 allows visible characters, spaces and tabs in one")
    if len(value) > MAX_HEADER_BYTES // 4 and len(value.encode()) > MAX_HEADER_BYTES:
        raise TemplateError(f"a header value cannot be longer than {MAX_HEADER_BYTES} bytes")
    return value


class Template:
    """A placeholder template, compiled once for one kind of destination and rendered per call."""

    __slots__ = ("_evaluate", "_render", "kind", "loops", "names", "optional_names", "secrets", "source",
                 "transforms_secret")

    def __init__(self, source: str, kind: Kind, tree: nodes.Template | None) -> None:
        self.source = source
        self.kind: Kind = kind
        self.names: frozenset[str] = frozenset()
        self.optional_names: frozenset[str] = frozenset()
        self.secrets: frozenset[str] = frozenset()
        """The secrets this template names (`secrets.TOKEN`)."""
        self.transforms_secret = False
        """Whether it does more with a secret than place it as is (see `_secret_use`)."""
        self._evaluate: TemplateExpression | None = None
        self.loops = tree is not None and any(True for _ in tree.find_all(nodes.For))
        render: Callable[[Mapping[str, object]], str] = lambda context: source
        if tree is not None:
            reads = _Reads()
            reads.visit(tree)
            self.names, self.optional_names = reads.names()
            self.secrets, self.transforms_secret = _secret_use(tree)
            render = self._compile(tree)
        self._render = (lambda context: _header(render(context))) if kind == "header" else render

    def _compile(self, tree: nodes.Template) -> Callable[[Mapping[str, object]], str]:
        """The render function for this kind: jinja with the kind's finalize, or one evaluated expression."""
        expr = _single_expression(tree) if self.kind in ("url", "json") else None
        literal_start = re.split(r"\{[{%#]", self.source, maxsplit=1)[0]
        if self.kind == "url" and expr is None and not _FIXED_ORIGIN.match(literal_start):
            raise TemplateError(
                f"URL template {self.source!r}: write the scheme and host literally, e.g. "
                "'https://api.example.com/orders/{{ id }}'; a placeholder may only give the "
                "whole URL, e.g. '{{ routing.url }}'"
            )
        if expr is None:
            jinja = _ENVIRONMENTS[self.kind].from_string(tree).render
            return plain_renderer(tree, _path, _FINALIZE[self.kind], jinja) or jinja
        evaluate = self._evaluate = _expression(expr)
        finish = _whole_url if self.kind == "url" else _spoken
        return lambda context: finish(_defined(evaluate(context)))

    def __repr__(self) -> str:
        return f"Template({self.source!r}, kind={self.kind!r})"

    def render(self, context: Mapping[str, object], where: str = "") -> str:
        """Render with this call's variables; `where` (e.g. "action lookup_order, field url") names the spot in errors."""
        try:
            if self.loops:
                with loop_budget():
                    return self._told(context, checked(self._render(context)))
            return self._told(context, checked(self._render(context)))
        except Exception as error:
            raise self._explain(error, context, where) from None

    def _value(self, context: Mapping[str, object], where: str) -> object:
        """What this template becomes as a JSON leaf: the variable's own value when it is one placeholder."""
        if self._evaluate is None:
            return self.render(context, where)
        try:
            return self._told(context, _json_data(_defined(self._evaluate(context))))
        except Exception as error:
            raise self._explain(error, context, where) from None

    def _told(self, context: Mapping[str, object], output: Any) -> Any:
        """`output`, once the call's secrets were told what a template that reads them rendered."""
        if self.secrets or self.transforms_secret:
            secrets = context.get("secrets")
            if hasattr(secrets, "rendered"):
                cast(SecretValues, secrets).rendered(output, self.secrets, self.transforms_secret)
        return output

    def _explain(self, error: Exception, context: Mapping[str, object], where: str) -> Exception:
        """The callsim error a user sees for a failure while rendering."""
        if isinstance(error, _Unresolved):
            name = self._full_name(error.undefined, context)
            if name.startswith("secrets."):  # a setup error that stops the call, never a fallback
                return MissingSecret(name.split(".", 1)[1], where)
            return MissingVariable(name, where)
        if isinstance(error, CallsimError):
            return TemplateError(_at(where, f"{self.source!r}: {error}"))
        if isinstance(error, SecurityError):
            return TemplateError(_at(where, f"{self.source!r} is not allowed: {error}"))
        if isinstance(error, (jinja2.TemplateError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError)):
            return TemplateError(_at(where, f"{self.source!r} cannot be rendered: {error}"))
        return error

    def _full_name(self, undefined: _Missing, context: Mapping[str, object]) -> str:
        """The dotted name of a missing variable: jinja only knows the key and the mapping it was missing from."""
        name = str(undefined._undefined_name)
        parent = undefined._undefined_obj
        if parent is missing:
            return name
        for path in sorted(self.names | self.optional_names):
            parts = path.split(".")
            value: object = context
            for depth, part in enumerate(parts, 1):
                value = _step(value, part)
                if value is parent:
                    return ".".join([*parts[:depth], name])
        return name


def _step(value: object, part: str) -> object:
    """One step along a dotted path through plain data, or None."""
    if isinstance(value, Mapping):
        return value.get(part)
    if isinstance(value, Sequence) and not isinstance(value, str) and part.isdigit():
        return value[int(part)] if int(part) < len(value) else None
    return None


def _defined(value: object) -> object:
    """`value`, failing when it is a missing variable."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    return value


def _json_data(value: object) -> object:
    """`value` as JSON data: datetimes become ISO 8601 text, sets sorted lists; anything else unknown is refused."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TemplateError(f"{value} is not a JSON number")
        return value
    if isinstance(value, Mapping):
        return {_json_key(key): _json_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_data(item) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [_json_data(item) for item in value]
        try:
            return sorted(items)  # type: ignore[type-var]
        except TypeError:
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TemplateError(f"a value of type {type(value).__name__!r} cannot be sent as JSON")


def _json_key(key: object) -> str:
    """A mapping key as JSON writes it."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    raise TemplateError(f"a key of type {type(key).__name__!r} cannot be sent as JSON")


def _syntax_error(what: str, error: TemplateSyntaxError) -> TemplateError:
    """A jinja syntax error as a callsim error naming the line."""
    return TemplateError(f"{what}: syntax error at line {error.lineno}: {error.message}")


@lru_cache(maxsize=4096)
def _compile(source: str, kind: Kind) -> Template:
    """Compile once per (kind, source); rendering is on the engine's hot path."""
    if "{{" not in source and "{%" not in source and "{#" not in source:
        return Template(source, kind, None)
    too_big = check_source(source)
    if too_big is not None:
        raise TemplateError(f"template {excerpt(source)}: {too_big}; split it, or move the text into a variable")
    try:  # an unknown filter or test is only found while generating code
        return Template(source, kind, _ENVIRONMENTS[kind].parse(source))
    except TemplateSyntaxError as error:
        raise _syntax_error(f"template {excerpt(source)}", error) from None
    except RecursionError:
        raise TemplateError(f"template {excerpt(source)}: its expressions are nested too deeply") from None


def compile_template(source: str, kind: str = "text") -> Template:
    """Compile a template for text, a URL or a header; JSON bodies go through render_json."""
    if kind not in ("text", "url", "header"):
        raise ValueError(f"kind must be 'text', 'url' or 'header', not {kind!r}")
    return _compile(source, cast(Kind, kind))


def _compiled(source: str, kind: Kind, where: str) -> Template:
    """The compiled template, with `where` added to a compile error."""
    try:
        return _compile(source, kind)
    except TemplateError as error:
        raise TemplateError(_at(where, str(error))) from None


def render_text(source: str, context: Mapping[str, object], where: str = "") -> str:
    """Render text people read or hear: prompts, spoken lines, SMS bodies."""
    if "{" not in source:
        return source
    return _compiled(source, "text", where).render(context, where)


def render_url(source: str, context: Mapping[str, object], where: str = "") -> str:
    """Render a URL; each placeholder's value is percent-encoded as one path segment or query value."""
    return _compiled(source, "url", where).render(context, where)


def render_header(source: str, context: Mapping[str, object], where: str = "") -> str:
    """Render an HTTP or SIP header value, refusing control characters (line breaks, NUL, ESC, DEL, ...) and
    values over 8 KiB."""
    return _compiled(source, "header", where).render(context, where)


def render_json(value: object, context: Mapping[str, object], where: str = "") -> object:
    """Render a JSON body: keys stay literal, a leaf that is one placeholder keeps the value's own type."""
    if isinstance(value, str):
        return _compiled(value, "json", where)._value(context, where)
    if isinstance(value, Mapping):
        return {key: render_json(item, context, where) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [render_json(item, context, where) for item in value]
    try:
        return _json_data(value)
    except TemplateError as error:
        raise TemplateError(_at(where, str(error))) from None


class Condition:
    """An `if:` expression such as `language == "es"`, true or false for one call.

    A missing variable is never an error here, because conditions are how users test for presence:
    `booking is defined` is False, and a condition that uses a missing variable any other way
    (`vip`, `not vip`, `total > 100`) is False as a whole. Write `x is not defined or x == 1` when
    a missing `x` should count as true.
    """

    __slots__ = ("_evaluate", "names", "optional_names", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        too_big = check_source(source)
        if too_big is not None:
            raise TemplateError(f"condition {excerpt(source)}: {too_big}")
        try:
            expr = _single_expression(_TEXT.parse(f"{{{{ {source} }}}}"))
            if expr is None:
                raise TemplateError(f"condition {source!r}: write one expression, e.g. 'language == \"es\"'")
            self._evaluate = _expression(expr)
        except TemplateSyntaxError as error:
            raise _syntax_error(f"condition {source!r}", error) from None
        except RecursionError:
            raise TemplateError(f"condition {excerpt(source)}: its expressions are nested too deeply") from None
        reads = _Reads()
        reads.visit(expr)
        self.names, self.optional_names = reads.names()

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"

    def __call__(self, context: Mapping[str, object]) -> bool:
        """Evaluate with this call's variables."""
        try:
            return bool(self._evaluate(context))
        except _Unresolved:
            return False
        except SecurityError as error:
            raise TemplateError(f"condition {self.source!r} is not allowed: {error}") from None
        except (jinja2.TemplateError, ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
            raise TemplateError(f"condition {self.source!r} cannot be evaluated: {error}") from None


@lru_cache(maxsize=1024)
def compile_condition(source: str) -> Condition:
    """Compile an `if:` expression once."""
    return Condition(source)


def template_names(value: object, *, required_only: bool = False) -> set[str]:
    """Every variable read by the string leaves of a str/list/dict structure: required or optional,
    or with `required_only` only those read without a `default(...)` or `is defined` guard."""
    if isinstance(value, str):
        template = _compile(value, "text")
        return set(template.names) if required_only else set(template.names | template.optional_names)
    if isinstance(value, Mapping):
        return set().union(*(template_names(item, required_only=required_only) for item in value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*(template_names(item, required_only=required_only) for item in value))
    return set()
