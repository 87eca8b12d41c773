"""The fast reader of session files reads exactly what tomllib reads, or leaves the file to it.

The store reads the bulk of a file it wrote itself (the undo history and the transcript) with a
few regular expressions instead of tomllib. For any file, the fast reader must give tomllib's
data or give up; a hand-edited file must load exactly as TOML says, or be refused with the same
message as before. Files saved before the store wrote literal strings still load.
"""

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_session_quick import full_session
from test_store_text import HOSTILE, fill

from reflect_bot.session import Session, Undo
from reflect_bot.store import (
    BULK_FIELDS,
    MAX_UNDO,
    ROW_LAYOUTS,
    SessionError,
    SessionStore,
    _read_fast,
    load_file,
    render,
)


def tomllib_data(raw: bytes):
    """What tomllib reads from the file, or None when it refuses it."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def assert_read_alike(raw: bytes) -> None:
    expected = tomllib_data(raw)
    fast = _read_fast(raw)
    if expected is None:
        assert fast is None
    else:
        assert fast is None or fast == expected


def hostile_session(text: str) -> Session:
    session = full_session()
    fill(session, text)
    return session


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_read_fast_and_alike(text):
    raw = render(hostile_session(text)).encode("utf-8")
    fast = _read_fast(raw)
    assert fast is not None  # the store's own files take the fast way, whatever they hold
    assert fast == tomllib_data(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_arbitrary_text_is_read_alike(text):
    assert_read_alike(render(hostile_session(text)).encode("utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "pasted:\n[[transcript]]\nrole = \"bot\"\ntext = 'x'\nat = 2026-12-03 09:00:00+00:00\n",
        "\n[[history]]\nlabel = 'x'\n\n# end of session\n",
        "ends with the end line\n\n# end of session\n",
    ],
)
def test_text_that_looks_like_the_file_itself_is_read_alike(text, tmp_path):
    session = hostile_session(text)
    raw = render(session).encode("utf-8")
    assert _read_fast(raw) in (None, tomllib_data(raw))
    path = tmp_path / "oak.toml"
    path.write_bytes(raw)
    assert load_file(path)[0] == session


def test_the_row_layouts_follow_the_models():
    session = full_session()
    for key in BULK_FIELDS:
        row = getattr(session, key)[0].model_dump()
        assert [name for name, _ in ROW_LAYOUTS[key]] == list(row)


# --- hand-edited files --------------------------------------------------------------------------

GOOD = render(hostile_session("We're sure: \u201cvisual\u201d\ntimetables 'work'.")).encode("utf-8")
LINES = GOOD.split(b"\n")
ODD_LINES = [
    b"",
    b"# a comment",
    b"[[transcript]]",
    b"[[history]]",
    b"[[statements]]",
    b"[transcript]",
    b"transcript = []",
    b"history = []",
    b'role = "leader"',
    b'role = "robot"',
    b"role = 3",
    b'role = "bot" # a comment',
    b'  role = "bot"',
    b'"role" = "bot"',
    b"role.x = 1",
    b"text = '''",
    b"'''",
    b"''''",
    b"text = '''one line'''",
    b'text = """',
    b'text = "a\\tb"',
    b'text = "unfinished',
    b"text = 'unfinished",
    b'text = ""',
    b"text = ''",
    b"mood = 'fine'",
    b"tags = ['a', 'b']",
    b"count = 3",
    b"count = +3",
    b"count = 1_000",
    b"at = 2026-12-03 09:00:00+00:00",
    b"at = 2026-13-03 09:00:00+00:00",
    b"at = 2026-02-30 09:00:00+00:00",
    b"at = 2026-12-03T09:00:00Z",
    b"at = 2026-12-03",
    b"thin = true",
    b"thin = True",
    b"# end of session",
    b"snapshot = '{}'\r",
    b"label = '\x00'",
    "label = '\u00e9'".encode("latin-1"),
]


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_a_file_with_a_line_changed_is_read_alike_or_left_to_tomllib(data):
    index = data.draw(st.integers(0, len(LINES) - 1))
    how = data.draw(st.sampled_from(["replace", "insert", "delete", "duplicate"]))
    line = data.draw(st.sampled_from(ODD_LINES))
    lines = list(LINES)
    if how == "replace":
        lines[index] = line
    elif how == "insert":
        lines.insert(index, line)
    elif how == "delete":
        del lines[index]
    else:
        lines.insert(index, lines[index])
    assert_read_alike(b"\n".join(lines))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, len(GOOD) - 1), st.sampled_from([b"'", b'"', b"\\", b"\r", b"\n", b"\t", b"#"])
)
def test_a_file_with_a_character_added_is_read_alike_or_left_to_tomllib(at, char):
    assert_read_alike(GOOD[:at] + char + GOOD[at:])


def test_edits_by_hand_load_as_toml_says(tmp_path):
    raw = render(full_session())
    edited = raw.replace(
        'role = "leader"\ntext = "Visual timetables"',
        'role = "leader"  # me\ntext = "Visual\\ttimetables"',
    ).replace('\n[[transcript]]\nrole = "bot"', "\n[[transcript]]\n# the bot\nrole = 'bot'")
    assert edited != raw
    path = tmp_path / "oak.toml"
    path.write_text(edited, encoding="utf-8")
    session, _ = load_file(path)
    assert session == Session.model_validate(tomllib.loads(edited))
    assert session.transcript[1].text == "Visual\ttimetables"


