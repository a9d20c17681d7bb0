"""Clauses, requests and what is left of a turn once its trigger words are out; goodbyes and repeat requests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from callsim.engine.conversation import (asks_back, asks_to_repeat, checks_the_line, declines, goodbye_at, is_goodbye,
                                        knows_not, without_holding)
from callsim.engine.triggers import TriggerMatch
from callsim.readers import ReadContext, read_value
from callsim.readers.utterance import (asks_a_question, asks_own_name, between_requests, clause_starts, clauses,
                                      content_words, cued_answer, cued_remark, detail_in, introductions_of, masked,
                                      name_introductions, only_introduces, requests_in, run_spans, runs, value_span,
                                      without_leading, without_whom)


def match(action: str, text: str, phrase: str, score: float = 100.0) -> TriggerMatch:
    start = text.index(phrase)
    return TriggerMatch(action, "phrase", phrase, score, start, start + len(phrase))


def test_clauses_start_after_punctuation_and_at_coordinating_words():
    text = "where is my order 4567 and how many points, then bye"
    starts = clause_starts(text)
    assert [text[s:s + 5] for s in starts] == ["where", "and h", "then "]
    assert clause_starts("it costs 3.50 at jo@x.org") == [0]  # a point inside a number or address is no break


def test_two_requests_in_two_clauses_run_in_the_order_said_each_with_its_own_part():
    text = "how many points do I have and where is my order, it's 4567"
    points, order = match("points", text, "how many points"), match("order", text, "where is my order")
    requests = requests_in(text, [order, points], [(points.start, points.end), (order.start, order.end)])
    assert [r.match.action for r in requests] == ["points", "order"]
    assert [r.said.text for r in requests] == ["how many points do I have ", "and where is my order, it's 4567"]
    assert requests[1].said.cut == ((4, 21),)


def test_one_clause_gives_one_request_the_best_match():
    text = "can I talk to a person in billing"
    best, other = match("billing", text, "talk to a person"), match("sales", text, "billing", 90.0)
    assert [r.match.action for r in requests_in(text, [best, other], [])] == ["billing"]


def test_overlapping_matches_in_two_clauses_are_one_request():
    text = "terms and conditions"
    whole, part = match("terms", text, "terms and conditions"), match("conditions", text, "conditions", 90.0)
    assert [r.match.action for r in requests_in(text, [whole, part], [])] == ["terms"]


@pytest.mark.parametrize("said, cut, left", [
    ("I have a complaint", "complaint", []),
    ("I have a complaint, the driver was rude to me", "complaint", ["the driver was rude to me"]),
    ("I have a complaint about the driver being rude", "complaint", ["the driver being rude"]),
    ("hi, I'd like to order a pizza for delivery", "order a pizza", ["delivery"]),
    ("hi, I'd like to order a pizza with ham and pineapple", "order a pizza", ["ham and pineapple"]),
    ("my power is out at forty two Elm Street", "power is out", ["forty two Elm Street"]),
    # what was said on either side of the trigger's words is two runs, never one across them
    ("hi this is Priya, I want to order a couple of quesadillas", "I want to order",
     ["this is Priya", "a couple of quesadillas"]),
])
def test_what_is_left_of_a_request_sentence(said, cut, left):
    start = said.index(cut)
    spans = clauses(said, ((start, start + len(cut)),))
    picked = [bool(content_words(said[s:e])) for s, e in spans]
    assert [without_leading(run) for run in runs(said, spans, picked)] == left


def test_a_run_keeps_its_place_when_its_words_were_said_before():
    said = "poor Zuri is sick, so report my daughter Zuri absent"
    cut = ((said.index("report"), said.index("daughter") + len("daughter")), (said.index("absent"), len(said)))
    spans = clauses(said, cut)
    found = run_spans(said, spans, [bool(content_words(said[s:e])) for s, e in spans])
    assert [said[s:e].strip(" ,") for s, e in found] == ["poor Zuri is sick", "Zuri"]
    assert found[1][0] > said.index("daughter")  # the second Zuri, not the first


@pytest.mark.parametrize("run, detail", [
    ("with olives", "with olives"), (" without onions", "without onions"), ("for delivery", None),
    ("the driver", None), ("within a week", None),
    ("one with ham", "with ham"),                 # "a small one with ham": the size was read, the detail is left
    ("the driver with a dog", None),              # content before "with": not a detail of the order
])
def test_a_detail_is_said_with_what_was_asked_for(run, detail):
    assert detail_in(run) == detail


NOW = ReadContext(now=dt.datetime(2026, 12, 1, 17, tzinfo=ZoneInfo("America/Denver")), timezone="America/Denver")


def reader(type_, **options):
    def read(part):
        found = read_value(type_, part, NOW, **options)
        return None if found is None else found.value
    return read


@pytest.mark.parametrize("text, type_, options, said", [
    ("account one two three four five six seven eight, a hundred and twenty five dollars", "digits",
     {"length": (8, 8)}, "one two three four five six seven eight,"),
    ("two burritos with guac, pick up at six thirty, name is Luis", "time", {}, "six thirty,"),
    ("two burritos with guac, pick up at six thirty, name is Luis", "enum", {"values": ["burrito", "tacos"]},
     "burritos"),
    ("two tacos and two burritos", "number", {}, "two"),  # a value said twice: its first saying
])
def test_value_span_finds_the_words_a_value_was_read_from(text, type_, options, said):
    read = reader(type_, **options)
    start, end = value_span(text, read, read(text))
    assert text[start:end] == said


def test_masked_text_keeps_every_other_character_in_place():
    assert masked("pay 60, account 1234", [(16, 20)]) == "pay 60, account ;;;;"
    assert masked("abc", []) == "abc"


@pytest.mark.parametrize("said", ["ok that's all, thanks, bye", "bye", "no that's it, thank you",
                                  "that's everything, have a nice day", "goodbye!"])
def test_goodbyes(said):
    assert is_goodbye(said)


@pytest.mark.parametrize("said", ["thanks", "that's all for my order, where is it", "bye the way, my order is late",
                                  "I'm done with the pizza, can I get dessert"])
def test_not_goodbyes(said):
    assert not is_goodbye(said)
    assert goodbye_at(said) is None


@pytest.mark.parametrize("said, at", [
    ("you know what, never mind, I'll keep it. bye", "bye"),
    ("awesome, I'll be right over, thanks, have a good night", "thanks"),
    ("one two three four, thanks, bye", "thanks"),
    ("ok that's all, thanks, bye", "ok that's all"),
])
def test_a_turn_may_end_with_a_goodbye(said, at):
    assert said[goodbye_at(said):].startswith(at)


@pytest.mark.parametrize("said, asks", [
    ("sorry, can you repeat that?", True), ("what?", True), ("pardon?", True), ("I didn't catch that", True),
    ("say that again please", True), ("sorry", True),
    ("sorry, how much did you say?", True), ("what time did you say?", True), ("which day did you just say", True),
    ("sorry can you say those times again", True), ("can you repeat the times", True),
    ("what were the times again", True), ("can you go over the options again", True),
    ("did you say Tuesday?", False),                   # a question whether, not a request to repeat
    ("I want to book again", False), ("call me again tomorrow", False),
    ("can you give me a call again tomorrow", False), ("can you read the meter again", False),   # requests
    ("tell me when it happens again", False), ("what is wrong with it again", False),
    ("what time do you close", False), ("sorry, my order is late", False), ("thanks", False),
])
def test_repeat_requests(said, asks):
    assert asks_to_repeat(said) is asks


@pytest.mark.parametrize("said, checks", [
    ("hold on, can you hear me?", True), ("hello? are you still there?", True), ("hang on a sec", True),
    ("one moment please", True), ("hello", False), ("hold on, my card is in the car", False),
    ("wait, where is my order", False),
])
def test_checking_the_line_or_holding_answers_nothing(said, checks):
    assert checks_the_line(said) is checks


@pytest.mark.parametrize("said, question, back", [
    ("what do you mean?", "What happened?", True),
    ("sorry, why do you need to know that?", "What symptoms are you having?", True),
    ("what kind of symptoms?", "What symptoms are you having?", True),
    ("why?", "What is the reason for the absence?", True),
    ("like what?", "Anything on it, like guacamole or extra salsa?", True),
    ("is guacamole extra?", "Anything on it, like guacamole or extra salsa?", True),
    ("what do you recommend?", "What toppings would you like?", True),      # asking for the options
    ("what's popular?", "What toppings would you like?", True),
    # a question that says something new is an answer (a complaint can be a question)
    ("why did the driver come two hours late?", "What happened?", False),
    ("can you put extra cheese on it?", "Anything on it, like guacamole or extra salsa?", False),
    ("headaches and dizziness", "What symptoms are you having?", False),
    ("the pizza was cold", "What happened?", False),
])
def test_a_question_back_about_the_question_answers_nothing(said, question, back):
    assert asks_back(said, question) is back


@pytest.mark.parametrize("said, introduces", [
    ("I need to report an absence for Noah Kim", True),
    ("I need to report an absence for noah kim", True),   # no capitals: a first name people have
    ("my daughter Sofia Lopez will be out", True),
    ("an order for delivery", False),
    ("a table for two", False),
    ("for my son's school", False),
    ("can I book for may fifth", False),                  # a month, not a name
    ("can I book for Monday", False),                     # a day, though capitalised
    # a first name that is also an ordinary word is a name only where the sentence uses it as one
    ("the insurance is for young drivers", False),
    ("they are for little ones", False),
    ("Long Island traffic was bad", False),
    ("for long distance", False),
    ("the order is for will", True),
    ("the order is for will, thanks", True),
    ("the order is for will at six", True),
    ("the order is for will smith", True),
    ("Will Smith called about it", True),
    ("the order is for hope mcdonald", True),
])
def test_whom_something_is_for_introduces_a_name(said, introduces):
    assert bool(name_introductions(said)) is introduces


@pytest.mark.parametrize("said, introduces", [
    ("our cat Luna is due for shots", True),        # one capitalised word after a pet word
    ("a stay for my dog Biscuit", True),
    ("my puppy max", True),                         # no capitals: a first name people have
    ("my dog barks at night", False),               # lower-case common words name nobody
    ("my cat's vaccines", False),
    # any kind of pet, breed or relative before a name, without a list of them
    ("my iguana Spike has stopped eating", True),
    ("My poodle Coco needs a full groom", True),
    ("my terrier Max needs a bath", True),
    ("my terrier max needs a bath", True),          # no capitals: a first name people have, as after "puppy"
    ("my old Ford broke down", False),              # an everyday word before the capital: no pet, no name
    ("my car Honda is making a noise", False),
    ("my appointment Monday", False),
    ("my iguana spike", False),                     # no capital and no first name
])
def test_a_pet_word_introduces_a_name(said, introduces):
    assert bool(name_introductions(said)) is introduces
    assert not name_introductions(said, pets=False)  # a pet's name is no person's


@pytest.mark.parametrize("said, own, names", [
    ("hi this is Maria Lopez, my son Leo will be out", False, ["my son Leo will be out"]),
    ("hi this is Maria Lopez, my son Leo will be out", True, ["this is Maria Lopez, my son Leo will be out",
                                                             "Maria Lopez, my son Leo will be out"]),
    ("my son Leo will be out", True, ["my son Leo will be out"]),      # one kind only: that kind
])
def test_the_callers_own_introduction_or_whom_they_call_about(said, own, names):
    assert [said[at:] for at in introductions_of(said, own)] == names


@pytest.mark.parametrize("clause, only", [
    ("hi, this is Maria Lopez", True),
    ("my name is Ana", True),
    ("this is Ana, the driver was rude", False),
    ("the driver was rude", False),
])
def test_a_clause_that_only_says_who_calls(clause, only):
    assert only_introduces(clause) is only


@pytest.mark.parametrize("about, own", [
    ("May I have your name?", True), ("Can I take your full name?", True), ("caller name", True),
    ("What is the student's name?", False), ("What's your dog's name?", False), ("Who is the lesson for?", False),
])
def test_a_name_asked_of_the_caller_themselves(about, own):
    assert asks_own_name(about) is own


@pytest.mark.parametrize("before, said, introduces", [
    ("board my dog ", "Biscuit from the 23rd", True),    # the trigger took "my dog"
    ("report my son ", "Leo absent", True),
    ("board my dog ", "barks a lot", False),
    ("board the ", "Biscuit from the 23rd", False),     # no relation before it
])
def test_a_relation_said_just_before_introduces_the_name_a_text_starts_with(before, said, introduces):
    assert (0 in name_introductions(said, before=before)) is introduces


@pytest.mark.parametrize("said, declined", [
    ("never mind", True), ("forget it", True), ("I'd rather not say", True), ("I prefer not to say", True),
    ("I don't want to give that out", True), ("none of your business", True),
    ("I don't want to tell you the reason", True),                     # the question's own words
    ("never mind the reason, she has a cold", False),                  # says more: an answer
    ("I don't know", False), ("she has a cold", False), ("no", False),
    ("I can't say", False), ("I can't really say, sorry", False),      # not knowing, not a refusal
    ("I can't tell you that", True), ("I can't give that out", True),
    ("I'd rather not give that out over the phone", True),               # how it would be given adds nothing
    ("I'd prefer not to", True), ("I'm not comfortable sharing that", True), ("I won't give that", True),
    ("I don't feel comfortable giving that out", True), ("no thanks, I'd rather keep that private", True),
    ("that's personal", True),
    ("I'm not comfortable with the date, make it the fifth", False),    # says more: an answer
    ("I don't want to give up my spot", False),
])
def test_taking_the_question_back_or_refusing_it(said, declined):
    assert declines(said, "What is the reason for the absence?") is declined


@pytest.mark.parametrize("said, answer", [
    ("um, let me think... pepperoni and mushrooms", "pepperoni and mushrooms"),
    ("hang on, it's 4567", "it's 4567"),
    ("no, not the tacos", "no, not the tacos"),           # a "no" is said to the question: it stays
    ("uh, ham", "uh, ham"),
    ("hold on, can you hear me?", "hold on, can you hear me?"),
])
def test_an_answer_starts_after_holding_the_line(said, answer):
    held = without_holding(said)
    assert held.strip() == answer and len(held) == len(said)   # blanked, so offsets stay put


@pytest.mark.parametrize("said, knows_nothing", [
    ("I don't know", True), ("not sure", True), ("no idea", True), ("I'm not sure, honestly", True),
    ("dunno", True), ("um, I really don't know", True), ("no clue, sorry", True), ("I have no idea what's wrong", True),
    ("I'm afraid I don't know", True), ("I don't remember", True), ("idk", True),
    ("I don't know what the problem is", True),                        # the question's own words
    ("I don't know why but the heater makes a loud noise", False),     # says more: an answer
    ("not sure, maybe the printer", False), ("I'm not sure if it's the heater or the boiler", False),
    ("the heater doesn't know when to stop", False),                   # "know" with more said
    ("I know exactly, the heater is loud", False), ("no", False), ("the screen is not working", False),
    ("never mind", False), ("", False),
    ("I can't say", True), ("I can't say, I don't have it on me", True), ("couldn't tell you", False),
    ("I haven't thought about it yet", True), ("I can't say, I haven't decided yet", True),
    ("I can't say yet, it depends on the weather", False),            # says more: an answer to weigh
])
def test_only_not_knowing_is_no_answer(said, knows_nothing):
    assert knows_not(said, "Can you describe the problem?") is knows_nothing


@pytest.mark.parametrize("said, cue, remark", [
    ("it's the heater, but the problem is a loud bang", "problem", "it's the heater, but the problem is a loud bang"),
    ("he's allergic to chicken, but lamb is fine", "allergic", "he's allergic to chicken, but lamb is fine"),
    ("two. oh and we have a piano, but it's an upright", "piano", "we have a piano, but it's an upright"),
    ("there's a leak, what's the problem now? no idea", "leak", "there's a leak"),
    ("what's the problem now? no idea, it just clicks", "problem", "it just clicks"),
    ("the heater is making a noise, no idea what the problem is", "problem", "the heater is making a noise"),
    ("Rex has a limp, and my problem is with the bill", "problem", "my problem is with the bill"),  # "and": its own
    ("the leak is bad. but the boiler is new", "leak", "the leak is bad"),                           # a new sentence
    ("the problem? no idea, honestly", "problem", None),
])
def test_a_cued_remark_is_its_clause_and_what_goes_on_about_it(said, cue, remark):
    assert cued_remark(said, said.index(cue), "What seems to be the problem? problem leak") == remark


@pytest.mark.parametrize("said, leading, left", [
    ("to my mom for her birthday", False, "for her birthday"),          # whom the flowers go to
    ("for Rosa Delgado, she loves lilies", False, ", she loves lilies"),  # a name after "for"
    ("for noah kim, delivery", False, ", delivery"),                    # a surname people have, in lower case
    ("it's my mom's birthday", False, "it's birthday"),                # whose occasion it is, without "for"
    ("my son's pizza was cold", True, "my son's pizza was cold"),       # the value keeps it
    ("for noah price", False, "price"),                                 # an everyday word is no surname here
    ("for my son Leo, he wants olives", True, ", he wants olives"),
    ("the driver was rude to my son Leo", False, "the driver was rude"),
    ("the driver was rude to my son Leo", True, "the driver was rude to my son Leo"),  # not where it starts
    ("our cat Luna is sick", False, "our cat Luna is sick"),            # no "for"/"to": who is sick, kept
    ("to the airport for delivery", False, "to the airport for delivery"),  # "for"/"to" before no one
])
def test_whom_a_request_is_for_is_taken_out(said, leading, left):
    assert without_whom(said, leading=leading) == left


@pytest.mark.parametrize("said, left", [
    ("it's 88 Bank Street", "88 Bank Street"),
    ("that would be eighty eight bank street", "eighty eight bank street"),
    ("and it is 4 Elm Road", "4 Elm Road"),
    ("we're at 1450 ocean view drive", "1450 ocean view drive"),
    ("I'm at the corner of Main", "I'm at the corner of Main"),
    ("it's the boiler in the basement", "it's the boiler in the basement"),   # a remark, not a value pointed at
    ("it's one of those old radiators", "it's one of those old radiators"),
    ("it's been ringing all day", "it's been ringing all day"),
])
def test_a_value_pointed_at_loses_the_pointing_words(said, left):
    assert without_leading(said) == left


@pytest.mark.parametrize("said, asked, part", [
    ("my right ear has been ringing all day can I talk to an audiologist", "talk to an audiologist",
     "my right ear has been ringing all day"),
    ("there's a leak, so I'd like to book a repair", "book a repair", "there's a leak"),
    ("can I talk to someone, my ear is ringing", "talk to someone", "my ear is ringing"),
])
def test_a_remark_ends_where_a_request_and_its_leading_words_begin(said, asked, part):
    at = said.index(asked)
    cue = said.index("ear") if "ear" in said else said.index("leak")
    start, end = between_requests(said, cue, [(at, at + len(asked))])
    assert said[start:end].strip(" ,") == part.strip(" ,")


@pytest.mark.parametrize("clause, asks", [
    ("where is my tow truck", True), ("how long will the truck take", True), ("um so where's the van", True),
    ("what happened is my car broke down", False), ("my truck broke down", False),
    ("can you tow my honda", False),   # a request that gives the value
])
def test_a_clause_that_asks_about_something(clause, asks):
    assert asks_a_question(clause) is asks


ADDRESS_CUES = ["street", "avenue", "lane", "drive"]


@pytest.mark.parametrize("said, answer", [
    ("77 juniper lane, and we have lots of trees out back if that matters", "77 juniper lane, "),
    ("22 cedar lane. the piano is upstairs", "22 cedar lane."),
    ("12 oak street, apartment 4", "12 oak street, apartment 4"),
    ("12 oak street, but the gate is round the back", "12 oak street, but the gate is round the back"),
    ("12 oak street, and the side door is on elm avenue", "12 oak street, and the side door is on elm avenue"),
    ("up the hill, 12 oak street", "up the hill, 12 oak street"),
    ("the blue house, and the gate is open", "the blue house, and the gate is open"),
])
def test_a_cued_answer_stops_before_another_statement_without_a_cue(said, answer):
    assert cued_answer(said, ADDRESS_CUES) == answer
