"""The simulator: a Textual app over one live call. `build_app` makes it for the CLI and for tests alike.

The app is a view: it sends what the person types, says or presses to `LiveCall`, and renders the
trace's events (subscribed through `trace.listeners`) into its panes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input, Static, TabPane

from callsim.config.project import Project, Scenario, load_project, load_scenario
from callsim.durations import format_duration
from callsim.errors import CallsimError
from callsim.runner import shown_title
from callsim.terminal import printable
from callsim.trace.events import Event
from callsim.trace.recorder import JsonlRecorder
from callsim.tui.asking import Asker
from callsim.tui.call import LiveCall
from callsim.tui.commands import Command, UsageError, parse
from callsim.tui.guide import Guide
from callsim.tui.keys import KeyState, keys_now
from callsim.tui.widgets import ActionsPanel, BackendsPanel, Keypad, SayLine, StatusBar, Transcript, VariablesTable
from callsim.tui.widgets.bars import KeyBar, TitleBar
from callsim.tui.widgets.status import Status
from callsim.tui.widgets.transcript import channel_name

MIN_SIZE = (60, 15)
SAY = "Say something as the caller, or /help"
PRESS = "Keys to press, e.g. 4321# — F3 closes the keypad"


class CallScreen(Screen[None]):
    """The simulator's own screen (the app composes into it). app.tcss styles its ids under this type: an id
    rule for the whole app would style a dialog's widget of the same id too."""


