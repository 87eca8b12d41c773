"""The three tier descriptors of one statement, side by side (stacked on narrow terminals)."""

from __future__ import annotations

import re

from textual.containers import Horizontal, Vertical
from textual.content import Content
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


def column_title(number: int, column: TierColumn, hint_tier: str) -> Content:
    parts = [Content.styled(f"{number}  {column.tier_name}", "bold")]
    if column.chosen:
        parts.append(Content.styled("  (your choice)", "italic"))
    if column.tier_id == hint_tier:
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


class TierColumnView(Vertical):
    def __init__(self, number: int, column: TierColumn, comparison: TierComparison, words):
        classes = "tier-column" + (" -chosen" if column.chosen else "")
        hint_tier = comparison.hint.tier_id if comparison.hint else ""
        if column.tier_id == hint_tier:
            classes += " -hinted"
        super().__init__(classes=classes)
        self._title = column_title(number, column, hint_tier)
        self._column = column
        self._comparison = comparison
        self._words = words

    def compose(self):
        yield Static(self._title, classes="tier-title")
        if self._column.descriptor is not None:
            yield Static(emphasise(self._column.descriptor, self._words), classes="descriptor")
            return
        yield Static(Content.styled(NO_DESCRIPTOR, "italic"), classes="descriptor none")
        overall = self._comparison.overall.get(self._column.tier_id)
        if overall:
            yield Static(
                Content.assemble(
                    Content.styled("The area's overall descriptor at this tier: ", "bold"),
                    emphasise(overall, self._words),
                ),
                classes="descriptor overall",
            )


class TierComparisonView(Vertical):
    """Statement, hint (marked as one), and the three columns."""

    def __init__(self, comparison: TierComparison, framework: Framework) -> None:
        super().__init__(classes="tier-comparison")
        self.comparison = comparison
        self.framework = framework

    def compose(self):
        c = self.comparison
        source = statement_label(self.framework, c.statement_id)
        yield Static(
            Content.assemble(Content.styled(source, "bold"), "\n", Content(c.statement_text)),
            classes="statement",
        )
        # On a narrow terminal the statement (quoted in the chat already) gives way to its short
        # name and one line saying where the hint points and that more follows below.
        statement = find_statement(self.framework, c.statement_id)
        short = f": {statement.short}" if statement is not None else ""
        yield Static(
            Content.assemble(Content.styled(source, "bold"), Content(short)),
            classes="statement-short",
        )
        yield Static(overview(c), classes="overview")
        if c.hint is not None:
            words = ", ".join(f"“{w}”" for w in c.hint.words)
            because = f" (words such as {words})" if words else ""
            yield Static(
                Content.assemble(
                    Content.styled("Hint, not a verdict: ", "bold"),
                    Content(
                        f"your own words sit closest to {c.hint.tier_name}{because}. "
                        "The best fit is yours to judge."
                    ),
                ),
                classes="hint",
            )
        with Horizontal(classes="tier-columns"):
            for number, column in enumerate(c.columns, start=1):
                words = tier_qualifiers(self.framework, column.tier_id)
                yield TierColumnView(number, column, c, words)
        yield Static(
            Content.styled(
                "Words in bold are typical of each tier (reflect-bot's emphasis; "
                "the descriptors are the framework's own words).",
                "italic",
            ),
            classes="legend",
        )
