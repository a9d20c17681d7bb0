"""The `booking` action: book, cancel or move an appointment in the calendar.

The wanted time comes from `start:` (by default the first of `needs`): an exact moment is booked
when it is free and open, else the nearest free times are offered (`on_conflict`,
`on_outside_hours`); a span ("anything tomorrow morning?") offers its first free times (the
`offer:` line) and the action is recorded as offered, not finished. An offer is no booking: the
offered times are `offer.*`, and `booking.*` is set only once a booking is made. Either way the
offered times become the caller's next answer: "the second one", "ten thirty", "Wednesday" or a
new time, which sets the wanted-time variable and runs the action again. Times are spoken in the
agent's zone and kept in ISO 8601 beside (`booking.start_iso`, `offer.times_iso`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from callsim.actions.base import ActionContext, ActionError, Offer
from callsim.backends.calendar import Calendar, CalendarEvent
from callsim.errors import CallError, MissingVariable
from callsim.readers import ReadContext
from callsim.readers.base import wall
from callsim.readers.format import spoken_datetime, spoken_slots, spoken_time
from callsim.readers.when import Span, read_slot_choice, read_when
from callsim.templates import render_data, render_text
from callsim.trace.events import (AgentCut, AgentSaid, BookingCancelled, BookingMade, BookingRescheduled,
                                  BookingUnavailable, SlotsOffered)

if TYPE_CHECKING:
    from callsim.config.actions import BookingAction

Wanted = dt.datetime | Span


async def run(action: BookingAction, ctx: ActionContext) -> dict[str, Any]:
    """Do what the action's mode says; return the `booking.*` variables."""
    agent = ctx.call.project.agent
    zone = ZoneInfo(agent.timezone)
    reading = ctx.call.reading_context()
    calendar: Calendar | None = ctx.backends.calendar
    if calendar is None:
        raise CallError(f"action {ctx.name}: this call has no calendar backend (build it with build_backends)")
    if action.mode == "cancel":
        return _cancel(action, ctx, calendar, zone)
    existing = _find(action, ctx, calendar) if action.mode == "reschedule" else None
    text = render_data(action.start_template or "", ctx.variables, ctx.where("start"))
    variable = action.wanted_variable
    if variable is not None:
        # the wanted time is used up: the next booking reads a new one (from the caller's words or a pick)
        ctx.call.set_variable(variable, None, f"action:{ctx.name}")
    wanted = _wanted(text, reading)
    length = action.duration or (_seconds(existing) if existing else calendar.slot)
    if isinstance(wanted, Span):
        return _offer_span(action, ctx, calendar, wanted, length, existing, reading)
    return _book_at(action, ctx, calendar, wanted, length, existing, reading)


def _book_at(action: BookingAction, ctx: ActionContext, calendar: Calendar, wanted: dt.datetime, length: float,
             existing: CalendarEvent | None, reading: ReadContext) -> dict[str, Any]:
    """Book (or move `existing` to) an exact time, or offer the nearest free ones and fail."""
    zone = ZoneInfo(reading.timezone)
    start = wanted.astimezone(dt.timezone.utc)  # lengths are real time, not wall-clock time
    end = start + dt.timedelta(seconds=length)
    ignore = existing.id if existing else None
    refusal = calendar.check(start, end, ignore=ignore)
    if refusal is not None:
        nearest = calendar.nearest_free(max(start, reading.now), length, action.alternatives, ignore=ignore)
        offered = _alternatives(action, ctx, nearest, reading, start.astimezone(zone).isoformat(), refusal.reason,
                                refusal.detail)
        raise ActionError(refusal.reason, f"{spoken_datetime(start, zone, reading.now)} cannot be booked: "
                                          f"{refusal.detail}; offered {offered}")
    if existing is not None:
        previous = existing.start
        calendar.move(existing, start, end)
        ctx.emit(BookingRescheduled(action=ctx.name, id=existing.id, calendar=calendar.name,
                                    previous_start=previous.astimezone(zone).isoformat(),
                                    start=start.astimezone(zone).isoformat(), end=end.astimezone(zone).isoformat(),
                                    spoken=spoken_datetime(start, zone, reading.now), title=existing.title,
                                    attendee=existing.attendee))
        return {**_booked(existing, calendar, zone, reading.now, "rescheduled"),
                "booking.previous_start": spoken_datetime(previous, zone, reading.now),
                "booking.previous_start_iso": previous.astimezone(zone).isoformat()}
    title = render_text(action.title, ctx.variables, ctx.where("title"))
    attendee = render_text(action.attendee, ctx.variables, ctx.where("attendee")) if action.attendee else None
    event = calendar.book(start, end, title, attendee or None)
    ctx.emit(BookingMade(action=ctx.name, id=event.id, calendar=calendar.name,
                         start=event.start.astimezone(zone).isoformat(), end=event.end.astimezone(zone).isoformat(),
                         spoken=spoken_datetime(event.start, zone, reading.now), title=title, attendee=event.attendee))
    return _booked(event, calendar, zone, reading.now, "booked")


