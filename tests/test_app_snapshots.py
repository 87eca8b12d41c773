"""Snapshots of the app's main views at 80x24 and 120x40.

Each session is made through the engine with every time fixed; the cursor does not blink in a
headless app and no clock is shown, so the pictures depend on the code alone. `snap_compare` runs
its own event loop: these tests are synchronous.
"""

from __future__ import annotations

import pytest
from test_app_support import NEUTRAL, app_for, comparison_opens, made_session, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

STATEMENT_ONE_DONE = [
    "2",
    NEUTRAL,
    NEUTRAL,
    NEUTRAL,
    NEUTRAL,
    "2",
    "Stronger alignment in foundation subjects.",
    "Run CPD on adaptive teaching",
    "Deputy head",
    "By Easter",
    "n",
    "1",
]


@pytest.mark.parametrize("size", SIZES)
def test_chat(snap_compare, tmp_path, size):
    """The chat after resuming mid-statement: the status line, the transcript with bot and leader
    told apart by name as well as colour, the quoted statement, the hint above the answer box,
    the footer with Enter and Ctrl+J; at 120 columns the progress sidebar with states in words,
    at 80 columns no sidebar."""
    made_session(
        tmp_path, [*STATEMENT_ONE_DONE, "Information reaches teachers through [pupil] passports."]
    )
    app = app_for(tmp_path, session_name="test-session", resume=True)
    assert snap_compare(app, terminal_size=size)


GROWING = "Partnerships are increasingly purposeful and more teachers adapt their teaching."


async def _answer_the_last_question(pilot) -> None:
    await until(pilot, lambda: pilot.app.screen.query("#answer"))  # the chat is built
    pilot.app.screen.query_one("#answer").insert(GROWING)
    await pilot.press("enter")
    await comparison_opens(pilot)  # once the leader has paused


@pytest.mark.parametrize("size", SIZES)
def test_tier_comparison(snap_compare, tmp_path, size):
    """The tier comparison as it opens for the choice: the statement on top, the three
    descriptors side by side at 120 columns; at 80, stacked and compact, under one line saying
    which tier the hint points to and that more follows (↓ reads on), with two tiers and the third's
    name on the first screen; each tier named in words with its number key, the hint about the
    leader's own words marked as a hint (not a verdict), and the keys 1, 2, 3 and ? in the
    footer."""
    made_session(tmp_path, ["2", GROWING, GROWING, GROWING])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    assert snap_compare(app, terminal_size=size, run_before=_answer_the_last_question)


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare, tmp_path, size):
    """The summary: the profile of every statement in scope with its state in words (a tier,
    in progress, not started), the next steps with who and when, and the export buttons."""
    made_session(tmp_path, [*STATEMENT_ONE_DONE, NEUTRAL])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    assert snap_compare(app, terminal_size=size, press=["ctrl+r"])
