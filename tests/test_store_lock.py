"""One session, one writer: a second copy is refused; a lock left by a dead process is recovered."""

import os
import signal
import socket
import subprocess
import sys
import textwrap

import pytest

from reflect_bot.store import SessionError, SessionStore

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

HOLDER = textwrap.dedent(
    """
    import sys
    from reflect_bot.framework import load_framework
    from reflect_bot.locations import Settings
    from reflect_bot.store import SessionStore

    framework = load_framework(Settings.load().framework_dir)
    store = SessionStore(sys.argv[1])
    session = store.open("oak", framework)
    print("holding", flush=True)
    sys.stdin.read()  # hold the session until told to stop (or killed)
    store.close(session)
    """
)


@pytest.fixture
def folder(tmp_path, framework):
    store = SessionStore(tmp_path)
    store.close(store.create(framework, "oak"))
    return tmp_path


def start_holder(folder):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"  # waits until it holds the lock
    return holder


def test_a_second_process_is_refused_with_a_clear_message(folder, framework):
    holder = start_holder(folder)
    try:
        before = (folder / "oak.toml").read_bytes()
        store = SessionStore(folder)
        with pytest.raises(SessionError) as caught:
            store.open("oak", framework)
        message = str(caught.value)
        assert "is open in another reflect-bot window" in message
        assert "\n" not in message
        with pytest.raises(SessionError, match="open in another reflect-bot window"):
            store.delete("oak")
        with pytest.raises(SessionError, match="open in another reflect-bot window"):
            store.rename("oak", "elm")
        assert [i.in_use for i in store.list()] == [True]
        assert (folder / "oak.toml").read_bytes() == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    # closed normally: free again, and the lock file is gone
    assert sorted(p.name for p in folder.iterdir()) == ["oak.toml"]
    store = SessionStore(folder)
    store.close(store.open("oak", framework))


def test_a_lock_left_by_a_killed_process_is_recovered(folder, framework):
    holder = start_holder(folder)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    assert (folder / ".oak.lock").exists()  # left behind by the killed process
    store = SessionStore(folder)
    session = store.open("oak", framework)
    session.label = "recovered"
    store.save(session)
    store.close(session)
    assert not (folder / ".oak.lock").exists()


def test_a_stale_lock_file_naming_a_dead_process_is_recovered(folder, framework):
    (folder / ".oak.lock").write_text("999999999 some-old-host\n")
    store = SessionStore(folder)
    session = store.open("oak", framework)
    assert (folder / ".oak.lock").read_text() == f"{os.getpid()} {socket.gethostname()}\n"
    store.close(session)


def test_two_stores_in_one_process_also_exclude_each_other(folder, framework):
    first = SessionStore(folder)
    session = first.open("oak", framework)
    with pytest.raises(SessionError, match="open in another reflect-bot window"):
        SessionStore(folder).open("oak", framework)
    first.close(session)
    second = SessionStore(folder)
    second.close(second.open("oak", framework))


def test_a_folder_that_cannot_lock_files_still_works_with_a_warning(folder, framework, monkeypatch):
    import errno
    import fcntl

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    store = SessionStore(folder)
    session = store.open("oak", framework)
    assert any("cannot lock files" in n for n in store.take_notices())
    store.save(session)
    store.close(session)
