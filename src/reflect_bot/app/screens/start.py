"""Start: resume a saved reflection, or begin a new one (label, phase, role, privacy reminder)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from reflect_bot.app.names import statement_label
from reflect_bot.replies import PHASES  # the chat's phase question offers the same

if TYPE_CHECKING:
    from reflect_bot.framework import Framework
    from reflect_bot.store import SessionInfo

OTHER_ROLE = "Other"
ROLES = ("Head teacher", "Deputy or assistant head teacher", "SENCo", "Governor", OTHER_ROLE)
ROLE_LENGTH = 80  # a role in a few words, as the chat's role question takes it

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
    """One line per saved session; an unreadable file says why and cannot be chosen.

    The option's id is what the store resumes it by (`SessionInfo.handle`): each file is an
    entry of its own, so a copy of a session, which holds the same name, is one too. When the
    name alone does not say which is which, the line names the file.
    """
    if not info.readable:
        label = Content.assemble(
            Content.styled(info.path.name, "bold"),
            Content.styled("  cannot be opened: ", "italic"),
            Content(info.reason),
        )
        return Option(label, id=f"bad:{info.path.name}", disabled=True)
    handle = info.handle or info.name
    title = info.label or info.name
    parts = [Content.styled(title, "bold")]
    aside = [info.name] if info.label else []
    if handle != info.name:
        aside.append(f"file {info.path.name}")
    if aside:
        parts.append(Content(f"  ({', '.join(aside)})"))
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
    return Option(Content.assemble(*parts), id=handle)


class Choice(Widget, can_focus=True):
    """A compact Select as it looks before anyone opens it: its prompt and a down arrow.

    Opening it (Enter, Space, an arrow key or a click, as with a Select) puts a real Select in
    its place, already open, with the same id. Two Selects cost more to build than the rest of
    the form together; this way the first screen does not pay for them, and a leader who opens
    one pays for it then. Styled in app.tcss to look exactly like the Select.
    """

    BINDINGS = [Binding("enter,down,space,up", "open", "Show menu", show=False, id="start.choose")]

    class Open(Message):
        """Asks the screen to put a real Select, open, in this Choice's place."""

        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, choices: tuple[str, ...], prompt: str, *, id: str) -> None:
        super().__init__(id=id)
        self.choices = choices
        self.prompt = prompt

    def render(self) -> Content:
        width = self.content_size.width
        return Content(self.prompt[: max(0, width - 2)].ljust(width - 2) + " ▼")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        self.post_message(self.Open(self))


class Form(VerticalScroll, can_focus=False):
    """The new-reflection form: it scrolls on a short terminal, and its keys (Page Down...)
    work from any field, but it is not a Tab stop of its own. Were it focusable, the screen
    would focus it first and then the label field, building the footer's keys twice."""


class BeginButton(Button, inherit_css=False):
    """The form's "Begin reflection": a Button in every way (Enter, a click, the Pressed message,
    the pressed look), styled only as the compact primary button it is. A Button reads the rules
    for every variant and style it could have, which costs the first screen more than the rest
    of the form; these are the ones that apply, so it looks exactly the same."""

    DEFAULT_CSS = """
    BeginButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-color-foreground;
        background: $primary;
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            background: $primary-darken-2;
        }
        &.-active {
            background: $primary;
            tint: $background 30%;
        }
        &:disabled {
            text-opacity: 0.6;
            pointer: not-allowed;
        }
    }
    """


