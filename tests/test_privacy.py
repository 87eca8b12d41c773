"""The personal data reminder: what it spots in an answer, and the ordinary text it leaves alone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflect_bot.privacy import PersonalData, find_personal_data

HITS = [
    # (answer, kind, matched text)
    ("Contact jo.bloggs@school.org.uk about it.", "email", "jo.bloggs@school.org.uk"),
    ("Email Sam.O'Neil+send@example.com", "email", "Sam.O'Neil+send@example.com"),
    ("Mum's mobile is 07700 900123.", "phone", "07700 900123"),
    ("Ring 07700900123 after 3", "phone", "07700900123"),
    ("or 07700 900 123", "phone", "07700 900 123"),
    ("tel 07700-900-123", "phone", "07700-900-123"),
    ("Dad on +44 7700 900123", "phone", "+44 7700 900123"),
    ("Dad on +447700900123", "phone", "+447700900123"),
    ("Office +44 (0)20 7946 0958", "phone", "+44 (0)20 7946 0958"),
    ("Call 020 7946 0958 today", "phone", "020 7946 0958"),
    ("Call (020) 7946 0958 today", "phone", "(020) 7946 0958"),
    ("Social care: 0161 496 0000", "phone", "0161 496 0000"),
    ("Clinic 01632 960123", "phone", "01632 960123"),
    ("His UPN is A123456789012.", "upn", "A123456789012"),
    ("UPN: z999999999999", "upn", "z999999999999"),
    ("DOB 12/03/2015", "date_of_birth", "DOB 12/03/2015"),
    ("D.O.B. 12.03.15 on file", "date_of_birth", "D.O.B. 12.03.15"),
    ("dob: 2015-03-12", "date_of_birth", "dob: 2015-03-12"),
    ("date of birth 1/9/2016", "date_of_birth", "date of birth 1/9/2016"),
    ("She was born 3 March 2016.", "date_of_birth", "born 3 March 2016"),
    ("born on 3rd March 2016", "date_of_birth", "born on 3rd March 2016"),
    ("born in March 2016", "date_of_birth", "born in March 2016"),
    ("Born March 3, 2016", "date_of_birth", "Born March 3, 2016"),
    ("birthday is 3 Sept", "date_of_birth", "birthday is 3 Sept"),
    ("Jamie in Year 4 has made progress", "name_year_group", "Jamie in Year 4"),
    ("We spoke to Priya (Y6) about it", "name_year_group", "Priya (Y6)"),
    ("Jamie (in Year 4) said", "name_year_group", "Jamie (in Year 4)"),
    ("Jamie Smith in Year 4 has an EHCP", "name_year_group", "Jamie Smith in Year 4"),
    ("Tom, Year 5, told us", "name_year_group", "Tom, Year 5"),
    ("Amir Y3 needs a new plan", "name_year_group", "Amir Y3"),
    ("Sam - Yr 6", "name_year_group", "Sam - Yr 6"),
    ("Ellie from year 2", "name_year_group", "Ellie from year 2"),
    ("Jamie in Reception is settling", "name_year_group", "Jamie in Reception"),
    ("Zoë in Year 2 uses symbols", "name_year_group", "Zoë in Year 2"),
    ("Siobhán (Y10) and her mum", "name_year_group", "Siobhán (Y10)"),
    ("a Year 4 pupil called Jamie", "name_year_group", "Year 4 pupil called Jamie"),
    ("Tom and Jamie in Year 4", "name_year_group", "Jamie in Year 4"),
    ("Emily in Year 1 reads well", "name_year_group", "Emily in Year 1"),
    ("Today Jamie in Year 3 asked for help", "name_year_group", "Jamie in Year 3"),
    # names that a comparison word list must not swallow
    ("Amber in Year 4 reads daily", "name_year_group", "Amber in Year 4"),
    ("Jasper in Y5 has a new plan", "name_year_group", "Jasper in Y5"),
    ("Better support for Priya (Y6)", "name_year_group", "Priya (Y6)"),
]

NON_HITS = [
    "Year 4 teachers meet weekly to plan.",
    "Our plan for 2025-26 is ambitious.",
    "In Year 6 we run booster groups.",
    "By Year 6 most pupils are independent.",
    "Next steps by 31/03/2026 at the latest.",
    "Reviewed on 12/03/2025 with governors.",
    "Ofsted visited in the autumn term.",
    "EHCP reviews happen every spring.",
    "Teachers in Year 4 use visual timetables.",
    "Pupils in Y6 lead the school council.",
    "Mrs Patel in Year 4 leads phonics.",
    "Mr. Jones (Y5) has trained the TAs.",
    "Maths (Y6) and English (Y5) sets.",
    "Our Year 6 cohort is large.",
    "The Year 3 team plans together.",
    "Similarly, Year 5 have improved.",
    "Overall, Year 4 did well.",
    "Phonics in Year 1 is strong.",
    "KS2 Y6 SATs results improved.",
    "Year 4 and Year 5 share a TA.",
    "About 12 pupils, 3 classes, 2024 and 2025.",
    "Budget 0.5 FTE, 2025-2026.",
    "Attendance is 94.5% this term.",
    "Meeting at 10:30 on 3 March.",
    "Born out of a need to work with parents.",
    "The SENCo email goes to all staff.",
    "Use the @ sign in the referral form.",
    "URN 123456 is on the letter.",
    "Reading Recovery in Y2 runs daily.",
    "Lego Therapy in Year 3 is popular.",
    "Nurture Group (Y1) meets at lunch.",
    "Yesterday in Year 3 the TA modelled it.",
    "Everyone in Year 2 has a reading buddy.",
    "Staff (Y1-Y2) co-plan.",
    # comparisons and judgements at the start of a sentence are not names
    "Stronger in Year 7 than in Key Stage 4.",
    "Better in Year 9.",
    "Weaker in Year 3, where staffing changed.",
    "Most in Year 5 use the strategy.",
    "Best in Y6, weakest in Y3.",
    "Strong in Year 4; patchy elsewhere.",
    "Similar in Year 2.",
    "",
]


@pytest.mark.parametrize(("text", "kind", "matched"), HITS)
def test_spots_personal_data(text, kind, matched):
    found = find_personal_data(text)
    assert [(p.kind, p.text) for p in found] == [(kind, matched)]
    item = found[0]
    assert text[item.start : item.end] == matched


@pytest.mark.parametrize("text", NON_HITS)
def test_no_false_alarm_on_ordinary_text(text):
    assert find_personal_data(text) == []


def test_finds_several_in_order_with_descriptions():
    text = (
        "Jamie in Year 4 (UPN A123456789012, DOB 12/03/2015); mum on 07700 900123, jo@example.org"
    )
    found = find_personal_data(text)
    assert [p.kind for p in found] == ["name_year_group", "upn", "date_of_birth", "phone", "email"]
    assert [p.description for p in found] == [
        "a name with a year group",
        "a unique pupil number",
        "a date of birth",
        "a phone number",
        "an email address",
    ]


def test_a_long_answer_with_nothing_personal():
    answer = (
        "We are beginning to use pupil passports. Year 4 teachers and TAs co-plan every week, and "
        "in Year 6 we review provision maps termly (next review by 31/03/2026). Our 2025-26 "
        "priorities are adaptive teaching and EHCP reviews; Ofsted noted the work in 2024."
    )
    assert find_personal_data(answer) == []


def test_too_long_or_too_short_numbers_are_not_phones_or_upns():
    assert find_personal_data("Ref 0770090012345678") == []
    assert find_personal_data("Ref 0770090") == []
    assert find_personal_data("A12345678901 or A1234567890123") == []


def test_result_is_plain_data():
    item = find_personal_data("jo@example.org")[0]
    assert item == PersonalData("email", "jo@example.org", 0, 14)


@given(st.text(max_size=200))
def test_never_fails_and_matches_are_exact_slices(text):
    for item in find_personal_data(text):
        assert text[item.start : item.end] == item.text
