"""The synthesized caller set of the speech benchmark: five small agents and what their callers say.

Each case is one caller utterance in a call state (`before`: typed turns that bring the agent to a
question), with the action it must start and the values it must give. Nothing else may happen: a
value the caller did not give, or another action, is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AGENTS: dict[str, tuple[str, str]] = {
    "orders": ("""\
agent: order-desk
greeting: Thanks for calling the order desk. How can I help?
fallback: I can tell you where your order is, cancel it, or put you through to billing.
timezone: America/New_York
variables:
  order_number: {type: digits, length: 4-8, ask: What is your order number?}
  confirm: {type: yes_no, ask: Shall I cancel it?}
uses: [actions.yaml]
actions: [lookup_order, cancel_order, transfer_billing, opening_hours]
""", """\
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order", "order status", "track my package"]}
    needs: [order_number]
    request: {url: https://bench.test/lookup_order}
  cancel_order:
    type: http
    trigger: {phrases: ["cancel my order", "cancel the order"]}
    needs: [confirm]
    request: {url: https://bench.test/cancel_order}
  transfer_billing:
    type: http
    trigger: {phrases: ["billing", "talk to a person", "speak to someone"]}
    request: {url: https://bench.test/transfer_billing}
  opening_hours:
    type: http
    trigger: {phrases: ["opening hours", "when are you open"]}
    request: {url: https://bench.test/opening_hours}
"""),
    "clinic": ("""\
agent: riverside-clinic
greeting: Thanks for calling Riverside Clinic, this is Sam. How can I help?
fallback: I can book or cancel an appointment for you.
timezone: America/New_York
variables:
  visit_day: {type: date, ask: What day would suit you?}
  visit_time: {type: time, ask: And what time?}
  caller_name: {type: name, ask: May I have your name?}
  callback: {type: phone, ask: What is the best number to reach you?}
uses: [actions.yaml]
actions: [book_visit, visit_time, cancel_visit, callback_request]
""", """\
actions:
  book_visit:
    type: http
    trigger: {phrases: ["book an appointment", "make an appointment", "see the doctor"]}
    needs: [visit_day]
    request: {url: https://bench.test/book_visit}
  visit_time:
    type: http
    trigger: {phrases: ["change the time"]}
    needs: [visit_time]
    request: {url: https://bench.test/visit_time}
  cancel_visit:
    type: http
    trigger: {phrases: ["cancel my appointment"]}
    needs: [caller_name]
    request: {url: https://bench.test/cancel_visit}
  callback_request:
    type: http
    trigger: {phrases: ["call me back", "callback"]}
    needs: [callback]
    request: {url: https://bench.test/callback_request}
"""),
    "insurance": ("""\
agent: harbor-insurance
greeting: Harbor Insurance, how can I help you today?
fallback: I can check a claim, change your plan or connect you to an agent.
timezone: America/Chicago
variables:
  member_id: {type: digits, length: 6-9, ask: What is your member ID?}
  plan: {type: enum, values: [basic, plus, premium], ask: "Which plan would you like, basic, plus or premium?"}
  email: {type: email, ask: What email address should we send it to?}
  birth_date: {type: date, ask: What is your date of birth?}
uses: [actions.yaml]
actions: [claim_status, change_plan, send_documents, transfer_agent]
""", """\
actions:
  claim_status:
    type: http
    trigger: {phrases: ["claim status", "check my claim", "status of my claim"]}
    needs: [member_id]
    request: {url: https://bench.test/claim_status}
  change_plan:
    type: http
    trigger: {phrases: ["change my plan", "upgrade my plan", "switch plans"]}
    needs: [plan]
    request: {url: https://bench.test/change_plan}
  send_documents:
    type: http
    trigger: {phrases: ["send me the documents", "email me the policy"]}
    needs: [email]
    request: {url: https://bench.test/send_documents}
  transfer_agent:
    type: http
    trigger: {phrases: ["speak to an agent", "representative", "real person"]}
    request: {url: https://bench.test/transfer_agent}
"""),
    "restaurant": ("""\
agent: luigis
greeting: Luigi's, good evening. How can I help?
fallback: I can take a reservation or tell you our hours.
timezone: Europe/London
variables:
  party_size: {type: number, ask: For how many people?}
  arrival: {type: time, ask: What time would you like to come?}
  guest_name: {type: name, ask: What name is the booking under?}
uses: [actions.yaml]
actions: [reserve_table, arrival_time, booking_name, hours, takeaway]
""", """\
actions:
  reserve_table:
    type: http
    trigger: {phrases: ["book a table", "make a reservation", "reserve a table"]}
    needs: [party_size]
    request: {url: https://bench.test/reserve_table}
  arrival_time:
    type: http
    trigger: {phrases: ["change the time"]}
    needs: [arrival]
    request: {url: https://bench.test/arrival_time}
  booking_name:
    type: http
    trigger: {phrases: ["put it under a name"]}
    needs: [guest_name]
    request: {url: https://bench.test/booking_name}
  hours:
    type: http
    trigger: {phrases: ["opening hours", "what time do you close", "are you open"]}
    request: {url: https://bench.test/hours}
  takeaway:
    type: http
    trigger: {phrases: ["order takeaway", "order for pickup", "takeout"]}
    request: {url: https://bench.test/takeaway}
"""),
    "utility": ("""\
agent: bright-power
greeting: Bright Power customer service. What can I do for you?
fallback: I can report an outage, take a payment or update your details.
timezone: America/Denver
variables:
  account_number: {type: digits, length: 6-10, ask: Can I have your account number?}
  amount: {type: number, ask: How much would you like to pay?}
  agree: {type: yes_no, ask: Do you want me to go ahead?}
uses: [actions.yaml]
actions: [report_outage, pay_bill, stop_service]
""", """\
actions:
  report_outage:
    type: http
    trigger: {phrases: ["power is out", "report an outage", "no electricity"]}
    needs: [account_number]
    request: {url: https://bench.test/report_outage}
  pay_bill:
    type: http
    trigger: {phrases: ["pay my bill", "make a payment"]}
    needs: [amount]
    request: {url: https://bench.test/pay_bill}
  stop_service:
    type: http
    trigger: {phrases: ["stop my service", "close my account", "moving out"]}
    needs: [agree]
    request: {url: https://bench.test/stop_service}
"""),
}


@dataclass(frozen=True)
class Case:
    agent: str
    said: str
    action: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    before: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.agent}: {' / '.join([*self.before, self.said])}"


def _cases() -> list[Case]:
    c = Case
    order, cancel = ("where is my order",), ("I'd like to cancel my order",)
    day, time_, name = ("I'd like to book an appointment",), ("I'd like to change the time",), \
        ("I'd like to cancel my appointment",)
    claim, plan, docs = ("check my claim",), ("change my plan",), ("email me the policy",)
    table, table_time, table_name = ("I'd like to book a table",), ("I'd like to change the time",), \
        ("I'd like to put it under a name",)
    outage, pay, stop = ("the power is out",), ("I'd like to pay my bill",), ("I'd like to stop my service",)
    return [
        # orders: triggers
        c("orders", "hi, where is my order", "lookup_order"),
        c("orders", "I'd like to check my order status please", "lookup_order"),
        c("orders", "can you track my package", "lookup_order"),
        c("orders", "I need to talk to someone in billing", "transfer_billing"),
        c("orders", "can I speak to someone please", "transfer_billing"),
        c("orders", "what are your opening hours", "opening_hours"),
        c("orders", "when are you open on saturday", "opening_hours"),
        c("orders", "I want to cancel my order", "cancel_order"),
        c("orders", "where is my order, the number is 5 5 6 1 2", "lookup_order", {"order_number": "55612"}),
        c("orders", "track my package, order number seven seven one nine", "lookup_order", {"order_number": "7719"}),
        # orders: answers
        c("orders", "it's four five six seven", None, {"order_number": "4567"}, order),
        c("orders", "my order number is eight eight one two zero three", None, {"order_number": "881203"}, order),
        c("orders", "four seven seven two one", None, {"order_number": "47721"}, order),
        c("orders", "uh one two three four five", None, {"order_number": "12345"}, order),
        c("orders", "it's nine oh oh two one", None, {"order_number": "90021"}, order),
        c("orders", "six two eight four nine one seven", None, {"order_number": "6284917"}, order),
        c("orders", "yes please", None, {"confirm": True}, cancel),
        c("orders", "yeah sure", None, {"confirm": True}, cancel),
        c("orders", "no, don't cancel it", None, {"confirm": False}, cancel),
        c("orders", "absolutely", None, {"confirm": True}, cancel),
        # clinic
        c("clinic", "I'd like to book an appointment", "book_visit"),
        c("clinic", "can I make an appointment to see the doctor", "book_visit"),
        c("clinic", "I need to cancel my appointment", "cancel_visit"),
        c("clinic", "could you call me back later", "callback_request"),
        c("clinic", "next tuesday", None, {"visit_day": "2026-01-13"}, day),  # said on a Monday: next week's
        c("clinic", "tomorrow please", None, {"visit_day": "2026-01-06"}, day),
        c("clinic", "on the fifteenth of january", None, {"visit_day": "2026-01-15"}, day),
        c("clinic", "friday", None, {"visit_day": "2026-01-09"}, day),
        c("clinic", "at ten thirty", None, {"visit_time": "10:30:00"}, time_),
        c("clinic", "two in the afternoon", None, {"visit_time": "14:00:00"}, time_),
        c("clinic", "three thirty in the afternoon", None, {"visit_time": "15:30:00"}, time_),
        c("clinic", "my name is john smith", None, {"caller_name": "John Smith"}, name),
        c("clinic", "it's maria garcia", None, {"caller_name": "Maria Garcia"}, name),
        c("clinic", "this is david brown", None, {"caller_name": "David Brown"}, name),
        c("clinic", "call me back please, my number is four one five five five five zero one two three",
          "callback_request", {"callback": "+14155550123"}),
        c("clinic", "two one two five five five zero one nine eight", None, {"callback": "+12125550198"},
          ("call me back",)),
        # insurance
        c("insurance", "I want to check my claim", "claim_status"),
        c("insurance", "what's the status of my claim", "claim_status"),
        c("insurance", "I'd like to upgrade my plan", "change_plan"),
        c("insurance", "can you email me the policy", "send_documents"),
        c("insurance", "let me speak to an agent", "transfer_agent"),
        c("insurance", "I want a real person", "transfer_agent"),
        c("insurance", "my member id is three four five six seven eight", None, {"member_id": "345678"}, claim),
        c("insurance", "nine eight seven six five four three", None, {"member_id": "9876543"}, claim),
        c("insurance", "premium", None, {"plan": "premium"}, plan),
        c("insurance", "the basic one please", None, {"plan": "basic"}, plan),
        c("insurance", "plus please", None, {"plan": "plus"}, plan),
        c("insurance", "it's john dot smith at gmail dot com", None, {"email": "john.smith@gmail.com"}, docs),
        c("insurance", "maria at example dot com", None, {"email": "maria@example.com"}, docs),
        c("insurance", "change my plan to premium", "change_plan", {"plan": "premium"}),
        # restaurant
        c("restaurant", "I'd like to book a table for tonight", "reserve_table"),
        c("restaurant", "can I make a reservation", "reserve_table"),
        c("restaurant", "what time do you close", "hours"),
        c("restaurant", "are you open on sunday", "hours"),
        c("restaurant", "I want to order takeaway", "takeaway"),
        c("restaurant", "four people", None, {"party_size": 4}, table),
        c("restaurant", "just two of us", None, {"party_size": 2}, table),
        c("restaurant", "a table for six", None, {"party_size": 6}, table),
        c("restaurant", "eight thirty in the evening", None, {"arrival": "20:30:00"}, table_time),
        c("restaurant", "around seven pm", None, {"arrival": "19:00:00"}, table_time),
        c("restaurant", "the name is peter jones", None, {"guest_name": "Peter Jones"}, table_name),
        c("restaurant", "sarah please", None, {"guest_name": "Sarah"}, table_name),
        # utility
        c("utility", "my power is out", "report_outage"),
        c("utility", "I want to report an outage", "report_outage"),
        c("utility", "I'd like to pay my bill", "pay_bill"),
        c("utility", "I'm moving out and need to stop my service", "stop_service"),
        c("utility", "there is no electricity in my house", "report_outage"),
        c("utility", "I'd like to make a payment of forty dollars", "pay_bill", {"amount": 40}),
        c("utility", "my account number is one two three four five six seven", None,
          {"account_number": "1234567"}, outage),
        c("utility", "five five five one two one two", None, {"account_number": "5551212"}, outage),
        c("utility", "it's eight zero zero four two one nine", None, {"account_number": "8004219"}, outage),
        c("utility", "fifty dollars", None, {"amount": 50}, pay),
        c("utility", "one hundred and twenty", None, {"amount": 120}, pay),
        c("utility", "yes go ahead", None, {"agree": True}, stop),
        c("utility", "no thanks", None, {"agree": False}, stop),
        # nothing to act on: small talk and noises must not start anything or give values
        c("orders", "thanks, that's all", None),
        c("orders", "okay", None),
        c("clinic", "hmm let me think", None),
        c("insurance", "sorry, I didn't hear that", None),
        c("restaurant", "hello?", None),
        c("utility", "just a second", None),
        c("utility", "thank you very much", None),
        c("clinic", "hello, is anyone there", None),
        c("orders", "you", None),
    ]


CASES = _cases()
