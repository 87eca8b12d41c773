"""Helpers for the tests that keep a quick check (reflect_bot.quick, session.py) and its pydantic
schema in step: the same fields and defaults, and for data with one value changed, either the
same result or a hand-over to pydantic."""

import copy
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from reflect_bot import quick

# Values that a TOML file can hold and that the rules of reflect_bot.quick treat with care: text
# that strips (by ASCII or only by Unicode white space), numbers that pydantic reads as text or
# text as numbers, empty lists and tables, a table key with white space around it.
ODD_FILE_VALUES = [
    "",
    "  ",
    " padded ",
    "line\n",
    "\u00a0nbsp\u00a0",
    "\x1cseparator",
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


def plain(value: Any) -> Any:
    """Checked data as plain data, whichever checker read it."""
    if isinstance(value, SimpleNamespace):
        return {k: plain(v) for k, v in vars(value).items()}
    if isinstance(value, BaseModel):
        return plain({k: getattr(value, k) for k in type(value).model_fields})
    if hasattr(value, "model_dump"):  # the session's own models
        return value.model_dump()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def assert_rules_follow(schema: type[BaseModel], rules: dict[str, tuple[Any, Any]]) -> None:
    """A model's quick rules name the schema's fields, in its order, with the same defaults."""
    name = schema.__name__
    assert list(rules) == list(schema.model_fields)
    for key, info in schema.model_fields.items():
        default = rules[key][1]
        if info.is_required():
            assert default is quick.REQUIRED, f"{name}.{key} is required"
        else:
            assert default == info.default, f"{name}.{key} defaults to {info.default!r}"


def read_both(check: Callable[[Any], Any], schema: type[BaseModel], data: Any) -> tuple[Any, Any]:
    """(the quick check's result or None, pydantic's result or None), as plain data."""
    try:
        fast = plain(check(data))
    except quick.NotQuick:
        fast = None
    try:
        slow = plain(schema.model_validate(data))
    except ValidationError:
        slow = None
    return fast, slow


def places(value: Any, here: tuple = ()) -> list[tuple]:
    """Every place in the data, tables and lists included."""
    out = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            out += places(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += places(item, (*here, index))
    return out


def changed(data: Any, place: tuple, how: str, new: Any) -> Any:
    """A copy of the data with the value at `place` replaced by `new`, deleted, or with `new`
    added to it (as the key "unexpected" of a table, or as a list's last item)."""
    data = copy.deepcopy(data)
    *parents, last = place
    holder = data
    for part in parents:
        holder = holder[part]
    if how == "replace":
        holder[last] = new
    elif how == "delete":
        del holder[last]
    elif isinstance(holder[last], dict):
        holder[last]["unexpected"] = new
    elif isinstance(holder[last], list):
        holder[last].append(new)
    return data


def draw_changed(data: st.DataObject, sample: Any, odd_values: list[Any]) -> Any:
    """The sample with one value, drawn by hypothesis, replaced, deleted or added to."""
    place = data.draw(st.sampled_from([p for p in places(sample) if p]))
    how = data.draw(st.sampled_from(["replace", "delete", "add"]))
    new = data.draw(st.sampled_from(odd_values))
    return changed(sample, place, how, new)


def without_quick_check(monkeypatch) -> None:
    """Every file goes to pydantic, as if the quick check accepted nothing."""

    def never(rule, value, rules):
        raise quick.NotQuick

    monkeypatch.setattr(quick, "check", never)


def refusing_pydantic(monkeypatch, *schemas: type[BaseModel]) -> None:
    """These schemas fail the test if asked to check anything."""

    def refuse(*args, **kwargs):
        raise AssertionError("pydantic was asked to check valid data")

    for schema in schemas:
        monkeypatch.setattr(schema, "model_validate", refuse)
