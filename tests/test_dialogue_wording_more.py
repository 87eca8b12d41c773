"""Problems a new user met in the conversation, pinned down: case-study saves are per statement
(and the bot says so), a top priority's line breaks in the end summary, the /back note, welcome
backs that piled up, the tiers "side by side" on narrow terminals, and the README's account of an
empty answer."""

import io
from pathlib import Path

from dialogue_support import talk, text_of
from rich.console import Console
from rich.markdown import Markdown

from reflect_bot.app.widgets.messages import markdown_blocks
from reflect_bot.dialogue import reply_text
from reflect_bot.replies import CaseStudyCard, Say
from reflect_bot.session import Session

ANSWER = "Teachers plan units together weekly"
ANSWERS = {
    "tier": "2",
    "challenge_decision": "k",
    "next_what": "",
    "next_more": "n",
    "revise": "n",
    "export": "n",
}
# suggested at Teaching & Learning 1 and at Teaching & Learning 4, first each time
SHARED = "teaching-learning.independence-in-action"
README = Path(__file__).resolve().parent.parent / "README.md"


def answer_until(engine, session, state, cases="n"):
    """Answer whatever is asked (case studies with `cases`) until `state`; its replies."""
    replies = []
    for _ in range(60):
        if session.conversation.state == state:
            return replies
        now = session.conversation.state
        text = cases if now == "case_studies" else ANSWERS.get(now, ANSWER)
        replies = talk(engine, session, text)
    raise AssertionError(f"stuck at {session.conversation.state}")


def saved_ids(session, statement_id):
    return [n.case_study_id for n in session.record(statement_id).case_studies if n.saved]


def at_statement_four_cases(engine, session):
    """Statements 1 and 4; the shared case study saved at 1; now at 4's case studies."""
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "5", "1 4")
    answer_until(engine, session, "case_studies")
    assert session.conversation.statement_id == "teaching-learning.1"
    talk(engine, session, "1")
    assert saved_ids(session, "teaching-learning.1") == [SHARED]
    replies = answer_until(engine, session, "case_studies")
    assert session.conversation.statement_id == "teaching-learning.4"
    return replies


# --- case-study saves are per statement -----------------------------------------------------------


def test_a_card_says_the_case_study_is_saved_for_another_statement(engine, session):
    replies = at_statement_four_cases(engine, session)
    cards = {c.case_study_id: c for c in replies if isinstance(c, CaseStudyCard)}
    assert not cards[SHARED].saved  # saves are per statement: not ticked here
    assert "Already saved to follow up for statement 1" in cards[SHARED].reason
    others = [c for c in cards.values() if c.case_study_id != SHARED]
    assert others and all("saved" not in c.reason.lower() for c in others)
    # the saved note keeps the plain reason: the save for statement 1 may be undone later
    note = session.record("teaching-learning.4").case_studies[0]
    assert note.case_study_id == SHARED and "statement 1" not in note.reason


def test_the_card_says_so_again_on_resuming(engine, session):
    at_statement_four_cases(engine, session)
    resumed = Session.model_validate(session.model_dump())
    cards = [r for r in engine.start(resumed) if isinstance(r, CaseStudyCard)]
    assert "Already saved to follow up for statement 1" in cards[0].reason


def test_unsave_when_nothing_here_is_saved_says_where_it_is_saved(engine, session):
    at_statement_four_cases(engine, session)
    for typed in ("unsave", "unsave 1", "Unsave all"):
        replies = talk(engine, session, typed)
        said = text_of(replies)
        assert "is saved for statement 1" in said, typed
        assert "/go 1" in said and "per statement" in said
        assert session.conversation.state == "case_studies"  # asked again, not moved on
        assert saved_ids(session, "teaching-learning.1") == [SHARED]  # still saved there
    # the one saved nowhere is said to be so
    said = text_of(talk(engine, session, "unsave 2"))
    assert "nor for any other" in said
    assert session.conversation.state == "case_studies"
    # nothing was changed, so /back has nothing of it to undo: the choice still waits
    talk(engine, session, "1")
    assert saved_ids(session, "teaching-learning.4") == [SHARED]
    assert saved_ids(session, "teaching-learning.1") == [SHARED]


def test_unsave_of_one_saved_here_still_unsaves_it(engine, session):
    at_statement_four_cases(engine, session)
    talk(engine, session, "1")  # saved here too
    talk(engine, session, "/go 4", "y")
    answer_until(engine, session, "case_studies")
    said = text_of(talk(engine, session, "unsave"))
    assert "No longer saved" in said
    assert saved_ids(session, "teaching-learning.4") == []
    assert saved_ids(session, "teaching-learning.1") == [SHARED]


