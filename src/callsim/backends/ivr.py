"""A phone menu (IVR) at the other end of the agent's outbound call, as the scenario's `ivr:` describes it.

The menu speaks a prompt, then waits for keys: an option leads to its prompt, a collecting prompt
takes keys until its terminator (checked against `pattern:`), a wrong key or a timeout says the
`invalid:` line and repeats the prompt, and after `repeat` failures the menu says goodbye and hangs
up; a prompt with `hangup: true` is a dead end. Keys pressed while a prompt plays count (barge-in);
keys pressed after a choice, before the next prompt starts, are lost, as on most menus (which is why
digit strings pause with `w`). Everything happens on the call's clock through `schedule`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from callsim.patterns import compile_pattern
from callsim.trace.events import Event, IvrInput

if TYPE_CHECKING:
    from callsim.config.telephony import IvrMenu
    from callsim.engine.clock import Callback, Timer

RESPONSE_DELAY = 0.5
"""Seconds from a key (or a finished entry) to the menu's next prompt."""


class Counterpart(Protocol):
    """What the menu needs from the call it answered (the session provides it)."""

    @property
    def ended(self) -> bool: ...

    def schedule(self, delay: float, callback: Callback, *, after_end: bool = False) -> Timer: ...

    def emit(self, event: Event) -> Event: ...

    async def hears_prompt(self, text: str, node: str, attempt: int = 1) -> None: ...

    async def hangup(self, by: str = "caller", reason: str = "hangup") -> None: ...


class FakeIvr:
    """The menu's state: where it is, what it collected, which prompts it played."""

    def __init__(self, menu: IvrMenu) -> None:
        self.root = menu
        self.node = menu
        self.path = "menu"
        self.attempt = 1
        self.entry = ""
        self.visited: list[str] = []
        """The name of every prompt the menu played, in order (repeats included)."""
        self.collected: list[tuple[str, str]] = []
        """(prompt, keys) of every accepted entry."""
        self.hung_up = False
        self._call: Counterpart | None = None
        self._timer: Timer | None = None
        self._keys = 0
        self._moving = False

    def attach(self, call: Counterpart) -> None:
        """Answer the call: the first prompt plays at once."""
        self._call = call
        self._moving = True
        call.schedule(0.0, lambda: self._enter(self.root, "menu"))

    @property
    def name(self) -> str:
        return self.node.name or self.path

    def press(self, key: str) -> None:
        """A key reaches the menu now."""
        if self._call is None or self.hung_up:
            return
        self._keys += 1
        self._cancel_timer()
        node = self.node
        if self._moving:
            self._input(key, "lost: the menu is moving to its next prompt")
        elif node.collect:
            if key != node.collect:
                self.entry += key
                self._arm(node.timeout)  # the wait between keys
                return
            entry, self.entry = self.entry, ""
            if node.pattern and not compile_pattern(node.pattern).fullmatch(entry):
                self._input(entry + key, "invalid entry")
                self._after(lambda: self._retry(node.invalid))
            else:
                self._input(entry + key, "collected")
                self.collected.append((self.name, entry))
                if node.then is not None:
                    self._after(lambda: self._enter(node.then, f"{self.path} > entry"))
        elif node.options:
            if key in node.options:
                self._input(key, "option")
                self._after(lambda: self._enter(node.options[key], f"{self.path} > {key}"))
            else:
                self._input(key, "wrong key")
                self._after(lambda: self._retry(node.invalid))
        else:
            self._input(key, "ignored: this prompt takes no keys")

    async def _enter(self, node: IvrMenu, path: str) -> None:
        self.node, self.path, self.attempt = node, path, 1
        await self._play()

    async def _play(self) -> None:
        call, node = self._call, self.node
        assert call is not None
        self.entry, self._moving = "", False
        keys_before = self._keys
        self.visited.append(self.name)
        await call.hears_prompt(node.say, self.name, self.attempt)
        if call.ended:
            return
        if node.hangup:
            await self._hang_up("the menu reached a dead end")
        elif node.waits:
            if self._keys == keys_before and not self._moving:  # no key came while the prompt played
                self._arm(node.timeout)
        elif node.then is not None:
            self._after(lambda: self._enter(node.then, f"{self.path} > then"))

    async def _retry(self, line: str | None) -> None:
        """A wrong key, a rejected entry or a timeout: say why, repeat the prompt, or give up."""
        call = self._call
        assert call is not None
        if self.attempt > self.node.repeat:
            await call.hears_prompt(self.node.goodbye, self.name, self.attempt)
            await self._hang_up("the menu gave up")
            return
        self.attempt += 1
        if line:
            await call.hears_prompt(line, self.name, self.attempt)
        if not call.ended:
            await self._play()

    async def _timed_out(self) -> None:
        self._timer = None
        self._input(self.entry, "timeout")
        self.entry = ""
        self._moving = True
        await self._retry(None)

    async def _hang_up(self, reason: str) -> None:
        assert self._call is not None
        self.hung_up = True
        self._cancel_timer()
        await self._call.hangup("caller", f"ivr: {reason}")

    def _after(self, step: Callback) -> None:
        """The menu's reaction, a moment after the key; keys until then are lost."""
        assert self._call is not None
        self._moving = True
        self._call.schedule(RESPONSE_DELAY, step)

    def _arm(self, seconds: float) -> None:
        assert self._call is not None
        self._timer = self._call.schedule(seconds, self._timed_out)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _input(self, digits: str, result: str) -> None:
        assert self._call is not None
        self._call.emit(IvrInput(node=self.name, digits=digits, result=result))
