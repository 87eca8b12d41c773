"""The session: everything needed to resume a reflection exactly, as plain data.

These models are what a session TOML file holds (the store module reads and writes them). Field
order here is the order a person reading the file sees. TOML has no null, so "nothing yet" is an
empty string or an empty list, never None.

The models are plain dataclasses with the few pydantic-style methods the code uses
(`model_validate`, `model_dump`, `model_dump_json`, `model_copy`). Opening a session is on the way
to the app's first screen, and importing pydantic costs more than reading a long session, so
`model_validate` checks data here, in plain Python, against the rules the annotations state:
extra keys are refused, every value must have its field's type (a Literal one of its values).
Only data this check refuses goes to the pydantic mirror of these models in `session_schema`,
which names the problems (or accepts what pydantic allows and this check does not, such as "1"
for 1). test_session_quick.py keeps the two in step.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime
from types import NoneType, UnionType
from typing import Any, Literal, Self, get_args, get_origin

from reflect_bot.quick import NotQuick, exact_bool, exact_int, exact_str

SCHEMA_VERSION = 1
# `/back` undoes up to this many answers: enough for any afternoon, and a long session's file
# and memory stay small (older undo steps are dropped as new ones come).
MAX_UNDO = 100

StatementStatus = Literal["not_started", "in_progress", "done", "skipped"]

# The states a conversation can stand at: the names of the dialogue's states (dialogue.STATES;
# test_store_messages.py keeps the two in step). Named here so that the store can tell a session
# this copy cannot carry on (a hand-edited `state = "bogus"`) without importing the dialogue, which
# costs the start screen more than listing the sessions does.
CONVERSATION_STATES = frozenset(
    (
        *("greeting", "label", "phase", "role", "scope", "scope_statements"),
        *("next_statement", "open_statement", "carry_on", "revise"),
        *("working_well", "evidence", "consistency", "impact", "tier", "find_out"),
        *("challenge", "challenge_decision", "next_tier", "sustain_share"),
        *("next_what", "next_who", "next_when", "next_more", "case_studies"),
        *("statement_done", "after_statement", "top_priority", "summary", "export", "done"),
        "privacy",
    )
)


def now() -> datetime:
    """The current time in UTC, to the second (files stay readable)."""
    return datetime.now(UTC).replace(microsecond=0)


class _Model:
    """What the session's models share: checking, dumping and copying, as pydantic names them."""

    __slots__ = ()

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """A model from plain data (a parsed file, or `model_dump` output in either mode).

        Raises pydantic's ValidationError (a ValueError) naming the problems when the data does
        not fit.
        """
        try:
            return _CHECKS[cls](data)
        except NotQuick:
            pass
        from reflect_bot import session_schema  # only for data the quick check refuses

        checked = getattr(session_schema, cls.__name__).model_validate(_plain(data))
        return _CHECKS[cls](checked.model_dump())

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        exclude: set[str] | None = None,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The model as plain data: new lists and dicts; in "json" mode, times as ISO text."""
        return _dump(self, mode == "json", exclude_none, exclude or ())

    def model_dump_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy (sharing lists and nested models unless `deep`), with `update` applied."""
        new = copy.deepcopy(self) if deep else copy.copy(self)
        for name, value in (update or {}).items():
            setattr(new, name, value)
        return new

    # One __eq__ and __repr__ for all the models: dataclasses would generate and compile both for
    # each class when the module is imported, which is on the way to the app's first screen.
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _NAMES[type(self)])

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in _NAMES[type(self)])
        return f"{type(self).__name__}({values})"


# Every model has a docstring of its own: for a class without one, dataclasses writes one from the
# class's signature (inspect.signature), which adds to the import, on the way to the first screen.
_model = dataclass(slots=True, kw_only=True, eq=False, repr=False)


@_model
class Answer(_Model):
    """One answer the leader gave to one question."""

    question_id: str  # the question bank's id, e.g. "teaching-learning.4.deployment" or "evidence"
    kind: str  # what the answer is: working_well, evidence, consistency, impact, find_out, ...
    question: str  # the question as it was asked
    text: str
    at: datetime
    thin: bool = False  # still thin after the follow-ups; the bot moved on and noted it


@_model
class Challenge(_Model):
    """The one respectful challenge to a tier choice, and what the leader did with it."""

    question: str
    tier_before: str
    response: str = ""
    tier_after: str = ""  # the tier they settled on (equal to tier_before when kept)
    at: datetime


