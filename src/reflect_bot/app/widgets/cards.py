"""Case study cards and tier profiles, as they appear in the transcript and in views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from reflect_bot.app.widgets.messages import Piece
from reflect_bot.replies import CaseStudyCard, Profile, ProfileRow

if TYPE_CHECKING:
    from rich.table import Table


def card_content(card: CaseStudyCard, number: int = 0) -> Content:
    """Title, summary and why it was suggested; whether it is saved, in words. The number is
    what the leader types to save it."""
    saved = Content.styled("  (saved to follow up)", "italic") if card.saved else Content("")
    return Content.assemble(
        Content.styled(f"Case study {number}: " if number else "Case study: ", "bold"),
        Content.styled(card.title, "bold"),
        saved,
        "\n",
        Content(card.summary),
        "\n",
        Content.styled("Why: ", "italic"),
        Content(card.reason),
    )


def case_card(card: CaseStudyCard, number: int = 0) -> Static:
    return Static(
        card_content(card, number), classes="body card" + (" -saved" if card.saved else "")
    )


def card_piece(card: CaseStudyCard, number: int = 0) -> Piece:
    """A case study card in the transcript."""
    return Piece(card_content(card, number), "card -saved" if card.saved else "card")


def row_state(row: ProfileRow) -> str:
    if row.status == "skipped":
        return "skipped"
    if row.tier_name:
        return row.tier_name + (" (in progress)" if row.status == "in_progress" else "")
    return {"in_progress": "in progress", "not_started": "not started"}.get(
        row.status, "reflected on"
    )


def profile_table(title: str) -> Table:
    """A table for a tier profile under a bold title, with no header or borders; the caller adds
    the columns."""
    from rich.table import Table
    from rich.text import Text

    return Table(
        title=Text(title, style="bold"),
        title_justify="left",
        box=None,
        show_header=False,
        padding=(0, 2, 0, 0),
    )


def profile_piece(profile: Profile) -> Piece:
    """A tier profile: one row per statement, the tier in words."""
    from rich.text import Text

    table = profile_table(profile.title)
    table.add_column(ratio=3)
    table.add_column(ratio=2)
    for row in profile.rows:
        table.add_row(Text(row.short), Text(row_state(row), style="bold"))
    return Piece(table, "profile")
