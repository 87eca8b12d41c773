"""`back`'s snapshots: a step captures the records shallowly, and what it keeps is their JSON."""

import json

from reflect_bot.dialogue import _fields, _json_ready

ANSWERS = [
    "Teachers plan units together with the SENCo each half term, and we review them termly.",
    "Lesson visits and work scrutiny show adaptive teaching in some classes, not yet all.",
]


def answer(ask, turn):
    if ask.kind == "tier":
        return "3"
    if ask.kind == "choice":
        return ask.options[0][0] if ask.options else "1"
    if ask.kind == "yes/no":
        return "no"
    return ANSWERS[turn % len(ANSWERS)]


def test_a_records_fields_made_json_ready_are_its_json_dump(engine, session):
    engine.start(session)
    for turn in range(60):
        engine.step(session, answer(engine.expected(session), turn))
    records = [r for r in session.statements if r.answers and r.next_steps]
    assert records, "the reflection should have reached next steps"
    for record in session.statements:
        assert _json_ready(_fields(record)) == record.model_dump(mode="json")


def test_an_undo_snapshot_keeps_only_what_changed_as_json(engine, session):
    engine.start(session)
    for turn in range(12):
        engine.step(session, answer(engine.expected(session), turn))
    snapshot = json.loads(session.history[-1].snapshot)
    for change in snapshot["records"].values():
        if change:
            json.dumps(change)  # plain data only
            assert "statement_id" not in change["fields"]  # unchanged fields are left out
