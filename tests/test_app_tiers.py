"""The tier comparison opened again: the same widgets show the new comparison, and neither its
footer nor the chat's is rebuilt for it."""

from __future__ import annotations

from test_app_support import NARROW, WIDE, answer, app_for, comparison_opens, made_session, until
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from reflect_bot.app.screens.tiers import TierScreen
from reflect_bot.app.widgets.tiers import TierColumnView, TierComparisonView

GROWING = "Partnerships are increasingly purposeful and more teachers adapt their teaching."


def column_texts(screen) -> list[str]:
    return [
        "\n".join(s.visual.plain for s in column.query(Static))
        for column in screen.query(TierColumnView)
    ]


async def test_the_comparison_opened_again_shows_the_new_one_in_the_same_widgets(tmp_path):
    made_session(tmp_path, ["2", GROWING, GROWING, GROWING])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await answer(pilot, GROWING)
        await comparison_opens(pilot)
        view = app.screen
        columns = list(view.query(TierColumnView))
        hinted = [c.has_class("-hinted") for c in columns]
        assert hinted == [False, True, False]  # "increasingly", "more": Strengthening
        assert view.query_one(".tier-comparison .hint").display
        await pilot.press("2")  # the choice
        await pilot.pause()
        await answer(pilot, "/go teaching-learning.5")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TierScreen))
        await pilot.pause()
        assert app.screen is view
        assert list(view.query(TierColumnView)) == columns  # the same widgets, new words
        texts = column_texts(view)
        assert "no specific descriptor" in texts[2]  # Interventions at Sustaining Excellence
        assert "The area's overall descriptor at this tier" in texts[2]
        assert "no specific descriptor" not in texts[0]
        statement = view.query_one(".tier-comparison .statement", Static).visual.plain
        assert "Teaching & Learning 5" in statement
        assert not any(c.has_class("-hinted") for c in columns)  # no words of T&L 5 yet
        assert not view.query_one(".tier-comparison .hint").display
        assert len(view.query(TierComparisonView)) == 1


async def test_opening_and_closing_the_comparison_rebuilds_no_footer(tmp_path):
    made_session(tmp_path, ["2", GROWING, GROWING, GROWING])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await answer(pilot, GROWING)
        chat = app.screen
        await comparison_opens(pilot)
        view = app.screen
        keys = list(view.query(FooterKey))
        assert [k.key for k in keys] == ["escape", "1", "2", "3", "question_mark"]
        chat_keys = list(chat.query(FooterKey))
        assert chat_keys
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is chat)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: app.screen is view)
        await pilot.pause()
        assert list(view.query(FooterKey)) == keys
        assert list(chat.query(FooterKey)) == chat_keys


async def test_the_comparison_has_its_width_class_before_it_shows(tmp_path):
    made_session(tmp_path, ["2", GROWING, GROWING, GROWING])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await answer(pilot, GROWING)
        await comparison_opens(pilot)
        view = app.screen
        assert view.has_class("-narrow") and not view.has_class("-wide")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        view.show(view.comparison, view.choosing)  # as the chat does before opening it again
        assert view.has_class("-wide") and not view.has_class("-narrow")
