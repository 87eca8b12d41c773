"""`reflect-bot chat`, `resume` and no sub-command: the app on a terminal, plain otherwise."""

import io
import sys

import pytest

import reflect_bot.app
from reflect_bot.cli import main
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.store import SessionStore


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def sessions(tmp_path):
    return str(tmp_path / "sessions")


def run(monkeypatch, argv, stdin="", tty=False):
    stdout = Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdin", Terminal(stdin) if tty else io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(argv)
    return code, stdout.getvalue()


@pytest.fixture
def app_calls(monkeypatch):
    calls = []

    def fake_run_app(settings, framework, store, session_name=None, resume=False):
        calls.append((session_name, resume))
        return 0

    monkeypatch.setattr(reflect_bot.app, "run_app", fake_run_app)
    return calls


def test_chat_plain_runs_the_console(monkeypatch, sessions, app_calls):
    code, out = run(monkeypatch, ["--sessions-dir", sessions, "chat", "--plain", "--name", "x"])
    assert code == 0
    assert "[school or context, optional]> " in out
    assert "reflect-bot resume x" in out
    assert app_calls == []


def test_piped_input_means_plain_even_without_the_flag(monkeypatch, sessions, app_calls):
    for argv in (["chat"], []):
        code, out = run(monkeypatch, ["--sessions-dir", sessions, *argv], stdin="Oak\n")
        assert code == 0
        assert "Hello, and welcome." in out
    assert app_calls == []


def test_on_a_terminal_chat_resume_and_no_command_open_the_app(monkeypatch, sessions, app_calls):
    assert run(monkeypatch, ["--sessions-dir", sessions], tty=True)[0] == 0
    assert run(monkeypatch, ["--sessions-dir", sessions, "chat", "--name", "n"], tty=True)[0] == 0
    assert run(monkeypatch, ["--sessions-dir", sessions, "resume", "old"], tty=True)[0] == 0
    _saved_session(sessions, "latest")
    assert run(monkeypatch, ["--sessions-dir", sessions, "resume"], tty=True)[0] == 0
    # resume without a name finds the most recent session itself and names it to the app
    assert app_calls == [(None, False), ("n", False), ("old", True), ("latest", True)]


def _saved_session(sessions, name, framework_id=None):
    framework = load_framework(Settings.load().framework_dir)
    store = SessionStore(sessions)
    session = store.create(framework, name)
    if framework_id:
        session.framework_id = framework_id
        store.save(session)
    store.close(session)


def test_resume_skips_a_more_recent_session_of_another_framework(monkeypatch, sessions, app_calls):
    _saved_session(sessions, "ours")
    _saved_session(sessions, "zz-theirs", framework_id="another-framework")
    assert run(monkeypatch, ["--sessions-dir", sessions, "resume"], tty=True)[0] == 0
    code, out = run(monkeypatch, ["--sessions-dir", sessions, "resume", "--plain"])
    assert code == 0
    assert "Session 'ours'" in out
    assert app_calls == [("ours", True)]


def test_resume_with_only_another_frameworks_sessions_says_how_to_start(
    monkeypatch, sessions, app_calls, capsys
):
    _saved_session(sessions, "theirs", framework_id="another-framework")
    for tty in (True, False):
        monkeypatch.setattr(sys, "stdin", Terminal("") if tty else io.StringIO(""))
        assert main(["--sessions-dir", sessions, "resume"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("reflect-bot: There are no saved sessions for the DfE Inclusion")
        assert "Start one with 'reflect-bot chat'" in err
        assert len(err.strip().splitlines()) == 1
    assert app_calls == []


def test_plain_on_a_terminal_is_honoured_before_or_after_the_command(
    monkeypatch, sessions, app_calls
):
    for argv in (["--plain"], ["--plain", "chat"], ["chat", "--plain"]):
        code, out = run(monkeypatch, ["--sessions-dir", sessions, *argv], tty=True)
        assert code == 0
        assert "[school or context, optional]>" in out
    assert app_calls == []


def test_resume_by_name_and_the_most_recent(monkeypatch, sessions, app_calls):
    run(monkeypatch, ["--sessions-dir", sessions, "chat", "--name", "first"], stdin="Oak\n")
    code, out = run(monkeypatch, ["--sessions-dir", sessions, "resume", "first"], stdin="2\n")
    assert code == 0
    assert 'Welcome back to "Oak".' in out
    code, out = run(monkeypatch, ["--sessions-dir", sessions, "resume"], stdin="")
    assert code == 0
    assert "Welcome back" in out


def test_resume_with_nothing_saved_says_so_in_one_line(monkeypatch, sessions, capsys, app_calls):
    for tty in (False, True):
        monkeypatch.setattr(sys, "stdin", Terminal("") if tty else io.StringIO(""))
        code = main(["--sessions-dir", sessions, "resume"])
        assert code == 1
        err = capsys.readouterr().err
        assert err.startswith("reflect-bot: There are no saved sessions in")
        assert "Start one with 'reflect-bot chat'" in err
        assert len(err.strip().splitlines()) == 1
    assert app_calls == []


def test_a_framework_folder_of_ones_own_is_checked_before_the_app_starts(
    monkeypatch, sessions, app_calls, tmp_path, capsys
):
    broken = tmp_path / "framework"
    broken.mkdir()
    (broken / "framework.toml").write_text("title = \n", encoding="utf-8")
    code, _ = run(monkeypatch, ["--sessions-dir", sessions, "--framework", str(broken)], tty=True)
    assert code != 0
    assert "has problems" in capsys.readouterr().err
    assert app_calls == []  # the app never started on a broken framework


def test_the_shipped_framework_is_left_for_the_app_to_load_when_needed(
    monkeypatch, sessions, app_calls
):
    code, _ = run(monkeypatch, ["--sessions-dir", sessions], tty=True)
    assert code == 0
    assert app_calls == [(None, False)]


def test_a_missing_framework_folder_is_named_with_the_command_to_check_it(
    monkeypatch, sessions, app_calls, tmp_path, capsys
):
    missing = tmp_path / "no such folder"
    code, _ = run(monkeypatch, ["--sessions-dir", sessions, "--framework", str(missing)], tty=True)
    err = capsys.readouterr().err
    assert code == 1
    assert "does not exist" in err
    assert f"reflect-bot framework check '{missing}'" in err
