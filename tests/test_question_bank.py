"""The question bank and the bot's templates: complete, drawn from each statement, renderable."""

import re
import shutil

import jinja2
import pytest

from reflect_bot.dialogue import Engine
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.prompts import GENERIC_KINDS, BankError, check_bank, check_templates, load_bank
from reflect_bot.session import Session

FRAMEWORK = load_framework(Settings.load().framework_dir)
PROMPTS = Settings.load(environ={}).prompts_dir
STATEMENTS = [s.id for s in FRAMEWORK.statements]


@pytest.fixture(scope="module")
def bank():
    return load_bank(PROMPTS)


def test_every_statement_has_at_least_three_questions_of_its_own(bank):
    assert check_bank(bank, STATEMENTS) == []
    for statement_id in STATEMENTS:
        questions = bank.statement_questions(statement_id)
        assert len(questions) >= 3, statement_id
        kinds = [q.kind for q in questions]
        assert kinds[:2] == ["working_well", "evidence"], statement_id
        for question in questions:
            assert question.id.startswith(statement_id + "."), question.id
            assert question.tags, question.id


def test_the_bank_names_only_statements_the_framework_has(bank):
    assert set(bank.by_statement) == set(STATEMENTS)


def _words(text):
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 4}


def test_each_statements_questions_are_drawn_from_its_own_wording(bank):
    for statement in FRAMEWORK.statements:
        own = _words(statement.text)
        shared = set()
        for question in bank.statement_questions(statement.id):
            shared |= own & _words(question.text)
        assert len(shared) >= 3, (statement.id, shared)


@pytest.mark.parametrize(
    "statement_id, words",
    [
        ("teaching-learning.4", ["deploy", "scaffold", "independen"]),
        ("pupils-parents-carers.1", ["find", "use it", "local offer"]),
        ("teaching-learning.5", ["intervention", "transfer", "impact"]),
        ("pupils-parents-carers.2", ["co-production", "assess, plan, do, review"]),
    ],
)
def test_questions_ask_about_what_the_statement_says(bank, statement_id, words):
    text = " ".join(q.text for q in bank.statement_questions(statement_id)).lower()
    for word in words:
        assert word in text, word


def test_every_generic_kind_is_there_and_ids_are_unique(bank):
    for kind in GENERIC_KINDS:
        assert bank.generic_questions(kind), kind
    ids = [q.id for qs in bank.generic.values() for q in qs]
    ids += [q.id for qs in bank.by_statement.values() for q in qs]
    assert len(ids) == len(set(ids))
    tags = {tag for q in bank.generic_questions("challenge") for tag in q.tags}
    assert {"qualifiers", "no_evidence", "hint"} <= tags


def test_templates_use_strict_undefined(bank):
    assert bank.environment.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        bank.render("statement_done")  # no statement given


# Every value any template may be given beyond the engine's standard context.
EXTRAS = {
    "position": 1,
    "in_scope": 10,
    "revisit": True,
    "previous_tier": "Strengthening Practice",
    "hint": None,
    "common": FRAMEWORK.tiers[1],
    "tied": [],
    "tied_count": 0,
    "overall": "The area overall.",
    "found": [("an email address", "jo@example.com")],
    "kind": "evidence",
    "keys": ["1", "2"],
    "bad": ["99"],
    "name": "frobnicate",
    "what": "your answer “x”",
    "moved": True,
    "answer": True,
    "argument": "42",
    "areas": FRAMEWORK.areas,
    "fmt": "pdf",
    "last": "an answer",
    "where": True,
    "saved": ["A case study"],
    "not_done": [3, 4],
    "not_sure": [5],
    "steps": 2,
    "priorities": [("Teaching & Learning", "Consistency")],
    "descriptor_part": "A sentence of the descriptor.",
    "words": "“some”",
    "count": 2,
    "unknown": ["teaching-learning.9"],
    "old": "an earlier answer",
    "restored": "",
    "items": [("Working well", "Teachers plan together"), ("Tier", "Strengthening Practice")],
    "revising": True,
    "carry_on": False,
    "held": "an answer",
    "question": "What is working well?",
    "numbers": [1, 3],
    "elsewhere": True,
    "cases": [("A case study", [1]), ("Another case study", [])],
    "privacy": False,
    "priority": "Consistency in every class",
    "area_number": 1,
    "current": "",
    "empty": True,
}


