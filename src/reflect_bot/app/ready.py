"""The benchmark's ready signal: the first screen is ready and idle, so say so and exit.

Used only when `Settings.exit_when_ready` is set (REFLECT_BOT_EXIT_WHEN_READY=1): after the first
frame, once the workers are done and every widget on the screen has handled what was queued, the
next refresh is followed by READY_MARKER written to the terminal, then the app exits. The bare
app in bench/ uses this very module, so both starts are timed alike. It imports nothing but
Textual and the locations module.
"""

from __future__ import annotations

import asyncio

from textual.app import App

from reflect_bot.locations import READY_MARKER


async def settle(app: App) -> None:
    """Until the workers are done and every node on the screen has handled what was queued."""
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
        await settle(app)
        app.call_after_refresh(_signal_ready, app)

    app._exit_when_ready_task = asyncio.create_task(run())  # keep a reference
