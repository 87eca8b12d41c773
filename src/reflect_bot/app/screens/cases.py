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
    ("1", "1, 2", or "n" for none); otherwise a view that returns None."""

    BINDINGS = [Binding("ctrl+s", "save", "Save ticked", id="cases.save")]

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
        return True

    def action_save(self) -> None:
        ticked = [str(i) for i, box in enumerate(self.query(Checkbox), start=1) if box.value]
        self.dismiss(", ".join(ticked) if ticked else "n")

    @on(Checkbox.Changed)
    def _keep_focus(self, event: Checkbox.Changed) -> None:
        event.stop()
