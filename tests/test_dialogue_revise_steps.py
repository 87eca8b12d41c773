"""Revising a finished statement: a new next step replaces the earlier ones, out loud, and
/back brings them back; more steps added in the same revision are added."""

from dialogue_support import opened, talk, text_of

from reflect_bot.export import render

SID = "teaching-learning.1"
ONE = (
    "Teachers plan units together each half term",
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
)


def answer_until_next_step(engine, session):
    """From the statement's first question to its next step question."""
    talk(engine, session, *ONE, "2", "Consistent practice")
    assert session.conversation.state == "next_what"


def finish_steps(engine, session):
    """No more steps; no case study saved: the statement is finished."""
    replies = talk(engine, session, "no")
    if session.conversation.state == "case_studies":
        replies = talk(engine, session, "n")
    assert session.record(SID).status == "done"
    return replies


def finish_with_steps(engine, session, *steps):
    """Statement 1 finished with these next steps (each with who and by when)."""
    answer_until_next_step(engine, session)
    for number, step in enumerate(steps):
        if number:
            talk(engine, session, "yes")
        talk(engine, session, step, "SENCo", "July")
    finish_steps(engine, session)


def revise(engine, session, step):
    """/go 1, yes, every answer again, then the next step `step` with no who or when; the
    replies to the next step."""
    talk(engine, session, "/go 1", "yes")
    answer_until_next_step(engine, session)
    replies = talk(engine, session, step)
    talk(engine, session, "", "")
    assert session.conversation.state == "next_more"
    return replies


def whats(session):
    return [step.what for step in session.record(SID).next_steps]


def test_a_revised_next_step_replaces_the_earlier_one_and_says_so(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Run a moderation meeting")
    replies = revise(engine, session, "Visit a partner school")
    said = text_of(replies)
    assert "This replaces your earlier next step (“Run a moderation meeting”)" in said
    assert "/back brings it back" in said
    finish_steps(engine, session)
    assert whats(session) == ["Visit a partner school"]


def test_revising_again_and_again_keeps_one_next_step(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Step one")
    for number in range(2, 5):
        revise(engine, session, f"Step {number}")
        finish_steps(engine, session)
    assert whats(session) == ["Step 4"]
    # the recap on the way back in lists the one step
    said = text_of(talk(engine, session, "/go 1"))
    assert said.count("Next step:") == 1 and "Next step: Step 4" in said
    # and the action plan lists the statement once
    assert render(session, engine.framework, "csv").count("Step 4") == 1
    assert "Step one" not in render(session, engine.framework, "csv")


def test_several_earlier_steps_are_replaced_by_the_first_new_one(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Old A", "Old B")
    said = text_of(revise(engine, session, "New A"))
    assert "This replaces your earlier next steps (“Old A”; “Old B”)" in said
    assert "/back brings them back" in said
    assert whats(session) == ["New A"]


def test_further_steps_in_a_revision_are_added(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Old A")
    revise(engine, session, "New A")
    replies = talk(engine, session, "yes")
    assert session.conversation.state == "next_what"
    assert "the next step you would add" in text_of(replies)  # another, not the first
    replies = talk(engine, session, "New B")
    assert "replaces" not in text_of(replies)
    talk(engine, session, "Head teacher", "Easter")
    finish_steps(engine, session)
    assert whats(session) == ["New A", "New B"]
    assert session.record(SID).next_steps[1].who == "Head teacher"


def test_back_brings_the_earlier_steps_back(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Old A", "Old B")
    talk(engine, session, "/go 1", "yes")
    answer_until_next_step(engine, session)
    talk(engine, session, "New A")
    replies = talk(engine, session, "/back")
    assert "Old A" in text_of(replies)
    assert session.conversation.state == "next_what"
    steps = session.record(SID).next_steps
    assert [s.what for s in steps] == ["Old A", "Old B"]
    assert [(s.who, s.by_when) for s in steps] == [("SENCo", "July"), ("SENCo", "July")]
    # answering again replaces them again
    said = text_of(talk(engine, session, "New A again"))
    assert "This replaces your earlier next steps" in said
    assert whats(session) == ["New A again"]


def test_skipping_the_next_step_in_a_revision_keeps_the_earlier_ones(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Old A")
    talk(engine, session, "/go 1", "yes")
    answer_until_next_step(engine, session)
    said = text_of(talk(engine, session, ""))
    assert "Your earlier next step is kept (“Old A”)" in said
    if session.conversation.state == "case_studies":
        talk(engine, session, "n")
    assert session.record(SID).status == "done"
    assert whats(session) == ["Old A"]


def test_a_first_reflection_with_no_next_step_says_nothing_of_earlier_ones(engine, session):
    opened(engine, session)
    answer_until_next_step(engine, session)
    assert "earlier next step" not in text_of(talk(engine, session, ""))


def test_a_first_reflection_adds_its_steps(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "A", "B")
    assert whats(session) == ["A", "B"]


def test_a_changed_tier_in_a_revision_says_what_it_replaces(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Old A")
    assert session.record(SID).tier == "strengthening"
    talk(engine, session, "/go 1", "yes")
    talk(engine, session, *ONE)
    said = text_of(talk(engine, session, "1"))
    assert "This replaces your earlier answer (“Strengthening Practice”)" in said
    assert session.record(SID).tier == "foundations"


def test_the_same_tier_chosen_again_needs_no_note(engine, session):
    opened(engine, session)
    finish_with_steps(engine, session, "Old A")
    talk(engine, session, "/go 1", "yes")
    talk(engine, session, *ONE)
    assert "This replaces" not in text_of(talk(engine, session, "2"))
