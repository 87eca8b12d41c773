"""What a new leader ran into: retyping after the privacy reminder, typing ahead into the tier
question, the command to resume, and a very small terminal."""

from __future__ import annotations

import shlex
from time import monotonic

from test_app_support import (
    NARROW,
    NEUTRAL,
    answer,
    app_for,
    made_session,
    record,
    saved,
    settings_for,
    shown_text,
    until,
)
from textual.widgets import Static

from reflect_bot.app.screens.chat import COMPARE_NOTE, ChatScreen
from reflect_bot.app.screens.tiers import TierScreen
from reflect_bot.app.widgets.answer_box import AnswerBox
from reflect_bot.cli import build_parser
from reflect_bot.locations import Settings
from reflect_bot.text import resume_command


def note(app) -> str:
    widget = app.chat.query_one("#box-note", Static)
    return widget.visual.plain.removeprefix("↓ ") if widget.display else ""


# --- retyping after the privacy reminder --------------------------------------------------------


async def test_retyping_puts_the_answer_back_with_a_note_and_the_personal_data_selected(tmp_path):
    """Replying "no" (any way of choosing to retype) puts the held answer back in the box with a note
    saying to edit it, the first personal detail selected, so typing replaces it; the note
    goes once the answer is sent."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    typed = "Our SENCo emails jamie@example.com weekly about the plan."
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, typed)
        assert app.session.conversation.state == "privacy"
        await answer(pilot, "no")
        box = app.screen.query_one(AnswerBox)
        assert box.text == typed
        assert box.selected_text == "jamie@example.com"
        assert "Your answer is back in the box" in note(app)
        assert "edit out the personal details" in note(app)
        await pilot.press(*"the parents")  # typing replaces the selected email address
        assert box.text == "Our SENCo emails the parents weekly about the plan."
        await pilot.press("enter")
        await pilot.pause()
        assert note(app) == ""
    answers = record(saved(tmp_path), "teaching-learning.1")["answers"]
    assert [a["text"] for a in answers] == ["Our SENCo emails the parents weekly about the plan."]


# --- the tier comparison never captures typing ----------------------------------------------------


async def test_typing_ahead_at_the_tier_question_stays_in_the_box(tmp_path):
    """Keys pressed straight after the last answer go into the answer box, never into the
    comparison as a tier: the comparison stays closed and a note says Ctrl+T opens it."""
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        app.screen.query_one(AnswerBox).insert(NEUTRAL)
        await pilot.press("enter", *"=SUM(A1)")
        chat = app.screen
        await until(pilot, lambda: note(app) == COMPARE_NOTE)
        assert app.screen is chat
        assert chat.query_one(AnswerBox).text == "=SUM(A1)"
        assert app.session.conversation.state == "tier"
        assert app.session.record("teaching-learning.1").tier == ""
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TierScreen))
        assert note(app) == ""  # asked for: the note has done its job


async def test_the_comparison_opens_by_itself_when_the_leader_pauses(tmp_path):
    """With an empty box and no typing, the comparison opens for the choice; a tier key in its
    first moment (typed for the chat) is ignored, a later one chooses."""
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, NEUTRAL)
        await until(pilot, lambda: isinstance(app.screen, TierScreen))
        await pilot.pause()
        app.screen.opened_at = monotonic() + 60  # as if it had opened this instant
        await pilot.press("1")
        assert isinstance(app.screen, TierScreen)
        assert app.session.record("teaching-learning.1").tier == ""
        app.screen.opened_at -= 120  # open for a while: keys now choose
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.session.record("teaching-learning.1").tier == "strengthening"


# --- resuming -----------------------------------------------------------------------------------


def test_the_resume_command_names_the_folders_that_were_used(tmp_path):
    """The command in the farewell opens the same session: a sessions folder or framework other
    than the defaults is given with it, and the defaults are not."""
    settings = Settings.load(
        sessions_dir=tmp_path / "my sessions",
        framework_dir=tmp_path / "fw",
        environ={"REFLECT_BOT_COMMAND": "python3 dev.py start"},
    )
    command = resume_command(settings, "oak field")
    words = shlex.split(command)
    assert words[:3] == ["python3", "dev.py", "start"]
    args = build_parser().parse_args(words[3:])
    assert args.session == "oak field"
    again = Settings.load(sessions_dir=args.sessions_dir, framework_dir=args.framework, environ={})
    assert again.sessions_dir == settings.sessions_dir
    assert again.framework_dir == settings.framework_dir

    assert resume_command(Settings.load(environ={}), "oak") == "reflect-bot resume oak"


async def test_the_farewell_gives_a_non_default_sessions_folder(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    folder = str(settings_for(tmp_path).sessions_dir)
    assert f"resume test-session --sessions-dir {shlex.quote(folder)}" in app.farewell


# --- a very small terminal ----------------------------------------------------------------------


async def test_a_tiny_terminal_keeps_room_for_the_conversation(tmp_path):
    """At 40x12 the answer box shrinks to two lines and the status and hint lines give way, so
    the conversation keeps several lines; at 80x24 they are all there."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#transcript").size.height >= 4
        assert screen.query_one(AnswerBox).size.height == 2
        assert not screen.query_one("#status").display
        assert not screen.query_one("#ask-hint").display
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert screen.query_one("#status").display
        assert screen.query_one("#ask-hint").display
        assert screen.query_one(AnswerBox).size.height >= 3


async def test_retyping_removes_the_personal_details_from_the_screen_too(tmp_path):
    """The session file held "[removed]" once the leader chose to retype, but the chat still
    showed the email address (in their message and in the reminder quoting it) until restarted."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, "Our SENCo emails jamie@example.com weekly about the plan.")
        assert "jamie@example.com" in shown_text(app)
        await answer(pilot, "r")
        await until(pilot, lambda: "jamie@example.com" not in shown_text(app))
        assert "[removed]" in shown_text(app)
        assert "send your answer again" in shown_text(app)  # the reply to "r" is shown, once
        assert shown_text(app).count("send your answer again") == 1


async def test_quitting_while_retyping_keeps_the_draft_without_the_details(tmp_path):
    """The answer put back in the box was kept as the unsent draft, personal details and all,
    so quitting before editing it left them in the session file after all."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, "Our SENCo emails jamie@example.com weekly about the plan.")
        await answer(pilot, "r")
        await until(pilot, lambda: "jamie@example.com" in app.screen.query_one(AnswerBox).text)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None)
    data = saved(tmp_path)
    assert data["conversation"]["draft"] == "Our SENCo emails [removed] weekly about the plan."
    assert "jamie@example.com" not in str(data)
