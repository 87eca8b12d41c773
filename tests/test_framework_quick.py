"""The framework's quick check agrees with its pydantic schemas.

`load_framework` checks a valid file in plain Python (so the app starts without loading
pydantic) and hands anything else to the pydantic models. These tests hold the two in step: the
same fields and defaults, the same result for the bundled framework, and for files with one
value changed, either the same result or a hand-over to pydantic.
"""

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quick_support import (
    ODD_FILE_VALUES,
    assert_rules_follow,
    draw_changed,
    read_both,
    refusing_pydantic,
    without_quick_check,
)

from reflect_bot import framework, framework_schema, quick
from reflect_bot.framework import SCHEMAS, load_framework
from reflect_bot.locations import Settings

FOLDER = Settings.load(environ={}).framework_dir


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_quick_rules_name_the_same_fields_and_defaults_as_the_schema(name):
    assert_rules_follow(getattr(framework_schema, name), SCHEMAS[name])


def test_the_bundled_framework_loads_the_same_either_way(monkeypatch):
    fast = load_framework(FOLDER)
    without_quick_check(monkeypatch)
    assert load_framework(FOLDER) == fast


def test_loading_a_valid_framework_does_not_need_pydantic(monkeypatch):
    refusing_pydantic(monkeypatch, *(getattr(framework_schema, name) for name in SCHEMAS))
    load_framework(FOLDER)


AREA = tomllib.loads(next((FOLDER / "areas").glob("*.toml")).read_text("utf-8"))
TIERS = tomllib.loads((FOLDER / "tiers.toml").read_text("utf-8"))
FRAMEWORK = tomllib.loads((FOLDER / "framework.toml").read_text("utf-8"))
SAMPLES = [("AreaFile", AREA), ("TiersFile", TIERS), ("FrameworkFile", FRAMEWORK)]
ODD_VALUES = [*ODD_FILE_VALUES, "Not-A-Slug", -1, {" padded ": 1}]


def both(model_name, data):
    """(quick result or None, pydantic result or None)."""
    return read_both(
        lambda value: quick.check(model_name, value, framework._RULES),
        getattr(framework_schema, model_name),
        data,
    )


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_file_with_one_value_changed_is_read_alike_or_handed_to_pydantic(data):
    model_name, sample = data.draw(st.sampled_from(SAMPLES))
    fast, slow = both(model_name, draw_changed(data, sample, ODD_VALUES))
    if fast is not None:
        assert fast == slow


@pytest.mark.parametrize("model_name, sample", SAMPLES)
def test_the_unchanged_files_are_read_alike(model_name, sample):
    fast, slow = both(model_name, sample)
    assert fast is not None
    assert fast == slow
