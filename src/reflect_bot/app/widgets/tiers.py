"""The three tier descriptors of one statement, side by side (stacked on narrow terminals)."""

from __future__ import annotations

import re

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from reflect_bot.app.names import find_statement, statement_label, tier_qualifiers
from reflect_bot.framework import Framework
from reflect_bot.replies import TierColumn, TierComparison

NO_DESCRIPTOR = "The framework gives no specific descriptor for this statement at this tier."


def emphasise(text: str, words: tuple[str, ...]) -> Content:
    """The descriptor, exactly as the framework words it, with the tier's typical words in bold:
    "beginning / some / inconsistent" against "increasingly / more" against "consistently"."""
    content = Content(text)
    if not words:
        return content
    pattern = r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return content.highlight_regex(pattern + r")\b", style="bold underline")


def hint_tier(comparison: TierComparison) -> str:
    """The id of the tier the hint points to ("" without a hint)."""
    return comparison.hint.tier_id if comparison.hint else ""


def column_title(number: int, column: TierColumn, hinted: str) -> Content:
    parts = [Content.styled(f"{number}  {column.tier_name}", "bold")]
    if column.chosen:
        parts.append(Content.styled("  (your choice)", "italic"))
    if column.tier_id == hinted:
        parts.append(Content.styled("  (hint: closest to your words)", "italic"))
    return Content.assemble(*parts)


def overview(comparison: TierComparison) -> Content:
    """One line for a narrow terminal: which tier the hint points to (and the leader's choice),
    and that the three tiers follow below."""
    numbers = {column.tier_id: n for n, column in enumerate(comparison.columns, start=1)}
    parts: list[Content] = []
    hint = comparison.hint
    if hint is not None:
        parts.append(
            Content.assemble(
                Content.styled("Hint: ", "bold"),
                Content(f"your words sit closest to {numbers.get(hint.tier_id, '?')} "),
                Content.styled(hint.tier_name, "bold"),
                Content(" (yours to judge). "),
            )
        )
    chosen = [(n, c) for n, c in enumerate(comparison.columns, start=1) if c.chosen]
    if chosen:
        number, column = chosen[0]
        parts.append(
            Content.assemble(
                "Your choice: ", Content.styled(f"{number} {column.tier_name}", "bold")
            )
        )
        parts.append(Content(". "))
    parts.append(Content("Tiers 1, 2 and 3 below: ↓ reads on."))
    return Content.assemble(*parts)


def column_text(column: TierColumn, comparison: TierComparison, words: tuple[str, ...]) -> Content:
    """The tier's descriptor; where the framework has none for this statement, that said in words
    and the area's overall descriptor at this tier."""
    if column.descriptor is not None:
        return emphasise(column.descriptor, words)
    text = Content.styled(NO_DESCRIPTOR, "italic")
    overall = comparison.overall.get(column.tier_id)
    if not overall:
        return text
    return Content.assemble(
        text,
        "\n\n",
        Content.styled("The area's overall descriptor at this tier: ", "bold"),
        emphasise(overall, words),
    )


def statement_text(framework: Framework, comparison: TierComparison) -> Content:
    source = statement_label(framework, comparison.statement_id)
    return Content.assemble(
        Content.styled(source, "bold"), "\n", Content(comparison.statement_text)
    )


def statement_short(framework: Framework, comparison: TierComparison) -> Content:
    """For a narrow terminal: the statement (quoted in the chat already) by its short name."""
    source = statement_label(framework, comparison.statement_id)
    statement = find_statement(framework, comparison.statement_id)
    short = f": {statement.short}" if statement is not None else ""
    return Content.assemble(Content.styled(source, "bold"), Content(short))


def hint_text(comparison: TierComparison) -> Content:
    hint = comparison.hint
    if hint is None:
        return Content("")
    words = ", ".join(f"“{w}”" for w in hint.words)
    because = f" (words such as {words})" if words else ""
    return Content.assemble(
        Content.styled("Hint, not a verdict: ", "bold"),
        Content(
            f"your own words sit closest to {hint.tier_name}{because}. "
            "The best fit is yours to judge."
        ),
    )


LEGEND = Content.styled(
    "Words in bold are typical of each tier (reflect-bot's emphasis; "
    "the descriptors are the framework's own words).",
    "italic",
)


class _OneLayout:
    """A widget of the comparison inside its scroll area, none of them scrolling themselves: one
    layout places them all. (Textual lays a screen out again wherever a widget's size changed,
    for the sake of scroll bars, which these widgets never have: one frame more, 30 ms later.)"""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)


class Text(_OneLayout, Static):
    pass


class Columns(_OneLayout, Horizontal):
    pass


class TierColumnView(_OneLayout, Vertical):
    """One tier: its number and name, then its descriptor."""

    def __init__(self, number: int, column: TierColumn, comparison: TierComparison, words):
        super().__init__(classes="tier-column")
        self._set_classes(column, comparison, restyle=False)
        self._title = column_title(number, column, hint_tier(comparison))
        self._text = column_text(column, comparison, words)

    def compose(self):
        yield Text(self._title, classes="tier-title")
        yield Text(self._text, classes="descriptor")

    def _set_classes(self, column: TierColumn, comparison: TierComparison, restyle: bool) -> None:
        self.set_class(column.chosen, "-chosen", update=restyle)
        self.set_class(column.tier_id == hint_tier(comparison), "-hinted", update=restyle)

    def show(self, number: int, column: TierColumn, comparison: TierComparison, words) -> None:
        self._set_classes(column, comparison, restyle=True)
        self.query_one(".tier-title", Static).update(
            column_title(number, column, hint_tier(comparison))
        )
        self.query_one(".descriptor", Static).update(column_text(column, comparison, words))


class TierComparisonView(_OneLayout, Vertical):
    """Statement, hint (marked as one), and the three columns.

    Made once with its screen; `show` puts another comparison in the same widgets, which costs
    far less than making them again (each new widget is mounted and styled on its own)."""

    def __init__(self, comparison: TierComparison, framework: Framework) -> None:
        super().__init__(classes="tier-comparison")
        self.comparison = comparison
        self.framework = framework

    def compose(self):
        c = self.comparison
        yield Text(statement_text(self.framework, c), classes="statement")
        # On a narrow terminal the statement (quoted in the chat already) gives way to its short
        # name and one line saying where the hint points and that more follows below.
        yield Text(statement_short(self.framework, c), classes="statement-short")
        yield Text(overview(c), classes="overview")
        yield Text(hint_text(c), classes="hint -none" if c.hint is None else "hint")
        with Columns(classes="tier-columns"):
            for number, column in enumerate(c.columns, start=1):
                words = tier_qualifiers(self.framework, column.tier_id)
                yield TierColumnView(number, column, c, words)
        yield Text(LEGEND, classes="legend")

    def show(self, comparison: TierComparison) -> None:
        """This comparison in the widgets there are (as many columns as when it was made)."""
        c = self.comparison = comparison
        self.query_one(".statement", Static).update(statement_text(self.framework, c))
        self.query_one(".statement-short", Static).update(statement_short(self.framework, c))
        self.query_one(".overview", Static).update(overview(c))
        hint = self.query_one(".hint", Static)
        hint.update(hint_text(c))
        hint.set_class(c.hint is None, "-none")
        views = self.query(TierColumnView)
        for number, (view, column) in enumerate(zip(views, c.columns, strict=False), start=1):
            view.show(number, column, c, tier_qualifiers(self.framework, column.tier_id))
