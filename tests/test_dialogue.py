"""The dialogue engine driven directly: the conversation's rules, commands and edge cases."""

import pytest
from dialogue_support import talk, text_of

from reflect_bot.dialogue import STATES, TRANSITIONS, is_thin
from reflect_bot.replies import Action, Ask, CaseStudyCard, Profile, Quote, Say, TierComparison
from reflect_bot.session import Session

OPENING = ("Oakfield", "1", "SENCo", "1")  # label, phase, role, all statements in order
FIRST_ANSWERS = (
    "Teachers plan units together each half term",
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
)


def at_first_statement(engine, session):
    engine.start(session)
    return talk(engine, session, *OPENING)


def at_tier(engine, session):
    at_first_statement(engine, session)
    return talk(engine, session, *FIRST_ANSWERS)


# --- the table ------------------------------------------------------------------------------------


def test_the_table_is_complete(engine):
    for state, pairs in TRANSITIONS.items():
        assert state in STATES
        for guard, target in pairs:
            assert guard in engine.guards
            assert target in STATES
    assert set(STATES) == set(TRANSITIONS)
    # every table ends in a guard that always holds, except the reminder, left by its handler
    assert all(pairs[-1][0] == "always" for state, pairs in TRANSITIONS.items() if pairs)


# --- opening --------------------------------------------------------------------------------------


def test_start_greets_then_asks_for_an_optional_label(engine, session):
    replies = engine.start(session)
    assert isinstance(replies[0], Say) and replies[0].text.startswith("Hello")
    assert isinstance(replies[-1], Ask) and replies[-1].kind == "text"
    assert engine.expected(session) == replies[-1]
    assert session.conversation.state == "label"
    assert session.transcript[0].role == "bot"


def test_the_opening_answers_and_the_scope(engine, session):
    replies = at_first_statement(engine, session)
    assert (session.label, session.phase, session.role) == ("Oakfield", "Primary", "SENCo")
    assert len(session.conversation.scope) == 10
    quote = next(r for r in replies if isinstance(r, Quote))
    assert quote.text == engine.framework.statement("teaching-learning.1").text
    assert replies[-1] == Ask("reflection", "reflection")


def test_blank_opening_answers_are_skipped_and_not_recorded(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "")
    assert (session.label, session.phase, session.role) == ("", "", "")
    assert session.conversation.state == "scope"


