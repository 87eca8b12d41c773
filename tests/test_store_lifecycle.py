"""What happens around a session's life: empty starts, a folder deleted meanwhile, backups,
the sessions folder's permissions, and the framework-change helpers shared with the engine."""

import hashlib
import os
import shutil
import stat
import sys

import pytest

from reflect_bot import revisions
from reflect_bot import store as store_module
from reflect_bot.session import Answer, now
from reflect_bot.store import SaveError, SessionStore

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and locks")


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "sessions"


def files(folder):
    return sorted(p.name for p in folder.iterdir())


# --- an aborted start leaves nothing behind -----------------------------------------------------


def test_a_new_unnamed_session_closed_with_nothing_typed_is_removed(folder, framework):
    store = SessionStore(folder)
    session = store.create(framework)
    session.say("bot", "Hello. Which school or setting is this reflection for?")
    for command in ("/help", "/tiers", "/save", "/export html", "/QUIT"):  # nothing of theirs
        session.say("leader", command)
    store.save(session)
    assert files(folder) == [f".{session.name}.lock", f"{session.name}.toml"]
    assert store.close(session) is True
    assert files(folder) == []
    assert store.list() == [] and store.most_recent() is None


@pytest.mark.parametrize(
    "leader_input",
    [
        lambda s: s.say("leader", "Oak Primary"),
        lambda s: s.say("leader", ""),  # Enter on the optional label: the conversation moved on
        lambda s: s.say("leader", "/go 3"),
        lambda s: setattr(s, "label", "Oak Primary"),
        lambda s: s.record("teaching-learning.1").answers.append(
            Answer(question_id="q", kind="evidence", question="How?", text="Visits", at=now())
        ),
        lambda s: setattr(s.record("teaching-learning.1"), "tier", "foundations"),
    ],
    ids=["a-leader-turn", "an-empty-turn", "a-go-command", "a-label", "an-answer", "a-tier"],
)
def test_a_new_session_with_any_leader_input_is_kept(folder, framework, leader_input):
    store = SessionStore(folder)
    session = store.create(framework)
    leader_input(session)
    store.save(session)
    assert store.close(session) is False
    assert [i.name for i in store.list()] == [session.name]


def test_leader_input_saved_by_another_route_keeps_the_file(folder, framework):
    """The file on disk is checked too: what it holds from the leader is never removed."""
    store = SessionStore(folder)
    session = store.create(framework)
    session.say("leader", "Oak Primary")
    store.save(session)
    session.transcript.clear()  # the copy in memory lost it; the file still has it
    assert store.close(session) is False
    assert [i.name for i in store.list()] == [session.name]


def test_named_and_reopened_sessions_are_never_removed(folder, framework):
    store = SessionStore(folder)
    store.close(store.create(framework, "oak"))  # the leader chose this name
    unnamed = store.create(framework)
    unnamed.say("leader", "Elm Academy")
    store.save(unnamed)
    store.close(unnamed)
    reopened = store.open(unnamed.name, framework)
    reopened.transcript.clear()  # even with nothing in it, a session from disk stays
    store.save(reopened)
    store.close(reopened)
    assert sorted(i.name for i in store.list()) == sorted(["oak", unnamed.name])


def test_close_all_removes_empty_new_sessions_too(folder, framework):
    store = SessionStore(folder)
    store.create(framework)
    store.close_all()
    assert files(folder) == []


# --- the folder or the lock deleted while a session is open -------------------------------------


@posix_only
def test_a_save_after_the_folder_was_deleted_makes_it_again_with_the_lock(folder, framework):
    store = SessionStore(folder)
    session = store.create(framework, "oak")
    shutil.rmtree(folder)
    session.say("leader", "Visual timetables in every class.")
    path = store.save(session)
    assert path.is_file() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / ".oak.lock").is_file()
    # the lock is real again: a second copy is refused
    other = SessionStore(folder)
    with pytest.raises(store_module.SessionError, match="open in another reflect-bot window"):
        other.open("oak", framework)
    store.close(session)
    assert not (folder / ".oak.lock").exists()
    reopened = other.open("oak", framework)
    assert reopened.transcript[-1].text == "Visual timetables in every class."
    other.close(reopened)


