"""Keys a new user tripped over: Ctrl+L into the progress list and Esc back out, a footer that
shows only whole keys at any width, the list wrapped for its width after a resize, "↓ reads on"
only when the tiers scroll, and Ctrl+T from the summary and help."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from test_app_support import NARROW, NEUTRAL, answer, app_for, comparison_opens, made_session, until
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from reflect_bot.app.screens.chat import ChatScreen
from reflect_bot.app.screens.help import HelpScreen
from reflect_bot.app.screens.summary import SummaryScreen
from reflect_bot.app.screens.tiers import TierScreen
from reflect_bot.app.widgets.answer_box import AnswerBox
from reflect_bot.app.widgets.footer import ShownKey, fitting
from reflect_bot.app.widgets.progress import ProgressSidebar

BIG = (200, 50)


def footer_keys(screen) -> list[FooterKey]:
    return list(screen.query_one(Footer).query(FooterKey))


def descriptions(screen) -> list[str]:
    return [key.description for key in footer_keys(screen)]


def assert_whole_keys(screen, width: int) -> None:
    """Every key in the footer whole and on screen: none runs past the edge or under another."""
    footer = screen.query_one(Footer)
    assert footer.max_scroll_x == 0  # nothing runs on past the right edge
    regions = sorted(key.region for key in footer_keys(screen))
    assert regions and all(region.right <= width for region in regions)
    for left, right in zip(regions, regions[1:], strict=False):
        assert left.right <= right.x, (left, right)


# --- 1. Ctrl+L into the list, arrows and Enter to jump, Esc back --------------------------------


async def test_ctrl_l_moves_into_the_list_and_enter_jumps_without_sending_an_answer(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        chat = app.screen
        sidebar = chat.query_one(ProgressSidebar)
        turns = len(chat.session.transcript)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert sidebar.display and app.focused is sidebar
        # what the footer says while the list has focus: Enter goes to, Esc goes back
        await until(pilot, lambda: "Go to" in descriptions(chat))
        assert "Back to answer" in descriptions(chat)
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.focused, AnswerBox))
        assert chat.session.conversation.statement_id == "teaching-learning.2"
        assert not sidebar.display  # at 80 columns it covered the chat: out of the way now
        left = [t.text for t in chat.session.transcript[turns:] if t.role == "leader"]
        assert left == ["/go 2"]  # no empty answer went with it


async def test_escape_in_the_list_goes_back_to_the_answer_box(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(ProgressSidebar)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.focused is sidebar
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, AnswerBox)
        assert not sidebar.display
        assert app.screen.session.conversation.statement_id == "teaching-learning.1"


async def test_on_a_wide_terminal_ctrl_l_moves_into_the_list_and_escape_leaves_it_showing(
    tmp_path,
):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(ProgressSidebar)
        assert sidebar.display and isinstance(app.focused, AnswerBox)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.focused is sidebar
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, AnswerBox) and sidebar.display
        await pilot.press("ctrl+l", "ctrl+l")  # in, then hidden
        await pilot.pause()
        assert not sidebar.display and isinstance(app.focused, AnswerBox)
        await pilot.press("ctrl+l")  # shown again, and in it
        await pilot.pause()
        assert sidebar.display and app.focused is sidebar


async def test_a_list_left_beside_the_chat_does_not_cover_it_once_the_terminal_narrows(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(ProgressSidebar)
        await pilot.press("ctrl+l", "escape")
        await pilot.pause()
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert not sidebar.display and isinstance(app.focused, AnswerBox)


async def test_a_list_hidden_by_a_narrower_terminal_leaves_the_answer_box_with_the_focus(
    tmp_path,
):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(ProgressSidebar)
        sidebar.focus()  # reached with Tab: the list beside the chat, as it opens
        await pilot.pause()
        await pilot.resize_terminal(*NARROW)
        await until(pilot, lambda: isinstance(app.focused, AnswerBox))
        assert not sidebar.display


# --- 2. the footer shows whole keys only -----------------------------------------------------


async def test_at_80_columns_the_footer_shows_whole_keys_with_esc_and_enter(tmp_path):
    """With the list open over the chat and the answer box focused, the chat's keys do not fit
    in 80 columns: Textual's footer ran them on under the palette's key ("palettel")."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        chat = app.screen
        await pilot.press("ctrl+l", "tab")  # the list open, back in the answer box
        await until(pilot, lambda: "Close list" in descriptions(chat))
        await pilot.pause()
        assert isinstance(app.focused, AnswerBox)
        assert_whole_keys(chat, 80)
        shown = [key.key for key in footer_keys(chat)]
        assert "enter" in shown and "escape" in shown and "ctrl+j" in shown
        await pilot.press("tab")  # into the list
        await until(pilot, lambda: "Go to" in descriptions(chat))
        await pilot.pause()
        assert_whole_keys(chat, 80)
        assert "Back to answer" in descriptions(chat)