def _wanted(text: str, reading: ReadContext) -> Wanted:
    """The wanted time from its rendered text: ISO 8601 (a moment, a day, an interval) or words."""
    zone = ZoneInfo(reading.timezone)
    text = text.strip()
    span = Span.parse(text)
    if span is not None:
        return span
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return Span(max(wall(day, dt.time(0), zone), reading.now), wall(day, None, zone))
        moment = dt.datetime.fromisoformat(text)
        return moment if moment.tzinfo else wall(moment.date(), moment.time(), zone)
    except ValueError:
        pass
    try:
        clock = dt.time.fromisoformat(text)
        now = reading.now.astimezone(zone)
        at = wall(now.date(), clock, zone)
        return at if at > now else wall(now.date() + dt.timedelta(days=1), clock, zone)
    except ValueError:
        pass
    read = read_when(text, reading)
    if read is None:
        raise ActionError("unreadable_time", f"cannot read a time from {text!r}")
    return read.value  # type: ignore[return-value]


def _offer_span(action: BookingAction, ctx: ActionContext, calendar: Calendar, span: Span, length: float,
                existing: CalendarEvent | None, reading: ReadContext) -> dict[str, Any]:
    """A span was asked for: offer its first free times, or say why there are none."""
    zone = ZoneInfo(reading.timezone)
    ignore = existing.id if existing else None
    wanted = f"{span.start.astimezone(zone).isoformat()}/{span.end.astimezone(zone).isoformat()}"
    slots = calendar.free_slots(span.start, span.end, length, ignore=ignore)[:action.alternatives]
    if not slots:
        reason = "conflict" if calendar.opens_during(span.start, span.end) else "outside_hours"
        detail = "fully booked then" if reason == "conflict" else "closed then"
        nearest = calendar.nearest_free(span.start, length, action.alternatives, ignore=ignore)
        offered = _alternatives(action, ctx, nearest, reading, wanted, reason, detail)
        raise ActionError(reason, f"nothing free in {wanted} ({detail}); offered {offered}")
    spoken = spoken_slots(slots, zone, reading.now)
    offered = [s.astimezone(zone).isoformat() for s in slots]
    ctx.emit(SlotsOffered(action=ctx.name, wanted=wanted, slots=offered, spoken=spoken))
    _choose_next(action, ctx, slots, reading, wanted)
    ctx.offered = Offer(offered, action.offer)
    return {"offer.times": spoken, "offer.times_iso": offered, "offer.wanted": wanted}


def _alternatives(action: BookingAction, ctx: ActionContext, slots: list[dt.datetime], reading: ReadContext,
                  wanted: str, reason: str, detail: str) -> str:
    """Record and offer the free times instead of a wanted one (they are in the variables before the
    fallback line is said); with none at all the action fails as `no_slots`."""
    zone = ZoneInfo(reading.timezone)
    offered = [s.astimezone(zone).isoformat() for s in slots]
    ctx.emit(BookingUnavailable(action=ctx.name, wanted=wanted, reason=reason, detail=detail, alternatives=offered))
    if not slots:
        raise ActionError("no_slots", f"{wanted} cannot be booked ({detail}) and nothing is free nearby")
    spoken = spoken_slots(slots, zone, reading.now)
    source = f"action:{ctx.name}"
    ctx.call.set_variable("offer.times", spoken, source)
    ctx.call.set_variable("offer.times_iso", offered, source)
    ctx.call.set_variable("offer.wanted", wanted, source)
    _choose_next(action, ctx, slots, reading, wanted)
    return spoken


def _choose_next(action: BookingAction, ctx: ActionContext, slots: list[dt.datetime], reading: ReadContext,
                 wanted: str) -> None:
    """Make the caller's next turn a pick among `slots` (or a new time), for the wanted-time variable; `wanted`
    is the time or span asked for (ISO 8601, in the agent's zone), whose day a time offered on several days is."""
    variable = action.wanted_variable
    if variable is None:
        return  # the wanted time is not one variable, so a pick has nowhere to go
    day = dt.datetime.fromisoformat(wanted.split("/")[0]).date()

    def read(text: str) -> str | None:
        picked = read_slot_choice(text, _heard(ctx, slots), ctx.call.reading_context(), day)
        return None if picked is None else picked.value.isoformat()  # type: ignore[attr-defined]

    ctx.call.offer_choice(ctx.name, variable, read)


