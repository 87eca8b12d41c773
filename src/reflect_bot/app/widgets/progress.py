"""The progress sidebar: each area, then its statements with their state in words."""

from __future__ import annotations

import textwrap

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.css.scalar import Unit
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reflect_bot.app.names import skipped_or_unsure, tier_name
from reflect_bot.framework import Framework, Statement
from reflect_bot.session import Session

NOT_IN_PLAN = "not in today's plan"


def statement_state(session: Session, framework: Framework, statement_id: str) -> str:
    """A statement's state as a leader would say it, never by colour alone; the sidebar and the
    "go to" list use the same words."""
    record = session.find_record(statement_id)
    status = "not_started" if record is None else record.status
    scope = session.conversation.scope
    if status == "not_started" and scope and statement_id not in scope:
        return NOT_IN_PLAN
    if record is None:
        return "not started"
    if words := skipped_or_unsure(record):
        return words
    if record.tier:
        return tier_name(framework, record.tier, short=True)
    return {"not_started": "not started", "in_progress": "in progress", "done": "reflected on"}.get(
        record.status, record.status.replace("_", " ")
    )


class ProgressSidebar(OptionList):
    """Areas and statements. Selecting a statement asks the engine to go there; Escape goes
    back to the answer box."""

    # Shown in the footer while the list has focus: the keys a leader needs in it.
    BINDINGS = [
        Binding("enter", "select", "Go to", id="progress.go"),
        Binding("escape", "back", "Back to answer", id="progress.back"),
    ]

    class Back(Message):
        """Escape in the list: the leader wants the answer box again."""

    def __init__(self, framework: Framework, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.framework = framework
        self.border_title = "Progress"
        self._shown: dict[str, tuple[str, bool, int]] = {}  # statement id: (state, current, width)

    def refresh_from(self, session: Session) -> None:
        """Show each statement's state. Only what changed is redrawn: most answers change
        nothing here, and then the list is left alone."""
        current = session.conversation.statement_id
        width = self.scrollable_content_region.width or self._styled_width()
        shown = {
            statement.id: (
                statement_state(session, self.framework, statement.id),
                statement.id == current,
                width,
            )
            for statement in self.framework.statements
        }
        if shown == self._shown:
            return
        if not self._shown or any(key[2] != width for key in self._shown.values()):
            self._set_all(shown)
        else:
            for statement in self.framework.statements:
                if shown[statement.id] != self._shown[statement.id]:
                    self.replace_option_prompt(statement.id, self._label(statement, shown))
        self._shown = shown
        if current in shown:
            self.highlighted = self.get_option_index(current)

    def _styled_width(self) -> int:
        """Before the list is first laid out: the width its rules give it, inside the border."""
        width = self.styles.width
        if width is not None and width.unit == Unit.CELLS:
            return int(width.value) - self.styles.gutter.width
        return 34

    def action_back(self) -> None:
        self.post_message(self.Back())

    def on_resize(self, event: events.Resize) -> None:
        """Wrapped again for the new width: lines wrapped for a wider list would wrap a second
        time ("and" alone on a line), the first time it opens after the terminal narrows."""
        width = self.scrollable_content_region.width
        if width and self._shown and any(key[2] != width for key in self._shown.values()):
            self._shown = {
                sid: (state, current, width) for sid, (state, current, _) in self._shown.items()
            }
            self._set_all(self._shown)

    def _label(self, statement: Statement, shown: dict[str, tuple[str, bool, int]]) -> Content:
        state, is_current, width = shown[statement.id]
        marker = "▶ " if is_current else "  "
        # Wrapped by hand so that continuation lines keep their indent.
        lines = textwrap.wrap(statement.short, width=max(12, width - 6))
        return Content.assemble(
            marker,
            Content.styled(f"{statement.number} ", "bold"),
            Content("\n    ".join(lines)),
            "\n    ",
            Content.styled(state + (" · current" if is_current else ""), "italic"),
        )

    def _set_all(self, shown: dict[str, tuple[str, bool, int]]) -> None:
        keep = self.highlighted
        options: list[Option] = []
        for area in self.framework.areas:
            options.append(Option(Content.styled(area.short_title, "bold"), disabled=True))
            for statement in area.statements:
                options.append(Option(self._label(statement, shown), id=statement.id))
        self.set_options(options)
        if keep is not None and keep < len(options):
            self.highlighted = keep
