"""An export says when the leader's words in it look like personal details.

The reminder while answering comes once per session; after it, an answer naming a parent's email
and phone or a pupil with a year group is kept as typed. The export is still written, word for
word, but the message reporting it (app, plain console, `reflect-bot export`) says what kind of
detail and where.
"""

from __future__ import annotations

from pathlib import Path

from console_support import plain
from test_app_support import NARROW, app_for, made_session, until
from test_app_support import answer as send
from test_export import FRAMEWORK, WHEN, answer, complete_session

from reflect_bot.app.screens.summary import SummaryScreen
from reflect_bot.cli import main
from reflect_bot.export import build_report, export_checked, personal_data_warning, render
from reflect_bot.session import Challenge, NextStep
from reflect_bot.store import SessionStore

# The new user's answer: an email address, a phone number and a pupil named with a year group.
PERSONAL = (
    "A parent, Sarah Jones (sarah.jones@example.com, 07700 900123), asked for it; "
    "Amy in Year 3 now attends"
)
# Through the engine: statement 1, a first answer with a name (the one reminder: kept), then the
# answer above, which no reminder follows.
INPUTS = ["1", "Teachers plan units together, Jamie in Year 4 says so.", "k", PERSONAL]
WARNING = (
    "It may include personal details: a name with a year group, an email address and a phone "
    "number (Teaching & Learning 1, what is working well and evidence). Check before sharing; "
    "/go 1 revisits the statement."
)


def warning_for(session, fmt: str = "md") -> str:
    return personal_data_warning(build_report(session, FRAMEWORK), FRAMEWORK, fmt)


# --- The check ----------------------------------------------------------------------------------


def test_a_clean_complete_session_exports_without_a_warning(tmp_path):
    session = complete_session()
    for fmt in ("md", "html", "csv"):
        written = export_checked(session, FRAMEWORK, fmt, exports_dir=tmp_path)
        assert written.warning == ""
        assert written.path.is_file()


def test_the_export_is_written_word_for_word_and_the_warning_says_what_and_where(tmp_path):
    session = complete_session()
    session.record("pupils-parents-carers.2").answers[0] = answer("working_well", PERSONAL)
    for fmt in ("md", "html"):
        written = export_checked(session, FRAMEWORK, fmt, exports_dir=tmp_path)
        assert written.warning == (
            "It may include personal details: an email address, a phone number and a name with "
            "a year group (Pupils, Parents & Carers 2, what is working well). Check before "
            "sharing; /go 7 revisits the statement."
        )
        text = written.path.read_text(encoding="utf-8")
        assert text == render(session, FRAMEWORK, fmt)  # the document itself is unchanged
        assert "sarah.jones@example.com" in text and "Amy in Year 3" in text


def test_the_action_plan_is_checked_for_what_it_shows_only():
    session = complete_session()
    session.record("pupils-parents-carers.2").answers[0] = answer("working_well", PERSONAL)
    assert warning_for(session, "csv") == ""  # answers are not in the action plan
    session.record("teaching-learning.1").next_steps[0] = NextStep(
        what="Call home", who="Jo (jo@example.org)", by_when="by Easter"
    )
    assert warning_for(session, "csv") == (
        "It may include personal details: an email address (Teaching & Learning 1, next steps). "
        "Check before sharing; /go 1 revisits the statement."
    )


def test_details_and_priorities_are_checked_and_more_places_are_counted():
    session = complete_session()
    session.role = "SENCo, 020 7946 0958"
    session.area_record("teaching-learning").top_priority = "Help Priya (Y6) with reading."
    session.record("teaching-learning.3").answers[1] = answer("evidence", "DOB 12/03/2015")
    session.record("pupils-parents-carers.1").next_steps[0].what = "UPN A123456789012 review"
    assert warning_for(session) == (
        "It may include personal details: a phone number, a name with a year group, a date of "
        "birth and a unique pupil number (your role; Teaching & Learning, top priority; and 2 "
        "more places). Check before sharing."
    )


def test_two_statements_are_named_with_the_way_back_to_each():
    session = complete_session()
    session.record("teaching-learning.2").answers[2] = answer("consistency", "Amir Y3 uses it.")
    session.record("pupils-parents-carers.2").challenge = Challenge(
        question="What would a visitor see?",
        tier_before="excellence",
        response="Ring 07700 900123",
        at=WHEN,
    )
    assert warning_for(session) == (
        "It may include personal details: a name with a year group and a phone number "
        "(Teaching & Learning 2, consistency and impact; Pupils, Parents & Carers 2, challenge "
        "response). Check before sharing; /go 2 and /go 7 revisit the statements."
    )


def test_no_false_alarm_on_the_frameworks_words_or_on_removed_details():
    session = complete_session()
    for statement in FRAMEWORK.statements:
        record = session.record(statement.id)
        # the leader quoting the framework, and answers whose details were retyped
        record.answers[0] = answer("working_well", statement.text)
        record.answers[1] = answer(
            "evidence", "[removed] in Year 3 and Tom's mum ([removed], [removed]) agree."
        )
        descriptors = [d for d in statement.descriptors.values() if d]
        record.answers[2] = answer("consistency", "\n\n".join(descriptors) or "Most classes.")
    assert warning_for(session, "md") == ""
    assert warning_for(session, "html") == ""


