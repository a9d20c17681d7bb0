"""Placeholders: `{{ name }}` templates compiled once and rendered safely into text, URLs, headers and JSON.

Templates are user-written and trusted; the values they read come from callers and are not. A value
can never change the structure of what it lands in: it is percent-encoded as one component inside a
URL, refused if it would break a header line, and inserted into JSON as a value, never as JSON text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast
from urllib.parse import urlsplit

from callsim.errors import CallsimError, MissingSecret, MissingVariable, TemplateError
from callsim.files import excerpt
from callsim.templates.limits import check_source, checked, loop_budget
from callsim.templates.plain import NOT_FOUND, PlainTemplate, lookup, parse_plain
from callsim.templates.values import FINALIZE, plain

if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.exceptions import TemplateSyntaxError

Kind = Literal["text", "url", "header", "json"]

MAX_HEADER_BYTES = 8 * 1024
# The literal start of a URL template must fix the scheme and host (or be a path on a host set elsewhere).
_FIXED_ORIGIN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+[/?#]|/(?!/)")
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f]")
# RFC 9110 5.5: field-value = visible characters, obs-text, SP and HTAB; as text, no C0 or C1 control, DEL
# or lone surrogate (one cannot be encoded at all)
_NOT_IN_FIELD_VALUE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def _at(where: str, message: str) -> str:
    """`message`, prefixed by where it happened when known."""
    return f"{where}: {message}" if where else message


class SecretValues(Protocol):
    """What a call's `secrets` mapping does besides giving values: it is told what each template that read
    a secret rendered, so that a transformed secret (`upper`, a slice, `tojson`, ...) is redacted as a
    whole (see `callsim.engine.variables.Secrets`)."""

    def rendered(self, output: object, names: frozenset[str], transformed: bool,
                 again: Callable[[Mapping[str, str]], object] | None = None) -> None: ...

    def built(self, text: str, parts: Sequence[str], build: Callable[[Sequence[str]], str]) -> None: ...


def built_from(context: Mapping[str, object], build: Callable[[Sequence[str]], str], parts: Sequence[str]) -> str:
    """What `build` makes of `parts` that templates rendered (a URL from its query values, DTMF keys from their
    placeholders), once the call's secrets were told, so that a secret they redact where a template put it in a
    part they redact there in the whole too."""
    text = build(parts)
    secrets = context.get("secrets")
    if hasattr(secrets, "built"):
        cast(SecretValues, secrets).built(text, parts, build)
    return text


# ---- compiled templates -----------------------------------------------------------------------


def _whole_url(value: object) -> str:
    """A whole URL from one trusted variable: must be one http(s) URL with a host."""
    url = plain(value)
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

    __slots__ = ("_evaluate", "_render", "comparisons", "kind", "loops", "names", "optional_names", "secrets",
                 "source", "transforms_secret")

    def __init__(self, source: str, kind: Kind, parsed: PlainTemplate | nodes.Template | None) -> None:
        self.source = source
        self.kind: Kind = kind
        self.names: frozenset[str] = frozenset()
        self.optional_names: frozenset[str] = frozenset()
        self.secrets: frozenset[str] = frozenset()
        """The secrets this template names (`secrets.TOKEN`)."""
        self.transforms_secret = False
        """Whether it does more with a secret than place it as is (see `callsim.templates.sandbox.secret_use`)."""
        self._evaluate: Callable[[Mapping[str, object]], object] | None = None
        """The value of a url or JSON template that is one placeholder (a missing variable raises)."""
        self.loops = False
        self.comparisons: tuple[tuple[str, str, object], ...] = ()
        """(path, operator, literal) of each comparison of a variable with a literal in its `{% if %}` blocks and
        `a if b else c` expressions (a plain template has none; see `callsim.templates.sandbox.comparisons`)."""
        render: Callable[[Mapping[str, object]], str] = lambda context: source
        if isinstance(parsed, PlainTemplate):
            self.names, self.optional_names = parsed.names()
            self.secrets, self.transforms_secret = parsed.secret_use()
            render = self._compile_plain(parsed)
        elif parsed is not None:
            from callsim.templates import sandbox

            self.loops = any(True for _ in parsed.find_all(sandbox.nodes.For))
            self.names, self.optional_names = sandbox.names(parsed)
            self.secrets, self.transforms_secret = sandbox.secret_use(parsed)
            self.comparisons = sandbox.comparisons(parsed)
            render = self._compile_jinja(parsed)
        self._render = (lambda context: _header(render(context))) if kind == "header" else render

    def _compile_plain(self, parsed: PlainTemplate) -> Callable[[Mapping[str, object]], str]:
        """The render function of a plain template: a walk through the call's mappings; what it cannot find
        is left to jinja (to report a missing variable, or read an attribute, exactly as jinja does)."""
        single = parsed.single() if self.kind in ("url", "json") else None
        self._check_origin(single is not None)
        if single is None:
            return parsed.renderer(FINALIZE[self.kind], lambda context: _jinja_renderer(self.source, self.kind)(context))
        _, steps, default = single
        if default is not NOT_FOUND:  # jinja's `default` checks its text against the limits: jinja renders it
            from callsim.templates import sandbox

            return self._compile_jinja(sandbox.parse(self.source, self.kind))
        source, kind = self.source, self.kind

        def evaluate(context: Mapping[str, object]) -> object:
            value = lookup(context, steps, NOT_FOUND)
            return _jinja_value(source, kind)(context) if value is NOT_FOUND else value

        return self._evaluated(evaluate)

    def _compile_jinja(self, tree: nodes.Template) -> Callable[[Mapping[str, object]], str]:
        """The render function of a template only jinja reads: jinja with the kind's finalize, or one
        evaluated expression."""
        from callsim.templates import sandbox

        expr = sandbox.single_expression(tree) if self.kind in ("url", "json") else None
        self._check_origin(expr is not None)
        if expr is None:
            return sandbox.renderer(tree, self.kind)
        expression = sandbox.expression(expr)
        return self._evaluated(lambda context: sandbox.defined(expression(context)))

    def _evaluated(self, evaluate: Callable[[Mapping[str, object]], object]) -> Callable[[Mapping[str, object]], str]:
        """Render a template that is one placeholder: a whole URL, or the value as text."""
        self._evaluate = evaluate
        finish = _whole_url if self.kind == "url" else FINALIZE[self.kind]
        return lambda context: finish(evaluate(context))

    def _check_origin(self, whole: bool) -> None:
        """A URL template fixes its scheme and host literally, unless one placeholder gives the `whole` URL."""
        literal_start = re.split(r"\{[{%#]", self.source, maxsplit=1)[0]
        if self.kind == "url" and not whole and not _FIXED_ORIGIN.match(literal_start):
            raise TemplateError(
                f"URL template {self.source!r}: write the scheme and host literally, e.g. "
                "'https://api.example.com/orders/{{ id }}'; a placeholder may only give the "
                "whole URL, e.g. '{{ routing.url }}'"
            )

    def __repr__(self) -> str:
        return f"Template({self.source!r}, kind={self.kind!r})"

    def render(self, context: Mapping[str, object], where: str = "") -> str:
        """Render with this call's variables; `where` (e.g. "action lookup_order, field url") names the spot in errors."""
        try:
            if self.loops:
                with loop_budget():
                    return self._told(context, checked(self._render(context)), self._render)
            return self._told(context, checked(self._render(context)), self._render)
        except Exception as error:
            raise self._explain(error, context, where) from None

    def _value(self, context: Mapping[str, object], where: str) -> object:
        """What this template becomes as a JSON leaf: the variable's own value when it is one placeholder."""
        if self._evaluate is None:
            return self.render(context, where)
        try:
            evaluate = self._evaluate
            return self._told(context, _json_data(evaluate(context)), lambda again: _json_data(evaluate(again)))
        except Exception as error:
            raise self._explain(error, context, where) from None

    def _told(self, context: Mapping[str, object], output: Any, again: Callable[[Mapping[str, object]], Any]) -> Any:
        """`output`, once the call's secrets were told what a template that reads them rendered (and how to render
        it `again` with other secrets, to see where they went)."""
        if self.secrets or self.transforms_secret:
            secrets = context.get("secrets")
            if hasattr(secrets, "rendered"):
                cast(SecretValues, secrets).rendered(output, self.secrets, self.transforms_secret,
                                                     lambda others: again({**context, "secrets": others}))
        return output

    def _explain(self, error: Exception, context: Mapping[str, object], where: str) -> Exception:
        """The callsim error a user sees for a failure while rendering."""
        jinja_error: tuple[type[Exception], ...] = ()
        if "jinja2" in sys.modules:  # jinja's own errors (and the limits' refusals) only come once it is loaded
            from callsim.templates import sandbox

            if isinstance(error, sandbox.Unresolved):
                name = self._full_name(error.undefined, context)
                if name.startswith("secrets."):  # a setup error that stops the call, never a fallback
                    return MissingSecret(name.split(".", 1)[1], where)
                return MissingVariable(name, where)
            if isinstance(error, sandbox.SecurityError):
                return TemplateError(_at(where, f"{self.source!r} is not allowed: {error}"))
            jinja_error = (sandbox.jinja2.TemplateError,)
        if isinstance(error, CallsimError):
            return TemplateError(_at(where, f"{self.source!r}: {error}"))
        if isinstance(error, (*jinja_error, ArithmeticError, AttributeError, LookupError, TypeError, ValueError)):
            return TemplateError(_at(where, f"{self.source!r} cannot be rendered: {error}"))
        return error

    def _full_name(self, undefined: Any, context: Mapping[str, object]) -> str:
        """The dotted name of a missing variable: jinja only knows the key and the mapping it was missing from."""
        from callsim.templates.sandbox import missing

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


