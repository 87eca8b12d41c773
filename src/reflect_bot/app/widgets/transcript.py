"""The transcript: only the recent part of a conversation is mounted, earlier turns on request.

A session may hold thousands of messages, and every widget on the screen is laid out again each
time the chat changes: mounting them all would make opening and answering slow. The transcript
mounts about two screenfuls of the latest turns; as new steps arrive it drops the oldest ones
beyond `KEEP` screenfuls (and beyond `MAX_MOUNTED` messages however short); earlier turns come
back, two screenfuls at a time, from the button at the top, with Page Up at the top, or when the
leader scrolls to the very top.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from textual import events
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from reflect_bot.app.widgets.messages import (
    Framed,
    Message,
    bot_piece,
    leader_piece,
    messages_for,
)
from reflect_bot.session import Turn

SCREENFULS = 2  # how much is mounted on opening, and brought back each time, in screen heights
MAX_TURNS = 40  # and at most this many turns at once, however short they are
KEEP = 3  # screenfuls kept mounted below a new step
MAX_MOUNTED = 60  # and at most this many messages


def estimated_rows(text: str, width: int) -> int:
    """About how many rows a message takes at this width (with its header and the gap after)."""
    return 2 + sum(len(line) // width + 1 for line in text.split("\n"))


def messages_for_turns(turns: Sequence[Turn], start: int) -> list[Message | Framed]:
    """Consecutive turns of one speaker share one header; `start` is the first turn's index."""
    messages: list[Message | Framed] = []
    run_start = 0
    for offset, turn in enumerate(turns):
        if offset + 1 < len(turns) and turns[offset + 1].role == turn.role:
            continue
        run = turns[run_start : offset + 1]
        pieces = [bot_piece(t.text) if t.role == "bot" else leader_piece(t.text) for t in run]
        for message in messages_for(turn.role, pieces):  # type: ignore[arg-type]
            message.index = start + run_start
            messages.append(message)
        run_start = offset + 1
    return messages


class EarlierButton(Static):
    """The "Show earlier messages" line at the top of the transcript: click it (or press Page Up
    at the top). Styled like a flat button, but not a Button, which costs a long session's opening
    about ten milliseconds more; it never takes the focus, so it needs no keys of its own."""

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.press()

    def press(self) -> None:
        transcript = self.parent
        if isinstance(transcript, Transcript):
            transcript.show_earlier()


class Transcript(VerticalScroll):
    """The conversation so far. Never takes the focus: the answer box keeps it."""

    can_focus = False

    def __init__(self, turns: Callable[[], Sequence[Turn]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._turns = turns  # the session's whole transcript, read when earlier turns are asked for
        self._first = 0  # transcript index of the oldest turn mounted
        self._pending: list[Awaitable[None]] = []  # mounts and removals not finished yet
        self._opening: list[Message | Framed] = []  # composed with the transcript

    def open_with(self, upto: int, step: list[Message | Framed]) -> None:
        """Before the transcript is mounted: the latest turns before `upto` (when a session
        opens), then `step`, what the engine said on starting (from transcript index `upto`).
        They are part of the transcript as it is built, rather than mounted into it after."""
        self._first = self._start_before(upto)
        self._opening = messages_for_turns(self._turns()[self._first : upto], self._first)
        for message in step:
            message.index = upto
        self._opening += step

    def compose(self):
        button = EarlierButton(id="earlier")
        self._update_button(button)
        yield button
        yield from self._opening
        self._opening = []

    def on_mount(self) -> None:
        self.anchor()

    @property
    def first_index(self) -> int:
        return self._first

    def _start_before(self, end: int) -> int:
        """Where a window of about SCREENFULS screen heights of turns ending at `end` starts.
        The app's width is more than the transcript has, so the guess errs towards more."""
        turns = self._turns()
        width, height = max(20, self.app.size.width), max(10, self.app.size.height)
        start, rows = end, 0
        while start > 0 and rows < SCREENFULS * height and end - start < MAX_TURNS:
            start -= 1
            rows += estimated_rows(turns[start].text, width)
        return start

    def add_step(self, start: int, messages: list[Message | Framed]) -> None:
        """Add what one step produced; `start` is the transcript index it begins at. Steps more
        than KEEP screenfuls (or MAX_MOUNTED messages) above it are dropped."""
        for message in messages:
            message.index = start
        mounted = list(self.query_children(".msg"))
        self._pending.append(self.mount_all(messages))
        rows, room = 0, KEEP * (self.size.height or self.app.size.height)
        cut = len(mounted)  # the messages before `cut` go
        while cut > 0 and rows < room and len(mounted) - cut + len(messages) < MAX_MOUNTED:
            cut -= 1
            rows += mounted[cut].outer_size.height + 1
        while 0 < cut < len(mounted) and mounted[cut].index == mounted[cut - 1].index:
            cut -= 1  # whole steps only: keep the rest of a step that is partly kept
        if cut > 0:
            self._first = mounted[cut].index if cut < len(mounted) else start
            self._pending.append(self.remove_children(mounted[:cut]))
            self._update_button()
        self.anchor()  # a new step brings the view back to the latest message

    async def settled(self) -> None:
        """Until what was added or dropped is mounted or gone (one layout shows it all)."""
        while self._pending:
            await self._pending.pop(0)

    def show_earlier(self) -> None:
        if self._first <= 0:
            return
        start = self._start_before(self._first)
        messages = messages_for_turns(self._turns()[start : self._first], start)
        was_first = next(iter(self.query_children(".msg")), None)
        self._first = start
        self.mount_all(messages, after=self.query_one("#earlier"))
        self._update_button()
        self.release_anchor()
        if was_first is not None:
            # Keep the reader where they were; the earlier messages are just above.
            self.call_after_refresh(self.scroll_to_widget, was_first, top=True, animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value <= 0 < old_value and self._first > 0:
            self.show_earlier()  # scrolled to the very top: bring back the turns before

    def _update_button(self, button: EarlierButton | None = None) -> None:
        if button is None:
            button = self.query_one("#earlier", EarlierButton)
        button.display = self._first > 0
        button.update(Content(f"Show earlier messages ({self._first} more; or Page Up)"))
