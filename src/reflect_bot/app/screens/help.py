"""Help: the keys, the commands, and what the three tiers mean in the framework's own words."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from reflect_bot.app.screens.view import View
from reflect_bot.app.widgets.footer import SteadyFooter
from reflect_bot.framework import Framework

KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "send your answer"),
    (
        "Ctrl+J",
        "new line in your answer; works in every terminal (Shift+Enter also works in terminals "
        "that report it, such as kitty or WezTerm; elsewhere Shift+Enter and Alt+Enter send)",
    ),
    ("Ctrl+T", "compare the tiers for the current statement (from the summary or help too)"),
    ("Ctrl+O", "case studies (and, when the bot suggests some, choose which to save)"),
    ("Ctrl+R", "summary and export"),
    ("Ctrl+G", "go to a statement"),
    (
        "Ctrl+L",
        "open the progress list and move into it: arrows choose a statement, Enter goes to it, "
        "Esc goes back to the answer box; Ctrl+L in the list hides it",
    ),
    ("Tab", "move between the answer box and the progress list, when it shows"),
    ("Page Up / Page Down", "scroll the conversation"),
    ("F1", "this help"),
    ("Ctrl+P", "command palette: go to a statement, export, theme and more"),
    ("Esc", "close a view and return to the chat"),
    ("Ctrl+C", "copy text you have selected (it does not quit)"),
    (
        "Ctrl+Q",
        "save and quit (you can resume later exactly where you were; anything typed but not "
        "sent stays in the answer box)",
    ),
    ("Ctrl+N", "on the start screen: begin a new reflection"),
    ("1 2 3 ?", "in the tier comparison: choose a tier, or ? for not sure yet"),
    ("Space, Ctrl+S", "in the case studies the bot suggests: tick some, then save them"),
    ("M H C", "in the summary: export as Markdown, HTML or CSV"),
)


def commands() -> tuple[tuple[str, str], ...]:
    """The engine's own list of commands, so the help never disagrees with what it accepts."""
    from reflect_bot.dialogue import COMMANDS

    return tuple((f"/{name} {argument}".rstrip(), what) for name, argument, what in COMMANDS)


def _table(rows: tuple[tuple[str, str], ...]) -> Table:
    """Two columns that wrap neatly; cells are Text, never markup."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for key, what in rows:
        table.add_row(Text(key, style="bold"), Text(what))
    return table


class HelpScreen(View[None]):
    BINDINGS = [Binding("ctrl+t", "tiers", "Tiers", id="help.tiers")]

    def __init__(self, framework: Framework) -> None:
        super().__init__(classes="view")
        self.framework = framework

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Help", "bold"), classes="view-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(Content.styled("Keys", "bold underline"), classes="section")
                yield Static(_table(KEYS))
                yield Static(
                    Content.styled("Commands (type them in the answer box)", "bold underline"),
                    classes="section",
                )
                yield Static(_table(commands()))
                yield Static(
                    Content.styled("The three tiers, in the framework's words", "bold underline"),
                    classes="section",
                )
                for tier in self.framework.tiers:
                    lines = [
                        Content.styled(f"{tier.index + 1}  {tier.name}", "bold"),
                        Content(tier.lead),
                        *(Content(f"  • {point}") for point in tier.points),
                        Content(tier.closing),
                    ]
                    yield Static(Content("\n").join(lines), classes="tier-meaning")
            yield Static(Content("Esc back to the chat"), classes="view-keys")
        yield SteadyFooter(at_once=True)  # only the keys that fit

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tiers":  # not from the start screen: no statement yet
            from reflect_bot.app.screens.tiers import can_show_tiers

            return can_show_tiers(self)
        return True

    def action_tiers(self) -> None:
        from reflect_bot.app.screens.tiers import tiers_instead

        tiers_instead(self)
