"""The core runs without Textual: the dialogue, the plain console and the modules they use."""

import textwrap

from process_support import run_python

CORE = [
    "reflect_bot.cli",
    "reflect_bot.console",
    "reflect_bot.dialogue",
    "reflect_bot.errors",
    "reflect_bot.export",
    "reflect_bot.framework",
    "reflect_bot.locations",
    "reflect_bot.privacy",
    "reflect_bot.prompts",
    "reflect_bot.replies",
    "reflect_bot.session",
    "reflect_bot.store",
    "reflect_bot.suggest",
]


def test_the_core_imports_and_talks_with_textual_made_unimportable(tmp_path):
    code = textwrap.dedent(
        f"""
        import importlib, io, sys
        sys.modules["textual"] = None  # any "import textual..." now raises ImportError
        for name in {CORE!r}:
            importlib.import_module(name)
        from reflect_bot.console import run_plain
        from reflect_bot.framework import load_framework
        from reflect_bot.locations import Settings
        from reflect_bot.store import SessionStore

        settings = Settings.load(sessions_dir={str(tmp_path)!r}, environ={{}})
        framework = load_framework(settings.framework_dir)
        out = io.StringIO()
        status = run_plain(
            settings, framework, SessionStore(settings.sessions_dir),
            io.StringIO("\\n\\n\\n1\\nWe plan together\\n/back\\n"), out,
        )
        assert status == 0, status
        assert "[reflection]> " in out.getvalue()
        assert not any(m == "textual" or m.startswith("textual.") for m in sys.modules
                       if sys.modules[m] is not None)
        print("ok")
        """
    )
    assert run_python(code).endswith("ok")
