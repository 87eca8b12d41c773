"""`reflect-bot sessions list|rename|delete`."""

import io

import pytest

from reflect_bot.cli import main
from reflect_bot.dialogue import STATES
from reflect_bot.store import SessionStore


@pytest.fixture
def folder(tmp_path, framework):
    store = SessionStore(tmp_path)
    session = store.create(framework, "Oak Primary")
    session.label = "Oak Primary School"
    session.conversation.scope = [s.id for s in framework.statements]
    for statement in framework.statements[:7]:
        session.record(statement.id).status = "done"
    session.conversation.statement_id = "teaching-learning.3"
    session.conversation.state = "tier"
    store.save(session)
    store.close(session)
    return tmp_path


def run(folder, *args, stdin=""):
    return main(["--sessions-dir", str(folder), "sessions", *args])


def test_list_shows_name_label_times_progress_and_where_it_stands(folder, capsys):
    (folder / "broken.toml").write_text("")
    assert run(folder, "list") == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "Oak Primary" in line)
    assert "Oak Primary School" in line and "created " in line and "updated " in line
    assert "7/10" in line and "at Teaching & Learning 3 (" in line and ", choosing a tier" in line
    assert "teaching-learning.3" not in line
    assert "broken.toml: unreadable: the file is empty" in out


def test_list_of_an_empty_folder(tmp_path, capsys):
    assert main(["--sessions-dir", str(tmp_path / "none"), "sessions", "list"]) == 0
    assert "No sessions yet" in capsys.readouterr().out


def test_rename(folder, capsys):
    assert run(folder, "rename", "Oak Primary", "Oak 2025") == 0
    assert "Renamed 'Oak Primary' to 'Oak 2025'" in capsys.readouterr().out
    assert [i.name for i in SessionStore(folder).list()] == ["Oak 2025"]


def test_errors_exit_non_zero_with_one_line(folder, capsys):
    assert run(folder, "rename", "Elm", "Ash") == 1
    err = capsys.readouterr().err
    assert err.startswith("reflect-bot: There is no session called 'Elm'")
    assert err.count("\n") == 1
    assert run(folder, "rename", "Oak Primary", "two\nlines") == 1
    assert "line breaks" in capsys.readouterr().err


def test_delete_asks_first(folder, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run(folder, "delete", "Oak Primary") == 1
    assert "Not deleted" in capsys.readouterr().out
    assert len(SessionStore(folder).list()) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer at all
    assert run(folder, "delete", "Oak Primary") == 1
    assert len(SessionStore(folder).list()) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert run(folder, "delete", "Oak Primary") == 0
    assert "Deleted 'Oak Primary'" in capsys.readouterr().out
    assert SessionStore(folder).list() == []


def test_delete_yes_does_not_ask(folder, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(folder, "delete", "Oak Primary", "--yes") == 0
    assert SessionStore(folder).list() == []


@pytest.mark.parametrize("state", sorted(STATES))
def test_list_says_where_each_session_stands_in_words(tmp_path, framework, capsys, state):
    store = SessionStore(tmp_path)
    session = store.create(framework, "Elm")
    session.conversation.statement_id = "pupils-parents-carers.5" if state != "done" else ""
    session.conversation.state = state
    store.save(session)
    store.close(session)
    assert run(tmp_path, "list") == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "Elm" in line)
    where = line.rsplit("|", 1)[-1].strip()
    assert "_" not in where and "pupils-parents-carers" not in where
    assert where == "finished" or where.startswith("at ") or where == "between statements"
    if state == "revise":
        assert where.startswith("at Pupils, Parents & Carers 5 (")
        assert where.endswith(", deciding whether to revise")
    if state == "done":
        assert where == "finished"
