"""What the dialogue engine says back: plain data each front end renders its own way.

`step(session, text)` returns a list of these. Text is the bot's own phrasing (Markdown allowed);
`Quote` carries the framework's exact wording; structured replies carry ids plus the text needed to
show them. The last reply of a turn is normally an `Ask`, saying what kind of answer is expected.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

AskKind = Literal["reflection", "tier", "choice", "yes/no", "text", "done"]

# The school phases the opening question offers (the app's start form offers the same list).
PHASES = ("Primary", "Secondary", "All-through", "Special school", "Alternative provision")

# The leader's own words quoted in the bot's Markdown: every character Markdown could read as
# markup is escaped, so they show exactly as typed (no emphasis, code, links or HTML).
_MARKUP = re.compile(r"[\\`*_\[\]<>&~|#]")
_LINE_START = re.compile(r"^([ \t]*)(?:([-+=>])|([0-9]{1,9})([.)]))", re.M)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~]|\n)")  # a backslash ending a line: a line break


def markdown_literal(text: str) -> str:
    """`text` (the leader's words) escaped for Markdown; `markdown_plain` turns it back."""
    text = _MARKUP.sub(lambda m: "\\" + m.group(), str(text))

    def line_start(m: re.Match[str]) -> str:  # a list, quote, heading rule or numbered item
        if m.group(2):
            return f"{m.group(1)}\\{m.group(2)}"
        return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"

    return _LINE_START.sub(line_start, text)


def markdown_plain(text: str) -> str:
    """The bot's Markdown as plain text: backslash escapes removed (what `markdown_literal`
    added, and the backslash of a hard line break: the line break stays), everything else as
    it is."""
    return _ESCAPED.sub(r"\1", text)


# Replies are named tuples: immutable and compared by value, like frozen dataclasses, but much
# cheaper to define (the engine imports this module on the way to resuming a session).


class Say(NamedTuple):
    """A line or paragraph of the bot's own words: Markdown when the tone is "normal" (the
    leader's words inside it escaped with `markdown_literal`), plain text for a note or a
    warning."""

    text: str
    tone: Literal["normal", "note", "warning"] = "normal"


class Quote(NamedTuple):
    """Framework text quoted exactly, with what it is (e.g. "Statement teaching-learning.3")."""

    text: str
    source: str


class TierColumn(NamedTuple):
    tier_id: str
    tier_name: str
    descriptor: str | None  # None: the framework gives no specific descriptor at this tier
    chosen: bool = False


class Hint(NamedTuple):
    """Which tier the leader's own words sit closest to: a hint, never a verdict."""

    tier_id: str
    tier_name: str
    words: tuple[str, ...]


class TierComparison(NamedTuple):
    statement_id: str
    statement_text: str
    columns: tuple[TierColumn, ...]
    hint: Hint | None = None
    # the area's overall descriptors (tier id -> text), shown when a column has none
    overall: dict[str, str | None] = {}  # never changed in place


class CaseStudyCard(NamedTuple):
    case_study_id: str
    title: str
    summary: str
    reason: str
    saved: bool = False


class ProfileRow(NamedTuple):
    statement_id: str
    short: str
    status: str  # not_started, in_progress, done, skipped
    tier_id: str  # "" when none
    tier_name: str  # "" when none; "Not sure yet" when not sure


class Profile(NamedTuple):
    """A tier profile across statements: for an area wrap-up or the session summary."""

    title: str
    rows: tuple[ProfileRow, ...]


class Ask(NamedTuple):
    """What the bot waits for next. `kind` drives the plain prompt, e.g. "[tier 1-3 or ?]> "."""

    kind: AskKind
    prompt: str  # the short prompt label, e.g. "reflection", "tier 1-3 or ?"
    options: tuple[tuple[str, str], ...] = ()  # (key, label) for choices
    keeps: bool = False  # revising: Enter on an empty box keeps the earlier answer


class Saved(NamedTuple):
    """The session was written to disk (or could not be: `ok` False with the reason)."""

    path: str
    ok: bool = True
    reason: str = ""


class Action(NamedTuple):
    """Something only a front end can do, asked for by a command: quit (after saving) or export."""

    kind: Literal["quit", "export"]
    argument: str = ""  # for export: the format asked for ("md", "html", "csv") or ""


Reply = Say | Quote | TierComparison | CaseStudyCard | Profile | Ask | Saved | Action
