"""Case study cards: title, summary, why each was suggested; choose which to save."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Footer, Static

from reflect_bot.app.screens.view import View
from reflect_bot.app.widgets.cards import case_card
from reflect_bot.replies import CaseStudyCard


class CaseStudiesScreen(View[str | None]):
    """When the bot is offering case studies, returns the answer that saves the ticked ones
    ("1", "1, 2"; "n" for none, or "unsave" when none is ticked and one was saved); otherwise a
    view that returns None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save ticked", id="cases.save"),
        Binding("ctrl+t", "tiers", "Tiers", id="cases.tiers"),
    ]

    def __init__(self, cards: tuple[CaseStudyCard, ...], choosing: bool) -> None:
        super().__init__(classes="view")
        self.cards = cards
        self.choosing = choosing

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(Content.styled("Case studies", "bold"), classes="view-title")
            with VerticalScroll(id="cases-scroll"):
                if not self.cards:
                    yield Static(Content("No case studies to show here."))
                for index, card in enumerate(self.cards, start=1):
                    yield case_card(card, index)
                    if self.choosing:
                        yield Checkbox(
                            f"Save case study {index} for follow-up",
                            value=card.saved,
                            id=f"save-{index}",
                            compact=True,
                        )
            if self.choosing:
                keys = "Space ticks a case study · Ctrl+S saves the ticked ones · Esc back"
            else:
                keys = (
                    "Esc back to the chat · case studies can be saved when the bot suggests "
                    "them for a statement"
                )
            yield Static(Content(keys), classes="view-keys")
        yield Footer()

    def on_mount(self) -> None:
        boxes = self.query(Checkbox)
        (boxes.first() if boxes else self.query_one("#cases-scroll")).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.choosing
        if action == "tiers":
            from reflect_bot.app.screens.tiers import can_show_tiers

            return can_show_tiers(self)
        return True

    def _ticks_changed(self) -> bool:
        return any(
            box.value != card.saved
            for box, card in zip(self.query(Checkbox), self.cards, strict=False)
        )

    def action_save(self) -> None:
        ticked = [str(i) for i, box in enumerate(self.query(Checkbox), start=1) if box.value]
        if ticked:
            self.dismiss(", ".join(ticked))
        else:  # nothing ticked: unsaving any saved before is said plainly, never by "none"
            self.dismiss("unsave" if any(card.saved for card in self.cards) else "n")

    def action_tiers(self) -> None:
        if self.choosing and self._ticks_changed():  # closing now would lose the ticks
            self.notify(
                "Save the ticked case studies first (Ctrl+S), or Esc to leave them, "
                "then Ctrl+T compares the tiers.",
                title="Not saved yet",
            )
            return
        from reflect_bot.app.screens.tiers import tiers_instead

        tiers_instead(self)

    @on(Checkbox.Changed)
    def _keep_focus(self, event: Checkbox.Changed) -> None:
        event.stop()
