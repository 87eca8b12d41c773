"""Damaged and foreign files: one clear line each, never overwritten, moved or deleted."""

import hashlib

import pytest

from reflect_bot.store import SessionError, SessionStore


@pytest.fixture
def good_bytes(tmp_path_factory, framework):
    """The bytes of a real session file with some answers in it."""
    store = SessionStore(tmp_path_factory.mktemp("source"))
    session = store.create(framework, "source")
    for n in range(20):
        session.say("leader", f"Answer {n}: we use visual timetables\nin every class.")
    path = store.save(session)
    store.close(session)
    return path.read_bytes()


def replace_line(raw: bytes, start: str, new: str) -> bytes:
    lines = raw.decode("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(start))
    lines[index] = new
    return "\n".join(lines).encode("utf-8")


def drop_line(raw: bytes, start: str) -> bytes:
    lines = raw.decode("utf-8").split("\n")
    return "\n".join(line for line in lines if not line.startswith(start)).encode("utf-8")


# case id -> (make the bytes from a good file, words the message must contain)
CASES = {
    "empty": (lambda raw: b"", "the file is empty"),
    "only-blank-lines": (lambda raw: b"\n\n  \n", "the file is empty"),
    "truncated-mid-way": (lambda raw: raw[: len(raw) // 2 + 7], "cut short"),
    "truncated-at-a-line": (
        lambda raw: b"\n".join(raw.split(b"\n")[: len(raw.split(b"\n")) // 2]) + b"\n",
        "cut short",
    ),
    "not-toml": (lambda raw: b"Dear governors,\nplease find attached.\n", "not valid TOML"),
    "json": (lambda raw: b'{"name": "oak"}\n', "not valid TOML"),
    "foreign-toml": (
        lambda raw: b'[project]\nname = "something-else"\n',
        "not a reflect-bot session",
    ),
    "wrong-type": (
        lambda raw: replace_line(raw, "created = ", 'created = "last Tuesday"'),
        "'created' should be a date and time",
    ),
    "wrong-type-nested": (
        lambda raw: replace_line(raw, 'role = "leader"', "role = 3"),
        "'transcript[1].role'",
    ),
    "missing-key": (lambda raw: drop_line(raw, "name = "), "the key 'name' is missing"),
    "newer-schema": (
        lambda raw: replace_line(raw, "schema_version = ", "schema_version = 99"),
        "saved by a newer reflect-bot (session format 99",
    ),
    "byte-order-mark": (lambda raw: b"\xef\xbb\xbf" + raw, "byte-order mark"),
    "not-utf8": (
        lambda raw: raw.replace(b"visual", "vis\u00fcal".encode("latin-1"), 1),
        "not UTF-8 text",
    ),
    "framework-not-installed": (
        lambda raw: replace_line(raw, "framework_id = ", 'framework_id = "send-audit-full"'),
        "framework 'send-audit-full', which is not installed",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_file_gets_one_clear_line_and_is_left_alone(
    tmp_path, framework, good_bytes, case
):
    make, words = CASES[case]
    folder = tmp_path / "sessions"
    folder.mkdir()
    path = folder / "oak.toml"
    path.write_bytes(make(good_bytes))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    store = SessionStore(folder)

    with pytest.raises(SessionError) as caught:
        store.open("oak", framework)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message
    assert message.startswith(str(path))  # names the file
    advice = ("correct", "mend", "save", "update", "restore", "--framework", "move")
    assert any(w in message.lower() for w in advice)  # says what to do

    # Nothing touches it: not a failed open, not a create under the same name, not a listing.
    with pytest.raises(SessionError, match="already exists"):
        store.create(framework, "oak")
    store.list(framework)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == ["oak.toml"]


def test_the_list_shows_unreadable_files_with_the_reason_and_the_rest(
    tmp_path, framework, good_bytes
):
    folder = tmp_path / "sessions"
    store = SessionStore(folder)
    store.close(store.create(framework, "elm"))
    (folder / "broken.toml").write_bytes(good_bytes[:100])
    (folder / "empty.toml").write_bytes(b"")
    other = replace_line(good_bytes, "framework_id = ", 'framework_id = "send-audit-full"')
    # Updated after "elm" for certain: times are kept to the second, so a copy of a file saved
    # moments earlier could tie with "elm" or fall a second before it, and the order would flip.
    (folder / "other.toml").write_bytes(
        replace_line(other, "updated = ", "updated = 2099-01-01T00:00:00Z")
    )
    (folder / "notes.txt").write_text("not a session file at all")

    infos = {i.path.name: i for i in store.list(framework)}
    assert set(infos) == {"elm.toml", "broken.toml", "empty.toml", "other.toml"}
    assert infos["elm.toml"].readable and infos["elm.toml"].name == "elm"
    assert not infos["broken.toml"].readable and "cut short" in infos["broken.toml"].reason
    assert not infos["empty.toml"].readable and "empty" in infos["empty.toml"].reason
    assert not infos["other.toml"].readable and "not installed" in infos["other.toml"].reason
    assert store.most_recent(framework) == "elm"
    assert store.most_recent() == "source"  # without a framework, any readable session


def test_leftover_temporary_files_are_not_sessions_and_are_cleared_on_open(
    tmp_path, framework, good_bytes
):
    folder = tmp_path / "sessions"
    store = SessionStore(folder)
    store.close(store.create(framework, "oak"))
    leftover = folder / ".oak.0123abcd.tmp"  # a save cut off by a crash
    leftover.write_bytes(good_bytes[:50])
    assert [i.name for i in store.list()] == ["oak"]
    session = store.open("oak", framework)
    assert not leftover.exists()
    store.close(session)
