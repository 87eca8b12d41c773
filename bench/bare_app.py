"""A bare Textual app (a Header, an Input and a Footer): the yardstick for reflect-bot's start.

    .venv/bin/python bench/bare_app.py

With REFLECT_BOT_EXIT_WHEN_READY=1 in the environment it does exactly what reflect-bot does
under the same variable: once its first screen is ready and idle it writes READY_MARKER to the
terminal and exits, so the benchmark can time both the same way. The signal is copied from
reflect_bot/app/ready.py rather than imported so that this app loads nothing but Textual.
"""

from __future__ import annotations

import asyncio
import os

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input

EXIT_WHEN_READY_ENV = "REFLECT_BOT_EXIT_WHEN_READY"
READY_MARKER = "\x1b]5150;reflect-bot-ready\x07"


async def _settle(app: App) -> None:
    """Wait until the workers are done and every node on the screen has emptied its queue."""
    for _ in range(2):
        await app.workers.wait_for_complete()
        waits = []
        for node in [app, *app.screen.walk_children(with_self=True)]:
            event = asyncio.Event()
            if node.call_later(event.set):
                waits.append(event.wait())
        await asyncio.gather(*waits)


def _signal_ready(app: App) -> None:
    driver = app._driver  # the app's own output stream: the marker follows the frame in order
    if driver is not None:
        driver.write(READY_MARKER)
        driver.flush()
    app.exit()


def exit_when_ready(app: App) -> None:
    """Call from the app's Ready handler: after the first frame, settle, paint, signal, exit."""

    async def run() -> None:
        await _settle(app)
        app.call_after_refresh(_signal_ready, app)

    app._exit_when_ready_task = asyncio.create_task(run())  # keep a reference


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