def chosen(field: Widget) -> str:
    """The value of a Choice or the Select that replaced it ("" for none)."""
    value = field.value if isinstance(field, Select) else None
    return value if isinstance(value, str) else ""


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
        # Only the pane that shows first is built: the form when there are no sessions, else
        # the list (the form is built on Ctrl+N), so the first screen costs no more than it must.
        yield Header(show_clock=False, icon="")
        if self.problem:
            yield Static(self._problem_text(), id="problem")
        if self.sessions:
            with Vertical(id="resume-pane"):
                yield Static(
                    Content.styled("Carry on with a reflection", "bold"), classes="view-title"
                )
                yield Static(
                    Content("Choose one and press Enter, or start a new reflection (Ctrl+N)."),
                    classes="explain",
                )
                yield OptionList(*self._options(), id="sessions")
                with Horizontal(classes="buttons"):
                    yield Button("New reflection", id="new", compact=True)
        else:
            yield self._new_pane()
        yield Footer()

    def _new_pane(self) -> Form:
        privacy = Content.assemble(
            Content.styled("Privacy: ", "bold"), Content(PRIVACY.format(folder=self.folder))
        )
        return Form(
            Static(Content.styled("A new reflection", "bold"), classes="view-title"),
            # The explanation and, after a blank line, the first field's label: both muted, one
            # widget rather than two (each widget costs the first screen about a millisecond).
            Static(
                Content(
                    "All three details are optional; they appear on your exported summary.\n"
                    "\nSchool or context"
                ),
                classes="explain",
            ),
            Input(placeholder="e.g. Oakfield Primary, or Year 7 team", id="label", compact=True),
            Static(Content("Phase"), classes="field-label"),
            Choice(PHASES, "Choose a phase", id="phase"),
            Static(Content("Your role"), classes="field-label"),
            Choice(ROLES, "Choose your role", id="role"),
            Static(privacy, classes="privacy"),
            BeginButton("Begin reflection", id="begin", variant="primary", compact=True),
            id="new-pane",
        )

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
        self.query_one("#sessions" if self.sessions else "#label").focus()

    def show_problem(self, problem: str) -> None:
        """Say why a reflection could not be opened, in a banner under the header."""
        self.problem = problem
        banners = self.query("#problem").results(Static)
        banner = next(banners, None)
        if banner is None:
            self.mount(Static(self._problem_text(), id="problem"), after=self.query_one(Header))
        else:
            banner.update(self._problem_text())

    def _problem_text(self) -> Content:
        """Plain text: it may quote a file name."""
        problem = self.problem
        if problem.startswith(("Could not", "This reflection")):
            return Content(problem)
        return Content.assemble(Content.styled("Could not open that reflection. ", "bold"), problem)

    async def _show_new(self, new: bool) -> None:
        self._new_shown = new
        if new and not self.query("#new-pane"):
            await self.mount(self._new_pane(), after="#resume-pane")
        for pane in self.query("#resume-pane, #new-pane"):
            pane.display = (pane.id == "new-pane") == new
        self.query_one("#label" if new else "#sessions").focus()
        self.refresh_bindings()

    async def action_new(self) -> None:
        await self._show_new(True)

    async def action_back(self) -> None:
        if self.sessions and self._new_shown:
            await self._show_new(False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        new = self._new_shown
        if action == "back":
            return bool(self.sessions) and new
        if action == "new":
            return not new
        return True

    @on(Button.Pressed, "#new")
    async def _new(self) -> None:
        await self._show_new(True)

    @on(OptionList.OptionSelected, "#sessions")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.id.startswith("bad:"):
            self.post_message(self.Resume(event.option.id))

    @on(Choice.Open)
    async def _open_choice(self, event: Choice.Open) -> None:
        choice = event.choice
        parent = choice.parent
        if not isinstance(parent, Widget):  # already replaced
            return
        select = Select(
            [(text, text) for text in choice.choices],
            prompt=choice.prompt,
            id=choice.id,
            compact=True,
        )
        place = parent.children.index(choice)
        with self.app.batch_update():  # no frame with neither widget showing
            await choice.remove()
            await parent.mount(select, before=place)
        select.focus()
        select.action_show_overlay()

    @on(Select.Changed, "#role")
    async def _role_changed(self, event: Select.Changed) -> None:
        """Choosing "Other" asks what the role is, in a field of its own just below; another choice
        takes that field away again (what was typed in it is not used)."""
        other = self.query("#role-other").results(Input)
        field = next(other, None)
        if event.value == OTHER_ROLE and field is None:
            field = Input(
                placeholder="Your role, in a few words (optional)",
                id="role-other",
                compact=True,
                max_length=ROLE_LENGTH,
            )
            await event.select.parent.mount(field, after=event.select)  # type: ignore[union-attr]
            field.focus()
        elif event.value != OTHER_ROLE and field is not None:
            await field.remove()

    @on(Input.Submitted, "#label, #role-other")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#begin")
    def _begin(self) -> None:
        label = self.query_one("#label", Input).value.strip()
        phase, role = chosen(self.query_one("#phase")), chosen(self.query_one("#role"))
        if role == OTHER_ROLE:
            other = next(self.query("#role-other").results(Input), None)
            role = (other.value.strip() if other is not None else "") or OTHER_ROLE
        self.post_message(self.Begin(NewReflection(label, phase, role)))
