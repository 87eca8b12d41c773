"""Every path and default the app uses, and the only place that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

SESSIONS_ENV = "REFLECT_BOT_SESSIONS_DIR"
FRAMEWORK_ENV = "REFLECT_BOT_FRAMEWORK_DIR"


def _bundled(name: str) -> Path:
    """A data folder shipped with the package: inside the wheel, or at the source tree's top."""
    packaged = Path(str(files("reflect_bot"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


@dataclass(frozen=True)
class Settings:
    sessions_dir: Path
    framework_dir: Path
    prompts_dir: Path
    no_color: bool = False

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
        )
