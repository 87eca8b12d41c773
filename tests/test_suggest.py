"""Suggestions from the leader's words: the closest tier (a hint) and case studies with reasons."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect_bot.replies import Hint
from reflect_bot.suggest import closest_tier, stem, suggest_case_studies

# Hand-written answers whose tier a reader sees at once.
OBVIOUS = [
    (
        "teaching-learning.2",
        "We are beginning to share pupil passports, but it is inconsistent and some teachers "
        "don't read them. Their understanding of needs is not yet secure.",
        "foundations",
        {"beginning", "inconsistent", "some", "not yet secure"},
    ),
    (
        "teaching-learning.2",
        "Teachers increasingly use the pupil profiles, and planning is more coherent than last "
        "year; most classes now adapt their teaching.",
        "strengthening",
        {"increasingly", "more", "coherent", "most"},
    ),
    (
        "teaching-learning.2",
        "Communication systems are robust: every teacher has a secure, shared understanding of "
        "needs and strengths, and it consistently informs planning across subjects and phases.",
        "excellence",
        {"robust", "every", "consistently", "secure"},
    ),
    (
        "teaching-learning.3",
        "Assessment is embedded in every lesson; teachers routinely identify misconceptions early "
        "and adapt tasks responsively. This is sustained across the school.",
        "excellence",
        {"embedded", "routinely", "sustained"},
    ),
    (
        "teaching-learning.3",
        "Teachers sometimes spot misconceptions but their responses are often late; adapting "
        "homework is reactive and inconsistent.",
        "foundations",
        {"sometimes", "reactive", "inconsistent"},
    ),
    (
        "teaching-learning.5",
        "Interventions are better planned now and increasingly linked to classroom learning; "
        "evaluation of impact is developing.",
        "strengthening",
        {"better", "increasingly", "linked"},
    ),
    (
        "pupils-parents-carers.2",
        "Parents are trusted partners. Co-production is embedded from the earliest stages through "
        "forums and workshops, and it has been sustained for years.",
        "excellence",
        {"trusted", "embedded", "sustained"},
    ),
    (
        "pupils-parents-carers.2",
        "Parents are informed after decisions are made. Co-production is limited and patchy; we "
        "are only beginning to run workshops.",
        "foundations",
        {"limited", "patchy", "beginning"},
    ),
    (
        "pupils-parents-carers.4",
        "Pupils increasingly feel listened to and valued, and an open culture is evident in many "
        "classes, though it is not yet the same for all pupils.",
        "strengthening",
        {"increasingly", "many"},
    ),
]


@pytest.mark.parametrize(("statement_id", "answer", "tier", "some_words"), OBVIOUS)
def test_closest_tier_on_obvious_answers(framework, statement_id, answer, tier, some_words):
    hint = closest_tier(framework, statement_id, [answer])
    assert hint is not None
    assert hint.tier_id == tier
    assert hint.tier_name == framework.tier(tier).name
    assert some_words <= {w.lower() for w in hint.words}
    assert 1 <= len(hint.words) <= 6
    for word in hint.words:  # the words are the leader's own, as written
        assert word in answer


def test_answers_across_several_texts_add_up(framework):
    hint = closest_tier(
        framework,
        "teaching-learning.1",
        ["Some teachers adapt well.", "It is inconsistent across subjects.", "We are beginning."],
    )
    assert hint == Hint(
        "foundations",
        "Establishing Foundations",
        ("Some", "inconsistent", "subjects", "beginning"),
    )


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["   "],
        ["Good."],
        ["don't know"],
        ["We do lesson visits and look at books."],
        # as much of one tier's words as of another's: no hint rather than a guess
        ["Some classes are consistently strong."],
    ],
)
def test_no_hint_when_the_words_say_too_little(framework, texts):
    assert closest_tier(framework, "teaching-learning.2", texts) is None


def test_negation_turns_a_qualifier_around(framework):
    said = "It is not yet consistent and not embedded; practice is not consistently good."
    hint = closest_tier(framework, "teaching-learning.3", [said])
    # Strengthening Practice's own words: "not yet consistently refined or embedded".
    assert hint is not None and hint.tier_id == "strengthening"
    assert "consistent" not in hint.words and "embedded" not in hint.words
    assert "not yet consistent" in hint.words
    plain = closest_tier(
        framework, "teaching-learning.3", ["It is consistent, embedded and routinely good."]
    )
    assert plain is not None and plain.tier_id == "excellence"


def test_not_all_is_not_all(framework):
    hint = closest_tier(
        framework, "teaching-learning.1", ["Not all teachers adapt; not every class is embedded."]
    )
    assert hint is None or hint.tier_id != "excellence"


def test_negation_with_curly_apostrophes(framework):
    said = "Practice isn’t consistently embedded; it’s beginning and some staff are unsure."
    hint = closest_tier(framework, "teaching-learning.4", [said])
    assert hint is not None and hint.tier_id == "foundations"


def test_a_tier_without_a_specific_descriptor_still_works(framework):
    # Interventions have no specific descriptor at Sustaining Excellence: qualifiers still count.
    said = "Interventions are consistently embedded, sustained and robust; every one is evaluated."
    hint = closest_tier(framework, "teaching-learning.5", [said])
    assert hint is not None and hint.tier_id == "excellence"


def test_closest_tier_is_deterministic(framework):
    answer = OBVIOUS[0][1]
    first = closest_tier(framework, "teaching-learning.2", [answer])
    assert all(closest_tier(framework, "teaching-learning.2", [answer]) == first for _ in range(5))


def test_unknown_statement_is_a_key_error(framework):
    with pytest.raises(KeyError):
        closest_tier(framework, "teaching-learning.9", ["some"])


@pytest.mark.parametrize(
    ("a", "b"),
    [("consistently", "consistent"), ("embedded", "embed"), ("improving", "improved")],
)
def test_stem_joins_forms_of_a_word(a, b):
    assert stem(a) == stem(b)


def test_stem_keeps_opposites_apart():
    assert stem("inconsistent") != stem("consistent")


# --- Case studies -------------------------------------------------------------------------------


def test_case_studies_name_the_shared_focus(framework):
    found = suggest_case_studies(
        framework,
        "pupils-parents-carers.2",
        ["We co-produce plans with parents at workshops and termly coffee mornings."],
    )
    assert [c.id for c, _ in found][0] == "pupils-parents-carers.genuine-partnerships"
    assert (
        found[0][1] == "It shares your focus on co-production and workshops. It also covers forums."
    )


def test_case_studies_pick_up_the_leaders_words(framework):
    found = suggest_case_studies(
        framework,
        "pupils-parents-carers.1",
        ["We hold coffee afternoons and drop-ins for families."],
    )
    case, reason = found[0]
    assert case.id == "pupils-parents-carers.stronger-together"
    assert reason.startswith("It picks up what you said about coffee afternoons and drop-ins.")


def test_case_studies_without_the_leaders_words_use_the_statement(framework):
    found = suggest_case_studies(framework, "pupils-parents-carers.3", [])
    assert [c.id for c, _ in found] == [
        "pupils-parents-carers.partnership-triads",
        "pupils-parents-carers.stronger-together",
    ]
    assert found[0][1] == "It covers communication, which this statement is about."
    assert found[1][1] == "It relates to this statement on strengths-based communication."


@pytest.mark.parametrize(
    "statement_id", [s for s in ("teaching-learning.1", "teaching-learning.5")]
)
def test_case_studies_come_from_the_statements_own_area_only(framework, statement_id):
    # Words that match the other area's case studies closely must not pull them in.
    said = ["Coffee afternoons, drop-ins, EAL families, multi-agency hub, co-production workshops."]
    found = suggest_case_studies(framework, statement_id, said, limit=9)
    assert found
    assert {c.area_id for c, _ in found} == {"teaching-learning"}


def test_every_statement_gets_a_reasoned_suggestion(framework):
    for statement in framework.statements:
        found = suggest_case_studies(framework, statement.id, ["We are working on it."])
        assert 1 <= len(found) <= 2, statement.id
        for case, reason in found:
            assert case.area_id == statement.area_id
            assert reason.startswith("It ") and reason.endswith(".")
            assert "  " not in reason


def test_limit_and_order_are_stable(framework):
    said = ["Curriculum pathways, assessment and independence for adulthood."]
    one = suggest_case_studies(framework, "teaching-learning.1", said, limit=1)
    three = suggest_case_studies(framework, "teaching-learning.1", said, limit=3)
    assert len(one) == 1 and len(three) == 3
    assert one[0] == three[0]
    assert three == suggest_case_studies(framework, "teaching-learning.1", said, limit=3)
    assert suggest_case_studies(framework, "teaching-learning.1", said, limit=0) == []


def test_negated_words_are_not_a_shared_focus(framework):
    found = suggest_case_studies(
        framework, "pupils-parents-carers.2", ["We do not run workshops and have no forums."]
    )
    for _, reason in found:
        assert "your focus on workshops" not in reason


def test_hint_words_are_quoted_from_the_answer_even_when_rewritten(framework):
    answer = "Our TA’s role isn’t aligned yet; TAs sometimes reduce independence, inconsistently."
    hint = closest_tier(framework, "teaching-learning.4", [answer])
    assert hint is not None and hint.tier_id == "foundations"
    for word in hint.words:
        assert word in answer


def test_possessives_and_curly_quotes_still_match_themes(framework):
    found = suggest_case_studies(
        framework, "pupils-parents-carers.2", ["Parents’ co-production’s strength: workshops."]
    )
    assert found[0][1].startswith("It shares your focus on co-production and workshops.")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=120), max_size=3))
def test_any_text_gives_a_hint_or_none_quoting_the_leader(framework, texts):
    for statement_id in ("teaching-learning.4", "pupils-parents-carers.2"):
        hint = closest_tier(framework, statement_id, texts)
        if hint is not None:
            assert all(any(w in t for t in texts) for w in hint.words)
        for case, reason in suggest_case_studies(framework, statement_id, texts):
            assert case.area_id == statement_id.split(".")[0]
            assert reason.endswith(".")


def test_a_theme_of_several_words_matches_without_its_last_one(framework):
    found = suggest_case_studies(
        framework, "pupils-parents-carers.1", ["We host multi-agency drop-ins for EAL families."]
    )
    case, reason = found[0]
    assert case.id == "pupils-parents-carers.stronger-together"
    assert reason.startswith("It shares your focus on multi-agency work and EAL families.")


COMMON_WORDS = {"every", "teaching", "share", "feel", "progress", "families", "good", "week"}


def test_reasons_never_name_common_words(framework):
    # Answers full of words every school uses: a reason such as "It picks up what you said about
    # every and teaching" tells a governor nothing.
    said = [
        "Our visits this term showed strong adaptive teaching in every class we saw",
        "Teachers plan together every week and we share good practice",
        "Pupils make progress and families feel listened to",
    ]
    for statement in framework.statements:
        for _, reason in suggest_case_studies(framework, statement.id, said):
            if "said about" in reason:
                named = reason.split("said about ", 1)[1].split(".")[0]
                assert not set(re.findall(r"[\w-]+", named.lower())) & COMMON_WORDS, reason


def test_reasons_still_pick_up_the_leaders_particular_words(framework):
    found = suggest_case_studies(
        framework,
        "pupils-parents-carers.1",
        ["Every week we hold coffee afternoons and drop-ins for families."],
    )
    assert found[0][1].startswith("It picks up what you said about coffee afternoons and drop-ins.")


def test_two_suggestions_never_give_the_same_reason(framework):
    said = ["We hold coffee afternoons and drop-ins for families.", "TAs build independence"]
    for statement in framework.statements:
        for texts in ([], ["We are working on it."], said):
            found = suggest_case_studies(framework, statement.id, texts)
            reasons = [reason for _, reason in found]
            assert len(set(reasons)) == len(reasons), (statement.id, reasons)
