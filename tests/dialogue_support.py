"""Helpers for tests that talk to the dialogue engine directly."""

from reflect_bot.dialogue import reply_text


def talk(engine, session, *lines):
    """Send lines one by one; the replies of the last one."""
    replies = []
    for line in lines:
        replies = engine.step(session, line)
    return replies


def text_of(replies):
    return "\n".join(reply_text(r) for r in replies)


def opened(engine, session):
    """Started, named Oakfield, primary, as SENCo, all statements in order."""
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "1")
