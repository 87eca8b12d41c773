"""Problems a new user met, each pinned down: going to statements, the personal-data choice,
hand-edited sessions, "//", tiers in words, ties, follow-ups that fit the area, word forms."""

import json

import pytest
from dialogue_support import opened, talk, text_of

from reflect_bot.errors import UserError
from reflect_bot.replies import CaseStudyCard, Quote

LONG = "Teachers plan units together. " * 1700  # about 50,000 characters
ONE = (
    "Teachers plan units together each half term",
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
)


def finish_first(engine, session):
    """Statement 1 done at Strengthening Practice, no next step, no case study saved."""
    talk(engine, session, *ONE, "2", "Consistent practice", "", "n")
    assert session.record("teaching-learning.1").status == "done"


# --- 1. going to a statement ----------------------------------------------------------------------


def test_going_to_an_in_progress_statement_carries_on_and_keeps_every_answer(engine, session):
    opened(engine, session)
    talk(engine, session, LONG)
    assert session.conversation.state == "evidence"
    talk(engine, session, "/go 2")
    replies = talk(engine, session, "/go 1")
    assert session.conversation.state == "evidence"  # the next unanswered question
    said = text_of(replies)
    assert "part-way through" in said and "Working well: Teachers plan units" in said
    assert len(said) < 3000  # what was said is shown briefly
    talk(engine, session, "Lesson visits show it in most classes")
    record = session.record("teaching-learning.1")
    assert [a.text for a in record.answers_of("working_well")] == [LONG]
    assert len(record.answers_of("evidence")) == 1


def test_skip_leads_to_the_next_statement_not_done_and_never_restarts_one(engine, session):
    opened(engine, session)
    talk(engine, session, LONG, "/go 9", "/skip")
    # on to the next not done after it, then round to statement 1, still in progress
    assert session.conversation.statement_id == "pupils-parents-carers.5"
    talk(engine, session, "/skip")
    assert session.conversation.statement_id == "teaching-learning.1"
    assert session.conversation.state == "evidence"  # carried on at its next question
    talk(engine, session, "Work scrutiny each term")
    assert session.record("teaching-learning.1").answers_of("working_well")[0].text == LONG


def test_skip_after_a_finished_statement_goes_to_the_next_not_done(engine, session):
    opened(engine, session)
    finish_first(engine, session)
    talk(engine, session, "Something about statement two", "/skip")
    assert session.conversation.statement_id == "teaching-learning.3"
    assert session.record("teaching-learning.1").status == "done"


def test_visiting_a_finished_statement_changes_nothing(engine, session):
    opened(engine, session)
    finish_first(engine, session)
    before = session.record("teaching-learning.1").model_dump()
    replies = talk(engine, session, "/go 1")
    assert "Tier: Strengthening Practice" in text_of(replies)
    assert "Would you like to revise it?" in text_of(replies)
    talk(engine, session, "/go 2")
    assert session.record("teaching-learning.1").model_dump() == before
    assert session.record("teaching-learning.1").status == "done"


def test_saying_no_to_revising_returns_to_where_the_leader_was(engine, session):
    opened(engine, session)
    finish_first(engine, session)
    talk(engine, session, "Profiles are shared before September")
    talk(engine, session, "/go 1")
    replies = talk(engine, session, "no")
    assert "stays as it was" in text_of(replies)
    assert session.conversation.statement_id == "teaching-learning.2"
    assert session.conversation.state == "evidence"
    assert session.record("teaching-learning.1").status == "done"


def test_revising_replaces_an_answer_out_loud_and_back_restores_it(engine, session):
    opened(engine, session)
    talk(engine, session, LONG)
    talk(engine, session, *ONE[1:], "2", "Consistent practice", "", "n")
    talk(engine, session, "/go 1", "yes")
    assert session.conversation.state == "working_well"
    replies = talk(engine, session, "A shorter view")
    assert "This replaces your earlier answer" in text_of(replies)
    assert "/back brings it back" in text_of(replies)
    replies = talk(engine, session, "/back")
    assert "Your earlier answer (“Teachers plan units together." in text_of(replies)
    working_well = session.record("teaching-learning.1").answers_of("working_well")
    assert [a.text for a in working_well] == [LONG]
    # leaving part-way through a revision: the statement is still finished, nothing lost
    talk(engine, session, "/go 2")
    assert session.record("teaching-learning.1").status == "done"


