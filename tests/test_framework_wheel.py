"""The built wheel carries framework/ and prompts/, and an installed copy finds them from anywhere.

Builds the real wheel with pip (a few seconds; pip fetches the build backend the first time).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and "No matching distribution found" in result.stderr:
        pytest.skip("the build backend could not be fetched (no network?)")
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("reflect_bot-*.whl")
    return built


def test_wheel_holds_the_framework_and_prompts(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("framework", "prompts"):
        files = [p for p in (ROOT / folder).rglob("*") if p.is_file()]
        assert files, folder
        for path in files:
            inside = f"reflect_bot/_data/{folder}/{path.relative_to(ROOT / folder).as_posix()}"
            assert inside in names, inside
    assert "reflect_bot/locations.py" in names
    assert not any(name.startswith("reflect_bot/_data/sessions") for name in names)


def test_installed_copy_finds_its_data_from_any_folder(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # a pure-Python wheel installs by unpacking
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECT_BOT_")}
    env["PYTHONPATH"] = str(site)
    probe = (
        "import reflect_bot, sys\n"
        "from reflect_bot.locations import Settings\n"
        "from reflect_bot.framework import load_framework\n"
        "s = Settings.load(environ={})\n"
        "print(reflect_bot.__file__)\n"
        "print(s.framework_dir)\n"
        "print(s.prompts_dir)\n"
        "print(len(load_framework(s.framework_dir).statements))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    module, framework_dir, prompts_dir, statements = result.stdout.splitlines()
    data = site / "reflect_bot" / "_data"
    assert Path(module).is_relative_to(site)
    assert Path(framework_dir) == data / "framework"
    assert Path(prompts_dir) == data / "prompts"
    assert statements == "10"

    shown = subprocess.run(
        [sys.executable, "-m", "reflect_bot", "framework", "show"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Areas (2), statements (10), case studies (9):" in shown.stdout
    assert f"folder {data / 'framework'}" in shown.stdout
