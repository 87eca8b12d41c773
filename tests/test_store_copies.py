"""A session file copied by the leader (a backup) is a session of its own: the file identifies a
session, not the name inside it, which the copy shares.

Listing shows each file once and names the files when names clash; a shared name is refused as
ambiguous rather than one file picked; saving and locking keep to the file opened, so a copy
never overwrites the original or the other way round; the start screen lists and opens both.
"""

import io
import shutil
import sys

import pytest
from test_app_support import WIDE, app_for, settings_for
from textual.widgets import OptionList

from reflect_bot.app.screens.chat import ChatScreen
from reflect_bot.app.screens.start import StartScreen
from reflect_bot.cli import main
from reflect_bot.store import SessionError, SessionStore

NAME = "reflection-2026-12-04"
COPY = f"{NAME} (copy).toml"


def made(folder, framework, words="Visual timetables in every class."):
    """A saved session called NAME with a leader's answer in it; its file."""
    store = SessionStore(folder)
    session = store.create(framework, NAME)
    session.label = "Oakfield Primary"
    session.say("leader", words)
    path = store.save(session)
    store.close(session)
    return path


@pytest.fixture
def copied(tmp_path, framework):
    """The original and a copy of it made beside it, as `cp` makes one."""
    folder = tmp_path / "sessions"
    original = made(folder, framework)
    copy = folder / COPY
    shutil.copy(original, copy)
    return original, copy


def test_each_file_is_listed_once_with_a_handle_that_picks_it_out(copied):
    original, copy = copied
    infos = SessionStore(original.parent).list()
    assert sorted(info.path.name for info in infos) == sorted([original.name, COPY])
    assert {info.name for info in infos} == {NAME}
    assert {info.handle for info in infos} == {original.name, COPY}  # the names clash
    store = SessionStore(original.parent)
    assert {store.find(info.handle) for info in infos} == {original, copy}


def test_a_shared_name_is_refused_as_ambiguous_naming_the_files(copied, framework):
    original, copy = copied
    store = SessionStore(original.parent)
    with pytest.raises(SessionError) as raised:
        store.open(NAME, framework)
    message = str(raised.value)
    assert f"More than one session file in {original.parent} is called '{NAME}'" in message
    assert original.name in message and COPY in message and "give the file name" in message
    # the file name, with or without .toml, picks one
    assert store.find(COPY) == copy and store.find(COPY.removesuffix(".toml")) == copy
    assert store.find(original.name) == original


def test_saving_a_copy_never_touches_the_original_nor_the_other_way_round(copied, framework):
    original, copy = copied
    before = original.read_bytes()
    first, second = SessionStore(original.parent), SessionStore(original.parent)
    from_copy = first.open(COPY, framework)  # both open at once: a lock each
    from_original = second.open(original.name, framework)
    from_copy.say("leader", "Only in the copy.")
    assert first.save(from_copy) == copy
    assert original.read_bytes() == before
    copy_bytes = copy.read_bytes()
    from_original.say("leader", "Only in the original.")
    assert second.save(from_original) == original
    assert copy.read_bytes() == copy_bytes
    assert second.handle_of(from_original) == original.name  # what to type to resume it
    first.close(from_copy)
    second.close(from_original)
    assert "Only in the copy." in copy.read_text("utf-8")
    assert "Only in the copy." not in original.read_text("utf-8")


def test_the_name_alone_is_enough_again_once_it_is_unique(copied, framework):
    original, copy = copied
    store = SessionStore(original.parent)
    assert store.most_recent() in (original.name, COPY)  # never the ambiguous name
    store.rename(COPY, "backup")
    assert original.is_file() and not copy.exists()
    assert {info.handle for info in store.list()} == {NAME, "backup"}
    session = store.open(NAME, framework)
    assert store.path_of(session) == original and store.handle_of(session) == NAME
    store.close(session)


def test_a_name_a_copy_holds_is_taken(copied, framework):
    original, copy = copied
    store = SessionStore(original.parent)
    store.rename(original.name, "autumn")  # the copy now alone holds NAME, in another file
    with pytest.raises(SessionError, match=f"A session called '{NAME}' already exists"):
        store.create(framework, NAME)
    with pytest.raises(SessionError) as raised:
        store.rename("autumn", NAME)
    assert f"A session called '{NAME}' already exists ({COPY})" in str(raised.value)
    assert (original.parent / "autumn.toml").is_file()
    copy_bytes = copy.read_bytes()
    session = store.create(framework)  # a default name skips the names copies hold
    assert session.name != NAME
    store.close(session)
    assert copy.read_bytes() == copy_bytes


def test_opening_by_name_reads_only_the_top_of_the_other_files(tmp_path, framework, monkeypatch):
    """Every file's name is checked, but not by reading each file whole (a long session takes a
    while to read); a hand-edited file whose name is written otherwise is read whole."""
    import reflect_bot.store as store_module

    folder = tmp_path / "sessions"
    path = made(folder, framework)
    edited = folder / "edited.toml"
    text = path.read_text("utf-8").replace(f'name = "{NAME}"', "name='autumn'  # renamed")
    edited.write_text(text, encoding="utf-8")
    whole = []
    load_file = store_module.load_file
    monkeypatch.setattr(store_module, "load_file", lambda p: whole.append(p.name) or load_file(p))
    store = SessionStore(folder)
    assert store.find(NAME) == path
    assert whole == ["edited.toml"]  # only the file whose name is not where reflect-bot puts it
    assert store.find("autumn") == edited


def test_sessions_list_names_the_files_and_resume_opens_either(copied, capsys, monkeypatch):
    original, copy = copied
    folder = str(original.parent)
    assert main(["--sessions-dir", folder, "sessions", "list"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if NAME in line]
    assert len(rows) == 2
    assert any(f"file {COPY}" in row for row in rows)
    assert any(f"file {original.name}" in row for row in rows)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--sessions-dir", folder, "resume", NAME, "--plain"]) == 1
    err = capsys.readouterr().err
    assert "More than one session file" in err and COPY in err
    before = original.read_bytes()
    assert main(["--sessions-dir", folder, "resume", COPY, "--plain"]) == 0
    assert f"({copy})" in capsys.readouterr().out
    assert original.read_bytes() == before
    assert main(["--sessions-dir", folder, "resume", "--plain"]) == 0  # the most recent


async def test_the_start_screen_lists_both_and_opens_the_one_chosen(tmp_path, framework):
    folder = settings_for(tmp_path).sessions_dir
    original = made(folder, framework)
    copy = folder / COPY
    shutil.copy(original, copy)
    before = original.read_bytes()
    app = app_for(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        sessions = app.screen.query_one("#sessions", OptionList)
        prompts = {
            sessions.get_option_at_index(i).id: str(sessions.get_option_at_index(i).prompt)
            for i in range(sessions.option_count)
        }
        assert set(prompts) == {original.name, COPY}
        assert f"file {COPY}" in prompts[COPY]
        assert f"file {original.name}" in prompts[original.name]
        sessions.highlighted = sessions.get_option_index(COPY)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.store.path_of(app.session) == copy
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert original.read_bytes() == before
    # the command printed to carry on picks out the copy, not the name both files hold
    assert f"resume '{COPY}'" in app.farewell
