"""The variables table: each variable's current value, as a person reads it, and where it came from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.widgets import DataTable

from callsim.terminal import printable
from callsim.trace.events import Event
from callsim.tui.widgets.values import readable

NOT_SET = "not set"
MIN_VALUE_WIDTH = 8
NAME_WIDTH, SOURCE_WIDTH = 18, 14
"""When the table is too narrow for everything: the most the name and source columns keep."""


class VariablesTable(DataTable):
    """name │ value │ source; a changed value updates its row in place. The agent's variables are listed
    from the start, "not set" until they have a value (and again once an action unsets one). A time or a
    date the caller gave reads as the agent says it, a phone number grouped (see `readable`). When the
    table is too narrow for every value and source whole, sources are cut first, then values, with an
    ellipsis (the Events tab and the saved trace hold them whole)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"variables--call", "variables--source", "variables--unset"}

    def __init__(self, declared: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        """`declared`: the agent's variables, each with where its value comes from (caller, start_data,
        preconnect)."""
        super().__init__(cursor_type="row", zebra_stripes=False, show_cursor=False, **kwargs)
        self.declared = dict(declared or {})
        self.values: dict[str, Any] = {}
        self.shown: dict[str, str] = {}
        """Each value as text, whole."""
        self.sources: dict[str, str] = {}
        self._widths = (0, 0, 0)
        """The name, value and source columns' widths (0: not worked out yet)."""

    def on_mount(self) -> None:
        self._add_columns()
        self._declare()

    def add_event(self, event: Event) -> None:
        if event.type != "variable_set":
            return
        self._set(event.name, event.value, event.source)

    def _set(self, name: str, value: Any, source: str) -> None:
        known = name in self.values
        self.values[name], self.sources[name] = value, source
        self.shown[name] = NOT_SET if value is None else readable(value)
        if self._refit():
            return
        if known:
            self.update_cell(name, "value", self._value_cell(name), update_width=True)
            self.update_cell(name, "source", self._source_cell(name), update_width=True)
        else:
            self._add_row(name)
            # the call's standard fields go below what the caller said and the actions saved
            self.sort("source", key=lambda source: source.plain == "call")  # not "caller"

    def on_resize(self) -> None:
        self._refit()

    def reset(self) -> None:
        self.clear()
        self.values.clear()
        self.shown.clear()
        self.sources.clear()
        self._declare()

    def _declare(self) -> None:
        """The agent's variables, not set yet: the person sees what the call will collect and what it lacks."""
        for name, source in self.declared.items():
            if name not in self.values:
                self._set(name, None, source)

    def _add_columns(self) -> None:
        # fixed widths, so the table is laid out at once rather than when DataTable next idles
        for key, width in zip(("name", "value", "source"), self._widths, strict=True):
            self.add_column(key, key=key, width=width or None)

    def _add_row(self, name: str) -> None:
        style = self.get_component_rich_style("variables--call") if self.sources[name] == "call" else ""
        self.add_row(Text(_cut(name, NAME_WIDTH), style=style), self._value_cell(name), self._source_cell(name),
                     key=name)

    def _refit(self) -> bool:
        """Work out the columns' widths; when they changed, build the table again with them and say so."""
        widths = self._column_widths()
        if widths == self._widths:
            return False
        self._widths = widths
        self.clear(columns=True)
        self._add_columns()
        for name in sorted(self.values, key=lambda name: self.sources[name] == "call"):
            self._add_row(name)
        return True

    def _column_widths(self) -> tuple[int, int, int]:
        # a list, not max(4, *...): before the call starts (a dialog first) there is no variable yet
        names = min(NAME_WIDTH, max([len("name"), *map(len, self.values)]))
        values = max([len("value"), *map(len, self.shown.values())])
        sources = max([len("source"), *map(len, self.sources.values())])
        # three columns' padding and the vertical scrollbar
        room = (self.scrollable_content_region.width or 50) - names - 3 * 2 * self.cell_padding - 1
        if values + sources <= room:
            return names, values, sources
        sources = min(sources, SOURCE_WIDTH)
        return names, max(MIN_VALUE_WIDTH, room - sources), sources

    def _value_cell(self, name: str) -> Text:
        kind = "unset" if self.values[name] is None else "call" if self.sources[name] == "call" else None
        style = self.get_component_rich_style(f"variables--{kind}") if kind else ""
        return Text(_cut(self.shown[name], self._widths[1] or MIN_VALUE_WIDTH), style=style)

    def _source_cell(self, name: str) -> Text:
        return Text(_cut(self.sources[name], self._widths[2] or SOURCE_WIDTH),
                    style=self.get_component_rich_style("variables--source"))


def _cut(text: str, width: int) -> str:
    """`text` for a cell of `width`: printable, cut with an ellipsis."""
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"