def test_choosing_statements_and_their_order(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5")
    replies = talk(engine, session, "8 99")
    assert "I could not find 99" in text_of(replies)
    talk(engine, session, "8, 2.1 teaching-learning.3")
    assert session.conversation.scope == [
        "pupils-parents-carers.3",
        "pupils-parents-carers.1",
        "teaching-learning.3",
    ]
    assert session.conversation.statement_id == "pupils-parents-carers.3"


def test_one_area_only_and_areas_in_reverse(engine, session, framework):
    engine.start(session)
    talk(engine, session, "", "", "", "3")
    assert session.conversation.scope == [s.id for s in framework.areas[1].statements]
    talk(engine, session, "/back", "4")
    assert session.conversation.scope[0] == "pupils-parents-carers.1"
    assert session.conversation.scope[-1] == "teaching-learning.5"


# --- one statement --------------------------------------------------------------------------------


def test_the_order_of_questions_for_a_statement(engine, session):
    at_first_statement(engine, session)
    states = []
    for answer in FIRST_ANSWERS:
        states.append(session.conversation.state)
        engine.step(session, answer)
    assert states == ["working_well", "evidence", "consistency", "impact"]
    assert session.conversation.state == "tier"


def test_the_tier_comparison_shows_the_descriptors_exactly_side_by_side(engine, session, framework):
    replies = at_tier(engine, session)
    (comparison,) = [r for r in replies if isinstance(r, TierComparison)]
    statement = framework.statement("teaching-learning.1")
    assert [c.tier_id for c in comparison.columns] == ["foundations", "strengthening", "excellence"]
    assert [c.descriptor for c in comparison.columns] == [
        statement.descriptors[t] for t in ("foundations", "strengthening", "excellence")
    ]
    assert replies[-1].kind == "tier"
    assert [k for k, _ in replies[-1].options] == ["1", "2", "3", "?"]


def test_no_specific_descriptor_shows_the_areas_overall_one(engine, session, framework):
    at_first_statement(engine, session)
    replies = talk(engine, session, "/go 5", *FIRST_ANSWERS)
    (comparison,) = [r for r in replies if isinstance(r, TierComparison)]
    assert comparison.columns[2].descriptor is None
    assert (
        comparison.overall["excellence"]
        == framework.area("teaching-learning").overall["excellence"]
    )
    assert "no specific descriptor" in text_of([comparison])


def test_the_hint_names_the_words_that_drove_it(engine, session):
    at_first_statement(engine, session)
    replies = talk(
        engine,
        session,
        "Adaptive teaching is beginning in some classes",
        "Some lesson visits, evidence is limited and inconsistent",
        "It is inconsistent and patchy, pockets of practice",
        "Not yet secure; barriers are not yet identified",
    )
    (comparison,) = [r for r in replies if isinstance(r, TierComparison)]
    assert comparison.hint is not None and comparison.hint.tier_id == "foundations"
    assert comparison.hint.words
    assert session.record("teaching-learning.1").hint_tier == "foundations"
    assert "not a verdict" in text_of([comparison])


def test_not_sure_yet_asks_what_they_would_need_to_find_out(engine, session):
    at_tier(engine, session)
    replies = talk(engine, session, "not sure yet")
    record = session.record("teaching-learning.1")
    assert record.not_sure and record.tier == ""
    assert session.conversation.state == "find_out"
    assert "need to find out" in text_of(replies)


def test_an_invalid_tier_is_asked_for_again_without_repeating_the_question(engine, session):
    at_tier(engine, session)
    replies = talk(engine, session, "quite good")
    assert replies == [
        Say("Please type 1, 2 or 3 for a tier, or ? if you are not sure yet."),
        engine.expected(session),
    ]
    assert session.conversation.state == "tier"


def test_a_lower_tier_is_never_challenged(engine, session):
    at_tier(engine, session)
    talk(engine, session, "1")
    assert session.conversation.state == "next_tier"
    assert session.record("teaching-learning.1").challenge is None


def test_excellence_without_evidence_is_challenged_once_naming_the_descriptor(engine, session):
    at_first_statement(engine, session)
    replies = talk(
        engine,
        session,
        "Teachers plan together consistently",
        "",
        "",
        "",  # the evidence left empty after two follow-ups
        "Embedded and consistent everywhere",
        "Pupils thrive",
        "3",
    )
    assert session.conversation.state == "challenge"
    record = session.record("teaching-learning.1")
    assert record.challenge is not None
    assert record.challenge.tier_before == "excellence"
    assert "We have not yet noted evidence" in text_of(replies)
    assert "Sustaining Excellence descriptor says" in text_of(replies)
    talk(engine, session, "We have visit notes from every class", "k")
    assert record.challenge.tier_after == "excellence"
    assert session.conversation.state == "sustain_share"  # at the top tier: sustain and share


def test_the_next_tier_contrasts_the_current_and_next_descriptors(engine, session, framework):
    at_tier(engine, session)
    replies = talk(engine, session, "2")
    statement = framework.statement("teaching-learning.1")
    quotes = [r.text for r in replies if isinstance(r, Quote)]
    assert quotes == [statement.descriptors["strengthening"], statement.descriptors["excellence"]]
    assert "from Strengthening Practice to Sustaining Excellence" in text_of(replies)


def test_next_steps_are_optional_and_by_when_takes_what_leaders_say(engine, session):
    at_tier(engine, session)
    talk(engine, session, "2", "Consistent practice in every class")
    assert session.conversation.state == "next_what"
    talk(engine, session, "Run a staff meeting on adaptive teaching", "", "end of spring term")
    (step,) = session.record("teaching-learning.1").next_steps
    assert (step.who, step.by_when) == ("", "end of spring term")
    replies = talk(engine, session, "n")
    assert session.conversation.state == "case_studies"
    cards = [r for r in replies if isinstance(r, CaseStudyCard)]
    assert 1 <= len(cards) <= 2 and all(c.reason for c in cards)
    assert all(framework_area(c.case_study_id) == "teaching-learning" for c in cards)


def framework_area(case_study_id):
    return case_study_id.split(".")[0]


def test_no_next_step_goes_straight_to_case_studies(engine, session):
    at_tier(engine, session)
    talk(engine, session, "2", "Consistent practice in every class", "")
    assert session.record("teaching-learning.1").next_steps == []
    assert session.conversation.state == "case_studies"


def test_the_area_wrap_up_and_top_priority(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "2.3")  # one statement: Pupils, Parents & Carers 3
    replies = talk(engine, session, *FIRST_ANSWERS, "2", "Strengths first everywhere", "", "n")
    assert session.conversation.state == "top_priority"
    assert any(isinstance(r, Profile) for r in replies)
    # this area has no overall descriptor in the framework: said so, never invented
    assert "gives no overall descriptor" in text_of(replies)
    replies = talk(engine, session, "Strengths-based reviews")
    assert session.area_record("pupils-parents-carers").top_priority == "Strengths-based reviews"
    assert "session summary" in text_of(replies)
    assert session.conversation.state == "export"
    replies = talk(engine, session, "html")
    assert Action("export", "html") in replies
    assert session.conversation.state == "done"


# --- thin answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, thin",
    [
        ("", True),
        ("   ", True),
        ("ok", True),
        ("Don't know", True),
        ("I don’t know really", True),
        ("not sure", True),
        ("Lesson visits show it", False),
        (
            "We don't know the impact of interventions on reading yet, so we plan to measure it",
            False,
        ),
    ],
)
def test_what_counts_as_thin(text, thin):
    assert is_thin(text) is thin


