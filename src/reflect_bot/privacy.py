"""Spot what looks like a pupil's personal data in an answer, so the leader can be reminded.

`find_personal_data(text)` returns what it found, in order: email addresses, UK phone numbers,
unique pupil numbers (a letter then 12 digits), dates of birth (a date after "DOB", "born" and
the like) and a name given with a year group ("Jamie in Year 4", "Priya (Y6)").

It errs towards quiet: ordinary school text ("Year 4 teachers", "2025-26", "by 31/03/2026",
"Mrs Patel in Year 4") raises no alarm. It is a reminder, not a filter, and keeps nothing. It is
used while the leader answers and again when an export is written (see `export`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, NamedTuple

Kind = Literal["email", "phone", "upn", "date_of_birth", "name_year_group"]

DESCRIPTIONS: dict[str, str] = {
    "email": "an email address",
    "phone": "a phone number",
    "upn": "a unique pupil number",
    "date_of_birth": "a date of birth",
    "name_year_group": "a name with a year group",
}


# How the line reporting an export starts when the export may hold personal details; the app
# shows such a report as a warning.
EXPORT_WARNING_START = "It may include personal details"


def kinds_in_words(kinds: list[str]) -> str:
    """Kinds in plain words, each once: ["email", "phone"] -> "an email address and a phone
    number"."""
    words = list(dict.fromkeys(DESCRIPTIONS[kind] for kind in kinds))
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


class PersonalData(NamedTuple):
    """One match: what kind of personal data it looks like and the exact text matched."""

    kind: Kind
    text: str
    start: int = 0
    end: int = 0

    @property
    def description(self) -> str:
        """The kind in plain words, e.g. "a phone number"."""
        return DESCRIPTIONS[self.kind]


# --- Patterns -----------------------------------------------------------------------------------

# The patterns are kept as text and compiled on first use (see `_regex`): compiling them all takes
# a few milliseconds, which importing the dialogue engine (on the way to resuming a session) would
# otherwise spend before any answer is checked.


@cache
def _regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_EMAIL = r"(?<![\w.+'’-])[\w.+'’-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"

# A UK number: +44 (optionally "(0)") or a leading 0, then digits with single spaces or hyphens
# between groups. The digit count is checked afterwards.
_PHONE = (
    r"(?<![\w+/.])"
    r"(?:\+44[ \-]?(?:\(0\)[ \-]?)?\(?|\(?0)"
    r"\d{1,4}\)?(?:[ \-]?\d){6,9}"
    r"(?![\w/]|[.\-]\d)"
)

_UPN = r"\b[A-Za-z]\d{12}\b"

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"  # 12/03/2015, 3.3.15
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"  # 2015-03-12
    rf"|{_DAY}\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?"  # 3 March 2016, 3rd of March
    rf"|(?:{_MONTHS})\.?\s+{_DAY}(?:,?\s+\d{{4}})?"  # March 3, 2016
    rf"|(?:{_MONTHS})\.?\s+\d{{4}})"  # March 2016
)
_DOB = (
    rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday|born)"
    rf"(?:\s+(?:is|was|on|in))?\s*[:\-]?\s*{_DATE}(?![\w/])"
)  # matched ignoring case

