"""Problems a new user met trying the conversation, pinned down: an area's top priority left
blank could never be set (the wrap-up now comes again, and /priority asks for it at any time),
/tiers left no question at the bottom, an empty answer after the end was said to be "not
recorded", wording in the question bank, and the challenge's quote cut without a mark."""

import re
from pathlib import Path

import pytest
from dialogue_support import talk, text_of

from reflect_bot.dialogue import KEEP_PROMPT
from reflect_bot.framework import sentences
from reflect_bot.replies import Ask, Profile, Say, TierComparison
from reflect_bot.store import SessionStore

ANSWER = "Teachers plan units together weekly"
ANSWERS = {
    "tier": "2",
    "challenge_decision": "k",
    "next_what": "",
    "next_more": "n",
    "case_studies": "n",
    "revise": "y",
    "export": "n",
}
PRIORITY = "Consistent adaptive teaching in every class"
README = Path(__file__).resolve().parent.parent / "README.md"
PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


def answer_until(engine, session, *states, answers=None, skip="", seen=None):
    """Answer whatever is asked until one of `states` (skipping statement `skip` when it opens,
    noting each state passed in `seen`); the replies to the last answer."""
    answers = {**ANSWERS, **(answers or {})}
    replies = []
    for _ in range(80):
        conv = session.conversation
        if conv.state in states:
            return replies
        if seen is not None:
            seen.append(conv.state)
        if conv.statement_id == skip and conv.state == "working_well":
            replies = talk(engine, session, "/skip")
        else:
            replies = talk(engine, session, answers.get(conv.state, ANSWER))
    raise AssertionError(f"stuck at {session.conversation.state}")


def teaching_learning_only(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "2")  # Teaching & Learning only
    assert session.conversation.scope[-1] == "teaching-learning.5"


def priority(session, area_id="teaching-learning"):
    return next((a.top_priority for a in session.areas if a.area_id == area_id), "")


def question(replies):
    """The last thing the bot said before waiting (its question)."""
    said = [r for r in replies if isinstance(r, Say)]
    return said[-1].text if said else ""


# --- 1. an area's top priority left for later ----------------------------------------------------


@pytest.mark.parametrize("skipped", ["teaching-learning.5", "teaching-learning.2"])
def test_a_priority_left_blank_is_asked_again_when_the_skipped_statement_is_finished(
    engine, session, skipped
):
    teaching_learning_only(engine, session)
    replies = answer_until(engine, session, "top_priority", skip=skipped)
    assert session.record(skipped).status == "skipped"
    wrap = question(replies)
    assert "Press Enter to leave it for now" in wrap
    assert "/priority 1" in wrap  # says how to come back to it
    talk(engine, session, "")  # left for now
    answer_until(engine, session, "done")
    assert priority(session) == ""
    number = engine.statement_number(skipped)
    talk(engine, session, f"/go {number}")
    replies = answer_until(engine, session, "top_priority", "done")
    assert session.conversation.state == "top_priority"  # the wrap-up comes again
    assert any(isinstance(r, Profile) for r in replies)
    assert "what is your top priority?" in question(replies)
    talk(engine, session, PRIORITY)
    assert priority(session) == PRIORITY
    assert session.conversation.state == "export"  # every statement done: the summary again


def test_revising_a_statement_brings_the_wrap_up_back_only_while_the_priority_is_empty(
    engine, session
):
    teaching_learning_only(engine, session)
    answer_until(engine, session, "top_priority")
    talk(engine, session, "")  # left for now
    answer_until(engine, session, "done")
    talk(engine, session, "/go 2")
    answer_until(engine, session, "top_priority", "done", answers={"tier": ""})
    assert session.conversation.state == "top_priority"
    talk(engine, session, PRIORITY)
    assert priority(session) == PRIORITY
    answer_until(engine, session, "done")
    talk(engine, session, "/go 3")
    seen = []
    answer_until(engine, session, "done", answers={"tier": ""}, seen=seen)
    assert "statement_done" not in seen  # (transient: never waited in)
    assert "open_statement" not in seen and "next_tier" in seen  # revised it
    assert "top_priority" not in seen  # a priority given: not asked again


def test_a_skip_does_not_bring_the_wrap_up_back(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "1 2")
    answer_until(engine, session, "working_well")
    talk(engine, session, "/skip")  # statement 1
    answer_until(engine, session, "top_priority")  # statement 2 done: the wrap-up
    talk(engine, session, "")
    assert session.conversation.state == "export"
    talk(engine, session, "/go 1", "/skip")
    assert session.conversation.state != "top_priority"


