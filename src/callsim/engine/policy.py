"""Policies decide the agent's next move; `scripted` is the offline, deterministic default.

The scripted policy, on each caller turn:
1. runs the per-turn extractors, so everything after sees what the caller just said;
2. if it is waiting for a variable, reads the answer by the variable's type (a self-correction's
   later value wins) from the part of the turn before any new request;
3. takes each request of the turn (the best trigger match of each clause, in the order said) and,
   for each, reads its needs from its own part of the turn — a new value replacing one given
   before — asks for the first one still missing (its `ask:` line), and runs the action;
4. with no request: a correction of an earlier answer ("actually make that a large") replaces it,
   a goodbye ends the call, "can you repeat that?" repeats the agent's last line, and a question back
   about the question being asked ("what do you mean?") gets the question again;
5. says the fallback line when nothing was said back.

A `text` or `name` need is read from a request's own sentence only from what is left of it once
the trigger's words and filler are taken out ("I have a complaint" leaves nothing, so the agent
asks); what is left fills one such variable per turn at most.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import re

from callsim.engine.conversation import (asks_back, asks_to_repeat, checks_the_line, declines, goodbye_at, knows_not,
                                        stem, withdraws, without_holding)
from callsim.readers.corrections import CORRECTION, Reading, markers, said_around_markers, tail_replaced
from callsim.readers.name import is_given_name, written_as_a_name
from callsim.readers.number import COUNTED_ALIKE, counts_of
from callsim.readers.numerals import as_numerals
from callsim.readers.quantities import a_number_alone
from callsim.readers.utterance import (FUNCTION_WORDS, Request, Said, asks_own_name, clauses, content_words, detail_in,
                                     introduces_oneself, lead_in, masked, name_introductions, only_introduces,
                                     requests_in, run_spans, runs, says_any, value_span, without_leading, without_whom)
from callsim.trace.events import SlotAsked, SlotDeclined, SlotUnreadable

if TYPE_CHECKING:
    from callsim.engine.session import CallSession

FREE_TEXT = ("text", "name")
"""Types read from what is left of a request's sentence, never from its trigger's words."""
MIN_CONTENT_WORDS = 2
"""What must be left of a request's sentence for a `text` need to be read from it ("for delivery" is not enough)."""
ABOUT_A_VALUE = 2
"""A clause with a typed value and at most this many content words besides is about that value ("my account
number is ..."), not free text."""


class Policy(Protocol):
    """The plug-in point for what decides the agent's moves."""

    async def on_call_start(self, call: CallSession) -> None: ...

    async def on_caller_turn(self, call: CallSession, text: str) -> None: ...

    async def on_call_end(self, call: CallSession) -> None: ...

    async def on_message_reply(self, call: CallSession, action: str) -> None:
        """A reply came in to the message `action` sent (its text is already saved)."""

    async def on_dtmf(self, call: CallSession, digits: str) -> None:
        """The caller pressed keys (already in the `dtmf` variable)."""

    async def on_prompt(self, call: CallSession, text: str) -> None:
        """The phone menu the agent called said something (an outbound call's other end)."""

    async def request_action(self, call: CallSession, action: str, reason: str, said: Said | None = None) -> None:
        """Run `action` as soon as its `needs:` are met (asking the caller for what is missing); `said`
        is the part of the turn its needs are read from (default: the whole last turn)."""

    def offer_choice(self, call: CallSession, action: str, variable: str, read: Callable[[str], Any]) -> None:
        """Read the caller's next turn with `read` into `variable` (a pick among offered times), then run `action`."""


@dataclass
class _Pending:
    action: str
    reason: str
    variable: str
    attempt: int
    read: Callable[[str], Any] | None = None
    """Reads a choice among what an action offered, instead of reading the variable by its type."""


