"""How one piece of the conversation looks: the bot's words, the leader's words, quotes, cards.

Every piece is a single widget (`Message`; a quote, card or warning has its frame inside the
speaker's bar, so two), and the speaker's name is the first line of the first piece of a turn
rather than a widget of its own: a reply adds a few widgets to the screen, not a tree of
containers, so laying the chat out again stays cheap.

The leader's text is always shown as plain `Content`: never parsed as markup or Markdown, so
`[bold]`, `[/` and `[link=...]` appear exactly as typed and no link can open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rich.console import RenderableType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

Role = Literal["bot", "leader", "note"]
HEADERS = {"bot": "reflect-bot", "leader": "You", "note": ""}

# Markdown worth rendering: emphasis, bullets, headings, code, quotes (numbered lines read well
# as they are). Plain sentences skip the
# Markdown parser altogether (faster, and nothing in them can turn into something else).
_MARKDOWN_HINT = re.compile(r"(\*\*|__|\*[^\s*]|`|^\s{0,3}[-*+]\s|^#{1,6}\s|^>)", re.M)


@dataclass(frozen=True)
class Piece:
    """What one message shows, and how it is framed: "" (plain), "quote", "card", "warning",
    "profile" (and "-saved" for a saved card)."""

    visual: Content | RenderableType
    kind: str = ""


FRAMED = ("quote", "card", "warning")  # kinds with a frame of their own inside the bar


class Message(Static):
    """One piece of the transcript. `index` is where the step it belongs to starts in the
    session's transcript (the transcript widget uses it to drop and restore whole steps)."""

    def __init__(self, visual: Content | RenderableType, role: Role, classes: str = "") -> None:
        super().__init__(visual, classes=f"msg {role} {classes}".strip())
        self.role = role
        self.index = 0


class Framed(Vertical):
    """A quote, a card or a warning: the speaker's bar, and inside it the piece's own frame."""

    DEFAULT_CSS = "Framed { height: auto; }"

    def __init__(
        self, visual: Content | RenderableType, role: Role, kind: str, classes: str = ""
    ) -> None:
        super().__init__(Static(visual, classes=f"body {kind}"), classes=f"msg {role} {classes}")
        self.role = role
        self.index = 0


def messages_for(role: Role, pieces: list[Piece]) -> list[Message | Framed]:
    """One turn of one speaker: its pieces, the first headed with who is speaking.

    The header joins the first piece when that is plain text; before a quote, a card or
    Markdown it stays a line of its own, so the framing below it is unchanged.
    """
    header = HEADERS[role]
    messages: list[Message | Framed] = []
    last = len(pieces) - 1
    for number, piece in enumerate(pieces):
        visual = piece.visual
        if number == 0 and header:
            title = Content.styled(header, "bold $text 60%")  # as $text-muted
            if piece.kind == "" and isinstance(visual, Content):
                visual = Content.assemble(title, "\n", visual)
            else:
                messages.append(Message(title, role, "who"))
        # Classes given at once: changing them later restyles the widget each time.
        gaps = ("-more " if number > 0 else "") + ("-end" if number == last else "")
        if piece.kind.split(" ")[0] in FRAMED:
            messages.append(Framed(visual, role, piece.kind, gaps))
        else:
            messages.append(Message(visual, role, f"{piece.kind} {gaps}"))
    return messages


def bot_piece(text: str) -> Piece:
    """The bot's own words: Markdown where it has any, shown without live links."""
    if _MARKDOWN_HINT.search(text):
        from rich.markdown import Markdown  # only when a message needs it

        return Piece(Markdown(text, hyperlinks=False))
    return Piece(Content(text))


def leader_piece(text: str) -> Piece:
    return Piece(Content(text))


def quote_piece(text: str, source: str) -> Piece:
    """Framework text quoted exactly, with where it comes from."""
    return Piece(Content.assemble(Content.styled(source, "bold"), "\n", Content(text)), "quote")


def tone_piece(text: str, tone: str) -> Piece:
    """A note or warning from the bot: said in words, not by colour alone."""
    label = {"note": "Note: ", "warning": "Important: "}.get(tone, "")
    if label:
        kind = "warning" if tone == "warning" else ""
        return Piece(Content.assemble(Content.styled(label, "bold"), Content(text)), kind)
    return bot_piece(text)
