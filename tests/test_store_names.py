"""Session names become safe file names: inside the folder, never a device, never shared."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflect_bot.store import SessionError, SessionStore, clean_name, file_stem

HOSTILE_NAMES = [
    "../x",
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\System32\\x",
    "\\\\server\\share\\x",
    "~/x",
    "con",
    "CON",
    "nul",
    "Nul",
    "aux",
    "prn",
    "com1",
    "LPT9",
    "con.toml",
    "nul.txt",
    "x" * 80,  # the longest name allowed
    "\u00e9" * 80,
    ".",
    "..",
    "...",
    ". . .",
    "..  ..",
    "-",
    "_",
    "a/b",
    "a:b",
    'a*b?c"d<e>f|g',
    "Oak Primary",
    "oak primary",
    "OAK PRIMARY",
    "oak-primary",
    "oak_primary",
    "Caf\u00e9",
    "Cafe",
    "\u0645\u062f\u0631\u0633\u0629",  # a right-to-left name with no ASCII at all
    "\U0001f3eb school",
    "name.toml",
    "reflection-2026-12-03",
]

STEM = re.compile(r"^[a-z0-9-]+(?:_[0-9a-f]{10})?$")
RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_name_always_gives_a_safe_file_in_the_folder(tmp_path, name):
    store = SessionStore(tmp_path / "sessions")
    path = store.path_for(name)
    assert path.parent == tmp_path / "sessions"
    assert STEM.match(path.stem), path.name
    assert path.stem not in RESERVED
    assert len(path.name) <= 64


def test_two_names_never_share_a_file():
    names = {clean_name(n) for n in HOSTILE_NAMES}
    stems = {file_stem(n) for n in names}
    assert len(stems) == len(names)
    # case matters on Linux but not on Windows or macOS: names differing only in case differ here
    assert len({s.lower() for s in stems}) == len(stems)


@given(st.lists(st.text(min_size=1, max_size=40), min_size=2, max_size=6, unique=True))
def test_distinct_names_give_distinct_files(names):
    cleaned = set()
    for name in names:
        try:
            cleaned.add(clean_name(name))
        except SessionError:
            continue
    assert len({file_stem(n) for n in cleaned}) == len(cleaned)


def test_simple_names_keep_their_own_file_name(tmp_path):
    store = SessionStore(tmp_path)
    assert store.path_for("oak-primary").name == "oak-primary.toml"
    assert store.path_for("reflection-2026-12-03").name == "reflection-2026-12-03.toml"
    assert store.path_for("Oak Primary").name.startswith("oak-primary_")


@pytest.mark.parametrize(
    "name, words",
    [
        ("", "at least one visible character"),
        ("   ", "at least one visible character"),
        ("two\nlines", "line breaks"),
        ("tab\there", "line breaks, tabs"),
        ("x" * 81, "at most 80 characters long \\(this one has 81\\)"),
        ("x" * 300, "at most 80 characters long \\(this one has 300\\); choose a shorter"),
        ("lone \udc80", "cannot be saved"),
    ],
)
def test_unusable_names_are_refused_with_a_reason(tmp_path, framework, name, words):
    store = SessionStore(tmp_path / "sessions")
    with pytest.raises(SessionError, match=words):
        store.create(framework, name)
    assert not (tmp_path / "sessions").exists()


@pytest.mark.parametrize("name", ["../x", "con", "x" * 80, "...", "Caf\u00e9", "/etc/passwd"])
def test_hostile_names_create_sessions_inside_the_folder(tmp_path, framework, name):
    folder = tmp_path / "sessions"
    store = SessionStore(folder)
    session = store.create(framework, name)
    store.close(session)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.parent for p in files] == [folder]
    assert store.open(name, framework).name == clean_name(name)
    store.close_all()


def test_names_are_kept_as_typed_apart_from_outer_spaces(tmp_path, framework):
    store = SessionStore(tmp_path)
    session = store.create(framework, "  Oak Primary \u2013 Autumn  ")
    assert session.name == "Oak Primary \u2013 Autumn"
    store.close(session)


def test_a_long_name_is_refused_by_rename_too_and_nothing_changes(tmp_path, framework):
    store = SessionStore(tmp_path)
    store.close(store.create(framework, "oak"))
    with pytest.raises(SessionError, match="at most 80 characters"):
        store.rename("oak", "Oak Primary " * 25)
    assert [i.name for i in store.list()] == ["oak"]