class ScriptedPolicy:
    """Triggers, slot filling and fallbacks, with no language model: the same input gives the same call."""

    def __init__(self) -> None:
        self.pending: _Pending | None = None
        self.queue: list[tuple[str, str, Said | None]] = []
        self._if_was: dict[str, bool] = {}
        self._said = Said("")
        """The caller's last turn and the spans in it that fired triggers."""
        self._ran: dict[str, int] = {}
        """Each action this policy ran, with the caller turn it ran in (the last time)."""
        self._claimed: list[tuple[int, int]] = []
        """Where in the last turn (character offsets) a value was read from: no other value is read from there."""

    async def on_call_start(self, call: CallSession) -> None:
        for match in call.triggers.lifecycle("call_start", call.context()):
            call.fired(match)
            await self.request_action(call, match.action, "call_start")

    async def on_call_end(self, call: CallSession) -> None:
        self.pending, self.queue = None, []
        matches = call.triggers.lifecycle("call_end", call.context())
        # evaluations judge the finished call, so they run after every other post-call action
        for match in sorted(matches, key=lambda m: call.project.actions[m.action].type == "evaluate"):
            call.fired(match)
            if call.missing_needs(match.action):
                continue  # nobody to ask any more; the action cannot run
            await call.run_action(match.action, "call_end")

    async def on_message_reply(self, call: CallSession, action: str) -> None:
        for match in call.triggers.lifecycle("message_reply", call.context()):
            call.fired(match)
            await self.request_action(call, match.action, f"reply to {action}")

    async def on_dtmf(self, call: CallSession, digits: str) -> None:
        """Keys answer the variable being asked for (a PIN, an account number); else they fire `on: dtmf` actions."""
        said_before = call.spoken_lines
        self._new_turn(digits)
        if self.pending is not None:
            await self._answer(call, digits.rstrip("#"), switching=False)
            return
        matches = call.triggers.lifecycle("dtmf", call.context())
        for match in matches:
            call.fired(match)
            await self.request_action(call, match.action, f"keys {digits}")
        if not matches and call.spoken_lines == said_before and not call.ended:
            await call.say(call.agent.fallback, "fallback")

    async def on_prompt(self, call: CallSession, text: str) -> None:
        """A phone menu's prompt fires actions like a caller turn, but the agent never talks back to a menu."""
        heard = call.triggers.hear(text, call.context())
        call.suppressed(heard.suppressed)
        call.overruled(heard.overruled, heard.unmatched)
        self._new_turn(text, heard.matches + heard.suppressed)
        if heard.matches:
            call.fired(heard.matches[0])
            await self.request_action(call, heard.matches[0].action, f"menu prompt {call.turn}")
        await self._turn_conditions(call)

    async def on_caller_turn(self, call: CallSession, text: str) -> None:
        said_before = call.spoken_lines
        heard = call.triggers.hear(text, call.context())
        call.suppressed(heard.suppressed)
        call.overruled(heard.overruled, heard.unmatched)
        self._new_turn(text, heard.matches + heard.suppressed)
        call.trigger_spans = self._said.cut
        # a heard turn too short to trust (see CallSession.caller_says) may answer, but requests nothing
        matches = heard.matches
        if any(match.score < 100.0 for match in matches) and asks_to_repeat(text):
            # "sorry, how much did you say?": a phrase heard only roughly in it asks for nothing
            matches = [match for match in matches if match.score >= 100.0]
        requests = requests_in(text, matches, list(self._said.cut)) if call.may_fire_actions else []
        await self._turn_conditions(call, extractors=True)
        if self.pending is not None:
            requests = await self._answer_turn(call, text, requests)
        if requests:
            for request in requests:
                call.fired(request.match)
                await self.request_action(call, request.match.action, f"caller turn {call.turn}", request.said)
        elif self.pending is None and call.spoken_lines == said_before:
            await self._without_request(call, text)
        if not call.ended:
            await self._turn_conditions(call)
        if call.spoken_lines == said_before and not call.ended:
            await call.say(call.agent.fallback, "fallback")

    async def request_action(self, call: CallSession, action: str, reason: str, said: Said | None = None,
                             answered: bool = False) -> None:
        """Run an action, or ask for what it still needs. `answered`: the turn just answered one of its
        questions, and is read for its other needs too, but not for free text ("not roses, she's allergic, the
        mixed one" answering the bouquet is no message for the card)."""
        if self.pending is not None:
            self.queue.append((action, reason, said))
            return
        self._read_needs(call, action, said or self._said, replace=said is not None, answered=answered)
        if said is not None and said.text != self._said.text and self._said.text[said.at:].startswith(said.text):
            # one of several requests in this turn: a value it needs may be said with another one ("what's my
            # balance and can I set up a payment plan, account 1234 5678")
            self._read_needs(call, action, self._said, replace=False, typed_only=True)
        missing = call.missing_needs(action)
        if missing:
            self.pending = _Pending(action, reason, missing[0], 1)
            await self._ask(call)
            return
        await call.run_action(action, reason)
        self._ran[action] = call.turn  # finished or failed: a corrected lookup runs again either way
        await self._next_queued(call)

    def offer_choice(self, call: CallSession, action: str, variable: str, read: Callable[[str], Any]) -> None:
        self.pending = _Pending(action, f"choice offered by {action}", variable, 1, read)
        call.emit(SlotAsked(variable=variable, action=action, attempt=1))

    # -- a turn ------------------------------------------------------------------------------------

    def _new_turn(self, text: str, matches: Sequence[Any] = ()) -> None:
        """Start reading a turn: the trigger matches' spans are what is not free text in it."""
        self._said = Said(text, tuple(span for m in matches for span in m.spans()))
        self._claimed = []

    async def _answer_turn(self, call: CallSession, text: str, requests: list[Request]) -> list[Request]:
        """The turn while the agent waits for an answer; returns the requests still to take.

        A repeat request or a goodbye comes first; then a correction of an earlier answer (when the
        answer itself cannot be read from the turn); then the answer, read from the part of the turn
        before any new request, whose other requests follow once the answer's action is done."""
        pending = self.pending
        assert pending is not None
        leaving = None if requests else goodbye_at(text)
        if leaving is not None and leaving > 0 and self._reads_as_answer(call, pending, text[:leaving]):
            text = text[:leaving]  # "one two three four, thanks, bye": the answer, and the call goes on
        elif not requests and (asks_to_repeat(text) or checks_the_line(text) or leaving is not None
                               or (pending.read is None and asks_back(text, call.last_line))):
            await self._without_request(call, text)
            return []
        elif not requests and declines(text, call.last_line):
            # "never mind", "I'd rather not say": not the answer (a complaint of "never mind"), and the action
            # that needed it is dropped; the fallback line then says what else the agent can do
            call.emit(SlotDeclined(variable=pending.variable, action=pending.action, text=text))
            self.pending, self.queue = None, []
            return []
        answer = without_holding(self._answer_part(call, text, requests, pending))
        if pending.read is None and not requests and await self._corrected_instead(call, answer, pending.variable):
            await self._ask(call)  # asked the grade, "it's the fifteenth not the twelfth" moves the day: the grade again
            return []
        if pending.read is None and CORRECTION.search(answer) is not None and self._may_correct(call, pending, answer):
            if await self._corrected_earlier(call, answer, besides=pending.variable):
                await self._ask(call)  # "Is that order 4567?" - "no, it's 4568": asked again, with 4568
                return []
        if pending.read is None and CORRECTION.search(answer) is not None:
            await self._corrected_beside(call, answer, pending)
        if not requests and self._answers_another(call, pending, answer):
            await self._ask(call)  # "Anything on it?" - "it's for Sam": the name, and the question again
            return []
        if not requests:
            answer = self._without_values_beside(call, pending, answer)
        if await self._answer(call, answer, switching=bool(requests)):
            for request in requests:
                # a match by meaning was judged on the whole turn, and the turn was the answer
                if request.match.action != pending.action and request.match.by != "semantic":
                    call.fired(request.match)
                    self.queue.append((request.match.action, f"caller turn {call.turn}", request.said))
            await self._next_queued(call)
            return []
        return requests if self.pending is None else []

    def _answer_part(self, call: CallSession, text: str, requests: list[Request], pending: _Pending) -> str:
        """The part of a turn that may answer the pending question: all of it without a new request; the part
        before the first new request; and when the turn opens with one ("where is my order, it's 4567"),
        what its trigger's words and its own values leave ("" for a free-text question unless the turn says
        more than its requests), so neither the order number nor the request is taken as the answer."""
        if not requests or pending.read is not None:
            return text
        if requests[0].clause_start > 0:
            answer = text[:requests[0].clause_start]
            if call.agent.variables[pending.variable].type == "text" and not content_words(answer):
                return ""  # "wait, where is my order" asked for the toppings: "wait" is no toppings
            return answer
        if call.agent.variables[pending.variable].type == "text":
            return text if self._more_than_requests(call, requests) else ""
        spans: list[tuple[int, int]] = []
        for request in requests:
            said = request.said
            spans += [(said.at + start, said.at + end) for start, end in said.cut]
            if request.match.action == pending.action:
                continue  # the caller asks again for what the question is for: its values may be the answer
            for need in call.project.actions[request.match.action].needs:
                spec = call.agent.variables.get(need)
                reading = None if spec is None or spec.type in FREE_TEXT else call.read_as(spec, said.text)
                if reading is not None:
                    start, end = value_span(said.text, _value_reader(call, spec), reading.value)
                    spans.append((said.at + start, said.at + end))
        return masked(text, spans)

    async def _corrected_beside(self, call: CallSession, answer: str, pending: _Pending) -> None:
        """An answer that also corrects an earlier one ("Jo March, and sorry, make that friday at nine", "make it
        seventy five, and the account is ..."): the correction is heard first, from the words the answer's own
        value leaves, so the action the answer completes runs with it."""
        spec = call.agent.variables[pending.variable]
        reading = call.read_answer(pending.variable, answer)
        if reading is None or spec.type == "text":
            return
        start, end = value_span(answer, _value_reader(call, spec), reading.value)
        await self._corrected_earlier(call, masked(answer, [(start, end)]), besides=pending.variable, quietly=True)

    def _answers_another(self, call: CallSession, pending: _Pending, answer: str) -> bool:
        """Whether a turn that does not answer the question (or is asked for free text, which any turn would
        fill) is instead the value of another need the same action still lacks, and only that ("it's for Sam"
        is the name the order is under, not what goes on it nor how many; "at six thirty" is the pick-up time):
        those values are heard, and the question stays open."""
        others = [] if pending.read is not None else _other_typed_needs(call, pending)
        if not others or (call.agent.variables[pending.variable].type != "text" and call.read(
                pending.variable, masked(answer, _particular_values(call, pending, answer))) is not None):
            return False
        heard = False
        for need, spec in others:
            found = self._only_value(call, spec, answer)
            if found is not None:
                call.hear(need, found)
                heard = True
        return heard

    def _without_values_beside(self, call: CallSession, pending: _Pending, answer: str) -> str:
        """A free-text answer without its clauses that only give another need of the same action, which are
        heard: "the printer jams every time, you can call me at 312 555 0123" asked for the problem gives the
        callback number too, and the problem is what the printer does. Such a clause says nothing but the
        value and words of that need's own name, question or cues ("call", "number")."""
        if pending.read is not None or call.agent.variables[pending.variable].type != "text":
            return answer
        others = _other_typed_needs(call, pending)
        spans = clauses(answer) if others else []
        if len(spans) < 2:
            return answer
        kept = []
        for start, end in spans:
            clause = answer[start:end]
            for need, spec in others:
                found = self._only_value(call, spec, clause, about=_words_about(need, spec))
                if found is not None:
                    call.hear(need, found)
                    break
            else:
                kept.append(clause.strip(" ,;"))
        return ", ".join(kept) if kept and len(kept) < len(spans) else answer

    @staticmethod
    def _only_value(call: CallSession, spec: Any, text: str, about: frozenset[str] | None = None) -> Reading | None:
        """The value of `spec`'s type that `text` is all about ("it's for Sam", "my order is for Sam Lee", "at
        six thirty"), with at most a few words about it (or, given `about`, only those words); a name must be
        introduced and be one people have."""
        if spec.type == "name":
            reading = next((r for at in name_introductions(text) if (r := call.read_as(spec, text[at:])) is not None),
                           None)
            name = str(reading.value) if reading is not None else ""
            first = name.split()[0] if name else ""
            if reading is None or not (first in text or is_given_name(first, name[len(first):])):
                return None
        else:
            reading = call.read_as(spec, text)
            if reading is None:
                return None
        start, end = value_span(text, _value_reader(call, spec), reading.value)
        besides = content_words(text[:start] + " " + text[end:])
        if about is not None:
            return reading if all(stem(word) in about for word in besides) else None
        return reading if len(besides) <= ABOUT_A_VALUE else None

    @staticmethod
    def _reads_as_answer(call: CallSession, pending: _Pending, text: str) -> bool:
        """Whether what a caller said before their goodbye answers the question ("never mind" answers none)."""
        if withdraws(text):
            return False
        if pending.read is not None:
            return pending.read(text) is not None
        return call.read_answer(pending.variable, text) is not None

    @staticmethod
    def _may_correct(call: CallSession, pending: _Pending, answer: str) -> bool:
        """Whether a turn that says a correction marker may correct an earlier answer instead of answering the
        question: the question wants free text (which would take any turn), its answer cannot be read, it is a
        yes/no question answered "no" ("no, it's 4568"), or it says "I meant" (a marker that only takes back what
        was said before) of a question not yet answered, with nothing of the answer's type before the marker."""
        type_ = call.agent.variables[pending.variable].type
        if type_ == "text":
            return True
        replacing = markers("text").search(answer)
        if replacing is not None and pending.variable not in call.variables \
                and call.read(pending.variable, answer[:replacing.start()]) is None:
            # "no sorry I meant the fifteenth" asked a grade not yet given corrects an earlier answer, when an earlier
            # value's words are all that could answer the question ("make it seventy five, and the account is ..."
            # answers it too)
            after = answer[replacing.end():]
            spans = [value_span(after, _value_reader(call, spec), reading.value)
                     for _, _, spec in _given_before(call, pending.variable)
                     if (reading := call.read_as(spec, after)) is not None]
            if spans and call.read(pending.variable, masked(after, spans)) is None:
                return True
        reading = call.read(pending.variable, answer)
        return reading is None or (type_ == "yes_no" and reading.value is False)

    def _more_than_requests(self, call: CallSession, requests: list[Request]) -> bool:
        """Whether a turn says more than its requests (their trigger words and the values they need), enough
        to answer a free-text question: "my sales rep broke my laptop" does, "can you place an order with
        that then" and "what's my balance first, the account is 1234 5678" do not."""
        said: list[str] = []
        for request in requests:
            needs = [call.agent.variables[n] for n in call.project.actions[request.match.action].needs]
            said += [request.said.text[start:end] for start, end in clauses(request.said.text, request.said.cut)
                     if self._is_free_text_for(call, None, needs, request.said.text[start:end])]
        return len(content_words(" ".join(said))) >= MIN_CONTENT_WORDS

    async def _answer(self, call: CallSession, text: str, switching: bool) -> bool:
        """Read the pending variable from this turn; True when the turn was taken as the answer."""
        pending = self.pending
        assert pending is not None
        read_from, counted_none = text, None
        if knows_not(text, call.last_line):
            reading = None  # "I don't know", "not sure, honestly": no answer, as an unreadable one (a problem of
            # "I don't know" is a false green, "no idea" is no "no"); "I don't know why but it beeps" is read
        elif pending.read is not None:
            choice = pending.read(text)
            reading = None if choice is None else Reading(choice)
        else:
            # "one child and two adults" asked how many adults: the child's count is not the answer
            others, none = _counts_beside(call, pending.action, pending.variable, text)
            read_from = _without_other_kinds(call, pending, masked(text, others + _particular_values(call, pending, text)))
            reading = call.read_answer(pending.variable, read_from)
            if reading is None and none is not None:  # "no children, just us two"
                reading, counted_none = Reading(0), none
        if reading is not None:
            if counted_none is not None:
                self._claimed.append(counted_none)
            elif pending.read is None and len(call.missing_needs(pending.action)) > 1:
                self._claim(call, pending.variable, read_from, reading, 0)  # the rest of the turn may hold other needs
            else:
                self._claimed.append((0, len(text)))
            call.hear(pending.variable, reading)
            self.pending = None
            await self.request_action(call, pending.action, pending.reason, answered=True)
            return True
        spec = call.agent.variables[pending.variable]
        expected = "a choice among the offered times" if pending.read is not None else spec.type
        call.emit(SlotUnreadable(variable=pending.variable, expected=expected, text=text.lstrip()))
        if switching:
            self.pending = None  # the caller changed the subject; the new request wins
            self.queue.clear()
            return False
        if pending.attempt >= call.agent.max_asks:
            self.pending = None
            self.queue.clear()
            await call.say(call.agent.fallback, "fallback")
            return True
        pending.attempt += 1
        await self._ask(call)
        return True

    async def _without_request(self, call: CallSession, text: str) -> None:
        """A turn that asks for no action: a correction of an earlier answer, a goodbye, a repeat request."""
        if self.pending is None and await self._corrected_earlier(call, text):
            return
        if goodbye_at(text) is not None:  # "never mind, I'll keep it. bye"
            self.pending, self.queue = None, []
            await call.say_template(call.agent.goodbye, "goodbye", "goodbye")
            await call.hangup("caller", "goodbye")
        elif self.pending is not None and self.pending.read is None and (
                asks_to_repeat(text) or checks_the_line(text) or asks_back(text, call.last_line)):
            await self._ask(call)  # the question again, as a question (extractors see what it asked)
        elif asks_to_repeat(text) and call.last_line:
            await call.say(call.last_line, "repeat")

    async def _corrected_earlier(self, call: CallSession, text: str, besides: str | None = None,
                                 quietly: bool = False) -> bool:
        """A correction marker and a new value for a variable the caller gave before ("actually make that a
        large"): the new value replaces it (the most recently given one, when several could take it), and
        the agent says so with its `corrected:` line (unless `quietly`: an action about to run says it)."""
        if CORRECTION.search(text) is None:
            return False
        found: list[tuple[int, str, Reading]] = []
        for name, entry, spec in _given_before(call, besides):
            for before, after, marker in said_around_markers(text, spec.type):  # "oh make that three actually"
                reading = call.read(name, after)
                if reading is not None and spec.type == "name" and not written_as_a_name(after, str(reading.value)):
                    reading = None  # "no, nothing like that" names nobody
                if reading is None and spec.type in ("digits", "phone") and _only_digits_said(after):
                    tail = tail_replaced(entry.value, after, _value_reader(call, spec))  # "no wait, it ends 4490"
                    reading = None if tail is None else Reading(tail)
                if reading is not None:
                    # "seven, I mean seven thirty" corrects what it says itself, not an earlier answer
                    if reading.value != entry.value and call.read(name, before) is None:
                        found.append((entry.turn or 0, name, Reading(reading.value, marker=marker)))
                    break
        if not found:
            return False
        _, name, reading = max(found, key=lambda item: item[0])
        await self._put_right(call, name, reading, quietly)
        return True

    async def _put_right(self, call: CallSession, name: str, reading: Reading, quietly: bool = False) -> None:
        """Replace what the caller gave for `name` with a corrected `reading`, and act on it: look up again what
        the last turn looked up with the old value, or else say the agent's `corrected:` line (unless `quietly`)."""
        old = call.variables.get(name)
        call.hear(name, reading)
        if quietly:
            return
        again = [action for action, turn in self._ran.items() if turn == call.turn - 1
                 and name in call.project.actions[action].needs and call.project.actions[action].repeatable]
        if again and self.pending is None:  # "where is my order 4567" ... "sorry, I meant 4568": look it up
            for action in again:
                await self.request_action(call, action, f"{name} corrected in caller turn {call.turn}")
            return
        correction = {"variable": name, "old": old, "new": reading.value}
        await call.say_template(call.agent.corrected, "corrected", "corrected", extra={"correction": correction})

    async def _corrected_instead(self, call: CallSession, text: str, besides: str) -> bool:
        """"A, not B" where B is what the caller gave before for another variable, said as that variable's type
        ("it's the fifteenth not the twelfth" after "out on the twelfth"): A replaces it, whatever question is
        open, as a correction is of a value of its own type (asked the grade, the fifteenth is no grade here)."""
        said = _INSTEAD.search(text)
        if said is None:
            return False
        for name, entry, _ in _given_before(call, besides):
            was, now = call.read(name, said["old"]), call.read(name, said["new"])
            if was is not None and now is not None and was.value == entry.value != now.value:
                await self._put_right(call, name, Reading(now.value, marker="not"))
                return True
        return False

    # -- needs -------------------------------------------------------------------------------------

    def _read_needs(self, call: CallSession, action: str, said: Said, replace: bool, typed_only: bool = False,
                    answered: bool = False) -> None:
        """Read the action's needs the caller may have said: typed ones from `said`, `text`/`name` ones from
        what is left of it once the trigger's words are out. In the request's own sentence (`replace`), a
        new value replaces one given before: "and where is my other order, eight nine zero one".

        Each value is read from words no other value was read from: the most particular types first (an
        account number's eight digits before an amount, a day and time before a count), so "account one
        two three four five six seven eight, a hundred and twenty five dollars" pays 125, not 12345678.

        A `yes_no` need is read only as the answer to its own question: "sure, four four oh one" answering the
        member number agrees to nothing not yet asked. From a turn that answered another question (`answered`),
        a `text` need takes only a detail or its cues ("two, with jalapenos"), not what is left of the answer
        ("not roses, she's allergic, the mixed one" answering the bouquet is no message for the card)."""
        needs = [need for need in call.project.actions[action].needs
                 if (spec := call.agent.variables.get(need)) is not None and spec.from_ == "caller"
                 and said.text and (replace or need not in call.variables) and not (typed_only and spec.type in FREE_TEXT)
                 and spec.type != "yes_no"]
        ordered = sorted(needs, key=lambda need: _read_order(call.agent.variables[need]))
        readings: dict[str, Reading] = {}
        for index, need in enumerate(ordered):
            if call.agent.variables[need].type in FREE_TEXT:
                reading = self._free_text(call, action, need, said, answered)
            else:
                reading = self._read_unclaimed(call, need, said, last=index == len(ordered) - 1, action=action)
            if reading is not None:
                readings[need] = reading
        for need in needs:  # heard in the order the agent declares them
            reading = readings.get(need)
            if reading is not None and (need not in call.variables or reading.value != call.variables.get(need)):
                call.hear(need, reading)

    def _read_unclaimed(self, call: CallSession, need: str, said: Said, last: bool, action: str = "") -> Reading | None:
        """Read a typed need from the words of `said` no other value was read from, and claim its words
        (unless nothing is read after it). A count is not read from what counts another need's thing ("one
        child and two adults" has two adults), and "no children" counts none."""
        text = masked(said.text, self._claims_in(said))
        others, none = _counts_beside(call, action, need, text) if action else ([], None)
        text = masked(text, others)
        reading = call.read(need, text)
        if reading is None and none is not None:
            self._claimed.append((said.at + none[0], said.at + none[1]))
            return Reading(0)
        if reading is not None and not last:
            self._claim(call, need, text, reading, said.at)
        return reading

    def _claim(self, call: CallSession, need: str, text: str, reading: Reading, at: int) -> None:
        """Mark the words of `text` (which starts at `at` in the turn) that `reading` of `need` was read from as
        taken; a value that corrected an earlier one takes the earlier one's words too ("at ten, no wait,
        eleven"), but not what was said between them ("four hours, six people, make that five hours")."""
        value_of = _value_reader(call, call.agent.variables[need])
        start, end = value_span(text, value_of, reading.value)
        if reading.replaced is not None and value_of(text[:start]) == reading.replaced:
            earlier = value_span(text[:start], value_of, reading.replaced)
            self._claimed.append((at + earlier[0], at + earlier[1]))
        self._claimed.append((at + start, at + end))

    def _claims_in(self, said: Said) -> list[tuple[int, int]]:
        """The claimed words that fall in `said`, as offsets into its text."""
        last = said.at + len(said.text)
        return [(max(start, said.at) - said.at, min(end, last) - said.at)
                for start, end in self._claimed if start < last and end > said.at]

    def _free_text(self, call: CallSession, action: str, need: str, said: Said,
                   answered: bool = False) -> Reading | None:
        """A `text`/`name` need from what is left of a request's sentence: the clauses no trigger fired in,
        that no other variable's value or cue claims, and that no other need took this turn. The words
        right before a value ("pick up at" six thirty, "account" 1234) belong to it, not to free text."""
        claims = self._claims_in(said)
        spec = call.agent.variables[need]
        # the small words leading into a request are the request's, not free text ("... since monday can you fix my
        # heater"); a name is read up to the request's own words ("my son leo needs to be out today")
        asked = said.cut if spec.type == "name" else tuple((lead_in(said.text, start), end) for start, end in said.cut)
        spans = clauses(said.text, asked + tuple(claims) + _phrases_said(call, action, said.text))
        if not spans:
            return None
        others = [call.agent.variables[n] for n in call.project.actions[action].needs if n != need]
        # a detail ("three tacos with cheese" at eight) is said of what is asked for, not of the value after it
        # a clause that says the need's own cue is no lead-in to the value after it: "from 55 water street at" three
        picked = [(not _leads_in(said.text, end, claims) or detail_in(said.text[start:end]) is not None
                   or (bool(spec.cues) and says_any(said.text[start:end], spec.cues) is not None))
                  and not _counted_by(said.text, start, end, claims)
                  and (spec.type == "name" or not only_introduces(said.text[start:end]))
                  and self._is_free_text_for(call, spec, others, said.text[start:end]) for start, end in spans]
        taken = runs(said.text, spans, picked)
        if spec.type == "name":
            # a name is told by its introduction, not by what else its clause says: "Ava Brown in third grade"
            every = picked if spec.cues else [bool(content_words(said.text[start:end])) for start, end in spans]
            # "board my dog Biscuit": the trigger took the words that introduce the name said right after them;
            # each introduction as an offset into the turn's part (`said.text`)
            named = [(run_start + at, run_end, r) for run_start, run_end in run_spans(said.text, spans, every)
                     for at in name_introductions(said.text[run_start:run_end], before=said.text[:run_start])
                     if (r := call.read(need, said.text[run_start + at:run_end])) is not None]
            # a name asked of the caller ("May I have your name?") is the one they give themselves ("this is Maria
            # Lopez"); any other (the student's, the dog's) the one they give whom they call about ("my son Leo")
            own = asks_own_name(need.replace("_", " "), spec.ask or "", spec.description or "")
            named = [item for item in named if introduces_oneself(said.text, item[0]) is own] or named
            if not named:
                return None
            at, end, reading = named[0]
            first = at
            for later_at, later_end, later in named[1:]:
                # "the vaccination records for Max, no sorry, for Rex": a name introduced after a correction wins
                marker = CORRECTION.search(said.text[at:later_at])
                if marker is not None and later.value != reading.value:
                    at, end, reading = later_at, later_end, Reading(later.value, reading.value, marker.group(0))
            # the name takes its introduction and itself ("name's Dev"), not the other free clauses; a corrected
            # name takes the name it corrected too ("for Noah Kim, no sorry, for Nora Kim" leaves no reason)
            end = at + value_span(said.text[at:end], _value_reader(call, spec), reading.value)[1]
            self._claimed.append((said.at + (first if reading.replaced is not None else at), said.at + end))
            return reading
        elif spec.cues:
            cued = [_after_cue(without_leading(_LEADS_ON.sub("", run)), spec.cues) for run in taken]
            reading = call.read(need, ", ".join(cued)) if taken else None
        elif not answered and len(content_words(without_whom(" ".join(taken)))) >= MIN_CONTENT_WORDS:
            # whom the request is for is no answer to what it needs ("flowers to my mom for her birthday")
            reading = call.read(need, ", ".join(without_leading(without_whom(run, leading=True)) for run in taken))
            if reading is not None and reading.replaced is not None and \
                    len(content_words(str(reading.value))) < MIN_CONTENT_WORDS:
                # what a correction leaves must be enough on its own: "a reaction to my medication, I mean her
                # medication" corrects the request's words, it says no symptoms
                reading = None
        elif details := [detail for run in taken if (detail := detail_in(run)) is not None]:
            reading = call.read(need, ", ".join(without_leading(detail) for detail in details))
        else:
            reading = None
        if reading is not None:
            self._claimed += [(said.at + start, said.at + end) for (start, end), pick in zip(spans, picked) if pick]
        return reading

    @staticmethod
    def _is_free_text_for(call: CallSession, spec: Any, others: list[Any], clause: str) -> bool:
        if not content_words(clause):
            return False
        if spec is not None and spec.cues:
            return says_any(clause, spec.cues) is not None
        if any(o.cues and says_any(clause, o.cues) is not None for o in others):
            return False  # another variable's cue: "deliver to 7 Oak Avenue" is the address
        # a clause that is a typed value and a few words about it is that value's: "a medium", "it's 4567",
        # "the account is one two three four five six seven eight"
        for other in others:
            if other.type in FREE_TEXT or (reading := call.read_as(other, clause)) is None:
                continue
            start, end = value_span(clause, _value_reader(call, other), reading.value)
            if len(content_words(clause[:start] + " " + clause[end:])) <= ABOUT_A_VALUE:
                return False
        return True

    # -- asking ------------------------------------------------------------------------------------

    async def _ask(self, call: CallSession) -> None:
        pending = self.pending
        assert pending is not None
        call.emit(SlotAsked(variable=pending.variable, action=pending.action, attempt=pending.attempt))
        offered = call.line_of(pending.action) if pending.read is not None else None
        if offered is not None:  # asked again to pick among offered times: the times again, not "when?"
            await call.say(offered, "ask", pending.action)
            return
        ask = call.agent.variables[pending.variable].ask or f"What is your {pending.variable.replace('_', ' ')}?"
        await call.say_template(ask, "ask", f"variables.{pending.variable}.ask")

    async def _next_queued(self, call: CallSession) -> None:
        while self.queue and self.pending is None:
            action, reason, said = self.queue.pop(0)
            await self.request_action(call, action, reason, said)

    async def _turn_conditions(self, call: CallSession, extractors: bool = False) -> None:
        """`on: turn` actions: every turn, or, with only an `if:`, each time the condition becomes true.

        Extractors (`extractors=True`) run first in a turn, before its requests, so that a whisper, a
        summary or a request sees what the caller just said; the other `on: turn` actions run last."""
        items = call.triggers.on_turn
        if not items:
            return
        context = call.context()
        for item in items:
            early = call.project.actions[item.action].runs_while_waiting
            if early != extractors:
                continue
            holds = item.condition(context) if item.condition is not None else True
            was = self._if_was.get(item.action, False)
            self._if_was[item.action] = holds
            if holds and (item.condition is None or not was):
                call.fired(item.event_match("turn"))
                if early and not call.missing_needs(item.action):
                    await call.run_action(item.action, f"caller turn {call.turn}")
                else:
                    await self.request_action(call, item.action, f"caller turn {call.turn}")


