"""The closest-tier hint reads negated and weakened qualifiers for what they say: "less
consistent", "not yet embedded" or "less so in maths" are no sign of Sustaining Excellence, and a
word the hint quotes always counted for the tier it names."""

import re

import pytest

from reflect_bot.suggest import closest_tier, tells_apart

# Two answers as a new user gave them: the hint said Sustaining Excellence, citing "consistent".
NEW_USER = [
    "Adaptive teaching is strong in English and learning is well sequenced. Maths is less "
    "consistent.",
    "Strongest in English and science, less so in maths.",
]

# Each phrase of the top tier's qualifiers, negated or weakened, with the same sentence plain.
NEGATED = [
    ("Maths is less consistent.", "Maths is consistent."),
    ("Maths is not consistent.", "Maths is consistent."),
    ("Maths is not yet consistent.", "Maths is consistent."),
    ("Maths is not always consistent.", "Maths is consistent."),
    ("Maths is far from consistent.", "Maths is consistent."),
    ("Teaching in maths is not consistently good.", "Teaching in maths is consistently good."),
    ("Teaching in maths is never consistently good.", "Teaching in maths is consistently good."),
    ("It isn't embedded in maths.", "It is embedded in maths."),
    ("It is not yet embedded in maths.", "It is embedded in maths."),
    ("It is consistent in English, less so in maths.", "It is consistent in English and maths."),
]
# A leader's first answer that leans towards Sustaining Excellence on its own words alone.
LEANING_HIGH = {
    "teaching-learning.1": "Leaders and teachers work in close partnership; adaptive teaching is "
    "strong in English.",
    "teaching-learning.3": "Teachers identify misconceptions early and adapt tasks responsively.",
}
TOP_WORDS = re.compile(r"consistent|embedded", re.IGNORECASE)


def test_the_new_users_answers_no_longer_point_to_sustaining_excellence(framework):
    hint = closest_tier(framework, "teaching-learning.1", NEW_USER)
    assert hint is None or hint.tier_id != "excellence"
    assert hint is None or "consistent" not in [w.lower() for w in hint.words]


def test_developing_practice_less_consistent_in_maths_is_strengthening(framework):
    """This once read as Sustaining Excellence: "less consistent" counted as "consistent"."""
    hint = closest_tier(
        framework,
        "teaching-learning.3",
        ["Pupil voice is developing.", "Maths is less consistent."],
    )
    assert hint is not None and hint.tier_id == "strengthening"
    assert hint.words == ("developing", "less consistent")


@pytest.mark.parametrize("statement_id", sorted(LEANING_HIGH))
@pytest.mark.parametrize(("negated", "plain"), NEGATED)
def test_a_negated_top_qualifier_stops_counting_for_the_top_tier(
    framework, statement_id, negated, plain
):
    said = LEANING_HIGH[statement_id]
    # the plain word tips these answers to Sustaining Excellence, and is quoted for it
    hint = closest_tier(framework, statement_id, [said, plain])
    assert hint is not None and hint.tier_id == "excellence"
    assert any(TOP_WORDS.search(w) for w in hint.words)
    # negated or weakened, it does not
    hint = closest_tier(framework, statement_id, [said, negated])
    assert hint is None or hint.tier_id != "excellence"


@pytest.mark.parametrize(("negated", "_"), NEGATED)
def test_a_negated_word_is_never_quoted_for_the_tier_it_is_negated_against(framework, negated, _):
    # words strong enough for Sustaining Excellence whatever else is said
    said = "Parents are trusted partners and we run co-production workshops."
    for statement in framework.statements:
        hint = closest_tier(framework, statement.id, [said, negated])
        if hint is not None and hint.tier_id == "excellence":
            assert not [w for w in hint.words if TOP_WORDS.search(w)], (statement.id, hint)


