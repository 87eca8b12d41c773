"""What every view opened over the chat shares: Escape closes it, a footer shows its keys, and
its layout comes from views.tcss, read when the first view is made."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")

STYLESHEET = Path(__file__).resolve().parent.parent / "views.tcss"


def read_stylesheet(app: App, path: Path) -> None:
    """Add a stylesheet the first time a screen that needs it is made (its rules must match only
    that kind of screen): only the new file is parsed and nothing showing is styled again. A
    screen's CSS_PATH would make Textual parse every stylesheet afresh and restyle the whole app
    as the screen opens; reading the views' rules at start would slow the first screen."""
    if not app.stylesheet.has_source(str(path), ""):
        app.stylesheet.read(path)


class View(ModalScreen[ResultT]):
    BINDINGS = [Binding("escape", "close", "Close", id="view.close")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        read_stylesheet(self.app, STYLESHEET)  # before the view is pushed and styled
        self.fit_width()

    def fit_width(self) -> None:
        """The width class (-narrow, -wide) for the terminal as it is, set before the view shows.
        Textual sets it only once the view has been laid out: the view would then be styled and
        laid out all over again."""
        width = self.app.size.width
        _, fitting = max(b for b in self.HORIZONTAL_BREAKPOINTS if width >= b[0])
        classes = {name: name == fitting for _, name in self.HORIZONTAL_BREAKPOINTS}
        self.update_classes(classes, update=self.is_attached)

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self.outer_size:
            # Sent by Textual after the view's first layout: Textual would lay the view out again
            # at the same size, and the chat beneath it too. Its width class is set already.
            event.prevent_default()

    def action_close(self) -> None:
        self.dismiss(None)
