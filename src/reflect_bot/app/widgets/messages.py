"""How one piece of the conversation looks: the bot's words, the leader's words, quotes, cards.

The leader's text is always shown as plain `Content`: never parsed as markup or Markdown, so
`[bold]`, `[/` and `[link=...]` appear exactly as typed and no link can open.
"""

from __future__ import annotations

import re
from typing import Literal

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

# Markdown worth rendering: emphasis, bullets, headings, code, quotes (numbered lines read well
# as they are). Plain sentences skip the
# Markdown parser altogether (faster, and nothing in them can turn into something else).
_MARKDOWN_HINT = re.compile(r"(\*\*|__|\*[^\s*]|`|^\s{0,3}[-*+]\s|^#{1,6}\s|^>)", re.M)


def bot_body(text: str) -> Static:
    """The bot's own words: Markdown where it has any, shown without live links."""
    if _MARKDOWN_HINT.search(text):
        from rich.markdown import Markdown  # only when a message needs it

        return Static(Markdown(text, hyperlinks=False), classes="body")
    return Static(Content(text), classes="body")


def leader_body(text: str) -> Static:
    return Static(Content(text), classes="body")


class MessageBlock(Widget):
    """One turn of one speaker: a header with who is speaking, then the body widgets."""

    DEFAULT_CSS = """
    MessageBlock { height: auto; }
    """

    def __init__(
        self, role: Literal["bot", "leader", "note"], *bodies: Widget, header: str = ""
    ) -> None:
        super().__init__(classes=f"msg {role}")
        self.role = role
        self._bodies = bodies
        self._header = header or {"bot": "reflect-bot", "leader": "You", "note": ""}[role]

    def compose(self):
        if self._header:
            yield Static(Content.styled(self._header, "bold"), classes="who")
        for index, body in enumerate(self._bodies):
            body.set_class(index == 0, "-first")
            yield body


def quote_body(text: str, source: str) -> Static:
    """Framework text quoted exactly, with where it comes from."""
    return Static(
        Content.assemble(Content.styled(source, "bold"), "\n", Content(text)),
        classes="body quote",
    )


def tone_body(text: str, tone: str) -> Static:
    """A note or warning from the bot: said in words, not by colour alone."""
    label = {"note": "Note: ", "warning": "Important: "}.get(tone, "")
    if label:
        return Static(
            Content.assemble(Content.styled(label, "bold"), Content(text)),
            classes=f"body {tone}",
        )
    return bot_body(text)
