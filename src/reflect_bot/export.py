"""Export a session as a reflection summary (Markdown, HTML) or an action plan (CSV).

`render(session, framework, fmt)` builds a plain view of the session (every label in words, every
date in words) and lays it out with a jinja2 template from `prompts/export/`. It reads the session
only: the same session always gives the same text. `export(...)` writes that text to a new file,
readable by its owner only, and never replaces an earlier export. `export_checked(...)` does the
same and also says, in a line for the leader, what in the export looks like personal details:
the reminder while answering comes once per session, but an export is what gets shared.

Everything the leader wrote is escaped for the format: HTML through autoescape, Markdown through
`md_escape` applied to every `{{ value }}` (the Markdown environment's `finalize`), so a leader's
text cannot make headings, lists, emphasis, links, images, tables or raw HTML; only what Markdown
would read as markup is escaped, so the raw file reads cleanly too. CSV cells that a spreadsheet
would run as a formula are made inert with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from reflect_bot.errors import UserError
from reflect_bot.framework import Area, Framework, Statement
from reflect_bot.privacy import EXPORT_WARNING_START, find_personal_data, kinds_in_words
from reflect_bot.session import Answer, Challenge, Session, StatementRecord

FORMATS = ("md", "html", "csv")
_ALIASES = {"markdown": "md", "htm": "html"}
_TEMPLATES = {"md": "summary.md.j2", "html": "summary.html.j2", "csv": "action-plan.csv.j2"}
_FILE_NAMES = {"md": "summary.md", "html": "summary.html", "csv": "action-plan.csv"}

# Answer kinds set by the dialogue engine, and where each shows in the summary. Kinds not listed
# here still show, under "Other notes" with their question.
_KIND_SECTIONS = {
    "working_well": "strengths",
    "evidence": "evidence",
    "consistency": "consistency",
    "impact": "consistency",
    "find_out": "settle",
    "next_tier": "move_on",
    "sustain_share": "sustain",
    "challenge_response": "challenge",
}

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class ExportError(UserError):
    """The export could not be made or written; the message says what to do."""


def normalise_format(fmt: str) -> str:
    """The format name ("md", "html" or "csv") from what a person typed, or ExportError."""
    cleaned = fmt.strip().lower().lstrip(".") or "html"  # "/export" alone: the page to share
    cleaned = _ALIASES.get(cleaned, cleaned)
    if cleaned not in FORMATS:
        raise ExportError(f"Unknown export format '{fmt}'; use md, html or csv.")
    return cleaned


def human_date(moment: datetime) -> str:
    """A date as people write it: "3 December 2026" (the session's own clock, UTC)."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


# --- The view: what the summary says, in words ----------------------------------------------


@dataclass(frozen=True)
class Note:
    text: str
    question: str = ""
    thin: bool = False


@dataclass(frozen=True)
class StepView:
    what: str
    who: str
    by_when: str


@dataclass(frozen=True)
class CaseView:
    title: str
    summary: str
    reason: str


@dataclass(frozen=True)
class ChallengeView:
    question: str
    response: tuple[Note, ...]
    outcome: str  # what happened to the tier choice, in words


@dataclass(frozen=True)
class StatementView:
    id: str
    number: int
    short: str
    text: str
    area_title: str
    area_short: str
    status: str  # not_started, in_progress, done, skipped
    status_words: str  # how the profile says it
    has_content: bool  # any answer, tier, challenge or next step recorded
    tier_index: int | None  # 0-based, None when no tier chosen
    tier_name: str  # "" when none
    not_sure: bool
    descriptor: str | None  # the framework's descriptor at the chosen tier, None when none
    overall: str | None  # the area's overall descriptor at the chosen tier, if any
    aim_name: str  # the next tier's name, "" at the top or when no tier is chosen
    wording_changed: bool
    strengths: tuple[Note, ...] = ()
    evidence: tuple[Note, ...] = ()
    consistency: tuple[Note, ...] = ()
    settle: tuple[Note, ...] = ()
    move_on: tuple[Note, ...] = ()  # steps towards the next tier (not the area's top priority)
    sustain: tuple[Note, ...] = ()
    challenge: ChallengeView | None = None
    next_steps: tuple[StepView, ...] = ()
    cases_saved: tuple[CaseView, ...] = ()
    cases_suggested: tuple[CaseView, ...] = ()
    other: tuple[Note, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.area_short} {self.number} – {self.short}"

    @property
    def reflected(self) -> bool:
        """Whether there is anything to show beyond the statement itself."""
        return self.status in ("in_progress", "done") or self.has_content

    @property
    def tier_words(self) -> str:
        if self.not_sure:
            return "Not sure yet"
        return self.tier_name or "No tier chosen yet"


@dataclass(frozen=True)
class AreaView:
    id: str
    title: str
    short_title: str
    statements: tuple[StatementView, ...]
    top_priority: str

    @property
    def reflected(self) -> tuple[StatementView, ...]:
        return tuple(s for s in self.statements if s.reflected)

    @property
    def not_started(self) -> tuple[StatementView, ...]:
        return tuple(s for s in self.statements if s.status == "not_started")

    @property
    def skipped(self) -> tuple[StatementView, ...]:
        return tuple(s for s in self.statements if s.status == "skipped")


@dataclass(frozen=True)
class PlanRow:
    area: str
    statement: str
    statement_id: str
    statement_text: str
    action: str
    owner: str
    by_when: str
    tier_now: str
    tier_aim: str


@dataclass(frozen=True)
class ChartRow:
    y: int  # the row's top
    label: str
    heading: bool  # an area's title rather than a statement
    filled: int  # tier cells filled, 0 when no tier is chosen
    words: str  # the row's tier or status in words
    dashed: bool  # not sure yet: an outline only


@dataclass(frozen=True)
class ChartColumn:
    x: int
    lines: tuple[str, ...]  # the tier's name over one or two lines


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    cell_width: int
    cell_height: int
    columns: tuple[ChartColumn, ...]
    rows: tuple[ChartRow, ...]


@dataclass(frozen=True)
class Report:
    title: str
    label: str
    phase: str
    role: str
    session_name: str
    started: str
    updated: str
    framework_title: str
    framework_version: str
    made_with_version: str  # the version the session was made against, when different
    tier_names: tuple[str, ...]
    scope_chosen: bool
    scope_lines: tuple[str, ...]
    areas: tuple[AreaView, ...]
    counts: dict[str, int]
    plan: tuple[PlanRow, ...]
    chart: Chart
    not_in_framework: int  # reflections on statements this framework version does not have
    progress: str
    unfinished: tuple[str, ...] = field(default_factory=tuple)
    # statements marked "not sure yet": reflected on, with the best fit still to settle
    unsettled: str = ""

    @property
    def statements(self) -> tuple[StatementView, ...]:
        return tuple(s for area in self.areas for s in area.statements)

    @property
    def finished(self) -> bool:
        return not self.unfinished


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _notes(answers: Iterable[Answer]) -> tuple[Note, ...]:
    return tuple(Note(a.text, a.question, a.thin) for a in answers if a.text.strip())


def _numbers(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1 to 3 and 5"."""
    runs: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    parts = [str(a) if a == b else f"{a} and {b}" if b == a + 1 else f"{a} to {b}" for a, b in runs]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _statement_view(
    framework: Framework, area: Area, statement: Statement, record: StatementRecord | None
) -> StatementView:
    tiers = framework.tiers
    status = record.status if record else "not_started"
    tier = None
    if record and record.tier and not record.not_sure:
        tier = next((t for t in tiers if t.id == record.tier), None)
    not_sure = bool(record and record.not_sure)
    has_content = bool(
        record and (record.answers or record.next_steps or tier or not_sure or record.challenge)
    )
    if status == "not_started" and has_content:
        status = "in_progress"  # begun, whatever the status says
    if status == "skipped":
        status_words = "Skipped"
    elif not_sure:
        status_words = "Not sure yet"
    elif tier is not None:
        status_words = tier.name
    elif status in ("in_progress", "done"):
        status_words = "In progress: no tier chosen yet"
    else:
        status_words = "Not yet reflected on"
    sections: dict[str, list[Answer]] = {}
    other: list[Answer] = []
    challenge = None
    cases_saved: list[CaseView] = []
    cases_suggested: list[CaseView] = []
    if record is not None:
        for answer in record.answers:
            section = _KIND_SECTIONS.get(answer.kind)
            if section is None:
                other.append(answer)
            else:
                sections.setdefault(section, []).append(answer)
        challenge = _challenge_view(framework, record, sections.get("challenge", []))
        for note in record.case_studies:
            try:
                case = framework.case_study(note.case_study_id)
            except KeyError:
                continue
            view = CaseView(case.title, case.summary, note.reason)
            (cases_saved if note.saved else cases_suggested).append(view)

    return StatementView(
        id=statement.id,
        number=statement.number,
        short=statement.short,
        text=statement.text,
        area_title=area.title,
        area_short=area.short_title,
        status=status,
        status_words=status_words,
        has_content=has_content,
        tier_index=tier.index if tier else None,
        tier_name=tier.name if tier else "",
        not_sure=not_sure,
        descriptor=statement.descriptors.get(tier.id) if tier else None,
        overall=area.overall.get(tier.id) if tier else None,
        aim_name=tiers[tier.index + 1].name if tier and tier.index + 1 < len(tiers) else "",
        wording_changed=bool(
            record and record.statement_hash and record.statement_hash != statement.text_hash
        ),
        strengths=_notes(sections.get("strengths", [])),
        evidence=_notes(sections.get("evidence", [])),
        consistency=_notes(sections.get("consistency", [])),
        settle=_notes(sections.get("settle", [])),
        move_on=_notes(sections.get("move_on", [])),
        sustain=_notes(sections.get("sustain", [])),
        challenge=challenge,
        next_steps=tuple(
            StepView(s.what, s.who, s.by_when)
            for s in (record.next_steps if record else [])
            if s.what.strip()
        ),
        cases_saved=tuple(cases_saved),
        cases_suggested=tuple(cases_suggested),
        other=_notes(other),
        notes=tuple(n for n in (record.notes if record else []) if n.strip()),
    )


def _challenge_view(
    framework: Framework, record: StatementRecord, responses: list[Answer]
) -> ChallengeView | None:
    """The challenge to the tier choice, the leader's response and what became of the choice."""
    if record.challenge is not None:
        c = record.challenge
        texts = [Note(c.response)] if c.response.strip() else []
        texts += [n for n in _notes(responses) if n.text != c.response]
        return ChallengeView(c.question, tuple(texts), _outcome(framework, c, record))
    if responses:
        return ChallengeView(responses[0].question, _notes(responses), "")
    return None


def _tier_name(framework: Framework, tier_id: str) -> str:
    try:
        return framework.tier(tier_id).name
    except KeyError:
        return ""


def _outcome(framework: Framework, challenge: Challenge, record: StatementRecord) -> str:
    """What became of the challenged choice, in words ("" while it is still open)."""
    before = _tier_name(framework, challenge.tier_before)
    after = _tier_name(framework, challenge.tier_after)
    if not challenge.tier_after:
        if record.not_sure and challenge.response.strip() and before:
            return f"Changed from {before} to not sure yet."
        return ""
    if challenge.tier_after == challenge.tier_before:
        return f"Kept {before}."
    if before and after:
        return f"Changed from {before} to {after}."
    return f"Settled on {after}." if after else ""


def _chart(areas: list[AreaView], tier_names: tuple[str, ...]) -> Chart:
    """A tier profile as geometry for an inline SVG: a bar per statement reaching its tier."""
    label_width, cell_width, cell_height, row_height, top = 300, 116, 18, 26, 40
    columns = tuple(
        ChartColumn(label_width + i * cell_width, tuple(name.split(" ", 1)))
        for i, name in enumerate(tier_names)
    )
    rows = []
    y = top
    for area in areas:
        rows.append(ChartRow(y, area.short_title, True, 0, "", False))
        y += row_height
        for view in area.statements:
            filled = (view.tier_index + 1) if view.tier_index is not None else 0
            label = f"{view.number}. {view.short}"
            rows.append(ChartRow(y, label, False, filled, view.status_words, view.not_sure))
            y += row_height
    return Chart(
        width=label_width + cell_width * len(tier_names) + 2,
        height=y + 2,
        label_width=label_width,
        cell_width=cell_width,
        cell_height=cell_height,
        columns=columns,
        rows=tuple(rows),
    )


def build_report(session: Session, framework: Framework) -> Report:
    """The summary's content, in words: what every format lays out. Reads the session only."""
    scope = [s for s in session.conversation.scope if framework.has_statement(s)]
    wanted = set(scope)
    not_in_framework = 0
    for record in session.statements:
        if framework.has_statement(record.statement_id):
            if record.status != "not_started" or record.answers or record.tier:
                wanted.add(record.statement_id)
        elif record.answers or record.tier or record.not_sure or record.next_steps:
            not_in_framework += 1
    scope_chosen = bool(scope)
    if not wanted:
        wanted = {s.id for s in framework.statements}

    areas = []
    for area in framework.areas:
        views = tuple(
            _statement_view(framework, area, st, session.find_record(st.id))
            for st in area.statements
            if st.id in wanted
        )
        if not views:
            continue
        top = next((a.top_priority for a in session.areas if a.area_id == area.id), "")
        areas.append(AreaView(area.id, area.title, area.short_title, views, top))

    scope_lines = tuple(
        f"{area.title}: {'statement' if len(area.statements) == 1 else 'statements'} "
        f"{_numbers([s.number for s in area.statements])}"
        for area in areas
    )

    all_views = tuple(s for area in areas for s in area.statements)
    counts = {
        key: sum(1 for s in all_views if s.status == key)
        for key in ("done", "in_progress", "skipped", "not_started")
    }
    counts["total"] = len(all_views)
    unfinished = []
    if counts["not_started"]:
        unfinished.append(f"{_plural(counts['not_started'], 'statement')} not yet reflected on")
    if counts["in_progress"]:
        unfinished.append(f"{_plural(counts['in_progress'], 'statement')} still in progress")
    if counts["skipped"]:
        unfinished.append(f"{_plural(counts['skipped'], 'statement')} skipped")
    # "Not sure yet" is an honest answer, not a gap: the statement counts as reflected on (as the
    # bot says at the end) and is named apart, as a best fit still to settle.
    unsure = [s for s in all_views if s.not_sure]
    not_sure = len(unsure)
    unsettled = ""
    if unsure:
        where = ", ".join(f"{s.area_short} {s.number}" for s in unsure)
        unsettled = f"{_plural(not_sure, 'statement')} marked not sure yet ({where})"
    no_priority = [a.short_title for a in areas if not a.top_priority.strip()]
    if no_priority and unfinished:
        unfinished.append(
            "no top priority yet for " + " and ".join(no_priority)
            if len(no_priority) <= 2
            else f"no top priority yet for {len(no_priority)} areas"
        )
    progress = (
        f"{counts['done']} of {_plural(counts['total'], 'statement')} reflected on"
        if counts["total"]
        else "No statements chosen yet"
    )
    if counts["total"] and not_sure:
        progress += f"; {not_sure} not sure yet"  # agrees with the "best fit still to settle" note

    plan = []
    for view in all_views:
        if view.not_sure:
            now, aim = "Not sure yet", ""
        elif view.tier_name:
            now = view.tier_name
            aim = view.aim_name or f"{view.tier_name} (sustain and share)"
        else:
            now, aim = "Not chosen yet", ""
        for step in view.next_steps:
            plan.append(
                PlanRow(
                    view.area_title,
                    f"{view.number}. {view.short}",
                    view.id,
                    view.text,
                    step.what,
                    step.who,
                    step.by_when,
                    now,
                    aim,
                )
            )

    tier_names = tuple(t.name for t in framework.tiers)
    return Report(
        title="Inclusion reflection summary",
        label=session.label.strip(),
        phase=session.phase.strip(),
        role=session.role.strip(),
        session_name=session.name,
        started=human_date(session.created),
        updated=human_date(session.updated),
        framework_title=framework.display_title,
        # the title already names the edition ("... (pilot sections)"): the text version only
        framework_version=text_version(framework.version, framework.edition),
        made_with_version=(
            version_words(session.framework_version, framework.edition)
            if session.framework_version and session.framework_version != framework.version
            else ""
        ),
        tier_names=tier_names,
        scope_chosen=scope_chosen,
        scope_lines=scope_lines,
        areas=tuple(areas),
        counts=counts,
        plan=tuple(plan),
        chart=_chart(areas, tier_names),
        not_in_framework=not_in_framework,
        progress=progress,
        unfinished=tuple(unfinished),
        unsettled=unsettled,
    )


def text_version(version: str, edition: str) -> str:
    """ "pilot-176ce45707" -> "text version 176ce45707"; another form as "framework version V"."""
    prefix = f"{edition}-"
    if edition and version.startswith(prefix) and len(version) > len(prefix):
        return f"text version {version[len(prefix) :]}"
    return f"framework version {version}"


def version_words(version: str, edition: str) -> str:
    """A framework version in plain words: "pilot-176ce45707" -> "pilot sections (text version
    176ce45707)"; a version of another form is given as it is, after "framework version"."""
    prefix = f"{edition}-"
    if edition and version.startswith(prefix) and len(version) > len(prefix):
        return f"{edition} sections (text version {version[len(prefix) :]})"
    return f"framework version {version}"


# --- Personal details in an export -------------------------------------------------------------

# The leader's answers as the summary heads them, in the order it shows them, in plain words.
_ANSWER_SECTIONS = (
    ("settle", "what would settle it"),
    ("strengths", "what is working well"),
    ("evidence", "evidence"),
    ("consistency", "consistency and impact"),
    ("move_on", "what would move this on"),
    ("sustain", "sustaining and sharing it"),
)
_PLACES_NAMED = 2  # the message stays one or two lines: the rest are counted


class _Text(NamedTuple):
    """A piece of the leader's own text in the export, and where it shows."""

    where: str  # the statement ("Pupils, Parents & Carers 2") or area, "" for the details
    section: str  # "what is working well", "next steps", "your role"...
    statement_id: str  # "" when not a statement's
    text: str


def _leader_texts(report: Report, fmt: str) -> Iterator[_Text]:
    """Everything the leader typed that the export in `fmt` shows, and nothing else: framework
    wording, the bot's questions and notes, case study reasons are not theirs to check."""
    if fmt != "csv":  # the action plan shows the next steps only
        yield _Text("", "your school label", "", report.label)
        yield _Text("", "your phase", "", report.phase)
        yield _Text("", "your role", "", report.role)
        for area in report.areas:
            yield _Text(area.short_title, "top priority", "", area.top_priority)
    for view in report.statements:
        where = f"{view.area_short} {view.number}"
        if fmt != "csv":
            for name, section in _ANSWER_SECTIONS:
                if name == "settle" and not view.not_sure:
                    continue  # shown only while the best fit is unsettled
                for note in getattr(view, name):
                    yield _Text(where, section, view.id, note.text)
            if view.challenge is not None:
                for note in view.challenge.response:
                    yield _Text(where, "challenge response", view.id, note.text)
        for step in view.next_steps:
            for text in (step.what, step.who, step.by_when):
                yield _Text(where, "next steps", view.id, text)
        if fmt != "csv":
            for note in view.other:
                yield _Text(where, "other notes", view.id, note.text)


def _parts(sections: list[str]) -> str:
    """ "what is working well and evidence"; from three on, "what is working well and 2 more
    sections" (the message stays short)."""
    if len(sections) <= 2:
        return " and ".join(sections)
    return f"{sections[0]} and {len(sections) - 1} more sections"


def personal_data_warning(report: Report, framework: Framework, fmt: str) -> str:
    """What in the export looks like personal details, and where, in a line or two; "" if nothing.

    The leader is reminded about personal details only once per session while answering, so
    what was kept after that would otherwise reach governors without a word. For example: "It may
    include personal details: an email address and a phone number (Pupils, Parents & Carers 2,
    what is working well). Check before sharing; /go 7 revisits the statement."
    """
    kinds: list[str] = []
    places: dict[tuple[str, str], list[str]] = {}  # (where, statement id) -> sections
    for item in _leader_texts(report, fmt):
        if not item.text.strip():
            continue
        found = find_personal_data(item.text)
        if not found:
            continue
        kinds += [p.kind for p in found if p.kind not in kinds]
        sections = places.setdefault((item.where, item.statement_id), [])
        if item.section not in sections:
            sections.append(item.section)
    if not kinds:
        return ""
    named = list(places.items())[:_PLACES_NAMED]
    where = "; ".join(
        ", ".join(filter(None, (place, _parts(sections)))) for (place, _), sections in named
    )
    if len(places) > len(named):
        more = len(places) - len(named)
        where += f"; and {more} more {'place' if more == 1 else 'places'}"
    message = f"{EXPORT_WARNING_START}: {kinds_in_words(kinds)} ({where}). Check before sharing"
    numbers = {s.id: n for n, s in enumerate(framework.statements, start=1)}
    goes = [f"/go {numbers[sid]}" for (_, sid), _ in named if sid in numbers]
    if len(goes) == 1:
        return f"{message}; {goes[0]} revisits the statement."
    if goes:
        return f"{message}; {' and '.join(goes)} revisit the statements."
    return f"{message}."


# --- Escaping -----------------------------------------------------------------------------------


class MdSafe(str):
    """Markdown already escaped (or written by the template's own filters): left as it is."""


# Only what Markdown (CommonMark, GFM) would read as markup is escaped, so the raw file reads
# cleanly in a plain text editor: "=SUM(A1:A9)", "C:\maps", "72%", "e.g." and "3.5" stay as
# typed. Bare web addresses stay too (copied from the raw file they still work): a GFM viewer may
# make one clickable, but it shows exactly where it goes, whereas link syntax, <autolinks> and
# HTML, which could hide a destination or change the page, are always escaped.
_MD_INLINE = re.compile(
    r"""
    \\(?=[!-/:-@\[-`{-~]|$)     # a backslash that would escape what follows or break the line
    | [`*|~$]                   # code, emphasis, table cells, strikethrough, maths
    | (?<![^\W_])_ | _(?![^\W_])  # "_" other than inside a word ("snake_case" is never emphasis)
    | \](?=[(\[])               # "](" or "][": the middle of a link or an image
    | <(?=[A-Za-z/!?])          # an HTML tag, comment or <autolink>
    | &(?=\#?\w+;)              # an entity such as &lt;
    """,
    re.VERBOSE,
)
# What only matters at the start of a line (as CommonMark reads it): a quote, a link definition
# ("[x]: url"), a heading ("# x", not "#1"), a bullet ("- x", not "-2"), a rule or underline
# ("---", "===") or a numbered item ("2026. was..." must not become a list, "3.5" is fine).
_MD_LINE_START = re.compile(
    r"^(?:[>\[]|\#{1,6}(?=[ \t]|$)|[-+](?=[ \t]|$)|-+[ \t-]*$|=+[ \t]*$|\d{1,9}(?=[.)](?:[ \t]|$)))"
)


def _md_line(line: str) -> str:
    line = _MD_INLINE.sub(lambda m: "\\" + m.group(), line.strip(" \t"))
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    if match.group()[0].isdigit():
        return f"{match.group()}\\{line[match.end() :]}"
    return "\\" + line


def md_escape(value: object) -> str:
    """Any value as inert Markdown on one line (line breaks become spaces)."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    text = " ".join(str(value).split())
    return _md_line(text)


def md_block(value: object, indent: int = 0) -> MdSafe:
    """Text as inert Markdown keeping its line breaks and paragraphs.

    Continuation lines are indented by `indent` spaces, so a block stays inside a list item.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [p for p in re.split(r"\n[ \t]*\n(?:[ \t]*\n)*", text.strip()) if p.strip()]
    pad = " " * indent
    out = []
    for paragraph in paragraphs:
        lines = [_md_line(line) for line in paragraph.split("\n") if line.strip()]
        out.append(("  \n" + pad).join(lines))
    return MdSafe(("\n\n" + pad).join(out))


def md_notes(notes: Iterable[Note], indent: int = 0) -> MdSafe:
    """The leader's answers, one after another, each keeping its paragraphs."""
    out = []
    for note in notes:
        block = md_block(note.text, indent)
        out.append(f"{block} *(noted as brief)*" if note.thin else block)
    return MdSafe(("\n\n" + " " * indent).join(out))


def _md_finalize(value: object) -> str:
    return md_escape(value)


def html_block(value: object) -> str:
    """Text for an element styled `white-space: pre-wrap`: trimmed, line endings normalised."""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip("\n")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading formula character gets an apostrophe."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_row(values: Iterable[object]) -> str:
    """One CSV line (ending CRLF, as spreadsheets expect), every cell quoted as needed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([csv_cell(v) for v in values])
    return buffer.getvalue()


# --- Templates ----------------------------------------------------------------------------------


def _default_prompts_dir() -> Path:
    from reflect_bot.locations import Settings

    return Settings.load().prompts_dir


@lru_cache(maxsize=8)
def _environment(prompts_dir: Path, fmt: str) -> jinja2.Environment:
    """One environment per folder and format, so each template is compiled once."""
    options: dict[str, Any] = dict(
        loader=jinja2.FileSystemLoader(prompts_dir / "export"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=fmt == "html",
    )
    if fmt == "md":
        options["finalize"] = _md_finalize
    env = jinja2.Environment(**options)
    env.filters.update(
        md_block=md_block,
        md=md_escape,
        md_notes=md_notes,
        text_block=html_block,
        csv_row=csv_row,
        plural=_plural,
    )
    return env


def _template(prompts_dir: Path, fmt: str) -> jinja2.Template:
    try:
        return _environment(prompts_dir, fmt).get_template(_TEMPLATES[fmt])
    except jinja2.TemplateNotFound:
        raise ExportError(
            f"The export template {prompts_dir / 'export' / _TEMPLATES[fmt]} is missing; "
            "reinstall reflect-bot or restore the prompts folder."
        ) from None


def render(
    session: Session, framework: Framework, fmt: str, *, prompts_dir: Path | None = None
) -> str:
    """The export as text. The same session always gives the same text."""
    fmt = normalise_format(fmt)
    return _render_report(build_report(session, framework), fmt, prompts_dir)


def _render_report(report: Report, fmt: str, prompts_dir: Path | None) -> str:
    template = _template(Path(prompts_dir or _default_prompts_dir()), fmt)
    text = template.render(report=report)
    if fmt == "md":
        # Blank lines collapse to one, and the file ends with a single newline.
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text


# --- Writing ------------------------------------------------------------------------------------


def _safe_stem(name: str) -> str:
    stem = re.sub(r"[^\w-]+", "-", name, flags=re.UNICODE).strip("-_.")
    return stem[:80] or "reflection"


def _write_new(path: Path, data: bytes) -> None:
    """Create `path` (never replacing a file) with owner-only permissions."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _encode(text: str, fmt: str) -> bytes:
    # Excel reads a CSV as UTF-8 only when it starts with a byte order mark.
    return text.encode("utf-8-sig" if fmt == "csv" else "utf-8")


def export(
    session: Session,
    framework: Framework,
    fmt: str,
    path: str | Path | None = None,
    exports_dir: str | Path | None = None,
    *,
    prompts_dir: Path | None = None,
) -> Path:
    """Write the export to a new file and return its path.

    Without `path`, the file goes into `exports_dir` (by default the exports folder beside the
    sessions folder) as "<session>-summary.html" or "<session>-action-plan.csv", numbered
    "-2", "-3"... when an earlier export has that name. A `path` that is a folder is used the same
    way; a `path` ending in a separator ("out/") is always a folder, made (0700) when its parent
    exists. A `path` naming an existing file is refused rather than replaced.
    """
    fmt = normalise_format(fmt)
    report = build_report(session, framework)
    return _write(report, session.name, fmt, path, exports_dir, prompts_dir)


class Exported(NamedTuple):
    """Where an export was written, and what in it looks like personal details ("" if nothing)."""

    path: Path
    warning: str


def export_checked(
    session: Session,
    framework: Framework,
    fmt: str,
    path: str | Path | None = None,
    exports_dir: str | Path | None = None,
    *,
    prompts_dir: Path | None = None,
) -> Exported:
    """Write the export as `export` does, and check the leader's words in it for personal details.

    The export is always written (the leader decides what to share); the warning, when there is
    one, is for the message that reports it. See `personal_data_warning`.
    """
    fmt = normalise_format(fmt)
    report = build_report(session, framework)
    written = _write(report, session.name, fmt, path, exports_dir, prompts_dir)
    return Exported(written, personal_data_warning(report, framework, fmt))


def _write(
    report: Report,
    session_name: str,
    fmt: str,
    path: str | Path | None,
    exports_dir: str | Path | None,
    prompts_dir: Path | None,
) -> Path:
    data = _encode(_render_report(report, fmt, prompts_dir), fmt)
    if path is not None:
        target = Path(path).expanduser()
        if _names_a_folder(path) and not target.is_dir():
            _make_folder(target)
        if not target.is_dir():
            if target.exists():
                raise ExportError(
                    f"{target} already exists; choose another name, or move that file first."
                )
            if not target.parent.is_dir():
                raise ExportError(
                    f"The folder {target.parent} does not exist; create it or choose another."
                )
            try:
                _write_new(target, data)
            except FileExistsError:
                raise ExportError(
                    f"{target} already exists; choose another name, or move that file first."
                ) from None
            except OSError as error:
                raise ExportError(_cannot_write(target, error)) from None
            return target
        folder = target
    else:
        if exports_dir is None:
            from reflect_bot.locations import Settings

            exports_dir = Settings.load().exports_dir
        folder = Path(exports_dir)
        if not folder.is_dir():
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                if os.name != "nt":
                    os.chmod(folder, 0o700)  # mkdir's mode is reduced by the umask
            except OSError as error:
                raise ExportError(_cannot_write(folder, error)) from None

    stem = f"{_safe_stem(session_name)}-{_FILE_NAMES[fmt]}"
    base, suffix = stem.rsplit(".", 1)
    for number in range(1, 10_000):
        candidate = folder / (f"{base}.{suffix}" if number == 1 else f"{base}-{number}.{suffix}")
        try:
            _write_new(candidate, data)
        except FileExistsError:
            continue
        except OSError as error:
            raise ExportError(_cannot_write(candidate, error)) from None
        return candidate
    raise ExportError(f"Too many exports of this session in {folder}; tidy that folder first.")


def _names_a_folder(path: str | Path) -> bool:
    """Whether `path` was written ending in a separator, as "exports/" (Path drops it)."""
    text = os.fspath(path)
    return text.endswith(tuple(sep for sep in (os.sep, os.altsep) if sep))


def _make_folder(folder: Path) -> None:
    """Make the folder an -o "folder/" names: only inside a folder that exists, never a chain."""
    if folder.exists():
        raise ExportError(f"{folder} is a file, not a folder; choose another place with -o.")
    if not folder.parent.is_dir():
        raise ExportError(
            f"The folder {folder.parent} does not exist, so {folder} cannot be made there; "
            "create it or choose another place with -o."
        )
    try:
        folder.mkdir(mode=0o700)
        if os.name != "nt":
            os.chmod(folder, 0o700)  # mkdir's mode is reduced by the umask
    except FileExistsError:
        if not folder.is_dir():
            raise ExportError(
                f"{folder} is a file, not a folder; choose another place with -o."
            ) from None
    except OSError as error:
        raise ExportError(_cannot_write(folder, error)) from None


def _cannot_write(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return f"Could not write the export to {path} ({reason}); choose another place with -o."
