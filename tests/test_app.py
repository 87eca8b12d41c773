"""The Textual app, driven as a leader would: keys, paste, the palette; checked on screen and in
the saved session file."""

from __future__ import annotations

from test_app_support import (
    NARROW,
    NEUTRAL,
    WIDE,
    answer,
    app_for,
    comparison_opens,
    long_session,
    made_session,
    record,
    saved,
    shown_text,
)
from textual import events
from textual.widgets import OptionList, Static

from reflect_bot.app.screens.chat import ChatScreen
from reflect_bot.app.screens.start import StartScreen
from reflect_bot.app.screens.tiers import TierScreen
from reflect_bot.app.widgets.answer_box import AnswerBox
from reflect_bot.app.widgets.messages import Message
from reflect_bot.app.widgets.transcript import EarlierButton
from reflect_bot.store import SaveError


async def begin(pilot, label: str = "Oakfield") -> None:
    """From the start screen with no sessions: fill in the label and begin."""
    app = pilot.app
    assert isinstance(app.screen, StartScreen)
    assert app.screen.query_one("#new-pane").display  # no sessions: straight to a new one
    await pilot.press(*label)
    await pilot.click("#begin")
    await pilot.pause()
    assert isinstance(app.screen, ChatScreen)


async def test_a_whole_round_trip(tmp_path):
    """Start, answer, choose a tier with a key, go back, jump from the sidebar, quit, resume."""
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await begin(pilot)
        session = app.session
        assert session.label == "Oakfield"
        await answer(pilot, "1")  # all statements
        assert session.conversation.statement_id == "teaching-learning.1"
        for _ in ("working_well", "evidence", "consistency", "impact"):
            await answer(pilot, NEUTRAL)
        await comparison_opens(pilot)  # the comparison opens for the choice
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert session.record("teaching-learning.1").tier == "strengthening"
        assert record(saved(tmp_path, session.name), "teaching-learning.1")["tier"] == (
            "strengthening"
        )

        await answer(pilot, "/back")
        assert session.conversation.state == "tier"
        assert session.record("teaching-learning.1").tier == ""
        await answer(pilot, "3")
        assert session.record("teaching-learning.1").tier == "excellence"

        sidebar = app.screen.query_one("#sidebar", OptionList)
        sidebar.focus()
        sidebar.highlighted = sidebar.get_option_index("pupils-parents-carers.3")
        await pilot.press("enter")
        await pilot.pause()
        assert session.conversation.statement_id == "pupils-parents-carers.3"
        assert isinstance(app.focused, AnswerBox)  # back to writing after the jump
        state = session.conversation.state
        last_question = session.conversation.pending["question"]
        await answer(pilot, "Families say our reports are clear.")
        state = session.conversation.state
        last_question = session.conversation.pending["question"]

        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0

    again = app_for(tmp_path)
    async with again.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, StartScreen)
        sessions = again.screen.query_one("#sessions", OptionList)
        assert sessions.option_count == 1
        assert "Oakfield" in str(sessions.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, ChatScreen)
        resumed = again.session
        assert resumed.conversation.statement_id == "pupils-parents-carers.3"
        assert resumed.conversation.state == state
        text = shown_text(again)
        assert "Families say our reports are clear." in text  # the transcript is shown
        assert text.rstrip().endswith(last_question)  # and the same question asked again
        assert isinstance(again.focused, AnswerBox)


