"""The plain console as a new user met it: old Mac line ends, Ctrl-C in a continued answer, a
paste of several paragraphs at a terminal (through a real pseudo-terminal), the export default
and case study numbers."""

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from console_support import plain

from reflect_bot.store import load_file

OPENING = "\n\n\n1\n"


def test_a_lone_carriage_return_ends_a_line(tmp_path, framework):
    text = "Oakfield\r1\rSENCo\r1\rWe plan together\rLesson visits show it\r"
    code, _, session, _ = plain(tmp_path, framework, text)
    assert code == 0
    assert (session.label, session.phase, session.role) == ("Oakfield", "Primary", "SENCo")
    answers = [a.text for a in session.record("teaching-learning.1").answers]
    assert answers == ["We plan together", "Lesson visits show it"]


class InterruptedInput(io.StringIO):
    """Lines, then Ctrl-C."""

    def readline(self, *args):
        line = super().readline(*args)
        if not line:
            raise KeyboardInterrupt
        return line


def test_ctrl_c_records_the_continued_lines_already_typed(tmp_path, framework):
    stdin = InterruptedInput(OPENING + "First part \\\nsecond part\\\n")
    code, out, session, _ = plain(tmp_path, framework, stdin)
    assert code == 130
    (answer,) = session.record("teaching-learning.1").answers
    assert answer.text == "First part \nsecond part"
    assert "recorded as your answer" in out
    assert "reflect-bot resume c" in out


def test_export_with_no_format_writes_html(tmp_path, framework):
    code, out, _, settings = plain(tmp_path, framework, OPENING + "/export\n")
    assert code == 0
    written = list(Path(settings.exports_dir).glob("*"))
    assert [p.suffix for p in written] == [".html"], out


def test_cases_are_named_by_title_and_only_suggestions_are_numbered(tmp_path, framework):
    code, out, _, _ = plain(tmp_path, framework, OPENING + "/cases\n")
    assert "Case study: " in out
    assert "Case study 3:" not in out


# --- a real terminal ----------------------------------------------------------------------------


def _read_until(fd, wanted, seen, timeout=20.0):
    """Read the terminal's output until `wanted` has appeared `seen[wanted]+1` times."""
    deadline = time.monotonic() + timeout
    buffer = seen.setdefault("_", b"")
    count = seen.get(wanted, 0) + 1
    while buffer.count(wanted.encode()) < count:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {wanted!r}: {buffer[-500:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
    seen["_"] = buffer
    seen[wanted] = count
    return buffer


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_paste_of_paragraphs_at_a_terminal_is_one_answer(tmp_path):
    sessions = tmp_path / "sessions"
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "reflect_bot", "chat", "--plain", "--sessions-dir", str(sessions)]
        + ["--name", "paste"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen: dict = {}
    try:
        for prompt, line in [
            ("[school or context, optional]>", "Oakfield"),
            ("[choice or text, optional]>", "1"),
            ("[your role, optional]>", "SENCo"),
            ("[choice]>", "1"),
        ]:
            _read_until(master, prompt, seen)
            os.write(master, line.encode() + b"\n")
        _read_until(master, "[reflection]>", seen)
        paste = "We plan units together.\n\nTeaching assistants join the planning.\n\nIt works.\n"
        os.write(master, paste.encode())  # all at once, as a paste arrives
        _read_until(master, "(5 lines pasted, sent as one answer.)", seen)
        _read_until(master, "[reflection]>", seen)
        os.write(master, b"Typed line by line\n")
        _read_until(master, "[reflection]>", seen)
        os.write(master, b"\x04")  # Ctrl-D: end of input
        _read_until(master, "reflect-bot resume paste", seen)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    session, _ = load_file(sessions / "paste.toml")
    answers = [a.text for a in session.record("teaching-learning.1").answers]
    assert answers == [
        "We plan units together.\n\nTeaching assistants join the planning.\n\nIt works.",
        "Typed line by line",
    ]


def test_piped_input_stays_strictly_line_by_line(tmp_path, framework):
    code, _, session, _ = plain(tmp_path, framework, OPENING + "One\n\nTwo words here\n")
    answers = [a.text for a in session.record("teaching-learning.1").answers]
    # "One" is thin: the empty line is the next reply to the follow-up, never joined to it
    assert "One\n\nTwo words here" not in answers
    assert answers[-1] == "Two words here"


# --- the resume hint opens the same session ------------------------------------------------------


def test_the_resume_hint_names_a_sessions_folder_that_is_not_the_default(tmp_path, framework):
    import shlex

    from reflect_bot.cli import build_parser
    from reflect_bot.locations import Settings
    from reflect_bot.text import resume_command

    spaced = tmp_path / "my sessions"
    settings = Settings.load(sessions_dir=spaced, framework_dir=tmp_path / "fw", environ={})
    command = resume_command(settings, "Oak field")
    words = shlex.split(command)
    assert words[:2] == ["reflect-bot", "resume"]
    args = build_parser().parse_args(words[1:])
    assert args.session == "Oak field"
    assert Path(args.sessions_dir) == spaced and Path(args.framework) == tmp_path / "fw"
    assert resume_command(Settings.load(environ={}), "oak") == "reflect-bot resume oak"

    _, out, _, used = plain(tmp_path, framework, OPENING_LINES)
    hint = out.rstrip().splitlines()[-1]
    assert hint.endswith(f"reflect-bot resume c --sessions-dir {used.sessions_dir}")


OPENING_LINES = "Oakfield\n1\nSENCo\n1\nWe plan together\n"
