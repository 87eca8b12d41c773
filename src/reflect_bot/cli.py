"""The `reflect-bot` command: parse arguments, then hand over to the app, plain mode or a tool.

Each sub-command's handler takes (args, settings) and returns the exit status. Errors meant for the
user are `UserError`s: one line, no traceback. Text that may hold what a leader typed (names,
labels, answers, file names) is printed through `say`, so escape sequences in it cannot act on
the terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from reflect_bot.errors import UserError
from reflect_bot.locations import SESSIONS_ENV, Settings, bundled_framework
from reflect_bot.text import terminal_safe

if TYPE_CHECKING:
    import argparse


def say(text: str = "", *, file=None) -> None:
    """Print text that may hold user text, with control characters made visible and harmless."""
    print(terminal_safe(text), file=file)


def _framework(settings: Settings):
    from reflect_bot.framework import load_or_explain

    return load_or_explain(settings.framework_dir)


# --- framework ----------------------------------------------------------------------------------


def cmd_framework_show(args: argparse.Namespace, settings: Settings) -> int:
    framework = _framework(settings)
    out = [
        f"{framework.display_title}",
        f"id {framework.id}, version {framework.version}",
        f"folder {framework.folder}",
        "",
        f"Tiers ({len(framework.tiers)}):",
    ]
    out += [f"  {t.index + 1}. {t.name} [{t.id}]" for t in framework.tiers]
    statements = sum(len(a.statements) for a in framework.areas)
    cases = sum(len(a.case_studies) for a in framework.areas)
    out += [
        "",
        f"Areas ({len(framework.areas)}), statements ({statements}), case studies ({cases}):",
    ]
    for area in framework.areas:
        out.append(f"  {area.title} [{area.id}]: {len(area.case_studies)} case studies")
        for st in area.statements:
            missing = [t.name for t in framework.tiers if st.descriptors.get(t.id) is None]
            note = f"  (no specific descriptor at {', '.join(missing)})" if missing else ""
            out.append(f"    {st.id}  {st.short}{note}")
    say("\n".join(out))
    return 0


def cmd_framework_check(args: argparse.Namespace, settings: Settings) -> int:
    from reflect_bot.framework import FrameworkError, load_framework

    try:
        framework = load_framework(args.dir)
    except FrameworkError as error:
        for problem in error.problems:
            say(str(problem))
        count = len(error.problems)
        say(f"{count} problem{'s' if count != 1 else ''} found in {args.dir}.")
        return 1
    statements = sum(len(a.statements) for a in framework.areas)
    say(
        f"{args.dir}: valid ({len(framework.areas)} areas, {statements} statements, "
        f"{len(framework.tiers)} tiers, version {framework.version})."
    )
    return 0


# --- sessions -----------------------------------------------------------------------------------


def _local_time(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "-"


def cmd_sessions_list(args: argparse.Namespace, settings: Settings) -> int:
    from reflect_bot.framework import FrameworkError, load_framework
    from reflect_bot.store import SessionStore
    from reflect_bot.text import where_it_stands

    try:
        framework = load_framework(settings.framework_dir)
    except FrameworkError:
        framework = None  # still list the sessions, just without statement labels
    infos = SessionStore(settings.sessions_dir).list(framework)
    if not infos:
        say(f"No sessions yet in {settings.sessions_dir}.")
        return 0
    say(f"Sessions in {settings.sessions_dir}, most recent first:")
    for info in infos:
        if not info.readable:
            say(f"  {info.path.name}: unreadable: {info.reason}")
            continue
        statement = ""
        if info.statement_id and info.state != "done":
            statement = info.statement_id
            if framework is not None and framework.has_statement(info.statement_id):
                found = framework.statement(info.statement_id)
                area = framework.area(found.area_id)
                statement = f"{area.short_title} {found.number} ({found.short})"
        where = where_it_stands(info.state, statement)
        parts = [
            info.name,
            _which_file(info),
            info.label or "",
            f"created {_local_time(info.created)}",
            f"updated {_local_time(info.updated)}",
            f"done {info.progress}",
            where,
        ]
        if info.in_use:
            parts.append("open in another window")
        say("  " + "  |  ".join(p for p in parts if p))
    return 0


def _which_file(info) -> str:
    """The file, when the name alone does not say which session this is (a copy of a session
    holds the same name): what to type to resume it."""
    if info.handle and info.handle != info.name:
        return f"file {info.path.name}"
    return ""


def cmd_sessions_rename(args: argparse.Namespace, settings: Settings) -> int:
    from reflect_bot.store import SessionStore

    path = SessionStore(settings.sessions_dir).rename(args.old, args.new)
    say(f"Renamed '{args.old}' to '{args.new}' ({path.name}).")
    return 0


def cmd_sessions_delete(args: argparse.Namespace, settings: Settings) -> int:
    from reflect_bot.store import SessionStore

    store = SessionStore(settings.sessions_dir)
    path = store.find(args.name)
    if not args.yes:
        question = f"Delete the session '{args.name}' ({path})? It cannot be undone. [y/N] "
        try:
            answer = input(terminal_safe(question))
        except EOFError:
            print()
            answer = ""
        if answer.strip().lower() not in {"y", "yes"}:
            say("Not deleted. (Add --yes to delete without being asked.)")
            return 1
    store.delete(args.name)
    say(f"Deleted '{args.name}' ({path.name}).")
    return 0


def _add_sessions_commands(sub) -> None:
    sessions = sub.add_parser(
        "sessions", parents=_global_options(), help="list, rename or delete saved sessions"
    )
    actions = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    _command(actions, "list", cmd_sessions_list, help="show the saved sessions, most recent first")
    rename = _command(actions, "rename", cmd_sessions_rename, help="give a session a new name")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    delete = _command(actions, "delete", cmd_sessions_delete, help="delete a session (asks first)")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")


# --- export -------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from reflect_bot.export import export_checked
    from reflect_bot.store import SessionStore, load_file

    framework = _framework(settings)
    store = SessionStore(settings.sessions_dir)
    # the most recent session of this framework; says why when there is none it can read
    name = args.session or store.latest(framework)
    # Read only, without the lock: exporting changes nothing, so it works while the session is
    # open in the app.
    session, _ = load_file(store.find(name))
    if session.framework_id != framework.id:
        raise UserError(
            f"The session '{session.name}' was made with the framework '{session.framework_id}', "
            f"which is not the one loaded ('{framework.id}'); use --framework DIR."
        )
    path, warning = export_checked(
        session, framework, args.format, args.output, settings.exports_dir
    )
    say(str(path))  # the path alone on standard output, for scripts
    if warning:
        say(warning, file=sys.stderr)
    return 0


def _add_export_command(sub) -> None:
    FORMATS = ("md", "html", "csv")  # export.FORMATS, without loading export to start

    command = _command(
        sub,
        "export",
        cmd_export,
        help="export a session as a summary (md, html) or an action plan (csv)",
        description="Export a session: a reflection summary to share (Markdown or a print-ready "
        "HTML page) or an action plan a spreadsheet opens (CSV). Without -o, the file goes "
        "into the exports folder beside the sessions folder, under a new name each time.",
    )
    command.add_argument(
        "session", nargs="?", metavar="SESSION", help="the session (default: the most recent)"
    )
    command.add_argument(
        "--format", "-f", choices=FORMATS, default="html", help="the format (default: html)"
    )
    command.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="the file to write, or a folder to write into (an existing file is not replaced)",
    )


# --- chat and resume ----------------------------------------------------------------------------


def _converse(args: argparse.Namespace, settings: Settings, name: str | None, resume: bool) -> int:
    """The conversation: the Textual app on a terminal, the plain console otherwise."""
    from reflect_bot.store import SessionStore

    store = SessionStore(settings.sessions_dir)
    on_terminal = not getattr(args, "plain", False) and sys.stdin.isatty() and sys.stdout.isatty()
    if on_terminal and not resume and settings.framework_dir == bundled_framework():
        from reflect_bot.app import run_app

        # A new reflection on the shipped framework: the app loads it when it first needs it
        # (saved sessions to list, Begin), not before its first screen, which shows none of it.
        # A framework folder of the leader's own is checked first, so its problems come at once.
        return run_app(settings, None, store, session_name=name)
    framework = _framework(settings)
    if resume and name is None:
        # the most recent session of this framework; says why when there is none it can read
        name = store.latest(framework)
    if on_terminal:
        from reflect_bot.app import run_app

        return run_app(settings, framework, store, session_name=name, resume=resume)
    from reflect_bot.console import run_plain

    return run_plain(
        settings, framework, store, sys.stdin, sys.stdout, session_name=name, resume=resume
    )


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    return _converse(args, settings, getattr(args, "name", None), resume=False)


def cmd_resume(args: argparse.Namespace, settings: Settings) -> int:
    return _converse(args, settings, args.session, resume=True)


def cmd_default(args: argparse.Namespace, settings: Settings) -> int:
    """No sub-command: the app's start screen, or a new reflection in the plain console."""
    return _converse(args, settings, None, resume=False)