# --- 2. the personal-data choice --------------------------------------------------------------------

HELD = "Jamie in Year 4 now reads with a partner every day"


def at_reminder(engine, session):
    opened(engine, session)
    talk(engine, session, HELD)
    assert session.conversation.state == "privacy"


@pytest.mark.parametrize(
    "reply", ["y", "yes", "ok", "keep it", "keep as typed", "(k)", "K.", "Keep", "fine"]
)
def test_keep_words_keep_the_held_answer(engine, session, reply):
    at_reminder(engine, session)
    talk(engine, session, reply)
    assert session.record("teaching-learning.1").answers_of("working_well")[0].text == HELD


@pytest.mark.parametrize("reply", ["n", "no", "r", "(r)", "retype", "retype it", "edit it"])
def test_retype_words_ask_again_and_the_held_text_leaves_the_session(engine, session, reply):
    at_reminder(engine, session)
    replies = talk(engine, session, reply)
    assert "send your answer again" in text_of(replies)
    assert session.conversation.state == "working_well"
    saved = session.model_dump_json()
    assert "Jamie" not in saved  # not pending, not in history, not in the transcript
    assert "[removed]" in saved
    talk(engine, session, "A pupil in Year 4 now reads with a partner every day")
    assert "Jamie" not in session.model_dump_json()


def test_a_short_unclear_reply_is_asked_about_and_never_replaces_the_answer(engine, session):
    at_reminder(engine, session)
    replies = talk(engine, session, "hmm what")
    assert "k to keep" in text_of(replies)
    assert session.conversation.state == "privacy"
    assert not session.record("teaching-learning.1").answers


def test_a_longer_reply_is_the_new_answer_and_the_bot_says_so(engine, session):
    at_reminder(engine, session)
    replies = talk(engine, session, "One pupil now reads with a partner every day")
    assert "taken that as your new answer" in text_of(replies)
    answers = session.record("teaching-learning.1").answers_of("working_well")
    assert [a.text for a in answers] == ["One pupil now reads with a partner every day"]
    assert "Jamie" not in session.model_dump_json()
    # back undoes the answer, reminder included, with no held text anywhere
    talk(engine, session, "/back")
    assert session.conversation.state == "working_well"
    assert not session.record("teaching-learning.1").answers
    assert "Jamie" not in json.dumps([h.snapshot for h in session.history])


def test_the_reminder_is_once_per_session(engine, session):
    at_reminder(engine, session)
    talk(engine, session, "k", "Priya (Y6) has a reading log")
    assert session.conversation.state != "privacy"


# --- 5. a hand-edited session -------------------------------------------------------------------


def test_an_unknown_conversation_state_is_one_clear_error(engine, session):
    opened(engine, session)
    session.conversation.state = "nonsense"
    with pytest.raises(UserError) as caught:
        engine.start(session)
    message = str(caught.value)
    assert "unknown conversation state 'nonsense'" in message
    assert "\n" not in message and "new session" in message


def test_an_unknown_tier_is_one_clear_error(engine, session):
    opened(engine, session)
    session.record("teaching-learning.2").tier = "bogus"
    with pytest.raises(UserError) as caught:
        engine.start(session)
    message = str(caught.value)
    assert "unknown tier 'bogus' for statement teaching-learning.2" in message
    assert "foundations, strengthening, excellence" in message


# --- 6. resuming at the personal-data choice ----------------------------------------------------


def test_resuming_at_the_reminder_shows_the_statement_question_and_what_was_found(engine, session):
    at_reminder(engine, session)
    replies = engine.start(session)
    said = text_of(replies)
    assert any(isinstance(r, Quote) and r.source.startswith("Statement") for r in replies)
    assert "The question was: " in said
    assert 'a name with a year group ("Jamie in Year 4")' in said
    assert "keep the answer as typed (k)" in said


# --- 7. an answer starting with "/" -------------------------------------------------------------


