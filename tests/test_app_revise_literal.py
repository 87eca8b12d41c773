"""In the app, the leader's words quoted by the bot show exactly as typed (the statement recap
after /go on a finished statement, the welcome back), also when the session is opened again;
and the palette's export entries say where an export will go."""

from __future__ import annotations

from test_app_support import WIDE, answer, app_for, made_session, until

MARKUP = "**bold** [a](http://x) `code` <b>tag</b> &amp; C:\\maps _x_"
ANSWERS = [
    "1",  # all statements
    f"We plan {MARKUP}",
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
    "2",
    "Consistent practice",
    "",
    "n",
]
LABEL = "Oak_field <i>North</i>"
FRAME = " █▌▐▄▀▔▁"  # the speaker's bar and frames


def rendered(app) -> str:
    """Every message in the transcript as the screen shows it, on one line (wrapping undone)."""
    lines = []
    for static in app.screen.query("#transcript Static"):
        if static.region.area:
            strips = static.render_lines(static.region.reset_offset)
            lines += [strip.text.strip(FRAME) for strip in strips]
    return " ".join(" ".join(lines).split())


async def test_the_recap_shows_the_answer_as_typed(tmp_path):
    made_session(tmp_path, ANSWERS, label=LABEL)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert f'Welcome back to "{LABEL}"' in rendered(app)
        await answer(pilot, "/go 1")
        await until(pilot, lambda: "What you said" in rendered(app))
        shown = rendered(app)
        assert f"Working well: We plan {MARKUP}" in shown
        assert "\\*" not in shown and "\\<" not in shown
    # opened again: the recap comes back from the saved transcript, still as typed
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: "What you said" in rendered(app))
        assert f"Working well: We plan {MARKUP}" in rendered(app)


async def test_the_palette_says_where_exports_will_be_saved(tmp_path):
    made_session(tmp_path, ["1"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        commands = [c for c in app.get_system_commands(app.screen) if "Export" in c.title]
        assert commands
        for command in commands:
            assert command.help == f"Saves to {app.settings.exports_dir}"