_PLAIN_HELP = (
    "use the plain line-by-line console (automatic when input or output is not a terminal)"
)


def _add_chat_commands(parser: argparse.ArgumentParser, sub) -> None:
    import argparse

    parser.add_argument("--plain", action="store_true", help=_PLAIN_HELP)
    chat = _command(sub, "chat", cmd_chat, help="start a new reflection")
    chat.add_argument("--plain", action="store_true", default=argparse.SUPPRESS, help=_PLAIN_HELP)
    chat.add_argument("--name", metavar="NAME", help="a name for the new session")
    resume = _command(sub, "resume", cmd_resume, help="carry on with a saved reflection")
    resume.add_argument(
        "session", nargs="?", metavar="NAME", help="the session (default: the most recent)"
    )
    resume.add_argument("--plain", action="store_true", default=argparse.SUPPRESS, help=_PLAIN_HELP)


# --- parser -------------------------------------------------------------------------------------

_FRAMEWORK_HELP = "load the framework from DIR instead of the bundled one"
_SESSIONS_HELP = f"where sessions are saved (default ./sessions, or ${SESSIONS_ENV})"


def _global_options() -> list[argparse.ArgumentParser]:
    """--framework and --sessions-dir, accepted after any command as well as before it.

    Their default here is SUPPRESS, so a value given before the command is not overwritten.
    """
    import argparse

    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--framework", metavar="DIR", default=argparse.SUPPRESS, help=_FRAMEWORK_HELP
    )
    options.add_argument(
        "--sessions-dir", metavar="DIR", default=argparse.SUPPRESS, help=_SESSIONS_HELP
    )
    return [options]