def _heard(ctx: ActionContext, slots: list[dt.datetime]) -> list[dt.datetime]:
    """The offered times the caller heard: all of them, unless they talked over the line that offered them,
    then those said before the cut ("the last one" is the last one heard). Read when the caller picks."""
    events = ctx.call.trace.events
    line = next((e for e in reversed(events) if isinstance(e, AgentSaid) and e.action == ctx.name), None)
    cut = line and next((e for e in reversed(events) if isinstance(e, AgentCut) and e.line == line.seq), None)
    if line is None or cut is None:
        return slots
    zone = ZoneInfo(ctx.call.agent.timezone)
    heard, at = [], 0
    for slot in slots:
        said = spoken_time(slot.astimezone(zone))
        found = line.text.find(said, at)
        if found < 0:
            return slots  # the line does not list them one by one: no telling which were heard
        at = found + len(said)
        if at <= len(cut.said):
            heard.append(slot)
    return heard


def _find(action: BookingAction, ctx: ActionContext, calendar: Calendar) -> CalendarEvent:
    """The booking a cancel or reschedule is about: by `booking_id`, else the attendee's next one."""
    wanted_id = attendee = None
    if action.booking_id is not None:
        try:
            wanted_id = render_data(action.booking_id, ctx.variables, ctx.where("booking_id")).strip() or None
        except MissingVariable as missing:
            if action.attendee is None:  # no booking known (none made, or the one made was cancelled)
                raise ActionError("not_found", f"no booking to {action.mode}: {missing.name} is not set") from None
    if wanted_id is None and action.attendee is not None:
        attendee = render_text(action.attendee, ctx.variables, ctx.where("attendee")).strip() or None
    event = calendar.find(id=wanted_id, attendee=attendee)
    if event is None:
        what = f"booking {wanted_id}" if wanted_id else f"upcoming booking for {attendee or '(nobody)'}"
        raise ActionError("not_found", f"no {what} in {calendar.name}")
    return event


def _cancel(action: BookingAction, ctx: ActionContext, calendar: Calendar, zone: ZoneInfo) -> dict[str, Any]:
    """Cancel the booking and describe it as `cancelled.*`; when it is the one `booking.*` describes (made or
    moved earlier in this call), `booking` becomes undefined: nothing this call booked stands any more. The
    cancel's own line may still call it `booking.*` (as it did before `cancelled.*` existed)."""
    event = _find(action, ctx, calendar)
    calendar.cancel(event)
    now = ctx.clock.now()
    ctx.emit(BookingCancelled(action=ctx.name, id=event.id, calendar=calendar.name,
                              start=event.start.astimezone(zone).isoformat(),
                              spoken=spoken_datetime(event.start, zone, now)))
    booking = ctx.call.context().get("booking")
    if isinstance(booking, dict) and booking.get("id") == event.id:
        for name in _dotted("booking", booking):
            ctx.call.unset_variable(name, f"action:{ctx.name}")
    values = _booked(event, calendar, zone, now, None)
    ctx.line_values = {"booking": {name.split(".", 1)[1]: value for name, value in values.items()} | {"status": "cancelled"}}
    return {name.replace("booking.", "cancelled.", 1): value for name, value in values.items()}


def _dotted(prefix: str, node: dict[str, Any]) -> list[str]:
    """The variable names under a nested mapping of the context (`booking` -> `booking.id`, ...)."""
    return [name for key, value in node.items()
            for name in (_dotted(f"{prefix}.{key}", value) if isinstance(value, dict) else [f"{prefix}.{key}"])]


def _booked(event: CalendarEvent, calendar: Calendar, zone: ZoneInfo, now: dt.datetime,
            status: str | None) -> dict[str, Any]:
    """A calendar entry as `booking.*` variables: when, what and where, spoken and in ISO 8601; `status`
    says what this call did to it (none for a cancelled one, which is `cancelled.*`)."""
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    values: dict[str, Any] = {
        "booking.id": event.id,
        "booking.start": spoken_datetime(start, zone, now),
        # said after the start ("from ... to 11 AM"), so the day only when it is another one
        "booking.end": spoken_time(end) if end.date() == start.date() else spoken_datetime(end, zone, now),
        "booking.start_iso": start.isoformat(),
        "booking.end_iso": end.isoformat(),
        "booking.title": event.title,
        "booking.calendar": calendar.name,
    }
    if status is not None:
        values["booking.status"] = status
    if event.attendee:
        values["booking.attendee"] = event.attendee
    return values


def _seconds(event: CalendarEvent) -> float:
    """A booking's length: a moved booking keeps it unless the action says otherwise."""
    return (event.end - event.start).total_seconds()