def test_the_case_studies_view_says_which_statements_a_save_is_for(engine, session):
    at_statement_four_cases(engine, session)
    talk(engine, session, "1")
    cards = {c.case_study_id: c for c in engine.case_cards(session)}
    assert cards[SHARED].saved
    assert "Saved to follow up for statements 1 and 4." in cards[SHARED].reason


# --- a top priority's line breaks in the end summary ------------------------------------------------

PRIORITY = (
    "First: embed adaptive teaching across foundation subjects.\n"
    "Second: close the loop with parents after reviews."
)


def shown_lines(markdown):
    """The lines the app shows for the bot's Markdown (as its message widget lays it out)."""
    blocks = markdown_blocks(markdown)
    if blocks is not None:  # paragraphs and lists laid out directly: each block on its own
        texts = [text for b in blocks for text in ([b] if isinstance(b, str) else b)]
        return [line for text in texts for line in text.split("\n")]  # a line break inside
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(Markdown(markdown, hyperlinks=False))
    return [line.strip(" •") for line in console.export_text().splitlines() if line.strip()]


def test_the_end_summary_keeps_a_line_break_in_the_top_priority(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "5", "5")
    answer_until(engine, session, "top_priority")
    replies = talk(engine, session, PRIORITY)
    summary = next(r for r in replies if isinstance(r, Say) and "Top priorities" in r.text)
    lines = shown_lines(summary.text)
    first = next(line for line in lines if "First:" in line)
    assert first.endswith("foundation subjects.")  # "Second" is not run into it
    assert any(line.startswith("Second: close the loop") for line in lines)
    plain = reply_text(summary)  # the plain console: the line break, and no backslash
    assert "foundation subjects.\n  Second: close the loop" in plain
    assert session.areas[0].top_priority == PRIORITY  # kept exactly as typed
    # /summary says the same
    again = [r for r in talk(engine, session, "/summary") if isinstance(r, Say)]
    assert summary in again


# --- the /back note, the welcome back, the tiers -------------------------------------------------


def test_the_back_note_reads_plainly(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "1", ANSWER)
    note = next(r for r in talk(engine, session, "/back") if isinstance(r, Say))
    assert note.tone == "note"  # the app puts "Note: " before it
    assert note.text.startswith(f"I have undone your answer “{ANSWER}”.")
    assert "Back:" not in note.text and "is undone" not in note.text


def test_welcome_backs_do_not_pile_up(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield Primary", "1", "SENCo", "1", ANSWER)
    question = session.conversation.pending["question"]
    for _ in range(3):  # resumed, quit at once, resumed again...
        session = Session.model_validate(session.model_dump())
        said = text_of(engine.start(session))
        assert said.count("Welcome back") == 1
        assert said.count(question) == 1  # the real question, once
    # none was kept as the last thing the bot said, to be repeated by the next
    assert not [t for t in session.transcript if "Welcome back" in t.text]
    bot = [t.text for t in session.transcript if t.role == "bot"]
    assert bot[-1] == question
    talk(engine, session, "Lesson visits and work scrutiny")
    assert session.record("teaching-learning.1").answers[-1].question == question


def test_the_finished_reflection_welcomes_back_to_its_last_message_once(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "5", "1")
    answer_until(engine, session, "done")
    for _ in range(2):
        session = Session.model_validate(session.model_dump())
        said = text_of(engine.start(session))
        assert said.count("Welcome back") == 1
        assert said.count("Thank you for taking the time") == 1
    assert [t.text for t in session.transcript if t.role == "bot"][-1].startswith("Thank you")


def test_the_tiers_are_not_said_to_be_side_by_side(engine, session):
    """On a narrow terminal the app stacks them: the words hold either way."""
    greeting = text_of(engine.start(session))
    talk(engine, session, "Oakfield", "1", "SENCo", "1")
    replies = answer_until(engine, session, "tier")
    said = text_of(replies) + greeting
    assert "side by side" not in said
    assert "for comparison" in said
    assert not any("side by side" in t.text for t in session.transcript)


# --- the README on an empty answer and on saves ------------------------------------------------


def test_an_empty_answer_to_a_required_question_goes_as_the_readme_says(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield", "1", "SENCo", "1")
    first = text_of(talk(engine, session, ""))
    second = text_of(talk(engine, session, ""))
    assert session.conversation.state == "working_well"
    assert first != second  # two different follow-ups
    moved = text_of(talk(engine, session, ""))
    assert "let's move on" in moved and "noted" in moved
    assert session.conversation.state == "evidence"
    assert not session.record("teaching-learning.1").answers  # left empty
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "the bot ask again" not in readme and "(the bot asks again)" not in readme
    assert "two follow-up questions" in readme
    assert "saved for one statement" in readme