def test_at_most_two_gentle_follow_ups_then_move_on(engine, session):
    at_first_statement(engine, session)
    first = talk(engine, session, "")
    second = talk(engine, session, "dunno")
    third = talk(engine, session, "")
    assert "For example" in text_of(first)
    assert "Put another way" in text_of(second)
    assert "let's move on" in text_of(third)
    assert session.conversation.state == "evidence"
    record = session.record("teaching-learning.1")
    assert [(a.text, a.thin) for a in record.answers] == [("dunno", True)]
    assert record.notes


def test_never_the_same_question_twice_in_a_row(engine, session):
    at_first_statement(engine, session)
    asked = []
    for line in ("", "", "", "ok", "no", "", "?", "x", "3", "", "", ""):
        replies = engine.step(session, line)
        says = [r.text for r in replies if isinstance(r, Say)]
        if says:
            asked.append(says[-1])
    assert all(a != b for a, b in zip(asked, asked[1:], strict=False))


# --- commands -------------------------------------------------------------------------------------


def test_help_lists_every_command_and_bare_help_works_too(engine, session):
    engine.start(session)
    for line in ("/help", "help", "HELP"):
        replies = talk(engine, session, line)
        text = text_of(replies)
        for command in ("/back", "/skip", "/go", "/tiers", "/cases", "/summary", "/save", "/quit"):
            assert command in text
        assert replies[-1] == engine.expected(session)
    assert session.label == ""


def test_an_unknown_command_lists_the_commands_and_changes_nothing(engine, session):
    at_first_statement(engine, session)
    before = session.model_dump(exclude={"transcript", "updated"})
    replies = talk(engine, session, "/frobnicate")
    assert 'There is no command "/frobnicate"' in text_of(replies)
    assert "/back" in text_of(replies)
    assert session.model_dump(exclude={"transcript", "updated"}) == before


def test_back_is_repeatable_to_the_start(engine, session):
    at_first_statement(engine, session)
    talk(engine, session, FIRST_ANSWERS[0])
    for _ in range(5):
        engine.step(session, "/back")
    assert session.conversation.state == "label"
    assert (session.label, session.phase, session.role) == ("", "", "")
    assert session.find_record("teaching-learning.1") is None
    replies = talk(engine, session, "/back")
    assert "nothing to go back to" in text_of(replies)


def test_back_then_a_new_answer_replaces_the_old(engine, session):
    at_first_statement(engine, session)
    talk(engine, session, "First answer about planning together", "/back")
    talk(engine, session, "Second answer about planning together")
    answers = session.record("teaching-learning.1").answers
    assert [a.text for a in answers] == ["Second answer about planning together"]


def test_skip_an_optional_question_and_skip_a_statement(engine, session):
    engine.start(session)
    talk(engine, session, "/skip")
    assert session.conversation.state == "phase"
    talk(engine, session, "", "", "1")
    replies = talk(engine, session, "/skip")
    assert session.record("teaching-learning.1").status == "skipped"
    assert session.conversation.statement_id == "teaching-learning.2"
    assert "/go 1" in text_of(replies)
    talk(engine, session, "/back")
    assert session.conversation.statement_id == "teaching-learning.1"
    assert session.record("teaching-learning.1").status == "in_progress"