def _sessions():
    """A session positioned at each statement, with each tier chosen (and not sure)."""
    for statement in FRAMEWORK.statements:
        for tier in ["", *[t.id for t in FRAMEWORK.tiers]]:
            session = Session(
                name="s", framework_id=FRAMEWORK.id, framework_version=FRAMEWORK.version
            )
            session.label = "Oakfield"
            session.conversation.statement_id = statement.id
            session.conversation.scope = STATEMENTS
            record = session.record(statement.id)
            record.tier = tier
            record.not_sure = tier == ""
            yield statement, tier, session


NEEDS_A_NEXT_TIER = {"next_tier_intro", "next-tier.move"}


def test_every_template_and_question_renders_for_every_statement(bank):
    engine = Engine(FRAMEWORK, bank)
    top = FRAMEWORK.tiers[-1].id
    assert bank.templates, "no bot templates found"
    for statement, tier, session in _sessions():
        context = engine._context(session, **EXTRAS)
        for name, template in bank.templates.items():
            if not tier and name in {"challenge_kept", "next_tier_intro"}:
                continue  # only said once a tier is chosen
            if tier == top and name in NEEDS_A_NEXT_TIER:
                continue  # at the top tier the bot asks how to sustain and share instead
            text = template.render(**context).strip()
            assert text, (name, statement.id)
        questions = [q for qs in bank.generic.values() for q in qs]
        questions += bank.statement_questions(statement.id)
        for question in questions:
            needs_tier = question.kind in {"challenge", "challenge_decision", "sustain_share"}
            if (not tier and (needs_tier or question.id in NEEDS_A_NEXT_TIER)) or (
                tier == top and question.id in NEEDS_A_NEXT_TIER
            ):
                continue
            assert question.render(**context), (question.id, statement.id)


def test_a_broken_bank_is_reported_line_by_line(tmp_path):
    (tmp_path / "questions").mkdir()
    (tmp_path / "bot").mkdir()
    (tmp_path / "questions" / "x.toml").write_text(
        '[[generic]]\nid = "a"\nkind = "nonsense"\ntext = "Hi"\n'
        '[[generic]]\nid = "b"\nkind = "label"\ntext = "{{ broken"\n',
        encoding="utf-8",
    )
    (tmp_path / "questions" / "y.toml").write_text(
        '[[statements]]\nstatement = "x.1"\nquestions = []\n', encoding="utf-8"
    )
    (tmp_path / "bot" / "t.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    text = str(caught.value)
    assert "unknown kind 'nonsense'" in text
    assert "statements[1].questions" in text
    assert "no generic question of kind 'phase'" in text


def test_a_broken_template_is_reported_when_first_used_with_its_file_and_line(tmp_path):
    """Templates are parsed when first used (parsing all of them at load would hold up resuming):
    a syntax error is then a BankError naming the file (and line), and `check_templates` finds
    every one at once."""
    shutil.copytree(PROMPTS, tmp_path, dirs_exist_ok=True)
    (tmp_path / "bot" / "t.j2").write_text("Fine so far.\n{% if %}", encoding="utf-8")
    questions = tmp_path / "questions" / "0-generic.toml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace("{{", "{{ broken", 1), encoding="utf-8")
    bank = load_bank(tmp_path)  # loads: nothing is parsed yet
    with pytest.raises(BankError) as caught:
        bank.render("t")
    assert (
        str(caught.value).splitlines()[1]
        == "bot/t.j2: line 2: Expected an expression, got 'end of statement block'"
    )
    problems = check_templates(bank)
    assert problems[-1] == str(caught.value).splitlines()[1]
    assert len(problems) == 2
    assert problems[0].startswith("questions/0-generic.toml: generic[")
    assert "template error (" in problems[0]


def test_the_shipped_templates_all_parse(bank):
    assert check_templates(bank) == []
