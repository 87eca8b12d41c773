"""The plain console: the conversation line by line, for screen readers and for scripts.

The protocol: the bot's text is printed as plain lines. Whenever the bot waits for input it prints
a prompt line that starts with the kind of answer expected in square brackets, then "> ", for
example "[reflection]> ", "[tier 1-3 or ?]> ", "[choice]> " or "[yes/no]> ". Enter sends the
line; a line ending in a backslash continues the answer on the next line (the backslash is
dropped and a line break kept). The session is saved after every line. At the end of input
(Ctrl-D, or the end of a piped file) it saves and exits with status 0, saying how to resume.
Colour is used only on a terminal, and never when NO_COLOR is set.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import sys
import textwrap
from typing import TextIO

from reflect_bot.dialogue import Engine, normalise, reply_text
from reflect_bot.errors import UserError
from reflect_bot.framework import Framework
from reflect_bot.locations import Settings
from reflect_bot.prompts import QuestionBank, load_bank
from reflect_bot.replies import Action, Ask, CaseStudyCard, Quote, Reply, Say
from reflect_bot.session import Session
from reflect_bot.store import SessionStore
from reflect_bot.text import resume_command, terminal_safe

_STYLES = {
    "prompt": "\x1b[1;36m",  # bold cyan
    "quote": "\x1b[3m",  # italic
    "note": "\x1b[2m",  # dim
    "warning": "\x1b[33m",  # yellow
    "title": "\x1b[1m",  # bold
}
_RESET = "\x1b[0m"
_LONG = 8  # after more lines than this, a command's display is followed by the question again
# On a terminal, lines that arrive together (a paste) are one answer: after each line, input
# already waiting within this many seconds belongs to the same answer.
PASTE_WAIT = 0.03


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class PlainConsole:
    """Reads lines from `stdin`, sends them to the engine, prints its replies to `stdout`."""

    def __init__(
        self,
        engine: Engine,
        store: SessionStore,
        session: Session,
        settings: Settings,
        stdin: TextIO,
        stdout: TextIO,
    ) -> None:
        self.engine = engine
        self.store = store
        self.session = session
        self.settings = settings
        self.stdin = stdin
        self.stdout = stdout
        self.colour = _is_tty(stdout) and not settings.no_color
        # when input is not typed at a terminal, end each prompt with a line break so that the
        # output reads as whole lines
        self.typed = _is_tty(stdin)
        # on a terminal, wrap at word boundaries; elsewhere keep each paragraph on one line
        self.width = shutil.get_terminal_size().columns - 1 if _is_tty(stdout) else 0
        self.lines_written = 0
        self._pasting = False
        self.unsent = ""  # lines of an answer read but not yet sent (Ctrl-C records them)
        self._queued: list[str] = []  # lines split from one read at lone carriage returns

    # --- output ---------------------------------------------------------------------------------

    def _style(self, text: str, style: str) -> str:
        if not self.colour or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"

    def _wrap(self, text: str) -> str:
        if self.width < 20:
            return text
        lines = []
        for line in text.split("\n"):
            # a numbered or bulleted line wraps under its text, not under its number
            marker = re.match(r"\s*(?:\d+\.|[-•])\s+", line)
            indent = " " * marker.end() if marker else line[: len(line) - len(line.lstrip())]
            lines.append(
                textwrap.fill(
                    line,
                    self.width,
                    subsequent_indent=indent,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                if line.strip()
                else line
            )
        return "\n".join(lines)

    def write(self, text: str, style: str = "") -> None:
        # the leader's own words may hold escape sequences: they never reach the terminal raw
        text = self._wrap(terminal_safe(text))
        self.lines_written += text.count("\n") + 1
        self.stdout.write((self._style(text, style) if style else text) + "\n")

    def show(self, replies: list[Reply], number_cases: bool = True) -> bool:
        """Print replies; carry out actions. False when the leader asked to quit. Suggested case
        studies are numbered, as the choice that follows names them; a list shown by /cases is
        not (its cards are named by title)."""
        case_number = 0
        for reply in replies:
            if isinstance(reply, Action):
                if reply.kind == "quit":
                    return False
                self._export(reply.argument)
                continue
            if isinstance(reply, Ask):
                continue
            if isinstance(reply, CaseStudyCard) and number_cases:
                case_number += 1
                text = reply_text(reply).replace("Case study:", f"Case study {case_number}:", 1)
            else:
                text = reply_text(reply)
            if not text:
                continue
            style = ""
            if isinstance(reply, Say) and reply.tone != "normal":
                style = reply.tone
            elif isinstance(reply, Quote):
                style = "quote"
            self.write(text, style)
        return True

    def prompt_text(self, ask: Ask, continued: bool = False) -> str:
        label = f"{ask.prompt}, continued" if continued else ask.prompt
        return f"[{label}]> "

    def _line(self, prompt: str) -> str:
        """Print the prompt and read one line ("" at the end of input). A lone carriage return
        (old Mac line endings) ends a line too."""
        if self._queued:
            return self._queued.pop(0)
        line = self._read_line(prompt)
        if "\r" not in line.replace("\r\n", ""):
            return line
        parts = re.split(r"\r\n|\r|\n", line)
        ended = parts[-1] == ""  # the read ended with a line end
        lines = [part + "\n" for part in parts[:-1]] + ([] if ended else [parts[-1]])
        self._queued = lines[1:]
        return lines[0]

    def _waiting(self) -> bool:
        """More typed input is already waiting (a paste): only ever on a terminal. What is
        waiting is read at once, straight from the terminal (never through a buffer the next
        prompt would not see), and queued line by line."""
        if not self.typed:
            return False
        if self._queued:
            return True
        try:
            fd = self.stdin.fileno()
            data = b""
            while select.select([fd], [], [], PASTE_WAIT)[0]:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                data += chunk
        except (OSError, ValueError, TypeError, AttributeError):
            return False
        text = data.decode(getattr(self.stdin, "encoding", None) or "utf-8", errors="replace")
        self._queued += [line for line in re.split(r"(?<=\n)", normalise(text)) if line]
        return bool(self._queued)

    def _read_line(self, prompt: str) -> str:
        if self.typed and self.stdin is sys.stdin and self.stdout is sys.stdout:
            # typed at a terminal: input() gives line editing (arrow keys, history)
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401
            shown = prompt
            if self.colour:  # readline must be told which characters take no space
                shown = f"\001{_STYLES['prompt']}\002{prompt.rstrip()}\001{_RESET}\002 "
            try:
                return input(shown) + "\n"
            except EOFError:
                return ""
        styled = self._style(prompt.rstrip(), "prompt") + " "
        self.stdout.write(styled if self.typed else styled + "\n")
        self.stdout.flush()
        return self.stdin.readline()

    # --- saving and exporting -------------------------------------------------------------------

    def save(self) -> bool:
        """Save now; a failure is said in one line."""
        failed = self.save_quietly()
        if failed is not None:
            self.write(failed, "warning")
        return failed is None

    def _export(self, fmt: str) -> None:
        from reflect_bot.export import export_checked

        try:
            path, warning = export_checked(
                self.session,
                self.engine.framework,
                fmt or "html",
                exports_dir=self.settings.exports_dir,
                prompts_dir=self.settings.prompts_dir,
            )
        except UserError as error:
            self.write(f"Could not export: {error}", "warning")
            return
        self.write(f"Exported to {path}")
        if warning:
            self.write(warning, "warning")

    def _resume_hint(self) -> None:
        if self.store.will_discard(self.session):
            self.write("Nothing was typed, so no session was kept.")
            return
        hint = "To carry on later, run:"
        command = terminal_safe(resume_command(self.settings, self.store.handle_of(self.session)))
        if self.width < 20 or len(hint) + 1 + len(command) <= self.width:
            self.write(f"{hint} {command}")
            return
        # a command is never wrapped: it is copied and pasted whole
        self.write(hint)
        self.lines_written += 1
        self.stdout.write(command + "\n")

    # --- the loop -------------------------------------------------------------------------------

    def read(self, ask: Ask) -> str | None:
        """One answer: a line, or several joined by a trailing backslash, or on a terminal the
        lines of a paste (lines that arrive together). None at end of input. Lines read so far
        are kept in `unsent`, so that Ctrl-C can record them."""
        parts: list[str] = []
        prompt = self.prompt_text(ask)
        self.unsent = ""
        pasted = False
        while True:
            line = self._line(prompt) if not parts or not self._pasting else self._pasted()
            if not line:
                self.unsent = ""
                return "\n".join(parts) if parts else None
            line = line.rstrip("\n").removesuffix("\r")
            continued = line.endswith("\\")
            parts.append(line[:-1] if continued else line)
            self.unsent = "\n".join(parts)
            self._pasting = not continued and self._waiting()
            pasted = pasted or self._pasting
            if continued or self._pasting:
                prompt = self.prompt_text(ask, continued=True)
                continue
            while parts and not parts[-1].strip() and len(parts) > 1:
                parts.pop()  # blank lines at the end of a paste
            self.unsent = ""
            if pasted:
                # the terminal may not have shown every pasted line: say what was taken
                self.write(f"({len(parts)} lines pasted, sent as one answer.)", "note")
            return "\n".join(parts)

    def _pasted(self) -> str:
        """The next line of a paste, read already (see `_waiting`)."""
        return self._queued.pop(0) if self._queued else ""

    def _turn(self, replies: list[Reply], command: bool = False) -> bool:
        """Save, then show the replies: what the leader sees acknowledged is already on disk.
        A failed save is said after the replies, just above the next prompt."""
        saved = self.save_quietly()
        shown_from = self.lines_written
        keep_going = self.show(replies, number_cases=not command)
        if keep_going and command and self.lines_written - shown_from > _LONG:
            self._remind(replies)
        if saved is not None:
            self.write(saved, "warning")
        return keep_going

    def _remind(self, replies: list[Reply]) -> None:
        """After a long display (/tiers, /cases, /help), the question still waiting, which has
        scrolled away; the prompt alone does not say what it was."""
        conversation = self.session.conversation
        question = conversation.pending.get("question", "")
        ask = replies[-1] if replies else None
        if not question or not isinstance(ask, Ask) or ask.kind == "done":
            return
        if conversation.state == "privacy":  # waiting on keep or retype, not on that question
            return
        if any(isinstance(r, Say) and r.text == question for r in replies):
            return
        self.write(question)

    def save_quietly(self) -> str | None:
        """Save; None when saved, else the one line that says it was not."""
        try:
            self.store.save(self.session)
        except UserError as error:
            message = " ".join(str(error).split())
            if not message.lower().startswith("could not save"):
                message = f"Could not save: {message}"
            return f"{message} Your answers are kept here for now; the next answer saves again."
        for notice in self.store.take_notices():
            self.write(notice, "note")
        return None

    def run(self, resumed: bool) -> int:
        try:
            return self._run()
        except BrokenPipeError:
            # the reader went away (e.g. piped into `head`): save and stop without a word
            self._silence_stdout()
            with contextlib.suppress(UserError):
                self.store.save(self.session)
            return 141  # as a shell reports a process ended by SIGPIPE

    def _silence_stdout(self) -> None:
        """Point stdout at the null device, so that Python's own flush at exit stays quiet."""
        if self.stdout is not sys.stdout:
            return
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)

    def _run(self) -> int:
        self.engine.check(self.session)  # a hand-edited session: one clear line, nothing shown
        self.write(f"Session '{self.session.name}' ({self.store.path_of(self.session)}).", "note")
        for notice in self.store.take_notices():
            self.write(notice, "note")
        self._turn(self.engine.start(self.session))
        try:
            while True:
                text = self.read(self.engine.expected(self.session))
                if text is None:
                    if self.typed:  # the cursor is still after the prompt
                        self.stdout.write("\n")
                    if self.save() and not self.store.will_discard(self.session):
                        self.write("Saved.", "note")
                    self._resume_hint()
                    return 0
                if self.typed and self.width:
                    self.stdout.write("\n")  # a blank line between the answer and the reply
                replies = self.engine.step(self.session, text)
                if not self._turn(replies, command=text.lstrip().startswith("/")):
                    return 0
        except KeyboardInterrupt:
            self.write("")
            if self.unsent.strip():
                # lines typed before Ctrl-C (ending in a backslash) are an answer: record them
                text, self.unsent = self.unsent, ""
                self.engine.step(self.session, text)
                self.write("What you had typed is recorded as your answer.", "note")
            self.save()
            self._resume_hint()
            return 130
        finally:
            self.stdout.flush()


def open_session(
    store: SessionStore,
    framework: Framework,
    session_name: str | None,
    resume: bool,
) -> Session:
    """The session to talk in: a new one, or for `resume` the named or most recent one."""
    if not resume:
        return store.create(framework, session_name)
    name = session_name or store.latest(framework)
    return store.open(name, framework)


def run_plain(
    settings: Settings,
    framework: Framework,
    store: SessionStore,
    stdin: TextIO,
    stdout: TextIO,
    session_name: str | None = None,
    resume: bool = False,
    bank: QuestionBank | None = None,
) -> int:
    """Run a whole conversation in the plain console; returns the exit status."""
    bank = bank or load_bank(settings.prompts_dir)
    engine = Engine(framework, bank)
    session = open_session(store, framework, session_name, resume)
    try:
        return PlainConsole(engine, store, session, settings, stdin, stdout).run(resume)
    finally:
        store.close(session)
