"""What a leader sees after pressing a key in a view: an export from the summary says where the
file went at once, Ctrl+T with no statement open says so instead of writing to the conversation,
and revising a finished statement Enter keeps the earlier tier in the comparison too."""

from __future__ import annotations

from test_app_cases_key import FINISHED_WITH_FIRST_SAVED
from test_app_support import (
    NARROW,
    answer,
    app_for,
    comparison_opens,
    made_session,
    record,
    saved,
    until,
)

from reflect_bot.app.screens.chat import NO_STATEMENT, ask_hint
from reflect_bot.app.screens.summary import SummaryScreen
from reflect_bot.app.screens.tiers import TierScreen

# statement 1 finished at Strengthening Practice, then revised: every answer kept up to the tier
AT_THE_TIER_REVISING = [*FINISHED_WITH_FIRST_SAVED, "/go 1", "yes", "", "", "", ""]


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_an_export_from_the_summary_is_announced_where_it_is_seen(tmp_path):
    made_session(tmp_path, ["1", "Teachers plan units together each half term"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("m")
        await until(pilot, lambda: any(n.startswith("Exported to") for n in notices(app)))
        path = next(n for n in notices(app) if n.startswith("Exported to"))
        written = path.removeprefix("Exported to ").strip()
        assert written.endswith(".md")
        with open(written, encoding="utf-8") as exported:
            assert "Teachers plan units together" in exported.read()


async def test_ctrl_t_with_no_statement_open_says_so_and_writes_nothing(tmp_path):
    made_session(tmp_path, [])  # at the choice of statements: none open yet
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert not app.session.conversation.statement_id
        turns = len(app.session.transcript)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: NO_STATEMENT in notices(app))
        assert len(app.session.transcript) == turns
        app.clear_notifications()
        await pilot.press("ctrl+r")  # and from the summary: it stays open and says why
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: NO_STATEMENT in notices(app))
        assert isinstance(app.screen, SummaryScreen)
        assert len(app.session.transcript) == turns


async def test_revising_enter_in_the_comparison_keeps_the_earlier_tier(tmp_path):
    made_session(tmp_path, AT_THE_TIER_REVISING)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert app.session.conversation.state == "tier"
        chat = app.screen
        hint = ask_hint(chat.ask).plain
        assert "Enter keeps your earlier choice" in hint
        await pilot.press("ctrl+t")
        await comparison_opens(pilot)
        view = app.screen
        assert "Enter keeps Strengthening Practice" in view.query_one("#tiers-keys").visual.plain
        assert "enter" in [key.key for key in view.query("FooterKey")]
        await pilot.press("enter")
        await until(pilot, lambda: app.session.conversation.state != "tier")
        assert not isinstance(app.screen, TierScreen)
        await answer(pilot, "/save")
    statement = record(saved(tmp_path), "teaching-learning.1")
    assert statement["tier"] == "strengthening"
    texts = [turn["text"] for turn in saved(tmp_path)["transcript"]]
    assert "Your earlier answer is kept (“Strengthening Practice”)." in texts


async def test_choosing_a_tier_for_the_first_time_enter_does_not_choose(tmp_path):
    made_session(tmp_path, FINISHED_WITH_FIRST_SAVED[:5])  # statement 1, at the tier
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert app.session.conversation.state == "tier"
        assert "keeps" not in ask_hint(app.screen.ask).plain
        await pilot.press("ctrl+t")
        await comparison_opens(pilot)
        view = app.screen
        assert "enter" not in [key.key for key in view.query("FooterKey")]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is view and app.session.conversation.state == "tier"


async def test_revising_the_next_step_enter_keeps_it_and_says_so_not_left_blank(tmp_path):
    """Revising, the next-step question said only "Enter on an empty box leaves it" (and the
    top priority both that and "keeps"), and the chat showed the leader's Enter as "(left
    blank)" though the earlier answer was kept."""
    made_session(tmp_path, [*AT_THE_TIER_REVISING, "", ""])  # the tier and next tier kept
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert app.session.conversation.state == "next_what"
        hint = ask_hint(app.screen.ask).plain
        assert hint.startswith("Next step, optional: Enter on an empty box keeps your earlier")
        assert "leaves it" not in hint
        turns = len(app.session.transcript)
        await answer(pilot, "")
        await until(pilot, lambda: app.session.conversation.state != "next_what")
        new = app.session.transcript[turns:]
        assert not [t for t in new if t.role == "leader"]  # no "(left blank)"
        assert any("Run a moderation meeting" in t.text and "kept" in t.text for t in new)
    assert [s["what"] for s in record(saved(tmp_path), "teaching-learning.1")["next_steps"]] == [
        "Run a moderation meeting"
    ]
