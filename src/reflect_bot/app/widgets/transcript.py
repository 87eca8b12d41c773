"""The transcript: only the recent part of a conversation is mounted, earlier turns on request.

A session may hold thousands of messages, and every widget on the screen is laid out again each
time the chat changes: mounting them all would make opening and answering slow. The transcript
mounts about two screenfuls of the latest turns; as new steps arrive it drops the oldest ones
beyond `KEEP` screenfuls (and beyond `MAX_MOUNTED` messages however short); earlier turns come
back, two screenfuls at a time, from the button at the top, with Page Up at the top, or when the
leader scrolls to the very top.

Earlier turns go in above what the leader is reading, and their heights are known only as they
are laid out (a long answer's only once its styles apply, a layout or two after it is mounted).
So after bringing them back the transcript holds the view to the message at its top: each time
the messages are laid out, the view goes to where that message now is, in the same layout, before
anything is drawn. Page Up and Page Down pressed before the earlier turns are laid out count from
that message, so each moves a page through the conversation, in order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from textual import events
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region, Size
from textual.layout import DockArrangeResult
from textual.widget import Widget
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
        # Holding the view to the content after earlier turns are brought back (see the module's
        # notes): a message and how far below its top the view is (negative when above it); the
        # earlier messages not yet laid out with their styles; where the messages were last laid
        # out (relative to the top of the content).
        self._hold: tuple[Widget, float] | None = None
        self._unplaced: set[Widget] = set()
        self._placed: dict[Widget, Region] = {}
        self._scrolling = False  # the transcript is moving the view itself

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
        self._hold = None  # the view goes to the latest message
        self._unplaced.clear()
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

    def redraw(self, end: int) -> None:
        """The turns shown before transcript index `end` drawn again from the transcript, after
        it changed under them (personal details the leader chose to retype, removed)."""
        shown = list(self.query_children(".msg"))
        messages = messages_for_turns(self._turns()[self._first : end], self._first)
        self._hold = None
        self._unplaced.clear()
        self._pending.append(self.remove_children(shown))
        self._pending.append(self.mount_all(messages))
        self.anchor()

    async def settled(self) -> None:
        """Until what was added or dropped is mounted or gone (one layout shows it all)."""
        while self._pending:
            await self._pending.pop(0)

    @property
    def loading(self) -> bool:
        """Whether earlier turns brought back are still to be laid out with their styles."""
        return bool(self._unplaced)

    def show_earlier(self) -> None:
        """Bring back the turns before the oldest mounted, above it; the view stays on what the
        leader is reading (and the latest message is no longer kept in view)."""
        if self._first <= 0 or self.loading:
            return
        start = self._start_before(self._first)
        messages = messages_for_turns(self._turns()[start : self._first], start)
        self._first = start
        self.release_anchor()
        if self._hold is None:
            self._hold = self._reading(self.scroll_y)
        self._unplaced = set(messages)
        self.mount_all(messages, after=self.query_one("#earlier"))
        self._update_button()

    def page(self, direction: int) -> None:
        """Page Up (-1) or Page Down (1): a page through the conversation, earlier turns brought
        back when Page Up goes past the top. Once they are, the view is held to the message it
        was on; keys pressed before they are laid out count from that message, so each moves a
        page, in order, and none is lost."""
        rows = direction * self.scrollable_content_region.height
        hold = self._hold if self._hold is not None and self._hold[0] in self._placed else None
        if hold is None:
            target = self.scroll_target_y + rows
            reading = self._reading(self.scroll_target_y)
            if target < 0 and self._first > 0 and reading is not None:  # to be held from here
                widget = reading[0]
                hold = (widget, self.scroll_target_y - self._placed[widget].y)
        if hold is not None:
            widget, below = hold[0], hold[1] + rows
            target = self._placed[widget].y + below
            self._hold = (widget, below)
        self._scrolling = True
        try:
            self.scroll_to(y=target, animate=False, immediate=True)
        finally:
            self._scrolling = False
        if target < 0 and self._first > 0:
            self.show_earlier()  # (unless they are still coming: the page is kept for them)
        elif self._hold is not None and not self.loading:
            self._hold_from(self.scroll_y)

    def _hold_from(self, y: float) -> None:
        """Hold the view to what is at its top now; not at the latest message, which Textual
        keeps in view by itself."""
        self._hold = None if y >= self.max_scroll_y else self._reading(y)

    def _reading(self, y: float) -> tuple[Widget, float] | None:
        """The message at the top of the view when it is `y` rows down, and how far into it
        (from its top when the view starts above it, on the button)."""
        for widget, region in self._placed.items():
            if widget.has_class("msg") and region.bottom > y:
                return widget, max(0.0, y - region.y)
        return None

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        """The messages' places, as Textual lays them out; while the view is held, it goes
        where the message it is held to now is, before anything is drawn (as Textual keeps an
        anchored view at the bottom)."""
        result = super().arrange(size, optimal)
        if optimal:
            return result
        self._placed = {p.widget: p.region for p in result.placements}
        if self._unplaced:
            self._unplaced -= {w for w in self._placed if w.is_mounted}
        hold = self._hold
        if hold is not None and hold[0] in self._placed:
            height = result.spatial_map.total_region.bottom
            top = self._placed[hold[0]].y
            y = min(max(0, round(top + hold[1])), max(0, height - size.height))
            if not self._unplaced:  # all laid out: what could not be reached is let go
                self._hold = (hold[0], y - top)
            if y != self.scroll_y:
                if self.app.animator.is_being_animated(self, "scroll_y"):
                    self._scrolling = True  # (an animation would go on in the old layout)
                    try:
                        self.app.animator.force_stop_animation(self, "scroll_y")
                    finally:
                        self._scrolling = False
                self.set_reactive(Widget.scroll_y, y)
                self.set_reactive(Widget.scroll_target_y, y)
                self.vertical_scrollbar._reactive_position = y  # as Textual does for an anchor
        return result

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._hold is not None and not self._scrolling:
            self._hold_from(new_value)  # scrolled some other way: held from there
        if new_value <= 0 < old_value and self._first > 0:
            self.show_earlier()  # scrolled to the very top: bring back the turns before

    def _update_button(self, button: EarlierButton | None = None) -> None:
        if button is None:
            button = self.query_one("#earlier", EarlierButton)
        button.display = self._first > 0
        button.update(Content(f"Show earlier messages ({self._first} more; or Page Up)"))
