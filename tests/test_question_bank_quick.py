"""The question bank's quick check agrees with its pydantic schema.

`load_bank` checks a valid question file in plain Python (so resuming does not wait for pydantic)
and hands anything else to the pydantic models. These tests hold the two in step: the same fields
and defaults, the same result for the bundled files, and for files with one value changed, either
the same result or a hand-over to pydantic.
"""

import copy
import subprocess
import sys
import tomllib
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from reflect_bot import prompts, prompts_schema
from reflect_bot.locations import Settings
from reflect_bot.prompts import SCHEMAS, BankError, load_bank

PROMPTS = Settings.load(environ={}).prompts_dir
FILES = sorted((PROMPTS / "questions").glob("*.toml"))


def plain(value: Any) -> Any:
    """A parsed file as plain data, whichever checker parsed it."""
    if isinstance(value, SimpleNamespace):
        return {k: plain(v) for k, v in vars(value).items()}
    if hasattr(value, "model_dump"):
        return plain({k: getattr(value, k) for k in type(value).model_fields})
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_quick_rules_name_the_same_fields_and_defaults_as_the_schema(name):
    model = getattr(prompts_schema, name)
    rules = SCHEMAS[name]
    assert list(rules) == list(model.model_fields)
    for key, info in model.model_fields.items():
        default = rules[key][1]
        if info.is_required():
            assert default is prompts._REQUIRED, f"{name}.{key} is required"
        else:
            assert default == info.default, f"{name}.{key} defaults to {info.default!r}"


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
    quick = bank_data(load_bank(PROMPTS))

    def never(rule, value):
        raise prompts._NotQuick

    monkeypatch.setattr(prompts, "_quick", never)
    assert bank_data(load_bank(PROMPTS)) == quick


def test_loading_the_bundled_bank_does_not_ask_pydantic(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pydantic was asked to check a valid file")

    monkeypatch.setattr(prompts_schema.BankFile, "model_validate", refuse)
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


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


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
    assert run(code) == "False 0"


def test_importing_the_engine_does_not_import_jinja2():
    code = "import sys, reflect_bot.dialogue\nprint('jinja2' in sys.modules)\n"
    assert run(code) == "False"


SAMPLES = [tomllib.loads(path.read_text("utf-8")) for path in FILES]
ODD_VALUES = [
    "",
    "  ",
    " padded ",
    "line\n",
    "\u00a0nbsp\u00a0",
    "\x1cseparator",
    "Not-An-Id",
    "a..b",
    "3",
    0,
    1,
    2.5,
    True,
    [],
    [""],
    ["x"],
    [0],
    {},
    {"x": 1},
    {" padded ": ["x"]},
]


def paths(value: Any, here: tuple = ()) -> list[tuple]:
    """Every place in parsed TOML data, tables and lists included."""
    out = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += paths(item, (*here, index))
    return out


def changed(data: Any, path: tuple, how: str, new: Any) -> Any:
    data = copy.deepcopy(data)
    *parents, last = path
    holder = data
    for part in parents:
        holder = holder[part]
    if how == "replace":
        holder[last] = new
    elif how == "delete":
        del holder[last]
    elif isinstance(holder[last], dict):
        holder[last]["unexpected"] = new
    return data


def both(data: Any) -> tuple[Any, Any]:
    """(quick result or None, pydantic result or None)."""
    try:
        quick = plain(prompts._quick("BankFile", data))
    except prompts._NotQuick:
        quick = None
    try:
        slow = plain(prompts_schema.BankFile.model_validate(data))
    except ValidationError:
        slow = None
    return quick, slow


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_file_with_one_value_changed_is_read_alike_or_handed_to_pydantic(data):
    sample = data.draw(st.sampled_from(SAMPLES))
    path = data.draw(st.sampled_from([p for p in paths(sample) if p]))
    how = data.draw(st.sampled_from(["replace", "delete", "add"]))
    new = data.draw(st.sampled_from(ODD_VALUES))
    quick, slow = both(changed(sample, path, how, new))
    if quick is not None:
        assert quick == slow


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in FILES])
def test_the_unchanged_files_are_read_alike(sample):
    quick, slow = both(sample)
    assert quick is not None
    assert quick == slow