async def test_a_pasted_crlf_answer_arrives_whole(tmp_path):
    """Three paragraphs pasted with CRLF go into the box whole, are not sent early, and are saved
    exactly (line endings as LF)."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    paragraphs = [
        "First, what works: teachers “plan together” – weekly.",
        "Second:\tTAs are briefed before lessons.\r\nThey scaffold, not simplify.",
        "Third, [bold] stays literal and so does \\ a backslash.",
    ]
    pasted = "\r\n\r\n".join(paragraphs)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        before = len(app.session.transcript)
        app.post_message(events.Paste(pasted))
        await pilot.pause()
        box = app.screen.query_one(AnswerBox)
        expected = pasted.replace("\r\n", "\n")
        assert box.text == expected
        assert len(app.session.transcript) == before  # nothing sent yet
        await pilot.press("enter")
        await pilot.pause()
        assert box.text == ""
    answers = record(saved(tmp_path), "teaching-learning.1")["answers"]
    assert answers[0]["kind"] == "working_well"
    assert answers[0]["text"] == expected


async def test_typed_markup_is_shown_literally(tmp_path):
    """What the leader types is never markup or a link, and nothing crashes on it."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    typed = "[/bold] [link=x]y[/link] and [a link](https://example.org) [/"
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press(*typed)
        assert app.screen.query_one(AnswerBox).text == typed
        await pilot.press("enter")
        await pilot.pause()
        leader = app.screen.query(".msg.leader").last(Message)
        assert leader.visual.plain == "You\n" + typed
        header = len("You")
        assert all(span.end <= header for span in leader.visual.spans)  # no style, so no link
    assert record(saved(tmp_path), "teaching-learning.1")["answers"][0]["text"] == typed


async def test_clicking_an_old_message_leaves_the_focus_in_the_answer_box(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.click(app.screen.query(Message).last())
        await pilot.pause()
        assert isinstance(app.focused, AnswerBox)
        await pilot.press(*"still typing")
        assert app.focused.text == "still typing"


async def test_ctrl_j_adds_a_line_and_enter_sends(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press(*"one", "ctrl+j", *"two")
        box = app.screen.query_one(AnswerBox)
        assert box.text == "one\ntwo"
        await pilot.press("enter")
        await pilot.pause()
    assert record(saved(tmp_path), "teaching-learning.1")["answers"][0]["text"] == "one\ntwo"


async def test_export_from_the_command_palette(tmp_path):
    made_session(tmp_path, ["1", NEUTRAL])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export as Markdown")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        exports = list(app.settings.exports_dir.glob("*.md"))
        assert len(exports) == 1
        assert "Oakfield Primary" in exports[0].read_text(encoding="utf-8")
        assert f"Exported to {exports[0]}" in shown_text(app)


async def test_a_save_that_fails_is_shown_and_the_next_one_clears_it(tmp_path, monkeypatch):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        real_save = app.store.save

        def failing(session):
            raise SaveError("Could not save test-session.toml (disk full); free some space.")

        monkeypatch.setattr(app.store, "save", failing)
        await answer(pilot, NEUTRAL)
        banner = app.screen.query_one("#save-error", Static)
        assert banner.display
        assert "disk full" in banner.visual.plain
        monkeypatch.setattr(app.store, "save", real_save)
        await answer(pilot, NEUTRAL)
        assert not banner.display
    assert len(record(saved(tmp_path), "teaching-learning.1")["answers"]) == 2


async def test_a_long_session_mounts_only_its_recent_part(tmp_path):
    """2,000 messages: a window is mounted, earlier ones come a page at a time."""
    long_session(tmp_path, 2000)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        mounted = len(app.screen.query(Message))
        assert mounted <= 60
        earlier = app.screen.query_one("#earlier", EarlierButton)
        assert earlier.display
        transcript = app.screen.query_one("#transcript")
        first = transcript.first_index
        earlier.press()
        await pilot.pause()
        assert transcript.first_index < first
        assert len(app.screen.query(Message)) > mounted
        assert isinstance(app.focused, AnswerBox)


async def test_the_sidebar_collapses_on_a_narrow_terminal(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar")
        assert not sidebar.display
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert sidebar.display
        assert app.focused is sidebar
        await pilot.press("escape")
        await pilot.pause()
        assert not sidebar.display
        assert isinstance(app.focused, AnswerBox)


async def test_states_in_the_sidebar_are_words(tmp_path):
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL, NEUTRAL, "2"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar", OptionList)
        first = str(sidebar.get_option("teaching-learning.1").prompt)
        assert "Strengthening" in first and "current" in first
        assert "not started" in str(sidebar.get_option("teaching-learning.2").prompt)


def test_every_binding_has_a_description_and_an_id():
    from reflect_bot.app.app import ReflectApp
    from reflect_bot.app.screens.cases import CaseStudiesScreen
    from reflect_bot.app.screens.help import HelpScreen
    from reflect_bot.app.screens.summary import SummaryScreen

    for owner in (
        ReflectApp,
        StartScreen,
        ChatScreen,
        TierScreen,
        CaseStudiesScreen,
        SummaryScreen,
        HelpScreen,
        AnswerBox,
    ):
        for binding in owner.BINDINGS:
            assert binding.description, (owner.__name__, binding.key)
            assert binding.id, (owner.__name__, binding.key)


async def test_quit_by_command_and_from_a_view_saves_first(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, "What works: shared planning.")
        await answer(pilot, "/quit")
    assert app.return_code == 0
    assert "resume test-session" in app.farewell  # printed after the app closes
    assert record(saved(tmp_path), "teaching-learning.1")["answers"][0]["text"] == (
        "What works: shared planning."
    )

    again = app_for(tmp_path, session_name="test-session", resume=True)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert type(again.screen).__name__ == "HelpScreen"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert again.return_code == 0
    assert not again.is_running


async def test_the_start_screen_lists_unreadable_files_with_their_reason(tmp_path):
    made_session(tmp_path, ["1"])
    folder = tmp_path / "sessions"
    (folder / "damaged.toml").write_text("this is [not toml", encoding="utf-8")
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        sessions = app.screen.query_one("#sessions", OptionList)
        prompts = [str(sessions.get_option_at_index(i).prompt) for i in range(2)]
        damaged = next(p for p in prompts if "damaged" in p)
        assert "cannot be opened" in damaged
        assert any("Oakfield Primary" in p for p in prompts)
        bad = next(i for i in range(2) if "damaged" in prompts[i])
        assert sessions.get_option_at_index(bad).disabled


async def test_the_theme_switches_between_light_and_dark(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        dark = app.theme
        app.toggle_theme()
        assert app.theme != dark and "light" in app.theme
        app.toggle_theme()
        assert app.theme == dark


async def test_a_tier_without_a_descriptor_says_so(tmp_path):
    """Interventions (T&L 5) has no specific descriptor at Sustaining Excellence: the comparison
    says so in words and shows the area's overall descriptor instead."""
    made_session(tmp_path, ["1", "/go teaching-learning.5", *[NEUTRAL] * 4])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await comparison_opens(pilot)  # at once: the leader asked for it
        columns = app.screen.query(".tier-column")
        assert len(columns) == 3
        texts = ["\n".join(s.visual.plain for s in column.query(Static)) for column in columns]
        assert "3  Sustaining Excellence" in texts[2]
        assert "no specific descriptor" in texts[2]
        assert "The area's overall descriptor at this tier" in texts[2]
        assert "no specific descriptor" not in texts[0]
        await pilot.press("3")  # keys choose only when the bot asks for a tier
        await pilot.pause()
        assert app.session.record("teaching-learning.5").tier == "excellence"


async def test_retyping_after_the_privacy_reminder_starts_from_the_answer(tmp_path):
    """Choosing to retype puts the held answer back in the box to edit; nothing is recorded
    until it is sent again."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    typed = "Jamie Smith in Year 4 emails jamie@example.com about his plan."
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, typed)
        assert app.session.conversation.state == "privacy"
        await answer(pilot, "r")
        box = app.screen.query_one(AnswerBox)
        assert box.text == typed
        box.clear()
        await answer(pilot, "A pupil in Year 4 uses a communication plan.")
    answers = record(saved(tmp_path), "teaching-learning.1")["answers"]
    assert [a["text"] for a in answers] == ["A pupil in Year 4 uses a communication plan."]
