"""Ctrl+O opens the case studies as a view: like the other view keys, it adds nothing to the
conversation when no case studies are being offered."""

from __future__ import annotations

from test_app_support import NARROW, answer, app_for, made_session, record, saved, until

from reflect_bot.app.screens.cases import CaseStudiesScreen
from reflect_bot.app.widgets.messages import Message


async def test_ctrl_o_shows_the_case_studies_without_writing_to_the_conversation(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, "/save")  # the welcome back saved, so only Ctrl+O could add more
        turns = len(app.session.transcript)
        on_screen = len(app.screen.query(Message))
        for _ in range(2):
            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(app.screen, CaseStudiesScreen))
            view = app.screen
            assert view.cards  # the area's case studies, each with why it is shown
            assert all(card.reason for card in view.cards)
            assert not view.choosing
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, CaseStudiesScreen))
        assert len(app.session.transcript) == turns
        assert len(app.screen.query(Message)) == on_screen
        await answer(pilot, "/save")
        texts = [turn["text"] for turn in saved(tmp_path)["transcript"]]
        assert "/cases" not in texts
        assert len(texts) == turns + 2  # only the "/save" and its reply


FINISHED_WITH_FIRST_SAVED = [
    "1",
    "Teachers plan units together each half term",
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
    "2",
    "Consistent practice",
    "Run a moderation meeting",
    "",
    "",
    "no",
    "1",  # the first case study saved
]
REVISED_TO_CASE_STUDIES = [*FINISHED_WITH_FIRST_SAVED, "/go 1", "yes", *[""] * 7]


def saved_flags(tmp_path) -> list[bool]:
    notes = record(saved(tmp_path), "teaching-learning.1")["case_studies"]
    return [note["saved"] for note in notes]


async def open_choosing(app, pilot) -> CaseStudiesScreen:
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, CaseStudiesScreen))
    view = app.screen
    assert view.choosing
    return view


async def test_untick_every_saved_case_study_and_save_unsaves_them(tmp_path):
    """Nothing ticked in the view once meant "none for now", which keeps saved ones: the view
    must say "unsave" when the leader took the tick off a saved one."""
    made_session(tmp_path, REVISED_TO_CASE_STUDIES)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert app.session.conversation.state == "case_studies"
        view = await open_choosing(app, pilot)
        assert view.query_one("#save-1").value  # shown ticked, as saved
        await pilot.press("space")  # the focus starts on the first box
        await until(pilot, lambda: not view.query_one("#save-1").value)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.session.conversation.state != "case_studies")
        await answer(pilot, "/save")
    assert saved_flags(tmp_path) == [False, False]


async def test_saving_with_nothing_ticked_and_nothing_saved_keeps_none(tmp_path):
    made_session(tmp_path, FINISHED_WITH_FIRST_SAVED[:-1])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await open_choosing(app, pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.session.conversation.state != "case_studies")
        await answer(pilot, "/save")
        assert not any(saved_flags(tmp_path))
        assert "unsave" not in [turn.text for turn in app.session.transcript]


async def test_ctrl_t_with_ticks_not_saved_warns_and_keeps_the_ticks(tmp_path):
    made_session(tmp_path, FINISHED_WITH_FIRST_SAVED[:-1])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        view = await open_choosing(app, pilot)
        await pilot.press("space")
        await until(pilot, lambda: view.query_one("#save-1").value)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: any("Ctrl+S" in str(n.message) for n in app._notifications))
        assert app.screen is view and view.query_one("#save-1").value
        await pilot.press("space")  # ticks as they were: Ctrl+T goes on to the comparison
        await until(pilot, lambda: not view.query_one("#save-1").value)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: type(app.screen).__name__ == "TierScreen")
