"""The chat keeps only a few screenfuls of a long conversation mounted, a message is one widget,
and views and the sidebar are rebuilt only where something changed."""

from __future__ import annotations

from test_app_support import (
    NEUTRAL,
    WIDE,
    answer,
    app_for,
    comparison_opens,
    long_session,
    made_session,
    until,
)

from reflect_bot.app.screens.tiers import TierScreen
from reflect_bot.app.widgets.messages import Message
from reflect_bot.app.widgets.progress import ProgressSidebar
from reflect_bot.app.widgets.transcript import MAX_MOUNTED, Transcript

GROWING = "Partnerships are increasingly purposeful and more teachers adapt their teaching."


async def test_a_leader_message_is_one_widget_headed_with_who_is_speaking(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        before = len(app.screen.query(".msg"))
        await answer(pilot, NEUTRAL)
        leader = app.screen.query(".msg.leader").last(Message)
        assert leader.visual.plain == f"You\n{NEUTRAL}"
        assert not leader.children
        # The answer and the bot's reply: a handful of widgets, not a tree of containers.
        assert len(app.screen.query(".msg")) - before <= 6


async def test_a_long_session_opens_with_a_few_screenfuls_and_stays_small(tmp_path):
    long_session(tmp_path, 2000)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        assert len(transcript.query(".msg")) < 40
        opened_at = transcript.first_index
        assert opened_at > 1900  # the latest part only
        for _ in range(12):
            await answer(pilot, NEUTRAL)
        assert len(transcript.query(".msg")) <= MAX_MOUNTED
        assert transcript.first_index > opened_at  # the oldest steps were let go
        assert "Show earlier messages" in str(app.screen.query_one("#earlier").visual)


async def test_scrolling_to_the_top_brings_back_earlier_messages_in_place(tmp_path):
    long_session(tmp_path, 2000)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        first = transcript.first_index
        oldest = transcript.query(".msg").first()
        transcript.scroll_to(y=1, animate=False)
        await pilot.pause()
        transcript.scroll_home(animate=False)
        await until(pilot, lambda: transcript.first_index < first)
        await pilot.pause()
        assert oldest.is_mounted
        # The reader stays where they were: what was the oldest message is still at the top.
        await until(pilot, lambda: oldest.region.y <= transcript.region.y + 1)
        assert transcript.scroll_y > 0
        assert app.focused is app.screen.query_one("#answer")


async def test_the_sidebar_is_left_alone_when_nothing_in_it_changed(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await answer(pilot, NEUTRAL)  # now in progress (and the list laid out at its width)
        await answer(pilot, NEUTRAL)
        sidebar = app.screen.query_one(ProgressSidebar)
        options = list(sidebar.options)
        await answer(pilot, NEUTRAL)  # the same statement, still in progress
        assert list(sidebar.options) == options
        assert all(a is b for a, b in zip(sidebar.options, options, strict=True))
        await answer(pilot, "/go teaching-learning.3")
        labels = [str(o.prompt) for o in sidebar.options]
        assert any("3 " in label and "current" in label for label in labels)
        assert sidebar.highlighted_option is not None
        assert sidebar.highlighted_option.id == "teaching-learning.3"


async def test_the_tier_comparison_is_built_once_and_shows_the_current_statement(tmp_path):
    made_session(tmp_path, ["2", GROWING, GROWING, GROWING])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await answer(pilot, GROWING)
        await comparison_opens(pilot)
        view = app.screen
        assert isinstance(view, TierScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TierScreen))
        assert app.screen is view  # opened again, not built again
        app.screen.opened_at -= TierScreen.KEY_GUARD
        await pilot.press("2")
        await pilot.pause()
        assert app.session.record("teaching-learning.1").tier == "strengthening"
        await answer(pilot, "/go teaching-learning.2")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TierScreen))
        await pilot.pause()
        shown = "\n".join(str(s.visual) for s in app.screen.query("#tiers-scroll Static"))
        assert "Teaching & Learning 2" in shown
        assert "Teaching & Learning 1" not in shown
