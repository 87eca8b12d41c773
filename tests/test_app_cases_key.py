"""Ctrl+O opens the case studies as a view: like the other view keys, it adds nothing to the
conversation when no case studies are being offered."""

from __future__ import annotations

from test_app_support import NARROW, answer, app_for, made_session, saved, until

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
