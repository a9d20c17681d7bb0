"""Dialogs that let the person at the simulator play the parts a free call has no fake for: the server
behind an HTTP request no route answers, the phone at a number no entry describes, a secret nobody gave.

Each dialog is a modal screen that dismisses with what the person chose (a route, a phone's behaviour,
a secret's value) or None (leave it: the call stops with the setup error, as a scenario would).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from callsim.config.fakes import HttpRoute
from callsim.config.telephony import PhoneBehaviour
from callsim.errors import one_line
from callsim.tui.widgets.bars import KeyBar

MAX_SHOWN_BODY = 1200
"""The most characters of a request body the dialog shows."""


class Dialog(ModalScreen[Any]):
    """A question to the person, answered by keyboard alone: ctrl+s takes the answer from any field, enter
    takes it from a one-line field or presses the focused button, tab moves between fields and buttons,
    escape leaves it unanswered (None). The box scrolls rather than squeezing a field out of a short terminal.
    The screen's bottom line lists the dialog's own keys in place of the simulator's (which do not work
    while it is open)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "answer", "Answer"),  # before the app's ctrl+s (save): the screen's bindings come first
        Binding("escape", "leave", "Leave unanswered"),
    ]
    KEYS = "ctrl+s or enter: answer · tab: the next field or button, enter presses it · esc: leave it unanswered"

    def compose(self) -> ComposeResult:
        yield from self.box()
        keys = [(b.key, b.description, b.action) for b in self.BINDINGS if isinstance(b, Binding) and b.show]
        yield KeyBar(sorted(keys, key=lambda entry: entry[0] == "escape"), target="screen", keep_last=True,
                     classes="dialog--keyline")

    def box(self) -> ComposeResult:
        """The dialog's box: the question, its fields and buttons."""
        raise NotImplementedError

    def action_leave(self) -> None:
        self.dismiss(None)

    def action_answer(self) -> None:
        self.choose("answer")

    def action_choose(self, chosen: str) -> None:
        self.choose(chosen)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id is not None:
            self.choose(event.button.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_answer()

    def choose(self, chosen: str) -> None:
        """The person chose the button `chosen` (by enter on it, a click, or its key)."""
        raise NotImplementedError

    def problem(self, text: str, field: str | None = None) -> None:
        """Say in the dialog why the answer cannot be taken (the dialog stays open), in view, with the field
        to mend focused."""
        shown = self.query_one(".dialog--problem", Static)
        shown.update(Text(text))
        if field is not None:
            self.query_one(field).focus()
        self.call_after_refresh(shown.scroll_visible)

    def keys(self) -> Static:
        return Static(self.KEYS, classes="dialog--keys")


def _shown(text: str) -> Text:
    """A value from the call, shown as plain text (markup and control characters are not interpreted)."""
    return Text(one_line(text) if "\n" not in text else "\n".join(map(one_line, text.splitlines())))


class HttpDialog(Dialog):
    """An HTTP request no route answers: answer it (status and JSON body), pass it through to the real
    server (when its host is allowed), or fail it (timeout, a 500, a refused connection). Each has a key, so
    the person never has to tab out of the body they were typing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *Dialog.BINDINGS,
        # ctrl+ keys, as neither the body nor the status field uses them (alt+ would reach the app as
        # escape then the letter on a slow terminal link, and escape leaves the request unanswered)
        Binding("ctrl+p", "choose('pass')", "Pass through"),
        Binding("ctrl+t", "choose('timeout')", "Timeout"),
        Binding("ctrl+r", "choose('error500')", "500"),
        Binding("ctrl+o", "choose('connect')", "Connection error"),
    ]
    KEYS = ("ctrl+s or enter: answer · ctrl+p: pass through · fail it with ctrl+t: timeout, ctrl+r: 500, "
            "ctrl+o: connection error · tab: the next field or button, enter presses it · esc: leave it unanswered")

    def __init__(self, request: Any, why: str, pass_through: str | None, redact: Callable[[str], str],
                 saves: Mapping[str, str] | None = None) -> None:
        super().__init__(classes="dialog")
        self.request = request
        self.why = why
        self.redact = redact
        """The call's redaction: a secret in the request is shown as the trace shows it."""
        self.refused = pass_through
        """Why it may not pass through (the host is neither loopback nor listed), or None when it may."""
        self.saves = dict(saves or {})
        """What the action reads from the answer (variable -> JSONPath): shown, and the body starts with it."""

    def box(self) -> ComposeResult:
        request = self.request
        with VerticalScroll(classes="dialog--box") as box:
            box.border_title = "No route answers this request"
            yield Static(_shown(self.redact(f"{request.method} {request.url}")), classes="dialog--request")
            headers = "\n".join(f"{name}: {value}" for name, value in request.headers.items()
                                if name.lower() not in ("host", "content-length", "accept-encoding", "connection",
                                                        "user-agent", "accept"))
            body = request.content.decode("utf-8", "replace")[:MAX_SHOWN_BODY]
            if headers or body:
                yield Static(_shown(self.redact("\n".join(x for x in (headers, body) if x))), classes="dialog--details")
            yield Static(_shown(self.redact(self.why.split(". If the request is right")[0])), classes="dialog--why")
            with Horizontal(classes="dialog--row"):
                yield Static("Status", classes="dialog--label")
                yield Input("200", id="answer-status", restrict=r"\d{0,3}", max_length=3, classes="dialog--status")
            yield Static("JSON body", classes="dialog--label")
            if self.saves:
                yield Static(_shown("The action reads " + ", ".join(f"{path} into {name}" for name, path in
                                                                   self.saves.items())), classes="dialog--hint")
            yield TextArea(json.dumps(skeleton(self.saves.values())), id="body", language="json",
                           classes="dialog--body", soft_wrap=True)
            yield Static("", classes="dialog--problem")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Answer", id="answer", variant="primary")
                yield Button("Pass through", id="pass", disabled=self.refused is not None)
                yield Button("Timeout", id="timeout", variant="warning")
                yield Button("500", id="error500", variant="warning")
                yield Button("Connection error", id="connect", variant="warning")
            if self.refused is not None:
                yield Static(_shown(f"Pass through is off: {self.refused}"), classes="dialog--hint")
            yield Static("The answer holds for the rest of the call; F6 exports it as a route. Left unanswered, "
                         "the call stops.", classes="dialog--hint")
            yield self.keys()

    def on_mount(self) -> None:
        body = self.query_one("#body", TextArea)
        body.focus()
        body.select_all()  # what the person types replaces the body it starts with (typed before it, it made no JSON)
        # focusing the body scrolled a short terminal's box down to it: the request itself is what to read first
        self.call_after_refresh(self.query_one(".dialog--box").scroll_home, animate=False)

    def choose(self, chosen: str) -> None:
        match = f"{self.request.method} {self.request.url}"
        if chosen == "answer":
            route = self._answer(match)
            if route is not None:
                self.dismiss(route)
        elif chosen == "pass":
            if self.refused is not None:
                self.problem(f"Pass through is off: {self.refused}.")
                return
            self.dismiss(HttpRoute(match=match, pass_through=True))
        elif chosen == "timeout":
            self.dismiss(HttpRoute(match=match, error="timeout"))
        elif chosen == "error500":
            self.dismiss(HttpRoute(match=match, status=500, json={"error": "internal server error"}))
        elif chosen == "connect":
            self.dismiss(HttpRoute(match=match, error="connect"))

    def _answer(self, match: str) -> HttpRoute | None:
        status = self.query_one("#answer-status", Input).value.strip()
        if not status.isdigit() or not 100 <= int(status) <= 599:
            self.problem("The status must be a number from 100 to 599, e.g. 200.", "#answer-status")
            return None
        text = self.query_one("#body", TextArea).text.strip()
        try:
            body = json.loads(text) if text else None
        except ValueError as problem:
            self.problem(f"The body is not JSON: {problem}. Write e.g. {{\"status\": \"shipped\"}}.", "#body")
            return None
        return HttpRoute(match=match, status=int(status), json=body)


_NAMES = re.compile(r"\$((?:\.[A-Za-z_][\w-]*)+)")


def skeleton(paths: Iterable[str]) -> dict[str, Any]:
    """A JSON body with an empty value where each JSONPath of plain names (`$.order.status`) reads one; a
    path with indexes or filters adds nothing (the dialog names it)."""
    body: dict[str, Any] = {}
    for path in paths:
        match = _NAMES.fullmatch(path.strip())
        if match is None:
            continue
        *parents, leaf = match[1][1:].split(".")
        place = body
        for name in parents:
            place = place.setdefault(name, {}) if isinstance(place.get(name, {}), dict) else {}
        place.setdefault(leaf, "")
    return body


class SecondsInput(Input):
    """A field of seconds: it takes digits and a point, and leaves every other key to the dialog's bindings."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and (character.isdigit() or character == ".")


class PhoneDialog(Dialog):
    """A number (or SIP URI) no phone describes: what happens when it is dialled, one of the outcomes a
    scenario's `phones:` gives. Each outcome has a key of its own, which works from the seconds field too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # enter answers (the Answer button has the focus, and the seconds field answers on enter): the key line
        # keeps its room for the outcomes and escape, whole in an 80-column terminal
        Binding("ctrl+s", "answer", "Answer", show=False),
        Binding("escape", "leave", "Leave unanswered"),
        # letters, as the seconds field takes digits only; priority, as it would otherwise swallow them
        Binding("b", "choose('busy')", "Busy", priority=True),
        Binding("n", "choose('no_answer')", "No answer", priority=True),
        Binding("v", "choose('voicemail')", "Voicemail", priority=True),
        Binding("d", "choose('declines')", "Declines", priority=True),
        Binding("f", "choose('fails')", "Fails", priority=True),
    ]
    KEYS = ("enter: a person answers after the seconds given · b: busy · n: no answer · v: voicemail answers · "
            "d: a person answers, then declines · f: the call fails (503) · tab: the next field or button · "
            "esc: leave it unknown")

    def __init__(self, destination: str, why: str, transfer: str = "") -> None:
        super().__init__(classes="dialog")
        self.destination = destination
        self.why = why
        self.transfer = transfer
        """What the transfer dialling it does with each choice (its mode, its ring timeout), or ""."""

    def box(self) -> ComposeResult:
        with VerticalScroll(classes="dialog--box") as box:
            box.border_title = "Nobody is set up at this number"
            yield Static(_shown(f"The agent dials {self.destination}"), classes="dialog--request")
            if self.transfer:
                yield Static(_shown(self.transfer), classes="dialog--why")
            with Horizontal(classes="dialog--row"):
                yield Static("Answers after (s)", classes="dialog--label")
                yield SecondsInput("5", id="after", restrict=r"\d{0,3}(\.\d?)?", max_length=5, classes="dialog--status")
            yield Static("", classes="dialog--problem")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Answer", id="answer", variant="primary")
                yield Button("Busy", id="busy", variant="warning")
                yield Button("No answer", id="no_answer", variant="warning")
                yield Button("Voicemail", id="voicemail", variant="warning")
                yield Button("Declines", id="declines", variant="warning")
                yield Button("Fails", id="fails", variant="warning")
            yield Static("It holds for the rest of the call; F6 exports it under phones:. Left unknown, the call "
                         "stops.", classes="dialog--hint")
            yield self.keys()

    def on_mount(self) -> None:
        self.query_one("#answer", Button).focus()

    def choose(self, chosen: str) -> None:
        if chosen in ("busy", "no_answer"):
            self.dismiss(PhoneBehaviour(**{chosen: True}))
        elif chosen == "fails":
            self.dismiss(PhoneBehaviour(fails=True))
        elif chosen in ("answer", "voicemail", "declines"):  # someone picks up after the seconds given
            after = self.query_one("#after", Input).value.strip() or "0"
            try:
                seconds = float(after)
            except ValueError:
                self.problem("Give the seconds of ringing before someone answers, e.g. 5.", "#after")
                return
            self.dismiss(PhoneBehaviour(answer_after=seconds, voicemail=chosen == "voicemail",
                                        declines=chosen == "declines"))