def test_priority_mid_statement_asks_then_returns_to_the_same_question(engine, session):
    teaching_learning_only(engine, session)
    talk(engine, session, ANSWER)
    assert session.conversation.state == "evidence"
    waiting = session.conversation.pending["question"]
    replies = talk(engine, session, "/priority")
    assert session.conversation.state == "top_priority"
    assert any(isinstance(r, Profile) for r in replies)
    assert "Looking across Teaching & Learning, what is your top priority?" in question(replies)
    replies = talk(engine, session, PRIORITY)
    assert priority(session) == PRIORITY
    assert session.conversation.state == "evidence"
    assert session.conversation.statement_id == "teaching-learning.1"
    assert question(replies) == waiting  # asked again, the last thing said
    assert replies[-1] == engine.expected(session)
    assert "noted" in text_of(replies)
    # nothing else changed: the answer given before stays, the next one goes on from there
    assert [a.text for a in session.record("teaching-learning.1").answers] == [ANSWER]
    talk(engine, session, "Lesson visits show it")
    assert session.conversation.state in ("consistency", "impact", "tier")


def test_priority_shows_the_one_given_enter_keeps_it_and_a_new_one_replaces_it(engine, session):
    teaching_learning_only(engine, session)
    talk(engine, session, "/priority", PRIORITY)
    replies = talk(engine, session, "/priority")
    assert f"your top priority so far is “{PRIORITY}”" in question(replies)
    assert KEEP_PROMPT in engine.expected(session).prompt
    talk(engine, session, "")
    assert priority(session) == PRIORITY
    assert session.conversation.state == "working_well"
    replies = talk(engine, session, "/priority 1", "Parents in every review")
    assert priority(session) == "Parents in every review"
    assert "This replaces your earlier answer" in text_of(replies)  # never silent
    talk(engine, session, "/back")
    assert priority(session) == PRIORITY


@pytest.mark.parametrize("named", ["2", "parents", "Pupils, Parents & Carers", "PPC"])
def test_priority_names_an_area_by_number_or_name(engine, session, named):
    teaching_learning_only(engine, session)
    replies = talk(engine, session, f"/priority {named}")
    assert "Looking across Pupils, Parents & Carers" in question(replies)
    talk(engine, session, "Families shape every review")
    assert priority(session, "pupils-parents-carers") == "Families shape every review"
    assert priority(session) == ""
    assert session.conversation.state == "working_well"


def test_priority_when_no_area_is_clear_says_how_to_choose(engine, session):
    teaching_learning_only(engine, session)
    answer_until(engine, session, "done")
    assert session.conversation.statement_id == ""
    said = text_of(talk(engine, session, "/priority"))
    assert "/priority 1 for Teaching & Learning or /priority 2 for Pupils, Parents & Carers" in said
    assert session.conversation.state == "done"
    said = text_of(talk(engine, session, "/priority science"))
    assert 'There is no area "science"' in said
    talk(engine, session, "/priority 2", "Families first")
    assert priority(session, "pupils-parents-carers") == "Families first"
    assert session.conversation.state == "done"


def test_back_after_priority_returns_to_the_question_before_it(engine, session):
    teaching_learning_only(engine, session)
    talk(engine, session, ANSWER, "/priority")
    replies = talk(engine, session, "/back")
    assert session.conversation.state == "evidence"
    assert "priority_return" not in session.conversation.pending
    assert "How do you know" in text_of(replies)


def test_going_to_a_statement_from_the_priority_question_leaves_it(engine, session):
    teaching_learning_only(engine, session)
    talk(engine, session, "/priority", "/go 3")
    assert session.conversation.statement_id == "teaching-learning.3"
    assert "priority_return" not in session.conversation.pending
    answer_until(engine, session, "top_priority", answers={"tier": "2"})
    talk(engine, session, PRIORITY)  # the wrap-up, after all five: on to the end as usual
    assert session.conversation.state == "export"


def test_a_session_saved_at_the_priority_question_resumes_there_and_goes_back(
    engine, framework, tmp_path
):
    store = SessionStore(tmp_path)
    session = store.create(framework, "Oak")
    teaching_learning_only(engine, session)
    talk(engine, session, ANSWER, "/priority 2")
    store.save(session)
    store.close(session)
    again = SessionStore(tmp_path)
    resumed = again.open("Oak", framework)
    said = text_of(engine.start(resumed))
    assert "Looking across Pupils, Parents & Carers" in said
    replies = talk(engine, resumed, "Families in every review")
    assert priority(resumed, "pupils-parents-carers") == "Families in every review"
    assert resumed.conversation.state == "evidence"
    assert "How do you know" in question(replies)
    again.close(resumed)


def test_priority_waits_for_the_personal_data_reminder(engine, session):
    teaching_learning_only(engine, session)
    talk(engine, session, "Jamie Smith in Year 4 now reads with a partner")
    assert session.conversation.state == "privacy"
    said = text_of(talk(engine, session, "/priority"))
    assert "keep or retype" in said
    assert session.conversation.state == "privacy"
    assert session.conversation.pending["held"]  # nothing the leader typed is set aside


def test_help_lists_priority(engine, session):
    teaching_learning_only(engine, session)
    assert "/priority [N]: set or change an area's top priority" in text_of(
        talk(engine, session, "/help")
    )


# --- 2. view-like commands end with the question -------------------------------------------------


