"""The question bank's quick check agrees with its pydantic schema.

`load_bank` checks a valid question file in plain Python (so resuming does not wait for pydantic)
and hands anything else to the pydantic models. These tests hold the two in step: the same fields
and defaults, the same result for the bundled files, and for files with one value changed, either
the same result or a hand-over to pydantic.
"""

import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from process_support import run_python
from quick_support import (
    ODD_FILE_VALUES,
    assert_rules_follow,
    draw_changed,
    read_both,
    refusing_pydantic,
    without_quick_check,
)

from reflect_bot import prompts, prompts_schema, quick
from reflect_bot.locations import Settings
from reflect_bot.prompts import SCHEMAS, BankError, load_bank

PROMPTS = Settings.load(environ={}).prompts_dir
FILES = sorted((PROMPTS / "questions").glob("*.toml"))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_quick_rules_name_the_same_fields_and_defaults_as_the_schema(name):
    assert_rules_follow(getattr(prompts_schema, name), SCHEMAS[name])


def bank_data(bank) -> Any:
    def questions(items):
        return [(q.id, q.kind, q.text, q.tags) for q in items]

    return (
        {k: questions(v) for k, v in bank.by_statement.items()},
        {k: questions(v) for k, v in bank.generic.items()},
        bank.qualifier_forms,
        sorted(bank.templates),
    )


def test_the_bundled_bank_loads_the_same_either_way(monkeypatch):
    fast = bank_data(load_bank(PROMPTS))
    without_quick_check(monkeypatch)
    assert bank_data(load_bank(PROMPTS)) == fast


def test_loading_the_bundled_bank_does_not_ask_pydantic(monkeypatch):
    refusing_pydantic(monkeypatch, prompts_schema.BankFile)
    load_bank(PROMPTS)


def test_a_broken_file_is_still_named_by_pydantic(tmp_path):
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "x.toml").write_text(
        '[[generic]]\nid = "Not An Id"\nkind = "label"\ntext = "Hi"\nextra = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    text = str(caught.value)
    assert "questions/x.toml: generic[1].id: string should match pattern" in text
    assert "questions/x.toml: generic[1].extra: extra inputs are not permitted" in text


def test_loading_a_valid_bank_imports_no_pydantic_and_compiles_no_question():
    code = (
        "import sys\n"
        "from reflect_bot.locations import Settings\n"
        "from reflect_bot.prompts import load_bank\n"
        "bank = load_bank(Settings.load(environ={}).prompts_dir)\n"
        "questions = [q for qs in bank.generic.values() for q in qs]\n"
        "questions += [q for qs in bank.by_statement.values() for q in qs]\n"
        "print('pydantic' in sys.modules, sum(q._template is not None for q in questions))\n"
    )
    assert run_python(code) == "False 0"


def test_importing_the_engine_does_not_import_jinja2():
    code = "import sys, reflect_bot.dialogue\nprint('jinja2' in sys.modules)\n"
    assert run_python(code) == "False"


SAMPLES = [tomllib.loads(path.read_text("utf-8")) for path in FILES]
ODD_VALUES = [*ODD_FILE_VALUES, "Not-An-Id", "a..b"]


def both(data: Any) -> tuple[Any, Any]:
    """(quick result or None, pydantic result or None)."""
    return read_both(
        lambda value: quick.check("BankFile", value, prompts._RULES), prompts_schema.BankFile, data
    )


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_file_with_one_value_changed_is_read_alike_or_handed_to_pydantic(data):
    sample = data.draw(st.sampled_from(SAMPLES))
    fast, slow = both(draw_changed(data, sample, ODD_VALUES))
    if fast is not None:
        assert fast == slow


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in FILES])
def test_the_unchanged_files_are_read_alike(sample):
    fast, slow = both(sample)
    assert fast is not None
    assert fast == slow
