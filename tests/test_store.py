"""The session store: create, open, save, close, list, rename, delete, migration, permissions."""

import hashlib
import os
import stat
import sys
import tomllib

import pytest

from reflect_bot import store as store_module
from reflect_bot.locations import Settings
from reflect_bot.session import Answer, NextStep, now
from reflect_bot.store import (
    SaveError,
    SessionError,
    SessionStore,
    changed_statements,
    missing_statements,
    updated_since,
)


@pytest.fixture
def store(tmp_path):
    s = SessionStore(tmp_path / "sessions")
    yield s
    s.close_all()


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_saves_at_once_and_open_returns_the_same_session(store, framework):
    session = store.create(framework, "Oak Primary")
    path = store.path_of(session)
    assert path == store.path_for("Oak Primary") and path.is_file()
    record = session.record("teaching-learning.3")
    record.answers.append(
        Answer(
            question_id="q",
            kind="evidence",
            question="How do you know?",
            text="Book looks.",
            at=now(),
        )
    )
    record.tier = "strengthening"
    record.next_steps.append(NextStep(what="Moderate", who="SENCo", by_when="Easter"))
    session.conversation.state = "tier"
    session.conversation.statement_id = "teaching-learning.3"
    session.say("leader", "Book looks.")
    store.save(session)
    store.close(session)

    again = store.open("Oak Primary", framework)
    assert again == session
    assert store.path_of(again) == path


def test_the_file_is_plain_toml_a_person_can_read(store, framework):
    session = store.create(framework, "oak")
    session.say("leader", "First line\nsecond line")
    path = store.save(session)
    text = path.read_text("utf-8")
    assert text.startswith("# A reflect-bot session")
    assert text.rstrip().endswith("# end of session")
    assert 'schema_version = 1\nname = "oak"\nframework_id = "inclusion-audit-pilot"' in text
    assert "+00:00" in text  # times in UTC with their offset
    assert "[[transcript]]" in text and "First line\nsecond line" in text
    data = tomllib.loads(text)
    assert data["transcript"][0]["text"] == "First line\nsecond line"


def test_save_updates_the_time_and_replaces_the_file_atomically(store, framework, monkeypatch):
    session = store.create(framework, "oak")
    path = store.path_of(session)
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((os.path.dirname(src), os.path.basename(src), dst))
        real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", spy)
    store.save(session)
    ((folder, temp_name, target),) = calls
    assert folder == str(path.parent) and temp_name.endswith(".tmp") and target == path
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_a_failed_save_keeps_the_last_save_and_says_so(store, framework, monkeypatch):
    session = store.create(framework, "oak")
    path = store.path_of(session)
    before = digest(path)
    session.label = "changed"

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store_module.os, "replace", refuse)
    with pytest.raises(SaveError, match="The last save is kept") as caught:
        store.save(session)
    assert "\n" not in str(caught.value)
    assert digest(path) == before
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_a_full_disk_keeps_the_last_save(store, framework, monkeypatch):
    session = store.create(framework, "oak")
    path = store.path_of(session)
    before = digest(path)
    session.say("leader", "x" * 100_000)

    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "write", full)
    with pytest.raises(SaveError, match="No space left on device"):
        store.save(session)
    monkeypatch.undo()
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [".oak.lock", "oak.toml"]
    store.save(session)  # and once there is room again, the next save works
    assert digest(path) != before


def test_on_windows_a_refused_replace_is_retried(store, framework, monkeypatch):
    session = store.create(framework, "oak")
    attempts = []
    real_replace = os.replace

    def busy_twice(src, dst):
        attempts.append(dst)
        if len(attempts) <= 2:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)

    monkeypatch.setattr(store_module, "_RETRY_REFUSED_REPLACE", True)
    monkeypatch.setattr(store_module, "_REPLACE_WAIT", 0)
    monkeypatch.setattr(store_module.os, "replace", busy_twice)
    session.label = "after retry"
    store.save(session)
    assert len(attempts) == 3
    assert 'label = "after retry"' in store.path_of(session).read_text("utf-8")


