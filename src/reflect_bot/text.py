"""Small text helpers shared by the front ends: pure functions, no I/O."""

from __future__ import annotations

import re
from pathlib import Path

from reflect_bot.locations import Settings

# C0 and C1 control characters (and DEL), except newline and tab, which print harmlessly.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
PLACEHOLDER = "\ufffd"


def terminal_safe(text: str) -> str:
    """`text` made safe to print on a terminal: control characters become U+FFFD.

    A leader's words (a session name, a label, an answer) may hold escape sequences that would
    clear the screen, change the window title or move the cursor; printed through this they show
    as a visible placeholder instead. Newlines and tabs are kept.
    """
    return _TERMINAL_CONTROL.sub(PLACEHOLDER, text)


# Where a conversation stands, in words, for each state of the dialogue (see dialogue.STATES).
_DOING: dict[str, str] = {
    "greeting": "",
    "label": "answering the opening questions",
    "phase": "answering the opening questions",
    "role": "answering the opening questions",
    "scope": "choosing which statements to reflect on",
    "scope_statements": "choosing which statements to reflect on",
    "next_statement": "",
    "open_statement": "",
    "carry_on": "",
    "revise": "deciding whether to revise",
    "working_well": "what is working well",
    "evidence": "how you know",
    "consistency": "consistency",
    "impact": "impact on pupils",
    "tier": "choosing a tier",
    "find_out": "what you would need to find out",
    "challenge": "answering the challenge",
    "challenge_decision": "deciding whether to keep the tier",
    "next_tier": "what would move you to the next tier",
    "sustain_share": "how to sustain and share it",
    "next_what": "recording next steps",
    "next_who": "recording next steps",
    "next_when": "recording next steps",
    "next_more": "recording next steps",
    "case_studies": "choosing case studies",
    "statement_done": "",
    "after_statement": "",
    "top_priority": "choosing the area's top priority",
    "summary": "",
    "export": "deciding whether to export",
    "privacy": "at the personal-data reminder",
}


def where_it_stands(state: str, statement: str = "") -> str:
    """Where a conversation stands, in words: "at Pupils, Parents & Carers 5, deciding whether to
    revise", "at the start", "finished". `statement` names the statement it is at, if any, in
    words (e.g. "Pupils, Parents & Carers 5")."""
    if state == "done":
        return "finished"
    if state in ("summary", "export"):
        return "at the summary" + (", deciding whether to export" if state == "export" else "")
    if state in ("greeting", "label", "phase", "role", "scope", "scope_statements"):
        doing = _DOING[state]
        return f"at the start, {doing}" if doing else "at the start"
    doing = _DOING.get(state, "")
    if state == "privacy":
        doing = "at the personal-data reminder"
    if statement:
        return f"at {statement}, {doing}" if doing else f"at {statement}"
    if state not in _DOING:
        return "part-way through"
    return f"between statements, {doing}" if doing else "between statements"


def resume_command(settings: Settings, name: str) -> str:
    """The command line that resumes session `name` with these settings, quoted for the shell:
    `reflect-bot resume NAME`, with `--sessions-dir DIR` when the sessions folder is not the
    default (./sessions of the current folder) and `--framework DIR` when the framework is not
    the bundled one, so that running it opens this very session."""
    import shlex  # here, not at the top: only messages about resuming need it

    default = Settings.load(environ={})
    parts = [settings.command, "resume", shlex.quote(name)]
    if _resolved(settings.sessions_dir) != _resolved(default.sessions_dir):
        parts += ["--sessions-dir", shlex.quote(str(settings.sessions_dir))]
    if _resolved(settings.framework_dir) != _resolved(default.framework_dir):
        parts += ["--framework", shlex.quote(str(settings.framework_dir))]
    return " ".join(parts)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
