"""`/back` undoes the last MAX_UNDO answers; past that the bot says how far back it goes."""

from dialogue_support import talk, text_of

from reflect_bot import dialogue
from reflect_bot.session import MAX_UNDO

OPENING = ("Oakfield", "1", "SENCo", "1")
ANSWERS = (
    "Teachers plan units together each half term",
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
)


def test_the_limit_is_generous():
    assert MAX_UNDO >= 100


def test_only_the_last_answers_can_be_undone_and_the_bot_says_so(engine, session, monkeypatch):
    monkeypatch.setattr(dialogue, "MAX_UNDO", 3)
    engine.start(session)
    talk(engine, session, *OPENING, *ANSWERS)
    assert len(session.history) == 3
    asked_before = [engine.expected(session)]
    for _ in range(3):
        replies = talk(engine, session, "/back")
        assert "nothing to go back to" not in text_of(replies)
        asked_before.append(engine.expected(session))
    assert asked_before[-1] != asked_before[0]
    replies = talk(engine, session, "/back")
    assert "go back at most 3 answers" in text_of(replies)
    assert "/go" in text_of(replies)
    assert engine.expected(session) == asked_before[-1]  # nothing else changed


def test_going_back_to_the_very_start_still_says_there_is_nothing_yet(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield")
    talk(engine, session, "/back")
    assert "nothing to go back to yet" in text_of(talk(engine, session, "/back"))


def test_nothing_to_go_back_to_asks_the_question_again(engine, session):
    opening = text_of(engine.start(session))
    replies = talk(engine, session, "/back")
    said = text_of(replies)
    assert "nothing to go back to yet" in said
    question = opening.strip().splitlines()[-1]
    assert question in said
    assert replies[-1] == engine.expected(session)
