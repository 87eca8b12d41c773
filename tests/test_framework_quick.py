"""The framework's quick check agrees with its pydantic schemas.

`load_framework` checks a valid file in plain Python (so the app starts without loading
pydantic) and hands anything else to the pydantic models. These tests hold the two in step: the
same fields and defaults, the same result for the bundled framework, and for files with one
value changed, either the same result or a hand-over to pydantic.
"""

import copy
import tomllib
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from reflect_bot import framework, framework_schema
from reflect_bot.framework import SCHEMAS, load_framework
from reflect_bot.locations import Settings

FOLDER = Settings.load(environ={}).framework_dir


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
    model = getattr(framework_schema, name)
    rules = SCHEMAS[name]
    assert list(rules) == list(model.model_fields)
    for key, info in model.model_fields.items():
        default = rules[key][1]
        if info.is_required():
            assert default is framework._REQUIRED, f"{name}.{key} is required"
        else:
            assert default == info.default, f"{name}.{key} defaults to {info.default!r}"


def test_the_bundled_framework_loads_the_same_either_way(monkeypatch):
    quick = load_framework(FOLDER)

    def never(rule, value):
        raise framework._NotQuick

    monkeypatch.setattr(framework, "_quick", never)
    assert load_framework(FOLDER) == quick


def test_loading_a_valid_framework_does_not_need_pydantic(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pydantic was asked to check a valid file")

    for name in SCHEMAS:
        monkeypatch.setattr(getattr(framework_schema, name), "model_validate", refuse)
    load_framework(FOLDER)


AREA = tomllib.loads(next((FOLDER / "areas").glob("*.toml")).read_text("utf-8"))
TIERS = tomllib.loads((FOLDER / "tiers.toml").read_text("utf-8"))
FRAMEWORK = tomllib.loads((FOLDER / "framework.toml").read_text("utf-8"))
SAMPLES = [("AreaFile", AREA), ("TiersFile", TIERS), ("FrameworkFile", FRAMEWORK)]
ODD_VALUES = [
    "",
    "  ",
    " padded ",
    "line\n",
    "\u00a0nbsp\u00a0",
    "\x1cseparator",
    "Not-A-Slug",
    "3",
    0,
    -1,
    1,
    2.5,
    True,
    [],
    [""],
    ["x"],
    [0],
    {},
    {"x": 1},
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


def both(model_name: str, data: Any) -> tuple[Any, Any]:
    """(quick result or None, pydantic result or None)."""
    try:
        quick = plain(framework._quick(model_name, data))
    except framework._NotQuick:
        quick = None
    try:
        slow = plain(getattr(framework_schema, model_name).model_validate(data))
    except ValidationError:
        slow = None
    return quick, slow


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_file_with_one_value_changed_is_read_alike_or_handed_to_pydantic(data):
    model_name, sample = data.draw(st.sampled_from(SAMPLES))
    path = data.draw(st.sampled_from([p for p in paths(sample) if p]))
    how = data.draw(st.sampled_from(["replace", "delete", "add"]))
    new = data.draw(st.sampled_from(ODD_VALUES))
    mutated = changed(sample, path, how, new)
    quick, slow = both(model_name, mutated)
    if quick is not None:
        assert quick == slow


@pytest.mark.parametrize("model_name, sample", SAMPLES)
def test_the_unchanged_files_are_read_alike(model_name, sample):
    quick, slow = both(model_name, sample)
    assert quick is not None
    assert quick == slow
