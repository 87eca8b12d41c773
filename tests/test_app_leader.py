"""The app as a new leader meets it: nothing typed is lost, odd files never crash it, the
transcript reads naturally, and the words are plain."""

from __future__ import annotations

from test_app_support import (
    NARROW,
    NEUTRAL,
    WIDE,
    answer,
    app_for,
    comparison_opens,
    framework,
    made_session,
    record,
    saved,
    settings_for,
    shown_text,
)
from textual.widgets import OptionList, Static

from reflect_bot.app import make_app
from reflect_bot.app.names import UNKNOWN_TIER, statement_label, tier_name
from reflect_bot.app.screens.chat import LEFT_BLANK, ChatScreen
from reflect_bot.app.screens.start import StartScreen
from reflect_bot.app.screens.summary import SummaryScreen, state_in_words
from reflect_bot.app.widgets.answer_box import AnswerBox
from reflect_bot.app.widgets.progress import NOT_IN_PLAN, statement_state
from reflect_bot.locations import Settings
from reflect_bot.store import SessionStore


def problem_text(app) -> str:
    banners = app.screen.query("#problem").results(Static)  # there only once there is one
    return "".join(banner.visual.plain for banner in banners if banner.display)


def set_tier(tmp_path, statement_id: str, tier: str) -> None:
    """Edit the saved session by hand, as a leader might."""
    path = SessionStore(settings_for(tmp_path).sessions_dir).path_for("test-session")
    text = path.read_text(encoding="utf-8")
    marker = f'statement_id = "{statement_id}"'
    head, _, tail = text.partition(marker)
    before, _, after = tail.partition('tier = "')
    old, _, rest = after.partition('"')
    path.write_text(f'{head}{marker}{before}tier = "{tier}"{rest}', encoding="utf-8")


# --- an unreadable or odd session ----------------------------------------------------------------


async def test_a_session_with_an_unknown_tier_is_refused_on_the_start_screen(tmp_path):
    """A hand-edited tier id: the start screen says what is wrong; the app does not crash."""
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL, NEUTRAL, "2"])
    set_tier(tmp_path, "teaching-learning.1", "bogus")
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "bogus" in problem_text(app)
        assert app.session is None
        # the lock was let go: choosing it again says the same, not "open elsewhere"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "bogus" in problem_text(app)
    assert app.return_code in (0, None)


async def test_an_unknown_tier_shows_in_words_in_the_summary_and_sidebar(tmp_path):
    """If a session names a tier the framework lacks, every view says "unknown tier"."""
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL, NEUTRAL, "2"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.session.record("teaching-learning.1").tier = "bogus"
        app.chat.refresh_chrome()
        sidebar = app.screen.query_one("#sidebar", OptionList)
        assert UNKNOWN_TIER in str(sidebar.get_option("teaching-learning.1").prompt)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)  # it opened: no KeyError
        fw = framework()
        assert state_in_words(app.session, fw, "teaching-learning.1").startswith(UNKNOWN_TIER)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+g")  # the "go to" list names states too
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
    assert tier_name(fw, "bogus") == UNKNOWN_TIER
    assert tier_name(fw, "strengthening") == "Strengthening Practice"
    assert statement_label(fw, "nowhere.9") == "nowhere.9"


async def test_a_session_open_elsewhere_is_refused_in_plain_words(tmp_path):
    made_session(tmp_path, ["1"])
    other = SessionStore(settings_for(tmp_path).sessions_dir)
    held = other.open("test-session", framework())
    try:
        app = app_for(tmp_path)
        async with app.run_test(size=NARROW) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            problem = problem_text(app)
            assert problem == (
                "This reflection is open in another reflect-bot window. "
                "Close it there first, then try again."
            )
    finally:
        other.close(held)


# --- nothing typed is lost -----------------------------------------------------------------------


