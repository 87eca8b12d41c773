"""The `reflect-bot` command: parse arguments, then hand over to the app, plain mode or a tool.

Each sub-command's handler takes (args, settings) and returns the exit status. Errors meant for the
user are `UserError`s: one line, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from reflect_bot.errors import UserError
from reflect_bot.locations import SESSIONS_ENV, Settings


def _framework(settings: Settings):
    from reflect_bot.framework import FrameworkError, load_framework

    try:
        return load_framework(settings.framework_dir)
    except FrameworkError as error:
        lines = [f"The framework in {settings.framework_dir} has problems:"]
        lines += [f"  {p}" for p in error.problems]
        lines.append("Run 'reflect-bot framework check DIR' after fixing them.")
        raise UserError("\n".join(lines)) from None


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
    print("\n".join(out))
    return 0


def cmd_framework_check(args: argparse.Namespace, settings: Settings) -> int:
    from reflect_bot.framework import FrameworkError, load_framework

    try:
        framework = load_framework(args.dir)
    except FrameworkError as error:
        for problem in error.problems:
            print(problem)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found in {args.dir}.")
        return 1
    statements = sum(len(a.statements) for a in framework.areas)
    print(
        f"{args.dir}: valid ({len(framework.areas)} areas, {statements} statements, "
        f"{len(framework.tiers)} tiers, version {framework.version})."
    )
    return 0


# --- parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reflect-bot",
        description="A guided reflection on SEND provision against the DfE Inclusion Audit "
        "Framework (pilot sections).",
    )
    parser.add_argument(
        "--framework", metavar="DIR", help="load the framework from DIR instead of the bundled one"
    )
    parser.add_argument(
        "--sessions-dir",
        metavar="DIR",
        help=f"where sessions are saved (default ./sessions, or ${SESSIONS_ENV})",
    )
    parser.set_defaults(handler=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    fw = sub.add_parser("framework", help="show or check a framework")
    fw_sub = fw.add_subparsers(dest="framework_command", metavar="ACTION", required=True)
    show = fw_sub.add_parser("show", help="print the framework's areas, statements and tiers")
    show.set_defaults(handler=cmd_framework_show)
    check = fw_sub.add_parser("check", help="validate a framework folder")
    check.add_argument("dir", metavar="DIR")
    check.set_defaults(handler=cmd_framework_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.load(sessions_dir=args.sessions_dir, framework_dir=args.framework)
    handler = args.handler
    if handler is None:
        parser.print_help()
        return 0
    try:
        return handler(args, settings)
    except UserError as error:
        print(f"reflect-bot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
