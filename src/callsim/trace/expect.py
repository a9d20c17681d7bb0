"""Scenario expectations checked against a trace: each check says what failed and what happened instead."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from callsim.errors import MissingSecret, MissingVariable, TemplateError
from callsim.suggest import closest
from callsim.trace.compare import UNTYPED, ValueTypes, same
from callsim.trace.events import (ActionAbandoned, ActionFailed, ActionFinished, ActionOffered, ActionStarted,
                                  CallEnded, EngineError, Event, HttpRequestSent, SlotAsked, VariableSet, said_lines)
from callsim.trace.events import MessageSent, MessageStatus
from callsim.trace.events import (BookingCancelled, BookingMade, BookingRescheduled, BookingUnavailable, Evaluation,
                                  Extracted, SlotsOffered)
from callsim.trace.events import (Bridged, Busy, Declined, DialFailed, Dialing, DtmfSent, IvrSaid, LegCancelled,
                                  NoAnswer, PhonebookChoice, WhisperPlayed)
from callsim.trace.events import WebhookAnswered, WebhookSent

if TYPE_CHECKING:
    from callsim.config.scenario import Expectation
    from callsim.trace.trace import Trace


@dataclass
class Failure:
    """An unmet expectation: what was expected, what happened instead, and where to look."""

    expected: str
    instead: str
    events: Sequence[Event]
    """The events the check looked at (for the timeline excerpt)."""


Check = Callable[[Any, Sequence[Event], Sequence[Event], ValueTypes], Failure | None]
"""A check of one expectation kind: (its value, the window it may match, all events so far, the types
values are compared by) -> a failure, or None when it holds."""


def check_in_call(expectation: Expectation, window: Sequence[Event], trace: Trace) -> Failure | None:
    """Check an expectation as a test wrote it against a call's trace: its own placeholders filled in and
    redacted as the trace is (see `as_sent`), values compared by the agent's declared types."""
    filled = as_sent(expectation, trace)
    if isinstance(filled, Failure):
        return filled
    return check(filled, window, trace.events, trace.value_types)


def as_sent(expectation: Expectation, trace: Trace) -> Expectation | Failure:
    """The expectation with the test's own placeholders (secrets, the persona's details) filled in and
    redacted as the trace is (`Trace.fill_in`), so a secret compares with what was sent, unseen; a
    Failure when it names something the call does not have."""
    data = expectation.model_dump(by_alias=True, exclude_unset=True)
    try:
        filled = trace.fill_in(data)
    except (MissingVariable, MissingSecret) as missing:  # a secret: the call has no value for it either
        name = missing.name
        how = (f"; give it in the scenario's secrets: (or secrets= in Python) or set the environment variable "
               f"{name.split('.', 1)[1]}" if name.startswith("secrets.") else "")
        return Failure(f"{expectation.kind} as written", f"the expectation names {{{{ {name} }}}}, which has no "
                       f"value in this call{how}", [])
    except TemplateError as problem:  # e.g. a later persona's details: the test's error, not callsim's
        return Failure(f"{expectation.kind} as written", f"its placeholders cannot be filled in: {problem}", [])
    if filled == data:
        return expectation
    from pydantic import ValidationError  # validating it again loads the models (only when something was filled in)

    try:
        return type(expectation).model_validate(filled)
    except ValidationError as invalid:
        return Failure(f"{expectation.kind} as written", "filled in, the expectation is invalid: "
                       f"{invalid.errors(include_url=False)[0]['msg']}", [])


def check(expectation: Expectation, window: Sequence[Event], history: Sequence[Event],
          types: ValueTypes = UNTYPED) -> Failure | None:
    """Check one expectation over `window` (events it may match) with `history` (all events so far),
    comparing values by the agent's declared `types`."""
    kind = expectation.kind
    return CHECKS[kind](getattr(expectation, kind), window, history, types)


