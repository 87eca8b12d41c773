"""The plain console's protocol: prompts, continued lines, colour, end of input, actions."""

import io
from pathlib import Path

import pytest
from console_support import plain

from reflect_bot.console import run_plain
from reflect_bot.errors import UserError
from reflect_bot.locations import Settings
from reflect_bot.store import SessionStore, load_file


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


OPENING = "\n\n\n1\n"  # no label, phase or role; all statements


def test_prompt_lines_name_the_kind_and_stand_on_their_own_line_when_piped(tmp_path, framework):
    code, out, _, _ = plain(tmp_path, framework, OPENING + "We plan together\n")
    assert code == 0
    lines = out.splitlines()
    assert "[school or context, optional]> " in lines
    assert "[choice]> " in lines
    assert lines.count("[reflection]> ") == 2


def test_a_trailing_backslash_continues_the_answer(tmp_path, framework):
    code, out, session, _ = plain(
        tmp_path, framework, OPENING + "First line \\\nsecond line\\\nthird\n"
    )
    assert code == 0
    assert "[reflection, continued]> " in out
    (answer,) = session.record("teaching-learning.1").answers
    assert answer.text == "First line \nsecond line\nthird"


def test_end_of_input_in_a_continued_answer_keeps_what_was_typed(tmp_path, framework):
    code, out, session, _ = plain(tmp_path, framework, OPENING + "Half an answer \\\n")
    assert code == 0
    assert session.record("teaching-learning.1").answers[0].text == "Half an answer "
    assert out.rstrip().endswith(f"reflect-bot resume c --sessions-dir {tmp_path / 'sessions'}")


def test_crlf_input_is_read_as_plain_lines(tmp_path, framework):
    code, _, session, _ = plain(tmp_path, framework, "Oak\r\n\r\n\r\n1\r\nWe plan\r\n")
    assert session.label == "Oak"
    assert session.record("teaching-learning.1").answers[0].text == "We plan"


def test_no_colour_when_not_a_terminal(tmp_path, framework):
    _, out, _, _ = plain(tmp_path, framework, OPENING + "/frobnicate\n")
    assert "\x1b[" not in out


def test_colour_on_a_terminal_unless_no_color(tmp_path, framework):
    _, out, _, _ = plain(tmp_path, framework, OPENING, stdout=FakeTerminal())
    assert "\x1b[" in out
    _, out, _, _ = plain(
        tmp_path / "2", framework, OPENING, stdout=FakeTerminal(), environ={"NO_COLOR": "1"}
    )
    assert "\x1b[" not in out


def test_the_session_is_saved_after_every_line(tmp_path, framework):
    settings = Settings.load(sessions_dir=tmp_path / "sessions", environ={})
    store = SessionStore(settings.sessions_dir)
    path = store.path_for("c")
    seen = []

    class Watching(io.StringIO):
        def readline(self):
            if path.exists():
                seen.append(load_file(path)[0].conversation.state)
            return super().readline()

    run_plain(settings, framework, store, Watching("Oak\n\n"), io.StringIO(), session_name="c")
    assert seen == ["label", "phase", "role"]


def test_quit_saves_and_stops_reading(tmp_path, framework):
    code, out, session, _ = plain(tmp_path, framework, "Oak\n/quit\nnever read\n")
    assert code == 0
    assert "reflect-bot resume c" in out
    assert session.phase == ""
    assert "never read" not in [t.text for t in session.transcript]


def test_export_writes_the_file_and_says_where(tmp_path, framework):
    code, out, _, settings = plain(tmp_path, framework, "Oak\n/export md\n")
    assert code == 0
    (line,) = [line for line in out.splitlines() if line.startswith("Exported to ")]
    exported = line.removeprefix("Exported to ")
    assert exported.startswith(str(settings.exports_dir))
    assert "Oak" in Path(exported).read_text(encoding="utf-8")


def test_resume_without_any_session_is_a_clear_error(tmp_path, framework):
    settings = Settings.load(sessions_dir=tmp_path / "none", environ={})
    with pytest.raises(UserError, match="no saved sessions"):
        run_plain(
            settings,
            framework,
            SessionStore(settings.sessions_dir),
            io.StringIO(""),
            io.StringIO(),
            resume=True,
        )


def test_resume_the_most_recent_session(tmp_path, framework):
    plain(tmp_path, framework, OPENING + "We plan together\n")
    settings = Settings.load(sessions_dir=tmp_path / "sessions", environ={})
    store = SessionStore(settings.sessions_dir)
    out = io.StringIO()
    code = run_plain(settings, framework, store, io.StringIO("Visits\n"), out, resume=True)
    assert code == 0
    assert "Welcome back" in out.getvalue()
    session, _ = load_file(store.path_for("c"))
    assert [a.kind for a in session.record("teaching-learning.1").answers] == [
        "working_well",
        "evidence",
    ]


def test_after_a_long_display_the_question_is_asked_again(tmp_path, framework):
    code, out, session, _ = plain(tmp_path, framework, OPENING + "/tiers\n/save\n")
    question = session.conversation.pending["question"]
    lines = out.splitlines()
    after_tiers = lines[lines.index("[reflection]> ") + 1 :]
    # the tiers, then the question that scrolled away, then the prompt
    assert after_tiers[after_tiers.index("[reflection]> ") - 1] == question
    # a short reply (/save) does not repeat it
    assert out.count(question) == 2


def test_numbered_lines_wrap_under_their_text_on_a_terminal(tmp_path, framework, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    _, out, _, _ = plain(tmp_path, framework, OPENING + "/summary\n", stdout=FakeTerminal())
    lines = [line for line in out.replace("\x1b[", "\n\x1b[").splitlines() if line.strip()]
    numbered = next(i for i, line in enumerate(lines) if line.startswith("  1. Teaching"))
    assert lines[numbered + 1].startswith("     ")  # under "Teaching", not under "1."
    command = f"reflect-bot resume c --sessions-dir {tmp_path / 'sessions'}"
    assert out.rstrip().endswith("To carry on later, run:\n" + command)  # never wrapped
    assert all(
        len(line) <= 60 for line in out.splitlines() if "\x1b" not in line and "resume" not in line
    )


def test_no_reminder_of_the_question_while_the_personal_data_choice_waits(tmp_path, framework):
    text = OPENING + "Call the parent on 07700 900123\n/help\n"
    _, out, session, _ = plain(tmp_path, framework, text)
    assert session.conversation.state == "privacy"
    lines = out.splitlines()
    last_prompt = len(lines) - 1 - lines[::-1].index("[choice]> ")
    # after the help, straight back to the keep-or-retype prompt: not the held question
    assert lines[last_prompt - 1].startswith("Anything else you type is your answer.")
    assert session.conversation.pending["question"] not in out.split("/quit:")[-1]