_READ_ORDER = {"email": 0, "phone": 1, "digits": 2, "datetime": 3, "when": 3, "date": 4, "time": 5, "enum": 6,
               "yes_no": 7, "number": 9, "name": 10, "text": 11}
"""The order needs are read from one sentence in: the types whose words are most particular first, so
that a general reader (a number, free text) gets what the others left."""


_INSTEAD = re.compile(r"^(?P<new>[^,;.!?]*?\w)[\s,]+(?:and |but )?not (?P<old>[^,;.!?]*\w)\W*$",
                      re.IGNORECASE)
"""A value said in place of another: "it's the fifteenth not the twelfth", "Tuesday, not Wednesday"."""


def _given_before(call: CallSession, besides: str | None) -> list[tuple[str, Any, Any]]:
    """The variables the caller gave a typed value for (themselves or through an extractor) that a correction may
    replace: (name, entry, declared spec), all but `besides`."""
    found = []
    for name, entry in call.variables.items():
        spec = call.agent.variables.get(name)
        if (spec is not None and spec.from_ == "caller" and spec.type != "text" and name != besides
                and entry.value is not None and (entry.source == "caller" or entry.source.startswith("extract:"))):
            found.append((name, entry, spec))
    return found


def _value_reader(call: CallSession, spec: Any) -> Callable[[str], Any]:
    """Reads the value of `spec`'s type from a part of a turn (None when there is none)."""
    def value_of(part: str) -> Any:
        found = call.read_as(spec, part)
        return None if found is None else found.value
    return value_of