def test_on_windows_a_replace_still_refused_says_another_program_has_it(
    store, framework, monkeypatch
):
    session = store.create(framework, "oak")
    before = digest(store.path_of(session))

    def busy(src, dst):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(store_module, "_RETRY_REFUSED_REPLACE", True)
    monkeypatch.setattr(store_module, "_REPLACE_WAIT", 0)
    monkeypatch.setattr(store_module.os, "replace", busy)
    with pytest.raises(SaveError, match="Another program is using the file"):
        store.save(session)
    assert digest(store.path_of(session)) == before


def test_create_refuses_an_existing_name(store, framework):
    store.close(store.create(framework, "oak"))
    with pytest.raises(SessionError, match="A session called 'oak' already exists"):
        store.create(framework, "oak")


def test_default_names_are_unique(store, framework):
    first = store.create(framework)
    second = store.create(framework)
    assert first.name.startswith("reflection-") and second.name == f"{first.name}-2"


def test_list_is_newest_first_with_progress_and_most_recent(store, framework):
    older = store.create(framework, "older")
    older.conversation.scope = [s.id for s in framework.statements]
    for statement in framework.statements[:7]:
        older.record(statement.id).status = "done"
    older.conversation.state = "ask_evidence"
    older.conversation.statement_id = "pupils-parents-carers.3"
    path = store.save(older)
    store.close(older)
    store.close(store.create(framework, "newer"))
    # make the order certain whatever the clock's resolution
    lines = path.read_text("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("updated = "))
    lines[index] = "updated = 2020-01-01 09:00:00+00:00"
    path.write_text("\n".join(lines) + "\n", "utf-8")

    infos = store.list()
    assert [i.name for i in infos] == ["newer", "older"]
    old = infos[1]
    assert old.readable and old.progress == "7/10"
    assert old.state == "ask_evidence" and old.statement_id == "pupils-parents-carers.3"
    assert store.most_recent() == "newer"


def test_an_empty_or_missing_folder_lists_nothing(tmp_path):
    store = SessionStore(tmp_path / "nowhere")
    assert store.list() == [] and store.most_recent() is None
    assert not (tmp_path / "nowhere").exists()  # listing creates nothing


def test_open_finds_a_session_by_file_name_and_by_case_insensitive_name(store, framework):
    store.close(store.create(framework, "Oak Primary"))
    stem = store.path_for("Oak Primary").stem
    store.close(store.open(stem, framework))
    store.close(store.open("oak primary", framework))
    with pytest.raises(SessionError, match="There is no session called 'elm'"):
        store.open("elm", framework)


def test_rename_moves_the_session_to_its_new_file(store, framework):
    session = store.create(framework, "oak")
    session.say("leader", "kept")
    store.save(session)
    store.close(session)
    path = store.rename("oak", "Oak Primary 2025")
    assert path == store.path_for("Oak Primary 2025") and path.is_file()
    assert not store.path_for("oak").exists()
    renamed = store.open("Oak Primary 2025", framework)
    assert renamed.name == "Oak Primary 2025" and renamed.transcript[0].text == "kept"


def test_rename_refuses_a_name_in_use_and_an_open_session(store, framework):
    store.close(store.create(framework, "oak"))
    store.create(framework, "elm")  # left open
    with pytest.raises(SessionError, match="already exists"):
        store.rename("oak", "elm")
    with pytest.raises(SessionError, match="is open in another reflect-bot window"):
        store.rename("elm", "ash")
    assert store.path_for("oak").is_file() and store.path_for("elm").is_file()


def test_delete_removes_the_file_and_its_lock(store, framework):
    store.close(store.create(framework, "oak"))
    path = store.delete("oak")
    assert not path.exists()
    assert list(path.parent.iterdir()) == []


def test_delete_refuses_an_open_session(store, framework):
    store.create(framework, "oak")
    with pytest.raises(SessionError, match="is open in another reflect-bot window"):
        store.delete("oak")
    assert store.path_for("oak").is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_folder_is_0700_and_files_0600(tmp_path, framework):
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        store = SessionStore(tmp_path / "deep" / "sessions")
        session = store.create(framework, "oak")
        path = store.save(session)
        mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
        assert mode(tmp_path / "deep" / "sessions") == 0o700
        assert mode(path) == 0o600
        assert mode(path.with_name(f".{path.stem}.lock")) == 0o600
        store.close(session)
    finally:
        os.umask(old_umask)


# --- older framework versions ---------------------------------------------------------------


def test_statements_changed_or_gone_since_the_session_are_flagged_and_kept(store, framework):
    session = store.create(framework, "oak")
    current = framework.statement("teaching-learning.2")
    session.record("teaching-learning.2").statement_hash = current.text_hash
    old = session.record("teaching-learning.3")
    old.statement_hash = "0123456789ab"  # reflected on against different wording
    old.tier = "foundations"
    session.record("teaching-learning.4")  # never reflected on: no hash, never flagged
    gone = session.record("teaching-learning.9")
    gone.answers.append(
        Answer(
            question_id="q",
            kind="working_well",
            question="What works?",
            text="Peer tutoring",
            at=now(),
        )
    )
    gone.tier = "excellence"
    session.framework_version = "pilot-older"
    store.save(session)
    store.close(session)

    resumed = store.open("oak", framework)
    assert changed_statements(resumed, framework) == ["teaching-learning.3"]
    assert missing_statements(resumed, framework) == ["teaching-learning.9"]
    notices = store.take_notices()
    assert any("updated since you last reflected on 1 statement" in n for n in notices)
    assert any("Teaching & Learning 3" in n for n in notices)
    assert updated_since(resumed.find_record("teaching-learning.3"), framework)
    assert not updated_since(resumed.find_record("teaching-learning.2"), framework)
    assert any("teaching-learning.9" in n and "kept" in n for n in notices)
    assert resumed.framework_version == framework.version
    path = store.save(resumed)
    saved = tomllib.loads(path.read_text("utf-8"))
    kept = [r for r in saved["statements"] if r["statement_id"] == "teaching-learning.9"]
    assert kept and kept[0]["answers"][0]["text"] == "Peer tutoring"


# --- schema migration -----------------------------------------------------------------------


def test_an_older_schema_version_is_migrated_and_the_original_kept(store, framework, monkeypatch):
    session = store.create(framework, "oak")
    session.label = "Oak Primary"
    path = store.save(session)
    store.close(session)
    # Pretend this copy reads format 2, in which "label" was called "school" in format 1.
    original = path.read_text("utf-8").replace('label = "Oak Primary"', 'school = "Oak Primary"')
    path.write_text(original, "utf-8")
    original_digest = digest(path)

    def one_to_two(data):
        data["label"] = data.pop("school")
        return data

    monkeypatch.setattr("reflect_bot.session.SCHEMA_VERSION", 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 1, one_to_two)
    migrated = store.open("oak", framework)
    assert migrated.label == "Oak Primary" and migrated.schema_version == 2
    backup = path.with_name(f"{path.name}.format-1.bak")
    assert digest(backup) == original_digest
    assert "schema_version = 2" in path.read_text("utf-8")
    assert any(backup.name in n for n in store.take_notices())
    if sys.platform != "win32":
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    # the backup is not a session of its own, and it goes when the session is deleted
    assert [i.name for i in store.list()] == ["oak"]
    store.close(migrated)
    store.delete("oak")
    assert not backup.exists() and list(path.parent.iterdir()) == []


def test_a_format_with_no_migration_is_refused_unchanged(store, framework, monkeypatch):
    session = store.create(framework, "oak")
    path = store.path_of(session)
    store.close(session)
    before = digest(path)
    monkeypatch.setattr("reflect_bot.session.SCHEMA_VERSION", 3)
    monkeypatch.setattr(store_module, "MIGRATIONS", {})
    with pytest.raises(SessionError, match="cannot convert session format 1"):
        store.open("oak", framework)
    assert digest(path) == before


# --- resuming exactly -----------------------------------------------------------------------


def test_a_resumed_session_stands_exactly_where_it_stood(store, framework):
    from reflect_bot.dialogue import Engine
    from reflect_bot.prompts import load_bank

    engine = Engine(framework, load_bank(Settings.load().prompts_dir))
    session = store.create(framework, "oak")
    engine.start(session)
    script = [
        "Oak Primary",
        "1",
        "SENCo",
        "1",
        "Visual timetables in every class.",
        "Lesson visits and book looks.",
        "/back",
        "Lesson visits, book looks, pupil voice.",
    ]
    for text in script:
        engine.step(session, text)
        store.save(session)
    store.close(session)

    resumed = store.open("oak", framework)
    assert resumed == session  # answers, choices, back-history and transcript
    assert engine.expected(resumed) == engine.expected(session)
    assert resumed.history and resumed.history == session.history
