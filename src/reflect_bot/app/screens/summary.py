"""Summary: the tier profile across the statements in scope, priorities, next steps, export."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static

from reflect_bot.app.screens.view import View
from reflect_bot.framework import Framework
from reflect_bot.session import Session

FORMATS = (("md", "Markdown"), ("html", "HTML page"), ("csv", "Action plan (CSV)"))
PRIORITY_KINDS = ("next_tier", "sustain_share")  # the leader's own words on what would move them


def state_in_words(session: Session, framework: Framework, statement_id: str) -> str:
    record = session.find_record(statement_id)
    if record is None or record.status == "not_started":
        return "not reflected on yet"
    if record.status == "skipped":
        return "skipped"
    if record.not_sure:
        return "not sure yet"
    if record.tier:
        name = framework.tier(record.tier).name
        return name if record.status == "done" else f"{name} (in progress)"
    return "in progress" if record.status == "in_progress" else "reflected on"


def _label(framework: Framework, statement_id: str) -> str:
    if not framework.has_statement(statement_id):
        return statement_id
    statement = framework.statement(statement_id)
    return f"{framework.area(statement.area_id).short_title} {statement.number}"


def profile_tables(session: Session, framework: Framework) -> list[Table]:
    """Per area in scope: each statement and where it stands, in words (two columns that wrap)."""
    scope = set(session.conversation.scope) or {s.id for s in framework.statements}
    tables: list[Table] = []
    for area in framework.areas:
        statements = [s for s in area.statements if s.id in scope]
        if not statements:
            continue
        table = Table(
            title=Text(area.title, style="bold"),
            title_justify="left",
            box=None,
            show_header=False,
            padding=(0, 2, 0, 0),
        )
        table.add_column(no_wrap=True)
        table.add_column(ratio=3)
        table.add_column(ratio=2)
        for statement in statements:
            state = state_in_words(session, framework, statement.id)
            table.add_row(str(statement.number), Text(statement.short), Text(state, style="bold"))
        tables.append(table)
    return tables


def priority_lines(session: Session, framework: Framework) -> list[Content]:
    lines: list[Content] = []
    for area in session.areas:
        if area.top_priority:
            title = framework.area(area.area_id).short_title
            lines.append(
                Content.assemble(
                    Content.styled(f"  {title}, top priority: ", "bold"), Content(area.top_priority)
                )
            )
    for record in session.statements:
        for answer in record.answers:
            if answer.kind in PRIORITY_KINDS:
                lines.append(
                    Content.assemble(
                        Content.styled(f"  {_label(framework, record.statement_id)}: ", "bold"),
                        Content(answer.text),
                    )
                )
    return lines


def next_step_lines(session: Session, framework: Framework) -> list[Content]:
    lines: list[Content] = []
    for record in session.statements:
        for step in record.next_steps:
            details = [
                f"who: {step.who}" if step.who else "",
                f"by when: {step.by_when}" if step.by_when else "",
            ]
            extra = "; ".join(d for d in details if d)
            lines.append(
                Content.assemble(
                    Content.styled(f"  {_label(framework, record.statement_id)}: ", "bold"),
                    Content(step.what),
                    Content(f" ({extra})" if extra else ""),
                )
            )
    return lines


class SummaryScreen(View[None]):
    BINDINGS = [
        Binding("m", "export('md')", "Export Markdown", id="summary.md"),
        Binding("h", "export('html')", "Export HTML", id="summary.html"),
        Binding("c", "export('csv')", "Export CSV", id="summary.csv"),
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
            with VerticalScroll(id="summary-scroll"):
                yield Static(Content.styled("Profile", "bold underline"), classes="section")
                for table in profile_tables(self.session, self.framework):
                    yield Static(table, classes="profile")
                for title, lines in (
                    ("Priorities", priority_lines(self.session, self.framework)),
                    ("Next steps", next_step_lines(self.session, self.framework)),
                ):
                    yield Static(Content.styled(title, "bold underline"), classes="section")
                    yield Static(
                        Content("\n").join(lines) if lines else Content("  None recorded yet.")
                    )
                yield Static(Content.styled("Export", "bold underline"), classes="section")
                with Horizontal(id="export-buttons"):
                    for fmt, label in FORMATS:
                        yield Button(label, id=f"export-{fmt}", compact=True)
                yield Static(Content(""), id="export-result")
            yield Static(
                Content("M, H or C exports (or Tab to a button and Enter) · Esc back to the chat"),
                classes="view-keys",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-scroll").focus()

    @on(Button.Pressed, "#export-buttons Button")
    def _export(self, event: Button.Pressed) -> None:
        self.action_export((event.button.id or "").removeprefix("export-"))

    def action_export(self, fmt: str) -> None:
        message = self.app.export_session(fmt)  # type: ignore[attr-defined]
        self.query_one("#export-result", Static).update(Content(message))
