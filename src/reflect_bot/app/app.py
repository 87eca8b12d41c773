"""The reflection app: owns the session, the engine and the store; screens do the showing."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import AwaitMount

from reflect_bot.app.screens.start import NewReflection, StartScreen
from reflect_bot.errors import UserError
from reflect_bot.text import resume_command, terminal_safe

if TYPE_CHECKING:
    from reflect_bot.app.screens.chat import ChatScreen
    from reflect_bot.dialogue import Engine
    from reflect_bot.framework import Framework
    from reflect_bot.locations import Settings
    from reflect_bot.session import Session
    from reflect_bot.store import SessionStore

EXPORT_FORMATS = (
    ("md", "Markdown"),
    ("html", "HTML (print-ready page)"),
    ("csv", "CSV action plan"),
)
LIGHT, DARK = "textual-light", "textual-dark"


class ReflectApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "reflect-bot"
    SUB_TITLE = "Inclusion Audit Framework reflection"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        settings: Settings,
        framework: Framework | None,
        store: SessionStore,
        *,
        session_name: str | None = None,
        resume: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._framework = framework
        self.store = store
        self.session_name = session_name
        self.resume = resume
        self.session: Session | None = None
        self.chat: ChatScreen | None = None
        self._engine: Engine | None = None
        self._quit_anyway = False
        self.farewell = ""  # printed after the app closes: where the reflection is, how to resume
        self.last_key_at = 0.0  # when the leader last pressed a key or pasted (monotonic)

    # --- the framework and the engine, loaded on first use so the start screen stays quick ------

    @property
    def framework(self) -> Framework:
        """The framework. An app made without one loads it from the settings' folder when it is
        first needed: a new reflection's first screen shows none of it. Raises UserError."""
        if self._framework is None:
            from reflect_bot.framework import load_or_explain

            self._framework = load_or_explain(self.settings.framework_dir)
        return self._framework

    def _end(self, error: UserError) -> None:
        """Close the app saying why (a broken framework or question bank): nothing can be
        reflected on. After the message being handled: the first screen may be being built."""
        from rich.text import Text

        self.call_next(self.exit, return_code=1, message=Text(f"reflect-bot: {error}"))

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from reflect_bot.dialogue import Engine
            from reflect_bot.prompts import load_bank

            self._engine = Engine(self.framework, load_bank(self.settings.prompts_dir))
        return self._engine

    # --- starting --------------------------------------------------------------------------------

    async def on_mount(self) -> None:
        self.theme = DARK
        # The first screen builds itself in its own task: wait for it, as Textual waits for a
        # pushed screen, so that the app counts as started only once the screen is there.
        await AwaitMount(self.screen, [self.screen])

    def get_default_screen(self) -> Screen:
        """The first screen (start or chat) is the app's base screen, built as the app starts,
        rather than pushed over Textual's empty default screen: one screen, layout and paint
        fewer before the leader sees anything."""
        screen = self._first_screen()
        # Textual reads a screen's own stylesheet when it is pushed, not for the base screen.
        # Read here, before anything is styled, it is parsed once with the rest.
        for path in screen.css_path:
            if not self.stylesheet.has_source(str(path), ""):
                self.stylesheet.read(path)
        return screen

    def _first_screen(self) -> Screen:
        """The session to resume (`resume`), a new one of a given name, or the start screen."""
        if self.resume:
            name = self.session_name or self.store.most_recent()
            if name is not None:
                return self._opened(name) or Screen()  # no screen: the app is exiting
        if self.session_name is not None:
            return StartScreen([], self._folder())
        try:
            return self._start_screen()
        except UserError as error:  # the framework, loaded to check the saved sessions
            self._end(error)
            return Screen()

    def on_ready(self) -> None:
        if self.settings.exit_when_ready:  # the benchmark times the start (bench/bench.py)
            from reflect_bot.app.ready import exit_when_ready

            exit_when_ready(self)

    def _folder(self) -> str:
        return str(self.settings.sessions_dir)

    def _show(self, screen: Screen | None) -> None:
        """Show the chat over the start screen (None, or the screen showing: nothing to do).

        The start screen stays beneath the chat, unseen and never shown again: it is the
        app's base screen, which Textual's switch_screen cannot replace."""
        if screen is not None and screen is not self.screen:
            self.push_screen(screen)

    def _start_screen(self, problem: str = "") -> StartScreen:
        """The start screen; `problem` is why a reflection could not be opened, shown on it."""
        # An empty folder is listed without the framework (a new leader's first screen does
        # without it); saved sessions are checked against it (the second listing is quick: the
        # store keeps what it read of each file).
        sessions = self.store.list(self._framework)
        if sessions and self._framework is None:
            sessions = self.store.list(self.framework)
        return StartScreen(sessions, self._folder(), self._framework, problem=problem)

    def tell(self, message: str, *, error: bool = False, warning: bool = False) -> None:
        """A notification; messages may quote file names or the leader's text, so no markup."""
        self.notify(
            message,
            severity="error" if error else "warning" if warning else "information",
            markup=False,
            timeout=12 if error or warning else 5,
        )

    def _cannot_open(self, problem: str) -> StartScreen:
        """The start screen, saying plainly why the reflection could not be opened: the one
        showing if it is the start screen, else a new one."""
        if self.screen_stack and isinstance(self.screen, StartScreen):
            self.screen.show_problem(problem)
            return self.screen
        return self._start_screen(problem)

    def open_session(self, name: str) -> None:
        self._show(self._opened(name))

    def _opened(self, name: str) -> Screen | None:
        """The chat for the saved session `name`, or the start screen saying why not."""
        try:
            session = self.store.open(name, self.framework)
        except UserError as error:
            return self._cannot_open(self._plain(name, str(error)))
        self._notices()
        return self._chat_for(session)

    def _plain(self, name: str, problem: str) -> str:
        """The store names the process holding a session's lock; a leader needs only to know
        that it is open in another window."""
        try:
            in_use = any(i.name == name and i.in_use for i in self.store.list(self.framework))
        except (UserError, OSError):
            in_use = False
        if in_use:
            return (
                "This reflection is open in another reflect-bot window. "
                "Close it there first, then try again."
            )
        return problem

    def begin(self, details: NewReflection) -> None:
        try:
            framework = self.framework
        except UserError as error:
            self._end(error)
            return
        try:
            session = self.store.create(framework, name=self.session_name)
        except UserError as error:
            self._show(self._cannot_open(str(error)))
            return
        self._show(self._chat_for(session, details))

    def _chat_for(self, session: Session, details: NewReflection | None = None) -> Screen | None:
        """The chat for an open session; the start screen if the engine cannot carry it on;
        None if nothing can be reflected on (the app is exiting)."""
        from reflect_bot.app.screens.chat import ChatScreen

        try:
            engine = self.engine
        except UserError as error:  # the question bank is broken: nothing can be reflected on
            self.store.close(session)
            from rich.text import Text

            # after the message being handled: the first screen may be being built
            self.call_next(self.exit, return_code=1, message=Text(f"reflect-bot: {error}"))
            return None
        start = len(session.transcript)
        try:
            # The greeting, or a welcome back; a session the engine cannot carry on (a
            # hand-edited file naming an unknown tier, say) is refused here with one line.
            opening = engine.start(session)
        except UserError as error:
            self.store.close(session)
            return self._cannot_open(f"Could not open {session.name}: {error}")
        self.session = session
        self.chat = ChatScreen(session, self.framework, opening=details, replies=(start, opening))
        return self.chat

    @on(StartScreen.Resume)
    def _on_resume(self, message: StartScreen.Resume) -> None:
        self.open_session(message.name)

    @on(StartScreen.Begin)
    def _on_begin(self, message: StartScreen.Begin) -> None:
        self.begin(message.details)

    # --- saving, exporting, quitting -------------------------------------------------------------

    def save_session(self) -> str | None:
        """Save the open session, with the unsent draft in the answer box; None when saved,
        else what went wrong (one line)."""
        if self.session is None:
            return None
        if self.chat is not None and self.chat.session is self.session:
            self.chat.keep_draft()
        try:
            self.store.save(self.session)
        except UserError as error:
            return str(error)
        except OSError as error:
            return f"Could not save ({error.strerror or error}); check the sessions folder."
        self._notices()
        return None

    def _notices(self) -> None:
        for notice in self.store.take_notices():
            self.tell(notice)

    def export_session(self, fmt: str) -> str:
        """Export the open session; the message to show (the path written, or why not), with a
        second line when the export may hold personal details."""
        if self.session is None:
            return "There is no reflection open to export."
        from reflect_bot.export import export_checked

        try:
            path, warning = export_checked(
                self.session,
                self.framework,
                fmt,
                exports_dir=self.settings.exports_dir,
                prompts_dir=self.settings.prompts_dir,
            )
        except UserError as error:
            return f"Could not export: {error}"
        return f"Exported to {path}\n{warning}" if warning else f"Exported to {path}"

    async def action_quit(self) -> None:
        if self.session is not None:
            problem = self.save_session()
            if problem and not self._quit_anyway:
                self._quit_anyway = True
                self.tell(
                    f"Not saved: {problem} Press Ctrl+Q again to quit without the latest changes.",
                    error=True,
                )
                return
            if not problem:
                self.farewell = self._how_to_resume(self.session)
            self.store.close(self.session)
            self.session = None
        self.exit()

    def on_unmount(self) -> None:
        """However the app ends (a closed terminal, an error), save and release the lock."""
        if self.session is not None:
            self.save_session()
            self.store.close(self.session)
            self.session = None

    def _how_to_resume(self, session: Session) -> str:
        if self.store.will_discard(session):
            return "Nothing was typed, so no session was kept."
        command = terminal_safe(resume_command(self.settings, self.store.handle_of(session)))
        return (
            f"Your reflection is saved in {self.store.path_of(session)}.\n"
            f"To carry on where you left off: {command}"
        )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)):
            self.last_key_at = monotonic()
        await super().on_event(event)

    # --- views available everywhere --------------------------------------------------------------

    def action_help(self) -> None:
        from reflect_bot.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            try:
                framework = self.framework
            except UserError as error:
                self._end(error)
                return
            self.push_screen(HelpScreen(framework))

    def toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme != LIGHT else DARK

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """What the palette offers: only what makes sense where the conversation stands."""
        chat = self.chat
        session = self.session
        if chat is not None and session is not None:
            on_statement = bool(session.conversation.statement_id)
            yield SystemCommand("Go to statement…", "Jump to any statement", chat.action_goto)
            if on_statement:
                yield SystemCommand(
                    "Show tiers", "Compare the tiers for this statement", chat.action_tiers
                )
            yield SystemCommand("Case studies", "Case studies to learn from", chat.action_cases)
            yield SystemCommand(
                "Summary", "Your profile, priorities and next steps", chat.action_summary
            )
            for fmt, label in EXPORT_FORMATS:
                yield SystemCommand(
                    f"Export as {label}",
                    f"Saves to {self.settings.exports_dir}",
                    partial(chat.export, fmt),
                )
            if session.history:
                yield SystemCommand("Go back", "Undo your last answer", partial(chat.send, "/back"))
            if on_statement:
                yield SystemCommand(
                    "Skip this statement",
                    "Leave it for now; you can return to it",
                    partial(chat.send, "/skip"),
                )
            yield SystemCommand(
                "Toggle progress sidebar",
                "Show or hide the list of statements",
                chat.action_toggle_sidebar,
            )
        yield SystemCommand("Help", "Keys, commands and what the tiers mean", self.action_help)
        light = self.theme == LIGHT
        yield SystemCommand(
            "Switch to dark theme" if light else "Switch to light theme",
            "Change the colours",
            self.toggle_theme,
        )
        yield SystemCommand(
            "Save and quit", "You can resume exactly where you were", self.action_quit
        )
        # None of Textual's own commands: a screenshot would write the leader's words to a file
        # outside the sessions folder, and the keys panel speaks of widgets; F1 has the keys.

    def action_help_quit(self) -> None:
        """Ctrl+C: people press it to copy, or out of habit to quit; say what each key does."""
        self.notify(
            "Ctrl+C copies text you have selected. To save and quit, press Ctrl+Q.",
            markup=False,
            timeout=6,
        )
