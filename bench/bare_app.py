"""A bare Textual app (a Header, an Input and a Footer): the yardstick for reflect-bot's start.

    .venv/bin/python bench/bare_app.py

With REFLECT_BOT_EXIT_WHEN_READY=1 in the environment it does exactly what reflect-bot does
under the same variable: once its first screen is ready and idle it writes READY_MARKER to the
terminal and exits, so the benchmark can time both the same way. The signal is reflect-bot's
own (reflect_bot/app/ready.py), which loads nothing beyond Textual but the small locations module.
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input

from reflect_bot.app.ready import exit_when_ready
from reflect_bot.locations import EXIT_WHEN_READY_ENV


class BareApp(App):
    TITLE = "Bare app"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Type here")
        yield Footer()

    def on_ready(self) -> None:
        if os.environ.get(EXIT_WHEN_READY_ENV, "") not in ("", "0"):
            exit_when_ready(self)


if __name__ == "__main__":
    BareApp().run()