def test_go_by_number_id_or_area_dot_number(engine, session):
    engine.start(session)
    talk(engine, session, "/go 7")  # straight from the opening: the scope becomes everything
    assert session.conversation.statement_id == "pupils-parents-carers.2"
    assert len(session.conversation.scope) == 10
    talk(engine, session, "/go teaching-learning.4")
    assert session.conversation.statement_id == "teaching-learning.4"
    talk(engine, session, "/go 2.5")
    assert session.conversation.statement_id == "pupils-parents-carers.5"
    replies = talk(engine, session, "/go 42")
    assert 'There is no statement "42"' in text_of(replies)
    assert session.conversation.statement_id == "pupils-parents-carers.5"


def test_going_back_to_a_done_statement_replaces_answers_question_by_question(engine, session):
    at_tier(engine, session)
    talk(engine, session, "2", "Consistent practice", "", "n")
    assert session.record("teaching-learning.1").status == "done"
    replies = talk(engine, session, "/go 1")
    assert "is finished. What you said" in text_of(replies)
    assert "Tier: Strengthening Practice" in text_of(replies)
    assert session.record("teaching-learning.1").status == "done"  # only looking, so far
    replies = talk(engine, session, "yes")
    assert "Back to statement 1" in text_of(replies)
    assert "Last time you chose Strengthening Practice" in text_of(replies)
    replies = talk(engine, session, "A new view of what works well")
    assert "/back brings it back" in text_of(replies)
    working_well = session.record("teaching-learning.1").answers_of("working_well")
    assert [a.text for a in working_well] == ["A new view of what works well"]
    talk(engine, session, "/back")
    working_well = session.record("teaching-learning.1").answers_of("working_well")
    assert [a.text for a in working_well] == [FIRST_ANSWERS[0]]


def test_tiers_cases_and_summary_show_and_then_wait_for_the_same_answer(engine, session):
    at_first_statement(engine, session)
    for command in ("/tiers", "/cases", "/summary", "/save"):
        replies = talk(engine, session, command)
        assert replies[-1] == engine.expected(session)
        assert session.conversation.state == "working_well"
    tiers = talk(engine, session, "/tiers")
    assert sum(isinstance(r, Quote) for r in tiers) == 3
    assert any(isinstance(r, TierComparison) for r in tiers)
    cases = [r for r in talk(engine, session, "/cases") if isinstance(r, CaseStudyCard)]
    assert {c.case_study_id.split(".")[0] for c in cases} == {"teaching-learning"}
    assert len(cases) == 4


def test_quit_and_export_ask_the_front_end(engine, session):
    engine.start(session)
    replies = talk(engine, session, "/quit")
    assert replies[-1] == Action("quit")
    assert "reflect-bot resume test" in text_of(replies)
    assert Action("export", "csv") in talk(engine, session, "/export csv")
    assert Action("export", "") in talk(engine, session, "/export")
    assert "no export format" in text_of(talk(engine, session, "/export pdf"))


# --- text, privacy, resuming, determinism ---------------------------------------------------------


def test_line_endings_are_normalised_and_text_is_kept_exactly(engine, session):
    at_first_statement(engine, session)
    hostile = "“Curly” – dashes\t• bullets 🙂 Zoë 名前 [bold]x[/] \\back ''' \"\"\" [link=x]"
    talk(engine, session, "line one\r\nline two\rline three " + hostile)
    (answer,) = session.record("teaching-learning.1").answers
    assert answer.text == "line one\nline two\nline three " + hostile


def test_a_slash_inside_a_multi_line_answer_is_not_a_command(engine, session):
    at_first_statement(engine, session)
    talk(engine, session, "/back is what\nwe say when a plan needs revisiting")
    assert session.record("teaching-learning.1").answers[0].text.startswith("/back is what")


