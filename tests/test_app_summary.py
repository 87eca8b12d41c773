"""The in-app summary names the phase and role, as the exports do, literally."""

from test_app_support import WIDE, app_for, framework, made_session, settings_for, until

from reflect_bot.app.screens.summary import SummaryScreen
from reflect_bot.store import SessionStore


def with_details(tmp_path, phase: str, role: str) -> None:
    made_session(tmp_path, ["2"])
    store = SessionStore(settings_for(tmp_path).sessions_dir)
    session = store.open("test-session", framework())
    session.phase, session.role = phase, role
    store.save(session)
    store.close(session)


async def test_the_summary_says_phase_and_role(tmp_path):
    with_details(tmp_path, "Primary", "SENCo [bold]x[/bold]")
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        about = app.screen.query_one("#summary-about")
        assert str(about.visual) == "Phase: Primary · Role: SENCo [bold]x[/bold]"


async def test_without_phase_or_role_the_line_is_left_out(tmp_path):
    with_details(tmp_path, "", "  ")
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert not app.screen.query("#summary-about")
