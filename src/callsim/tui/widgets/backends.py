"""The backends panel: the phone (dialing, ringing, on hold, bridged), message threads, the calendar's
day with its bookings, and every event of the call. A tab whose pane got news while hidden is marked."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from callsim.terminal import printable
from callsim.trace.events import Event
from callsim.trace.timeline import clock, shorten
from callsim.tui.widgets.fitted import FittedLog, FittedPage, hanging
from callsim.tui.widgets.transcript import call_time

PHONE_TYPES = {"dialing", "ringing", "answered", "whisper_played", "bridged", "busy", "no_answer", "declined",
               "dial_failed", "hold_started", "hold_stopped", "dtmf_sent", "dtmf_received", "ivr_said", "ivr_input",
               "phonebook_choice", "call_state"}
MESSAGE_TYPES = {"message_sent", "message_status", "message_received", "reply_timed_out"}
CALENDAR_TYPES = {"booking", "booking_unavailable", "slots_offered", "booking_cancelled", "booking_rescheduled"}
LABELS = {"phone": "Phone", "messages": "Messages", "calendar": "Calendar", "events": "Events"}
EVENT_KINDS = {"caller_said": "caller", "dtmf_received": "caller", "agent_said": "agent", "error": "error",
               "action_failed": "error", "dial_failed": "error", "trigger_matched": "action",
               "action_started": "action", "action_finished": "action", "variable_set": "detail",
               "call_state": "detail", "http_response": "detail", "message_status": "detail"}
"""How the Events tab colours a line: who spoke, what failed, what fired, and the details muted."""


class EventsLog(FittedLog):
    """Every event of the call as `mm:ss.sss  #seq  summary`, coloured by what it is."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"events--time", "events--caller", "events--agent", "events--error",
                                             "events--action", "events--detail", "events--other"}

    def add_event(self, event: Event) -> None:
        lead = Text(f"{clock(event.t)}  #{event.seq:<4} ", style=self.get_component_rich_style("events--time"))
        kind = EVENT_KINDS.get(event.type, "other")
        self.add_row(lead, shorten(event.summary()), self.get_component_rich_style(f"events--{kind}"))


def pane_for(kind: str) -> str | None:
    """Which backend pane shows an event type (by name, so new types of a family land in the right place)."""
    if kind in PHONE_TYPES or kind.startswith(("transfer", "dtmf", "ivr", "hold", "dial")):
        return "phone"
    if kind in MESSAGE_TYPES or kind.startswith(("message", "sms", "whatsapp", "reply")):
        return "messages"
    if kind in CALENDAR_TYPES or kind.startswith(("booking", "calendar", "slots_")):
        return "calendar"
    return None


def phone_state(event: Event) -> str | None:
    """What the phone line is doing after this event, in a few words."""
    kind, where = event.type, getattr(event, "destination", "")
    states = {"dialing": f"dialing {where}", "ringing": f"ringing {where}", "bridged": f"bridged to {where}",
              "busy": f"{where} busy", "no_answer": f"no answer from {where}", "declined": f"{where} declined",
              "dial_failed": "transfer failed", "hold_started": "caller on hold", "hold_stopped": "caller off hold",
              "answered": f"{where} answered ({getattr(event, 'by', '')})"}
    if kind == "call_state":
        return {"connected": "connected to the agent", "on_hold": "caller on hold", "transferring": "transferring",
                "ended": "call ended", "ringing": "ringing the agent"}.get(event.state, event.state)
    return states.get(kind)


class PhonePane(Vertical):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"phone--state"}

    def compose(self) -> ComposeResult:
        self.state = Static("no call yet", id="phone-state", markup=False)
        self.log_view = FittedLog(id="phone-log")
        yield self.state
        yield self.log_view

    def add_event(self, event: Event) -> None:
        state = phone_state(event)
        if state is not None:
            self.state.update(printable(f"☎ {state}"))
        if event.type != "call_state":
            self.log_view.add_row(Text(f"{call_time(event.t)} "), event.summary(), Style())

    def reset(self) -> None:
        self.state.update("no call yet")
        self.log_view.clear()


