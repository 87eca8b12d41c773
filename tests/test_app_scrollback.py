"""Paging up through a long conversation: earlier turns are brought back above what the leader
is reading without moving it, and each Page Up goes a page further up, in order, even with a
very long answer among them and keys pressed before the earlier turns are laid out."""

from __future__ import annotations

from test_app_support import (
    FIXED,
    NARROW,
    app_for,
    framework,
    long_session,
    settings_for,
    until,
)
from textual import events

from reflect_bot.app.widgets.transcript import Transcript
from reflect_bot.session import Turn
from reflect_bot.store import SessionStore

BIG = (200, 50)
LONG_AT = 160  # the very long answer: in the second batch brought back at 200x50


def session_with_a_long_answer(tmp_path, turns: int = 200) -> None:
    """A long session with a leader's answer of about 50 KB (in paragraphs) at LONG_AT."""
    name = long_session(tmp_path, turns)
    store = SessionStore(settings_for(tmp_path).sessions_dir)
    session = store.open(name, framework())
    paragraph = "How the school works with families and partners, term by term. " * 8
    text = "\n\n".join([paragraph] * 95)
    assert len(text) > 48_000
    session.transcript[LONG_AT] = Turn(role="leader", text=f"Long answer. {text}", at=FIXED)
    store.save(session)
    store.close(session)


def at_top(transcript: Transcript) -> tuple[int, int, float]:
    """Where the view is in the conversation: the message at its top (the turn its step starts
    at, and which of that step's messages) and how many rows into it. Later means lower."""
    y = transcript.scroll_y
    count: dict[int, int] = {}
    for message in transcript.query_children(".msg"):
        number = count[message.index] = count.get(message.index, -1) + 1
        region = message.virtual_region
        if region.bottom > y:
            return message.index, number, y - region.y
    raise AssertionError("nothing in view")


async def settled(pilot, transcript: Transcript) -> None:
    """Until every message is mounted and laid out."""
    await until(pilot, lambda: all(m.is_mounted for m in transcript.query_children(".msg")))
    await pilot.pause()
    await pilot.pause()


def each_turn_once(transcript: Transcript) -> None:
    """Nothing lost or shown twice: the mounted steps in order, every turn from the oldest
    mounted to the latest shown once."""
    indices = [m.index for m in transcript.query_children(".msg")]
    assert indices == sorted(indices)
    shown = "\n".join(
        getattr(w.visual, "plain", "") or str(getattr(w, "visual", ""))
        for w in transcript.query("Static")
    )
    for number in range(transcript.first_index, 200):
        words = "Long answer." if number == LONG_AT else f"Message {number}. "
        assert shown.count(words) == 1, number


async def test_each_page_up_goes_a_page_further_up_through_earlier_turns(tmp_path):
    session_with_a_long_answer(tmp_path)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        transcript = app.screen.query_one(Transcript)
        await settled(pilot, transcript)
        opened_at = transcript.first_index
        seen = [at_top(transcript)]
        while transcript.first_index > LONG_AT or transcript.scroll_y > 300:
            await pilot.press("pageup")
            await settled(pilot, transcript)
            seen.append(at_top(transcript))
            assert seen[-1] < seen[-2]  # always further up, never back down
            assert len(seen) < 40
        assert transcript.first_index < opened_at
        each_turn_once(transcript)


async def test_page_up_pressed_before_earlier_turns_are_laid_out_still_moves_a_page(tmp_path):
    session_with_a_long_answer(tmp_path)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=BIG) as pilot:
        transcript = app.screen.query_one(Transcript)
        await settled(pilot, transcript)
        page = transcript.scrollable_content_region.height
        for _ in range(2):  # the second time, the batch brought back holds the long answer
            while transcript.scroll_y >= 2 * page:
                await pilot.press("pageup")
            mounted = transcript.first_index
            message = next(
                m for m in transcript.query_children(".msg") if m.virtual_region.bottom > 0
            )
            below = transcript.scroll_y - message.virtual_region.y
            for _ in range(3):  # typed ahead: handled before anything is laid out again
                app.post_message(events.Key("pageup", None))
            await until(pilot, lambda: transcript.first_index < mounted)  # noqa: B023
            await settled(pilot, transcript)
            # Three pages up from where it was, counted in the conversation.
            assert transcript.scroll_y == message.virtual_region.y + below - 3 * page
        assert transcript.first_index <= LONG_AT
        # Left alone, the view stays where it is, however long the answers laid out above.
        where, y = at_top(transcript), transcript.scroll_y
        for _ in range(5):
            await pilot.pause()
            assert (at_top(transcript), transcript.scroll_y) == (where, y)
        each_turn_once(transcript)


async def test_earlier_turns_brought_back_at_the_top_leave_the_view_where_it_was(tmp_path):
    session_with_a_long_answer(tmp_path)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        transcript = app.screen.query_one(Transcript)
        await settled(pilot, transcript)
        seen = [at_top(transcript)]
        for _ in range(3):
            transcript.scroll_home(animate=False, immediate=True)  # the turns before come back
            await settled(pilot, transcript)
            # ...and the button brings back more.
            first = transcript.first_index
            oldest = transcript.query_children(".msg").first()
            row = oldest.region.y
            app.screen.query_one("#earlier").press()
            await until(pilot, lambda: transcript.first_index < first)  # noqa: B023
            await settled(pilot, transcript)
            assert oldest.region.y == row  # what the leader was reading has not moved
            await pilot.press("pageup")
            await settled(pilot, transcript)
            seen.append(at_top(transcript))
            assert seen[-1] < seen[-2]
        each_turn_once(transcript)
