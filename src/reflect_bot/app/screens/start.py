"""Start: resume a saved reflection, or begin a new one (label, phase, role, privacy reminder)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from reflect_bot.app.names import statement_label

if TYPE_CHECKING:
    from reflect_bot.framework import Framework
    from reflect_bot.store import SessionInfo

PHASES = ("Primary", "Secondary", "All-through", "Special school", "Alternative provision")
ROLES = ("Head teacher", "Deputy or assistant head teacher", "SENCo", "Governor", "Other")

PRIVACY = (
    "Please do not record pupils' names or other personal details: describe practice, not "
    "individuals. Your reflection is saved only on this computer, in {folder}."
)


@dataclass(frozen=True)
class NewReflection:
    label: str
    phase: str
    role: str


def when(moment: datetime) -> str:
    """A saved time in the leader's local time, e.g. "3 Dec 2026, 15:40"."""
    local = moment.astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


def session_option(info: SessionInfo, framework: Framework | None = None) -> Option:
    """One line per saved session; an unreadable file says why and cannot be chosen."""
    if not info.readable:
        label = Content.assemble(
            Content.styled(info.name, "bold"),
            Content.styled("  cannot be opened: ", "italic"),
            Content(info.reason),
        )
        return Option(label, id=f"bad:{info.name}", disabled=True)
    title = info.label or info.name
    parts = [Content.styled(title, "bold")]
    if info.label:
        parts.append(Content(f"  ({info.name})"))
    details = []
    if info.total:
        details.append(f"{info.done} of {info.total} statements reflected on")
    else:
        details.append("just begun")
    if info.statement_id and framework is not None and framework.has_statement(info.statement_id):
        details.append(f"at {statement_label(framework, info.statement_id)}")
    parts += ["\n   ", Content(" · ".join(details))]
    later = []
    if info.updated is not None:
        later.append(f"last updated {when(info.updated)}")
    if info.in_use:
        later.append("open in another reflect-bot window")
    if later:
        parts += ["\n   ", Content(" · ".join(later))]
    return Option(Content.assemble(*parts), id=info.name)


class StartScreen(Screen[None]):
    """Resume or begin. With no saved sessions, the new-reflection form shows straight away."""

    BINDINGS = [
        Binding("ctrl+n", "new", "New reflection", id="start.new"),
        Binding("escape", "back", "Back", id="start.back"),
    ]

    class Resume(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class Begin(Message):
        def __init__(self, details: NewReflection) -> None:
            super().__init__()
            self.details = details

    def __init__(
        self,
        sessions: list[SessionInfo],
        folder: str,
        framework: Framework | None = None,
        *,
        problem: str = "",
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.folder = folder
        self.framework = framework
        self.problem = problem  # why the reflection just chosen could not be opened
        self._new_shown = not sessions

    def compose(self):
        yield Header(show_clock=False, icon="")
        yield Static(id="problem")
        with Vertical(id="resume-pane"):
            yield Static(Content.styled("Carry on with a reflection", "bold"), classes="view-title")
            yield Static(
                Content("Choose one and press Enter, or start a new reflection (Ctrl+N)."),
                classes="explain",
            )
            yield OptionList(*self._options(), id="sessions")
            with Horizontal(classes="buttons"):
                yield Button("New reflection", id="new", compact=True)
        with VerticalScroll(id="new-pane"):
            yield Static(Content.styled("A new reflection", "bold"), classes="view-title")
            yield Static(
                Content("All three details are optional; they appear on your exported summary."),
                classes="explain",
            )
            yield Static(Content("School or context"), classes="field-label")
            yield Input(
                placeholder="e.g. Oakfield Primary, or Year 7 team", id="label", compact=True
            )
            yield Static(Content("Phase"), classes="field-label")
            yield Select(
                [(p, p) for p in PHASES], prompt="Choose a phase", id="phase", compact=True
            )
            yield Static(Content("Your role"), classes="field-label")
            yield Select(
                [(r, r) for r in ROLES], prompt="Choose your role", id="role", compact=True
            )
            yield Static(
                Content.assemble(
                    Content.styled("Privacy: ", "bold"), Content(PRIVACY.format(folder=self.folder))
                ),
                classes="privacy",
            )
            with Horizontal(classes="buttons"):
                yield Button("Begin reflection", id="begin", variant="primary", compact=True)
        yield Footer()

    def _options(self) -> list[Option | None]:
        """Sessions to resume, newest first; files that cannot be opened after them (with the
        reason); a separator line between entries."""
        ordered = [i for i in self.sessions if i.readable] + [
            i for i in self.sessions if not i.readable
        ]
        options: list[Option | None] = []
        for info in ordered:
            if options:
                options.append(None)
            options.append(session_option(info, self.framework))
        return options

    def on_mount(self) -> None:
        self.title = "reflect-bot"
        self.sub_title = "Inclusion Audit Framework reflection"
        self.show_problem(self.problem)
        self._show_new(not self.sessions)

    def show_problem(self, problem: str) -> None:
        """Say why a reflection could not be opened (plain text: it may quote a file name)."""
        self.problem = problem
        banner = self.query_one("#problem", Static)
        banner.display = bool(problem)
        banner.update(
            Content.assemble(Content.styled("Could not open that reflection. ", "bold"), problem)
            if not problem.startswith(("Could not", "This reflection"))
            else Content(problem)
        )

    def _show_new(self, new: bool) -> None:
        self._new_shown = new
        self.query_one("#resume-pane").display = not new
        self.query_one("#new-pane").display = new
        self.query_one("#label" if new else "#sessions").focus()
        self.refresh_bindings()

    def action_new(self) -> None:
        self._show_new(True)

    def action_back(self) -> None:
        if self.sessions and self._new_shown:
            self._show_new(False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        new = self._new_shown
        if action == "back":
            return bool(self.sessions) and new
        if action == "new":
            return not new
        return True

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        self._show_new(True)

    @on(OptionList.OptionSelected, "#sessions")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.id.startswith("bad:"):
            self.post_message(self.Resume(event.option.id))

    @on(Input.Submitted, "#label")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#begin")
    def _begin(self) -> None:
        def value(select_id: str) -> str:
            chosen = self.query_one(select_id, Select).value
            return chosen if isinstance(chosen, str) else ""

        label = self.query_one("#label", Input).value.strip()
        self.post_message(self.Begin(NewReflection(label, value("#phase"), value("#role"))))