class MessagesPane(FittedPage):
    """One thread per channel and number, with each message's latest delivery status."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"messages--thread", "messages--out", "messages--in", "messages--note"}
    EMPTY = "No messages yet."

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("messages-view", **kwargs)
        self.threads: dict[tuple[str, str], list[list[Any]]] = defaultdict(list)
        self.status: dict[str, str] = {}

    def add_event(self, event: Event) -> None:
        kind = event.type
        if kind == "message_sent":
            self.threads[(event.channel, event.to)].append(["out", event.t, event.body, event.id])
            self.status[event.id] = "queued"
        elif kind == "message_status":
            self.status[event.id] = event.status
        elif kind == "message_received":
            self.threads[(event.channel, event.from_)].append(["in", event.t, event.body, event.id])
        elif kind == "reply_timed_out":
            self.threads[(event.channel, event.to)].append(["note", event.t, event.summary(), ""])
        else:
            self.threads[("other", "")].append(["note", event.t, event.summary(), ""])
        self.redraw()

    def reset(self) -> None:
        self.threads.clear()
        self.status.clear()
        self.redraw()

    def page(self, width: int) -> Text:
        if not self.threads:
            return Text(self.EMPTY)
        text = Text()
        for (channel, number), items in self.threads.items():
            text.append(printable(f"{channel.upper()} {number}") + "\n",
                        style=self.get_component_rich_style("messages--thread"))
            for direction, t, body, msg_id in items:
                style = self.get_component_rich_style(f"messages--{direction}")
                arrow = {"out": "→", "in": "←", "note": "·"}[direction]
                status = f"  [{self.status[msg_id]}]" if direction == "out" and msg_id in self.status else ""
                lead = Text(f"  {call_time(t)} {arrow} ", style=style)
                text.append_text(hanging(self.app.console, lead, f"{body}{status}", style, width))
                text.append("\n")
        return text


class CalendarPane(FittedPage):
    """The days the call booked on, each with its bookings in time order, and what could not be booked."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"calendar--day", "calendar--booking", "calendar--gone",
                                             "calendar--note"}
    EMPTY = "No bookings yet."

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("calendar-view", **kwargs)
        self.bookings: dict[str, dict[str, Any]] = {}
        self.notes: list[tuple[float, str]] = []

    def add_event(self, event: Event) -> None:
        kind = event.type
        if kind in ("booking", "booking_rescheduled"):
            self.bookings[event.id] = {"start": event.start, "end": getattr(event, "end", ""),
                                       "title": event.title, "id": event.id, "gone": False,
                                       "moved": kind == "booking_rescheduled"}
        elif kind == "booking_cancelled" and event.id in self.bookings:
            self.bookings[event.id]["gone"] = True
        else:
            self.notes.append((event.t, event.summary()))
        self.redraw()

    def reset(self) -> None:
        self.bookings.clear()
        self.notes.clear()
        self.redraw()

    def page(self, width: int) -> Text:
        if not (self.bookings or self.notes):
            return Text(self.EMPTY)
        text = Text()
        days: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for booking in sorted(self.bookings.values(), key=lambda b: b["start"]):
            days[booking["start"][:10]].append(booking)
        for day, bookings in days.items():
            text.append(printable(_day_name(day)) + "\n", style=self.get_component_rich_style("calendar--day"))
            for b in bookings:
                span = f"{b['start'][11:16]}–{b['end'][11:16]}" if b["end"] else b["start"][11:16]
                mark = " (cancelled)" if b["gone"] else " (moved here)" if b["moved"] else ""
                style = self.get_component_rich_style("calendar--gone" if b["gone"] else "calendar--booking")
                text.append_text(hanging(self.app.console, Text(f"  {span}  ", style=style),
                                         f"{b['title']}  {b['id']}{mark}", style, width))
                text.append("\n")
        note = self.get_component_rich_style("calendar--note")
        for t, summary in self.notes:
            text.append_text(hanging(self.app.console, Text(f"{call_time(t)} ", style=note), summary, note, width))
            text.append("\n")
        return text


def _day_name(iso_day: str) -> str:
    try:
        return dt.date.fromisoformat(iso_day).strftime("%a %d %b %Y")
    except ValueError:
        return iso_day


class BackendsPanel(Vertical):
    """Phone, Messages, Calendar and Events tabs; every event also goes to Events, shown generically."""

    def compose(self) -> ComposeResult:
        self.panes: dict[str, PhonePane | MessagesPane | CalendarPane] = {
            "phone": PhonePane(), "messages": MessagesPane(), "calendar": CalendarPane()}
        self.events_log = EventsLog(id="events-log")
        self.tabs = TabbedContent(id="backend-tabs")
        self.marked: set[str] = set()
        with self.tabs:
            for name, pane in self.panes.items():
                with TabPane(LABELS[name], id=name):
                    yield pane
            with TabPane(LABELS["events"], id="events"):
                yield self.events_log

    def add_event(self, event: Event) -> None:
        self.events_log.add_event(event)
        name = pane_for(event.type)
        if name is None:
            return
        self.panes[name].add_event(event)
        if name != self.tabs.active and event.type != "call_state" and name not in self.marked:
            self.marked.add(name)  # relabelling a tab lays the screen out again: only once
            self.tabs.get_tab(name).label = f"{LABELS[name]} •"

    def reset(self) -> None:
        for pane in self.panes.values():
            pane.reset()
        self.events_log.clear()

    def on_tabbed_content_tab_activated(self, message: TabbedContent.TabActivated) -> None:
        pane = message.pane.id or ""
        if pane in self.marked:
            self.marked.discard(pane)
            self.tabs.get_tab(pane).label = LABELS[pane]
