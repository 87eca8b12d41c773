"""The leader's words quoted by the bot are shown exactly as typed: escaped in the bot's
Markdown (the app), plain in the console, with no backslashes; long answers are cut between
words. And the opening's phase question offers the same phases as the app's start form."""

from console_support import plain
from dialogue_support import opened, talk, text_of
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reflect_bot.dialogue import reply_text
from reflect_bot.replies import PHASES, Say, markdown_literal, markdown_plain

PARSER = MarkdownIt().enable("strikethrough").enable("table")  # as rich's Markdown reads it
MARKUP = "**bold** [a](http://x) `code` <b>tag</b> &amp; ~~s~~ C:\\maps _x_"
ANSWERS = (
    f"We plan {MARKUP}",  # short enough to be quoted whole
    "Lesson visits and work scrutiny show adaptive teaching",
    "Increasingly consistent across most classes",
    "Pupils join the same trips and projects as their peers",
)


def finish_first(engine, session):
    talk(engine, session, *ANSWERS, "2", "Consistent practice", "", "n")
    assert session.record("teaching-learning.1").status == "done"


def as_markdown_shows(text: str) -> str:
    """What Markdown shows of `text`: its inline text; fails on any markup (emphasis, code,
    links, HTML, entities...)."""
    shown = []
    for token in PARSER.parse(text):
        if token.type == "inline":
            for child in token.children or []:
                assert child.type in ("text", "softbreak"), (child.type, text)
                shown.append(" " if child.type == "softbreak" else child.content)
        else:
            assert token.type in (
                "paragraph_open",
                "paragraph_close",
                "bullet_list_open",
                "bullet_list_close",
                "list_item_open",
                "list_item_close",
            ), (token.type, text)
    return "".join(shown)


def recap(replies) -> Say:
    return next(r for r in replies if isinstance(r, Say) and "What you said" in r.text)


def test_the_recap_quotes_the_answer_literally_in_markdown_and_in_plain_text(engine, session):
    opened(engine, session)
    finish_first(engine, session)
    replies = talk(engine, session, "/go 1")
    said = recap(replies)
    assert said.tone == "normal"  # Markdown in the app
    item = f"Working well: {ANSWERS[0]}"
    assert f"- {item}" in reply_text(said)  # plain: exactly as typed, no backslash added
    assert "\\*" not in reply_text(said)
    line = next(x for x in said.text.splitlines() if x.startswith("- Working well:"))
    assert as_markdown_shows(line) == item  # Markdown: no bold, link, code, tag or entity
    # the transcript keeps the Markdown the app shows when the session is opened again
    assert any(t.role == "bot" and line in t.text for t in session.transcript)


def test_notes_quoting_the_leader_are_plain_text(engine, session):
    opened(engine, session)
    talk(engine, session, "We share plans **weekly** <b>across</b> phases")
    talk(engine, session, "/go 2", "/go 1")  # part-way: what was said so far, as a note
    replies = talk(engine, session, "/go 2")
    replies = talk(engine, session, "/go 1")
    note = next(r for r in replies if isinstance(r, Say) and "So far" in r.text)
    assert note.tone == "note"  # shown as it is, in the app and the console
    assert "- Working well: We share plans **weekly** <b>across</b> phases" in note.text


def test_a_long_answer_is_cut_between_words(engine, session):
    opened(engine, session)
    long = "We use <b>shared</b> **plans** and [links](http://x) " * 6
    talk(engine, session, long, *ANSWERS[1:], "2", "Consistent practice", "", "n")
    said = reply_text(recap(talk(engine, session, "/go 1")))
    line = next(x for x in said.splitlines() if x.startswith("- Working well: "))
    shown = line.removeprefix("- Working well: ")
    assert shown.endswith("…")
    kept = shown.removesuffix("…")
    assert " ".join(long.split()).startswith(kept)
    assert long.split()[len(kept.split()) - 1] == kept.split()[-1]  # the last word is whole


def test_other_quotes_of_the_leader_are_literal(engine, session):
    opened(engine, session)
    replies = talk(engine, session, "/go <b>x</b>")
    said = next(r for r in replies if isinstance(r, Say))
    assert 'There is no statement "<b>x</b>"' in reply_text(said)
    assert 'There is no statement "<b>x</b>"' in as_markdown_shows(said.text)


def test_the_plain_console_shows_the_recap_as_typed(tmp_path, framework):
    lines = ["", "", "", "1", *ANSWERS, "2", "Consistent practice", "", "n", "/go 1", "no"]
    code, out, session, _ = plain(tmp_path, framework, "\n".join(lines) + "\n")
    assert code == 0
    assert session.record("teaching-learning.1").status == "done"
    assert f"- Working well: {ANSWERS[0]}" in out
    assert "\\*" not in out and "\\[" not in out and "\\<" not in out


SAMPLE = st.text(
    alphabet=st.sampled_from(list("ab -*_#>+=[]()!\\&;`~<|.:/1\t"))
    | st.characters(blacklist_categories=("Cc", "Cs")),
    max_size=40,
).map(lambda s: " ".join(s.split()))


@settings(max_examples=1000, deadline=None)
@given(SAMPLE)
def test_escaped_words_show_as_typed_and_come_back_exactly(text):
    assert markdown_plain(markdown_literal(text)) == text
    if text:
        assert as_markdown_shows(f"- Working well: {markdown_literal(text)}") == (
            f"Working well: {text}"
        )


def test_escaped_lines_start_no_block():
    text = "one\n- two\n1. three\n> four\n# five\n===\n+ six"
    escaped = markdown_literal(text)
    assert markdown_plain(escaped) == text
    assert as_markdown_shows(escaped) == text.replace("\n", " ")


# --- the phase question ---------------------------------------------------------------------------


def test_the_phase_question_offers_every_phase_the_start_form_offers(engine, session):
    from reflect_bot.app.screens.start import PHASES as FORM_PHASES

    assert FORM_PHASES is PHASES  # one list, in one place
    assert len(PHASES) == 5
    engine.start(session)
    said = text_of(talk(engine, session, "Oakfield"))
    assert session.conversation.state == "phase"
    assert [label for _, label in engine.expected(session).options] == list(PHASES)
    for number, phase in enumerate(PHASES, start=1):
        assert f"{number}. {phase}" in said


def test_the_extra_phases_are_understood_by_number_and_by_name(engine, session):
    engine.start(session)
    talk(engine, session, "Oakfield", "4")
    assert session.phase == "Special school"
    talk(engine, session, "/back", "alternative provision")
    assert session.phase == "Alternative provision"


def test_retyped_personal_data_leaves_the_bot_lines_that_quoted_it_escaped(engine, session):
    opened(engine, session)
    talk(engine, session, "We email jo_smith@school.org the plan each week")
    assert session.conversation.state == "privacy"
    assert any(t.role == "bot" and "jo\\_smith" in t.text for t in session.transcript)
    talk(engine, session, "r")
    assert not any("jo_smith" in t.text or "jo\\_smith" in t.text for t in session.transcript)
