"""Problems a new user met, pinned down: a retyped answer that still holds personal data, the
challenge's choice of words, the final summary."""

import re

import pytest
from dialogue_support import opened, talk, text_of

from reflect_bot.privacy import find_personal_data
from reflect_bot.store import SessionStore

HELD = "Jamie Smith in Year 4 now reads with a partner every day"
# in the app the held text stayed in the box and the new text was appended to it
RETYPED = HELD + " and Priya (Y6) reads to him"
CLEAN = "One pupil now reads with a partner every day"
MATCHED = [p.text for text in (HELD, RETYPED) for p in find_personal_data(text)]


def retyped_with_personal_data(engine, session):
    opened(engine, session)
    talk(engine, session, HELD, "r")
    replies = talk(engine, session, RETYPED)
    assert session.conversation.state == "privacy"  # checked again
    said = text_of(replies)
    assert "still" in said and "once only" not in said  # the same reminder, continuing
    assert '"Priya (Y6)"' in said
    assert not session.record("teaching-learning.1").answers


def saved_text(tmp_path, framework, session):
    store = SessionStore(tmp_path)
    path = store.save(session)
    return path.read_text(encoding="utf-8")


def test_a_retyped_answer_with_personal_data_is_checked_again(engine, session):
    retyped_with_personal_data(engine, session)
    talk(engine, session, "r")
    assert session.conversation.state == "working_well"
    talk(engine, session, CLEAN)
    assert [a.text for a in session.record("teaching-learning.1").answers] == [CLEAN]
    dumped = session.model_dump_json()
    assert not [m for m in MATCHED if m in dumped]


def test_an_answer_typed_at_the_reminder_is_checked_too(engine, session):
    opened(engine, session)
    talk(engine, session, HELD)
    replies = talk(engine, session, "Priya (Y6) now reads with a partner every day")
    assert session.conversation.state == "privacy"
    assert '"Priya (Y6)"' in text_of(replies)
    talk(engine, session, "k")
    answers = session.record("teaching-learning.1").answers
    assert [a.text for a in answers] == ["Priya (Y6) now reads with a partner every day"]
    assert "Jamie" not in session.model_dump_json()


@pytest.mark.parametrize("at_reminder", ["k", "/back"])
def test_back_past_a_retyped_answer_keeps_no_personal_data(
    engine, session, framework, tmp_path, at_reminder
):
    retyped_with_personal_data(engine, session)
    replies = talk(engine, session, at_reminder)
    if at_reminder == "k":
        assert session.record("teaching-learning.1").answers[0].text == RETYPED
        replies = talk(engine, session, "/back")
    note = text_of(replies)
    assert note.startswith("I have undone")
    assert not [m for m in MATCHED if m in note]
    assert session.conversation.state == "working_well"
    talk(engine, session, CLEAN)
    assert [a.text for a in session.record("teaching-learning.1").answers] == [CLEAN]
    text = saved_text(tmp_path, framework, session)
    assert "[removed]" in text
    assert not [m for m in MATCHED if m in text]


# --- the challenge cites only words that tell the tiers apart -----------------------------------

ORDINARY = (
    "Our report is on the website. Parents and pupils say it is helpful and there are places "
    "to go for advice."
)


def at_tier_of_report_statement(engine, session, answer):
    opened(engine, session)
    talk(engine, session, "/go pupils-parents-carers.1", answer)
    for _ in range(3):
        if session.conversation.state == "tier":
            break
        talk(engine, session, "Website visits and the termly parent survey show it")
    assert session.conversation.state == "tier"


def test_ordinary_words_are_never_cited_and_raise_no_challenge(engine, session, framework):
    from reflect_bot.suggest import closest_tier

    hint = closest_tier(framework, "pupils-parents-carers.1", [ORDINARY])
    assert hint is None or not {"parents", "pupils", "places"} & {w.lower() for w in hint.words}
    at_tier_of_report_statement(engine, session, ORDINARY)
    replies = talk(engine, session, "2")
    said = text_of(replies)
    assert session.conversation.state != "challenge"
    for word in ("“Parents”", "“pupils”", "“places”"):
        assert word not in said


def test_distinctive_words_are_still_cited(engine, session):
    at_tier_of_report_statement(
        engine, session, "Signposting is limited and the report is not yet consistently clear"
    )
    replies = talk(engine, session, "3")
    assert session.conversation.state == "challenge"
    said = text_of(replies)
    assert "“limited”" in said or "“not yet”" in said
    for word in ("“Parents”", "“pupils”", "“places”", "“report”"):
        assert word not in said


# --- text after a list is a paragraph of its own --------------------------------------------------

_LIST_LINE = re.compile(r"^\s*(?:[-*•]\s|/\w)")


def test_no_text_runs_into_the_last_item_of_a_list(engine, framework, session):
    from test_question_bank import EXTRAS

    session.label = "Oakfield"
    session.conversation.statement_id = framework.statements[0].id
    session.conversation.scope = [s.id for s in framework.statements]
    session.record(framework.statements[0].id).tier = framework.tiers[1].id
    context = engine._context(
        session,
        **{
            **EXTRAS,
            "items": [("Working well", "Teachers plan together"), ("Next step", "Guidance")],
            "priorities": [("Teaching & Learning", "Consistency"), ("Pupils", "Families")],
        },
    )
    lists = 0
    for name, template in engine.bank.templates.items():
        lines = template.render(**context).strip().splitlines()
        for line, following in zip(lines, lines[1:], strict=False):
            if _LIST_LINE.match(line):
                lists += 1
                assert (
                    not following.strip() or following[0].isspace() or _LIST_LINE.match(following)
                ), (name, line, following)
    assert lists >= 6  # the lists were there to check


# --- the final summary shows the whole profile ----------------------------------------------------


def drive_to_the_summary(engine, session):
    """Answer whatever is asked until the summary's export offer."""
    answers = {
        "tier": "2",
        "challenge_decision": "k",
        "next_what": "",
        "next_more": "n",
        "case_studies": "n",
        "revise": "n",
    }
    replies = []
    said = []
    for _ in range(80):
        state = session.conversation.state
        if state in ("export", "done"):
            return "\n".join(said)
        replies = talk(engine, session, answers.get(state, "Teachers plan units together weekly"))
        said.append(text_of(replies))
    raise AssertionError(f"stuck at {session.conversation.state}")


def test_the_final_summary_shows_every_area_in_scope(engine, session, framework):
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "5", "1, 6")
    said = drive_to_the_summary(engine, session)
    summary = said[said.index("Here is your session summary.") :]
    for area in framework.areas:
        assert area.title in summary
    first, sixth = framework.statements[0], framework.statements[5]
    assert first.area_id != sixth.area_id
    assert "Strengthening Practice" in summary.split(framework.areas[1].title, 1)[1]