def _read_order(spec: Any) -> int:
    if spec.type == "digits" and spec.length is None:
        return 8  # any digits at all: nearly as general as a number
    return _READ_ORDER.get(spec.type, 8)


def _leads_in(text: str, end: int, claims: list[tuple[int, int]]) -> bool:
    """Whether the words of `text` up to `end` lead in to a value read right after them, in the same clause
    ("pick up at" six thirty, "my account is" 1234): they are said about that value."""
    return any(start >= end and not text[end:start].strip() for start, _ in claims) and \
        not text[:end].rstrip().endswith((",", ";", ".", "!", "?", ":"))


_ABOUT_DIGITS = frozenset("end ends ending last digits digit numbers number".split())


def _only_digits_said(text: str) -> bool:
    """Whether a turn's words after a correction marker say some digits and nothing else of substance ("it
    ends 4490", "the last digits are 0124"): only then do they replace the end of a number given earlier, and
    "no wait, my apartment is 12" leaves a phone number as it was."""
    said = as_numerals(text)
    rest = _DIGIT_WORDS.sub(" ", said).lower().replace("\u2019", "'")
    return said != rest and all(word in FUNCTION_WORDS or word in _ABOUT_DIGITS for word in re.findall(r"[\w']+", rest))


_DIGIT_WORDS = re.compile(r"\d+(?:[\s-]+\d+)*")