@lru_cache(maxsize=256)
def _jinja_renderer(source: str, kind: Kind) -> Callable[[Mapping[str, object]], str]:
    """jinja's render function for a plain template, for what the plain walk cannot find."""
    from callsim.templates import sandbox

    return sandbox.renderer(sandbox.parse(source, kind), kind)


@lru_cache(maxsize=256)
def _jinja_value(source: str, kind: Kind) -> Callable[[Mapping[str, object]], object]:
    """jinja's evaluation of a template that is one plain placeholder, for when the walk cannot find it."""
    from callsim.templates import sandbox

    expr = sandbox.single_expression(sandbox.parse(source, kind))
    assert expr is not None  # a plain template of one placeholder is one expression to jinja too
    expression = sandbox.expression(expr)
    return lambda context: sandbox.defined(expression(context))


def _step(value: object, part: str) -> object:
    """One step along a dotted path through plain data, or None."""
    if isinstance(value, Mapping):
        return value.get(part)
    if isinstance(value, Sequence) and not isinstance(value, str) and part.isdigit():
        return value[int(part)] if int(part) < len(value) else None
    return None


def _json_data(value: object) -> object:
    """`value` as JSON data: datetimes become ISO 8601 text, sets sorted lists; anything else unknown is refused."""
    if isinstance(value, str):
        return str(value)
    if value is None or isinstance(value, (bool, int)):
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
    parsed = parse_plain(source)
    if parsed is not None:
        return Template(source, kind, parsed)
    from callsim.templates import sandbox

    try:  # an unknown filter or test is only found while generating code
        return Template(source, kind, sandbox.parse(source, kind))
    except sandbox.TemplateSyntaxError as error:
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


