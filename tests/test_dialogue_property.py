"""Properties of answers and `back`, over any sequence of inputs.

- Every question asked has at most one current answer, and empty input is never an answer.
- `back` after an answer restores the state before it, and the same answer then gives the same
  state again (timestamps aside).
"""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect_bot.dialogue import STATES, Engine
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.prompts import load_bank
from reflect_bot.replies import Ask
from reflect_bot.session import Session

FRAMEWORK = load_framework(Settings.load().framework_dir)
ENGINE = Engine(FRAMEWORK, load_bank(Settings.load(environ={}).prompts_dir))

ANSWERS = [
    "Teachers plan units together with the SENCo each half term",
    "Lesson visits and work scrutiny show adaptive teaching in some classes",
    "Consistently embedded across the school",
    "Pupils are increasingly independent",
]
COMMANDS = ["/back", "/back", "/skip", "/go 3", "/tiers"]


def input_for(ask: Ask) -> st.SearchStrategy[str]:
    """Mostly an answer that fits what is asked; sometimes a thin one, a command or nonsense."""
    if ask.kind in ("reflection", "text"):
        fitting = st.sampled_from([*ANSWERS, "ok", ""])
    elif ask.kind == "tier":
        fitting = st.sampled_from(["1", "2", "3", "?"])
    elif ask.kind == "yes/no":
        fitting = st.sampled_from(["y", "n", ""])
    elif ask.kind == "choice":
        keys = [key for key, _ in ask.options] or ["1"]
        fitting = st.sampled_from([*keys, "3 8"])
    else:
        fitting = st.sampled_from(ANSWERS)
    odd = st.sampled_from([*COMMANDS, "nonsense", "/go 9"])
    return st.one_of(fitting, fitting, fitting, odd)


def _without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_times(v) for k, v in value.items() if k not in ("at", "top_priority_at")
        }
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def state_of(session: Session) -> Any:
    data = session.model_dump(mode="json", exclude={"transcript", "updated", "history"})
    data["statements"] = sorted(data["statements"], key=lambda r: r["statement_id"])
    return _without_times(data), len(session.history)


def new_session() -> Session:
    session = Session(name="p", framework_id=FRAMEWORK.id, framework_version=FRAMEWORK.version)
    ENGINE.start(session)
    return session


def check_one_answer_per_question(session: Session) -> None:
    for record in session.statements:
        ids = [a.question_id for a in record.answers]
        assert len(ids) == len(set(ids)), record.statement_id
        assert all(a.text.strip() for a in record.answers)  # empty input is never an answer


def drive(data: st.DataObject, session: Session, steps: int) -> list[str]:
    lines = []
    for _ in range(steps):
        line = data.draw(input_for(ENGINE.expected(session)))
        lines.append(line)
        ENGINE.step(session, line)
        check_one_answer_per_question(session)
        assert session.conversation.state in STATES
    return lines


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_answers_and_backs_leave_one_current_answer_per_question(data):
    session = new_session()
    drive(data, session, data.draw(st.integers(0, 150)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_back_then_the_same_answer_gives_the_same_state(data):
    session = new_session()
    drive(data, session, data.draw(st.integers(0, 120)))
    answer = data.draw(input_for(ENGINE.expected(session)).filter(lambda line: line != "/back"))
    start = state_of(session)
    ENGINE.step(session, answer)
    after = state_of(session)
    if after[1] == start[1]:
        return  # the input changed nothing (e.g. not a valid choice here): nothing to undo
    ENGINE.step(session, "/back")
    assert state_of(session) == start
    ENGINE.step(session, answer)
    assert state_of(session) == after
