"""The variables table: each variable's current value and where it came from."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.text import Text
from textual.widgets import DataTable

from callsim.trace.events import Event


class VariablesTable(DataTable):
    """name │ value │ source; a changed value updates its row in place."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"variables--call", "variables--source"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_cursor=False, **kwargs)
        self.values: dict[str, Any] = {}

    def on_mount(self) -> None:
        self.add_column("name", key="name")
        self.add_column("value", key="value")
        self.add_column("source", key="source")

    def add_event(self, event: Event) -> None:
        if event.type != "variable_set":
            return
        value = event.value if isinstance(event.value, str) else json.dumps(event.value, ensure_ascii=False,
                                                                            default=str)
        source = event.source
        style = self.get_component_rich_style("variables--call") if event.source == "call" else ""
        cells = (Text(event.name, style=style), Text(_short(value), style=style),
                 Text(source, style=self.get_component_rich_style("variables--source")))
        if event.name in self.values:
            self.update_cell(event.name, "value", cells[1], update_width=True)
            self.update_cell(event.name, "source", cells[2], update_width=True)
        else:
            self.add_row(*cells, key=event.name)
            # the call's standard fields go below what the caller said and the actions saved
            self.sort("source", key=lambda source: source.plain == "call")  # not "caller"
        self.values[event.name] = event.value

    def reset(self) -> None:
        self.clear()
        self.values.clear()


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
