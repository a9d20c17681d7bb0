"""`if:` conditions (evaluation criteria, triggers) checked against what the agent declares: a misspelt
variable or a literal of the wrong type is a validate error at the condition's line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callsim import load_project
from callsim.errors import ConfigErrors

AGENT = """\
agent: shop
greeting: Hello.
variables:
  order_number: {type: digits, ask: What is your order number?}
  plan: {type: enum, values: [basic, Plus, pro], ask: Which plan?}
  wants_receipt: {type: yes_no, ask: Do you want a receipt?}
  total: {type: number, ask: How much is it?}
  crm_id: {type: digits, from: start_data}
  pickup: {type: time, ask: When will you pick it up?}
  pickup_day: {type: date, ask: Which day?}
  callback: {type: phone, ask: What number?}
  email: {type: email, ask: Your email?}
  note: {type: text, ask: Anything else?}
uses: [actions.yaml]
actions: [lookup, book, receipt, quality]
"""
ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {{phrases: [order status]}}
    needs: [order_number]
    request: {{url: "https://api.test/orders/{{{{ order_number }}}}"}}
    save: {{order: $}}
  book:
    type: booking
    trigger: {{phrases: [book]}}
    needs: [pickup_day]
  receipt:
    type: sms
    trigger: {{on: call_end, if: {trigger}}}
    body: Thanks.
  quality:
    type: evaluate
    criteria:
      - name: greeted
        said: Hello
      - name: checked
        if: {criterion}
"""


def problems(tmp_path: Path, criterion: str, trigger: str = "wants_receipt") -> list[str]:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS.format(criterion=json.dumps(criterion), trigger=json.dumps(trigger)))
    try:
        load_project(tmp_path / "agent.yaml")
    except ConfigErrors as caught:
        return [str(error).split(str(tmp_path) + "/", 1)[1] for error in caught.errors]
    return []


@pytest.mark.parametrize("criterion", [
    'order_number == "0457" and plan in ["basic", "Plus"] and total > 100 and not wants_receipt',
    "crm_id == 4567 or crm_id == '4567'",  # data sent at call start is kept as sent: either may hold
    'wants_receipt == true and pickup >= "09:30:00" and pickup_day == "2026-12-01" and http.status != 404',
    'callback == "+14155550123" or email == "jo@example.com" or note == "fragile" or order.status == "shipped"',
    'booking is defined and booking.status == "booked" and call.direction == "inbound"',
    "cancelled.id is defined or booking.start_iso < '2026-12-02T00:00:00-05:00' or 100 < total",
])
def test_conditions_a_call_can_make_true_or_false_are_accepted(tmp_path, criterion):
    assert problems(tmp_path, criterion) == []


@pytest.mark.parametrize("criterion, message, hint", [
    ("bookng is defined", "bookng is not a variable anything in this agent sets", "did you mean booking?"),
    ("booking.stauts == 'booked'", "booking.stauts is not a variable anything", "did you mean booking.status?"),
    ("order_number == 457", "order_number == 457: order_number holds digits as text (a leading 0 kept), so it "
                            "never equals the number 457", 'quote it: order_number == "457"'),
    ("plan == 'platinum'", "plan == 'platinum': plan is one of basic, Plus, pro, never 'platinum'",
     "compare it with one of: basic, Plus, pro"),
    ("plan in ['basic', 'plus']", "plan in 'plus': plan is kept as written in its values, 'Plus'", "write 'Plus'"),
    ("wants_receipt == 'yes'", "wants_receipt is yes_no, kept as true or false, so it never equals 'yes'",
     "write wants_receipt == true"),
    ("total > '100'", "total > '100': total is a number and cannot be compared with text",
     "write the number: total > 100"),
    ("pickup == '14:30'", "pickup is kept as '14:30:00', so it never equals '14:30'", "write '14:30:00'"),
    ("pickup_day == '12/01/2026'", "pickup_day is kept in ISO 8601, and '12/01/2026' is not such a value",
     'write it as "2026-12-01"'),
    ("callback == '(415) 555-0123'", "callback is kept in E.164, so it never equals '(415) 555-0123'",
     "write '+14155550123'"),
    ("email == 'Jo@Example.com'", "email is kept in lower case", "write 'jo@example.com'"),
    ("note == 5", "note is text, so it never equals 5", 'quote it: note == "5"'),
    ("booking.status == 'cancelled'", "booking.status is one of booked, rescheduled, never 'cancelled'",
     "compare it with one of: booked, rescheduled"),
])
def test_a_criterion_that_could_never_hold_as_written_is_reported_at_its_if(tmp_path, criterion, message, hint):
    [error] = problems(tmp_path, criterion)
    assert error.startswith("actions.yaml:22:13: action 'quality', criterion 'checked', if: "), error
    assert message in error and hint in error, error


