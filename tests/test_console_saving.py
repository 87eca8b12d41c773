"""The plain console saves before it shows: what the leader sees acknowledged is on disk. A failed
save is said in one line and the conversation goes on; a reader that goes away (`| head`) ends
it quietly, saved."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reflect_bot.console import run_plain
from reflect_bot.locations import Settings
from reflect_bot.session import Answer, now
from reflect_bot.store import SaveError, SessionStore, load_file

OPENING = "Oak\n\n\n1\n"


@pytest.fixture
def settings(tmp_path):
    return Settings.load(sessions_dir=tmp_path / "sessions", environ={})


class Watched(SessionStore):
    """A store that notes what the leader had been shown each time it saves, and can fail."""

    def __init__(self, folder, out, fail_on=()):
        super().__init__(folder)
        self.out = out
        self.fail_on = set(fail_on)
        self.saves = []  # (the last bot text in the session, the output so far)

    def save(self, session):
        self.saves.append(
            (session.transcript[-1].text if session.transcript else "", self.out.getvalue())
        )
        if len(self.saves) in self.fail_on:
            raise SaveError(
                f"Could not save to {self.folder} (No space left on device). The last save is kept."
            )
        return super().save(session)


def test_each_reply_is_saved_before_it_is_shown(settings, framework):
    out = io.StringIO()
    store = Watched(settings.sessions_dir, out)
    lines = OPENING + "Teachers plan together\nVisits show it\n"
    assert run_plain(settings, framework, store, io.StringIO(lines), out, session_name="s") == 0
    turns = [(text, shown) for text, shown in store.saves if text]  # the first: the new file
    assert len(turns) >= 7
    for last_bot_text, shown in turns[:-1]:  # the last: at the end of input
        assert last_bot_text.splitlines()[0] not in shown.splitlines()[-3:]
    # and everything shown was saved: the last question asked is in the file
    session, _ = load_file(store.path_for("s"))
    assert session.transcript[-1].text.splitlines()[0] in out.getvalue()


def test_a_failed_save_is_said_in_one_line_and_the_session_goes_on(settings, framework):
    out = io.StringIO()
    store = Watched(settings.sessions_dir, out, fail_on={3})  # the save after the phase answer
    lines = OPENING + "Teachers plan together\n"
    assert run_plain(settings, framework, store, io.StringIO(lines), out, session_name="s") == 0
    warnings = [line for line in out.getvalue().splitlines() if "Could not save" in line]
    assert warnings == [
        f"Could not save to {settings.sessions_dir} (No space left on device). The last save is "
        "kept. Your answers are kept here for now; the next answer saves again."
    ]
    # the warning comes after the replies it concerns, just before the next prompt
    lines_out = out.getvalue().splitlines()
    assert lines_out[lines_out.index(warnings[0]) + 1].startswith("[")
    # nothing was lost: the next save wrote everything, the answer before the failure too
    session, _ = load_file(store.path_for("s"))
    assert session.label == "Oak"
    assert session.record("teaching-learning.1").answers[0].text == "Teachers plan together"


class ClosedAfter(io.StringIO):
    """An output whose reader goes away after a few writes, as `head` does."""

    def __init__(self, writes):
        super().__init__()
        self.writes = writes

    def write(self, text):
        self.writes -= 1
        if self.writes < 0:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_a_reader_that_goes_away_ends_quietly_and_saved(settings, framework):
    store = SessionStore(settings.sessions_dir)
    out = ClosedAfter(writes=12)
    lines = OPENING + "Teachers plan together\nVisits show it\n" * 3
    code = run_plain(settings, framework, store, io.StringIO(lines), out, session_name="s")
    assert code == 141
    session, _ = load_file(store.path_for("s"))
    assert session.label == "Oak"  # answered before the reader went away, and saved


def test_piped_into_a_reader_that_stops_early_there_is_no_traceback(tmp_path):
    # the real thing: a pipe whose reading end is closed after the first line
    script = OPENING + "Teachers plan together\n" + "Visits and work scrutiny\n" * 30
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reflect_bot",
            "--sessions-dir",
            str(tmp_path),
            "chat",
            "--name",
            "p",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.stdout.readline().startswith(b"Session 'p'")
    process.stdout.close()
    _, err = process.communicate(script.encode(), timeout=60)
    assert process.returncode in (0, 141), err
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    session, _ = load_file(tmp_path / "p.toml")
    assert session.conversation.state != "greeting"


def test_resuming_names_answers_for_gone_statements_once(settings, framework):
    store = SessionStore(settings.sessions_dir)
    session = store.create(framework, "old")
    session.conversation.state = "working_well"
    session.conversation.scope = ["teaching-learning.9", "teaching-learning.1"]
    session.conversation.statement_id = "teaching-learning.9"
    gone = session.record("teaching-learning.9")
    gone.answers.append(
        Answer(question_id="q", kind="working_well", question="Q?", text="Peer tutoring", at=now())
    )
    store.save(session)
    store.close(session)
    out = io.StringIO()
    code = run_plain(
        settings, framework, SessionStore(settings.sessions_dir), io.StringIO(""), out, resume=True
    )
    assert code == 0
    text = out.getvalue()
    assert text.count("teaching-learning.9") == 1, text
    assert "kept" in text
    assert "Statement 1: Teaching & Learning 1" in text
    session, _ = load_file(Path(settings.sessions_dir) / "old.toml")
    assert session.find_record("teaching-learning.9").answers[0].text == "Peer tutoring"


def test_a_new_session_left_at_once_is_not_kept_and_no_resume_line_is_given(settings, framework):
    store = SessionStore(settings.sessions_dir)
    out = io.StringIO()
    assert run_plain(settings, framework, store, io.StringIO(""), out) == 0
    assert "no session was kept" in out.getvalue()
    assert "resume" not in out.getvalue().split("\n")[-2]
    assert not list(settings.sessions_dir.glob("*.toml"))


def test_escape_sequences_in_the_leaders_words_never_reach_the_terminal_raw(settings, framework):
    store = SessionStore(settings.sessions_dir)
    out = io.StringIO()
    label = "Oak\x1b[2J\x1b]0;pwned\x07field"
    run_plain(settings, framework, store, io.StringIO(label + "\n"), out, session_name="s")
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    out = io.StringIO()
    run_plain(settings, framework, store, io.StringIO(""), out, session_name="s", resume=True)
    assert "\x1b" not in out.getvalue()
    assert "Oak\ufffd[2J" in out.getvalue()
