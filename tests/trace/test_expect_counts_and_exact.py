"""`times:` on the http, message and sms expectations (exactly this many matched, `0` none was sent), `exact:`
on http (the JSON body is the whole body), webhook (the report's sections named are whole) and order (no other
action ran), and `exact_headers:` on http (no other header). A request sent twice (a double order, a double
charge), a text that should not go out, a field or header that should not be sent, a variable that should not
reach the report or an action that should not have run is a bug a subset check misses."""

from __future__ import annotations

import pytest

from callsim.config.scenario import Expectation
from callsim.trace.events import ActionFinished, HttpRequestSent, MessageSent, WebhookAnswered, WebhookSent
from callsim.trace.expect import check

ORDER = HttpRequestSent(action="order", method="POST", url="https://api.test/orders", json_={"size": "large"})
LOOKUP = HttpRequestSent(action="lookup", method="GET", url="https://api.test/orders/4567")
CODE = MessageSent(action="code", id="SM0001", channel="sms", to="+14155550100", body="Your code is 1234")
THANKS = MessageSent(action="thanks", id="SM0002", channel="sms", to="+14155550100", body="Thanks!", after_call=True)


def verdict(expectation: dict, events: list) -> str | None:
    failure = check(Expectation.model_validate(expectation), events, events)
    return None if failure is None else f"{failure.expected} | {failure.instead}"


@pytest.mark.parametrize(("expectation", "events", "passes"), [
    ({"http": {"method": "POST", "url": "https://api.test/orders"}}, [ORDER, ORDER], True),   # at least one
    ({"http": {"method": "POST", "url": "https://api.test/orders", "times": 1}}, [ORDER], True),
    ({"http": {"method": "POST", "url": "https://api.test/orders", "times": 1}}, [ORDER, LOOKUP, ORDER], False),
    ({"http": {"method": "POST", "times": 0}}, [LOOKUP], True),
    ({"http": {"method": "POST", "times": 0}}, [LOOKUP, ORDER], False),
    ({"http": {"json": {"size": "small"}, "times": 0}}, [ORDER], True),
    ({"message": {"times": 0}}, [THANKS], True),                     # a post-call sms is no in-call message
    ({"message": {"times": 0}}, [CODE], False),
    ({"message": {"contains": "code", "times": 1}}, [CODE, CODE], False),
    ({"sms": {"times": 0}}, [CODE], True),
    ({"sms": {"contains": "thanks", "times": 1}}, [CODE, THANKS], True),
    ({"message": {"body": "Your code is 1234"}}, [CODE], True),          # the whole body, exactly
    ({"message": {"body": "Your code is"}}, [CODE], False),               # a text that says more fails
    ({"message": {"body": "your code is 1234"}}, [CODE], False),
    ({"sms": {"body": "Thanks!", "times": 1}}, [CODE, THANKS], True),
])
def test_times_counts_what_matched(expectation: dict, events: list, passes: bool) -> None:
    assert (verdict(expectation, events) is None) is passes


def test_the_failure_says_how_many_were_wanted_and_how_many_matched() -> None:
    assert verdict({"http": {"method": "POST", "url": "https://api.test/orders", "times": 1}}, [ORDER, ORDER]) == (
        "exactly 1 HTTP request POST https://api.test/orders | 2 matched; sent: POST https://api.test/orders "
        "json={'size': 'large'}; POST https://api.test/orders json={'size': 'large'}")
    assert verdict({"message": {"times": 0}}, [CODE]).startswith("no in-call message | 1 matched; sent: in-call sms")
    assert verdict({"http": {"method": "POST", "times": 2}}, []) == (
        "exactly 2 HTTP requests POST | sent: no request was sent; no action ran here")


def test_times_may_not_be_negative() -> None:
    with pytest.raises(ValueError):
        Expectation.model_validate({"http": {"times": -1}})


@pytest.mark.parametrize(("json", "passes"), [
    ({"size": "large"}, True),
    ({"size": "large", "note": "x"}, False),            # a field the test did not expect was sent
    ({"size": "large", "crust": "thin"}, False),
    ({"size": "large", "toppings": ["ham"]}, True),
    ({"size": "large", "toppings": ["ham", {"extra": True}]}, False),   # at any depth
])
def test_exact_json_is_the_whole_body(json: dict, passes: bool) -> None:
    sent = [HttpRequestSent(action="order", method="POST", url="https://api.test/orders", json_=json)]
    expected = {"http": {"json": {"size": "large", "toppings": ["ham"]} if "toppings" in json else {"size": "large"},
                         "exact": True}}
    assert (verdict(expected, sent) is None) is passes
    assert verdict({"http": {"json": {"size": "large"}}}, sent) is None  # a subset, without exact


def test_exact_needs_a_json_body_to_compare() -> None:
    with pytest.raises(ValueError, match="give json"):
        Expectation.model_validate({"http": {"exact": True}})