def test_a_trigger_condition_is_checked_the_same_way(tmp_path):
    [error] = problems(tmp_path, "plan == 'pro'", trigger="wants_reciept")
    assert error.startswith("actions.yaml:14:33: action 'receipt', trigger.if: wants_reciept is not a variable")
    assert "did you mean wants_receipt?" in error


def phone_book_error(tmp_path: Path, entries: str) -> str:
    """The one error of a desk transfer whose phone book has these `entries` (YAML list items)."""
    (tmp_path / "agent.yaml").write_text(AGENT.replace("actions: [lookup, book, receipt, quality]",
                                                       "actions: [desk]"))
    (tmp_path / "actions.yaml").write_text(
        "actions:\n  desk:\n    type: transfer\n    trigger: {phrases: [front desk]}\n    mode: cold\n"
        "    destination: {phonebook: desk}\n"
        "phonebooks:\n  desk:\n" + entries)
    with pytest.raises(ConfigErrors) as caught:
        load_project(tmp_path / "agent.yaml")
    [error] = [str(error).split(str(tmp_path) + "/", 1)[1] for error in caught.value.errors]
    return error


def test_a_phone_book_condition_is_type_checked_too(tmp_path):
    error = phone_book_error(tmp_path, "    - if: plan == 'Platinum' and now.hour < 17\n"
                                       "      destination: \"+14155550140\"\n    - destination: \"+14155550141\"\n")
    assert error.startswith("actions.yaml:9:11: phone book 'desk', target 1, if: plan == 'Platinum': plan is one "
                            "of basic, Plus, pro, never 'Platinum'"), error


@pytest.mark.parametrize("line, message", [
    ("say: \"{% if wants_receipt == 'yes' %}Receipt sent.{% endif %}\"",
     "8:10: action 'lookup', say: wants_receipt == 'yes': wants_receipt is yes_no, kept as true or false"),
    ("say: \"Ready {{ 'soon' if pickup == '14:30' else 'later' }}.\"",
     "8:10: action 'lookup', say: pickup == '14:30': pickup is kept as '14:30:00'"),
    ("on_error: {say: \"{{ 'Gold' if plan == 'gold' else '' }} sorry\"}",
     "8:15: action 'lookup', on_error: plan == 'gold': plan is one of basic, Plus, pro, never 'gold'"),
])
def test_a_comparison_inside_a_template_is_type_checked_as_a_condition_is(tmp_path, line, message):
    (tmp_path / "agent.yaml").write_text(AGENT)
    actions = ACTIONS.format(criterion=json.dumps("plan == 'pro'"), trigger=json.dumps("wants_receipt"))
    saved = "    save: {order: $}\n"
    (tmp_path / "actions.yaml").write_text(actions.replace(saved, f"{saved}    {line}\n"))
    with pytest.raises(ConfigErrors) as caught:
        load_project(tmp_path / "agent.yaml")
    [error] = [str(error).split(str(tmp_path) + "/", 1)[1] for error in caught.value.errors]
    assert error.startswith(f"actions.yaml:{message}"), error


def test_a_comparison_in_the_agents_own_lines_and_a_request_body_is_checked(tmp_path):
    (tmp_path / "agent.yaml").write_text(AGENT.replace(
        "greeting: Hello.", "greeting: \"Hello{{ ' again' if wants_receipt == 'no' else '' }}.\""))
    (tmp_path / "actions.yaml").write_text(ACTIONS.format(criterion=json.dumps("plan == 'pro'"),
                                                          trigger=json.dumps("wants_receipt")).replace(
        '    save: {order: $}\n',
        '    save: {order: $}\n    say: "{% if order_number == 457 %}Found it.{% endif %}"\n'))
    with pytest.raises(ConfigErrors) as caught:
        load_project(tmp_path / "agent.yaml")
    errors = sorted(str(error).split(str(tmp_path) + "/", 1)[1] for error in caught.value.errors)
    assert [error.split(": ", 2)[:2] for error in errors] == [
        ["actions.yaml:8:10", "action 'lookup', say"], ["agent.yaml:2:11", "greeting"]], errors
    assert "never equals the number 457" in errors[0] and "never equals 'no'" in errors[1]


def test_a_phone_book_destination_that_chooses_by_a_comparison_is_checked(tmp_path):
    error = phone_book_error(
        tmp_path, "    - destination: \"{{ '+14155550140' if plan == 'Platinum' else '+14155550141' }}\"\n")
    assert error.startswith("actions.yaml:9:20: phone book 'desk', target 1, destination: plan == 'Platinum': "
                            "plan is one of basic, Plus, pro, never 'Platinum'"), error