async def test_an_unsent_draft_survives_quitting_and_is_cleared_when_sent(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press(*"Half a thought", "ctrl+j", *"and a second line")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert saved(tmp_path)["conversation"]["draft"] == "Half a thought\nand a second line"

    again = app_for(tmp_path, session_name="test-session", resume=True)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.pause()
        box = again.screen.query_one(AnswerBox)
        assert box.text == "Half a thought\nand a second line"
        assert isinstance(again.focused, AnswerBox)
        await pilot.press("enter")
        await pilot.pause()
        assert box.text == ""
        assert again.session.conversation.draft == ""
    data = saved(tmp_path)
    assert data["conversation"].get("draft", "") == ""
    assert record(data, "teaching-learning.1")["answers"][0]["text"] == (
        "Half a thought\nand a second line"
    )


async def test_a_draft_is_saved_when_typing_pauses(tmp_path, monkeypatch):
    """Saved after a pause in typing (not on every key), so closing the terminal loses little."""
    monkeypatch.setattr(ChatScreen, "DRAFT_PAUSE", 0.05)
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press(*"Typing slowly")
        for _ in range(100):
            if saved(tmp_path)["conversation"].get("draft") == "Typing slowly":
                break
            await pilot.pause(0.02)
        assert saved(tmp_path)["conversation"]["draft"] == "Typing slowly"


async def test_the_farewell_names_the_command_that_started_the_app(tmp_path):
    made_session(tmp_path, ["1"])
    settings = Settings.load(
        sessions_dir=tmp_path / "sessions",
        environ={"REFLECT_BOT_COMMAND": "python3 dev.py start"},
    )
    app = make_app(
        settings, framework(), SessionStore(settings.sessions_dir), "test-session", resume=True
    )
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert "python3 dev.py start" in app.farewell
    assert "resume test-session" in app.farewell
    assert Settings.load(environ={}).command == "reflect-bot"


# --- the transcript reads naturally --------------------------------------------------------------


async def test_blank_answers_from_the_start_form_are_shown_as_left_blank(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press(*"Oakfield")
        await pilot.click("#begin")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        text = shown_text(app)
        assert text.count(LEFT_BLANK) == 2  # phase and role
        assert "Oakfield" in text
        leader = [t.text for t in app.session.transcript if t.role == "leader"]
        assert leader == ["Oakfield", LEFT_BLANK, LEFT_BLANK]
        await pilot.press("ctrl+q")
        await pilot.pause()

    again = app_for(tmp_path, resume=True)
    async with again.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert shown_text(again).count(LEFT_BLANK) == 2


async def test_the_comparison_leaves_the_descriptors_in_the_transcript(tmp_path):
    """After the comparison closes, the chat shows the three tiers, not an empty heading."""
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, NEUTRAL)
        await comparison_opens(pilot)
        await pilot.press("escape")
        await pilot.pause()
        text = shown_text(app)
        assert "The three tiers for this statement" in text
        descriptors = framework().statement("teaching-learning.1").descriptors
        for descriptor in descriptors.values():
            assert descriptor and descriptor[:60] in " ".join(text.split())


async def test_the_narrow_comparison_says_where_the_hint_points_and_that_more_follows(tmp_path):
    growing = "Partnerships are increasingly purposeful and more teachers adapt their teaching."
    made_session(tmp_path, ["2", growing, growing, growing])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await answer(pilot, growing)
        await comparison_opens(pilot)
        overview = app.screen.query_one(".overview", Static)
        assert overview.display and overview.region.y < 4  # at the top, seen at once
        assert "2 Strengthening Practice" in overview.visual.plain
        assert "↓ reads on" in overview.visual.plain
        assert not app.screen.query_one(".tier-comparison .hint").display
        titles = [c.query_one(".tier-title").region for c in app.screen.query(".tier-column")]
        assert titles[1].bottom <= 24  # the second tier starts on the first screen


async def test_statement_states_use_the_same_words_everywhere(tmp_path):
    made_session(tmp_path, ["2"])  # Teaching & Learning only
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar", OptionList)
        assert NOT_IN_PLAN in str(sidebar.get_option("pupils-parents-carers.1").prompt)
        assert "not started" in str(sidebar.get_option("teaching-learning.2").prompt)
        assert "not chosen" not in "".join(
            str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)
        )
        session, fw = app.session, framework()
        assert statement_state(session, fw, "pupils-parents-carers.1") == NOT_IN_PLAN


# --- plain words ---------------------------------------------------------------------------------


async def test_the_palette_and_ctrl_c_speak_plainly(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Keys" not in titles and "Help" in titles
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages and "Ctrl+Q" in messages[-1]
        assert all("ctrl+q to quit the app" not in m for m in messages)
        assert app.is_running


async def test_a_multi_line_priority_is_indented_in_the_summary(tmp_path):
    """Every line of the leader's words starts under the first, typed or wrapped."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        area = app.session.area_record("teaching-learning")
        area.top_priority = "First line of priority\nSecond line of priority."
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        table = app.screen.query_one(".priorities", Static)
        lines = [strip.text.rstrip() for strip in table.render_lines(table.region.reset_offset)]
    first = next(line for line in lines if "First line of priority" in line)
    second = next(line for line in lines if "Second line of priority" in line)
    assert first.index("First") == second.index("Second") > 4
    assert second.endswith("Second line of priority.")  # said once, with one full stop
