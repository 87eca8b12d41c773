"""The progress sidebar: each area, then its statements with their state in words."""

from __future__ import annotations

import textwrap

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reflect_bot.app.names import skipped_or_unsure, tier_name
from reflect_bot.framework import Framework
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
    """Areas and statements. Selecting a statement asks the engine to go there."""

    def __init__(self, framework: Framework, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.framework = framework
        self.border_title = "Progress"

    def refresh_from(self, session: Session) -> None:
        current = session.conversation.statement_id
        width = self.scrollable_content_region.width or 34
        options: list[Option] = []
        highlight: int | None = None
        for area in self.framework.areas:
            options.append(Option(Content.styled(area.short_title, "bold"), disabled=True))
            for statement in area.statements:
                state = statement_state(session, self.framework, statement.id)
                marker = "▶ " if statement.id == current else "  "
                # Wrapped by hand so that continuation lines keep their indent.
                lines = textwrap.wrap(statement.short, width=max(12, width - 6))
                label = Content.assemble(
                    marker,
                    Content.styled(f"{statement.number} ", "bold"),
                    Content("\n    ".join(lines)),
                    "\n    ",
                    Content.styled(state + (" · current" if marker.strip() else ""), "italic"),
                )
                if statement.id == current:
                    highlight = len(options)
                options.append(Option(label, id=statement.id))
        keep = self.highlighted
        self.set_options(options)
        if highlight is not None:
            self.highlighted = highlight
        elif keep is not None and keep < len(options):
            self.highlighted = keep
