"""Shared set-up for the app's tests: folders, a framework, and sessions made through the engine.

(Named test_app_* to sit with the app's tests; it holds helpers only.)
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from reflect_bot.app import make_app
from reflect_bot.app.app import ReflectApp
from reflect_bot.dialogue import Engine
from reflect_bot.framework import Framework, load_framework
from reflect_bot.locations import Settings
from reflect_bot.prompts import load_bank
from reflect_bot.session import Session, Turn
from reflect_bot.store import SessionStore

FIXED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

WIDE = (120, 40)
NARROW = (80, 24)

# Answers that carry no tier words, so no challenge question interrupts the flow.
NEUTRAL = "Teachers plan lessons together and share resources."


@cache
def framework() -> Framework:
    return load_framework(Settings.load(environ={}).framework_dir)


@cache
def engine() -> Engine:
    return Engine(framework(), load_bank(Settings.load(environ={}).prompts_dir))


def settings_for(tmp_path: Path) -> Settings:
    return Settings.load(sessions_dir=tmp_path / "sessions", environ={})


def app_for(tmp_path: Path, **kwargs) -> ReflectApp:
    settings = settings_for(tmp_path)
    return make_app(settings, framework(), SessionStore(settings.sessions_dir), **kwargs)


def made_session(tmp_path: Path, inputs: list[str], label: str = "Oakfield Primary") -> str:
    """A saved session driven through the engine with these inputs; returns its name."""
    settings = settings_for(tmp_path)
    store = SessionStore(settings.sessions_dir)
    session = store.create(framework(), name="test-session")
    eng = engine()
    eng.start(session)
    for text in [label, "", "", *inputs]:
        eng.step(session, text)
    freeze(session)
    store.save(session)
    store.close(session)
    return session.name


def freeze(session: Session) -> None:
    """Every time in the session fixed, so what the app shows never depends on the clock."""
    session.created = session.updated = FIXED
    session.transcript = [t.model_copy(update={"at": FIXED}) for t in session.transcript]


def long_session(tmp_path: Path, turns: int) -> str:
    """A session at T&L 1 with a transcript of `turns` messages (about 1 MB at 2,000)."""
    name = made_session(tmp_path, ["1"])
    store = SessionStore(settings_for(tmp_path).sessions_dir)
    session = store.open(name, framework())
    filler = "A long answer about practice across the school. " * 10
    session.transcript = [
        Turn(role="bot" if i % 2 else "leader", text=f"Message {i}. {filler}", at=FIXED)
        for i in range(turns)
    ] + session.transcript
    store.save(session)
    store.close(session)
    return name


def saved(tmp_path: Path, name: str = "test-session") -> dict:
    store = SessionStore(settings_for(tmp_path).sessions_dir)
    return tomllib.loads(store.path_for(name).read_text(encoding="utf-8"))


def record(data: dict, statement_id: str) -> dict:
    return next(r for r in data.get("statements", []) if r["statement_id"] == statement_id)


async def until(pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run in short pauses until `condition()` holds (failing after `timeout`)."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


async def comparison_opens(pilot) -> None:
    """Wait for the tier comparison to open, then treat it as open long enough that a key
    pressed now is a choice (keys in its first moment are taken as typed for the chat)."""
    from reflect_bot.app.screens.tiers import TierScreen

    await until(pilot, lambda: isinstance(pilot.app.screen, TierScreen))
    await pilot.pause()  # mounted and laid out
    pilot.app.screen.opened_at -= TierScreen.KEY_GUARD


def shown_text(app) -> str:
    """All the text the transcript shows, as plain text."""
    return "\n".join(getattr(w.visual, "plain", "") for w in app.screen.query("#transcript Static"))


async def answer(pilot, text: str) -> None:
    """Type an answer into the box and send it."""
    from reflect_bot.app.widgets.answer_box import AnswerBox

    pilot.app.screen.query_one(AnswerBox).insert(text)
    await pilot.press("enter")
    await pilot.pause()
