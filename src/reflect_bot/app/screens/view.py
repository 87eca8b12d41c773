"""What every view opened over the chat shares: Escape closes it, a footer shows its keys, and
its layout comes from views.tcss, read when the first view is made."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

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

    def action_close(self) -> None:
        self.dismiss(None)