def _command(actions, name: str, handler, **kwargs) -> argparse.ArgumentParser:
    """A sub-command that runs `handler` and takes the global options after it too."""
    command = actions.add_parser(name, parents=_global_options(), **kwargs)
    command.set_defaults(handler=handler)
    return command


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here, not at the top: `reflect-bot` on its own starts without it

    parser = argparse.ArgumentParser(
        prog="reflect-bot",
        description="A guided reflection on SEND provision against the DfE Inclusion Audit "
        "Framework (pilot sections).",
    )
    parser.add_argument("--framework", metavar="DIR", help=_FRAMEWORK_HELP)
    parser.add_argument("--sessions-dir", metavar="DIR", help=_SESSIONS_HELP)
    parser.set_defaults(handler=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    fw = sub.add_parser("framework", parents=_global_options(), help="show or check a framework")
    fw_sub = fw.add_subparsers(dest="framework_command", metavar="ACTION", required=True)
    _command(
        fw_sub, "show", cmd_framework_show, help="print the framework's areas, statements and tiers"
    )
    check = _command(fw_sub, "check", cmd_framework_check, help="validate a framework folder")
    check.add_argument("dir", metavar="DIR")
    _add_sessions_commands(sub)
    _add_export_command(sub)
    _add_chat_commands(parser, sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        # `reflect-bot` on its own, the usual start, has nothing to parse: importing argparse and
        # building the parser would only delay the app (the start is timed, bench/README.md).
        args = SimpleNamespace(framework=None, sessions_dir=None, handler=None, plain=False)
    elif len(argv) == 2 and argv[0] == "resume" and not argv[1].startswith("-"):
        # `reflect-bot resume NAME`, the other usual start, is as plain: what argparse would give
        args = SimpleNamespace(
            framework=None,
            sessions_dir=None,
            handler=cmd_resume,
            plain=False,
            command="resume",
            session=argv[1],
        )
    else:
        args = build_parser().parse_args(argv)
    settings = Settings.load(sessions_dir=args.sessions_dir, framework_dir=args.framework)
    handler = args.handler
    if handler is None:
        handler = cmd_default
    try:
        code = handler(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, not in Python's own flush at exit
        return code
    except BrokenPipeError:
        # the reader went away (`reflect-bot sessions list | head -1`): stop without a word
        _silence_stdout()
        return 141  # as a shell reports a process ended by SIGPIPE
    except UserError as error:
        say(f"reflect-bot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
