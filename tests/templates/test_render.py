"""Placeholders: which variables a template reads, strict undefined, the sandbox, and context-aware escaping."""

from __future__ import annotations

import datetime as dt
import json
import string
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callsim.errors import MissingVariable, TemplateError
from callsim.templates import (
    compile_condition,
    compile_template,
    render_header,
    render_json,
    render_text,
    render_url,
    template_names,
)

CALL = {
    "order_number": "4567",
    "call": {"from": "+14155550100"},
    "secrets": {"ACME_TOKEN": "tok"},
    "order": {"status": "shipped", "total": 150, "items": ["soap", "towel"]},
}

# Caller text meant to break out of wherever it lands.
SPECIALS = ["\r", "\n", "\r\n", "\0", "'", '"', "{{ 7*7 }}", "{% raw %}", "{% endraw %}", "{{", "}}", "{#",
            "../", "..", ".", "?", "#", "%2F", "%", "&", "=", "+", " ", "/", "\\", ";", "@", ":", "é", "日本",
            "🙂", "\u2028", "\t"]
hostile = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(SPECIALS), st.text(max_size=4)), max_size=12).map("".join),
    st.text(alphabet=string.printable, min_size=1, max_size=12).map(lambda s: (s * 10_240)[:10_240]),
)
hypothesis_settings = settings(
    max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


# ---- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "names", "optional"),
    [
        ("Order {{ order_number }} from {{ call.from }}", {"order_number", "call.from"}, set()),
        ("Bearer {{ secrets.ACME_TOKEN }}", {"secrets.ACME_TOKEN"}, set()),
        ('{{ order.status | default("unknown") }}', set(), {"order.status"}),
        ("{{ order['status'] }} {{ items[0].sku }}", {"order.status", "items.0.sku"}, set()),
        ("{{ order[key].status }}", {"order", "key"}, set()),
        ("{% for item in order.items %}{{ item.sku }} {{ loop.index }}{% endfor %}", {"order.items"}, set()),
        ("{% set greeting = 'hi' %}{{ greeting }} {{ name }}", {"name"}, set()),
        ("{% if booking is defined %}at {{ booking.time }}{% endif %}", set(), {"booking", "booking.time"}),
        ("{% if booking is defined %}{% else %}{{ booking.time }}{% endif %}", {"booking.time"}, {"booking"}),
        ("{{ x | default(y) }}", {"y"}, {"x"}),
        ("{{ name }} {{ name | default('you') }}", {"name"}, set()),
        ("{{ order.keys() | join(', ') }}", {"order"}, set()),
        ("{{ nick if nick is defined else name }}", {"name"}, {"nick"}),
        ("no placeholders", set(), set()),
    ],
)
def test_names_are_the_dotted_paths_a_template_reads(source: str, names: set[str], optional: set[str]) -> None:
    template = compile_template(source)
    assert template.names == names
    assert template.optional_names == optional


def test_template_names_walks_every_string_leaf_but_not_keys() -> None:
    body = {"{{ not_a_name }}": ["{{ a.b }}", {"c": "x {{ c | default(1) }}"}], "n": 3, "t": True}
    assert template_names(body) == {"a.b", "c"}
    assert template_names("plain") == set()


def test_compiled_once() -> None:
    assert compile_template("Hi {{ name }}") is compile_template("Hi {{ name }}")
    assert compile_template("Hi {{ name }}", "header") is not compile_template("Hi {{ name }}")


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(TemplateError, match=r"syntax error at line 2: "):
        compile_template("Hello\n{{ name ")
    with pytest.raises(TemplateError, match="action greet, field say: .*syntax error at line 1"):
        render_text("{{ name | no_such_filter }}", {}, "action greet, field say")


# ---- text -------------------------------------------------------------------------------------


def test_text_renders_values_as_people_say_them() -> None:
    context = {**CALL, "vip": True, "late": False, "total": 12.0, "rate": 2.5, "nothing": None}
    source = "{{ call.from }}|{{ order.items }}|{{ vip }}/{{ late }}|{{ total }}|{{ rate }}|{{ nothing }}|"
    assert render_text(source, context) == "+14155550100|soap and towel|yes/no|12|2.5||"
    assert render_text("{{ xs }}", {"xs": ["a", "b", "c"]}) == "a, b and c"
    assert render_text("{{ xs }}", {"xs": ["a"]}) == "a"


