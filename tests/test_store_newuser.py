"""A hand-edited session with a misspelt tier: listed as unreadable, and opening it names the file."""

import pytest

from reflect_bot.cli import main
from reflect_bot.store import SessionError, SessionStore


@pytest.fixture
def misspelt(tmp_path, framework):
    store = SessionStore(tmp_path)
    session = store.create(framework, "Oak")
    session.record("teaching-learning.2").tier = "excellence"
    path = store.save(session)
    store.close(session)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"excellence"', '"excelent"'), encoding="utf-8")
    assert "excelent" in path.read_text(encoding="utf-8")
    return path


def test_the_list_flags_an_unknown_tier_as_unreadable_with_the_reason(misspelt, framework):
    (info,) = SessionStore(misspelt.parent).list(framework)
    assert not info.readable
    assert "unknown tier 'excelent' for statement teaching-learning.2" in info.reason
    assert "foundations, strengthening, excellence" in info.reason
    assert SessionStore(misspelt.parent).most_recent(framework) is None


def test_opening_it_names_the_file_and_what_to_do(misspelt, framework):
    before = misspelt.read_bytes()
    with pytest.raises(SessionError) as raised:
        SessionStore(misspelt.parent).open("Oak", framework)
    message = str(raised.value)
    assert message.startswith(f"{misspelt}: the session has an unknown tier 'excelent'")
    assert "one of foundations, strengthening, excellence" in message
    assert "\n" not in message
    assert misspelt.read_bytes() == before
    # and it can be opened once mended
    misspelt.write_text(misspelt.read_text().replace("excelent", "excellence"))
    store = SessionStore(misspelt.parent)
    store.close(store.open("Oak", framework))


def test_sessions_list_and_resume_from_the_command_line(misspelt, capsys):
    folder = str(misspelt.parent)
    assert main(["--sessions-dir", folder, "sessions", "list"]) == 0
    out = capsys.readouterr().out
    assert f"{misspelt.name}: unreadable: the session has an unknown tier 'excelent'" in out
    assert main(["--sessions-dir", folder, "resume", "Oak", "--plain"]) != 0
    assert str(misspelt) in capsys.readouterr().err