@pytest.mark.parametrize("command", ["/tiers", "/help", "/summary", "/cases"])
def test_a_view_like_command_mid_statement_asks_the_question_again(engine, session, command):
    teaching_learning_only(engine, session)
    talk(engine, session, ANSWER)
    waiting = session.conversation.pending["question"]
    replies = talk(engine, session, command)
    assert question(replies) == waiting
    assert replies[-1] == engine.expected(session)
    assert session.conversation.state == "evidence"


def test_tiers_at_the_tier_question_asks_for_the_tier_again(engine, session):
    teaching_learning_only(engine, session)
    answer_until(engine, session, "tier")
    replies = talk(engine, session, "/tiers")
    assert any(isinstance(r, TierComparison) for r in replies)
    assert "Which tier is the best fit today?" in question(replies)
    assert isinstance(replies[-1], Ask) and replies[-1].kind == "tier"


# --- 3. Enter after the end ------------------------------------------------------------------------


def test_an_empty_answer_after_the_end_gets_a_short_true_reply(engine, session):
    teaching_learning_only(engine, session)
    answer_until(engine, session, "done")
    said = text_of(talk(engine, session, ""))
    assert "not recorded" not in said and "transcript" not in said
    assert "complete" in said
    for command in ("/summary", "/export", "/go"):
        assert command in said
    typed = text_of(talk(engine, session, "One more thought"))
    assert "not recorded as an answer" in typed


# --- 4. wording ----------------------------------------------------------------------------------


def test_the_question_bank_wording(engine):
    texts = " ".join(
        p.read_text(encoding="utf-8") for p in sorted((PROMPTS / "questions").glob("*.toml"))
    )
    assert "department" not in texts.lower()  # a primary school has none
    assert "Where are curriculum, pedagogy and assessment well aligned" in texts
    assert "What difference do the report and the local offer make" in texts
    for wrong in ("Where is curriculum", "difference does the report and"):
        assert wrong not in texts


@pytest.mark.parametrize(
    "statement_id, kind, fits, not_fits",
    [
        ("pupils-parents-carers.5", "consistency", "clubs", "member of staff who meets parents"),
        ("pupils-parents-carers.4", "consistency", "pupils", "member of staff who meets parents"),
        ("pupils-parents-carers.5", "working_well", "club", "a meeting where a family"),
        ("pupils-parents-carers.1", "working_well", "report", "a meeting where a family"),
        ("teaching-learning.5", "working_well", "intervention", "adaptive teaching works"),
        ("pupils-parents-carers.2", "consistency", "every family", "clubs"),
    ],
)
def test_a_follow_up_fits_its_question(engine, session, statement_id, kind, fits, not_fits):
    engine.start(session)
    number = engine.statement_number(statement_id)
    talk(engine, session, "", "", "", "5", str(number))
    answer_until(engine, session, kind)
    said = text_of(talk(engine, session, "nothing"))  # thin: the first follow-up
    assert session.conversation.pending["question_id"].endswith("follow-up-1")
    assert fits in said and not_fits not in said


def test_the_challenge_marks_a_cut_quote_and_keeps_the_framework_words(engine, session, framework):
    teaching_learning_only(engine, session)
    replies = talk(
        engine,
        session,
        "Teachers plan together consistently",
        "",
        "",
        "",  # no evidence
        "Embedded and consistent everywhere",
        "Pupils thrive",
        "3",
    )
    assert session.conversation.state == "challenge"
    quoted = re.search(r"descriptor says: “(.+?)”", text_of(replies)).group(1)
    descriptor = framework.statement("teaching-learning.1").descriptors["excellence"]
    parts = sentences(descriptor)
    assert len(parts) > 1
    assert quoted == parts[0] + " …"  # the first sentence, exact, marked as cut
    assert quoted.removesuffix(" …") in descriptor


def test_a_quote_of_a_whole_one_sentence_descriptor_has_no_mark(engine, session, framework):
    session.conversation.statement_id = "teaching-learning.4"
    whole = framework.statement("teaching-learning.4").descriptors["strengthening"]
    assert len(sentences(whole)) == 1
    assert engine._descriptor_part(session, "strengthening") == whole.strip()


# --- 5. the README -------------------------------------------------------------------------------


def test_the_readme_explains_priority_the_challenge_and_the_hint():
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "| `/priority [N]` |" in readme
    assert "/priority" in readme.split("### Commands")[0]  # where the wrap-up is described
    assert "Hint, not a verdict" in readme and "a reading of your own words" in readme
    assert "as a second look, whether it fits" in readme
    assert '(with "…" where the quote is cut short)' in readme


def test_priority_for_an_area_not_in_todays_plan_still_shows_its_statements(engine, session):
    """The profile above the question was a heading with nothing under it."""
    teaching_learning_only(engine, session)
    replies = talk(engine, session, "/priority parents")
    shown = text_of(replies)
    profile = shown.split("your profile so far", 1)[1]
    for statement in engine.framework.area("pupils-parents-carers").statements:
        assert statement.short in profile
