"""What every view opened over the chat shares: Escape closes it, a footer shows its keys."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class View(ModalScreen[ResultT]):
    BINDINGS = [Binding("escape", "close", "Close", id="view.close")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def action_close(self) -> None:
        self.dismiss(None)