def _other_typed_needs(call: CallSession, pending: _Pending) -> list[tuple[str, Any]]:
    """The needs besides the one asked for that the pending action still lacks and the caller may say, free
    text aside (any words would read as it)."""
    return [(need, spec) for need in call.missing_needs(pending.action) if need != pending.variable
            and (spec := call.agent.variables[need]).type != "text" and spec.from_ == "caller"]


_PARTICULAR = frozenset({"email", "phone", "date", "time", "datetime", "when"})


def _particular_values(call: CallSession, pending: _Pending, text: str) -> list[tuple[int, int]]:
    """For a count asked for: where `text` says the value of a more particular need the action still lacks (an
    email, a phone number, a day or a time), whose words are that value's, not the count's: "m dot garcia
    seventy seven at yahoo dot com" answering "How many people?" is an email, not 77 people."""
    if call.agent.variables[pending.variable].type != "number":
        return []
    own = _words_about(pending.variable, call.agent.variables[pending.variable])
    spans = []
    for need, spec in _other_typed_needs(call, pending):
        if spec.type in _PARTICULAR and (reading := call.read_as(spec, text)) is not None:
            start, end = value_span(text, _value_reader(call, spec), reading.value)
            if a_number_alone(text[start:end]) and not content_words(text[:start] + " " + text[end:]):
                continue  # "two" answering "How many?" is the count, whatever else it could be
            after = content_words(text[end:])[:1]
            if after and _names_a_thing(after[0], own):
                continue  # "in the fourth grade" asked the grade counts the grade, though "the fourth" is a day
            spans.append((start, end))
    return spans



