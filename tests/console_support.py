"""Helpers for tests of the plain console."""

import io

from reflect_bot.console import run_plain
from reflect_bot.locations import Settings
from reflect_bot.store import SessionStore, load_file


def plain(tmp_path, framework, stdin, stdout=None, environ=None, **kwargs):
    """Run the plain console on session "c" in tmp_path; (exit code, output, saved session,
    settings)."""
    settings = Settings.load(sessions_dir=tmp_path / "sessions", environ=environ or {})
    store = SessionStore(settings.sessions_dir)
    out = stdout if stdout is not None else io.StringIO()
    # as standard input reads: lines end at "\n" only, nothing translated
    stdin = stdin if isinstance(stdin, io.StringIO) else io.StringIO(stdin, newline="\n")
    code = run_plain(settings, framework, store, stdin, out, session_name="c", **kwargs)
    session, _ = load_file(store.path_for("c"))
    return code, out.getvalue(), session, settings
