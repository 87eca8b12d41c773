"""Revising a finished statement: the first new answer to a question replaces every earlier
answer to it, follow-ups included, out loud, and /back brings them back exactly; Enter on an
empty box (or "keep") keeps what was said before; "n" at the case studies never unsaves one."""

import pytest
from dialogue_support import opened, talk, text_of

from reflect_bot.export import render

SID = "teaching-learning.1"
THIN_THEN_MORE = ("Fine", "Paired planning in Year 3 works well")  # an answer and its follow-up
FULL = "Teachers plan units together each half term"
REST = (
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
)
NEW = "Joint planning with the SENCo every fortnight"


def finish(engine, session, working_well=THIN_THEN_MORE, cases="n"):
    """Statement 1 finished: `working_well` answered line by line, the rest in full, tier 2, one
    next step, and `cases` at the case studies ("1" is what the case-study view sends when
    the first is ticked)."""
    opened(engine, session)
    talk(engine, session, *working_well, *REST, "2", "Consistent practice")
    talk(engine, session, "Run a moderation meeting", "", "", "no")
    assert session.conversation.state == "case_studies"
    talk(engine, session, cases)
    assert session.record(SID).status == "done"


def revise(engine, session):
    """/go 1 and yes: at the statement's first question, revising."""
    talk(engine, session, "/go 1", "yes")
    assert session.conversation.state == "working_well"


def saved(session):
    return [note.saved for note in session.record(SID).case_studies]


def first_case_title(engine, session):
    """The title of the first case study suggested for the statement."""
    note = session.record(SID).case_studies[0]
    return engine.framework.case_study(note.case_study_id).title


def texts(session, kind="working_well"):
    return [a.text for a in session.record(SID).answers_of(kind)]


def to_case_studies(engine, session):
    """Revising, Enter on every question up to the case studies (everything kept)."""
    for _ in range(10):
        if session.conversation.state == "case_studies":
            return
        talk(engine, session, "")
    raise AssertionError(f"Enter did not move on from {session.conversation.state}")


# --- 1. the first new answer replaces the earlier ones, follow-ups included ------------------


def test_a_new_answer_replaces_the_earlier_answer_and_its_follow_up(engine, session):
    finish(engine, session)
    assert texts(session) == list(THIN_THEN_MORE)
    revise(engine, session)
    said = text_of(talk(engine, session, NEW))
    assert "This replaces your earlier answers (“Fine” and 1 more); /back brings them back." in said
    assert texts(session) == [NEW]
    assert session.conversation.state == "evidence"
    # the export shows only the new words
    assert THIN_THEN_MORE[1] not in render(session, engine.framework, "md")
    assert NEW in render(session, engine.framework, "md")


def test_a_thin_new_answer_gets_a_follow_up_added_to_it_not_to_the_old_answers(engine, session):
    finish(engine, session)
    revise(engine, session)
    said = text_of(talk(engine, session, "Good"))
    assert "This replaces your earlier answers" in said
    assert "Even something small counts" in said  # the follow-up
    said = text_of(talk(engine, session, "Weekly joint planning with the SENCo"))
    assert "replaces" not in said  # a follow-up to the new answer adds to it
    assert texts(session) == ["Good", "Weekly joint planning with the SENCo"]


def test_a_new_answer_takes_the_place_of_the_old_in_the_recap(engine, session):
    finish(engine, session)
    revise(engine, session)
    talk(engine, session, NEW)
    kinds = [a.kind for a in session.record(SID).answers]
    assert kinds == ["working_well", "evidence", "consistency", "impact", "next_tier"]


def test_a_first_reflection_replaces_only_the_same_question(engine, session):
    """Outside a revision, /back and a new answer to a follow-up leave the main answer be."""
    opened(engine, session)
    talk(engine, session, *THIN_THEN_MORE, "/back", "Paired planning in Year 4 instead")
    assert texts(session) == ["Fine", "Paired planning in Year 4 instead"]


def test_back_restores_every_replaced_answer_exactly(engine, session):
    finish(engine, session)
    revise(engine, session)
    before = session.record(SID).model_dump(mode="json")
    pending = dict(session.conversation.pending)
    talk(engine, session, NEW)
    said = text_of(talk(engine, session, "/back"))
    assert "is back" in said
    assert session.record(SID).model_dump(mode="json") == before
    assert session.conversation.state == "working_well"
    assert session.conversation.pending == pending
    # answering again replaces them again
    assert "This replaces your earlier answers" in text_of(talk(engine, session, NEW))
    assert texts(session) == [NEW]


