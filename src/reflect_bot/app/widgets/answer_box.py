"""The answer box: a multi-line text area where Enter sends and Ctrl+J starts a new line."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR (Word, Windows pastes) become LF, the one line ending sessions keep."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class AnswerBox(TextArea):
    """Where the leader writes. Enter sends; Ctrl+J (or Shift/Alt+Enter where the terminal
    reports them) inserts a new line; a paste goes in whole, however many lines it has."""

    # Shown in the footer. The keys themselves are handled in `_on_key`, in the order they were
    # typed: a binding would run as soon as Enter arrives, ahead of letters typed just before it.
    BINDINGS = [
        Binding("enter", "send", "Send", id="answer.send"),
        Binding("ctrl+j", "newline", "New line", id="answer.newline"),
    ]
    # Ctrl+J sends a line feed in every terminal (Windows Terminal, macOS Terminal, iTerm, tmux),
    # so it always works. Shift+Enter and Alt+Enter only where the terminal reports them apart
    # from Enter (the kitty keyboard protocol); elsewhere they arrive as Enter and send.
    NEWLINE_KEYS = frozenset({"ctrl+j", "newline", "shift+enter", "alt+enter"})

    class Sent(Message):
        """The leader pressed Enter with something in the box."""

        def __init__(self, box: AnswerBox, text: str) -> None:
            super().__init__()
            self.box = box
            self.text = text

        @property
        def control(self) -> AnswerBox:
            return self.box

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            highlight_cursor_line=False,
            placeholder=placeholder,
            compact=True,
        )

    def on_mount(self) -> None:
        # A blinking cursor is only noise when nobody is watching (tests, snapshots).
        self.cursor_blink = not self.app.is_headless

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_send()
        elif event.key in self.NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_newline()
        else:
            await super()._on_key(event)

    def action_send(self) -> None:
        """Empty the box and hand its text on: what is typed next goes into a fresh box.
        An empty answer is sent too (the bot's optional questions say "press Enter to leave it
        blank"; the engine never records an empty answer)."""
        text = normalise_newlines(self.text)
        self.clear()
        # Straight to the screen: it shows the reply in one frame with the emptied box.
        self.screen.post_message(self.Sent(self, text))

    def restore(self, text: str) -> None:
        """Put back an answer that could not be handled, before anything typed since."""
        self.insert(text, (0, 0))

    def action_newline(self) -> None:
        start, end = self.selection
        result = self.replace("\n", start, end)
        self.move_cursor(result.end_location)

    async def _on_paste(self, event: events.Paste) -> None:
        # The whole paste goes in as text: its line breaks are never taken as Enter.
        event.stop()
        event.prevent_default()
        if self.read_only:
            return
        start, end = self.selection
        result = self.replace(normalise_newlines(event.text), start, end)
        self.move_cursor(result.end_location)
        self.focus()