class SecretDialog(Dialog):
    """A secret the agent's placeholders read and nothing supplied: asked for once, never shown or exported."""

    def __init__(self, name: str, where: str) -> None:
        super().__init__(classes="dialog")
        self.name_ = name
        self.where = where

    def box(self) -> ComposeResult:
        with VerticalScroll(classes="dialog--box") as box:
            box.border_title = f"Secret {self.name_}"
            yield Static(_shown(f"{self.where} reads {{{{ secrets.{self.name_} }}}}, and nothing supplies it "
                                f"(no --secret {self.name_}=..., no environment variable {self.name_})."),
                         classes="dialog--request")
            yield Input(password=True, id="value", placeholder=f"the value of {self.name_}")
            yield Static("", classes="dialog--problem")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Use it", id="use", variant="primary")
                yield Button("Skip", id="skip")
            yield Static("Asked once for this simulator session; it is redacted in the trace and never exported. "
                         "Skip: a call that needs it stops there.", classes="dialog--hint")
            yield self.keys()

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    def choose(self, chosen: str) -> None:
        if chosen in ("answer", "use"):
            value = self.query_one("#value", Input).value
            if not value:
                self.problem("Type the value, or Skip.", "#value")
                return
            self.dismiss(value)
        else:
            self.dismiss(None)