def test_a_note_that_an_answer_was_left_brief_goes_with_it_and_comes_back(engine, session):
    finish(engine, session, working_well=("Fine", "ok", "dunno"))
    assert any(n.startswith("The working well answer") for n in session.record(SID).notes)
    revise(engine, session)
    talk(engine, session, NEW)
    assert not any(n.startswith("The working well answer") for n in session.record(SID).notes)
    assert texts(session) == [NEW]
    talk(engine, session, "/back")
    assert any(n.startswith("The working well answer") for n in session.record(SID).notes)
    assert texts(session) == ["Fine", "ok", "dunno"]


# --- 2. Enter on an empty box, or "keep", keeps what was said before --------------------------


def test_the_revision_says_how_to_keep_an_earlier_answer(engine, session):
    finish(engine, session)
    said = text_of(talk(engine, session, "/go 1"))
    assert "To keep an earlier answer, press Enter on the empty box or type keep." in said
    said = text_of(talk(engine, session, "yes"))
    assert "to keep an old answer, press Enter on the empty box or type keep" in said
    assert "Enter keeps earlier answer" in engine.expected(session).prompt


@pytest.mark.parametrize("reply", ["", "keep", " Keep. ", "KEEP"])
def test_enter_or_keep_keeps_the_earlier_answers_and_says_so(engine, session, reply):
    finish(engine, session)
    revise(engine, session)
    said = text_of(talk(engine, session, reply))
    assert "Your earlier answers are kept (“Fine” and 1 more)." in said
    assert "Even something small counts" not in said  # no follow-up
    assert session.conversation.state == "evidence"
    assert texts(session) == list(THIN_THEN_MORE)
    said = text_of(talk(engine, session, reply))
    assert f"Your earlier answer is kept (“{REST[0]}”)." in said
    assert texts(session, "evidence") == [REST[0]]


def test_keeping_every_answer_leaves_the_statement_as_it_was(engine, session):
    finish(engine, session, cases="1")
    before = session.record(SID).model_dump(mode="json", exclude={"hint_tier", "hint_words"})
    revise(engine, session)
    to_case_studies(engine, session)
    said = text_of(talk(engine, session, "keep"))
    assert session.record(SID).status == "done"
    after = session.record(SID).model_dump(mode="json", exclude={"hint_tier", "hint_words"})
    assert after == before
    assert "Saved to follow up: " + first_case_title(engine, session) in said


def test_enter_keeps_the_tier_and_keep_keeps_the_next_steps(engine, session):
    finish(engine, session)
    revise(engine, session)
    talk(engine, session, "", "", "", "")
    assert session.conversation.state == "tier"
    assert "Enter keeps earlier answer" in engine.expected(session).prompt
    said = text_of(talk(engine, session, ""))
    assert "Your earlier answer is kept (“Strengthening Practice”)." in said
    assert session.record(SID).tier == "strengthening"
    talk(engine, session, "")
    assert session.conversation.state == "next_what"
    said = text_of(talk(engine, session, "keep"))
    assert "Your earlier next step is kept (“Run a moderation meeting”)" in said
    assert [s.what for s in session.record(SID).next_steps] == ["Run a moderation meeting"]


def test_back_after_keeping_asks_the_question_again(engine, session):
    finish(engine, session)
    revise(engine, session)
    talk(engine, session, "")
    talk(engine, session, "/back")
    assert session.conversation.state == "working_well"
    assert "This replaces your earlier answers" in text_of(talk(engine, session, NEW))


def test_enter_in_a_first_reflection_still_gets_a_follow_up(engine, session):
    opened(engine, session)
    assert "Enter keeps" not in engine.expected(session).prompt
    said = text_of(talk(engine, session, ""))
    assert "Even something small counts" in said
    assert "kept" not in said
    assert session.conversation.state == "working_well"


def test_enter_on_a_question_not_answered_before_still_gets_a_follow_up(engine, session):
    """A question the earlier reflection has no answer to (the bank may have added it)."""
    finish(engine, session)
    record = session.record(SID)
    record.answers = [a for a in record.answers if a.kind != "consistency"]
    revise(engine, session)
    talk(engine, session, "", "")
    assert session.conversation.state == "consistency"
    assert "Enter keeps" not in engine.expected(session).prompt
    said = text_of(talk(engine, session, ""))
    assert "For example: is it the same in every year group" in said
    assert "kept" not in said
    assert session.conversation.state == "consistency"


def test_enter_after_a_new_thin_answer_gets_the_next_follow_up(engine, session):
    """Once replaced, the earlier answers are gone from this revision: nothing to keep."""
    finish(engine, session)
    revise(engine, session)
    talk(engine, session, "Good")
    said = text_of(talk(engine, session, ""))
    assert "kept" not in said
    assert "Put another way" in said
    assert texts(session) == ["Good"]


