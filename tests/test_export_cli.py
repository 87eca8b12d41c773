"""The `reflect-bot export` command: a saved session to a file, its path printed."""

from __future__ import annotations

import csv
import os
import stat
import sys
from datetime import UTC, datetime

from reflect_bot.cli import main
from reflect_bot.export import render
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.session import NextStep
from reflect_bot.store import SessionStore

FRAMEWORK = load_framework(Settings.load().framework_dir)


def save_session(folder, name: str, label: str):
    store = SessionStore(folder)
    session = store.create(FRAMEWORK, name)
    session.label = label
    session.conversation.scope = ["teaching-learning.1", "teaching-learning.2"]
    record = session.record("teaching-learning.1")
    record.status = "done"
    record.tier = "strengthening"
    record.next_steps = [NextStep(what="Learning walk", who="SENCo", by_when="Easter")]
    store.save(session)
    store.close(session)
    return session


def test_export_the_most_recent_session(tmp_path, capsys, monkeypatch):
    sessions = tmp_path / "sessions"
    monkeypatch.setattr("reflect_bot.store.now", lambda: datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    save_session(sessions, "newer", "Newer School")
    monkeypatch.setattr("reflect_bot.store.now", lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    save_session(sessions, "older", "Older School")
    code = main(["--sessions-dir", str(sessions), "export", "--format", "md"])
    assert code == 0
    printed = capsys.readouterr().out.strip()
    path = tmp_path / "exports" / "newer-summary.md"
    assert printed == str(path)
    assert "Newer School" in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_export_a_named_session_twice_gives_two_files(tmp_path, capsys):
    sessions = tmp_path / "sessions"
    session = save_session(sessions, "autumn", "Oakfield")
    args = ["--sessions-dir", str(sessions), "export", "autumn", "--format", "html"]
    assert main(args) == 0
    assert main(args) == 0
    first, second = capsys.readouterr().out.split()
    assert first.endswith("autumn-summary.html") and second.endswith("autumn-summary-2.html")
    saved = SessionStore(sessions)
    reopened = saved.open("autumn", FRAMEWORK)
    saved.close(reopened)
    assert (tmp_path / "exports" / "autumn-summary.html").read_text(encoding="utf-8") == render(
        reopened, FRAMEWORK, "html"
    )
    assert session.name == reopened.name


def test_export_csv_to_a_chosen_file(tmp_path, capsys):
    sessions = tmp_path / "sessions"
    save_session(sessions, "autumn", "Oakfield")
    target = tmp_path / "plan.csv"
    args = ["--sessions-dir", str(sessions), "export", "--format", "csv", "-o", str(target)]
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == str(target)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][4:9] == [
        "Learning walk",
        "SENCo",
        "Easter",
        "Strengthening Practice",
        "Sustaining Excellence",
    ]
    # The same path again is refused, and the first file stays as it was.
    before = target.read_bytes()
    assert main(args) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_export_works_while_the_session_is_open(tmp_path, capsys):
    sessions = tmp_path / "sessions"
    save_session(sessions, "autumn", "Oakfield")
    store = SessionStore(sessions)
    session = store.open("autumn", FRAMEWORK)
    try:
        assert main(["--sessions-dir", str(sessions), "export", "autumn", "-f", "md"]) == 0
    finally:
        store.close(session)
    assert capsys.readouterr().out.strip().endswith("autumn-summary.md")


def test_export_with_no_sessions_says_what_to_do(tmp_path, capsys):
    code = main(["--sessions-dir", str(tmp_path / "sessions"), "export"])
    assert code == 1
    err = capsys.readouterr().err
    assert "There are no saved sessions in" in err and "reflect-bot chat" in err
    assert "Traceback" not in err


def test_export_an_unknown_session_is_one_clear_line(tmp_path, capsys):
    sessions = tmp_path / "sessions"
    save_session(sessions, "autumn", "Oakfield")
    assert main(["--sessions-dir", str(sessions), "export", "spring"]) == 1
    err = capsys.readouterr().err.strip()
    assert "spring" in err and len(err.splitlines()) == 1


def test_an_output_path_ending_in_a_separator_is_a_folder_made_for_it(tmp_path, capsys):
    sessions = tmp_path / "sessions"
    save_session(sessions, "autumn", "Oakfield")
    for ending in {"/", os.sep}:
        folder = tmp_path / f"for-governors{len(ending)}{ord(ending)}"
        args = ["--sessions-dir", str(sessions), "export", "-f", "md", "-o", f"{folder}{ending}"]
        assert main(args) == 0
        written = folder / "autumn-summary.md"
        assert capsys.readouterr().out.strip() == str(written)
        assert written.is_file() and "Oakfield" in written.read_text(encoding="utf-8")
        if sys.platform != "win32":
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        # into the same folder again: a new name, as without -o
        assert main(args) == 0
        assert capsys.readouterr().out.strip() == str(folder / "autumn-summary-2.md")


def test_an_output_folder_whose_parent_is_missing_is_a_clear_error(tmp_path, capsys):
    sessions = tmp_path / "sessions"
    save_session(sessions, "autumn", "Oakfield")
    target = tmp_path / "no" / "such" / "folder"
    args = ["--sessions-dir", str(sessions), "export", "-o", f"{target}/"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"The folder {target.parent} does not exist" in err and err.count("\n") == 1
    assert not (tmp_path / "no").exists()


def test_an_output_folder_that_is_a_file_is_refused(tmp_path, capsys):
    sessions = tmp_path / "sessions"
    save_session(sessions, "autumn", "Oakfield")
    (tmp_path / "plan").write_text("mine")
    args = ["--sessions-dir", str(sessions), "export", "-o", f"{tmp_path / 'plan'}/"]
    assert main(args) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert (tmp_path / "plan").read_text() == "mine"