def test_order_exact_fails_an_action_run_before_between_or_after():
    ran = [ActionFinished(action=name, duration=0.0) for name in ("lookup", "refund", "log_call")]

    assert verdict({"order": ["lookup", "log_call"]}, ran) is None  # others may run in between
    assert verdict({"order": {"actions": ["lookup", "refund", "log_call"], "exact": True}}, ran) is None
    assert verdict({"order": {"actions": ["lookup", "log_call"], "exact": True}}, ran) == (
        "only the actions lookup → log_call to run, in that order | they ran in the order lookup → refund → log_call")
    assert verdict({"order": {"actions": ["refund", "log_call"], "exact": True}}, ran) is not None  # one before
    assert verdict({"order": {"actions": ["lookup", "refund"], "exact": True}}, ran) is not None  # one after
    assert verdict({"order": {"actions": ["log_call", "refund", "lookup"], "exact": True}}, ran) is not None


LOOKUP_WITH = HttpRequestSent(action="lookup", method="GET", url="https://api.test/orders/4567",
                              headers={"Authorization": "Bearer t0k", "X-CRM-Id": "C-981"})


@pytest.mark.parametrize(("headers", "passes"), [
    ({"Authorization": "Bearer t0k", "X-CRM-Id": "C-981"}, True),
    ({"authorization": "Bearer t0k", "x-crm-id": "C-981"}, True),              # names are case-insensitive
    ({"Authorization": "Bearer t0k"}, False),                                  # X-CRM-Id was sent too
    ({"Authorization": "Bearer t0k", "X-CRM-Id": "C-981", "X-Debug": "1"}, False),   # one was not sent
    ({}, False),
])
def test_exact_headers_are_all_the_headers_sent(headers: dict, passes: bool) -> None:
    expected = {"http": {"url": "https://api.test/orders/4567", "headers": headers, "exact_headers": True}}
    assert (verdict(expected, [LOOKUP_WITH]) is None) is passes
    assert verdict({"http": {"url": "https://api.test/orders/4567", "headers": {"Authorization": "Bearer t0k"}}},
                   [LOOKUP_WITH]) is None                                      # without it, a subset


def test_exact_headers_let_the_http_clients_own_headers_pass_unless_named() -> None:
    sent = [HttpRequestSent(action="order", method="POST", url="https://api.test/orders", json_={"size": "large"},
                            headers={"Content-Type": "application/json", "User-Agent": "acme/1.0",
                                     "Content-Length": "17"})]
    assert verdict({"http": {"url": "https://api.test/orders", "headers": {}, "exact_headers": True}}, sent) is None
    assert verdict({"http": {"url": "https://api.test/orders", "headers": {"user-agent": "acme/2.0"},
                             "exact_headers": True}}, sent) is not None       # named, it is checked
    assert verdict({"http": {"url": "https://api.test/orders", "headers": {}, "exact_headers": True}},
                   [LOOKUP_WITH, *sent]) is None                              # another URL's headers do not count


def test_an_exact_header_failure_names_the_header_too_many() -> None:
    assert verdict({"http": {"url": "https://api.test/orders/4567", "headers": {"Authorization": "Bearer t0k"},
                             "exact_headers": True}}, [LOOKUP_WITH, ORDER]) == (
        "an HTTP request https://api.test/orders/4567 with only the headers Authorization: Bearer t0k (transport "
        "headers aside) | sent: GET https://api.test/orders/4567 with headers Authorization: Bearer t0k, "
        "X-CRM-Id: C-981 (not expected); POST https://api.test/orders json={'size': 'large'} with headers "
        "no Authorization header")
    assert verdict({"http": {"url": "https://api.test/orders", "json": {"size": "small"}}}, [ORDER]).endswith(
        "json={'size': 'large'} (size = 'large' (expected 'small'))")


REPORT = {"type": "end_of_call_report", "format": 1, "call": {"id": "call-1", "ended_by": "caller"},
          "variables": {"call.id": "call-1", "agent.name": "spokes", "ticket": "1111", "card": "4111"},
          "actions": [{"name": "repair_status", "outcome": "finished", "t": 7.6}]}
SENT_REPORT = [WebhookSent(url="https://hooks.test/calls", json_=REPORT), WebhookAnswered(elapsed=0.0, status=204)]


@pytest.mark.parametrize(("json", "passes"), [
    ({"variables": {"ticket": "1111", "card": "4111"}}, True),          # the standard call.*, agent.* aside
    ({"variables": {"ticket": "1111"}}, False),                          # a variable too many reached the report
    ({"variables": {"ticket": "1111", "card": "4111", "call.id": "call-2"}}, False),   # named, it is checked
    ({"call": {"ended_by": "caller"}, "variables": {"ticket": "1111", "card": "4111"}}, True),  # callsim's: a subset
    ({"actions": [{"name": "repair_status", "outcome": "finished"}]}, False),     # t too many
    ({"actions": [{"name": "repair_status", "outcome": "finished", "t": 7.6}]}, True),
])
def test_exact_webhook_sections_are_whole(json: dict, passes: bool) -> None:
    assert (verdict({"webhook": {"json": json, "exact": True}}, SENT_REPORT) is None) is passes
    assert verdict({"webhook": {"json": {"variables": {"ticket": "1111"}}}}, SENT_REPORT) is None  # a subset


def test_an_exact_webhook_failure_names_what_is_too_many() -> None:
    assert verdict({"webhook": {"json": {"variables": {"ticket": "1111"}}, "exact": True}}, SENT_REPORT).endswith(
        "| it differs: variables.card = '4111' (not expected)")
    with pytest.raises(ValueError, match="give json"):
        Expectation.model_validate({"webhook": {"exact": True}})
