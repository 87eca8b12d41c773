"""The app's first screen does not wait for modules only later steps need (see bench/README.md)."""

import os

import pytest
from process_support import run_python

from reflect_bot.cli import build_parser
from reflect_bot.export import FORMATS


def test_starting_the_app_loads_neither_templates_nor_the_framework_schemas():
    code = (
        "import sys\n"
        "from reflect_bot.cli import build_parser, _framework\n"
        "from reflect_bot.locations import Settings\n"
        "build_parser()\n"
        "_framework(Settings.load(environ={}))\n"
        "import reflect_bot.app.app\n"
        "late = ['jinja2', 'reflect_bot.export', 'reflect_bot.dialogue', 'reflect_bot.prompts',\n"
        "        'reflect_bot.framework_schema']\n"
        "print(' '.join(m for m in late if m in sys.modules))\n"
    )
    assert run_python(code) == ""


def test_the_export_command_offers_every_export_format():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    export = sub.choices["export"]
    fmt = next(a for a in export._actions if a.dest == "format")
    assert tuple(fmt.choices) == FORMATS


def test_reflect_bot_alone_parses_no_arguments_and_loads_the_framework_lightly():
    # what `reflect-bot` with no arguments does before the store and the app
    code = (
        "import sys\n"
        "import reflect_bot.cli as cli\n"
        "def started(args, settings):\n"
        "    cli._framework(settings)\n"
        "    heavy = ['argparse', 'json', 'hashlib', 'pydantic', 'jinja2']\n"
        "    print(args.plain, ' '.join(m for m in heavy if m in sys.modules))\n"
        "    return 0\n"
        "cli.cmd_default = started\n"
        "sys.exit(cli.main([]))\n"
    )
    assert run_python(code) == "False"


def test_the_framework_version_and_hashes_are_worked_out_when_asked_for():
    code = (
        "import sys\n"
        "from reflect_bot.framework import load_framework\n"
        "from reflect_bot.locations import Settings\n"
        "framework = load_framework(Settings.load(environ={}).framework_dir)\n"
        "before = 'hashlib' in sys.modules\n"
        "print(before, framework.version.startswith(framework.edition + '-'))\n"
    )
    assert run_python(code) == "False True"


def test_reflect_bot_alone_reaches_the_app_without_the_framework_or_the_session_model(tmp_path):
    # `reflect-bot` on a terminal, a new leader (an empty folder): the app loads the framework
    # when it first needs it, and listing an empty folder needs no session model or TOML reader
    code = (
        "import sys\n"
        "import reflect_bot.app as app\n"
        "def run_app(settings, framework, store, session_name=None, resume=False):\n"
        "    assert store.list() == []\n"
        "    import reflect_bot.app.app\n"
        "    late = ['reflect_bot.framework', 'reflect_bot.session', 'tomllib', 'pydantic']\n"
        "    print(framework, ' '.join(m for m in late if m in sys.modules))\n"
        "    return 0\n"
        "app.run_app = run_app\n"
        "sys.stdin.isatty = sys.stdout.isatty = lambda: True\n"
        "import reflect_bot.cli as cli\n"
        "sys.exit(cli.main([]))\n"
    )
    env = {**os.environ, "REFLECT_BOT_SESSIONS_DIR": str(tmp_path / "sessions")}
    assert run_python(code, cwd=tmp_path, env=env) == "None"


@pytest.mark.parametrize("argv", [["resume", "old"], ["resume", ""], ["resume", "a b"]])
def test_resume_name_gives_what_the_parser_would_without_argparse(argv):
    # `reflect-bot resume NAME` skips argparse, and hands the handler the very same arguments
    code = (
        "import sys\n"
        "import reflect_bot.cli as cli\n"
        "seen = []\n"
        "def resumed(args, settings):\n"
        "    seen.append(vars(args))\n"
        "    return 0\n"
        "cli.cmd_resume = resumed\n"
        f"cli.main({argv!r})\n"
        "print('argparse' in sys.modules)\n"
        "parsed = vars(cli.build_parser().parse_args(" + repr(argv) + "))\n"
        "parsed['handler'] = resumed\n"
        "print(seen == [parsed])\n"
    )
    assert run_python(code).split() == ["False", "True"]


@pytest.mark.parametrize(
    "argv", [["resume", "--plain"], ["resume", "-h"], ["resume"], ["resume", "a", "--plain"]]
)
def test_other_resume_forms_still_go_through_argparse(argv):
    code = (
        "import sys\n"
        "import reflect_bot.cli as cli\n"
        "cli.cmd_resume = lambda args, settings: 0\n"
        "try:\n"
        f"    cli.main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('argparse' in sys.modules)\n"
    )
    assert run_python(code).splitlines()[-1] == "True"