def test_keys_win_over_dict_methods() -> None:
    assert render_text("{{ order.items }}", CALL) == "soap and towel"
    assert render_text("{% for k, v in call.items() %}{{ k }}={{ v }}{% endfor %}", CALL) == "from=+14155550100"


def test_plain_text_is_returned_as_is() -> None:
    source = "Thanks for calling {Acme}; {not a placeholder}\n"
    assert render_text(source, {}) is source
    assert render_text("Line\n", {}) == render_text("{{ 'Line' }}\n", {})


@pytest.mark.parametrize(
    ("source", "context", "name"),
    [
        ("{{ order_number }}", {}, "order_number"),
        ("{{ order.status }}", {"order": {}}, "order.status"),
        ("{{ order.status }}", {}, "order.status"),
        ("{{ order.status.code }}", {"order": {}}, "order.status.code"),
        ("{{ order['status'] }}", {"order": {"id": 1}}, "order.status"),
        ("{{ order.items[3] }}", {"order": {"items": []}}, "order.items.3"),
        ("{{ call.from }}", {"call": {}}, "call.from"),
        ("{{ order.total + 1 }}", {"order": {}}, "order.total"),
        ("{% if booking %}x{% endif %}", {}, "booking"),
        ("{% for i in items %}{% endfor %}", {}, "items"),
    ],
)
def test_missing_variable_names_the_full_path_and_where(source: str, context: dict, name: str) -> None:
    with pytest.raises(MissingVariable) as caught:
        render_text(source, context, "action lookup_order, field request.url")
    assert caught.value.name == name
    assert caught.value.where == "action lookup_order, field request.url"
    assert str(caught.value) == f"action lookup_order, field request.url: variable '{name}' has no value"


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ('{{ order.status | default("unknown") }}', {}, "unknown"),
        ('{{ order.status | default("unknown") }}', {"order": {}}, "unknown"),
        ('{{ order.status | default("unknown") }}', CALL, "shipped"),
        ("{{ order.status.code | default('none') }}", {}, "none"),
        ("{% if booking is defined %}at {{ booking.time }}{% else %}no booking{% endif %}", {}, "no booking"),
        ("{% if booking is defined %}at {{ booking.time }}{% endif %}", {"booking": {"time": "9am"}}, "at 9am"),
        ("{{ nothing | default('x') }}", {"nothing": None}, ""),
    ],
)
def test_defaults_and_defined_tests_see_missing_variables(source: str, context: dict, expected: str) -> None:
    assert render_text(source, context) == expected


# ---- sandbox ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ call.__class__.__init__.__globals__ }}",
        "{{ call['__class__'] }}",
        "{{ 'a'.format.__globals__ }}",
        "{{ order_number.__len__() }}",
        "{{ order.update({'status': 'hacked'}) }}",
        "{{ order.items.append(1) }}",
        "{{ order.pop('status') }}",
        "{{ ''.__class__ | default('x') }}",
        "{{ 'yes' if ''.__class__ is defined }}",
    ],
)
def test_sandbox_escapes_are_refused(source: str) -> None:
    context = json.loads(json.dumps(CALL))
    with pytest.raises(TemplateError) as caught:
        render_text(source, context, "prompt")
    assert type(caught.value) is TemplateError
    assert str(caught.value).startswith("prompt: ")
    assert context == CALL


def test_no_jinja_globals() -> None:
    for source in ("{{ cycler }}", "{{ range(3) }}", "{{ lipsum() }}"):
        with pytest.raises(MissingVariable):
            render_text(source, {})


@pytest.mark.parametrize("source", ["{{ 1 / 0 }}", "{{ 'a' + 1 }}", "{% include 'other' %}", "{{ x(1) }}"])
def test_runtime_errors_are_template_errors(source: str) -> None:
    with pytest.raises(TemplateError, match="^w: "):
        render_text(source, {"x": "not callable"}, "w")


# ---- conditions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ('language == "es"', {"language": "es"}, True),
        ('language == "es"', {"language": "en"}, False),
        ('language == "es"', {}, False),
        ("booking is defined", {}, False),
        ("booking is defined", {"booking": {}}, True),
        ("booking.time is defined", {"booking": {}}, False),
        ("order.total > 100 and vip", {"order": {"total": 150}, "vip": True}, True),
        ("order.total > 100 and vip", {"order": {"total": 150}}, False),
        ("order.total > 100 and vip", {"order": {"total": 50}}, False),
        ("order.total > 100", {}, False),
        ("not vip", {}, False),
        ("not vip", {"vip": False}, True),
        ('language is not defined or language == "es"', {}, True),
        ("items", {"items": []}, False),
        ("items | length >= 2", {"items": [1, 2]}, True),
    ],
)
def test_conditions(source: str, context: dict, expected: bool) -> None:
    assert compile_condition(source)(context) is expected


