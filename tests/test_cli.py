"""The `reflect-bot` command as a whole: closed pipes, option order, text from the leader."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reflect_bot.cli import main
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.store import SessionStore
from reflect_bot.text import terminal_safe

FRAMEWORK = load_framework(Settings.load().framework_dir)


def make_session(folder, name: str, label: str = "", leader: str = "Oak Primary"):
    store = SessionStore(folder)
    session = store.create(FRAMEWORK, name)
    session.label = label
    session.say("leader", leader)
    store.save(session)
    store.close(session)
    return session


# --- a closed pipe ------------------------------------------------------------------------------


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """Run reflect-bot with its output going into a pipe nobody reads (as `| head -1` leaves)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # closed before the command starts: its first write fails, every time
    try:
        return subprocess.run(
            [sys.executable, "-m", "reflect_bot", *args],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize(
    "args",
    [("framework", "show"), ("sessions", "list")],
    ids=["framework-show", "sessions-list"],
)
def test_output_into_a_closed_pipe_ends_quietly(tmp_path, args):
    make_session(tmp_path / "sessions", "oak")
    done = run_into_a_closed_pipe("--sessions-dir", str(tmp_path / "sessions"), *args)
    assert done.stderr.decode() == ""  # no traceback, no "Exception ignored"
    assert done.returncode == 141


# --- --sessions-dir and --framework before or after the command ---------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--sessions-dir", "{dir}", "sessions", "list"],
        ["sessions", "--sessions-dir", "{dir}", "list"],
        ["sessions", "list", "--sessions-dir", "{dir}"],
    ],
    ids=["before", "between", "after"],
)
def test_sessions_dir_is_accepted_before_or_after_the_command(tmp_path, capsys, args):
    make_session(tmp_path / "chosen", "oak")
    assert main([a.format(dir=tmp_path / "chosen") for a in args]) == 0
    out = capsys.readouterr().out
    assert f"Sessions in {tmp_path / 'chosen'}" in out and "oak" in out


def test_a_value_after_the_command_wins_and_one_before_is_kept(tmp_path, capsys):
    make_session(tmp_path / "first", "oak")
    make_session(tmp_path / "second", "elm")
    assert main(["--sessions-dir", str(tmp_path / "first"), "sessions", "list"]) == 0
    assert "oak" in capsys.readouterr().out
    args = ["--sessions-dir", str(tmp_path / "first"), "sessions", "list"]
    assert main([*args, "--sessions-dir", str(tmp_path / "second")]) == 0
    out = capsys.readouterr().out
    assert "elm" in out and "oak" not in out


def test_framework_is_accepted_after_the_command(tmp_path, capsys):
    folder = Settings.load().framework_dir
    assert main(["framework", "show", "--framework", str(folder)]) == 0
    assert "Areas (2)" in capsys.readouterr().out
    assert main(["framework", "show", "--framework", str(tmp_path / "missing")]) == 1
    assert "has problems" in capsys.readouterr().err


def test_export_takes_both_options_after_the_command(tmp_path, capsys):
    make_session(tmp_path / "sessions", "oak", "Oak Primary School")
    framework = str(Settings.load().framework_dir)
    args = ["export", "oak", "-f", "md", "--sessions-dir", str(tmp_path / "sessions")]
    assert main([*args, "--framework", framework]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "exports" / "oak-summary.md")


# --- text from the leader cannot act on the terminal --------------------------------------------

HOSTILE = "\x1b[2J\x1b]0;pwned\x07Oak\x9b31m"


def test_terminal_safe_replaces_control_characters_but_keeps_newlines_and_tabs():
    assert terminal_safe("a\tb\nc") == "a\tb\nc"
    assert terminal_safe(HOSTILE) == "\ufffd[2J\ufffd]0;pwned\ufffdOak\ufffd31m"
    assert terminal_safe("\x00\x7f\x85\r") == "\ufffd" * 4
    assert (
        terminal_safe("Caf\u00e9 \u2013 \U0001f3eb \u0645") == "Caf\u00e9 \u2013 \U0001f3eb \u0645"
    )


def assert_inert(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\x9b\r"), repr(text)


def test_sessions_list_shows_labels_and_answers_inertly(tmp_path, capsys):
    folder = tmp_path / "sessions"
    make_session(folder, "oak", label=HOSTILE)
    assert main(["--sessions-dir", str(folder), "sessions", "list"]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert "\ufffd[2J\ufffd]0;pwned\ufffdOak" in out


def test_unreadable_file_reasons_and_errors_are_printed_inertly(tmp_path, capsys):
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "odd.toml").write_text('name = "\\u001b[2J"\nnot toml at all\x1b[2J\n')
    if sys.platform != "win32":
        (folder / "\x1b[2J\x07.toml").write_text("")  # a file name holding escapes
    assert main(["--sessions-dir", str(folder), "sessions", "list"]) == 0
    out = capsys.readouterr().out
    assert "odd.toml: unreadable" in out
    assert_inert(out)
    assert main(["--sessions-dir", str(folder), "sessions", "delete", HOSTILE, "--yes"]) == 1
    err = capsys.readouterr().err
    assert "There is no session called" in err
    assert_inert(err)


# --- every session file damaged -----------------------------------------------------------------


@pytest.mark.parametrize("command", [["export"], ["resume", "--plain"]])
def test_with_only_damaged_files_the_message_says_so(tmp_path, capsys, command):
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "oak.toml").write_text("")
    (folder / "elm.toml").write_text("not toml")
    assert main(["--sessions-dir", str(folder), *command]) == 1
    err = capsys.readouterr().err
    assert f"2 session files in {folder} cannot be read" in err
    assert "reflect-bot sessions list" in err
    assert "no saved sessions" not in err and err.count("\n") == 1


def test_with_no_sessions_at_all_resume_says_how_to_start(tmp_path, capsys):
    assert main(["--sessions-dir", str(tmp_path / "none"), "resume", "--plain"]) == 1
    err = capsys.readouterr().err
    assert "There are no saved sessions in" in err and "reflect-bot chat" in err


# --- names --------------------------------------------------------------------------------------


def test_a_name_too_long_is_refused_with_a_clear_line(tmp_path, capsys):
    folder = tmp_path / "sessions"
    make_session(folder, "oak")
    assert main(["--sessions-dir", str(folder), "sessions", "rename", "oak", "x" * 300]) == 1
    err = capsys.readouterr().err
    assert "at most 80 characters long (this one has 300)" in err and err.count("\n") == 1
    assert [i.name for i in SessionStore(folder).list()] == ["oak"]
