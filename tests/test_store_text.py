"""Text round-trips through save and load exactly: hostile answers, arbitrary Unicode, line endings."""

import copy
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect_bot.session import Answer, CaseStudyNote, Challenge, NextStep, Undo, now
from reflect_bot.store import SessionStore, load_file, render, toml_string

# A fixed regression list: what leaders paste and type.
HOSTILE = [
    "We use \u201cquality first\u201d teaching \u2014 it\u2019s working \u2013 mostly.",  # Word quotes, dashes
    "\u2022 Visual timetables\n\u2022 Pre-teaching vocabulary\n\u25e6 Sub-point\n\u2023 Another",  # bullets
    "Non\u00a0breaking\u00a0spaces and a narrow\u202fone; thin\u2009space",
    "Col 1\tCol 2\tCol 3\n\tindented with a tab",
    "Pasted from Word\r\nwith CRLF\r\nline endings\r\n",
    "Old Mac line\rendings\r",
    "Control characters: \x00 \x01 \x07 \x08 \x0b \x0c \x1b[31m \x7f \x85 \x9f",
    "A trailing backslash \\",
    "\\",
    'Triple quotes """ inside and at the end """',
    "Triple apostrophes ''' inside and at the end '''",
    "'",
    "Ends with an apostrophe: the pupils'",
    'Ends with a quote "',
    "Rich markup [bold]not bold[/bold] and [/ and [link=https://example.com]x[/link]",
    "Emoji with skin tones \U0001f44b\U0001f3fd and a family \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\U0001f469\U0001f3ff\u200d\U0001f3eb teacher, \U0001f3f3\ufe0f\u200d\U0001f308 flag",
    "Combining accents: e\u0301 a\u0300 n\u0303 (decomposed) vs \u00e9 \u00e0 \u00f1",
    "Right-to-left names: \u0645\u062d\u0645\u062f \u05d3\u05d5\u05d3 with a \u202eoverride\u202c mark",
    "Zero width: a\u200bb\u200cc\u200dd\ufeffe",
    "Line separator\u2028and paragraph separator\u2029and NEL\x85",
    "# not a comment\n[not.a.table]\nkey = 'value'",
    "\n\nStarts with blank lines",
    "Ends with blank lines\n\n",
    "   surrounding spaces   ",
    "",
    "\n",
    "Lots of \\n escapes that are \\t not real \\u0041",
    "x" * 50_000,
    ("A long pasted paragraph with \u201cquotes\u201d and \u2019apostrophes\u2019. " * 900)[
        :50_000
    ],
]


def fill(session, text):
    """Put `text` in every kind of place a session holds text."""
    session.label = text
    session.phase = text
    session.role = text
    record = session.record("teaching-learning.1")
    record.answers.append(
        Answer(
            question_id="teaching-learning.1.working",
            kind="working_well",
            question=text,
            text=text,
            at=now(),
        )
    )
    record.hint_words = [text, "plain"]
    record.challenge = Challenge(
        question=text, tier_before="excellence", response=text, tier_after="excellence", at=now()
    )
    record.next_steps.append(NextStep(what=text, who=text, by_when=text))
    record.case_studies.append(CaseStudyNote(case_study_id="teaching-learning.x", reason=text))
    record.notes.append(text)
    session.area_record("teaching-learning").top_priority = text
    session.conversation.pending = {"draft": text, text: "as a key"}
    session.history.append(Undo(label=text, snapshot=text))
    session.say("leader", text)
    session.say("bot", text)


def round_trip(folder, framework, text):
    store = SessionStore(folder)
    session = store.create(framework, "hostile")
    fill(session, text)
    path = store.save(session)
    store.close(session)
    loaded = store.open("hostile", framework)
    store.close(loaded)
    return session, loaded, path


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_round_trips_exactly(tmp_path, framework, text):
    session, loaded, _ = round_trip(tmp_path, framework, text)
    assert loaded == session
    assert loaded.transcript[0].text.encode("utf-8") == text.encode("utf-8")
    assert loaded.statements[0].answers[0].text == text
    assert loaded.conversation.pending[text] == "as a key"


def test_a_long_answer_with_newlines_is_written_readably(tmp_path, framework):
    text = "\u2022 First point\n\u2022 Second point: \u201cquoted\u201d"
    _, _, path = round_trip(tmp_path, framework, text)
    content = path.read_text("utf-8")
    assert "\u2022 First point\n\u2022 Second point: \u201cquoted\u201d" in content


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300))
def test_arbitrary_text_round_trips_byte_for_byte(framework, text):
    with tempfile.TemporaryDirectory() as folder:
        session, loaded, _ = round_trip(Path(folder), framework, text)
    assert loaded == session
    for turn in loaded.transcript:
        assert turn.text.encode("utf-8") == text.encode("utf-8")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_every_toml_string_reads_back_as_itself(text):
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text


def test_a_file_whose_line_endings_an_editor_changed_still_loads_with_lf(tmp_path, framework):
    text = "First paragraph.\n\nSecond paragraph,\nwith a line break."
    session, _, path = round_trip(tmp_path, framework, text)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # as Notepad might save it
    loaded, _ = load_file(path)
    assert loaded.statements[0].answers[0].text == text
    assert loaded.transcript[0].text == text


def test_text_that_cannot_be_encoded_is_cleaned_and_the_leader_told(tmp_path, framework):
    store = SessionStore(tmp_path)
    session = store.create(framework, "oak")
    before = store.path_of(session).read_bytes()
    assert before  # the first save is on disk
    session.say("leader", "bad bytes \udc80\udcff here")  # what a terminal makes of invalid UTF-8
    session.record("teaching-learning.1").notes.append("lone \ud800 high")
    path = store.save(session)
    notices = store.take_notices()
    assert notices == ["3 characters that cannot be saved were replaced with \ufffd."]
    assert (
        session.transcript[0].text == "bad bytes \ufffd\ufffd here"
    )  # the session says what was saved
    loaded, _ = load_file(path)
    assert loaded.transcript[0].text == "bad bytes \ufffd\ufffd here"
    assert loaded.statements[0].notes == ["lone \ufffd high"]
    store.close(session)


def test_render_is_stable(tmp_path, framework):
    store = SessionStore(tmp_path)
    session = store.create(framework, "oak")
    fill(session, "Some text\nover two lines")
    assert render(session) == render(session)
    store.close(session)


def test_bulk_rows_that_are_not_flat_are_still_written(monkeypatch):
    """If the transcript's rows ever hold lists or tables, the file is still valid TOML."""
    from reflect_bot import store as store_module

    session = store_module.Session(name="x", framework_id="f", framework_version="v")
    session.say("leader", "line one\r\nline two")
    data = session.model_dump(exclude_none=True)
    data["transcript"][0]["tags"] = ["a", "b"]
    monkeypatch.setattr(type(session), "model_dump", lambda self, **kw: copy.deepcopy(data))
    text = render(session)
    assert tomllib.loads(text)["transcript"][0] == data["transcript"][0]
