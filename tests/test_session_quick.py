"""The session's quick check agrees with its pydantic mirror, and opening a session needs no
pydantic.

`Session.model_validate` checks data in plain Python (so the app opens a session without loading
pydantic) and hands anything else to the pydantic models in `session_schema`, which name the
problems. These tests hold the two in step: the same fields, types and defaults, the same result
for a full session, and for data with one value changed, either the same result or a hand-over
to pydantic.
"""

import dataclasses
import textwrap
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, get_type_hints

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from process_support import run_python
from pydantic import ValidationError
from quick_support import draw_changed, plain, read_both, refusing_pydantic

from reflect_bot import session as session_module
from reflect_bot import session_schema
from reflect_bot.session import (
    MODELS,
    Answer,
    AreaRecord,
    CaseStudyNote,
    Challenge,
    NextStep,
    Session,
    StatementRecord,
    Turn,
    Undo,
)
from reflect_bot.store import SessionStore, render

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def full_session(name: str = "oak") -> Session:
    """A session with a value in every field the file can hold."""
    session = Session(
        name=name,
        framework_id="inclusion-audit-pilot",
        framework_version="pilot-1",
        created=WHEN,
        updated=WHEN,
        label='Oak "Primary"\nmain site',
        phase="Primary",
        role="SENCo",
    )
    session.conversation.state = "working_well"
    session.conversation.scope = ["teaching-learning.1", "teaching-learning.2"]
    session.conversation.statement_id = "teaching-learning.1"
    session.conversation.follow_ups = 1
    session.conversation.pending = {"question_id": "teaching-learning.1.working"}
    session.conversation.privacy_reminded = True
    session.conversation.draft = "half typed"
    record = session.record("teaching-learning.1")
    record.status = "in_progress"
    record.statement_hash = "abc123"
    record.answers.append(
        Answer(
            question_id="teaching-learning.1.working",
            kind="working_well",
            question="What's working well?",
            text="Visual timetables in every class,\nand \u201cnow/next\u201d boards.",
            at=WHEN,
        )
    )
    record.answers.append(
        Answer(question_id="e", kind="evidence", question="How?", text="Books", at=WHEN, thin=True)
    )
    record.hint_tier = "strengthening"
    record.hint_words = ["timetables", "boards"]
    record.tier = "strengthening"
    record.not_sure = True
    record.challenge = Challenge(
        question="And excellence?", tier_before="excellence", response="Fair", at=WHEN
    )
    record.next_steps.append(NextStep(what="Learning walk", who="SENCo", by_when="by Easter"))
    record.case_studies.append(CaseStudyNote(case_study_id="tl.x", reason="scaffolds", saved=True))
    record.notes.append("The evidence answer stayed thin.")
    session.record("teaching-learning.2")  # nothing yet: no challenge, empty lists
    session.area_record("teaching-learning").top_priority = "Consistency"
    session.area_record("teaching-learning").top_priority_at = WHEN
    session.area_record("pupils-parents-carers")
    session.history.append(Undo(label="your answer", snapshot='{"records":{}}'))
    session.transcript.append(Turn(role="bot", text="What's working well?", at=WHEN))
    session.transcript.append(Turn(role="leader", text="Visual timetables", at=WHEN))
    return session


def type_name(annotation: Any) -> str:
    return str(annotation).replace("reflect_bot.session_schema.", "reflect_bot.session.")


# --- the same fields, types and defaults --------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_models_and_the_schema_have_the_same_fields_types_and_defaults(model):
    schema = getattr(session_schema, model.__name__)
    fields = dataclasses.fields(model)
    assert [f.name for f in fields] == list(schema.model_fields)
    hints = get_type_hints(model)
    for f in fields:
        info = schema.model_fields[f.name]
        where = f"{model.__name__}.{f.name}"
        assert type_name(hints[f.name]) == type_name(info.annotation), where
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        assert required == info.is_required(), where
        if required:
            continue
        if info.default_factory is not None:
            assert f.default_factory is info.default_factory, where  # `now`, shared
        elif f.default_factory is not dataclasses.MISSING:
            assert plain(f.default_factory()) == plain(info.default), where
        else:
            assert f.default == info.default, where


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_its_own_docstring(model):
    # without one, dataclasses works one out from the signature when the module is imported
    assert model.__dict__.get("__doc__")


def test_every_model_is_checked_and_dumped():
    classes = {
        value
        for value in vars(session_module).values()
        if isinstance(value, type) and issubclass(value, session_module._Model)
    }
    assert classes - {session_module._Model} == set(MODELS)
    assert {m.__name__ for m in MODELS} == {
        name
        for name, value in vars(session_schema).items()
        if isinstance(value, type) and issubclass(value, session_schema._Model)
    } - {"_Model"}


# --- the same result ----------------------------------------------------------------------------


def quick_and_slow(model: type, data: Any) -> tuple[Any, Any]:
    """(the quick check's result or None, pydantic's result or None), as plain data."""
    return read_both(session_module._CHECKS[model], getattr(session_schema, model.__name__), data)


FILE_DATA = tomllib.loads(render(full_session()))
JSON_DATA = full_session().model_dump(mode="json")
PYTHON_DATA = full_session().model_dump()


@pytest.mark.parametrize("data", [FILE_DATA, JSON_DATA, PYTHON_DATA], ids=["file", "json", "py"])
def test_a_full_session_is_read_alike(data):
    quick, slow = quick_and_slow(Session, data)
    assert quick is not None
    assert quick == slow == full_session().model_dump()