@_model
class NextStep(_Model):
    """One thing the leader means to do next, who does it and by when."""

    what: str
    who: str = ""
    by_when: str = ""  # as the leader said it: a date, "by Easter", "September"


@_model
class CaseStudyNote(_Model):
    """A case study offered on a statement, why, and whether the leader kept it."""

    case_study_id: str
    reason: str
    saved: bool = False


@_model
class StatementRecord(_Model):
    """The reflection on one statement: answers, the tier chosen, next steps."""

    statement_id: str
    status: StatementStatus = "not_started"
    statement_hash: str = ""  # the framework text this reflection was made against
    answers: list[Answer] = field(default_factory=list)
    hint_tier: str = ""  # which tier the leader's words sat closest to (a hint only)
    hint_words: list[str] = field(default_factory=list)
    tier: str = ""  # tier id, or "" when none chosen yet
    not_sure: bool = False
    challenge: Challenge | None = None
    next_steps: list[NextStep] = field(default_factory=list)
    case_studies: list[CaseStudyNote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the bot noted, e.g. an answer left thin

    def answers_of(self, kind: str) -> list[Answer]:
        return [a for a in self.answers if a.kind == kind]


@_model
class AreaRecord(_Model):
    """The leader's top priority for one area, once they name one."""

    area_id: str
    top_priority: str = ""
    top_priority_at: datetime | None = None


@_model
class Turn(_Model):
    """One line of the transcript."""

    role: Literal["bot", "leader"]
    text: str
    at: datetime


@_model
class Undo(_Model):
    """What `back` restores: the conversation before one answer, as a JSON snapshot."""

    label: str  # what the answer was, for the message "Back: ..."
    snapshot: str  # the session's conversation data (not transcript or history) as JSON


@_model
class Conversation(_Model):
    """Where the conversation stands: the dialogue state machine's data."""

    state: str = "greeting"
    scope: list[str] = field(default_factory=list)  # statement ids chosen, in reflection order
    statement_id: str = ""  # the statement being reflected on, or ""
    follow_ups: int = 0  # follow-ups asked for the current question
    # small working values between steps (the state machine's own)
    pending: dict[str, str] = field(default_factory=dict)
    privacy_reminded: bool = False
    draft: str = ""  # what the leader typed in the answer box and has not sent yet


@_model
class Session(_Model):
    """One reflection, all of it: what a session file holds."""

    schema_version: int = SCHEMA_VERSION
    name: str
    framework_id: str
    framework_version: str
    created: datetime = field(default_factory=now)
    updated: datetime = field(default_factory=now)
    label: str = ""  # the school or context, optional
    phase: str = ""
    role: str = ""
    conversation: Conversation = field(default_factory=Conversation)
    statements: list[StatementRecord] = field(default_factory=list)
    areas: list[AreaRecord] = field(default_factory=list)
    history: list[Undo] = field(default_factory=list)
    transcript: list[Turn] = field(default_factory=list)

    def record(self, statement_id: str) -> StatementRecord:
        """The record for a statement, created on first use."""
        for record in self.statements:
            if record.statement_id == statement_id:
                return record
        record = StatementRecord(statement_id=statement_id)
        self.statements.append(record)
        return record

    def find_record(self, statement_id: str) -> StatementRecord | None:
        for record in self.statements:
            if record.statement_id == statement_id:
                return record
        return None

    def area_record(self, area_id: str) -> AreaRecord:
        for record in self.areas:
            if record.area_id == area_id:
                return record
        record = AreaRecord(area_id=area_id)
        self.areas.append(record)
        return record

    def say(self, role: Literal["bot", "leader"], text: str) -> None:
        self.transcript.append(Turn(role=role, text=text, at=now()))


# Every model, each after the models it holds (the quick check is built in this order).
MODELS: tuple[type[_Model], ...] = (
    Answer,
    Challenge,
    NextStep,
    CaseStudyNote,
    StatementRecord,
    AreaRecord,
    Turn,
    Undo,
    Conversation,
    Session,
)


# --- Dumping ------------------------------------------------------------------------------------


def _iso(value: datetime) -> str:
    """A time as pydantic writes it in JSON: ISO 8601, "Z" for UTC."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _dump(value: Any, json_mode: bool, exclude_none: bool, exclude: Any = ()) -> Any:
    if isinstance(value, _Model):
        out = {}
        for name in _NAMES[type(value)]:
            item = getattr(value, name)
            if name in exclude or (exclude_none and item is None):
                continue
            out[name] = _dump(item, json_mode, exclude_none)
        return out
    if isinstance(value, list):
        return [_dump(item, json_mode, exclude_none) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item, json_mode, exclude_none) for key, item in value.items()}
    if json_mode and isinstance(value, datetime):
        return _iso(value)
    return value


def _plain(value: Any) -> Any:
    """Data for the pydantic mirror: these models inside it as dicts."""
    if isinstance(value, _Model):
        return value.model_dump()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


# --- The quick check ----------------------------------------------------------------------------

# The rules are the models' annotations. The check is built from them once, at import, as one
# function per field type: on a long session that is quicker than reading a rule table for every
# value, as reflect_bot.quick does for the framework and the question bank. It shares that
# module's NotQuick and its checks of plain values.

# Times in text, as `model_dump(mode="json")` writes them (the undo history holds these). Other
# spellings pydantic also reads ("2026-12-03", a number of seconds) go to pydantic. Compiled
# (and cached by `re`) when first used: a session file holds its times as TOML times, not text.
_ISO_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?(?:Z|[+-]\d\d:\d\d)?"


def _check_datetime(value: Any) -> datetime:
    if type(value) is datetime:
        return value
    if type(value) is str and re.fullmatch(_ISO_TIME, value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise NotQuick


_SIMPLE: dict[Any, Callable[[Any], Any]] = {
    str: exact_str,
    int: exact_int,
    bool: exact_bool,
    datetime: _check_datetime,
}


def _checker(annotation: Any) -> Callable[[Any], Any]:
    """A function that returns a value checked and converted for this field type, or raises
    NotQuick. Covers exactly the types the models above use."""
    if annotation in _SIMPLE:
        return _SIMPLE[annotation]
    if isinstance(annotation, type) and issubclass(annotation, _Model):
        return _CHECKS[annotation]  # built already: MODELS lists the parts before the whole
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        allowed = frozenset(args)

        def check_literal(value: Any) -> Any:
            if type(value) is not str or value not in allowed:
                raise NotQuick
            return value

        return check_literal
    if origin is list:
        check_item = _checker(args[0])

        def check_list(value: Any) -> list[Any]:
            if type(value) is not list:
                raise NotQuick
            return [check_item(item) for item in value]

        return check_list
    if origin is dict and args == (str, str):

        def check_dict(value: Any) -> dict[str, str]:
            if type(value) is not dict:
                raise NotQuick
            for key, item in value.items():
                if type(key) is not str or type(item) is not str:
                    raise NotQuick
            return dict(value)

        return check_dict
    if origin is UnionType and len(args) == 2 and args[1] is NoneType:
        check_value = _checker(args[0])
        return lambda value: None if value is None else check_value(value)
    raise TypeError(f"the quick check has no rule for {annotation!r}")


_TYPES: dict[str, Any] = {}


def _field_type(annotation: Any) -> Any:
    """A field's type from its annotation, which is text here (annotations are not evaluated in
    this module): what get_type_hints gives, at a quarter of its cost when the module is
    imported, as each text is evaluated once."""
    if type(annotation) is not str:
        return annotation
    if annotation not in _TYPES:
        _TYPES[annotation] = eval(annotation, globals())  # this module's own annotations
    return _TYPES[annotation]


def _model_checker(model: type[_Model]) -> Callable[[Any], Any]:
    # a field is required when it has neither a default nor a default factory
    spec = [
        (
            f.name,
            _checker(_field_type(f.type)),
            f.default is MISSING and f.default_factory is MISSING,
        )
        for f in fields(model)
    ]
    names = frozenset(name for name, _, _ in spec)

    def check(value: Any) -> Any:
        if type(value) is model:
            return value
        if type(value) is not dict or not names.issuperset(value):
            raise NotQuick
        values = {}
        for name, check_field, required in spec:
            if name in value:
                values[name] = check_field(value[name])
            elif required:
                raise NotQuick
        return model(**values)

    return check


_NAMES: dict[type, tuple[str, ...]] = {m: tuple(f.name for f in fields(m)) for m in MODELS}
_CHECKS: dict[type, Callable[[Any], Any]] = {}
for _model_class in MODELS:
    _CHECKS[_model_class] = _model_checker(_model_class)