class SimulatorApp(App[None]):
    """Talk to an agent (typing or speaking) and watch its triggers, actions, variables and backends."""

    CSS_PATH = "app.tcss"
    TITLE = "callsim"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("f2", "toggle_side", "Panels"),
        Binding("f3", "toggle_keypad", "Keypad"),
        Binding("f4", "talk", "Talk"),
        Binding("f5", "next_turn", "Next turn"),
        Binding("f6", "export", "Export"),
        Binding("f7", "hangup", "Hang up"),
        Binding("f8", "next_tab", "Tabs"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+n", "new_call", "New call"),
        Binding("ctrl+t", "mute", "Mute"),
    ]

    def __init__(self, project: Project, scenario: Scenario | None = None, *, voice: bool = True,
                 stt: str | None = None, vosk_model: str | None = None, muted: bool = False,
                 start: dt.datetime | None = None, monotonic: Callable[[], float] | None = None,
                 traces: Path = Path("traces"), secrets: dict[str, str] | None = None,
                 data: dict[str, str] | None = None) -> None:
        super().__init__()
        self.live = LiveCall(project, scenario, start=start, monotonic=monotonic, note=self.note,
                             listeners=[self.on_trace_event], pace=self._paint_new_lines, secrets=dict(secrets or {}),
                             data=dict(data or {}))
        self.asker = self.live.asker = Asker(self, self.live)
        self.live.working = self._working
        self.voice, self.stt_choice, self.vosk_model = voice, stt, vosk_model
        self.traces = traces
        """Where ctrl+s saves a call (never the golden recordings/: a hand-driven call is not an approved one)."""
        self.stt_engine: Any = None
        self.stt_problem: str | None = None
        self.speaker: Any = None
        self.microphone: Any = None
        self.last_heard: Any = None
        """The last microphone utterance (its transcript and timings)."""
        self.status_now = (Status(tts="voice: muted" if muted else "voice: on", stt="speech-to-text: loading")
                           if voice else Status(tts="voice off (--no-voice)", stt=""))
        self.muted = muted or not voice
        self.latencies: list[float] = []
        """Seconds from submitting a typed line to the transcript showing it (for the benchmark)."""
        self.reply_latencies: list[float] = []
        """Seconds from submitting a typed line to the screen showing the agent's reply to it."""
        self._submitted_at: float | None = None
        self._awaiting: dict[str, list[float]] = {}
        """After a typed line: the events whose painting is timed, and where each time goes."""
        self._inputs = asyncio.Lock()
        """Held while one of the person's inputs plays (a line, a key, a scenario step, a new call): they play
        in the order given, each to its end; an F5 pressed while a turn still plays checks that turn's
        expectations after it, not halfway through."""
        self._pacing = False
        """Mounted and painted once: from then on the call waits for the screen to show new lines."""
        self._ended_at: float | None = None
        """When the call ended (call time, seconds), or None while it is on: the status bar's clock stops there."""
        self.guide = Guide(project, self.note, self._hint)
        # shown in the title bar (and by some terminals as the window's title): as text, and redacted
        self.sub_title = printable(f"{project.agent.agent} · " + (shown_title(scenario, 0) if scenario else "free call"))

    def get_default_screen(self) -> Screen[None]:
        return CallScreen(id="_default")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_turn":
            return self.live.scenario is not None  # only a scenario has turns to step through
        return True

    # -- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # the panes are kept by reference: every trace event reaches four of them, and a DOM query
        # per event costs more than the engine's whole turn
        self.transcript = Transcript(id="transcript")
        self.actions_panel = ActionsPanel(id="actions")
        declared = {name: spec.from_ for name, spec in self.live.project.agent.variables.items()}
        self.variables_table = VariablesTable(declared, id="variables")
        self.backends_panel = BackendsPanel(id="backends")
        self.status_bar = StatusBar(id="status")
        self.partial = Static("", id="partial", markup=False)
        self.hint_line = Static("", id="hint", markup=False)
        self.say_line = SayLine(placeholder=SAY, id="say")
        yield TitleBar(self.sub_title, id="title")
        with Horizontal(id="main"):
            with Vertical(id="conversation"):
                yield self.transcript
                yield self.partial
                yield self.hint_line
                yield self.say_line
            with Vertical(id="side"):
                yield self.actions_panel
                yield self.variables_table
                yield self.backends_panel
            # the keypad (twelve buttons) is mounted the first time it is shown: a fifth of the
            # screen's widgets, styled at start-up for nothing until then
        yield Static("", id="too-small", markup=False)
        yield self.status_bar
        self.key_bar = KeyBar([], id="keys")
        yield self.key_bar

    async def on_mount(self) -> None:
        self.actions_panel.border_title = "Actions"
        self.variables_table.border_title = "Variables"
        self.transcript.border_title = "Transcript"
        self.query_one("#say", Input).focus()
        self._check_size(self.size.width, self.size.height)
        self._refresh_status()  # the voice parts as they are, before a secret is asked and the call connects
        self._connect(first=True)
        self.set_interval(1.0, self._refresh_status)
        if self.voice:
            self.call_after_refresh(self._load_voice)  # after the first frame: loading shares the GIL
        self.set_timer(0.5, self._warm_up)  # after the first frame, while the greeting is read: it shares the GIL
        self._pacing = True

    @work(group="call")
    async def _connect(self, first: bool) -> None:
        """Connect a call (the first, or a new one after ctrl+n), in a worker as every turn is: what its
        call_start actions request can then be asked about in a dialog, as a turn's requests are. Before the
        first call of a free session, the secrets nobody supplied are asked for, once."""
        async with self._input():
            missing = self.live.missing()
            if first and missing and self.live.scenario is None:
                for name, uses in missing.items():
                    value = await self.asker.secret(name, uses[0].where)
                    if value:
                        self.live.secrets[name] = value
            if not first:
                self.guide.new_call()
                await self.live.close()
                self.transcript.clear()
                self.variables_table.reset()
                self.backends_panel.reset()
                self.actions_panel.reset()
                self.note("New call.")
            self._ended_at = None  # (closing the last call ended it)
            await self.live.begin()
            for problem in self.live.missing_secrets() + self.live.missing_data():
                self.note(problem, "error")
            if first:
                self.guide.welcome(sum(turn.kind != "expect" for turn in self.live.turns)
                                   if self.live.scenario is not None else None)
            self._refresh_status()

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size.width, event.size.height)
        self.call_after_refresh(self._refresh_keys)  # once the width's breakpoint class is set

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        self.screen.set_class(small, "-too-small")
        if small:
            self.query_one("#too-small", Static).update(
                f"The terminal is {width}×{height}; the simulator needs at least {MIN_SIZE[0]}×{MIN_SIZE[1]}.\n"
                "Make the window bigger: the call keeps going meanwhile.")

    # -- trace events → panes ----------------------------------------------------------------------

    def on_trace_event(self, event: Event) -> None:
        if not self.transcript.is_attached:
            return  # the app is shutting down; scheduled call work may still emit
        self.transcript.add_event(event)
        self.actions_panel.add_event(event)
        self.variables_table.add_event(event)
        self.backends_panel.add_event(event)
        if event.type == "call_state":
            self.status_now.state = event.state.replace("_", " ")
            self._refresh_status()
        elif event.type == "call_ended":
            self._ended_at = event.t
            self._refresh_status()
            if self.guide.keypad_open:
                self._keypad(False)  # no key reaches an ended call: what is typed is words (or a command) again
        elif event.type == "message_sent" and not event.after_call:
            self._reply_hint(event)
        elif event.type in self._awaiting:
            shown, started = self._awaiting.pop(event.type), self._submitted_at or 0.0
            self.call_after_refresh(lambda: shown.append(time.perf_counter() - started))
        self.guide.on_event(event, playing=self._inputs.locked())
        if event.type == "agent_said" and self.speaker is not None and not self.muted:
            self.speaker.say(event.text)

    def _hint(self, text: str) -> None:
        self.hint_line.update(text)
        self.hint_line.display = bool(text)

    @asynccontextmanager
    async def _input(self) -> AsyncIterator[None]:
        """Play one of the person's inputs, in turn (see `_inputs`); then say if the call ended meanwhile."""
        async with self._inputs:
            yield
            self.guide.after_input()

    def _reply_hint(self, sent: Event) -> None:
        """A text the agent waits for an answer to: say how the person answers it (the caller's phone texts
        back; a line typed is said on the call, which the agent takes as the answer only when it asks for it)."""
        action = self.live.project.actions.get(sent.action)
        waits = getattr(action, "await_reply", None)
        if waits is not None:
            how = "/reply TEXT" if sent.channel == "sms" else f"/reply TEXT (or /reply {sent.channel} TEXT)"
            on = "" if sent.channel == "sms" else f" on {channel_name(sent.channel)}"
            self.note(f"The agent waits {format_duration(waits)} for a text back{on}: {how} answers it from "
                      f"{sent.to}.")

    async def _paint_new_lines(self) -> None:
        """Before the call's time moves on, let the screen show the lines just written: the caller's
        line appears at once (one small repaint), the agent's reply in a following frame."""
        if not self.transcript.unpainted or not self._pacing or not self.is_running:
            return  # nothing new, not started yet, or stopped (no frame will come)
        self.transcript.unpainted = False
        try:
            async with asyncio.timeout(0.25):  # never hold the call up for long: a slow frame just merges
                await self.screen.wait_for_refresh()
        except TimeoutError:
            pass

    def note(self, text: str, kind: str = "info") -> None:
        """A line from the simulator itself; an error or a failed check may quote what the call sent, so
        it is redacted as the trace is. Dropped once the app is closing (work still running may note)."""
        if not self.transcript.is_attached:
            return
        trace = getattr(self.live, "trace", None)
        self.transcript.note(trace.redact(text) if trace is not None else text, kind)

    def _refresh_status(self) -> None:
        live, status = self.live, self.status_now
        if live.session is not None:  # before the call (a secret asked first) the voice parts still show
            # an ended call's clock stops where it ended, as a phone shows a call's length (after-call work
            # still runs, at its own times in the transcript)
            status.elapsed = live.clock.elapsed() if self._ended_at is None else self._ended_at
            at = live.clock.start + dt.timedelta(seconds=status.elapsed)
            status.clock = at.replace(microsecond=0).strftime("%a %H:%M:%S %Z")
        if live.scenario is not None:
            # the caller's turns, as the first screen counts them: an `expect:` turn is a check, not a turn played
            said = [turn.kind != "expect" for turn in live.turns]
            status.scenario = f"scenario turn {sum(said[:live.turn_index])}/{sum(said)}"
            if live.checked["pass"] or live.checked["fail"]:
                status.scenario += f", {live.checked['pass']} ✓ {live.checked['fail']} ✗"
        if self.status_bar.is_attached:  # not while the app is shutting down and a timer still fires
            self.status_bar.status = replace(status)
            self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Show the keys that work now, as what they do now (see `callsim.tui.keys`)."""
        live, screen = self.live, self.key_bar.screen  # the simulator's own, under a dialog or the help too
        narrow, side = screen.has_class("-narrow"), screen.has_class("-show-side")  # F2 toggles what its width shows
        state = KeyState(live=live.session is not None and not live.session.ended,
                         turns_left=live.scenario is not None and live.turn_index <= len(live.turns),
                         talk=self.voice and self.stt_problem is None, listening=self.microphone is not None,
                         speaker=self.speaker is not None, muted=self.muted,
                         panels_swapped=narrow and side, panels_shown=side == narrow,
                         keypad=screen.has_class("-show-keypad"))
        bindings = [(b.key, b.description, b.action) for b in self.BINDINGS]  # type: ignore[union-attr]
        self.key_bar.show(*keys_now(state, bindings))

    # -- input -------------------------------------------------------------------------------------

    @on(Input.Submitted, "#say")
    async def submitted(self, message: Input.Submitted) -> None:
        # the line emptied itself as enter reached it: what is typed meanwhile belongs to the next line
        self.say_line.remember(message.value)
        try:
            command = parse(message.value, keypad=self.guide.keypad_open)
        except UsageError as problem:
            self.note(str(problem), "error")
            return
        if command is not None:
            if command.name == "say":
                self._submitted_at = time.perf_counter()
                self._awaiting = {"caller_said": self.latencies, "agent_said": self.reply_latencies}
            self.run_command(command)

    @work(group="call")
    async def run_command(self, command: Command) -> None:
        async with self._input():
            await self._play(command)
        self._refresh_status()

    async def _play(self, command: Command) -> None:
        live, name, argument = self.live, command.name, command.argument
        if name == "say":
            await live.say(argument)
            self.guide.said(argument)
        elif name == "dtmf":
            await live.press(argument)
        elif name == "reply":
            await live.reply(argument.body, argument.channel)
        elif name == "wait":
            await live.wait(argument)
        elif name == "audio":
            await live.play_audio(argument, Path.cwd())
        elif name == "hangup":
            await live.hangup()
        elif name == "next":
            await live.step()
        elif name == "new":
            self.action_new_call()
        elif name == "save":
            self.action_save()
        elif name == "export":
            if argument:
                self.export(Path(argument))  # the person named the file: no question
            else:
                self.action_export()
        elif name == "mute":
            self.action_mute()
        elif name == "help":
            self.action_help()
        elif name == "actions":
            self.guide.list_actions()

    def on_keypad_pressed(self, message: Keypad.Pressed) -> None:
        self.run_command(Command("dtmf", message.key))

    # -- key actions -------------------------------------------------------------------------------

    def action_help(self) -> None:
        from callsim.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen([(b.key, b.action) for b in self.BINDINGS]))  # type: ignore[union-attr]

    def action_toggle_side(self) -> None:
        self._show_side(not self.screen.has_class("-show-side"))

    def _show_side(self, shown: bool) -> None:
        """Set F2's class; where a narrow terminal swaps the panels in for the conversation, the focus goes with
        them (the input line is hidden then: what is typed or entered must not reach the keypad's buttons)."""
        screen = self.key_bar.screen
        screen.set_class(shown, "-show-side")
        narrow, focused = screen.has_class("-narrow"), self.focused
        if narrow and shown:
            self.set_focus(self.actions_panel)
        elif narrow or (focused is not None and self.query_one("#side") in focused.ancestors):
            self.set_focus(self.query_one("#say", Input))
        self._refresh_keys()

    def action_next_tab(self) -> None:
        """Show the backends' next tab (Phone, Messages, Calendar, Events, then Phone again), bringing the side
        panels into view if F2 or a narrow terminal hid them."""
        self._show_side(self.key_bar.screen.has_class("-narrow"))
        tabs = self.backends_panel.tabs
        names = [pane.id for pane in tabs.query(TabPane) if pane.id]
        tabs.active = names[(names.index(tabs.active) + 1) % len(names)] if tabs.active in names else names[0]

    async def action_toggle_keypad(self) -> None:
        if not self.query(Keypad):
            keypad = Keypad(id="keypad")
            keypad.border_title = "Keypad: F3 closes"
            await self.query_one("#main").mount(keypad)
        self._keypad(not self.key_bar.screen.has_class("-show-keypad"))

    def _keypad(self, shown: bool) -> None:
        """Open or close the keypad; while it is open, what is typed is pressed as keys."""
        screen = self.key_bar.screen
        screen.set_class(shown, "-show-keypad")
        self.guide.keypad(shown)
        say = self.query_one("#say", Input)
        say.placeholder, say.border_title = (PRESS, "⌨ Keypad: typing presses keys") if shown else (SAY, None)
        if not (screen.has_class("-narrow") and screen.has_class("-show-side")):
            say.focus()  # typing goes where it is now pressed or said (unless a narrow terminal shows the panels)
        self._refresh_keys()

    def action_next_turn(self) -> None:
        self.run_command(Command("next"))

    def action_new_call(self) -> None:
        self._connect(first=False)

    def action_save(self) -> Path:
        """Write the call's trace as JSON Lines under traces/tui/ and say where."""
        live = self.live
        stamp = live.clock.start.strftime("%Y%m%d-%H%M%S")
        path = self.traces / "tui" / f"{live.project.agent.agent}-{stamp}.jsonl"
        recorder = JsonlRecorder(path)
        recorder.attach(live.trace)
        recorder.close()
        live.trace.listeners.remove(recorder)
        self.note(f"Trace saved to {path} ({len(live.trace)} events); view it with: callsim show {path}", "pass")
        return path

    def action_hangup(self) -> None:
        self.run_command(Command("hangup"))

    def action_export(self) -> None:
        """Ask where the call goes as a scenario (beside its agent or scenario, i.e. often inside the suite that
        `callsim run` and pytest run), then export it there."""
        from callsim.tui.export import default_path
        from callsim.tui.export_dialog import ExportDialog

        self.push_screen(ExportDialog(default_path(self.live)), lambda path: path and self.export(path))

    def export(self, path: Path) -> Path | None:
        """Write the call as a scenario file at `path` and say where, and how it is run."""
        from callsim.tui.export import export_scenario
        from callsim.tui.export_dialog import run_it

        try:
            export_scenario(self.live, path)
        except (CallsimError, OSError) as problem:
            self.note(f"Export failed: {problem}", "error")
            return None
        self.note(f"Exported as a scenario: {path}. {run_it(path)}", "pass")
        return path

    def action_mute(self) -> None:
        if not self.voice:
            self.note("The agent's voice is off in this session (started with --no-voice).", "error")
            return
        self.muted = not self.muted
        if self.speaker is not None:
            self.speaker.set_muted(self.muted)
        self.status_now.tts = "voice: muted" if self.muted else "voice: on"
        self.note("The agent's voice is muted." if self.muted else "The agent's voice is on.")
        self._refresh_status()

    @work(thread=True, group="warm-up")
    def _warm_up(self) -> None:
        """Import what the call's first HTTP request needs while the person reads the greeting, so
        that request is not the one to wait for it (the fakes import it on first use)."""
        import httpx  # noqa: F401
        import respx  # noqa: F401

    # -- voice -------------------------------------------------------------------------------------

    @work(thread=True, group="voice-load")
    def _load_voice(self) -> None:
        """Load the speech engines off the UI thread (pocketsphinx or a vosk model take a moment)."""
        from callsim.voice.audio import VoiceUnavailable
        from callsim.voice.caller_audio import use_engine
        from callsim.voice.engines import choose_engine
        from callsim.voice.tts import Speaker, check_output

        try:
            engine = choose_engine(self.live.project, self.stt_choice, self.vosk_model)
            use_engine(self.live.project, engine)  # /audio files are heard by the same engine as F4
            self.call_from_thread(self._voice_ready, engine, None)
        except VoiceUnavailable as problem:
            self.call_from_thread(self._voice_ready, None, str(problem))
        try:
            check_output()  # say now, not in the middle of the call, that the agent cannot be heard
        except VoiceUnavailable as problem:
            self.call_from_thread(self._no_speech, str(problem))
            return
        self.speaker = Speaker(muted=self.muted, on_problem=lambda text: self.call_later(self._no_speech, text))

    def _voice_ready(self, engine: Any, problem: str | None) -> None:
        self.stt_engine, self.stt_problem = engine, problem
        if engine is not None:
            self.status_now.stt = f"STT {engine.name}"
            self.note(f"Speech-to-text: {engine.description}. Press F4 to talk, F4 again to stop.")
        else:
            self.status_now.stt = "speech-to-text: unavailable"
            self.note(f"Speech-to-text is off: {problem}. Type instead.", "error")
        self._refresh_status()

    def _working(self, what: str) -> None:
        """The call is busy with `what` off the UI thread (a heard turn's second hearing); "" when done."""
        self.partial.update(f"🎤 {what}…" if what else "")

    def _no_speech(self, problem: str) -> None:
        self.muted = True
        self.status_now.tts = "voice: unavailable"
        self.note(f"The agent's lines are shown but not spoken: {problem}", "error")
        self._refresh_status()

    async def action_talk(self) -> None:
        """Push-to-talk: start listening, or stop and take what was heard as the caller's turn."""
        if self.microphone is not None:
            self.microphone.close()
            return
        if not self.voice:
            self.note("Voice is off in this session (started with --no-voice).", "error")
            return
        if self.stt_engine is None:
            self.note(f"Cannot listen: {self.stt_problem or 'speech-to-text is still loading'}.", "error")
            return
        from callsim.voice.audio import VoiceUnavailable
        from callsim.voice.mic import Microphone

        microphone = Microphone()
        try:
            microphone.open()
        except VoiceUnavailable as problem:
            self.note(f"Cannot listen: {problem}. Type instead.", "error")
            return
        if self.speaker is not None:
            self.speaker.stop()  # the caller talks over the agent: stop speaking
        self.microphone = microphone
        self.hear(microphone)

    @work(group="voice")
    async def hear(self, microphone: Any) -> None:
        from callsim.voice.hints import call_hints
        from callsim.voice.mic import EndOfSpeech, listen

        partial = self.partial
        self.screen.add_class("-listening")
        self.status_now.listening = True
        self._refresh_status()
        partial.update("🎤 listening… (F4 to stop)")
        try:
            heard = await listen(self.stt_engine, microphone.blocks(), lambda text: partial.update(f"🎤 {text}…"),
                                 EndOfSpeech(), hints=call_hints(self.live.call))
        finally:
            microphone.close()
            self.microphone = None
            self.screen.remove_class("-listening")
            self.status_now.listening = False
            partial.update("")
        self._refresh_status()
        if not heard.text:
            self.note(f"Heard nothing in {heard.audio_seconds:.1f}s of audio ({self.stt_engine.name}).", "error")
            return
        self.last_heard = heard
        async with self._input():
            await self.live.heard(heard.transcript, self.stt_engine.name, heard.audio_seconds)

    async def on_unmount(self) -> None:
        if self.microphone is not None:
            self.microphone.close()
        if self.speaker is not None:
            await self.speaker.aclose()
        await self.live.close()


def build_app(agent: Path | str | None = None, scenario: Path | str | None = None, **options: Any) -> SimulatorApp:
    """The simulator for an agent file or a scenario file (raises ConfigErrors for invalid files)."""
    if (agent is None) == (scenario is None):
        raise CallsimError("give either an agent file (--agent) or a scenario file (--scenario)")
    if scenario is not None:
        loaded = load_scenario(Path(scenario), secrets=options.get("secrets"))
        return SimulatorApp(loaded.project, loaded, **options)
    return SimulatorApp(load_project(Path(agent)), **options)  # type: ignore[arg-type]
