"""The HTTP fake: routes answer in order, `times:` limits a route, an unmatched request names the
nearest route and how it differs, and each route knows whether any request used it."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from callsim.backends.http import FakeHttp
from callsim.config.scenario import HttpRoute
from callsim.engine.clock import VirtualClock
from callsim.errors import CallError

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


def fake(*routes: dict) -> FakeHttp:
    return FakeHttp([HttpRoute.model_validate(r) for r in routes], VirtualClock(START))


def send(http: FakeHttp, method: str, url: str):
    return asyncio.run(http.request(method, url, headers={}, timeout=5.0))


def unmatched(http: FakeHttp, method: str, url: str) -> str:
    with pytest.raises(CallError) as raised:
        send(http, method, url)
    return str(raised.value)


ORDERS = "https://api.acme.test/orders"


def test_routes_answer_in_order_and_times_limits_one():
    http = fake({"match": f"GET {ORDERS}/1", "status": 503, "times": 1},
                {"match": f"GET {ORDERS}/1", "json": {"status": "shipped"}})
    assert send(http, "GET", f"{ORDERS}/1").status_code == 503
    assert send(http, "GET", f"{ORDERS}/1").json() == {"status": "shipped"}
    assert send(http, "GET", f"{ORDERS}/1").json() == {"status": "shipped"}
    assert [r.calls for r in http.routes] == [1, 2]


def test_a_route_used_up_by_times_is_named_when_nothing_else_matches():
    http = fake({"match": f"GET {ORDERS}/1", "json": {}, "times": 2})
    send(http, "GET", f"{ORDERS}/1")
    send(http, "GET", f"{ORDERS}/1")
    message = unmatched(http, "GET", f"{ORDERS}/1")
    assert "no http route matches GET https://api.acme.test/orders/1" in message
    assert "http[0] GET https://api.acme.test/orders/1 matches it, but answers only 2 request(s) (times: 2)" in message


@pytest.mark.parametrize(("routes", "method", "url", "nearest", "difference"), [
    ([f"GET {ORDERS}/1111", "GET https://api.acme.test/customers/7"], "GET", f"{ORDERS}/2222",
     f"http[0] GET {ORDERS}/1111", "differs in the last path segment: the route has '1111', the request '2222'"),
    ([f"GET {ORDERS}/1111", f"POST {ORDERS}/2222"], "GET", f"{ORDERS}/2222",
     f"http[1] POST {ORDERS}/2222", "differs in the method: the route is POST, the request GET"),
    ([f"GET {ORDERS}/1111/items"], "GET", f"{ORDERS}/2222/items",
     f"http[0] GET {ORDERS}/1111/items", "differs in path segment 2: the route has '1111', the request '2222'"),
    (["GET https://api.acme.dev/orders/1"], "GET", f"{ORDERS}/1",
     "http[0] GET https://api.acme.dev/orders/1", "differs in the host: the route has api.acme.dev, the request "
     "api.acme.test"),
    ([f"GET {ORDERS}/1"], "GET", f"{ORDERS}/1/items",
     f"http[0] GET {ORDERS}/1", "differs in the path: the request goes on with /items"),
    ([f"GET {ORDERS}/1/items"], "GET", f"{ORDERS}/1",
     f"http[0] GET {ORDERS}/1/items", "differs in the path: the route goes on with /items"),
    ([f"GET {ORDERS}?status=open&page=1"], "GET", f"{ORDERS}?status=closed&page=1",
     f"http[0] GET {ORDERS}?status=open&page=1",
     "differs in the query: the route has status=open, the request status=closed"),
    ([f"GET {ORDERS}?status=open"], "GET", f"{ORDERS}?status=open&page=2",
     f"http[0] GET {ORDERS}?status=open", "differs in the query: the request adds page=2"),
    ([f"GET {ORDERS}/1*"], "GET", f"{ORDERS}/2/items",
     f"http[0] GET {ORDERS}/1*", "differs in path segment 2: the route has '1*', the request '2'"),
])
def test_an_unmatched_request_names_the_nearest_route(routes, method, url, nearest, difference):
    http = fake(*({"match": r, "json": {}} for r in routes))
    message = unmatched(http, method, url)
    assert message.startswith(f"no http route matches {method} {url}; did you mean {nearest}? It {difference}")
    assert f"e.g. - {{match: {method} {url}, status: 200, json: {{}}}}" in message


def test_several_differences_are_all_named():
    http = fake({"match": f"POST {ORDERS}/1111", "json": {}})
    message = unmatched(http, "GET", f"{ORDERS}/2222")
    assert ("differs in the method: the route is POST, the request GET; and in the last path segment: "
            "the route has '1111', the request '2222'") in message


def test_unrelated_routes_are_listed_not_suggested():
    http = fake({"match": "GET https://maps.test/directions", "json": {}},
                {"match": "POST https://crm.test/calls", "json": {}})
    message = unmatched(http, "GET", f"{ORDERS}/1")
    assert "did you mean" not in message
    assert ("no route is close; the scenario's http: routes are http[0] GET https://maps.test/directions, "
            "http[1] POST https://crm.test/calls") in message


def test_no_routes_at_all():
    message = unmatched(fake(), "GET", f"{ORDERS}/1")
    assert "the scenario has no http: routes" in message


def test_the_nearest_route_has_the_fewest_and_smallest_differences():
    http = fake({"match": f"POST {ORDERS}/1111", "json": {}}, {"match": f"GET {ORDERS}/1111", "json": {}},
                {"match": f"GET {ORDERS}/2223", "json": {}})
    assert f"did you mean http[2] GET {ORDERS}/2223?" in unmatched(http, "GET", f"{ORDERS}/2222")
    assert f"did you mean http[1] GET {ORDERS}/1111?" in unmatched(http, "GET", f"{ORDERS}/9999")


def test_routes_know_whether_they_were_used():
    http = fake({"match": f"GET {ORDERS}/1", "json": {}}, {"match": f"GET {ORDERS}/2", "json": {}},
                {"match": f"GET {ORDERS}/3", "json": {}, "optional": True})
    send(http, "GET", f"{ORDERS}/1")
    assert [u.path for u in http.unused()] == [("http", 1)]


@pytest.mark.parametrize("route, answer", [
    ({"match": "POST https://api.test/calls", "status": 204, "json": {"id": 7}}, "a 204 answer"),
    ({"match": "GET https://api.test/x", "status": 304, "text": "cached"}, "a 304 answer"),
    ({"match": "GET https://api.test/x", "status": 101, "json": {}}, "a 101 answer"),
    ({"match": "HEAD https://api.test/x", "json": {"status": "shipped"}}, "an answer to HEAD"),
])
def test_a_fake_answer_no_server_sends_is_refused(route, answer):
    # a body on a 204 (or a HEAD answer) would let save: read what production never returns
    with pytest.raises(ValueError, match=f"{answer} carries no body \\(RFC 9110\\)"):
        HttpRoute.model_validate(route)
    assert HttpRoute.model_validate({k: v for k, v in route.items() if k not in ("json", "text")})


def test_a_free_call_is_told_where_its_routes_are_written():
    http = fake()
    http.routes_from = "free_call"
    message = unmatched(http, "GET", f"{ORDERS}/1")
    assert "this free call has no http routes: it plays no scenario, and the agent's defaults: list none" in message
    assert f"under defaults: http: in the agent's file, e.g. - {{match: GET {ORDERS}/1, status: 200" in message
    assert "scenario's http: list" not in message


def test_a_call_from_python_is_told_to_pass_a_route():
    http = fake({"match": "GET https://maps.test/directions", "json": {}})
    http.routes_from = "python"
    message = unmatched(http, "GET", f"{ORDERS}/1")
    assert "the call's http routes are http[0] GET https://maps.test/directions" in message
    assert f'callsim.call(..., http=[{{"match": "GET {ORDERS}/1", "json": {{}}}}])' in message
    assert "scenario" not in message