def test_an_answer_the_export_does_not_show_is_not_warned_about():
    session = complete_session()
    # "what would settle it" shows only while the best fit is "not sure yet"
    session.record("teaching-learning.1").answers.append(answer("find_out", PERSONAL))
    assert warning_for(session) == ""
    session.record("teaching-learning.1").not_sure = True
    assert "(Teaching & Learning 1, what would settle it)" in warning_for(session)


def test_details_in_every_answer_are_summed_up_briefly(tmp_path):
    # a complete session with personal details in every answer (the check's cost is in the
    # benchmark's export figure, not timed here)
    session = complete_session()
    for record in session.statements:
        record.answers = [answer(a.kind, f"{a.text} {PERSONAL}") for a in record.answers]
    written = export_checked(session, FRAMEWORK, "html", exports_dir=tmp_path)
    assert written.warning == (  # still short: two places named, the rest counted
        "It may include personal details: an email address, a phone number and a name with a "
        "year group (Teaching & Learning 1, what is working well and 3 more sections; Teaching & "
        "Learning 2, what is working well and 3 more sections; and 8 more places). Check before "
        "sharing; /go 1 and /go 2 revisit the statements."
    )


# --- Where the leader sees it -------------------------------------------------------------------


def _notices(app) -> list:
    return list(app._notifications)


async def test_the_apps_export_warns_in_the_message_and_as_a_warning(tmp_path):
    made_session(tmp_path, INPUTS)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("m")
        await until(
            pilot, lambda: any(str(n.message).startswith("Exported") for n in _notices(app))
        )
        notice = next(n for n in _notices(app) if str(n.message).startswith("Exported"))
        first, second = str(notice.message).split("\n")
        assert notice.severity == "warning"
        assert second == WARNING
        path = Path(first.removeprefix("Exported to "))
        assert PERSONAL in path.read_text(encoding="utf-8")
        shown = app.screen.query_one("#export-result").visual.plain
        assert shown == str(notice.message)
        # the same message wherever the export is asked for (the chat's /export, the palette)
        again = app.export_session("html")
        assert again.startswith("Exported to ") and again.endswith("\n" + WARNING)


async def test_an_export_typed_in_the_chat_warns_as_a_warning_too(tmp_path):
    made_session(tmp_path, INPUTS)
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await send(pilot, "/export md")
        await until(
            pilot, lambda: any(str(n.message).startswith("Exported") for n in _notices(app))
        )
        notice = next(n for n in _notices(app) if str(n.message).startswith("Exported"))
        assert notice.severity == "warning"
        assert str(notice.message).endswith("\n" + WARNING)


async def test_the_apps_export_of_a_clean_session_is_one_line(tmp_path):
    made_session(tmp_path, ["1", "Teachers plan units together each half term"])
    app = app_for(tmp_path, session_name="test-session", resume=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        message = app.export_session("md")
        assert message.startswith("Exported to ") and "\n" not in message
        assert Path(message.removeprefix("Exported to ")).is_file()


def test_the_plain_console_prints_the_warning_after_where_it_went(tmp_path, framework):
    stdin = "Oak\n\n\n" + "\n".join(INPUTS) + "\n/export md\n"
    code, out, session, _ = plain(tmp_path, framework, stdin)
    assert code == 0
    lines = out.splitlines()
    (at,) = [i for i, line in enumerate(lines) if line.startswith("Exported to ")]
    assert PERSONAL in Path(lines[at].removeprefix("Exported to ")).read_text(encoding="utf-8")
    assert lines[at + 1] == WARNING
    assert session.record("teaching-learning.1").answers[1].text == PERSONAL


def test_the_plain_console_says_nothing_more_for_a_clean_session(tmp_path, framework):
    code, out, _, _ = plain(tmp_path, framework, "Oak\n\n\n1\nWe plan together.\n/export md\n")
    assert code == 0
    assert "Exported to " in out
    assert "personal details" not in out.split("Exported to ", 1)[1]


def _saved(tmp_path, text: str) -> Path:
    sessions = tmp_path / "sessions"
    store = SessionStore(sessions)
    session = store.create(FRAMEWORK, "autumn")
    session.conversation.scope = ["teaching-learning.1"]
    record = session.record("teaching-learning.1")
    record.status = "done"
    record.answers = [answer("working_well", text)]
    store.save(session)
    store.close(session)
    return sessions


def test_the_export_command_prints_the_path_and_warns_on_standard_error(tmp_path, capsys):
    sessions = _saved(tmp_path, PERSONAL)
    assert main(["--sessions-dir", str(sessions), "export", "--format", "md"]) == 0
    printed = capsys.readouterr()
    path = tmp_path / "exports" / "autumn-summary.md"
    assert printed.out.strip() == str(path)  # scripts still get the path alone
    assert printed.err.strip() == (
        "It may include personal details: an email address, a phone number and a name with a "
        "year group (Teaching & Learning 1, what is working well). Check before sharing; /go 1 "
        "revisits the statement."
    )
    assert PERSONAL in path.read_text(encoding="utf-8")


def test_the_export_command_is_quiet_about_a_clean_session(tmp_path, capsys):
    sessions = _saved(tmp_path, "Teachers plan units together each half term.")
    assert main(["--sessions-dir", str(sessions), "export", "--format", "csv"]) == 0
    printed = capsys.readouterr()
    assert printed.out.strip() == str(tmp_path / "exports" / "autumn-action-plan.csv")
    assert printed.err == ""
