"""Set up a local environment in .venv and run reflect-bot or its tests.

    python3 dev.py start [ARGS...]   set up, then start the app (ARGS go to reflect-bot)
    python3 dev.py test [ARGS...]    set up, then run ruff and all the tests (ARGS go to pytest)

Uses only the standard library, so it works on a machine that has nothing but Python 3.11+.
The environment is rebuilt only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".reflect-bot-setup"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def launcher() -> str:
    """The command to quote for running this file again: "python3", or "py" on Windows."""
    name = Path(sys.executable).stem.lower()
    if name in {"python3", "py"}:
        return name
    return "py" if os.name == "nt" else "python3"


def setup() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file must also run on an old Python
        sys.exit("reflect-bot needs Python 3.11 or newer; this is " + sys.version.split()[0])
    python = venv_python()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print("Setting up a local environment in .venv (first run only)...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    else:
        print("Updating the local environment in .venv...", flush=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "test"}:
        print(__doc__.strip())
        return 2
    command, rest = argv[0], argv[1:]
    try:
        python = setup()
    except subprocess.CalledProcessError as error:
        print(
            f"Setting up the environment failed ({error}). "
            "The messages above say why; fix that and run the same command again."
        )
        return 1
    if command == "start":
        # reflect-bot's messages (e.g. how to resume) then give the command that started it.
        env = {**os.environ, "REFLECT_BOT_COMMAND": f"{launcher()} dev.py start"}
        return subprocess.call([str(python), "-m", "reflect_bot", *rest], env=env)
    steps = [
        [str(python), "-m", "ruff", "check", "."],
        [str(python), "-m", "ruff", "format", "--check", "."],
        [str(python), "-m", "pytest", *rest],
    ]
    for step in steps:
        code = subprocess.call(step, cwd=ROOT)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
