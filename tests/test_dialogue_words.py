"""Choices answered in words, as people type them: "all", "teaching", "Yes.", "keep it"."""

import pytest
from dialogue_support import talk, text_of

from reflect_bot.session import Session

FIRST_ANSWERS = (
    "Teachers plan units together each half term",
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
)


@pytest.fixture
def session(framework):
    return Session(name="w", framework_id=framework.id, framework_version=framework.version)


def at_scope(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "")
    assert session.conversation.state == "scope"


def ids(framework, *areas):
    return [s.id for index in areas for s in framework.areas[index].statements]


@pytest.mark.parametrize(
    "answer, areas",
    [
        ("1", (0, 1)),
        ("all", (0, 1)),
        ("All.", (0, 1)),
        ("everything", (0, 1)),
        ("Everything please", (0, 1)),
        ("both", (0, 1)),
        ("both areas", (0, 1)),
        ("all of them", (0, 1)),
        ("teaching", (0,)),
        ("Teaching and Learning", (0,)),
        ("T&L", (0,)),
        ("just teaching & learning", (0,)),
        ("parents", (1,)),
        ("Pupils, parents and carers.", (1,)),
        ("PPC", (1,)),
        ("parents first", (1, 0)),
        ("both, parents first", (1, 0)),
        ("parents then teaching", (1, 0)),
        ("teaching then parents", (0, 1)),
        ("4", (1, 0)),
    ],
)
def test_the_scope_question_takes_words_and_numbers(engine, session, framework, answer, areas):
    at_scope(engine, session)
    talk(engine, session, answer)
    assert session.conversation.scope == ids(framework, *areas)
    assert session.conversation.state == "working_well"


@pytest.mark.parametrize("answer", ["5", "choose", "I'd like to choose", "pick some"])
def test_the_scope_question_takes_choose_in_words(engine, session, answer):
    at_scope(engine, session)
    talk(engine, session, answer)
    assert session.conversation.state == "scope_statements"


def test_an_unclear_scope_answer_says_words_work_too(engine, session):
    at_scope(engine, session)
    replies = talk(engine, session, "hmm")
    assert session.conversation.state == "scope"
    assert '"all"' in text_of(replies) and "1, 2, 3, 4, 5" in text_of(replies)


@pytest.mark.parametrize(
    "answer, phase",
    [
        ("1", "Primary"),
        ("primary", "Primary"),
        ("Secondary.", "Secondary"),
        ("all through", "All-through"),
        ("Special school (all-age)", "Special school (all-age)"),
    ],
)
def test_the_phase_takes_its_name_in_any_case(engine, session, answer, phase):
    engine.start(session)
    talk(engine, session, "", answer)
    assert session.phase == phase


def at_next_more(engine, session):
    at_scope(engine, session)
    talk(engine, session, "1", *FIRST_ANSWERS, "2", "Consistent practice in every class")
    talk(engine, session, "Staff meeting on adaptive teaching", "", "")
    assert session.conversation.state == "next_more"


@pytest.mark.parametrize("answer", ["y", "Y", "yes", "Yes.", "YES!", "yes please", "yeah"])
def test_yes_in_its_usual_forms(engine, session, answer):
    at_next_more(engine, session)
    talk(engine, session, answer)
    assert session.conversation.state == "next_what"


@pytest.mark.parametrize(
    "answer", ["n", "N", "no", "No.", "no thanks", "No, thank you", "nope", ""]
)
def test_no_in_its_usual_forms(engine, session, answer):
    at_next_more(engine, session)
    talk(engine, session, answer)
    assert session.conversation.state == "case_studies"


def test_neither_yes_nor_no_is_asked_again(engine, session):
    at_next_more(engine, session)
    replies = talk(engine, session, "maybe later")
    assert session.conversation.state == "next_more"
    assert "y for yes or n for no" in text_of(replies)


@pytest.mark.parametrize(
    "answer, saved",
    [
        ("Both!", [True, True]),
        ("1.", [True, False]),
        ("1 and 2", [True, True]),
        ("the second", [False, True]),
        ("None.", [False, False]),
        ("no thanks", [False, False]),
    ],
)
def test_case_study_choices_in_words(engine, session, answer, saved):
    at_next_more(engine, session)
    talk(engine, session, "n")
    notes = session.record("teaching-learning.1").case_studies
    assert len(notes) == 2
    talk(engine, session, answer)
    assert [n.saved for n in session.record("teaching-learning.1").case_studies] == saved
    assert session.conversation.state == "working_well"


def at_reminder(engine, session):
    at_scope(engine, session)
    talk(engine, session, "1", "Call the parent on 07700 900123 about the plan")
    assert session.conversation.state == "privacy"


@pytest.mark.parametrize("answer", ["k", "K", "keep", "Keep.", "keep it", "Keep it as typed"])
def test_keep_after_the_reminder_in_words(engine, session, answer):
    at_reminder(engine, session)
    talk(engine, session, answer)
    (recorded,) = session.record("teaching-learning.1").answers
    assert recorded.text == "Call the parent on 07700 900123 about the plan"


@pytest.mark.parametrize("answer", ["r", "R", "retype", "Retype.", "re-type it", "edit it"])
def test_retype_after_the_reminder_in_words(engine, session, answer):
    at_reminder(engine, session)
    talk(engine, session, answer)
    assert session.conversation.state == "working_well"
    assert session.record("teaching-learning.1").answers == []


def at_challenge_decision(engine, session):
    at_scope(engine, session)
    talk(engine, session, "1", *FIRST_ANSWERS, "3", "Visits to every class show it")
    assert session.conversation.state == "challenge_decision"


@pytest.mark.parametrize(
    "answer, tier",
    [
        ("k", "excellence"),
        ("Keep.", "excellence"),
        ("yes, keep it", "excellence"),
        ("2", "strengthening"),
        ("Tier 2.", "strengthening"),
        ("change to 2", "strengthening"),
        ("Strengthening Practice", "strengthening"),
        ("?", ""),
        ("not sure.", ""),
    ],
)
def test_keep_or_choose_again_in_words(engine, session, answer, tier):
    at_challenge_decision(engine, session)
    talk(engine, session, answer)
    assert session.record("teaching-learning.1").tier == tier
    assert session.conversation.state != "challenge_decision"


@pytest.mark.parametrize(
    "answer, fmt", [("HTML", "html"), ("markdown.", "md"), ("a web page", "html"), ("CSV", "csv")]
)
def test_export_formats_in_words(engine, session, answer, fmt):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "2.3", *FIRST_ANSWERS, "2", "Strengths first", "", "n")
    talk(engine, session, "Strengths-based reviews")
    assert session.conversation.state == "export"
    replies = talk(engine, session, answer)
    assert any(getattr(r, "kind", "") == "export" and r.argument == fmt for r in replies)
