"""A session made with another version of the framework: wording that changed is flagged when
the leader reaches the statement, and statements that are gone are skipped, never dropped."""

import pytest
from dialogue_support import opened, talk, text_of

from reflect_bot.replies import Ask, Profile
from reflect_bot.session import Answer, AreaRecord, NextStep, Session, now

UPDATED = "has been updated since you last reflected on it"
GONE = "teaching-learning.9"  # no such statement in this framework


@pytest.fixture
def session(framework):
    return Session(name="old", framework_id=framework.id, framework_version="pilot-older")


# --- updated since you last reflected -----------------------------------------------------------


def test_a_statement_whose_wording_changed_is_flagged_when_reached(engine, session, framework):
    opened(engine, session)
    current = framework.statement("teaching-learning.3")
    session.record("teaching-learning.3").statement_hash = "0123456789ab"  # older wording
    session.record("teaching-learning.3").status = "done"
    session.record("teaching-learning.4").statement_hash = framework.statement(
        "teaching-learning.4"
    ).text_hash
    replies = talk(engine, session, "/go 3")
    assert UPDATED in text_of(replies)
    assert session.record("teaching-learning.3").statement_hash == current.text_hash
    # said once: going there again, the wording is what they reflected on
    assert UPDATED not in text_of(talk(engine, session, "/go 4", "/go 3"))
    # wording unchanged: nothing said
    assert UPDATED not in text_of(talk(engine, session, "/go 4"))


def test_never_reflected_on_is_never_updated(engine, session):
    opened(engine, session)
    assert UPDATED not in text_of(talk(engine, session, "/go 2"))


def test_resumed_in_the_middle_of_a_statement_whose_wording_changed(engine, session, framework):
    opened(engine, session)
    talk(engine, session, "Teachers plan units together each half term")
    session.record("teaching-learning.1").statement_hash = "0123456789ab"
    resumed = Session.model_validate(session.model_dump())
    replies = engine.start(resumed)
    assert UPDATED in text_of(replies)
    assert resumed.record("teaching-learning.1").statement_hash == (
        framework.statement("teaching-learning.1").text_hash
    )
    assert replies[-1] == Ask("reflection", "reflection")


# --- statements the framework no longer has -----------------------------------------------------


def _with_a_statement_gone(engine, session):
    """A session whose scope, records, area priorities and undo history name things this
    framework does not have."""
    opened(engine, session)
    talk(engine, session, "Teachers plan units together each half term")
    conv = session.conversation
    conv.scope.insert(1, GONE)
    gone = session.record(GONE)
    gone.status = "done"
    gone.tier = "excellence"
    gone.next_steps.append(NextStep(what="Peer tutoring across the trust"))
    gone.answers.append(
        Answer(question_id="q", kind="working_well", question="Q?", text="Peer tutoring", at=now())
    )
    retired = session.record("teaching-learning.2")
    retired.status = "done"
    retired.tier = "retired-tier"  # a tier this framework does not have
    session.areas.append(AreaRecord(area_id="retired-area", top_priority="Old priority"))


@pytest.mark.parametrize(
    "command",
    ["/summary", "/cases", "/tiers", "/go 2", "/go 12", "/skip", "/back", "/help", "/save"],
)
def test_commands_skip_what_the_framework_no_longer_has(engine, session, command):
    _with_a_statement_gone(engine, session)
    replies = talk(engine, session, command)
    assert isinstance(replies[-1], Ask)
    assert GONE not in text_of(replies)
    assert "Old priority" not in text_of(replies)


def test_the_summary_lists_only_statements_this_framework_has(engine, session, framework):
    _with_a_statement_gone(engine, session)
    replies = talk(engine, session, "/summary")
    rows = [row.statement_id for r in replies if isinstance(r, Profile) for row in r.rows]
    assert rows == [s.id for s in framework.statements]
    assert "Next steps recorded: 0" in text_of(replies)


def test_back_to_the_scope_question_and_on_again(engine, session):
    _with_a_statement_gone(engine, session)
    talk(engine, session, "/back", "/back")
    assert session.conversation.state == "scope"
    talk(engine, session, "/summary", "1")
    talk(engine, session, "/summary", "/skip")
    # on to the next statement not yet done (2 is done), never the gone one
    assert session.conversation.statement_id == "teaching-learning.3"


def test_skipping_through_to_the_end_passes_over_the_gone_statement(engine, session):
    _with_a_statement_gone(engine, session)
    seen = []
    for _ in range(12):
        talk(engine, session, "/skip")
        seen.append(session.conversation.statement_id)
    assert GONE not in seen
    assert session.conversation.state in ("export", "top_priority", "done")
    # and the answers for it stay in the session
    assert session.find_record(GONE).answers[0].text == "Peer tutoring"
    assert GONE in session.conversation.scope


def test_resuming_reports_a_gone_statement_once_and_moves_on(engine, session):
    opened(engine, session)
    session.conversation.scope = [GONE, *session.conversation.scope[1:]]
    session.conversation.statement_id = GONE
    replies = engine.start(session)
    assert text_of(replies).count(GONE) == 1
    assert session.conversation.statement_id == "teaching-learning.2"
    assert replies[-1] == Ask("reflection", "reflection")
    # said on resuming only, not on every step after
    assert GONE not in text_of(talk(engine, session, "We plan together", "/summary"))