def test_the_personal_data_reminder_once_keep_or_retype(engine, session):
    at_first_statement(engine, session)
    replies = talk(engine, session, "Call the parent on 07700 900123 about the plan")
    assert session.conversation.state == "privacy"
    assert '"07700 900123"' in text_of(replies)
    assert session.find_record("teaching-learning.1").answers == []  # held, not yet recorded
    talk(engine, session, "k")
    (answer,) = session.record("teaching-learning.1").answers
    assert answer.text == "Call the parent on 07700 900123 about the plan"
    assert session.conversation.state == "evidence"
    talk(engine, session, "Ask at jo@example.com about the records")  # no second reminder
    assert session.conversation.state == "consistency"


def test_retype_after_the_reminder(engine, session):
    at_first_statement(engine, session)
    talk(engine, session, "Email jo@example.com", "r")
    assert session.conversation.state == "working_well"
    talk(engine, session, "Teachers plan with the SENCo")
    assert [a.text for a in session.record("teaching-learning.1").answers] == [
        "Teachers plan with the SENCo"
    ]


def test_no_false_alarm_on_ordinary_text(engine, session):
    at_first_statement(engine, session)
    talk(engine, session, "Year 4 teachers led this in 2025-26")
    assert session.conversation.state == "evidence"
    assert not session.conversation.privacy_reminded


def test_resume_welcomes_back_and_asks_the_pending_question_again(engine, session):
    at_first_statement(engine, session)
    talk(engine, session, FIRST_ANSWERS[0])
    pending = session.conversation.pending["question"]
    resumed = Session.model_validate(session.model_dump())
    replies = engine.start(resumed)
    text = text_of(replies)
    assert text.startswith('Welcome back to "Oakfield".')
    assert "statement 1" in text
    assert FIRST_ANSWERS[0] in text
    assert pending in text
    assert replies[-1] == Ask("reflection", "reflection")


def test_after_the_end_typing_is_not_recorded(engine, session):
    engine.start(session)
    talk(engine, session, "", "", "", "5", "1")
    talk(engine, session, *FIRST_ANSWERS, "1", "More consistent practice", "", "n", "", "n")
    assert session.conversation.state == "done"
    replies = talk(engine, session, "some more thoughts")
    assert "Your reflection is complete" in text_of(replies)
    assert replies[-1].kind == "done"


def test_the_same_inputs_give_the_same_replies(engine, framework):
    lines = [*OPENING, *FIRST_ANSWERS, "3", "We have notes", "2", "x", "/back", "/tiers", "1"]
    runs = []
    for _ in range(2):
        s = Session(name="same", framework_id=framework.id, framework_version=framework.version)
        replies = engine.start(s)
        for line in lines:
            replies += engine.step(s, line)
        runs.append(replies)
    assert runs[0] == runs[1]


def test_go_to_the_statement_already_open_does_not_ask_again(engine, session):
    at_first_statement(engine, session)
    replies = talk(engine, session, "/go 1")
    assert replies == [
        Say(
            "We are on statement 1 already: Teaching & Learning 1, Partnerships and an ambitious "
            "curriculum."
        ),
        engine.expected(session),
    ]


def test_resuming_at_a_statement_the_framework_no_longer_has(engine, session):
    at_first_statement(engine, session)
    session.conversation.scope = ["teaching-learning.9", *session.conversation.scope[1:]]
    session.conversation.statement_id = "teaching-learning.9"
    replies = engine.start(session)
    assert "teaching-learning.9 is no longer in this version of the framework" in text_of(replies)
    assert session.conversation.statement_id == "teaching-learning.2"
    assert replies[-1] == Ask("reflection", "reflection")


def test_skip_at_an_optional_next_step_question_skips_only_that_question(engine, session):
    at_tier(engine, session)
    talk(
        engine,
        session,
        "2",
        "More consistency across foundation subjects",
        "CPD on adaptive teaching",
    )
    assert session.conversation.state == "next_who"
    talk(engine, session, "/skip")
    record = session.record("teaching-learning.1")
    assert record.status != "skipped"
    assert record.tier == "strengthening"
    assert session.conversation.statement_id == "teaching-learning.1"
    assert session.conversation.state == "next_when"


def test_case_cards_are_the_ones_cases_shows_and_change_nothing(engine, session):
    at_first_statement(engine, session)
    before = session.model_dump()
    cards = engine.case_cards(session)
    assert session.model_dump() == before
    shown = [r for r in engine.step(session, "/cases") if isinstance(r, CaseStudyCard)]
    assert cards == shown and cards