@pytest.mark.parametrize(
    ("first", "tier"),
    [
        ("Teachers are beginning to plan together.", "foundations"),
        ("Pupil voice is developing.", "strengthening"),
        ("Most teachers now adapt tasks.", "strengthening"),
    ],
)
@pytest.mark.parametrize(
    "negated",
    ["Maths is less consistent.", "It is far from consistent in maths.", NEGATED[-1][0]],
)
def test_a_negated_top_qualifier_counts_towards_the_tiers_below(framework, first, tier, negated):
    """Alone, the first answer says too little for a hint; with the negated qualifier it points
    below the top tier, quoting the negated phrase as it was written."""
    assert closest_tier(framework, "pupils-parents-carers.4", [first]) is None
    hint = closest_tier(framework, "pupils-parents-carers.4", [first, negated])
    assert hint is not None and hint.tier_id == tier
    quoted = hint.words[-1]
    assert quoted in negated and re.match(r"(less|far from|not)\b", quoted)


def test_less_so_takes_back_the_top_qualifier_it_refers_to(framework):
    said = "Adaptive teaching is consistently strong in English and science, less so in maths."
    for statement in framework.statements:
        hint = closest_tier(framework, statement.id, [said])
        assert hint is None or hint.tier_id != "excellence", statement.id


def test_more_consistent_than_last_year_is_strengthening_not_excellence(framework):
    said = "Assessment is more consistent than last year and teachers increasingly adapt tasks."
    for statement in framework.statements:
        hint = closest_tier(framework, statement.id, [said])
        assert hint is not None and hint.tier_id == "strengthening", statement.id
        assert "more consistent" in hint.words
        assert "consistent" not in hint.words


def test_more_consistent_alone_no_longer_reads_as_excellence(framework):
    said = "More consistent in Key Stage 2 than Key Stage 1."
    hint = closest_tier(framework, "pupils-parents-carers.2", [said])
    assert hint is None or hint.tier_id != "excellence"


@pytest.mark.parametrize(
    "said",
    [
        # "not only" undoes the negation
        "Assessment is not only consistent but embedded in every class.",
        # a weakener reaches one word: "less able pupils" leaves "consistently" as it is
        "Less able pupils are consistently supported; assessment is embedded in every class.",
    ],
)
def test_plain_top_qualifiers_still_count(framework, said):
    hint = closest_tier(framework, "teaching-learning.3", [said])
    assert hint is not None and hint.tier_id == "excellence"
    assert {"embedded", "every"} <= set(hint.words)


@pytest.mark.parametrize(
    ("word", "lower", "expected"),
    [
        ("less consistent", "strengthening", True),
        ("less so", "foundations", True),
        ("more consistent", "strengthening", True),
        ("not yet consistent", "foundations", True),
        ("consistent", "strengthening", False),
    ],
)
def test_the_challenge_reads_negated_words_as_signs_of_the_lower_tier(
    framework, word, lower, expected
):
    assert tells_apart(framework, "teaching-learning.1", word, lower, "excellence") is expected


@pytest.mark.parametrize(
    "answer",
    [
        "Reports home are deficit-led and focus on labels.",
        "Reports home dwell on deficits and labels, and dialogue is rarely about progress.",
    ],
)
def test_words_the_top_descriptor_names_as_what_to_avoid_are_no_sign_of_it(framework, answer):
    """Sustaining Excellence at Pupils, Parents & Carers 3 is dialogue about progress "rather than
    deficits or labels": answers about deficit-led reports were hinted Sustaining Excellence,
    quoting "deficit" and "labels"."""
    hint = closest_tier(framework, "pupils-parents-carers.3", [answer])
    assert hint is None or hint.tier_id != "excellence"


def test_said_the_framework_way_round_a_rather_than_counts_for_the_tier_saying_it(framework):
    said = ["Our dialogue with families is about strengths rather than deficits or labels."]
    hint = closest_tier(framework, "pupils-parents-carers.3", said)
    assert hint is not None and hint.tier_id == "excellence"
