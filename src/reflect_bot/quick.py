"""The quick check: loaded data checked in plain Python against rules that mirror a pydantic schema.

Reading the framework, the question bank and a session is on the way to the app's first screen,
and importing pydantic costs more than the rest of the load. So data is first checked here,
against the same rules as the schema, in plain Python; only data this check does not accept goes
to pydantic, which then names its problems (or accepts what pydantic allows and this check does
not, such as "3" for 3). The check never accepts what pydantic would refuse or read differently:
when in doubt it raises NotQuick and pydantic decides.

Rules, for `check(rule, value, rules)`:
  "text"              a string, returned stripped; not empty
  "int", "int>=1"     a whole number (not a bool), the second 1 or more
  "bool"              true or false
  ("list", rule, n)   a list of at least n items, each following `rule`
  ("dict", rule)      a table whose keys are text with no white space around them, each value
                      following `rule`
  a name in `rules`   a model: a dict of field -> (rule, default), with REQUIRED as the default
                      of a field that must be there; the value is a table with no other keys,
                      returned as a SimpleNamespace with every field. Or a compiled pattern the
                      whole string must match.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

# The default of a field that must be given.
REQUIRED = object()

# The white space both Python and pydantic strip (pydantic strips Unicode white space as Rust
# defines it): text whose stripped form depends on anything else goes to pydantic.
ASCII_SPACE = " \t\n\r\x0b\x0c"


class NotQuick(Exception):
    """The quick check does not accept this value: pydantic decides."""


# Checks of one plain value, for checks built another way (session.py builds its own from the
# models' annotations).


def exact_str(value: Any) -> str:
    if type(value) is not str:
        raise NotQuick
    return value


def exact_int(value: Any) -> int:
    if type(value) is not int:
        raise NotQuick
    return value


def exact_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise NotQuick
    return value


def check(rule: Any, value: Any, rules: Mapping[str, Any]) -> Any:
    """`value` checked against `rule` and converted as pydantic would, or NotQuick."""
    if rule == "text":  # the commonest rule first
        if type(value) is not str:
            raise NotQuick
        stripped = value.strip()
        if not stripped or stripped != value.strip(ASCII_SPACE):
            raise NotQuick
        return stripped
    if type(rule) is tuple:
        if rule[0] == "list":
            if type(value) is not list or len(value) < rule[2]:
                raise NotQuick
            return [check(rule[1], item, rules) for item in value]
        if type(value) is not dict:
            raise NotQuick
        out = {}
        for key, item in value.items():
            # a key that neither strips nor is empty reads the same as str and as stripped text
            if type(key) is not str or not key or key.strip() != key:
                raise NotQuick
            out[key] = check(rule[1], item, rules)
        return out
    if rule == "int" or rule == "int>=1":
        if type(value) is not int or (rule == "int>=1" and value < 1):
            raise NotQuick
        return value
    if rule == "bool":
        if type(value) is not bool:
            raise NotQuick
        return value
    fields = rules[rule]
    if type(fields) is not dict:  # a pattern
        if type(value) is not str or not fields.fullmatch(value):
            raise NotQuick
        return value
    if type(value) is not dict or not fields.keys() >= value.keys():
        raise NotQuick
    out = {}
    for key, (field_rule, default) in fields.items():
        if key in value:
            out[key] = check(field_rule, value[key], rules)
        elif default is REQUIRED:
            raise NotQuick
        else:
            out[key] = default.copy() if type(default) in (list, dict) else default
    return SimpleNamespace(**out)


def validate(
    model: str,
    data: Any,
    rules: Mapping[str, Any],
    schemas: str,
    report: Callable[[Any, Any], None],
) -> Any:
    """`data` as the model named `model` reads it: by the quick check when it accepts the data,
    else by the pydantic model of that name in the module `schemas` (imported only then). When
    pydantic refuses the data, `report(error, schema)` is called and the result is None."""
    try:
        return check(model, data, rules)
    except NotQuick:
        pass
    from importlib import import_module

    from pydantic import ValidationError

    schema = getattr(import_module(schemas), model)
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        report(error, schema)
        return None