async def test_after_narrowing_from_200_columns_the_footer_shows_whole_keys(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        chat = app.screen
        await pilot.press("ctrl+l")  # into the list beside the chat
        await pilot.pause()
        await pilot.resize_terminal(*NARROW)
        await pilot.press("tab")  # the list now covers the chat; back to the answer box
        await until(pilot, lambda: "Close list" in descriptions(chat))
        await pilot.pause()
        assert_whole_keys(chat, 80)
        assert {"enter", "escape"} <= {key.key for key in footer_keys(chat)}
        await pilot.resize_terminal(*BIG)  # room again: every key back
        await until(pilot, lambda: "Summary" in descriptions(chat))
        await pilot.pause()
        assert "Progress" in descriptions(chat)
        assert_whole_keys(chat, 200)


@pytest.mark.parametrize("width", [40, 60, 80])
async def test_the_comparison_and_summary_footers_show_whole_keys_when_narrow(tmp_path, width):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.pause()
        assert_whole_keys(app.screen, width)
        assert "escape" in {key.key for key in footer_keys(app.screen)}
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TierScreen))
        await pilot.pause()
        assert_whole_keys(app.screen, width)
        assert "escape" in {key.key for key in footer_keys(app.screen)}


def _key(key: str, rank: int, width: int) -> ShownKey:
    return ShownKey(key, key, key, True, "", rank, width)


def test_the_least_needed_keys_go_first_and_the_palette_before_the_apps():
    moment, app_key, screen_a, screen_b = (
        _key("enter", 0, 10),
        _key("ctrl+q", 1, 10),
        _key("ctrl+t", 2, 10),
        _key("ctrl+r", 2, 10),
    )
    keys = (moment, screen_a, screen_b, app_key)
    assert fitting(keys, 10, 50) == (keys, True)
    assert fitting(keys, 10, 40) == ((moment, screen_a, app_key), True)  # the rightmost screen key
    assert fitting(keys, 10, 30) == ((moment, app_key), True)
    assert fitting(keys, 10, 20) == ((moment, app_key), False)  # the palette before Ctrl+Q
    assert fitting(keys, 10, 10) == ((moment,), False)
    assert fitting(keys, 10, 5) == ((), False)


# --- 3. the list wrapped for its width after a resize ----------------------------------------


async def test_the_list_opened_after_narrowing_is_wrapped_for_its_new_width(tmp_path):
    """Wrapped for 200 columns, "2 Understanding pupils' needs and" no longer fit at 80: the
    list wrapped it again, leaving "and" alone on a line."""
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(ProgressSidebar)
        label = str(sidebar.get_option("teaching-learning.2").prompt)
        assert label.startswith("  2 Understanding pupils' needs and\n")  # room for it at 200
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        await pilot.press("ctrl+l")
        await until(pilot, lambda: sidebar.display and sidebar.size.width > 0)
        await pilot.pause()
        room = sidebar.scrollable_content_region.width
        for option in sidebar.options:
            lines = str(option.prompt).split("\n")
            assert all(cell_len(line) <= room for line in lines), lines
        label = str(sidebar.get_option("teaching-learning.2").prompt)
        assert label.split("\n")[:2] == ["  2 Understanding pupils' needs", "    and aspirations"]


# --- 4. "↓ reads on" only when the descriptors scroll ----------------------------------------


def key_line(screen) -> str:
    return screen.query_one("#tiers-keys", Static).visual.plain


async def test_reads_on_shows_only_while_the_tiers_run_on_below(tmp_path):
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await answer(pilot, NEUTRAL)
        await comparison_opens(pilot)
        view = app.screen
        assert view.query_one("#tiers-scroll").max_scroll_y == 0  # it all fits at 200x50
        assert key_line(view).startswith("Best fit? Press 1, 2 or 3")
        assert "↓ reads on" not in key_line(view)
        await pilot.resize_terminal(*NARROW)
        await until(pilot, lambda: "↓ reads on" in key_line(view))
        assert view.query_one("#tiers-scroll").max_scroll_y > 0
        await pilot.resize_terminal(*BIG)
        await until(pilot, lambda: "↓ reads on" not in key_line(view))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ChatScreen))
        await pilot.resize_terminal(*NARROW)  # narrowed while the comparison was closed
        await pilot.pause()
        await pilot.press("ctrl+t")
        await until(pilot, lambda: app.screen is view)  # the same view, shown again
        await until(pilot, lambda: "↓ reads on" in key_line(view))


# --- 5. Ctrl+T from the summary and from help ------------------------------------------------


@pytest.mark.parametrize(("key", "view"), [("ctrl+r", SummaryScreen), ("f1", HelpScreen)])
async def test_ctrl_t_in_the_summary_or_help_opens_the_comparison_in_its_place(tmp_path, key, view):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, view))
        await pilot.pause()
        assert "Tiers" in descriptions(app.screen)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TierScreen))
        stack = [type(screen) for screen in app.screen_stack]
        assert stack[-2:] == [ChatScreen, TierScreen] and view not in stack
        plain = app.screen.query_one(".statement-short", Static).visual.plain
        assert plain.startswith("Teaching & Learning 1")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ChatScreen))


async def test_help_from_the_start_screen_offers_no_tiers(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert "Tiers" not in descriptions(app.screen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_reads_on_is_left_out_when_the_stacked_tiers_fit_on_a_tall_terminal(tmp_path):
    made_session(tmp_path, ["1", NEUTRAL, NEUTRAL, NEUTRAL])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=(100, 90)) as pilot:
        await pilot.pause()
        await answer(pilot, NEUTRAL)
        await comparison_opens(pilot)
        view = app.screen
        assert view.has_class("-narrow")  # stacked
        await until(pilot, lambda: "↓ reads on" not in key_line(view))
        assert view.query_one("#tiers-scroll").max_scroll_y == 0