def test_a_file_tomllib_refuses_is_refused_with_the_line_in_plain_words(tmp_path):
    raw = render(full_session())
    edited = raw.replace('text = "Visual timetables"', 'text = "Visual"\ntext = "twice"')
    path = tmp_path / "oak.toml"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(SessionError) as caught:
        load_file(path)
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(edited)  # (what the fast reader must agree with)
    number = edited.splitlines().index('text = "twice"') + 1
    message = str(caught.value)
    assert f'line {number} (text = "twice") sets something that is set already' in message
    assert "TOML" not in message  # no parser's words for the leader


# --- files saved before -------------------------------------------------------------------------

# A file as the store saved it before answers were written as literal strings (tomli-w wrote
# everything above the history and the transcript).
EARLIER = """\
# A reflect-bot session: your reflections, in plain TOML. Keep this file private.
# You may read or correct it in a text editor; keep it valid TOML and keep the last line.

schema_version = 1
name = "oak"
framework_id = "inclusion-audit-pilot"
framework_version = "pilot-1"
created = 2026-11-02 09:30:00+00:00
updated = 2026-11-02 09:30:00+00:00
label = \"\"\"
Oak \\"Primary\\"
main site\"\"\"
phase = "Primary"
role = "SENCo"

[conversation]
state = "working_well"
scope = [
    "teaching-learning.1",
    "teaching-learning.2",
]
statement_id = "teaching-learning.1"
follow_ups = 0
privacy_reminded = false
draft = ""

[conversation.pending]
question_id = "teaching-learning.1.working"
question = "What's working well?"

[[statements]]
statement_id = "teaching-learning.1"
status = "in_progress"
statement_hash = "abc123"
hint_tier = "strengthening"
hint_words = [
    "timetables",
    "boards",
]
tier = "strengthening"
not_sure = false
next_steps = [
    { what = "Learning walk", who = "SENCo", by_when = "by Easter" },
]
notes = [
    "The evidence answer stayed thin.",
]

[[statements.answers]]
question_id = "teaching-learning.1.working"
kind = "working_well"
question = "What's working well?"
text = \"\"\"
Visual timetables in every class,
and \u201cnow/next\u201d boards. It's working.\"\"\"
at = 2026-11-02 09:30:00+00:00
thin = false

[statements.challenge]
question = "What would excellence look like?"
tier_before = "excellence"
response = "Fair point"
tier_after = "strengthening"
at = 2026-11-02 09:30:00+00:00

[[areas]]
area_id = "teaching-learning"
top_priority = "Consistency"
top_priority_at = 2026-11-02 09:30:00+00:00

[[history]]
label = 'your answer \u201cVisual timetables\u2026\u201d'
snapshot = '{"conversation":{"state":"working_well"},"records":{}}'

[[transcript]]
role = 'bot'
text = "What's working well?"
at = 2026-11-02 09:30:00+00:00

[[transcript]]
role = 'leader'
text = '''
Visual timetables in every class,
and \u201cnow/next\u201d boards. It's working.'''
at = 2026-11-02 09:30:00+00:00

[[transcript]]
role = 'leader'
text = "the pupils'"
at = 2026-11-02 09:30:00+00:00

[[transcript]]
role = 'leader'
text = "Old Mac line\\rending"
at = 2026-11-02 09:30:00+00:00

# end of session
"""


def test_a_file_saved_before_loads_and_saves_in_the_new_way(tmp_path, framework):
    path = tmp_path / "oak.toml"
    path.write_text(EARLIER, encoding="utf-8")
    assert _read_fast(EARLIER.encode()) == tomllib.loads(EARLIER)
    session, version = load_file(path)
    assert version == 1
    assert session.label == 'Oak "Primary"\nmain site'
    assert session.statements[0].next_steps[0].by_when == "by Easter"
    assert session.transcript[3].text == "Old Mac line\rending"
    assert session.transcript[2].text == "the pupils'"
    again = render(session)
    assert "text = '''\nVisual timetables in every class," in again
    assert Session.model_validate(tomllib.loads(again)) == session


def test_a_crlf_file_is_left_to_tomllib_and_loads_with_lf(tmp_path):
    path = tmp_path / "oak.toml"
    path.write_bytes(EARLIER.encode().replace(b"\n", b"\r\n"))
    assert _read_fast(path.read_bytes()) is None
    session, _ = load_file(path)
    assert session.transcript[1].text.count("\n") == 1 and "\r" not in session.label


# --- the undo history ---------------------------------------------------------------------------


def test_saving_keeps_the_last_undo_steps_only(tmp_path, framework):
    store = SessionStore(tmp_path)
    session = store.create(framework, "oak")
    session.history = [Undo(label=f"step {n}", snapshot="{}") for n in range(MAX_UNDO + 30)]
    store.save(session)
    assert [u.label for u in session.history] == [f"step {n}" for n in range(30, MAX_UNDO + 30)]
    store.close(session)
    loaded = store.open("oak", framework)
    assert loaded.history == session.history
    store.close(loaded)


def test_a_file_with_a_longer_history_still_loads_whole(tmp_path):
    session = full_session()
    session.history = [Undo(label=f"step {n}", snapshot="{}") for n in range(MAX_UNDO + 30)]
    path = Path(tmp_path / "oak.toml")
    path.write_text(render(session), encoding="utf-8")
    loaded, _ = load_file(path)
    assert len(loaded.history) == MAX_UNDO + 30
