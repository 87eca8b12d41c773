"""Running a snippet in a fresh interpreter: what a start imports is seen only there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_python(code: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """What `code` prints when run in a fresh interpreter (nothing imported yet), stripped."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