def test_condition_names_and_errors() -> None:
    condition = compile_condition("order.total > 100 and vip and booking is defined")
    assert condition.names == {"order.total", "vip"}
    assert condition.optional_names == {"booking"}
    with pytest.raises(TemplateError, match="syntax error at line 1"):
        compile_condition("language ==")
    with pytest.raises(TemplateError, match="one expression"):
        compile_condition("a }}{{ b")
    for escape in ["''.__class__.__mro__", "''.__class__ is defined", "''.__class__ is not defined"]:
        with pytest.raises(TemplateError, match="not allowed"):
            compile_condition(escape)({})


# ---- URLs -------------------------------------------------------------------------------------

ORDER_URL = "https://api.acme.test/orders/{{ order_number }}?q={{ q }}"


def test_url_values_are_one_component_each() -> None:
    url = render_url(ORDER_URL, {"order_number": "../admin?x=1#frag", "q": "a b&c=d+e"})
    assert url == "https://api.acme.test/orders/..%2Fadmin%3Fx%3D1%23frag?q=a%20b%26c%3Dd%2Be"
    assert render_url("https://a.test/{{ a }}/{{ b }}", {"a": "..", "b": "."}) == "https://a.test/%2E%2E/%2E"
    assert render_url("https://a.test/{{ a }}{{ b }}", {"a": ".", "b": "."}) == "https://a.test/%2E%2E"
    assert render_url("https://a.test/?vip={{ v }}&ids={{ ids }}", {"v": True, "ids": [1, 2]}) == (
        "https://a.test/?vip=true&ids=1%2C2"
    )
    assert render_url("/orders/{{ id }}", {"id": "a/b"}) == "/orders/a%2Fb"
    with pytest.raises(MissingVariable, match="^field url: variable 'q' has no value"):
        render_url(ORDER_URL, {"order_number": "1"}, "field url")


@pytest.mark.parametrize(
    "source",
    ["https://{{ host }}/x", "https://api.{{ region }}.acme.test/x", "https://acme.test{{ path }}",
     "{{ base }}/orders/{{ id }}", "//{{ host }}/x", "{% if a %}https://a.test{% endif %}/x"],
)
def test_url_placeholders_cannot_pick_the_host(source: str) -> None:
    with pytest.raises(TemplateError, match="scheme and host literally"):
        compile_template(source, "url")


def test_whole_url_from_one_trusted_variable() -> None:
    context = {"routing": {"url": "https://crm.acme.test/hook?a=1"}}
    assert render_url("{{ routing.url }}", context) == "https://crm.acme.test/hook?a=1"
    assert render_url(" {{ routing.url }} ", context) == "https://crm.acme.test/hook?a=1"
    with pytest.raises(MissingVariable, match="'routing.url'"):
        render_url("{{ routing.url }}", {"routing": {}})
    for bad in ["https://crm.acme.test/a\r\nX: y", "https://crm.acme.test/a b", "javascript:alert(1)",
                "ftp://acme.test/", "https:///nohost", "/relative"]:
        with pytest.raises(TemplateError, match="^action notify, field url: "):
            render_url("{{ routing.url }}", {"routing": {"url": bad}}, "action notify, field url")


@hypothesis_settings
@given(order_number=hostile, q=hostile)
def test_hostile_url_values_stay_inside_their_component(order_number: str, q: str) -> None:
    url = httpx.URL(render_url(ORDER_URL, {"order_number": order_number, "q": q}))
    assert (url.scheme, url.host) == ("https", "api.acme.test")
    path, _, _ = url.raw_path.partition(b"?")
    segments = path.split(b"/")
    assert segments[:2] == [b"", b"orders"] and len(segments) == 3
    assert unquote(segments[2].decode("ascii")) == order_number
    assert list(url.params.keys()) == ["q"]
    assert url.params["q"] == q
    assert url.fragment == ""


# ---- headers ----------------------------------------------------------------------------------