def _without_other_kinds(call: CallSession, pending: _Pending, text: str) -> str:
    """For a count asked for: `text` without the numbers that count another kind of thing, when a number is
    left ("me, my wife and our two kids, so four" asked how many people is four); else `text` as it is."""
    spec = call.agent.variables[pending.variable]
    if spec.type != "number":
        return text
    own = _words_about(pending.variable, spec)
    other = frozenset(stem(word) for group in COUNTED_ALIKE for word in group) - own
    spans = [(start, end) for start, end, _ in counts_of(text, lambda word: stem(word) in other)]
    if not spans or call.read(pending.variable, without := masked(text, spans)) is None:
        return text
    return without


def _words_about(need: str, spec: Any) -> frozenset[str]:
    """The words that say what a need is: its name's, its question's and its cues' ("callback", "number"), and
    for a count the words that count the same thing ("kids" for `children`: `COUNTED_ALIKE`)."""
    said = content_words(" ".join([need.replace("_", " "), spec.ask or "", *(spec.cues or [])]))
    if spec.type == "number":
        said += [alike for word in said for group in COUNTED_ALIKE if word.lower() in group for alike in group]
    return frozenset(stem(word) for word in said)


def _counts_beside(call: CallSession, action: str, need: str,
                   text: str) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """For a `number` need beside other numbers the action needs: the spans of `text` that count what one of the
    others counts, by the words of its name, question or cues ("one child" when the need is adults), and where
    the text says "no" of the need's own thing ("no children"), else None."""
    spec = call.agent.variables[need]
    if spec.type != "number":
        return [], None
    siblings = [n for n in call.project.actions[action].needs if n != need
                and (other := call.agent.variables.get(n)) is not None and other.type == "number"]
    if not siblings:
        return [], None
    own = _words_about(need, spec)
    beside = frozenset().union(*(_words_about(n, call.agent.variables[n]) for n in siblings))
    own, beside = own - beside, beside - own
    spans = [(start, end) for start, end, _ in counts_of(text, lambda word: _names_a_thing(word, beside))]
    none = [(start, end) for start, end, no in counts_of(text, lambda word: _names_a_thing(word, own)) if no]
    return spans, none[0] if none else None


