"""A log whose rows hang under their text (after a time, a name) and fit the pane, however its width changes.

RichLog wraps a line once, when it is written, and wraps it under its first column; a pane made narrower
then cuts its lines off, and a pane written while hidden (a tab not shown, a narrow terminal showing the
other side) wraps them to twenty columns. This log keeps its rows and writes them all again at the width
the pane has when it next has one.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import RichLog

from callsim.terminal import printable

MIN_WRAP = 20
"""The narrowest a log wraps its lines to (RichLog's own 78 ran them past the side panel, cut off)."""


class FittedLog(RichLog):
    """Rows of (lead, text, style): `lead` is shown first and the text's wrapped lines hang under the text."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, min_width=MIN_WRAP, **kwargs)
        self.rows: list[tuple[Text, str, Style]] = []
        self._width = 0
        """The width the rows were wrapped to: the pane's, when it last had one (a hidden pane has none)."""

    def on_resize(self) -> None:
        self._fit()

    def on_show(self) -> None:
        self._fit()  # the terminal may have been resized while the pane was hidden

    def clear(self) -> FittedLog:
        self.rows.clear()
        super().clear()
        return self

    def add_row(self, lead: Text, text: str, style: Style) -> None:
        self._fit()
        self.rows.append((lead, text, style))
        self._write(lead, text, style)

    def _fit(self) -> None:
        width = self.scrollable_content_region.width
        if not width or width == self._width:
            return
        self._width = width
        super().clear()
        for row in self.rows:
            self._write(*row)

    def _write(self, lead: Text, text: str, style: Style) -> None:
        width = max(self._width or 80, MIN_WRAP)
        indent = lead.cell_len
        body = Text(printable(text), style=style).wrap(self.app.console, max(10, width - indent - 1), overflow="fold")
        row = lead.copy()
        for number, part in enumerate(body):
            if number:
                row.append("\n" + " " * indent)
            part.rstrip()  # a trailing space would make RichLog wrap the line again
            row.append_text(part)
        self.write(row, width=width, scroll_end=True)
