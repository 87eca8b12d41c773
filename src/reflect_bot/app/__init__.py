"""The Textual front end: a calm chat on top of the dialogue engine and the session store.

`make_app(...)` builds the app (the CLI and the tests both call it with their own folders);
`run_app(...)` runs it. Textual itself is imported only when the app is built, so the rest of
the package stays quick to import.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reflect_bot.app.app import ReflectApp
    from reflect_bot.framework import Framework
    from reflect_bot.locations import Settings
    from reflect_bot.store import SessionStore


def make_app(
    settings: Settings,
    framework: Framework | None,
    store: SessionStore,
    session_name: str | None = None,
    resume: bool = False,
) -> ReflectApp:
    """The app. With `resume`, it opens `session_name` (or the most recent session) at once;
    with only `session_name`, a new reflection of that name; otherwise the start screen.
    Without a framework (None), the app loads the settings' one when it first needs it."""
    from reflect_bot.app.app import ReflectApp

    return ReflectApp(settings, framework, store, session_name=session_name, resume=resume)


def run_app(
    settings: Settings,
    framework: Framework | None,
    store: SessionStore,
    session_name: str | None = None,
    resume: bool = False,
) -> int:
    """Run the app until the leader quits; the exit status for the command line."""
    app = make_app(settings, framework, store, session_name=session_name, resume=resume)
    # Everything loaded so far (Textual, the framework, the modules) lives as long as the app.
    # Frozen, the collector stops scanning it again and again: otherwise a full collection
    # falls due while the first screen is drawn, and later ones while the leader types.
    gc.freeze()
    app.run()
    if app.farewell:
        print(app.farewell)
    return app.return_code or 0