# Year groups: "Year 4", "year 10", "Yr 6", "Y6", and Reception or Nursery after "in".
_YEAR = r"(?:[Yy]ear\s?|[Yy]r\.?\s?|Y)(?:1[0-3]|[1-9])(?![\d])"
_YEAR_ABBREVIATED = r"(?:[Yy]r\.?\s?|Y)(?:1[0-3]|[1-9])(?![\d])"
_WORD = r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*"
_NAME = rf"(?<![\w'’\-])(?P<name>{_WORD}(?:\s+{_WORD})?)"
_NAME_BEFORE_YEAR = [
    # Jamie in Year 4, Jamie from Y4, Jamie (in Year 4), Jamie, Year 4, Jamie - Y4
    (
        rf"{_NAME}(?:\s+(?:who\s+is\s+|who's\s+|is\s+)?(?:in|from)\s+|\s*\(\s*(?:in\s+)?"
        rf"|\s*,\s*(?:in\s+)?|\s+[-–]\s+)(?:{_YEAR}|Reception\b|Nursery\b)\)?"
    ),
    # Priya Y6, Priya Yr 6 (note-style; "Name Year 6" reads as a heading, so not that)
    rf"{_NAME}\s+{_YEAR_ABBREVIATED}",
]
# a Year 4 pupil called Jamie, Y4 boy Tom
_YEAR_BEFORE_NAME = (
    rf"(?:{_YEAR})\s+(?:pupil|child|boy|girl|student|learner),?\s+(?:called\s+|named\s+)?"
    rf"(?P<name>{_WORD})"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TITLES = _words("mr mrs ms miss mx dr sir madam mister")

# Capitalised words that are not names, checked lower-cased. Openers (function words, adverbs,
# titles) may come before a name ("Today Jamie in Year 3"); school words, subjects, interventions,
# months and days make a capitalised phrase that is not a name ("Reading Recovery in Y2").
_OPENERS = _TITLES | _words(
    """
    a about above across after again against all along also although always among an and another
    any anyone as at because before being below between both but by can could currently despite
    do does during each either else even every everyone everybody except for from further had has
    have having he her here hers him his how however i if in including into is it its just last
    least less like many may me meanwhile might more most much must my near neither never next no
    nobody none nor not now of off often on once one only or other others otherwise our ours out
    over overall own per perhaps rather same she should since so some someone sometimes still such
    than that the their theirs them then there these they this those though through throughout thus
    to today together too towards under unless until up upon us usually very via was we were what
    whatever when whenever where whereas whether which while who whole whom whose why will with
    within without would yes yet you your yours
    additionally again already anecdotally approximately broadly consequently equally especially
    finally firstly secondly thirdly lastly fortunately unfortunately furthermore generally
    historically ideally importantly initially interestingly likewise moreover notably
    particularly previously recently similarly specifically traditionally typically well ok okay
    plus so still again ago around half half-termly weekly termly daily annually yesterday
    tomorrow tonight everywhere elsewhere somewhere mostly mainly partly largely nearly really
    likely only hence indeed sadly clearly
    good better best bad worse worst strong stronger strongest weak weaker weakest high higher
    highest low lower lowest great greater greatest poor poorer poorest similar different
    fewer fewest least less lesser more most stronger weaker easier harder slower faster quicker
    clearer calmer happier keener
    """
)
_SCHOOL_WORDS = _words(
    """
    pupil pupils child children student students learner learners boy boys girl girls class classes
    cohort cohorts group groups set sets form forms team teams staff teacher teachers ta tas
    teaching assistant assistants senco sencos leader leaders head heads deputy governor governors
    parent parents carer carers family families adult adults everyone mainstream school schools
    phase phases department departments faculty trust academy college nursery reception key stage
    ks sixth lower upper middle early primary secondary infant infants junior juniors
    maths mathematics english science history geography french spanish german art music computing
    pe re pshe rshe phonics reading writing spelling grammar literacy numeracy drama dance design
    technology dt languages mfl humanities sport sports swimming forest
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december autumn spring summer term terms christmas easter
    half-term
    ofsted send sen ehcp ehcps ehc sats sat gcse gcses eef dfe rise iep ilp sencos semh asd adhd
    provision support interventions intervention progress attendance outcomes outcome attainment
    data assessment assessments lessons lesson planning practice sessions session behaviour
    transition transitions visits visit scrutiny review reviews meetings meeting training
    new current previous most many several few lots target targets focus whole-school mixed
    therapy boost recovery nurture lego thrive elsa elklan sensory circuits zones precision talk
    wellcomm numicon nessy catch programme programmes club clubs council buddy buddies
    """
)
_NOT_NAMES = _OPENERS | _SCHOOL_WORDS


def _looks_like_name(word: str) -> bool:
    if not word or not word[0].isupper() or word.isupper():
        return False  # names start with a capital; "EHCP" and "SEND" are not names
    lower = word.lower().replace("’", "'")
    if lower in _NOT_NAMES or lower.removesuffix("'s") in _NOT_NAMES:
        return False
    # Long words ending in -ly are adverbs ("Similarly, Year 5 ..."), not names like Emily.
    return not (lower.endswith("ly") and len(lower) >= 8)


def _phone_ok(match: str) -> bool:
    digits = re.sub(r"\D", "", match.replace("(0)", ""))
    if match.startswith("+"):
        national = digits[2:]
        return 9 <= len(national) <= 10 and national[0] != "0"
    return 10 <= len(digits) <= 11 and digits[1] != "0"


# Any year group at all: every name pattern needs one, and they are the slow patterns to run.
_ANY_YEAR = rf"{_YEAR}|Reception\b|Nursery\b"


def _name_matches(text: str) -> list[PersonalData]:
    if not _regex(_ANY_YEAR).search(text):
        return []  # most text names no year group: a quick look saves the slow patterns
    found = []
    for match in _regex(_YEAR_BEFORE_NAME).finditer(text):
        if _looks_like_name(match.group("name")):
            found.append(PersonalData("name_year_group", match.group(), *match.span()))
    for pattern in _NAME_BEFORE_YEAR:
        for match in _regex(pattern).finditer(text):
            start = match.start("name")
            words = match.group("name").split()
            # "Jamie Smith in Year 4" keeps both words; in "said Jamie (Y4)" the first drops out;
            # "Pupils in Year 4" or "Reading Recovery in Y2" name no one.
            if len(words) == 2 and not _looks_like_name(words[0]):
                if words[0][0].isupper() and words[0].lower() not in _OPENERS:
                    continue  # a capitalised phrase: "Reading Recovery in Y2", "Nurture Group"
                start = text.index(words[1], start + len(words[0]))
                words = words[1:]
            if not all(_looks_like_name(w) for w in words):
                continue
            before = text[:start].split()
            if before and before[-1].lower().rstrip(".") in _TITLES:
                continue  # "Mrs Patel in Year 4" is a member of staff
            found.append(
                PersonalData("name_year_group", text[start : match.end()], start, match.end())
            )
    return found


def replace_personal_data(text: str, placeholder: str) -> str:
    """`text` with each stretch that looks like personal data replaced by `placeholder`."""
    for item in reversed(find_personal_data(text)):  # (in order, none overlapping)
        text = text[: item.start] + placeholder + text[item.end :]
    return text


def find_personal_data(text: str) -> list[PersonalData]:
    """What in `text` looks like a pupil's personal data, in order of appearance."""
    found: list[PersonalData] = []
    if "@" in text:
        found += [
            PersonalData("email", m.group(), *m.span()) for m in _regex(_EMAIL).finditer(text)
        ]
    if _regex(r"\d").search(text):  # phone numbers, pupil numbers and dates all have digits
        found += [
            PersonalData("phone", m.group(), *m.span())
            for m in _regex(_PHONE).finditer(text)
            if _phone_ok(m.group())
        ]
        found += [PersonalData("upn", m.group(), *m.span()) for m in _regex(_UPN).finditer(text)]
        found += [
            PersonalData("date_of_birth", m.group(), *m.span())
            for m in _regex(_DOB, re.IGNORECASE).finditer(text)
        ]
    found += _name_matches(text)
    # One report per stretch of text: the earliest, then the longest, wins an overlap.
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[PersonalData] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    return kept