def test_a_double_slash_sends_an_answer_starting_with_a_slash(engine, session):
    opened(engine, session)
    talk(engine, session, "//slash-separated notes: plan/do/review works well")
    answer = session.record("teaching-learning.1").answers_of("working_well")[0]
    assert answer.text == "/slash-separated notes: plan/do/review works well"


def test_the_unknown_command_message_mentions_the_double_slash(engine, session):
    opened(engine, session)
    said = text_of(talk(engine, session, "/x"))
    assert 'There is no command "/x".' in said
    assert 'To start an answer with "/", type "//".' in said


# --- 8. smaller things --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, tier",
    [
        ("Tier 2", "strengthening"),
        ("tier two", "strengthening"),
        ("T2", "strengthening"),
        ("strengthening", "strengthening"),
        ("Strengthening Practice", "strengthening"),
        ("2. Strengthening Practice", "strengthening"),
        ("tier 3", "excellence"),
        ("the first", "foundations"),
        ("1 excellence", None),
        ("tier 4", None),
    ],
)
def test_tiers_in_words(engine, typed, tier):
    assert engine._parse_tier(typed) == tier


def test_no_doubled_full_stops_in_summaries(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "2.3", *ONE, "2", "Strengths first", "", "n")
    talk(engine, session, "Reviews in foundation subjects.")
    said = text_of(talk(engine, session, "/summary"))
    assert "foundation subjects." in said
    assert ".." not in said and ".;" not in said


def test_a_tie_is_said_as_a_tie_with_no_overall_descriptor(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "1-2")
    talk(engine, session, *ONE, "1", "More planning time", "", "n")  # Foundations
    talk(engine, session, *ONE, "3", "We stand by it", "k", "Share it", "")  # Excellence
    replies = talk(engine, session, "n")
    said = text_of(replies)
    assert session.conversation.state == "top_priority"
    assert (
        "No single tier is most common: Establishing Foundations and Sustaining Excellence "
        "were each chosen once."
    ) in said
    assert "The most common tier" not in said
    assert not any(isinstance(r, Quote) and "overall" in r.source for r in replies)


def test_resume_says_what_was_said_not_a_wrong_last_answer(engine, session):
    opened(engine, session)
    talk(engine, session, *ONE, "2")
    said = text_of(engine.start(session))
    assert "Your last answer was" not in said
    assert "Tier: Strengthening Practice" in said


def test_follow_ups_fit_the_area(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "2.1")  # a parents' co-production statement
    said = text_of(talk(engine, session, "nothing"))
    assert "adaptive teaching" not in said
    assert "famil" in said


def test_text_after_the_end_is_said_to_be_not_recorded(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "2.3", *ONE, "2", "Strengths first", "", "n", "", "n")
    assert session.conversation.state == "done"
    said = text_of(talk(engine, session, "One more thought"))
    assert "not recorded as an answer" in said and "/go" in said


# --- 11. word forms of the qualifiers -------------------------------------------------------------


@pytest.mark.parametrize(
    "words, named",
    [
        ("It varies from class to class", "varies"),
        ("Patchy in places, to be honest", "patchy"),
        ("Not all teachers do this yet", "not all"),
        ("A few classes show it", "few"),
        ("It is early days for this work", "early days"),
    ],
)
def test_word_forms_of_qualifiers_bring_the_challenge(engine, session, words, named):
    opened(engine, session)
    talk(engine, session, "Teachers plan units together each half term", words)
    talk(engine, session, "Across most classes", "Pupils join trips with peers")
    replies = talk(engine, session, "3")
    assert session.conversation.state == "challenge", text_of(replies)
    # the challenge names the leader's own words
    assert f"“{named}”" in session.record("teaching-learning.1").challenge.question


def test_resuming_at_the_case_study_choice_shows_the_suggestions_again(engine, session):
    opened(engine, session)
    talk(engine, session, *ONE, "2", "Consistent practice", "")
    assert session.conversation.state == "case_studies"
    replies = engine.start(session)
    shown = [r.case_study_id for r in replies if isinstance(r, CaseStudyCard)]
    assert shown == [n.case_study_id for n in session.record("teaching-learning.1").case_studies]
