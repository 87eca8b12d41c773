"""Tier comparison: the statement, then its three descriptors; 1, 2, 3 or ? to choose."""

from __future__ import annotations

from time import monotonic

from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from reflect_bot.app.screens.view import View
from reflect_bot.app.widgets.footer import SteadyFooter
from reflect_bot.app.widgets.tiers import TierComparisonView
from reflect_bot.framework import Framework
from reflect_bot.replies import TierComparison


class TierScreen(View[str | None]):
    """Returns what to send the engine ("1", "2", "3" or "?"), or None when closed.

    The chat builds it once and shows it again (`show`): opening it again then costs one
    drawing of the screen, with only what changed rebuilt."""

    BINDINGS = [
        Binding("1", "choose('1')", "Tier 1", id="tiers.one"),
        Binding("2", "choose('2')", "Tier 2", id="tiers.two"),
        Binding("3", "choose('3')", "Tier 3", id="tiers.three"),
        Binding("question_mark", "choose('?')", "Not sure yet", id="tiers.not_sure"),
    ]

    # Keys arriving this soon after the comparison opens were typed for the chat: ignored.
    KEY_GUARD = 0.3
    # The descriptors scroll with the arrow keys. Focused as the screen is made and kept after
    # (calling focus() on each opening would draw the screen a second time).
    AUTO_FOCUS = "#tiers-scroll"

    def __init__(self, comparison: TierComparison, framework: Framework, choosing: bool) -> None:
        super().__init__(classes="view")
        self.comparison = comparison
        self.framework = framework
        self.choosing = choosing
        self.opened_at = monotonic()  # again each time it is shown

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Compare the tiers", "bold"), classes="view-title")
            with VerticalScroll(id="tiers-scroll"):
                yield TierComparisonView(self.comparison, self.framework)
            yield Static(self._keys(), classes="view-keys", id="tiers-keys")
        yield SteadyFooter(at_once=True)  # a view's keys are the same whatever has focus

    def _keys(self) -> Content:
        if self.choosing:
            return Content(
                "Best fit? Press 1, 2 or 3 · ? not sure yet · ↓ reads on · Esc back to the chat"
            )
        return Content("Esc back to the chat · arrow keys or Page Up/Down to scroll")

    def show(self, comparison: TierComparison, choosing: bool) -> None:
        """Before opening it again: this comparison, rebuilt only if it changed."""
        self.fit_width()
        if comparison != self.comparison:
            self.comparison = comparison
            self.query_one(TierComparisonView).show(comparison)
            self.query_one("#tiers-scroll", VerticalScroll).scroll_home(animate=False)
        if choosing != self.choosing:
            self.choosing = choosing
            self.query_one("#tiers-keys", Static).update(self._keys())
            self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self.opened_at = monotonic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return self.choosing
        return True

    def action_choose(self, key: str) -> None:
        if monotonic() - self.opened_at < self.KEY_GUARD:
            return
        self.dismiss(key)
