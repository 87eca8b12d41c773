"""Summary: the tier profile across the statements in scope, priorities, next steps, export."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from reflect_bot.app.names import area_title, skipped_or_unsure, statement_label, tier_name
from reflect_bot.app.screens.view import View
from reflect_bot.app.widgets.cards import profile_table
from reflect_bot.app.widgets.footer import SteadyFooter
from reflect_bot.framework import Framework
from reflect_bot.privacy import EXPORT_WARNING_START
from reflect_bot.session import Session

FORMATS = (("md", "Markdown"), ("html", "HTML page"), ("csv", "Action plan (CSV)"))
PRIORITY_KINDS = ("next_tier", "sustain_share")  # the leader's own words on what would move them


def state_in_words(session: Session, framework: Framework, statement_id: str) -> str:
    record = session.find_record(statement_id)
    if record is None or record.status == "not_started":
        return "not started"
    if words := skipped_or_unsure(record):
        return words
    if record.tier:
        name = tier_name(framework, record.tier)
        return name if record.status == "done" else f"{name} (in progress)"
    return "in progress" if record.status == "in_progress" else "reflected on"


def _label(framework: Framework, statement_id: str) -> str:
    return statement_label(framework, statement_id)


def profile_tables(session: Session, framework: Framework) -> list[Table]:
    """Per area in scope: each statement and where it stands, in words (two columns that wrap)."""
    scope = set(session.conversation.scope) or {s.id for s in framework.statements}
    tables: list[Table] = []
    for area in framework.areas:
        statements = [s for s in area.statements if s.id in scope]
        if not statements:
            continue
        table = profile_table(area.title)
        table.add_column(no_wrap=True)
        table.add_column(ratio=3)
        table.add_column(ratio=2)
        for statement in statements:
            state = state_in_words(session, framework, statement.id)
            table.add_row(str(statement.number), Text(statement.short), Text(state, style="bold"))
        tables.append(table)
    return tables


def priority_rows(session: Session, framework: Framework) -> list[tuple[str, str]]:
    """(where, the leader's words): each area's top priority, then what would move each
    statement on."""
    rows: list[tuple[str, str]] = []
    for area in session.areas:
        if area.top_priority:
            rows.append((f"{area_title(framework, area.area_id)}, top priority", area.top_priority))
    for record in session.statements:
        for answer in record.answers:
            if answer.kind in PRIORITY_KINDS:
                rows.append((_label(framework, record.statement_id), answer.text))
    return rows


def next_step_rows(session: Session, framework: Framework) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for record in session.statements:
        for step in record.next_steps:
            details = [
                f"who: {step.who}" if step.who else "",
                f"by when: {step.by_when}" if step.by_when else "",
            ]
            extra = "; ".join(d for d in details if d)
            rows.append(
                (
                    _label(framework, record.statement_id),
                    step.what.strip() + (f" ({extra})" if extra else ""),
                )
            )
    return rows


def items_table(rows: list[tuple[str, str]]) -> Table | Text:
    """Where, then the leader's words (literal text, never markup); every line of the words,
    wrapped or typed on a new line, starts under the first."""
    if not rows:
        return Text("  None recorded yet.")
    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=False)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for where, words in rows:
        table.add_row(Text(f"  {where}:", style="bold"), Text(words.strip()))
    return table


class SummaryScreen(View[None]):
    BINDINGS = [
        Binding("m", "export('md')", "Export Markdown", id="summary.md"),
        Binding("h", "export('html')", "Export HTML", id="summary.html"),
        Binding("c", "export('csv')", "Export CSV", id="summary.csv"),
        Binding("ctrl+t", "tiers", "Tiers", id="summary.tiers"),
    ]

    def __init__(self, session: Session, framework: Framework) -> None:
        super().__init__(classes="view")
        self.session = session
        self.framework = framework

    def compose(self):
        title = "Your reflection so far"
        if self.session.label:
            title += f": {self.session.label}"
        with Vertical(classes="dialog"):
            yield Static(Content.styled(title, "bold"), classes="view-title")
            about = [
                f"{name}: {value}"
                for name, value in (("Phase", self.session.phase), ("Role", self.session.role))
                if value.strip()
            ]
            if about:  # as the exports say it; plain text, since the leader typed it
                yield Static(Content(" · ".join(about)), id="summary-about", classes="explain")
            with VerticalScroll(id="summary-scroll"):
                yield Static(Content.styled("Profile", "bold underline"), classes="section")
                for table in profile_tables(self.session, self.framework):
                    yield Static(table, classes="profile")
                for title, rows in (
                    ("Priorities", priority_rows(self.session, self.framework)),
                    ("Next steps", next_step_rows(self.session, self.framework)),
                ):
                    yield Static(Content.styled(title, "bold underline"), classes="section")
                    yield Static(items_table(rows), classes=title.lower().replace(" ", "-"))
                yield Static(Content.styled("Export", "bold underline"), classes="section")
                with Horizontal(id="export-buttons"):
                    for fmt, label in FORMATS:
                        yield Button(label, id=f"export-{fmt}", compact=True)
                yield Static(Content(""), id="export-result")
            yield Static(
                Content("M, H or C exports (or Tab to a button and Enter) · Esc back to the chat"),
                classes="view-keys",
            )
        yield SteadyFooter(at_once=True)  # only the keys that fit

    def on_mount(self) -> None:
        self.query_one("#summary-scroll").focus()

    @on(Button.Pressed, "#export-buttons Button")
    def _export(self, event: Button.Pressed) -> None:
        self.action_export((event.button.id or "").removeprefix("export-"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tiers":
            from reflect_bot.app.screens.tiers import can_show_tiers

            return can_show_tiers(self)
        return True

    def action_tiers(self) -> None:
        from reflect_bot.app.screens.tiers import tiers_instead

        tiers_instead(self)

    def action_export(self, fmt: str) -> None:
        message = self.app.export_session(fmt)  # type: ignore[attr-defined]
        self.query_one("#export-result", Static).update(Content(message))
        # and where it is seen at once: the result line is at the foot of the summary
        if not message.startswith("Exported"):
            severity = "error"
        elif EXPORT_WARNING_START in message:
            severity = "warning"  # written, but it may hold personal details
        else:
            severity = "information"
        self.notify(message, title="Export", severity=severity, markup=False)
