"""The Python API takes any text a test can build, and either runs the call with a trace that can be
written and read back, or refuses the text at once with an error that names the argument."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callsim.errors import UsageError
from callsim.live import Callsim

AGENT = """\
agent: shop
greeting: Hello {{ name | default('there') }}.
variables:
  note: {type: text, ask: Any note?}
  order_number: {type: text, from: start_data}
uses: [actions.yaml]
actions: [send_form, send_json, text_me, on_keys]
"""
ACTIONS = """\
actions:
  send_form:
    type: http
    trigger: {phrases: ["form"]}
    needs: [note]
    request: {method: POST, url: "https://api.test/form", form: {note: "{{ note }}", key: "{{ secrets.TOKEN }}"}}
    say: Sent {{ note }}.
    on_error: {say: Form failed.}
  send_json:
    type: http
    trigger: {phrases: ["json"]}
    request:
      method: POST
      url: "https://api.test/json/{{ order_number }}"
      headers: {X-Note: "{{ note | default('-') }}"}
      json: {note: "{{ note | default('') }}", order: "{{ order_number }}"}
    say: Sent.
    on_error: {say: JSON failed.}
  text_me:
    type: message
    trigger: {phrases: ["text"]}
    body: "About {{ order_number }}: {{ note | default('') }}"
    await_reply: 2m
    save_reply: answer
    say: Texted.
  on_keys:
    type: http
    trigger: {on: dtmf}
    request: {method: POST, url: "https://api.test/keys", json: {keys: "{{ dtmf }}"}}
    say: Keys {{ dtmf }}.
    on_error: {say: Keys failed.}
"""
ROUTES = [{"match": "POST https://api.test/*", "status": 200, "json": {}, "optional": True}]

anything = st.text(st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp", "L", "N", "P", "S", "Zs"]), max_size=12)
FLOWS = ["say_form", "say_json", "reply", "dtmf", "start_data", "preconnect", "secret", "caller_name"]


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Callsim:
    root = tmp_path_factory.mktemp("shop")
    (root / "pyproject.toml").write_text("")
    (root / "agent.yaml").write_text(AGENT)
    (root / "actions.yaml").write_text(ACTIONS)
    return Callsim(root)


async def play(shop: Callsim, flow: str, text: str) -> str:
    setup: dict = {"start_data": {"order_number": "A1"}, "secrets": {"TOKEN": "tok-1234"}, "http": ROUTES}
    if flow == "start_data":
        setup["start_data"] = {"order_number": text}
    elif flow == "preconnect":
        setup["preconnect"] = {"name": text}
    elif flow == "secret":
        setup["secrets"] = {"TOKEN": text}
    elif flow == "caller_name":
        setup["caller"] = {"name": text}
    call = await shop.call("agent.yaml", **setup)
    if flow == "say_form":
        await call.say(f"form {text}")
        await call.say(text)
    elif flow == "say_json":
        await call.say(f"json {text}")
    elif flow == "reply":
        await call.say("text me")
        await call.reply(text)
    elif flow == "dtmf":
        await call.dtmf(text)
    else:
        await call.say("json and text me")
    await call.hangup(check_fakes=False)
    return call.trace.to_jsonl()


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(flow=st.sampled_from(FLOWS), text=anything)
def test_any_text_runs_with_a_trace_that_reads_back_or_is_refused_by_name(shop: Callsim, flow: str, text: str) -> None:
    try:
        written = asyncio.run(play(shop, flow, text))
    except UsageError as refused:
        assert any(word in str(refused) for word in ("surrogate", "DTMF key", "characters")), str(refused)
        return
    for line in written.splitlines():
        json.loads(line)
    written.encode("utf-8")


@pytest.mark.parametrize(("flow", "says"), [
    ("say_form", "call.say(): the text holds a lone surrogate U+D800"),
    ("reply", "call.reply(): the text holds a lone surrogate U+D800"),
    ("start_data", "callsim.call(): start_data.order_number holds a lone surrogate U+D800"),
    ("secret", "callsim.call(): secrets.TOKEN holds a lone surrogate U+D800"),
    ("dtmf", "call.dtmf(): "),
])
def test_a_lone_surrogate_is_refused_where_it_is_given(shop: Callsim, flow: str, says: str) -> None:
    with pytest.raises(UsageError) as refused:
        asyncio.run(play(shop, flow, "ab\ud800"))
    assert says in str(refused.value)