# --- 3. "n" at the case studies keeps those saved earlier -------------------------------------


@pytest.mark.parametrize("reply", ["n", "none", "No thanks", "", "keep"])
def test_none_at_the_case_studies_keeps_a_saved_one_saved(engine, session, reply):
    finish(engine, session, cases="1")
    revise(engine, session)
    to_case_studies(engine, session)
    assert "n for nothing more (it stays saved)" in session.conversation.pending["question"]
    before = saved(session)
    assert before[0]
    said = text_of(talk(engine, session, reply))
    assert saved(session) == before
    assert "Saved to follow up: " + first_case_title(engine, session) in said
    assert "No longer saved" not in said


def test_unsave_is_the_explicit_way_to_stop_following_one_up(engine, session):
    finish(engine, session, cases="1")
    revise(engine, session)
    to_case_studies(engine, session)
    before = saved(session)
    said = text_of(talk(engine, session, "unsave 1"))
    assert f"No longer saved: {first_case_title(engine, session)}; /back saves it again." in said
    assert saved(session) == [False] * len(before)
    talk(engine, session, "/back")
    assert saved(session) == before


def test_the_ticked_case_studies_are_the_whole_choice_and_an_unticked_one_is_said(engine, session):
    """The case-study view sends the numbers ticked: leaving a saved one out unsaves it, out
    loud."""
    finish(engine, session, cases="1")
    revise(engine, session)
    to_case_studies(engine, session)
    assert len(saved(session)) == 2, "two case studies suggested for this statement"
    said = text_of(talk(engine, session, "2"))
    assert saved(session) == [False, True]
    assert f"No longer saved: {first_case_title(engine, session)}" in said


def test_a_saved_case_study_not_suggested_again_stays_saved(engine, session):
    """New words in a revision may bring other suggestions: one saved before stays saved (after
    those offered, which the choice numbers)."""
    finish(engine, session, cases="n")
    record = session.record(SID)
    offered = [n.case_study_id for n in record.case_studies]
    other = next(
        c for c in engine.framework.area("teaching-learning").case_studies if c.id not in offered
    )
    record.case_studies.append(
        record.case_studies[0].model_copy(update={"case_study_id": other.id, "saved": True})
    )
    revise(engine, session)
    to_case_studies(engine, session)
    intro = next(t.text for t in reversed(session.transcript) if "Schools have shared" in t.text)
    assert f"Still saved to follow up from before: {other.title}." in intro
    numbers = [key for key, _ in engine.expected(session).options if key.isdigit()]
    assert len(numbers) == len(offered)  # only the ones offered are numbered
    said = text_of(talk(engine, session, "1"))
    notes = session.record(SID).case_studies
    assert [n.case_study_id for n in notes] == [*offered, other.id]
    assert [n.saved for n in notes] == [True] + [False] * (len(offered) - 1) + [True]
    assert other.title in said
    assert other.title in render(session, engine.framework, "md")


def test_summary_names_statements_whose_best_fit_is_still_to_settle(engine, session):
    """A statement finished with "not sure yet" counts as reflected on, but the summary must not
    read as though every best fit were settled."""
    opened(engine, session)
    talk(engine, session, FULL, *REST, "?", "Ask the SENCo about lesson visits", "", "n")
    assert session.record(SID).status == "done" and session.record(SID).not_sure
    summary = text_of(talk(engine, session, "/summary"))
    assert "Best fit still to settle: statement 1 (marked not sure yet)" in summary

    revise(engine, session)
    talk(engine, session, "", "", "", "", "2")  # the answers kept, the tier chosen
    assert session.record(SID).tier and not session.record(SID).not_sure
    assert "Best fit still to settle" not in text_of(talk(engine, session, "/summary"))


def test_back_quotes_an_answer_with_personal_details_without_saying_they_were_removed(
    engine, session
):
    """The note quoting a restored answer leaves its personal details out, but it said
    "[removed]", which read as though they had gone from the answer (they had not)."""
    with_email = "Ask senco@example.com: paired planning works well"
    session.conversation.privacy_reminded = True  # the one reminder came earlier
    finish(engine, session, working_well=(with_email,))
    revise(engine, session)
    talk(engine, session, NEW)
    note = text_of(talk(engine, session, "/back"))
    assert "[details not repeated]" in note
    assert "[removed]" not in note and "senco@example.com" not in note
    assert texts(session) == [with_email]  # the answer itself is back whole
