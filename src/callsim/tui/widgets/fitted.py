"""A log whose rows hang under their text (after a time, a name) and fit the pane, however its width changes.

RichLog wraps a line once, when it is written, and wraps it under its first column; a pane made narrower
then cuts its lines off, and a pane written while hidden (a tab not shown, a narrow terminal showing the
other side) wraps them to twenty columns. This log keeps its rows and writes them all again at the width
the pane has when it next has one.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import RichLog, Static

from callsim.terminal import printable

MIN_WRAP = 20
"""The narrowest a log wraps its lines to (RichLog's own 78 ran them past the side panel, cut off)."""
UNWRAPPED = 10_000
"""The width a page is drawn at while it has none (hidden): its lines whole."""


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
        self.write(hanging(self.app.console, lead, text, style, width), width=width, scroll_end=True)


def hanging(console: Console, lead: Text, text: str, style: Style, width: int) -> Text:
    """`lead` then `text` wrapped to `width`, its following lines indented under its first."""
    indent = lead.cell_len
    body = Text(printable(text), style=style).wrap(console, max(10, width - indent - 1), overflow="fold")
    row = lead.copy()
    for number, part in enumerate(body):
        if number:
            row.append("\n" + " " * indent)
        part.rstrip()  # a trailing space would make RichLog wrap the line again
        row.append_text(part)
    return row


class FittedPage(VerticalScroll):
    """A scrolling page drawn whole from its pane's state by `page(width)`: drawn again at each new width (its
    lines hang under their text, see `hanging`), and, while the reader is at its end, scrolled to what is new
    (a long text thread's latest message was left below the fold)."""

    EMPTY = ""

    def __init__(self, view_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = Static(self.EMPTY, id=view_id, markup=False)

    def compose(self) -> ComposeResult:
        yield self.view

    def page(self, width: int) -> Text:
        """The page's text at `width` columns."""
        raise NotImplementedError

    def redraw(self) -> None:
        following = self.scroll_y >= self.max_scroll_y
        width = self.scrollable_content_region.width
        # hidden (a tab not shown), it has no width: drawn unwrapped until it is shown (`on_show`)
        self.view.update(self.page(max(width, MIN_WRAP) if width else UNWRAPPED))
        if following:
            self.call_after_refresh(self.scroll_end, animate=False)

    def on_resize(self) -> None:
        self.redraw()

    def on_show(self) -> None:
        self.redraw()
