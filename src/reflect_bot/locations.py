"""Every path and default the app uses, and the only place that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

SESSIONS_ENV = "REFLECT_BOT_SESSIONS_DIR"
FRAMEWORK_ENV = "REFLECT_BOT_FRAMEWORK_DIR"
# How the leader starts reflect-bot (dev.py sets "python3 dev.py start"): quoted in messages
# such as how to resume.
COMMAND_ENV = "REFLECT_BOT_COMMAND"
# For the benchmark (bench/bench.py): once the first screen is ready and idle, the app writes
# READY_MARKER to the terminal and exits, so its start can be timed like any other app's.
EXIT_WHEN_READY_ENV = "REFLECT_BOT_EXIT_WHEN_READY"
READY_MARKER = "\x1b]5150;reflect-bot-ready\x07"


def bundled_framework() -> Path:
    """The framework folder shipped with reflect-bot (checked by its tests)."""
    return _bundled("framework").absolute()


def _bundled(name: str) -> Path:
    """A data folder shipped with the package: inside the wheel, or at the source tree's top."""
    # The package's own folder (what importlib.resources would say for an installed package,
    # without importing it: the start of the app is timed).
    packaged = Path(__file__).resolve().parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


# A named tuple rather than a frozen dataclass: as immutable, and cheaper to define on the way to
# the app's first screen.
class Settings(NamedTuple):
    sessions_dir: Path
    framework_dir: Path
    prompts_dir: Path
    no_color: bool = False
    exit_when_ready: bool = False
    command: str = "reflect-bot"  # the command that starts reflect-bot, for messages

    @property
    def exports_dir(self) -> Path:
        """Exports go beside the sessions folder, never inside it."""
        return self.sessions_dir.parent / "exports"

    @classmethod
    def load(
        cls,
        *,
        sessions_dir: str | Path | None = None,
        framework_dir: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        env = os.environ if environ is None else environ
        sessions = sessions_dir or env.get(SESSIONS_ENV) or Path.cwd() / "sessions"
        framework = framework_dir or env.get(FRAMEWORK_ENV) or _bundled("framework")
        return cls(
            sessions_dir=Path(sessions).expanduser().absolute(),
            framework_dir=Path(framework).expanduser().absolute(),
            prompts_dir=_bundled("prompts"),
            no_color="NO_COLOR" in env and env["NO_COLOR"] != "",
            exit_when_ready=env.get(EXIT_WHEN_READY_ENV, "") not in ("", "0"),
            command=env.get(COMMAND_ENV, "").strip() or "reflect-bot",
        )
