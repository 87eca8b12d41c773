"""The start screen: the first screen the app builds, the new-reflection form's choices (a
Choice until opened, then a real Select), and what the leader chose reaching the session."""

from __future__ import annotations

from process_support import run_python
from test_app_support import WIDE, app_for, framework, made_session, settings_for
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static

from reflect_bot.app import make_app
from reflect_bot.app.screens.chat import ChatScreen
from reflect_bot.app.screens.start import Choice, StartScreen
from reflect_bot.store import SessionStore


async def test_the_first_screen_is_the_only_screen(tmp_path):
    """The start screen is built with the app, not pushed over an empty screen."""
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [StartScreen]


async def test_the_first_screen_s_own_stylesheet_is_read(tmp_path, monkeypatch):
    """A base screen's CSS_PATH applies, although Textual reads it only for pushed screens."""
    css = tmp_path / "own.tcss"
    css.write_text("#own { height: 3; }", encoding="utf-8")

    class Own(Screen):
        CSS_PATH = str(css)

        def compose(self):
            yield Static("own", id="own")

    app = app_for(tmp_path)
    monkeypatch.setattr(app, "_first_screen", Own)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#own").size.height == 3


async def test_a_resumed_session_is_the_first_screen(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [ChatScreen]


async def test_the_choices_open_by_key_and_reach_the_session(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query(Select)  # no Select is built before one is opened
        await pilot.press(*"Oakfield", "tab")
        assert isinstance(app.focused, Choice) and app.focused.id == "phase"
        await pilot.press("enter")
        await pilot.pause()
        phase = screen.query_one("#phase", Select)  # a real Select, open, in its place
        assert phase.expanded
        await pilot.press("down", "enter")  # the first phase
        await pilot.pause()
        assert phase.value == "Primary" and app.focused is phase and not phase.expanded
        await pilot.press("tab", "space")
        await pilot.pause()
        role = screen.query_one("#role", Select)
        assert role.expanded
        await pilot.press("down", "down", "down", "enter")  # the third role
        await pilot.pause()
        assert role.value == "SENCo"
        await pilot.click("#begin")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        session = app.session
        assert (session.label, session.phase, session.role) == ("Oakfield", "Primary", "SENCo")


async def test_other_role_asks_what_it_is_and_the_words_reach_the_session(tmp_path):
    """Choosing "Other" opens a field for the role in the leader's words; another removes it."""
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.click("#role")
        await pilot.pause()
        role = screen.query_one("#role", Select)
        await pilot.press("end", "enter")  # the last role: Other
        await pilot.pause()
        assert role.value == "Other"
        other = screen.query_one("#role-other", Input)
        assert app.focused is other  # ready to type
        await pilot.press(*"Trust inclusion lead [bold]")
        role.value = "SENCo"
        await pilot.pause()
        assert not screen.query("#role-other")  # another choice: the field goes
        role.value = "Other"
        await pilot.pause()
        await pilot.press(*"Trust inclusion lead [bold]", "enter")
        await pilot.pause()
        assert app.focused is screen.query_one("#begin")  # Enter moves on, as in the label
        await pilot.click("#begin")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.session.role == "Trust inclusion lead [bold]"


async def test_other_role_left_empty_is_kept_as_other(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.click("#role")
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        await pilot.click("#begin")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.session.role == "Other"


async def test_a_choice_opens_with_a_click_in_the_same_place(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        before = screen.query_one("#role").region
        order = [w.id for w in screen.query("#new-pane > *") if w.id]
        await pilot.click("#role")
        await pilot.pause()
        role = screen.query_one("#role", Select)
        assert role.expanded and app.focused is not None
        assert role.region.x == before.x and role.region.y == before.y
        assert [w.id for w in screen.query("#new-pane > *") if w.id] == order
        await pilot.press("escape")  # closes the menu; nothing chosen
        await pilot.pause()
        assert not role.expanded and role.is_blank()
        assert isinstance(app.screen, StartScreen)


async def test_nothing_chosen_begins_with_the_choices_blank(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.click("#begin")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert (app.session.phase, app.session.role) == ("", "")


async def test_with_sessions_the_form_is_built_on_ctrl_n_and_escape_goes_back(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#resume-pane").display and not screen.query("#new-pane")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert (
            screen.query_one("#new-pane").display and not screen.query_one("#resume-pane").display
        )
        assert app.focused is screen.query_one("#label")
        await pilot.press(*"Year 7")
        await pilot.press("escape")
        await pilot.pause()
        assert (
            screen.query_one("#resume-pane").display and not screen.query_one("#new-pane").display
        )
        assert app.focused is screen.query_one("#sessions")
        await pilot.click("#new")  # the button does the same; the form keeps what was typed
        await pilot.pause()
        assert screen.query_one("#new-pane").display
        assert screen.query_one("#label").value == "Year 7"


async def test_a_broken_question_bank_ends_the_app_with_one_line(tmp_path):
    """Resuming straight into the chat: the app closes with the reason instead of crashing."""
    made_session(tmp_path, ["1"])
    empty = tmp_path / "prompts"
    empty.mkdir()
    settings = settings_for(tmp_path)._replace(prompts_dir=empty)
    store = SessionStore(settings.sessions_dir)
    app = make_app(settings, framework(), store, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
    assert app.return_code == 1
    assert not store.list(framework())[0].in_use  # the lock was let go


def _cells(app, widget) -> list[tuple[str, str]]:
    """The widget's first line as drawn: each cell's character, background and (where there is
    ink) foreground colour."""
    region = widget.region
    strip = app.screen._compositor.render_strips()[region.y].crop(region.x, region.right)
    cells = []
    for segment in strip:
        style = segment.style
        for char in segment.text:
            ink = str(style.color.triplet) if char != " " and style.color else ""
            cells.append((char, str(style.bgcolor.triplet), ink))
    return cells


async def test_a_choice_looks_like_the_select_that_replaces_it(tmp_path):
    """Focused, before and after it is opened once and closed with nothing chosen."""
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        choice = app.screen.query_one("#phase", Choice)
        assert app.focused is choice
        before = _cells(app, choice)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        select = app.screen.query_one("#phase", Select)
        assert app.focused is select and not select.expanded
        assert _cells(app, select) == before
        assert "".join(cell[0] for cell in before).startswith("Choose a phase")


def test_the_start_screen_loads_no_session_model_or_chat():
    """Its module, and the names it shows, need neither the session model nor the chat."""
    code = (
        "import sys\n"
        "import reflect_bot.app.screens.start\n"
        "late = ['reflect_bot.session', 'reflect_bot.app.screens.chat', 'pydantic']\n"
        "print(' '.join(m for m in late if m in sys.modules))\n"
    )
    assert run_python(code) == ""


async def test_on_a_short_terminal_the_form_scrolls_and_tab_reaches_begin(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 14)) as pilot:
        await pilot.pause()
        form = app.screen.query_one("#new-pane")
        await pilot.press("pagedown")  # from the label field: the form's own keys
        await pilot.pause()
        assert form.scroll_y > 0
        for _ in range(3):
            await pilot.press("tab")
        assert app.focused is app.screen.query_one("#begin")  # label, phase, role, Begin
        await pilot.pause()
        assert app.focused.region.bottom <= form.region.bottom  # scrolled into view


async def test_the_views_stylesheet_is_read_with_the_first_view(tmp_path):
    from reflect_bot.app.screens.help import HelpScreen
    from reflect_bot.app.screens.view import STYLESHEET

    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert not app.stylesheet.has_source(str(STYLESHEET), "")  # not at start
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        dialog = app.screen.query_one(".dialog")
        assert dialog.styles.border_top[0] == "round"  # the views' rules apply
        assert app.screen.styles.align == ("center", "middle")


async def test_made_without_a_framework_the_app_loads_it_at_begin(tmp_path):
    """`reflect-bot` alone: the first screen shows none of the framework, so it is loaded when
    the leader begins (or asks for help), not before the first screen."""
    settings = settings_for(tmp_path)
    app = make_app(settings, None, SessionStore(settings.sessions_dir))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app._framework is None
        await pilot.click("#begin")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.framework == framework()
        assert app.session.framework_id == framework().id


async def test_made_without_a_framework_saved_sessions_are_still_checked_and_labelled(tmp_path):
    made_session(tmp_path, ["1"])
    settings = settings_for(tmp_path)
    app = make_app(settings, None, SessionStore(settings.sessions_dir))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app._framework == framework()
        sessions = app.screen.query_one("#sessions", OptionList)
        shown = str(sessions.get_option_at_index(0).prompt)
        assert "at Teaching & Learning 1" in shown


async def test_a_broken_framework_ends_the_app_at_begin_with_its_problems(tmp_path):
    broken = tmp_path / "framework"
    broken.mkdir()
    settings = settings_for(tmp_path)._replace(framework_dir=broken)
    store = SessionStore(settings.sessions_dir)
    app = make_app(settings, None, store)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.click("#begin")
        await pilot.pause()
    assert app.return_code == 1
    assert store.list() == []  # no session was made
