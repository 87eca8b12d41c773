"""Tier comparison: the statement, then its three descriptors; 1, 2, 3 or ? to choose."""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from reflect_bot.app.screens.view import View
from reflect_bot.app.widgets.footer import SteadyFooter
from reflect_bot.app.widgets.tiers import TierComparisonView
from reflect_bot.framework import Framework
from reflect_bot.replies import TierComparison

if TYPE_CHECKING:
    from textual.screen import Screen


def _beneath(view: Screen) -> Screen | None:
    """The nearest screen under `view` that shows the tiers: the chat, or the comparison."""
    app = view.app
    chat = getattr(app, "chat", None)
    stack = app.screen_stack
    if view not in stack:
        return None
    for screen in reversed(stack[: stack.index(view)]):
        if screen is chat or isinstance(screen, TierScreen):
            return screen
    return None


def can_show_tiers(view: Screen) -> bool:
    """Whether Ctrl+T in this view (summary, help) has a comparison to go to."""
    return _beneath(view) is not None


def tiers_instead(view: Screen) -> None:
    """Ctrl+T in a view over the chat, meaning what it means in the chat: the view closes and
    the comparison for the current statement opens in its place. (Over the comparison itself,
    the view closes and shows it again.)"""
    beneath = _beneath(view)
    if beneath is None:
        return
    session = getattr(view.app, "session", None)
    if not isinstance(beneath, TierScreen) and (
        session is None or not session.conversation.statement_id
    ):  # the view stays: there is nothing to compare
        from reflect_bot.app.screens.chat import NO_STATEMENT

        view.notify(NO_STATEMENT, title="Compare the tiers")
        return
    beneath.pop_until_active()
    if not isinstance(beneath, TierScreen):  # once the views are gone, as Ctrl+T in the chat
        view.app.call_later(beneath.run_action, "tiers")


class TierScreen(View[str | None]):
    """Returns what to send the engine ("1", "2", "3", "?", or "keep" while a finished statement
    is revised and Enter keeps the earlier choice), or None when closed.

    The chat builds it once and shows it again (`show`): opening it again then costs one
    drawing of the screen, with only what changed rebuilt."""

    BINDINGS = [
        Binding("1", "choose('1')", "Tier 1", id="tiers.one"),
        Binding("2", "choose('2')", "Tier 2", id="tiers.two"),
        Binding("3", "choose('3')", "Tier 3", id="tiers.three"),
        Binding("question_mark", "choose('?')", "Not sure yet", id="tiers.not_sure"),
        Binding("enter", "choose('keep')", "Keep earlier choice", id="tiers.keep"),
    ]

    # Keys arriving this soon after the comparison opens were typed for the chat: ignored.
    KEY_GUARD = 0.3
    # The descriptors scroll with the arrow keys. Focused as the screen is made and kept after
    # (calling focus() on each opening would draw the screen a second time).
    AUTO_FOCUS = "#tiers-scroll"

    def __init__(
        self, comparison: TierComparison, framework: Framework, choosing: bool, keeps: str = ""
    ) -> None:
        super().__init__(classes="view")
        self.comparison = comparison
        self.framework = framework
        self.choosing = choosing
        self.keeps = keeps  # revising: the earlier choice Enter keeps ("" when there is none)
        self.opened_at = monotonic()  # again each time it is shown
        # Whether the descriptors run on below the view, as last laid out. Until then a guess
        # that is nearly always right (stacked, they run on; side by side, they fit), so the
        # first opening is seldom drawn twice.
        self.scrolls = self.has_class("-narrow")

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Compare the tiers", "bold"), classes="view-title")
            with VerticalScroll(id="tiers-scroll"):
                yield TierComparisonView(self.comparison, self.framework)
            yield Static(self._keys(), classes="view-keys", id="tiers-keys")
        yield SteadyFooter(at_once=True)  # a view's keys are the same whatever has focus

    def on_mount(self) -> None:
        # The scroll bar shows exactly when the descriptors run on: the key line follows it, as
        # the view is laid out at each opening and after each resize.
        scroll = self.query_one("#tiers-scroll", VerticalScroll)
        self.watch(scroll, "show_vertical_scrollbar", self._scrolling, init=False)
        # and should the first guess be wrong, once laid out (the bar may not have changed)
        self.call_after_refresh(lambda: self._scrolling(scroll.show_vertical_scrollbar))

    def _scrolling(self, scrolls: bool) -> None:
        if scrolls != self.scrolls:
            self.scrolls = scrolls
            self.query_one("#tiers-keys", Static).update(self._keys())

    def _keys(self) -> Content:
        if self.choosing:
            reads_on = " · ↓ reads on" if self.scrolls else ""
            keep = f" · Enter keeps {self.keeps}" if self.keeps else ""
            return Content(
                f"Best fit? Press 1, 2 or 3 · ? not sure yet{keep}{reads_on} · Esc back to the chat"
            )
        scroll = " · arrow keys or Page Up/Down to scroll" if self.scrolls else ""
        return Content(f"Esc back to the chat{scroll}")

    def show(self, comparison: TierComparison, choosing: bool, keeps: str = "") -> None:
        """Before opening it again: this comparison, rebuilt only if it changed."""
        self.fit_width()
        if comparison != self.comparison:
            self.comparison = comparison
            self.query_one(TierComparisonView).show(comparison)
            self.query_one("#tiers-scroll", VerticalScroll).scroll_home(animate=False)
        if (choosing, keeps) != (self.choosing, self.keeps):
            self.choosing, self.keeps = choosing, keeps
            self.query_one("#tiers-keys", Static).update(self._keys())
            self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self.opened_at = monotonic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return self.choosing and (parameters != ("keep",) or bool(self.keeps))
        return True

    def action_choose(self, key: str) -> None:
        if monotonic() - self.opened_at < self.KEY_GUARD:
            return
        self.dismiss(key)