def test_model_validate_checks_quickly_without_pydantic(monkeypatch):
    refusing_pydantic(monkeypatch, session_schema.Session)
    assert Session.model_validate(FILE_DATA) == full_session()
    assert Session.model_validate(JSON_DATA) == full_session()


ODD_VALUES = [
    "",
    "text",
    "bot",
    "done",
    "1",
    "true",
    "last Tuesday",
    "2026-12-03",
    "2026-12-03T09:00:00",
    "2026-12-03T09:00:00Z",
    "2026-12-03T09:00:00.123456+01:00",
    "2026-12-03T09:00:00-00:00",
    "2026-02-30T09:00:00Z",
    "2026-12-03T09:00:00+24:00",
    "2026-12-03 09:00:00+00:00",
    0,
    1,
    -1,
    1.0,
    1.5,
    True,
    False,
    None,
    [],
    [""],
    ["x"],
    [1],
    [{}],
    {},
    {"x": "y"},
    {"x": 1},
    {"at": "2026-12-03T09:00:00Z"},
    datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
    datetime(2026, 12, 3, 9, 0, tzinfo=timezone(timedelta(hours=1))),
    datetime(2026, 12, 3, 9, 0),
    date(2026, 12, 3),
]


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_data_with_one_value_changed_is_read_alike_or_handed_to_pydantic(data):
    sample = data.draw(st.sampled_from([FILE_DATA, JSON_DATA]))
    mutated = draw_changed(data, sample, ODD_VALUES)
    quick, slow = quick_and_slow(Session, mutated)
    if quick is not None:
        assert quick == slow
    # and model_validate gives pydantic's answer either way
    try:
        validated = plain(Session.model_validate(mutated))
    except ValidationError:
        validated = None
    assert validated == slow


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_each_odd_value_in_each_kind_of_field_is_read_alike_or_handed_over(value):
    for model, field in [
        (Turn, "role"),
        (Turn, "at"),
        (Answer, "thin"),
        (StatementRecord, "status"),
        (StatementRecord, "challenge"),
        (StatementRecord, "hint_words"),
        (AreaRecord, "top_priority_at"),
        (Session, "schema_version"),
    ]:
        sample = {"Turn": {"role": "bot", "text": "t", "at": WHEN}}.get(model.__name__)
        sample = (
            sample
            or {
                "Answer": {
                    "question_id": "q",
                    "kind": "k",
                    "question": "?",
                    "text": "t",
                    "at": WHEN,
                },
                "StatementRecord": {"statement_id": "s"},
                "AreaRecord": {"area_id": "a"},
                "Session": {"name": "n", "framework_id": "f", "framework_version": "v"},
            }[model.__name__]
        )
        quick, slow = quick_and_slow(model, {**sample, field: value})
        if quick is not None:
            assert quick == slow, (model.__name__, field)


def test_a_refused_value_is_named_by_pydantic():
    with pytest.raises(ValidationError) as caught:
        Session.model_validate({**FILE_DATA, "created": "last Tuesday"})
    assert caught.value.errors()[0]["loc"] == ("created",)
    # what pydantic accepts the quick check does not, it still accepts
    assert Session.model_validate({**FILE_DATA, "schema_version": "1"}).schema_version == 1


# --- the pydantic-style methods the code uses ---------------------------------------------------


def test_dumping_copying_and_comparing_work_as_with_pydantic():
    session = full_session()
    assert session.model_dump(mode="json")["created"] == "2026-11-02T09:30:00Z"
    assert "challenge" not in session.model_dump(exclude_none=True)["statements"][1]
    assert set(session.model_dump(exclude={"transcript", "history"})) == {
        f.name for f in dataclasses.fields(Session)
    } - {"transcript", "history"}
    assert session.model_dump_json().startswith('{"schema_version":1,"name":"oak",')
    deep = session.model_copy(deep=True)
    assert deep == session and deep.transcript is not session.transcript
    shallow = session.transcript[0].model_copy(update={"text": "changed"})
    assert shallow.text == "changed" and session.transcript[0].text == "What's working well?"
    dumped = session.model_dump()
    dumped["transcript"].clear()
    assert session.transcript  # a dump is a copy


# --- no pydantic on the way ---------------------------------------------------------------------


def test_opening_listing_and_saving_a_session_does_not_import_pydantic(tmp_path, framework):
    store = SessionStore(tmp_path)
    session = store.create(framework, "oak")
    full = full_session()
    for field in ("label", "conversation", "statements", "areas", "history", "transcript"):
        setattr(session, field, getattr(full, field))
    store.save(session)
    store.close(session)
    code = textwrap.dedent(
        f"""
        import sys
        import reflect_bot.session, reflect_bot.store
        from reflect_bot.framework import load_framework
        from reflect_bot.locations import Settings
        from reflect_bot.store import SessionStore

        framework = load_framework(Settings.load(environ={{}}).framework_dir)
        store = SessionStore({str(tmp_path)!r})
        store.list(framework)
        session = store.open("oak", framework)
        assert session.statements[0].answers, "the answers were read"
        session.say("leader", "More")
        store.save(session)
        store.close(session)
        late = [m for m in sys.modules if m.split(".")[0] == "pydantic"]
        late += [m for m in ("reflect_bot.session_schema",) if m in sys.modules]
        print(" ".join(late) or "none")
        """
    )
    assert run_python(code) == "none"