def render_data(source: str, context: Mapping[str, object], where: str = "") -> str:
    """Render text a program reads (a query or form value, a phone number, DTMF keys, a booking's start): a
    time or date the caller gave stays in its ISO 8601 form ("16:00:00", not "4 PM")."""
    if "{" not in source:
        return source
    return _compiled(source, "json", where).render(context, where)


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

    __slots__ = ("_evaluate", "comparisons", "names", "optional_names", "source")

    def __init__(self, source: str) -> None:
        from callsim.templates import sandbox

        self.source = source
        too_big = check_source(source)
        if too_big is not None:
            raise TemplateError(f"condition {excerpt(source)}: {too_big}")
        try:
            expr = sandbox.single_expression(sandbox.parse(f"{{{{ {source} }}}}", "text"))
            if expr is None:
                raise TemplateError(f"condition {source!r}: write one expression, e.g. 'language == \"es\"'")
            self._evaluate = sandbox.expression(expr)
        except sandbox.TemplateSyntaxError as error:
            raise _syntax_error(f"condition {source!r}", error) from None
        except RecursionError:
            raise TemplateError(f"condition {excerpt(source)}: its expressions are nested too deeply") from None
        self.names, self.optional_names = sandbox.names(expr)
        self.comparisons = sandbox.comparisons(expr)
        """(path, operator, literal) of each comparison of a variable with a literal (see `sandbox.comparisons`)."""

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"

    def __call__(self, context: Mapping[str, object]) -> bool:
        """Evaluate with this call's variables."""
        try:
            return bool(self._evaluate(context))
        except Exception as error:
            from callsim.templates import sandbox  # loaded: a condition is compiled by it

            if isinstance(error, sandbox.Unresolved):
                return False
            if isinstance(error, sandbox.SecurityError):
                raise TemplateError(f"condition {self.source!r} is not allowed: {error}") from None
            if isinstance(error, (sandbox.jinja2.TemplateError, ArithmeticError, AttributeError, LookupError, TypeError,
                                  ValueError)):
                raise TemplateError(f"condition {self.source!r} cannot be evaluated: {error}") from None
            raise


@lru_cache(maxsize=1024)
def compile_condition(source: str) -> Condition:
    """Compile an `if:` expression once."""
    return Condition(source)


def template_comparisons(value: object) -> list[tuple[str, str, object]]:
    """(path, operator, literal) of each comparison of a variable with a literal that the string leaves of a
    str/list/dict structure make inside their templates (`{% if plan == "pro" %}`)."""
    if isinstance(value, str):
        return list(_compile(value, "text").comparisons)
    items = value.values() if isinstance(value, Mapping) else value if isinstance(value, (list, tuple)) else ()
    return [found for item in items for found in template_comparisons(item)]


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
