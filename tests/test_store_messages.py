"""What a leader is told about a damaged or hand-edited session file: the file, the line, what is
wrong in plain words (no parser's jargon) and what to do."""

import io
import sys

import pytest

from reflect_bot.cli import main
from reflect_bot.dialogue import STATES
from reflect_bot.session import CONVERSATION_STATES
from reflect_bot.store import SessionError, SessionStore, load_file

JARGON = ("Invalid initial character", "key part", "TOML", "column")


@pytest.fixture
def saved(tmp_path, framework):
    """A saved, finished session with a tier and a hint, and some conversation."""
    store = SessionStore(tmp_path / "sessions")
    session = store.create(framework, "oak")
    session.conversation.state = "done"
    record = session.record("teaching-learning.1")
    record.status, record.tier, record.hint_tier = "done", "strengthening", "excellence"
    other = session.record("teaching-learning.2")
    other.tier, other.hint_tier = "excellence", "excellence"
    for n in range(30):
        session.say("leader", f"Answer {n}")
    path = store.save(session)
    store.close(session)
    return path


def line_number(path, text):
    lines = path.read_text("utf-8").split("\n")
    return lines.index(text) + 1


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refusal(path):
    with pytest.raises(SessionError) as raised:
        load_file(path)
    return raised.value


def test_a_line_added_at_the_end_is_named_not_called_a_cut(saved):
    with saved.open("a", encoding="utf-8") as file:
        file.write("[[[garbage\n")
    number = line_number(saved, "[[[garbage")
    error = refusal(saved)
    assert str(error).startswith(f"{saved}: line {number} ([[[garbage) is not valid")
    assert "cut short" not in str(error)
    assert not any(word in error.problem for word in JARGON)
    assert f"Correct or remove line {number}" in error.advice and "backup" in error.advice
    (info,) = SessionStore(saved.parent).list()
    assert not info.readable and info.reason.startswith(f"line {number} ([[[garbage)")


def test_a_line_in_the_middle_says_what_is_wrong_with_it(saved):
    edit(saved, 'text = "Answer 7"', 'text = "Answer 7"\ntext = "twice"')
    number = line_number(saved, 'text = "twice"')
    error = refusal(saved)
    assert error.problem == f'line {number} (text = "twice") sets something that is set already'


def test_something_after_the_last_line_is_named(saved):
    with saved.open("a", encoding="utf-8") as file:
        file.write("\nextra = 1\n")
    number = line_number(saved, "extra = 1")
    error = refusal(saved)
    assert error.problem == f"line {number} comes after the line '# end of session', which " + (
        "should be the last"
    )
    assert f"Remove line {number}" in error.advice


def test_a_file_cut_short_still_says_so_with_the_line(saved):
    raw = saved.read_bytes()
    cut = raw[: raw.index(b'"Answer 20"') + 5]  # part-way through a line
    saved.write_bytes(cut)
    number = cut.count(b"\n") + 1
    error = refusal(saved)
    assert error.problem == f"the file is cut short: it stops part-way through line {number}"
    assert not any(word in str(error) for word in JARGON)


def test_a_file_that_is_not_a_session_keeps_its_own_message(tmp_path):
    path = tmp_path / "letter.toml"
    path.write_text("Dear governors,\nplease find attached.\n", encoding="utf-8")
    error = refusal(path)
    assert error.problem == "it does not look like a reflect-bot session (line 1 is not valid TOML)"


def test_an_unknown_state_is_unreadable_in_the_list_and_opening_it_names_the_file(
    saved, framework, capsys, monkeypatch
):
    edit(saved, 'state = "done"', 'state = "bogus"')
    number = line_number(saved, 'state = "bogus"')
    before = saved.read_bytes()
    (info,) = SessionStore(saved.parent).list(framework)
    assert not info.readable
    assert info.reason.startswith(f"the session's conversation state (line {number}) is 'bogus'")
    with pytest.raises(SessionError) as raised:
        SessionStore(saved.parent).open("oak", framework)
    assert str(raised.value).startswith(f"{saved}: the session's conversation state")
    folder = str(saved.parent)
    assert main(["--sessions-dir", folder, "sessions", "list"]) == 0
    out = capsys.readouterr().out
    assert f"{saved.name}: unreadable: the session's conversation state" in out
    assert "finished" not in out
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--sessions-dir", folder, "resume", "oak", "--plain"]) == 1
    assert f"reflect-bot: {saved}: the session's conversation state" in capsys.readouterr().err
    assert saved.read_bytes() == before


def test_an_unknown_or_missing_held_state_at_the_reminder_names_the_file(saved, framework):
    edit(saved, 'state = "done"', 'state = "privacy"')
    with pytest.raises(SessionError) as raised:
        SessionStore(saved.parent).open("oak", framework)
    assert str(raised.value).startswith(
        f"{saved}: the session is at the personal-data reminder, but the question it holds an "
        "answer for (held_state) is missing"
    )
    edit(saved, "[conversation.pending]\n", '[conversation.pending]\nheld_state = "wokring"\n')
    with pytest.raises(SessionError) as raised:
        SessionStore(saved.parent).open("oak", framework)
    number = line_number(saved, 'held_state = "wokring"')
    assert str(raised.value).startswith(f"{saved}: the session's held_state (line {number})")
    assert 'Correct it to the question it was for (for example "working_well")' in str(raised.value)


@pytest.mark.parametrize("field", ["hint_tier", "tier"])
def test_a_misspelt_tier_names_its_field_and_line(saved, framework, field):
    old = 'statement_id = "teaching-learning.1"\nstatus = "done"'
    text = saved.read_text("utf-8")
    start = text.index(old)
    wrong = "strengthening" if field == "tier" else "excellence"
    at = text.index(f'\n{field} = "{wrong}"', start) + 1
    saved.write_text(text[:at] + text[at:].replace(wrong, "excelent", 1), encoding="utf-8")
    number = line_number(saved, f'{field} = "excelent"')
    (info,) = SessionStore(saved.parent).list(framework)
    assert info.reason.startswith(
        "the session has an unknown tier 'excelent' for statement teaching-learning.1, "
        f"in its {field} line (line {number})"
    )
    assert f"Edit {field} to one of foundations, strengthening, excellence" in info.reason


def test_the_states_the_store_knows_are_the_dialogue_s():
    assert set(STATES) == CONVERSATION_STATES