def _agent_said(text: str, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    # a line cut short counts for the words the caller heard (see AgentCut); the message marks where it stopped
    lines = said_lines(window)
    return _said_containing(text, [said for _, said in lines], ("the agent", "the agent"), window,
                            [said if said == line.text else f"{said} [cut off]" for line, said in lines])


def _said_containing(text: str, lines: Sequence[str], who: tuple[str, str], window: Sequence[Event],
                     shown: Sequence[str] | None = None) -> Failure | None:
    """One of `lines` contains `text` (case-insensitive); `who` names the speaker in full and in short;
    `shown` is how the lines read in the message (default: as they are)."""
    if any(text.casefold() in line.casefold() for line in lines):
        return None
    said = "; ".join(map(repr, lines if shown is None else shown)) or "nothing"
    return Failure(f"{who[0]} to say something containing {text!r}", f"{who[1]} said: {said}", window)


def _agent_not_said(text: str, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    hits = [(line, said) for line, said in said_lines(window) if text.casefold() in said.casefold()]
    if not hits:
        return None
    line, said = hits[0]
    return Failure(f"the agent never to say {text!r}", f"the agent said {said!r} (#{line.seq})", window)


def _action(name: str, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    if any(isinstance(e, ActionFinished) and e.action == name for e in window):
        return None
    return Failure(f"action {name} to run and finish", _why_not(name, window), window)


def _ran(window: Sequence[Event]) -> str:
    """`; actions that ran here: a, b` or `; no action ran here`: what the agent did instead, for a message."""
    ran = list(dict.fromkeys(e.action for e in window if isinstance(e, ActionStarted)))
    return f"; actions that ran here: {', '.join(ran)}" if ran else "; no action ran here"


def _why_not(name: str, window: Sequence[Event]) -> str:
    ran = sorted({e.action for e in window if isinstance(e, ActionStarted)})
    return why_not_finished(name, window, "it") or (
        "it never ran; actions that ran: " + (", ".join(ran) if ran else "none"))


def why_not_finished(name: str, window: Sequence[Event], it: str) -> str | None:
    """Why action `name` did not finish in `window` (`it` names it in the sentence); None if it never ran."""
    ends = [e for e in window if isinstance(e, (ActionFailed, ActionOffered)) and e.action == name]
    offers = [e for e in window if isinstance(e, (SlotsOffered, BookingUnavailable)) and e.action == name
              and (isinstance(e, SlotsOffered) or e.alternatives)]
    if ends and offers and offers[-1].seq < ends[-1].seq:
        end, offer = ends[-1], offers[-1]
        shown = f"{end.kind}: {end.error}" if isinstance(end, ActionFailed) else getattr(offer, "spoken", "")
        return f"{it} offered times but booked nothing ({shown})"
    failed = [e for e in ends if isinstance(e, ActionFailed)]
    if failed:
        return f"{it} failed ({failed[-1].kind}): {failed[-1].error}"
    abandoned = [e for e in window if isinstance(e, ActionAbandoned) and e.action == name]
    if abandoned:
        return f"{it} was abandoned: {abandoned[-1].summary().split(': ', 1)[1]}"
    asked = [e for e in window if isinstance(e, SlotAsked) and e.action == name]
    if asked:
        return f"{it} is still waiting for variable {asked[-1].variable} (asked {asked[-1].attempt}x)"
    started = [e for e in window if isinstance(e, ActionStarted) and e.action == name]
    stopped = [e for e in window if isinstance(e, EngineError) and started and e.seq > started[-1].seq]
    if stopped:
        return (f"{it} started, but the call stopped with an error before it finished "
                f"(#{stopped[0].seq}: {stopped[0].message.split('; ', 1)[0]})")
    return None


def _not_action(name: str, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    started = [e for e in window if isinstance(e, ActionStarted) and e.action == name]
    if not started:
        return None
    return Failure(f"action {name} not to run", f"it ran ({started[0].reason}, #{started[0].seq})", window)


def _action_abandoned(name: str, window: Sequence[Event], history: Sequence[Event],
                      types: ValueTypes) -> Failure | None:
    if any(isinstance(e, ActionAbandoned) and e.action == name for e in window):
        return None
    return Failure(f"action {name} to be abandoned (the caller hung up while it ran)",
                   "it finished" if any(isinstance(e, ActionFinished) and e.action == name for e in window)
                   else _why_not(name, window), window)


def _action_failed(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    name, kind, status = expected.action, expected.kind, expected.status
    failed = [e for e in window if isinstance(e, ActionFailed) and e.action == name]
    if any(failure_matches(e, kind, status) for e in failed):
        return None
    wanted = f"action {name} to fail" + (f" with {failure_kind(kind, status)}" if kind or status else "")
    if failed:
        instead = "; ".join(f"it failed with {failure_kind(e.kind, e.status)}: {e.error}" for e in failed)
    elif any(isinstance(e, ActionFinished) and e.action == name for e in window):
        instead = "it finished successfully"
    else:
        instead = _why_not(name, window)
    return Failure(wanted, instead, window)


def failure_kind(kind: str | None, status: int | str | None) -> str:
    """`status 503`, `timeout`, `busy`: a failure's kind and HTTP status, for messages."""
    if status is None:
        return kind or ""
    return f"{kind or 'status'} {status}" if kind in (None, "status") else f"{kind}, status {status}"


def failure_matches(event: ActionFailed, kind: str | None = None, status: int | str | None = None) -> bool:
    """A failure of this kind and HTTP status (a code, or a class such as `5xx`); what is not given is not checked."""
    if kind is not None and event.kind != kind:
        return False
    if status is None:
        return True
    wanted = str(status).lower()
    return event.status is not None and wanted in (str(event.status), f"{event.status // 100}xx")


def _variables(expected: dict[str, Any], window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    current: dict[str, VariableSet] = {}
    for event in history:
        if isinstance(event, VariableSet):
            current[event.name] = event
    wrong = []
    for name, want in expected.items():
        have = current.get(name)
        if have is None:
            close = closest(name, [n for n in current if n not in expected])
            wrong.append(f"{name} was never set" + (
                f"; did you mean {close} (= {current[close].value!r})?" if close else ""))
        elif have.value is None and want is not None:
            wrong.append(f"{name} is not set ({have.source} unset it)")
        elif not types.same(have.value, want, types.variable(name)):
            wrong.append(f"{name} = {have.value!r} (from {have.source})")
    if not wrong:
        return None
    want_text = ", ".join(f"{k} = {v!r}" for k, v in expected.items())
    related = [e for e in history if isinstance(e, VariableSet) and e.name in expected] or list(window)
    return Failure(f"variables {want_text}", "; ".join(wrong), related)


def _http(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    sent = [e for e in window if isinstance(e, HttpRequestSent)]
    matched = sum(request_matches(e, method=expected.method, url=expected.url, json=expected.json_,
                                  headers=expected.headers, exact=expected.exact,
                                  exact_headers=expected.exact_headers) for e in sent)
    if matched == expected.times if expected.times is not None else matched:
        return None
    wanted = " ".join(x for x in (expected.method, expected.url) if x) or "(any method and URL)"
    if expected.json_ is not None:
        wanted += (" with exactly the json " if expected.exact else " with json ") + repr(expected.json_)
    if expected.exact_headers:
        wanted += (" with only the headers " + ", ".join(f"{k}: {v}" for k, v in expected.headers.items())
                   if expected.headers else " with no headers") + " (transport headers aside)"
    elif expected.headers:
        wanted += " with headers " + ", ".join(f"{k}: {v}" for k, v in expected.headers.items())
    return Failure(f"{_how_many(expected.times, 'an', 'HTTP request', 'HTTP requests')} {wanted}",
                   (f"{matched} matched; " if expected.times is not None and matched else "") + "sent: "
                   + ("; ".join(_request(e, expected) for e in sent) or "no request was sent" + _ran(window)), window)


def _how_many(times: int | None, article: str, noun: str, plural: str) -> str:
    """`an HTTP request` (at least one), or for an exact count `no HTTP request`, `exactly 2 HTTP requests`."""
    if times is None:
        return f"{article} {noun}"
    return f"no {noun}" if times == 0 else f"exactly {times} {noun if times == 1 else plural}"


def _request(event: HttpRequestSent, expected: Any) -> str:
    """A sent request for a failure message, with the headers the expectation names, as recorded (redacted);
    for a request to the expected method and URL, also how its body and headers differ from the expected."""
    lowered = {k.lower(): v for k, v in event.headers.items()}
    shown = [f"{name}: {lowered[name.lower()]}" if name.lower() in lowered else f"no {name} header"
             for name in expected.headers]
    aimed = request_matches(event, method=expected.method, url=expected.url)
    if aimed and expected.exact_headers:
        named = {name.lower() for name in expected.headers}
        shown += [f"{name}: {value} (not expected)" for name, value in event.headers.items()
                  if name.lower() not in named and name.lower() not in TRANSPORT_HEADERS]
    body = f" json={event.json_!r}" if event.json_ is not None else ""
    if aimed and expected.json_ is not None and not subset(expected.json_, event.json_, whole=expected.exact):
        body += " (" + "; ".join(differences(expected.json_, event.json_, whole=expected.exact)) + ")"
    return (f"{event.method} {event.url}{body}" + (f" with headers {', '.join(shown)}" if shown else
                                                   " with no headers" if aimed and expected.exact_headers else ""))


TRANSPORT_HEADERS = frozenset({"host", "content-length", "content-type", "transfer-encoding", "connection",
                               "user-agent", "accept", "accept-encoding"})
"""Headers an exact header check lets pass unnamed: the HTTP client sets them on every request (from the URL
and the body, or its own defaults), so they say nothing about what the agent chose to send; named in
`headers:`, they are checked like any other."""


def request_matches(event: HttpRequestSent, *, method: str | None = None, url: str | None = None,
                    json: Any = None, headers: dict[str, str] | None = None, exact: bool = False,
                    exact_headers: bool = False) -> bool:
    """A sent request is the one described: method, url (exact, or a prefix ending in `*`), a JSON
    subset (with `exact`, the whole body) and header values (names case-insensitive; with `exact_headers`,
    no other header but `TRANSPORT_HEADERS`); what is not given is not checked."""
    if method and event.method.upper() != method.upper():
        return False
    if url and not (event.url.startswith(url[:-1]) if url.endswith("*") else event.url == url):
        return False
    if json is not None and not subset(json, event.json_, whole=exact):
        return False
    lowered = {k.lower(): v for k, v in event.headers.items()}
    wanted = {k.lower(): v for k, v in (headers or {}).items()}
    if exact_headers and not lowered.keys() - TRANSPORT_HEADERS <= wanted.keys():
        return False
    return all(lowered.get(k) == v for k, v in wanted.items())


def _extracted(expected: dict[str, Any], window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    heard: dict[str, tuple[Any, str | None]] = {}
    for event in window:  # slot filling reads variables from the caller; extract actions their fields
        if isinstance(event, VariableSet) and event.source == "caller":
            heard[event.name] = (event.value, types.variable(event.name))
        elif isinstance(event, Extracted):
            heard[event.field] = (event.value, types.field(event.field))
    wrong = [f"{name} = {heard[name][0]!r}" if name in heard else f"{name} not extracted"
             for name, want in expected.items()
             if name not in heard or not types.same(heard[name][0], want, heard[name][1])]
    if not wrong:
        return None
    return Failure("the caller's words to give " + ", ".join(f"{k} = {v!r}" for k, v in expected.items()),
                   "; ".join(wrong), window)


def _booking(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    made = [e for e in window if isinstance(e, (BookingMade, BookingRescheduled))]
    undone = _undone(made, history)
    for event in made:
        if event.seq in undone:
            continue
        if expected.start is not None and not same(event.start, expected.start, "datetime"):
            continue
        if expected.calendar and expected.calendar.casefold() not in event.calendar.casefold():
            continue
        if expected.attendee and expected.attendee.casefold() not in (event.attendee or "").casefold():
            continue
        if expected.title and expected.title.casefold() not in event.title.casefold():
            continue
        if expected.duration is not None and not _lasts(event, expected.duration):
            continue
        return None
    wanted = ", ".join(f"{k} {v.isoformat() if hasattr(v, 'isoformat') else v}"
                       for k, v in expected.model_dump(exclude_none=True).items())
    refused = [e for e in window if isinstance(e, BookingUnavailable)]
    instead = "; ".join(e.summary() + (f", then {undone[e.seq]}" if e.seq in undone else "") for e in made) or (
        "no booking was made" + (f" (last refusal: {refused[-1].summary()})" if refused else _ran(window)))
    return Failure(f"a booking{' with ' + wanted if wanted else ''}", instead, window)


def _lasts(event: BookingMade | BookingRescheduled, seconds: float) -> bool:
    import datetime as dt

    length = dt.datetime.fromisoformat(event.end) - dt.datetime.fromisoformat(event.start)
    return abs(length.total_seconds() - seconds) < 1e-6


def _undone(made: Sequence[BookingMade | BookingRescheduled], history: Sequence[Event]) -> dict[int, str]:
    """The bookings of `made` that no longer stand as made: cancelled or moved later in `history` (by their
    sequence number), each with what undid it."""
    undone: dict[int, str] = {}
    for event in made:
        later = next((e for e in history if e.seq > event.seq and isinstance(e, (BookingCancelled, BookingRescheduled))
                      and e.id == event.id), None)
        if later is not None:
            undone[event.seq] = (f"cancelled by {later.action} (#{later.seq})" if isinstance(later, BookingCancelled)
                                 else f"moved to {later.start} by {later.action} (#{later.seq})")
    return undone


def _evaluation(expected: dict[str, Any], window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    results = {e.action: e for e in window if isinstance(e, Evaluation)}
    wrong, wants = [], []
    for name, want in expected.items():
        criteria = want.criteria or {}
        wants.append(name + (f" {'to pass' if want.passed else 'to fail'}" if want.passed is not None else "")
                     + (f" with a score of at least {want.score:g}" if want.score is not None else "")
                     + (" with criteria " + ", ".join(f"{c} {'met' if ok else 'missed'}" for c, ok in criteria.items())
                        if criteria else ""))
        got = results.get(name)
        if got is None:
            wrong.append(f"{name} gave no result (it did not run)")
            continue
        verdicts = {c["name"]: c["passed"] for c in got.criteria}
        if ((want.passed is not None and got.passed != want.passed)
                or (want.score is not None and got.score < want.score)
                or any(verdicts.get(c) is not ok for c, ok in criteria.items())):
            crossed = [f"{c} {'was met' if verdicts[c] else 'missed'}" for c, ok in criteria.items()
                       if c in verdicts and verdicts[c] is not ok]
            wrong.append(_verdict(got) + "".join(f"; {x}" for x in crossed))
    if not wrong:
        return None
    return Failure("evaluation " + "; ".join(wants), "; ".join(wrong),
                   [e for e in window if isinstance(e, Evaluation)] or window)


def _verdict(result: Evaluation) -> str:
    failed = "; ".join(f"{c['name']} ({c['why']})" for c in result.criteria if not c["passed"])
    return (f"{result.action} {'passed' if result.passed else 'failed'} with score {result.score:.2f} "
            f"(pass {result.pass_score:.2f})" + (f"; criteria not met: {failed}" if failed else ""))


def _ended(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    ends = [e for e in history if isinstance(e, CallEnded)]
    if not ends:
        return Failure("the call to have ended", "it had not ended", window)
    end = ends[-1]
    if (expected.by is None or expected.by == end.by) and (
            expected.reason is None or expected.reason.casefold() in end.reason.casefold()):
        return None
    want = " ".join(x for x in (f"by {expected.by}" if expected.by else "",
                                f"reason {expected.reason!r}" if expected.reason else "") if x)
    return Failure(f"the call to end {want}", f"it ended by {end.by} ({end.reason})", window)


def _error(text: str, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    errors = [e for e in window if isinstance(e, EngineError)]
    if any(text.casefold() in e.message.casefold() for e in errors):
        return None
    return Failure(f"the call to stop with an error containing {text!r}",
                   "; ".join(e.message for e in errors) or "no error happened", window)


def _order(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    names = expected.actions
    ran = [e.action for e in window if isinstance(e, ActionFinished)]
    position = 0
    for action in ran:
        if position < len(names) and action == names[position]:
            position += 1
    if ran == names if expected.exact else position == len(names):
        return None
    return Failure(f"only the actions {' → '.join(names)} to run, in that order" if expected.exact else
                   f"actions to run in the order {' → '.join(names)}",
                   f"they ran in the order {' → '.join(ran) or '(none ran)'}", window)


def _message(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    return _sent(expected, window, history, after_call=False)


def _sms(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    return _sent(expected, window, history, after_call=True)


def _sent(expected: Any, window: Sequence[Event], history: Sequence[Event], *, after_call: bool) -> Failure | None:
    """A message (in-call, any channel) or a post-call SMS matching every field given."""
    statuses = {e.id: e.status for e in history if isinstance(e, MessageStatus)}
    sent = [e for e in window if isinstance(e, MessageSent)]
    channel = getattr(expected, "channel", None) or ("sms" if after_call else None)
    matched = 0
    for event in sent:
        if event.after_call != after_call or (channel and event.channel != channel):
            continue
        if expected.to and event.to != expected.to:
            continue
        if expected.contains and expected.contains.casefold() not in event.body.casefold():
            continue
        if expected.body is not None and event.body != expected.body:
            continue
        if expected.segments is not None and event.segments != expected.segments:
            continue
        if expected.status and statuses.get(event.id, "queued") != expected.status:
            continue
        matched += 1
    if matched == expected.times if expected.times is not None else matched:
        return None
    noun = "post-call sms" if after_call else f"in-call {channel or 'message'}"
    what = _how_many(expected.times, "a" if after_call else "an", noun, noun if after_call else f"{noun}s")
    details = [f"to {expected.to}" if expected.to else "",
               f"containing {expected.contains!r}" if expected.contains else "",
               f"with exactly the body {expected.body!r}" if expected.body is not None else "",
               f"in {expected.segments} segment(s)" if expected.segments is not None else "",
               f"with status {expected.status}" if expected.status else ""]
    instead = "; ".join(
        f"{'post-call' if e.after_call else 'in-call'} {e.channel} to {e.to} {e.body!r}"
        + (f" ({e.encoding}, {e.segments} segment(s))" if e.segments is not None else "")
        + f", {statuses.get(e.id, 'queued')}" for e in sent)
    counted = f"{matched} matched; " if expected.times is not None and matched else ""
    return Failure(" ".join([what, *filter(None, details)]), f"{counted}sent: {instead}" if instead
                   else "no message was sent" + _ran(window), window)


def _transfer(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    attempts = transfer_attempts(window)
    for attempt in attempts:
        if (expected.reaches(attempt["to"])
                and (expected.mode is None or expected.mode == attempt["mode"])
                and (expected.whisper_contains is None
                     or expected.whisper_contains.casefold() in attempt["whisper"].casefold())
                and (expected.outcome is None or expected.outcome == attempt["outcome"])):
            return None
    wanted = [f"to {expected.to}" if expected.to else "", f"{expected.mode} mode" if expected.mode else "",
              f"whisper containing {expected.whisper_contains!r}" if expected.whisper_contains else "",
              f"outcome {expected.outcome}" if expected.outcome else ""]
    instead = "; ".join(
        f"{a['to']} ({a['mode'] or '?'}) → {a['outcome'] or 'still going'}"
        + (f", whisper {a['whisper']!r}" if a["whisper"] else "") for a in attempts)
    related = [e for e in window if isinstance(e, (PhonebookChoice, Dialing, DialFailed, WhisperPlayed, Bridged, Busy,
                                                   NoAnswer, Declined))] or list(window)
    return Failure("a transfer " + ", ".join(w for w in wanted if w), f"transfers: {instead}" if attempts
                   else "no transfer was attempted" + _ran(window), related)


def transfer_attempts(events: Sequence[Event]) -> list[dict[str, str]]:
    """Each transfer leg (or transfer that failed before dialing): to, mode, whisper and outcome."""
    attempts: list[dict[str, str]] = []
    legs: dict[str, dict[str, str]] = {}
    outcomes = {Busy: "busy", NoAnswer: "no_answer", Declined: "declined", DialFailed: "failed",
                LegCancelled: "abandoned"}
    for event in events:
        if isinstance(event, Dialing):
            legs[event.leg] = {"to": event.destination, "mode": event.mode, "whisper": "", "outcome": ""}
            attempts.append(legs[event.leg])
        elif isinstance(event, DialFailed) and not event.leg:
            attempts.append({"to": event.destination, "mode": event.mode, "whisper": "", "outcome": "failed"})
        elif isinstance(event, WhisperPlayed) and event.leg in legs:
            legs[event.leg]["whisper"] = event.text
        elif isinstance(event, Bridged) and event.leg in legs:
            legs[event.leg]["outcome"] = "voicemail" if event.to_voicemail else "connected"
        elif type(event) in outcomes and getattr(event, "leg", "") in legs:
            legs[event.leg]["outcome"] = outcomes[type(event)]  # type: ignore[attr-defined]
    return attempts


def _dtmf(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    sent = "".join(e.digits for e in window if isinstance(e, DtmfSent))
    wanted = expected.keys
    keys = sent if any(c in "wW" for c in wanted) else sent.replace("w", "").replace("W", "")
    if keys == wanted if expected.exact else wanted in keys:
        return None
    return Failure(f"the agent to send {'exactly ' if expected.exact else ''}the keys {wanted!r}",
                   f"it sent {sent!r}" if sent else "it sent no keys" + _ran(window),
                   [e for e in window if isinstance(e, DtmfSent)] or list(window))


def _ivr_said(text: str, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    return _said_containing(text, [e.text for e in window if isinstance(e, IvrSaid)], ("the phone menu", "the menu"),
                            window)


def subset(expected: Any, actual: Any, *, whole: bool = False) -> bool:
    """True when every key of `expected` is in `actual` with a matching value (recursively); with `whole`,
    `actual` has no other keys either."""
    if isinstance(expected, dict):
        return (isinstance(actual, dict) and (not whole or actual.keys() == expected.keys())
                and all(k in actual and subset(v, actual[k], whole=whole) for k, v in expected.items()))
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            subset(e, a, whole=whole) for e, a in zip(expected, actual))
    return same(actual, expected)


def differences(expected: Any, actual: Any, *, whole: bool = False, at: str = "") -> list[str]:
    """Where `actual` is not what `expected` describes (as `subset` compares them), one line per place:
    `status = 'late' (expected 'shipped')`, `no note`, `note = 'x' (not expected)` (with `whole`)."""
    name = at or "the body"
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = [f"no {at + '.' if at else ''}{k}" for k in expected if k not in actual]
        for key, want in expected.items():
            if key in actual:
                found += differences(want, actual[key], whole=whole, at=f"{at}.{key}" if at else str(key))
        if whole:
            found += [f"{at + '.' if at else ''}{k} = {v!r} (not expected)" for k, v in actual.items()
                      if k not in expected]
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [line for i, (e, a) in enumerate(zip(expected, actual))
                for line in differences(e, a, whole=whole, at=f"{at}[{i}]")]
    if isinstance(expected, list) and isinstance(actual, list):
        return [f"{name} has {len(actual)} item(s), not {len(expected)}: {actual!r}"]
    return [] if subset(expected, actual, whole=whole) else [f"{name} = {actual!r} (expected {expected!r})"]


def _webhook(expected: Any, window: Sequence[Event], history: Sequence[Event], types: ValueTypes) -> Failure | None:
    sent = [e for e in window if isinstance(e, WebhookSent)]
    answers = [e for e in window if isinstance(e, WebhookAnswered)]
    if not sent:
        return Failure("the agent's end-of-call report to be sent to its webhook", "no report was sent (the agent "
                       "has no webhook:, or the call has not ended)", window)
    report, answer = sent[-1], answers[-1] if answers else None
    if expected.json_ is not None and not report_matches(expected.json_, report.json_, exact=expected.exact):
        wrong = differences(expected.json_, report.json_, whole=False) if not expected.exact else [
            line for section, want in expected.json_.items()
            if not report_matches({section: want}, report.json_, exact=True)
            for line in differences({section: want}, _exact_part(section, want, report.json_),
                                    whole=section not in REPORT_ENVELOPE)]
        return Failure(f"the end-of-call report to {'have exactly' if expected.exact else 'contain'} "
                       f"{expected.json_!r}" + (" in those sections" if expected.exact else ""),
                       "it differs: " + "; ".join(wrong or [f"it was {report.json_!r}"]), window)
    got = "no answer" if answer is None else (f"no answer ({answer.error})" if answer.error else
                                               f"status {answer.status}")
    if expected.failed is not None and (answer is None or answer.error != expected.failed):
        return Failure(f"the webhook to get no answer ({expected.failed})", f"it got {got}", window)
    if expected.status is not None and not (answer is not None and answer.status is not None and _status_in(
            answer.status, expected.status)):
        return Failure(f"the webhook's server to answer {expected.status}", f"it got {got}", window)
    return None


REPORT_ENVELOPE = ("type", "format", "call")
"""The end-of-call report's sections callsim fills the same way for every call (its kind, its format, the
call's standard fields): an exact webhook check compares them as a subset, as it does the standard call
fields (`call.*`, `agent.*`) among the variables. The agent's doing (its variables, actions, transcript,
evaluations) is what must be exact."""


def report_matches(expected: Any, report: Any, *, exact: bool = False) -> bool:
    """The end-of-call report has what `expected` names (a subset); with `exact`, each section it names
    has nothing else, bar `REPORT_ENVELOPE`."""
    if not exact or not isinstance(expected, dict) or not isinstance(report, dict):
        return subset(expected, report, whole=exact)
    return all(section in report and subset(want, _exact_part(section, want, report)[section],
                                            whole=section not in REPORT_ENVELOPE)
               for section, want in expected.items())


def _exact_part(section: str, want: Any, report: dict[str, Any]) -> dict[str, Any]:
    """`{section: ...}` of the report as an exact check compares it: the variables without the standard call
    fields (`call.*`, `agent.*`) it does not name."""
    have = report.get(section)
    if section == "variables" and isinstance(have, dict) and isinstance(want, dict):
        have = {name: value for name, value in have.items()
                if name in want or name.split(".", 1)[0] not in ("call", "agent")}
    return {section: have} if section in report else {}


def _status_in(status: int, wanted: str) -> bool:
    return str(status) == wanted or (wanted.endswith("xx") and str(status)[0] == wanted[0])


CHECKS: dict[str, Check] = {
    "agent_said": _agent_said,
    "agent_not_said": _agent_not_said,
    "action": _action,
    "not_action": _not_action,
    "action_failed": _action_failed,
    "action_abandoned": _action_abandoned,
    "variables": _variables,
    "http": _http,
    "extracted": _extracted,
    "ended": _ended,
    "error": _error,
    "order": _order,
    "message": _message,
    "sms": _sms,
    "transfer": _transfer,
    "dtmf": _dtmf,
    "ivr_said": _ivr_said,
    "booking": _booking,
    "evaluation": _evaluation,
    "webhook": _webhook,
}