def test_header_refuses_line_breaks_and_oversized_values() -> None:
    assert render_header("Bearer {{ secrets.ACME_TOKEN }}", CALL) == "Bearer tok"
    with pytest.raises(TemplateError, match=r"^action lookup_order, header Authorization: .*line break") as caught:
        render_header("Bearer {{ t }}", {"t": "x\r\nX-Admin: 1"}, "action lookup_order, header Authorization")
    assert "X-Admin" not in str(caught.value)  # the value may be a secret
    with pytest.raises(TemplateError, match="8192 bytes"):
        render_header("{{ t }}", {"t": "é" * 4097})
    with pytest.raises(TemplateError, match="line break"):
        render_header("literal\nbreak", {})


def field_value_refuses(char: str) -> bool:
    """RFC 9110 5.5: a field value is visible characters (and obs-text), spaces and tabs; no control character."""
    code = ord(char)
    return (code < 0x20 and char != "\t") or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) != "\t"] + ["\ud800"])
def test_header_refuses_every_control_character_by_name(char: str) -> None:
    with pytest.raises(TemplateError, match=rf"^action a, header X: .*a header value cannot contain .*U\+{ord(char):04X}"):
        render_header("x {{ v }} y", {"v": char}, "action a, header X")


def test_header_keeps_tabs_spaces_and_text_beyond_ascii() -> None:
    assert render_header("{{ v }}", {"v": "a\tb c é 日本"}) == "a\tb c é 日本"


@hypothesis_settings
@given(value=hostile)
def test_hostile_header_values_never_break_the_line(value: str) -> None:
    breaks = any(field_value_refuses(c) for c in value)
    too_long = len(f"Bearer {value}".encode()) > 8192
    try:
        rendered = render_header("Bearer {{ v }}", {"v": value})
    except TemplateError:
        assert breaks or too_long
    else:
        assert not (breaks or too_long)
        assert not any(field_value_refuses(c) for c in rendered)
        assert rendered == f"Bearer {value}"


# ---- JSON -------------------------------------------------------------------------------------


def test_json_leaves_keep_their_types() -> None:
    context = {
        "amount": 12, "price": 9.5, "vip": False, "none": None, "order": CALL["order"], "ids": (1, 2),
        "when": dt.datetime(2025, 3, 30, 9, 30, tzinfo=dt.timezone.utc), "day": dt.date(2025, 3, 30),
        "tags": {"b", "a"}, "order_number": "4567",
    }
    body = {
        "amount": "{{ amount }}", "price": " {{ price }} ", "vip": "{{ vip }}", "none": "{{ none }}",
        "order": "{{ order }}", "ids": "{{ ids }}", "when": "{{ when }}", "day": "{{ day }}", "tags": "{{ tags }}",
        "note": "order {{ order_number }} for {{ amount }}", "{{ key }}": ["{{ amount }}", 3, True, None],
        "fallback": "{{ missing | default(0) }}",
    }
    assert render_json(body, context) == {
        "amount": 12, "price": 9.5, "vip": False, "none": None, "order": CALL["order"], "ids": [1, 2],
        "when": "2025-03-30T09:30:00+00:00", "day": "2025-03-30", "tags": ["a", "b"],
        "note": "order 4567 for 12", "{{ key }}": [12, 3, True, None], "fallback": 0,
    }


def test_json_refuses_what_json_cannot_hold() -> None:
    for value in [object(), float("nan"), {(1, 2): "tuple key"}, b"bytes"]:
        with pytest.raises(TemplateError, match="^action book, field body: "):
            render_json({"x": "{{ v }}"}, {"v": value}, "action book, field body")
    with pytest.raises(MissingVariable, match="'order.total'"):
        render_json({"x": ["{{ order.total }}"]}, {"order": {}}, "action book, field body")


@hypothesis_settings
@given(order_number=hostile, count=st.one_of(st.integers(), hostile))
def test_hostile_json_values_stay_values(order_number: str, count: object) -> None:
    body = {"order": "{{ order_number }}", "note": "id {{ order_number }}", "n": "{{ count }}"}
    rendered = render_json(body, {"order_number": order_number, "count": count})
    assert rendered == {"order": order_number, "note": f"id {order_number}", "n": count}
    assert json.loads(json.dumps(rendered)) == rendered


# ---- values are data, never template -----------------------------------------------------------


@hypothesis_settings
@given(value=hostile)
def test_values_are_never_evaluated(value: str) -> None:
    value = f"{value}{{{{ 7*7 }}}}{{% raw %}}"
    assert render_text("Hi {{ name }}!", {"name": value}) == f"Hi {value}!"
    assert render_json({"n": "{{ name }}"}, {"name": value}) == {"n": value}
    assert "49" not in render_url("https://a.test/{{ name }}", {"name": "{{ 7*7 }}"})
