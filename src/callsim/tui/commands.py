"""What can be typed in the simulator's input line: an utterance, or a slash command."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from callsim.config.scenario import MAX_SAID
from callsim.durations import parse_duration
from callsim.suggest import closest

DTMF_KEYS = re.compile(r"[0-9*#A-Da-dwW]+")
COMMANDS = {
    "dtmf": ("/dtmf KEYS", "press keys on the phone, e.g. /dtmf 12# (w = half-second pause)"),
    "reply": ("/reply [sms|whatsapp] TEXT", "answer the agent's text: the one waiting for a reply, else its latest "
              "thread; sms or whatsapp first picks the channel, e.g. /reply YES, /reply whatsapp YES"),
    "audio": ("/audio FILE.wav", "the caller says what a WAV file holds (through speech-to-text)"),
    "wait": ("/wait DURATION", "let call time pass at once, e.g. /wait 30s or /wait 2m"),
    "actions": ("/actions", "list the agent's actions and what sets each off: what to say, which key, when"),
    "hangup": ("/hangup", "hang up; the post-call actions run (F7)"),
    "next": ("/next", "play the scenario's next turn and check its expectations (F5)"),
    "new": ("/new", "start a new call with the same agent (ctrl+n)"),
    "save": ("/save", "save the trace under traces/tui/ (ctrl+s)"),
    "export": ("/export [FILE]", "export this call as a scenario YAML with expectations (F6)"),
    "mute": ("/mute", "turn the agent's voice off or on (ctrl+t)"),
    "help": ("/help", "show the keys and these commands (F1)"),
}


CHANNELS = ("sms", "whatsapp")
"""The channels a reply can be written on (`/reply whatsapp TEXT`)."""


@dataclass(frozen=True)
class Reply:
    """A `/reply`: what the caller texts back, and on which channel (None: the thread the agent waits on)."""

    body: str
    channel: str | None = None


class UsageError(ValueError):
    """A command typed wrongly; the message says how to use it."""


@dataclass(frozen=True)
class Command:
    """A parsed input line: `say` with the utterance, or a command name with its argument."""

    name: str
    argument: Any = None


def parse(line: str, keypad: bool = False) -> Command | None:
    """The command a line asks for; None for an empty line; UsageError when it is malformed. With the keypad
    open (`keypad`), a line that is no command is keys to press."""
    text = line.strip()
    if not text:
        return None
    if keypad and not text.startswith("/"):
        keys = text.replace(" ", "")
        if not DTMF_KEYS.fullmatch(keys):
            raise UsageError(f"The keypad is open: type keys to press them (0-9 * # A-D, w for a half-second "
                             f"pause), or press F3 to close it and say {_shown(text)} as words.")
        return Command("dtmf", _keys(keys))
    if not text.startswith("/"):
        return Command("say", _said(text, "A caller turn"))
    name, _, rest = text[1:].partition(" ")
    name, rest = name.lower(), rest.strip()
    if name not in COMMANDS:
        close = closest(name, COMMANDS)
        hint = f" Did you mean /{close}?" if close else ""
        raise UsageError(f"Unknown command /{name}.{hint} Type /help for the list.")
    usage = f"Usage: {COMMANDS[name][0]} — {COMMANDS[name][1]}."
    if name == "dtmf":
        keys = rest.replace(" ", "")
        if not keys or not DTMF_KEYS.fullmatch(keys):
            raise UsageError(usage + (f" {rest!r} holds keys a phone does not have." if keys else ""))
        return Command(name, _keys(keys))
    if name == "reply":
        channel, _, body = rest.partition(" ")
        if channel.lower() not in CHANNELS or not body.strip():  # `/reply sms` alone is the word "sms"
            channel, body = "", rest
        if not body:
            raise UsageError(usage)
        return Command(name, Reply(_said(body.strip(), "A reply"), channel.lower() or None))
    if name == "wait":
        try:
            seconds = parse_duration(rest)
        except ValueError:
            raise UsageError(usage + (f" {rest!r} is not a duration." if rest else "")) from None
        if seconds <= 0:
            raise UsageError(usage + " The duration must be more than zero.")
        return Command(name, seconds)
    if name == "export":
        return Command(name, rest or None)
    if name == "audio":
        if not rest:
            raise UsageError(usage)
        return Command(name, rest)
    if rest:
        raise UsageError(f"{usage} It takes no argument.")
    return Command(name)


def _keys(keys: str) -> str:
    return "".join(k.upper() if k in "abcd" else k for k in keys)


def _shown(text: str) -> str:
    """A typed line quoted in a message, cut when long."""
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _said(text: str, what: str) -> str:
    """`text` when a scenario could hold it (the simulator exports what was said as one)."""
    if len(text) > MAX_SAID:
        raise UsageError(f"{what} holds at most {MAX_SAID:,} characters (some ten minutes of speech); this one has "
                         f"{len(text):,}. Say it in shorter turns.")
    return text