def _names_a_thing(word: str, words: frozenset[str]) -> bool:
    """Whether `word` is one of `words` (stems), or the same word with another ending ("child", "children")."""
    said = stem(word)
    return said in words or any(len(known) >= 4 and len(said) >= 4
                                and (said.startswith(known) or known.startswith(said)) for known in words)


def _counted_by(text: str, start: int, end: int, claims: list[tuple[int, int]]) -> bool:
    """Whether the clause text[start:end] is only the word that a number read right before it counts ("one" bag,
    "3" days): the number's, not free text. A detail ("two nachos" with guac) is not."""
    return len(content_words(text[start:end])) <= 1 and detail_in(text[start:end]) is None and any(
        claim_end <= start and not text[claim_end:start].strip() and _NUMBER_LAST.search(text[claim_start:claim_end])
        for claim_start, claim_end in claims)


_NUMBER_LAST = re.compile(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|hundred"
                          r"|thousand|dozen|couple)|teen|ty)\W*$", re.IGNORECASE)


def _phrases_said(call: CallSession, action: str, text: str) -> tuple[tuple[int, int], ...]:
    """Where the action's trigger phrases are said in `text` as words (besides the one that fired it):
    none of them is free text ("can I get two burritos with guac to go")."""
    trigger = call.project.actions[action].trigger
    if trigger is None or not trigger.phrases:
        return ()
    lowered = text.lower()
    return tuple((m.start(), m.end()) for phrase in trigger.phrases
                 for m in re.finditer(rf"(?<![\w']){re.escape(phrase.lower())}(?![\w'])", lowered))


_LEADS_ON = re.compile(r"(?:[\s,]+(?:at|on|by|around|about|for|from|to|in|until|till|before|after))+[\s,;.!?:-]*$",
                       re.IGNORECASE)
"""The words a run ends with that lead in to the value said right after it: "from 55 water street at" (three)."""


def _after_cue(run: str, cues: list[str]) -> str:
    """A run without the cue it starts with: "deliver to 7 Oak Avenue" -> "7 Oak Avenue"."""
    lowered = run.lower()
    for cue in sorted(cues, key=len, reverse=True):
        if lowered.startswith(cue.lower() + " "):
            return run[len(cue):].strip()
    return run
