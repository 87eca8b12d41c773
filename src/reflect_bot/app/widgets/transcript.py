"""The transcript: only the recent part of a conversation is mounted, earlier turns on request.

A session may hold thousands of messages; mounting them all would make opening and typing slow.
The transcript shows the last `WINDOW` turns, keeps at most `MAX_GROUPS` groups alive (dropping the
oldest as new ones arrive), and a button at the top brings back earlier turns a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button

from reflect_bot.app.widgets.messages import MessageBlock, bot_body, leader_body
from reflect_bot.session import Turn

WINDOW = 40  # turns shown when a session opens
PAGE = 40  # turns added by each "show earlier"
MAX_GROUPS = 120  # groups kept mounted before the oldest are dropped again


def blocks_for_turns(turns: Sequence[Turn]) -> list[MessageBlock]:
    """Consecutive turns of one speaker become one block with one header."""
    blocks: list[MessageBlock] = []
    run: list[Widget] = []
    role = ""
    for turn in turns:
        if turn.role != role and run:
            blocks.append(MessageBlock(role, *run))  # type: ignore[arg-type]
            run = []
        role = turn.role
        run.append(bot_body(turn.text) if turn.role == "bot" else leader_body(turn.text))
    if run:
        blocks.append(MessageBlock(role, *run))  # type: ignore[arg-type]
    return blocks


class Group(Vertical):
    """The widgets for one stretch of the transcript, starting at transcript index `start`."""

    DEFAULT_CSS = "Group { height: auto; }"

    def __init__(self, start: int, *children: Widget) -> None:
        super().__init__(*children, classes="group")
        self.start = start


class Transcript(VerticalScroll):
    """The conversation so far. Never takes the focus: the answer box keeps it."""

    can_focus = False

    def __init__(self, turns: Callable[[], Sequence[Turn]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._turns = turns  # the session's whole transcript, read when earlier turns are asked for
        self._first = 0  # transcript index of the oldest turn mounted

    def compose(self):
        button = Button("Show earlier messages", id="earlier", compact=True, flat=True)
        button.can_focus = False
        yield button

    def on_mount(self) -> None:
        self.anchor()

    @property
    def first_index(self) -> int:
        return self._first

    def show_recent(self, upto: int | None = None) -> None:
        """Mount the last WINDOW turns of the transcript before `upto` (when a session opens)."""
        turns = self._turns()
        end = len(turns) if upto is None else upto
        self._first = max(0, end - WINDOW)
        if self._first < end:
            self.mount(Group(self._first, *blocks_for_turns(turns[self._first : end])))
        self._update_button()

    def add_group(self, start: int, *widgets: Widget) -> Group:
        """Add what one step produced; `start` is the transcript index it begins at."""
        group = Group(start, *widgets)
        self.mount(group)
        groups = list(self.query_children(Group))
        if len(groups) > MAX_GROUPS:
            for old in groups[: len(groups) - MAX_GROUPS]:
                old.remove()
            self._first = groups[len(groups) - MAX_GROUPS].start
            self._update_button()
        self.anchor()  # a new step brings the view back to the latest message
        return group

    def show_earlier(self) -> None:
        turns = self._turns()
        if self._first <= 0:
            return
        start = max(0, self._first - PAGE)
        group = Group(start, *blocks_for_turns(turns[start : self._first]))
        was_first = next(iter(self.query_children(Group)), None)
        self._first = start
        self.mount(group, after=self.query_one("#earlier"))
        self._update_button()
        self.release_anchor()
        if was_first is not None:
            # Keep the reader where they were; the earlier messages are just above.
            self.call_after_refresh(self.scroll_to_widget, was_first, top=True, animate=False)

    def _update_button(self) -> None:
        button = self.query_one("#earlier", Button)
        button.display = self._first > 0
        button.label = Content(f"Show earlier messages ({self._first} more; or Page Up)")

    @on(Button.Pressed, "#earlier")
    def _earlier(self, event: Button.Pressed) -> None:
        event.stop()
        self.show_earlier()