@posix_only
def test_a_save_refuses_when_another_copy_took_the_lock_meanwhile(folder, framework):
    store = SessionStore(folder)
    session = store.create(framework, "oak")
    session.say("leader", "First answer.")
    store.save(session)
    (folder / ".oak.lock").unlink()  # e.g. a clean-up tool removed it
    other = SessionStore(folder)
    theirs = other.open("oak", framework)
    before = hashlib.sha256((folder / "oak.toml").read_bytes()).hexdigest()

    session.say("leader", "Second answer.")
    with pytest.raises(SaveError) as caught:
        store.save(session)
    message = str(caught.value)
    assert "another copy of reflect-bot has opened it" in message and "\n" not in message
    assert hashlib.sha256((folder / "oak.toml").read_bytes()).hexdigest() == before
    # closing this copy does not take away the other copy's lock
    store.close(session)
    assert (folder / ".oak.lock").is_file()
    other.save(theirs)
    other.close(theirs)


@posix_only
def test_a_save_after_only_the_lock_was_deleted_takes_it_again(folder, framework):
    store = SessionStore(folder)
    session = store.create(framework, "oak")
    (folder / ".oak.lock").unlink()
    store.save(session)
    assert (folder / ".oak.lock").is_file()
    with pytest.raises(store_module.SessionError, match="open in another reflect-bot window"):
        SessionStore(folder).open("oak", framework)
    store.close(session)


# --- backups made before a migration ------------------------------------------------------------


@pytest.fixture
def migrated(folder, framework, monkeypatch):
    """A session "oak" migrated from format 1 to 2, with its backup beside it."""
    store = SessionStore(folder)
    session = store.create(framework, "oak")
    session.say("leader", "Oak Primary")
    store.save(session)
    store.close(session)
    monkeypatch.setattr("reflect_bot.session.SCHEMA_VERSION", 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 1, lambda data: data)
    store.close(store.open("oak", framework))
    assert (folder / "oak.toml.format-1.bak").is_file()
    return store


def test_backups_are_not_listed_counted_or_found(migrated, folder, framework):
    # a backup someone renamed to end in .toml is still a backup, not a second "oak"
    shutil.copy(folder / "oak.toml.format-1.bak", folder / "oak.format-1.bak.toml")
    infos = migrated.list(framework)
    assert [i.path.name for i in infos] == ["oak.toml"]
    assert migrated.most_recent(framework) == "oak"
    assert migrated.find("oak") == folder / "oak.toml"


def test_rename_takes_the_backups_along_and_delete_removes_them(migrated, folder):
    migrated.rename("oak", "elm")
    assert files(folder) == ["elm.toml", "elm.toml.format-1.bak"]
    assert [i.name for i in migrated.list()] == ["elm"]
    migrated.delete("elm")
    assert files(folder) == []


# --- the sessions folder is private -------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("use", ["list", "create", "open"])
def test_an_existing_sessions_folder_is_made_private_but_not_its_parent(tmp_path, framework, use):
    parent = tmp_path / "checkout"
    folder = parent / "sessions"
    first = SessionStore(folder)
    first.close(first.create(framework, "oak"))
    os.chmod(folder, 0o755)  # as a git checkout or an unzipped download leaves it
    os.chmod(parent, 0o755)
    store = SessionStore(folder)
    if use == "list":
        store.list()
    elif use == "create":
        store.close(store.create(framework, "elm"))
    else:
        store.close(store.open("oak", framework))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(parent.stat().st_mode) == 0o755


# --- one copy of the framework-change logic -----------------------------------------------------


def test_the_store_uses_the_engines_framework_change_helpers():
    assert store_module.updated_since is revisions.updated_since
    assert store_module.missing_statements is revisions.missing_statements
