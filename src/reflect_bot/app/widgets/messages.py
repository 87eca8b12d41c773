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
from typing import Literal, cast

from rich.console import RenderableType
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

Role = Literal["bot", "leader", "note"]
HEADERS = {"bot": "reflect-bot", "leader": "You", "note": ""}

# Markdown worth rendering: emphasis, bullets, headings, code, quotes, backslash escapes (how
# the leader's words are quoted; numbered lines read well as they are). Plain sentences skip the
# Markdown parser altogether (faster, and nothing in them can turn into something else).
_MARKDOWN_HINT = re.compile(
    r"(\*\*|__|\*[^\s*]|`|^\s{0,3}[-*+]\s|^#{1,6}\s|^>|\\[!-/:-@\[-`{-~])", re.M
)

# What the bot's Markdown nearly always is: paragraphs and "- " lists (a template's list, often
# quoting the leader's words). Such text is laid out here (`Bulleted`) rather than by rich's
# Markdown, whose import and parser cost tens of milliseconds when a long session is resumed.
# Anything else Markdown would read differently goes to rich's Markdown, so nothing changes
# meaning: emphasis, code, links, entities, HTML, tables, hard line breaks... A backslash before
# punctuation (how the leader's words are quoted) makes it plain text, as in Markdown.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_NOT_PLAIN = re.compile(
    r"[*_`~<|\r\0]|\]\(|\]\[|\\(?:[!-/:-@\[-`{-~]|$)"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});"
    r"|^[^\S\n]*[^\S \t\n]|[^\S \t\n][^\S\n]*$",  # other spaces (no-break...) at an end
    re.M,
)
# A hard line break written as Markdown's backslash at the end of a line (how the bot keeps the
# line breaks in the leader's words, a top priority say), not itself escaped and with more of
# the block after it: marked with a private-use character for `markdown_blocks`.
_HARD_BREAK = re.compile(r"(?<!\\)((?:\\\\)*)\\\n(?=[ \t]*\S)")
_BREAK = "\ue000"
# ...and lines that begin some other block: indented, headings, quotes, rules, other lists.
_BLOCK_START = re.compile(r"[ \t]|#{1,6}(?:[ \t]|$)|[>=+\[-]|[0-9]{1,9}[.)]")


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
        blocks = markdown_blocks(text)
        if blocks is not None:
            return Piece(Bulleted(blocks))
        from rich.markdown import Markdown  # only when a message needs it

        return Piece(Markdown(text, hyperlinks=False))
    return Piece(Content(text))


def markdown_blocks(text: str) -> list[str | list[str]] | None:
    """Markdown made only of paragraphs and tight "- " lists, as Markdown reads it: each
    paragraph's text, or each list's items (lines joined by spaces, or by a line break after a
    backslash ending a line); None for anything else."""
    text = _HARD_BREAK.sub(lambda m: m.group(1) + _BREAK + "\n", text)
    if _NOT_PLAIN.search(_ESCAPE.sub("", text)):
        return None
    blocks: list[str | list[str]] = []
    lines = text.split("\n")
    last = len(lines) - 1
    open_block = ""  # "paragraph", "list", or "" at the start and after a blank line
    joint = " "  # how the next line of the open paragraph or item joins it
    for number, raw in enumerate(lines):
        if not raw.strip(" \t"):
            open_block = ""
            continue
        broken = raw.endswith(_BREAK)
        raw = raw.removesuffix(_BREAK)
        line = raw.rstrip(" ")
        if line.endswith("\t") or (number < last and raw.endswith("  ")):  # a hard line break
            return None
        indented = line.startswith(" ")
        if indented and open_block:  # more of the open paragraph or item
            line = line.lstrip(" ")
        is_item = not indented and line.startswith("- ")
        words = line[2:] if is_item else line
        if _BLOCK_START.match(words):
            return None
        words = _ESCAPE.sub(r"\1", words)
        if is_item and joint == "\n":  # a backslash ending the block before is its own
            if isinstance(blocks[-1], list):
                blocks[-1][-1] += "\\"
            else:
                blocks[-1] += "\\"
        if is_item:
            if open_block == "list":
                cast(list, blocks[-1]).append(words)
            elif not open_block and blocks and isinstance(blocks[-1], list):
                return None  # a list with blank lines between its items (a "loose" list)
            else:
                blocks.append([words])
            open_block = "list"
        elif open_block == "list":  # an item's next line (indented or not, it is the item's)
            items = cast(list, blocks[-1])
            items[-1] += joint + words
        elif open_block == "paragraph":
            blocks[-1] += joint + words
        else:
            blocks.append(words)
            open_block = "paragraph"
        joint = "\n" if broken else " "
    return blocks


class Bulleted(Visual):
    """Paragraphs and bullet lists: a blank line between blocks, each item wrapped beside its
    bullet. Laid out by Content, like every other message."""

    BULLET = Content.styled(" • ", "bold $text-warning")
    INDENT = 3  # the bullet's width

    def __init__(self, blocks: list[str | list[str]]) -> None:
        # (indent, content) per paragraph or item; None between blocks
        self._rows: list[tuple[int, Content] | None] = []
        for number, block in enumerate(blocks):
            if number:
                self._rows.append(None)
            if isinstance(block, str):
                self._rows.append((0, Content(block)))
            else:
                self._rows += [(self.INDENT, Content(item)) for item in block]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        widths = [
            indent + content.get_optimal_width(rules, container_width - indent)
            for indent, content in filter(None, self._rows)
        ]
        return max(widths, default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(
            1 if row is None else row[1].get_height(rules, max(1, width - row[0]))
            for row in self._rows
        )

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        bullet = self.BULLET.render_strips(self.INDENT, 1, style, options)[0]
        padding = Strip.blank(self.INDENT, style.rich_style)
        for row in self._rows:
            if row is None:
                strips.append(Strip([]))
                continue
            indent, content = row
            lines = content.render_strips(max(1, width - indent), None, style, options)
            if indent:
                lines = [
                    Strip.join([padding if n else bullet, line]) for n, line in enumerate(lines)
                ]
            strips += lines
        return strips[:height] if height is not None else strips


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
