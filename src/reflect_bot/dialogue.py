"""The reflection dialogue: one explicit state machine, free of any user-interface import.

The whole conversation is the table `STATES` (what each state asks) and `TRANSITIONS` (for each
state, the named guards tried in order and the state each leads to). The current state and its
small working values live on `session.conversation`, so a saved session resumes exactly.

Front ends call `Engine.start(session)` once, then `Engine.step(session, text)` for every line the
leader sends (commands included) and render the replies. The engine never does I/O: it mutates the
session and the front end saves it after every step.

Commands start with "/" (e.g. "/back", "/go 3"); the single word "help" on its own also shows help.
Anything else is an answer to the question being asked.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from reflect_bot.errors import UserError
from reflect_bot.framework import Area, CaseStudy, Framework, Statement, Tier, sentences
from reflect_bot.privacy import find_personal_data, replace_personal_data
from reflect_bot.prompts import NEXT_STEP_KINDS, STATEMENT_KINDS, Question, QuestionBank
from reflect_bot.replies import (
    PHASES,
    Action,
    Ask,
    CaseStudyCard,
    Profile,
    ProfileRow,
    Quote,
    Reply,
    Saved,
    Say,
    TierColumn,
    TierComparison,
    markdown_literal,
    markdown_plain,
)
from reflect_bot.revisions import has_answers, missing_statements, updated_since
from reflect_bot.session import (
    MAX_UNDO,
    AreaRecord,
    CaseStudyNote,
    Challenge,
    Conversation,
    NextStep,
    Session,
    StatementRecord,
    Undo,
    now,
)
from reflect_bot.session import (
    Answer as AnswerRecord,
)
from reflect_bot.suggest import closest_tier, suggest_case_studies, tells_apart

EXPORT_FORMATS = ("md", "html", "csv")
FOLLOW_UPS = 2  # at most this many gentle follow-ups to a thin answer
_CHOICE_WORDS = 3  # a reply to a choice of more words than this is taken as an answer
HOLD_LABEL = "your answer, held for the reminder"
REMOVED = "[removed]"  # what personal data the leader chose to retype becomes in the transcript
# what it becomes where the bot quotes the leader's words back (the words themselves are kept:
# "[removed]" there read as though they had gone)
NOT_REPEATED = "[details not repeated]"
RETYPING = "retyping"  # pending: the question whose answer is being retyped after the reminder
# pending, while a finished statement is revised: "1", and the questions (base ids) answered anew
IN_REVISION = "in_revision"
REVISED = "revised"
KEEP_PROMPT = "Enter keeps earlier answer"  # added to the prompt where that is so
# pending, at a top priority asked for with /priority: where the leader was (JSON), to go back to
PRIORITY_RETURN = "priority_return"


# --- The state table ----------------------------------------------------------------------------


class State(NamedTuple):
    """One state: the kind of answer it waits for (None: transient, it moves on at once)."""

    ask: str | None
    prompt: str = ""
    answer_kind: str = ""  # the Answer.kind its answers are recorded as ("" when not an Answer)
    follow_up: bool = False  # thin answers get gentle follow-ups
    optional: bool = False  # an empty answer moves on


STATES: dict[str, State] = {
    "greeting": State(None),
    # the opening
    "label": State("text", "school or context, optional", optional=True),
    "phase": State("choice", "choice or text, optional", optional=True),
    "role": State("text", "your role, optional", optional=True),
    "scope": State("choice", "choice"),
    "scope_statements": State("text", "statement numbers"),
    # one statement
    "next_statement": State(None),
    "open_statement": State(None),
    "carry_on": State(None),  # on to the first question of a statement not answered yet
    "revise": State("yes/no", "yes/no", optional=True),  # a finished statement: revise it?
    "working_well": State("reflection", "reflection", "working_well", follow_up=True),
    "evidence": State("reflection", "reflection", "evidence", follow_up=True),
    "consistency": State("reflection", "reflection", "consistency", follow_up=True),
    "impact": State("reflection", "reflection", "impact", follow_up=True),
    "tier": State("tier", "tier 1-3 or ?"),
    "find_out": State("reflection", "reflection", "find_out", follow_up=True),
    "challenge": State("reflection", "reflection", optional=True),
    "challenge_decision": State("choice", "choice"),
    "next_tier": State("reflection", "reflection", "next_tier", follow_up=True),
    "sustain_share": State("reflection", "reflection", "sustain_share", follow_up=True),
    "next_what": State("text", "next step, optional", optional=True),
    "next_who": State("text", "who, optional", optional=True),
    "next_when": State("text", "by when, optional", optional=True),
    "next_more": State("yes/no", "yes/no", optional=True),
    "case_studies": State("choice", "choice", optional=True),
    "statement_done": State(None),
    "after_statement": State(None),
    # wrap-ups
    "top_priority": State("reflection", "top priority, optional", optional=True),
    "summary": State(None),
    "export": State("choice", "choice", optional=True),
    "done": State("done", "done: /go N, /export or /quit"),
    # the one personal-data reminder
    "privacy": State("choice", "choice"),
}

# For each state, (guard, next state) pairs: the first guard that holds wins.
TRANSITIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "greeting": (("always", "label"),),
    "label": (("always", "phase"),),
    "phase": (("always", "role"),),
    "role": (("always", "scope"),),
    "scope": (("choosing_statements", "scope_statements"), ("always", "next_statement")),
    "scope_statements": (("always", "next_statement"),),
    "next_statement": (("statement_chosen", "open_statement"), ("always", "summary")),
    "open_statement": (("carrying_on", "carry_on"), ("always", "working_well")),
    "carry_on": (
        ("missing_working_well", "working_well"),
        ("missing_evidence", "evidence"),
        ("missing_consistency", "consistency"),
        ("missing_impact", "impact"),
        ("missing_tier", "tier"),
        ("missing_find_out", "find_out"),
        ("missing_sustain_share", "sustain_share"),
        ("missing_next_tier", "next_tier"),
        ("always", "next_what"),
    ),
    "revise": (
        ("revising", "open_statement"),
        ("reflection_was_done", "done"),
        ("always", "next_statement"),
    ),
    "working_well": (("always", "evidence"),),
    "evidence": (
        ("asks_consistency", "consistency"),
        ("asks_impact", "impact"),
        ("always", "tier"),
    ),
    "consistency": (("asks_impact", "impact"), ("always", "tier")),
    "impact": (("always", "tier"),),
    "tier": (
        ("not_sure", "find_out"),
        ("tier_above_support", "challenge"),
        ("at_top_tier", "sustain_share"),
        ("always", "next_tier"),
    ),
    "find_out": (("always", "next_what"),),
    "challenge": (("always", "challenge_decision"),),
    "challenge_decision": (
        ("not_sure", "find_out"),
        ("at_top_tier", "sustain_share"),
        ("always", "next_tier"),
    ),
    "next_tier": (("always", "next_what"),),
    "sustain_share": (("always", "next_what"),),
    "next_what": (
        ("step_given", "next_who"),
        ("has_case_studies", "case_studies"),
        ("always", "statement_done"),
    ),
    "next_who": (("always", "next_when"),),
    "next_when": (("always", "next_more"),),
    "next_more": (
        ("wants_more", "next_what"),
        ("has_case_studies", "case_studies"),
        ("always", "statement_done"),
    ),
    "case_studies": (("always", "statement_done"),),
    "statement_done": (("always", "after_statement"),),
    "after_statement": (("area_finished", "top_priority"), ("always", "next_statement")),
    "top_priority": (("always", "next_statement"),),
    "summary": (("always", "export"),),
    "export": (("always", "done"),),
    "done": (("always", "done"),),
    "privacy": (),  # left by its own handler, back to the question it interrupted
}

# The states in which a statement is being reflected on.
STATEMENT_STATES = frozenset(
    {
        *STATEMENT_KINDS,
        "tier",
        "find_out",
        "challenge",
        "challenge_decision",
        *NEXT_STEP_KINDS,
    }
)
REFLECTION_KINDS = STATEMENT_KINDS
_KIND_LABELS = {
    "working_well": "Working well",
    "evidence": "How you know",
    "consistency": "Consistency",
    "impact": "Impact",
    "find_out": "To find out",
    "next_tier": "Towards the next tier",
    "sustain_share": "Sustaining and sharing",
}

COMMANDS = (
    ("help", "", "show this list"),
    ("back", "", "undo your last answer (again to go further back)"),
    ("skip", "", "leave this statement for now (or skip an optional question)"),
    ("go", "N", "go to a statement by its number or id, e.g. /go 3"),
    ("tiers", "", "show the three tiers"),
    ("cases", "", "show the case studies"),
    ("summary", "", "show your profile so far"),
    ("priority", "[N]", "set or change an area's top priority, e.g. /priority 1"),
    ("save", "", "save now (the session is also saved after every answer)"),
    ("quit", "", "save and stop; resume later"),
    ("export", "[md|html|csv]", "export a reflection summary"),
)

_THIN_PHRASES = (
    "don't know",
    "dont know",
    "do not know",
    "not sure",
    "no idea",
    "unsure",
    "idk",
    "dunno",
    "n/a",
    "no comment",
    "nothing",
    "can't say",
    "cannot say",
)


def normalise(text: str) -> str:
    """Line endings to LF; nothing else changes (answers round-trip exactly)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_thin(text: str) -> bool:
    """Empty, one word, or "don't know" and the like."""
    plain = text.strip().lower().replace("\u2019", "'")
    words = re.findall(r"[\w'/-]+", plain)
    if len(words) <= 1:
        return True
    return len(words) <= 5 and any(p in plain for p in _THIN_PHRASES)


def base_question_id(question_id: str) -> str:
    """The question a follow-up belongs to: "x.working-well.follow-up-2" -> "x.working-well"."""
    return question_id.split(".follow-up")[0]


def _thin_note_start(kind: str) -> str:
    """How the note for an answer of this kind left thin begins (see thin_note.j2)."""
    return f"The {kind.replace('_', ' ')} answer"


def _short(text: str, limit: int = 60) -> str:
    """`text` on one line, cut to `limit` characters at a space where there is one near the
    end (a word is not cut in half), with "…" where it was cut."""
    one_line = " ".join(text.split())
    if len(one_line) <= limit:
        return one_line
    cut = one_line[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _plain_notes(replies: list[Reply]) -> list[Reply]:
    """Notes and warnings are shown as plain text: the escapes their templates put in the
    leader's quoted words (for Markdown) come out again."""
    return [
        r._replace(text=markdown_plain(r.text)) if isinstance(r, Say) and r.tone != "normal" else r
        for r in replies
    ]


def redact(text: str) -> str:
    """`text`, to be quoted back, with what looks like personal data left out (NOT_REPEATED)."""
    return replace_personal_data(text, NOT_REPEATED)


def _answer_label(text: str) -> str:
    """How `back` names an answer (personal data left out: the label is saved and shown)."""
    return f"your answer “{_short(redact(text))}”" if text.strip() else "your blank answer"


def _contains_words(text: str, words: tuple[str, ...]) -> list[str]:
    found = []
    lowered = text.lower()
    for word in words:
        if re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", lowered):
            found.append(word)
    return found


# Short answers to a choice, as people type them: "Yes.", "no thanks", "Both!", "keep it".
def _phrases(text: str) -> frozenset[str]:
    """One phrase a line."""
    return frozenset(line.strip() for line in text.strip().splitlines())


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EDGE_PUNCTUATION = " \t\n.,!;:\"'“”‘’()"
_POLITE = _words("please thanks thank you ta cheers")
_YES = _words("y yes yeah yep yup sure ok okay")
_NO = _words("n no nope nah")
_NOTHING = _words("none neither nothing skip") | {"not now", "no thanks", "not for now"}
_ALL = _words("all everything both every whole each lot")
_CHOOSING = _words("choose chose chosen pick select specific particular certain some")
_REVERSED = _words("first reverse reversed backwards")
_KEEP = _words("k keep fine") | _phrases(
    """
    keep it
    keep as typed
    keep it as typed
    keep as is
    keep it as it is
    keep the answer
    keep answer
    keep my answer
    as typed
    leave it
    """
)
_RETYPE = _words("r retype re-type edit rewrite") | _phrases(
    """
    retype it
    re-type it
    edit it
    change it
    rewrite it
    retype the answer
    type it again
    """
)
_NUMBER_WORDS = {
    "one": "1",
    "first": "1",
    "1st": "1",
    "two": "2",
    "second": "2",
    "2nd": "2",
    "three": "3",
    "third": "3",
    "3rd": "3",
}
_TIER_WORDS = _words("tier level the a an one it it's its is at i'd say think go with for - &")
_TIER_FILLER = (
    "tier",
    "change to",
    "go with",
    "move to",
    "make it",
    "choose",
    "i'd say",
    "i think",
)


def _plain(text: str) -> str:
    """A short answer lower-cased, curly apostrophes straightened, edge punctuation and
    politeness ("please", "thanks") dropped, spaces collapsed."""
    value = " ".join(text.lower().replace("\u2019", "'").split()).strip(_EDGE_PUNCTUATION)
    words = value.split()
    while len(words) > 1 and words[-1].strip(_EDGE_PUNCTUATION) in _POLITE:
        words.pop()
    while len(words) > 1 and words[0].strip(_EDGE_PUNCTUATION) in _POLITE - {"you"}:
        words.pop(0)
    return " ".join(words).strip(_EDGE_PUNCTUATION)


def _and(items: list[str]) -> str:
    """Items joined as in a sentence: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _yes_no(text: str) -> bool | None:
    """True for yes, False for no (or nothing typed), None when it is neither."""
    value = _plain(text)
    if not value:
        return False
    first = value.split()[0].strip(_EDGE_PUNCTUATION)
    if value in _YES or (first in _YES and len(value.split()) <= 2):
        return True
    if value in _NO or value in _NOTHING or (first in _NO and len(value.split()) <= 3):
        return False
    return None


def _keeps(text: str) -> bool:
    """Nothing typed, or "keep": while revising, what the leader said before stays."""
    return not text.strip() or _plain(text) == "keep"


def privacy_choice(text: str) -> str | None:
    """What a reply at the personal-data reminder means: "keep", "retype", "answer" (more than a
    few words: taken as the retyped answer) or None (unclear: asked again)."""
    value = _plain(text)
    if value in _RETYPE or value in _NO:
        return "retype"
    if value in _KEEP or value in _YES:
        return "keep"
    return "answer" if len(value.split()) > _CHOICE_WORDS else None


def _word_set(text: str) -> list[str]:
    return re.findall(r"[a-z0-9&']+", text.lower())


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


# --- Collaborators -----------------------------------------------------------------------------


def _case_suggestions_for(
    framework: Framework, statement_id: str, texts: list[str]
) -> list[tuple[CaseStudy, str]]:
    return suggest_case_studies(framework, statement_id, texts, limit=2)


def _personal_data(text: str) -> list[tuple[str, str]]:
    """(what it looks like, the matched text) for each piece of personal data in an answer."""
    return [(item.description, item.text) for item in find_personal_data(text)]


# --- Replies as plain text (for the transcript and the plain console) ---------------------------


def reply_text(reply: Reply) -> str:
    """A reply as plain lines of text; "" for replies with nothing to read (Ask, Action)."""
    if isinstance(reply, Say):
        return markdown_plain(reply.text) if reply.tone == "normal" else reply.text
    if isinstance(reply, Quote):
        return f"{reply.source}:\n“{reply.text}”"
    if isinstance(reply, TierComparison):
        lines = []
        for index, column in enumerate(reply.columns, start=1):
            chosen = " (your choice)" if column.chosen else ""
            lines.append(f"{index}. {column.tier_name}{chosen}:")
            if column.descriptor is None:
                lines.append("   The framework gives no specific descriptor at this tier.")
                overall = reply.overall.get(column.tier_id)
                if overall:
                    lines.append(f"   The area's overall descriptor: “{overall}”")
            else:
                lines.append(f"   “{column.descriptor}”")
        if reply.hint is not None:
            words = ", ".join(f"“{w}”" for w in reply.hint.words)
            because = f" (words such as {words})" if words else ""
            lines.append(
                f"Hint, not a verdict: your own words sit closest to {reply.hint.tier_name}"
                f"{because}."
            )
        return "\n".join(lines)
    if isinstance(reply, CaseStudyCard):
        saved = " (saved to follow up)" if reply.saved else ""
        return f"Case study: {reply.title}{saved}\n{reply.summary}\nWhy: {reply.reason}"
    if isinstance(reply, Profile):
        lines = [reply.title]
        for row in reply.rows:
            status = {
                "done": row.tier_name or "reflected on",
                "skipped": "not reflected on (skipped)",
                "in_progress": "in progress",
                "not_started": "not reflected on",
            }.get(row.status, row.status)
            if row.status == "in_progress" and row.tier_name:
                status = f"{row.tier_name} (in progress)"
            lines.append(f"  {row.short}: {status}")
        return "\n".join(lines)
    if isinstance(reply, Saved):
        return f"Saved to {reply.path}" if reply.ok else f"Could not save: {reply.reason}"
    return ""


# --- The engine ---------------------------------------------------------------------------------


Guard = Callable[[Session], bool]


class Engine:
    """Drives the conversation: `start`, then `step` for each line the leader sends."""

    def __init__(self, framework: Framework, bank: QuestionBank) -> None:
        self.framework = framework
        self.bank = bank
        self._numbers = {s.id: i for i, s in enumerate(framework.statements, start=1)}
        self.guards: dict[str, Guard] = {
            "always": lambda s: True,
            "choosing_statements": lambda s: s.conversation.pending.get("scope") == "choose",
            "statement_chosen": lambda s: bool(s.conversation.statement_id),
            "asks_consistency": lambda s: self._statement_question(s, "consistency") is not None,
            "asks_impact": lambda s: self._statement_question(s, "impact") is not None,
            "not_sure": lambda s: self._record(s).not_sure,
            "tier_above_support": lambda s: self._challenge_reason(s) is not None,
            "at_top_tier": lambda s: self._record(s).tier == self.framework.tiers[-1].id,
            "step_given": lambda s: s.conversation.pending.get("step_given") == "1",
            "wants_more": lambda s: s.conversation.pending.get("more") == "1",
            "has_case_studies": lambda s: bool(self._case_suggestions(s)),
            "area_finished": self._area_finished,
            "carrying_on": lambda s: s.conversation.pending.get("carry_on") == "1",
            "missing_working_well": lambda s: self._missing(s, "working_well"),
            "missing_evidence": lambda s: self._missing(s, "evidence"),
            "missing_consistency": lambda s: (
                self.guards["asks_consistency"](s) and self._missing(s, "consistency")
            ),
            "missing_impact": lambda s: (
                self.guards["asks_impact"](s) and self._missing(s, "impact")
            ),
            "missing_tier": lambda s: not self._record(s).tier and not self._record(s).not_sure,
            "missing_find_out": lambda s: self._record(s).not_sure and self._missing(s, "find_out"),
            "missing_sustain_share": lambda s: (
                self.guards["at_top_tier"](s) and self._missing(s, "sustain_share")
            ),
            "missing_next_tier": lambda s: (
                bool(self._record(s).tier)
                and not self.guards["at_top_tier"](s)
                and self._missing(s, "next_tier")
            ),
            "revising": lambda s: s.conversation.pending.get("revising") == "1",
            "reflection_was_done": lambda s: s.conversation.pending.get("return_state") == "done",
        }
        missing = {g for pairs in TRANSITIONS.values() for g, _ in pairs} - set(self.guards)
        assert not missing, f"guards without a definition: {missing}"

    # --- public ---------------------------------------------------------------------------------

    def start(self, session: Session) -> list[Reply]:
        """The greeting for a new session; for a resumed one, a welcome back and the question."""
        self.check(session)
        conv = session.conversation
        if conv.state == "greeting":
            replies: list[Reply] = [Say(self._render("greeting"))]
            replies += self._goto(session, "label")
            self._log(session, replies)
        else:
            replies = self._resume(session)
        return _plain_notes(replies)

    def _resume(self, session: Session) -> list[Reply]:
        """The welcome back, kept out of the transcript: it only repeats where the conversation
        stands, and a saved one would be the last bot message the next time the session opens,
        so welcome backs would pile up one after another. Only when resuming moved the
        conversation on (its statement is no longer in the framework) is what it asks now part
        of the conversation, and logged (the welcome line aside)."""
        conv = session.conversation
        where = (conv.state, conv.statement_id)
        replies = self._welcome_back(session)
        if (session.conversation.state, session.conversation.statement_id) != where:
            self._log(session, replies[1:])
        return replies

    def check(self, session: Session) -> None:
        """Raise a one-line UserError when a (hand-edited) session names a conversation state or
        a tier this engine does not know; `start` calls it first."""
        state = session.conversation.state
        fix = (
            f"Edit '{state}' in the [conversation] table of the session file to a known state "
            '(for example "next_statement"), or start a new session.'
        )
        if state not in STATES:
            raise UserError(f"The session has an unknown conversation state '{state}'. {fix}")
        held_state = session.conversation.pending.get("held_state", "")
        if state == "privacy" and held_state not in STATES:
            raise UserError(
                f"The session has an unknown conversation state '{held_state}' (held_state). "
                "Remove held_state and held from the session file, or start a new session."
            )
        tier_ids = [t.id for t in self.framework.tiers]
        for record in session.statements:
            for value in (record.tier, record.hint_tier):
                if value and value not in tier_ids:
                    raise UserError(
                        f"The session has an unknown tier '{value}' for statement "
                        f'{record.statement_id}. Use one of {", ".join(tier_ids)} (or "") '
                        "in the session file, or start a new session."
                    )

    def _unknown_statements(self, session: Session) -> list[Reply]:
        """On resuming: statements the session names that this framework no longer has.

        They are skipped everywhere, never dropped: their answers stay in the session and its
        file. Those with answers are reported by the store when it opens the file (one notice);
        this reports the rest once, and moves on if the conversation stood at one of them.
        """
        conv = session.conversation
        reported = set(missing_statements(session, self.framework))
        named = [*conv.scope, conv.statement_id]
        unknown = sorted(
            {sid for sid in named if sid and not self.framework.has_statement(sid)} - reported
        )
        replies: list[Reply] = []
        if unknown:
            replies.append(Say(self._render("unknown_statements", session, unknown=unknown)))
        if conv.statement_id and not self.framework.has_statement(conv.statement_id):
            conv.statement_id = ""
            replies += self._goto(session, "next_statement")
        return replies

    def step(self, session: Session, text: str) -> list[Reply]:
        """One line (or several joined lines) from the leader; returns the bot's replies."""
        text = normalise(text)
        if session.conversation.state == "greeting":
            return self.start(session)
        if text.strip():
            session.say("leader", text)
        command = _parse_command(text)
        if command is None and text.lstrip().startswith("//"):
            text = text.replace("//", "/", 1)  # "//" starts an answer with a literal "/"
        if command is not None:
            replies = self._command(session, *command)
        else:
            replies = self._answer(session, text)
        session.updated = now()
        self._log(session, replies)
        return _plain_notes(replies)

    def expected(self, session: Session) -> Ask:
        """What the bot is waiting for now."""
        state = session.conversation.state
        spec = STATES[state]
        options: tuple[tuple[str, str], ...] = ()
        if state == "phase":
            options = tuple((str(i), phase) for i, phase in enumerate(PHASES, start=1))
        elif state == "scope":
            options = self._scope_options()
        elif state == "tier":
            options = self._tier_options()
        elif state == "challenge_decision":
            tier = session.conversation.pending.get("tier_before", "")
            name = self.framework.tier(tier).name if tier else ""
            options = (("k", f"Keep {name}"), *self._tier_options())
        elif state == "case_studies":
            count = self._offered_count(session)
            saved = any(n.saved for n in self._record(session).case_studies[:count])
            options = tuple((str(i), f"Save case study {i}") for i in range(1, count + 1))
            if count > 1:
                options += (("b", "Save both"),)
            if saved:
                options += (("n", "Nothing more (saved ones stay saved)"),)
                options += (("unsave", "Stop following up a saved one"),)
            else:
                options += (("n", "None for now"),)
        elif state == "export":
            options = (
                ("md", "Markdown"),
                ("html", "Web page (HTML, print-ready)"),
                ("csv", "Action plan (CSV, for a spreadsheet)"),
                ("n", "Not now"),
            )
        elif state == "privacy":
            options = (("k", "Keep the answer as typed"), ("r", "Retype the answer"))
        kind = spec.ask or "done"
        prompt = spec.prompt
        keeps = self._can_keep(session)
        if keeps:
            prompt = f"{prompt}, {KEEP_PROMPT}"
        return Ask(kind, prompt, options, keeps)  # type: ignore[arg-type]

    def statement_number(self, statement_id: str) -> int:
        return self._numbers[statement_id]

    # --- rendering helpers ----------------------------------------------------------------------

    def _context(self, session: Session, **extra: Any) -> dict[str, Any]:
        """What every template may use."""
        statement = self._statement(session)
        area = self.framework.area(statement.area_id) if statement else None
        record = session.find_record(statement.id) if statement else None
        tier = self._tier_of(record)
        next_tier = None
        if tier is not None and tier.index + 1 < len(self.framework.tiers):
            next_tier = self.framework.tiers[tier.index + 1]
        context = {
            "framework": self.framework,
            "tiers": self.framework.tiers,
            "session": session,
            "statement": statement,
            "area": area,
            "number": self._numbers.get(statement.id, 0) if statement else 0,
            "total": len(self.framework.statements),
            "tier": tier,
            "next_tier": next_tier,
            "commands": COMMANDS,
        }
        context.update(extra)
        return context

    def _render(self, template: str, session: Session | None = None, **extra: Any) -> str:
        context = self._context(session, **extra) if session else {**self._base(), **extra}
        return self.bank.render(template, **context)

    def _base(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "tiers": self.framework.tiers,
            "commands": COMMANDS,
            "total": len(self.framework.statements),
        }

    def _log(self, session: Session, replies: list[Reply]) -> None:
        """The replies' text into the transcript. The bot's words are kept as the app shows them
        when a session is opened again: as Markdown, the leader's quoted words escaped (notes
        too: call this before `_plain_notes`)."""
        for reply in replies:
            text = reply.text if isinstance(reply, Say) else reply_text(reply)
            if text:
                session.say("bot", text)

    # --- state helpers --------------------------------------------------------------------------

    def _statement(self, session: Session) -> Statement | None:
        sid = session.conversation.statement_id
        return self.framework.statement(sid) if sid and self.framework.has_statement(sid) else None

    def _known(self, statement_ids: list[str]) -> list[str]:
        """The ids this framework has: a session made with another version may name others."""
        return [sid for sid in statement_ids if self.framework.has_statement(sid)]

    def _scope(self, session: Session) -> list[str]:
        """The statements chosen, in order, that this framework has."""
        return self._known(session.conversation.scope)

    def _tier_of(self, record: StatementRecord | None) -> Tier | None:
        """The record's chosen tier, or None (none chosen, or a tier this framework lacks)."""
        if record is None or not record.tier:
            return None
        return next((t for t in self.framework.tiers if t.id == record.tier), None)

    def _record(self, session: Session) -> StatementRecord:
        return session.record(session.conversation.statement_id)

    def _statement_question(self, session: Session, kind: str) -> Question | None:
        sid = session.conversation.statement_id
        own = self.bank.statement_questions(sid)
        if own:
            return self.bank.question(sid, kind)
        generic = self.bank.generic_questions(kind)  # a statement the bank does not know yet
        return generic[0] if generic else None

    def _answer_texts(self, session: Session) -> dict[tuple[str, str], str]:
        """Every answer's text by (statement, question), next steps' too: to tell what `back`
        brought back."""
        texts = {
            (record.statement_id, answer.question_id): answer.text
            for record in session.statements
            for answer in record.answers
        }
        for record in session.statements:
            for index, step in enumerate(record.next_steps):
                texts[(record.statement_id, f"next-step-{index + 1}")] = step.what
        return texts

    def _missing(self, session: Session, kind: str) -> bool:
        """No answer of this kind yet for the current statement (a thin one moved on counts)."""
        record = self._record(session)
        noted = any(note.startswith(_thin_note_start(kind)) for note in record.notes)
        return not record.answers_of(kind) and not noted

    def _first_in_revision(self, session: Session, base: str) -> bool:
        """Revising a finished statement, and this question (base id) not answered anew yet."""
        pending = session.conversation.pending
        return pending.get(IN_REVISION) == "1" and base not in pending.get(REVISED, "").split()

    def _earlier_answers(self, session: Session) -> list[AnswerRecord]:
        """While revising: the earlier answers (follow-ups too) to the question being asked, when
        none has been given anew in this revision; otherwise none."""
        conv = session.conversation
        if not STATES[conv.state].follow_up:
            return []
        base = base_question_id(conv.pending.get("question_id", conv.state))
        if not self._first_in_revision(session, base):
            return []
        record = self._record(session)
        return [
            a for a in record.answers if base_question_id(a.question_id) == base and a.text.strip()
        ]

    def _can_keep(self, session: Session) -> bool:
        """An empty answer (or "keep") would keep what the leader said before, as they revise."""
        conv = session.conversation
        if conv.state == "top_priority":
            return bool(self._priority_of(session, conv.pending.get("area", "")))
        if conv.pending.get(IN_REVISION) != "1":
            return False
        if conv.state == "tier":
            record = self._record(session)
            return bool(record.tier or record.not_sure)
        if conv.state == "next_what":  # until the first new one replaces them
            return conv.pending.get("replace_steps") == "1" and bool(
                self._record(session).next_steps
            )
        return bool(self._earlier_answers(session))

    def _offered_count(self, session: Session) -> int:
        """How many case studies are being offered: the first ones in the record (after them
        come those saved earlier and not suggested this time, which stay saved)."""
        record = self._record(session)
        offered = session.conversation.pending.get("cases_offered", "")
        return int(offered) if offered.isdigit() else len(record.case_studies)

    def _so_far(self, record: StatementRecord | None) -> list[tuple[str, str]]:
        """What the leader has said for a statement, briefly: (what, their words)."""
        if record is None:
            return []
        items: list[tuple[str, str]] = []
        for answer in record.answers:
            if ".follow-up" in answer.question_id and not answer.text.strip():
                continue
            items.append((_KIND_LABELS.get(answer.kind, answer.kind), _short(answer.text, 80)))
        tier = self._tier_label(record)
        if tier:
            items.append(("Tier", tier))
        for step in record.next_steps:
            items.append(("Next step", _short(step.what, 80)))
        return items

    def _texts(self, session: Session) -> list[str]:
        record = session.find_record(session.conversation.statement_id)
        if record is None:
            return []
        return [a.text for a in record.answers if a.kind in REFLECTION_KINDS]

    def _case_suggestions(self, session: Session) -> list[tuple[CaseStudy, str]]:
        sid = session.conversation.statement_id
        if not sid:
            return []
        return _case_suggestions_for(self.framework, sid, self._texts(session))

    def _tier_options(self) -> tuple[tuple[str, str], ...]:
        options = tuple((str(t.index + 1), t.name) for t in self.framework.tiers)
        return (*options, ("?", "Not sure yet"))

    def _scope_options(self) -> tuple[tuple[str, str], ...]:
        options = [("1", "All statements, in the framework's order")]
        for index, area in enumerate(self.framework.areas, start=2):
            options.append((str(index), f"{area.short_title} only"))
        if len(self.framework.areas) == 2:
            second = self.framework.areas[1].short_title
            options.append((str(len(options) + 1), f"Both areas, {second} first"))
        options.append((str(len(options) + 1), "Choose statements and their order"))
        return tuple(options)

    def _pending_in_scope(self, session: Session) -> list[str]:
        pending = []
        for sid in self._scope(session):
            record = session.find_record(sid)
            if record is None or record.status in ("not_started", "in_progress"):
                pending.append(sid)
        return pending

    def _area_finished(self, session: Session) -> bool:
        """Time for the area's wrap-up: none of its statements in scope is left to do (skipped
        ones aside) and at least one is done. After its first wrap-up it comes again only while
        its top priority is empty and a statement of it has just been finished (one skipped
        earlier, or revised): otherwise an Enter at "leave it for now" would be final."""
        statement = self._statement(session)
        if statement is None:
            return False
        area_id = statement.area_id
        in_area = [s for s in self._scope(session) if s.startswith(area_id + ".")]
        records = [session.find_record(s) for s in in_area]
        if any(r is None or r.status in ("not_started", "in_progress") for r in records):
            return False
        if not any(r is not None and r.status == "done" for r in records):
            return False
        if area_id not in session.conversation.pending.get("wrapped", "").split():
            return True
        return not self._priority_of(session, area_id) and self._record(session).status == "done"

    def _priority_of(self, session: Session, area_id: str) -> str:
        """The area's top priority as given so far ("" for none), without adding a record."""
        record = next((a for a in session.areas if a.area_id == area_id), None)
        return record.top_priority if record is not None and record.top_priority.strip() else ""

    # --- moving between states ------------------------------------------------------------------

    def _next_state(self, session: Session, state: str) -> str:
        for guard, target in TRANSITIONS[state]:
            if self.guards[guard](session):
                return target
        raise RuntimeError(f"no transition from {state}")  # pragma: no cover - table is total

    def _goto(self, session: Session, state: str) -> list[Reply]:
        """Enter a state; transient states do their work and move on at once."""
        replies: list[Reply] = []
        for _ in range(100):
            conv = session.conversation
            conv.state = state
            conv.follow_ups = 0
            replies += self._enter(session, state)
            if STATES[state].ask is not None:
                return replies
            state = self._next_state(session, state)
        raise RuntimeError("the conversation went round in a circle")  # pragma: no cover

    def _advance(self, session: Session) -> list[Reply]:
        conv = session.conversation
        if conv.state == "top_priority" and PRIORITY_RETURN in conv.pending:
            return self._back_from_priority(session)  # asked for with /priority
        return self._goto(session, self._next_state(session, conv.state))

    def _ask(self, session: Session, question_id: str, text: str) -> list[Reply]:
        """Ask a question: remember it (for the answer, back and resume) and say it."""
        pending = session.conversation.pending
        pending["question_id"] = question_id
        pending["question"] = text
        return [Say(text), self.expected(session)]

    def _ask_generic(
        self, session: Session, kind: str, tag: str | None = None, suffix: str = "", **extra: Any
    ) -> list[Reply]:
        question = self.bank.first(kind, tag)
        text = question.render(**self._context(session, **extra)) + suffix
        return self._ask(session, question.id, text)

    def _reask(self, session: Session) -> list[Reply]:
        text = session.conversation.pending.get("question", "")
        replies: list[Reply] = [Say(text)] if text else []
        return [*replies, self.expected(session)]

    def _question_again(self, session: Session) -> list[Reply]:
        """After something shown (help, the tiers, case studies, the summary): the question still
        waiting, so that it is the last thing in the chat and not scrolled away. Not at the
        end, where the question is a thank-you, nor at the personal-data reminder, whose question
        is not the one stored."""
        if session.conversation.state in ("done", "privacy"):
            return [self.expected(session)]
        return self._reask(session)

    # --- entering states: what the bot says -----------------------------------------------------

    def _enter(self, session: Session, state: str) -> list[Reply]:
        handler = getattr(self, f"_enter_{state}", None)
        if handler is not None:
            return handler(session)
        if state in REFLECTION_KINDS:
            question = self._statement_question(session, state)
            assert question is not None
            return self._ask(session, question.id, question.render(**self._context(session)))
        return self._ask_generic(session, state)

    def _enter_greeting(self, session: Session) -> list[Reply]:  # pragma: no cover - start()
        return []

    def _enter_phase(self, session: Session) -> list[Reply]:
        options = "; ".join(f"{k}. {label}" for k, label in self.expected(session).options)
        return self._ask_generic(session, "phase", suffix=f"\n{options}; or type your own.")

    def _enter_scope(self, session: Session) -> list[Reply]:
        lines = "\n".join(f"{k}. {label}" for k, label in self._scope_options())
        return self._ask_generic(session, "scope", suffix="\n" + lines)

    def _enter_scope_statements(self, session: Session) -> list[Reply]:
        lines = [
            f"{self._numbers[s.id]}. {self.framework.area(s.area_id).short_title} {s.number}: "
            f"{s.short}"
            for s in self.framework.statements
        ]
        replies = self._ask_generic(session, "scope_statements")
        return [Say("\n".join(lines)), *replies]

    def _enter_next_statement(self, session: Session) -> list[Reply]:
        pending = self._pending_in_scope(session)
        # the next statement not done after the one just left, then round to earlier ones
        scope = self._scope(session)
        here = session.conversation.statement_id
        if here in scope:
            after = scope[scope.index(here) + 1 :]
            pending.sort(key=lambda sid: (sid not in after, scope.index(sid)))
        back_to = session.conversation.pending.pop("return_to", "")
        session.conversation.pending.pop("return_state", None)
        _end_revision(session)
        if back_to in pending:
            pending.insert(0, back_to)
        session.conversation.statement_id = pending[0] if pending else ""
        return []

    def _enter_open_statement(self, session: Session) -> list[Reply]:
        statement = self._statement(session)
        assert statement is not None
        record = session.record(statement.id)
        pending = session.conversation.pending
        revising = pending.pop("revising", "") == "1"
        carry_on = has_answers(record) and not revising
        revisit = record.status in ("done", "skipped") or has_answers(record)
        updated = updated_since(record, self.framework)
        if not (revising and record.status == "done"):
            record.status = "in_progress"  # a finished statement being revised stays finished
        record.statement_hash = statement.text_hash
        for key in (
            "challenged",
            "step_given",
            "more",
            "tier_before",
            "steps_before",
            "area_shown",
            "carry_on",
            "return_to",
            "return_state",
        ):
            pending.pop(key, None)
        _end_revision(session)
        if carry_on:
            pending["carry_on"] = "1"
        if revising:
            # the first answer to each question replaces the earlier ones, follow-ups included
            pending[IN_REVISION] = "1"
        if revising and record.next_steps:
            pending["replace_steps"] = "1"  # the first next step given replaces the earlier ones
        if record.challenge is not None:
            pending["challenged"] = "1"  # the one challenge was asked already
        pending["steps_before"] = str(len(record.next_steps))
        scope = self._scope(session)
        position = 1 + scope.index(statement.id) if statement.id in scope else 0
        intro = self._render(
            "statement_intro",
            session,
            position=position,
            in_scope=len(scope),
            revisit=revisit,
            revising=revising,
            carry_on=carry_on,
            previous_tier=self._tier_label(record),
        )
        replies: list[Reply] = [Say(intro)]
        if carry_on:
            so_far = self._so_far(record)
            replies.append(Say(self._render("so_far", session, items=so_far), tone="note"))
        if updated:
            replies.append(Say(self._render("updated_since", session), tone="note"))
        return [*replies, Quote(statement.text, f"Statement {self._label(statement)}")]

    def _enter_carry_on(self, session: Session) -> list[Reply]:
        session.conversation.pending.pop("carry_on", None)
        return []

    def _enter_revise(self, session: Session) -> list[Reply]:
        statement = self._statement(session)
        assert statement is not None
        _end_revision(session)  # of a statement left part-way through revising it
        record = session.find_record(statement.id)
        text = self._render("revise", session, items=self._so_far(record))
        replies: list[Reply] = []
        if record is not None and updated_since(record, self.framework):
            replies.append(Say(self._render("updated_since", session), tone="note"))
            record.statement_hash = statement.text_hash  # said once
        replies.append(Quote(statement.text, f"Statement {self._label(statement)}"))
        return replies + self._ask(session, "revise", text)

    def _answer_revise(self, session: Session, text: str) -> tuple[list[Reply], str]:
        answer = _yes_no(text)
        if answer is None:
            return [Say(self._render("invalid_yes_no", session)), self.expected(session)], ""
        pending = session.conversation.pending
        if answer:
            pending["revising"] = "1"
            return self._advance(session), "revising the statement"
        pending.pop("revising", None)
        replies: list[Reply] = [Say(self._render("revise_no", session))]
        return replies + self._advance(session), "leaving the statement as it was"

    def _enter_tier(self, session: Session) -> list[Reply]:
        statement = self._statement(session)
        assert statement is not None
        record = self._record(session)
        hint = closest_tier(self.framework, statement.id, self._texts(session))
        record.hint_tier = hint.tier_id if hint else ""
        record.hint_words = list(hint.words) if hint else []
        area = self.framework.area(statement.area_id)
        columns = tuple(
            TierColumn(t.id, t.name, statement.descriptors.get(t.id), chosen=record.tier == t.id)
            for t in self.framework.tiers
        )
        comparison = TierComparison(
            statement.id, statement.text, columns, hint=hint, overall=dict(area.overall)
        )
        intro = Say(self._render("tier_intro", session, hint=hint))
        return [intro, comparison, *self._ask_generic(session, "tier")]

    def _enter_challenge(self, session: Session) -> list[Reply]:
        reason = self._challenge_reason(session)
        assert reason is not None
        kind, words = reason
        record = self._record(session)
        tier = self.framework.tier(record.tier)
        part = self._descriptor_part(session, tier.id)
        pending = session.conversation.pending
        pending["challenged"] = "1"
        pending["tier_before"] = tier.id
        question = self.bank.first("challenge", kind)
        text = question.render(
            **self._context(session, descriptor_part=part, words=_and([f"“{w}”" for w in words]))
        )
        record.challenge = Challenge(question=text, tier_before=tier.id, at=now())
        return self._ask(session, question.id, text)

    def _enter_challenge_decision(self, session: Session) -> list[Reply]:
        return self._ask_generic(session, "challenge_decision")

    def _enter_next_tier(self, session: Session) -> list[Reply]:
        statement = self._statement(session)
        assert statement is not None
        record = self._record(session)
        tier = self._tier_of(record)
        assert tier is not None  # the table leads here only after a tier below the top
        following = self.framework.tiers[tier.index + 1]
        replies: list[Reply] = [Say(self._render("next_tier_intro", session))]
        for each in (tier, following):
            replies += self._descriptor_quote(statement, each.id)
        return replies + self._ask_generic(session, "next_tier")

    def _enter_sustain_share(self, session: Session) -> list[Reply]:
        return self._ask_generic(session, "sustain_share")

    def _enter_next_what(self, session: Session) -> list[Reply]:
        pending = session.conversation.pending
        pending.pop("step_given", None)
        pending.pop("more", None)
        record = self._record(session)
        extra = len(record.next_steps) - int(pending.get("steps_before", "0") or 0)
        tag = "another" if extra > 0 else "first"
        return self._ask_generic(session, "next_what", tag, steps=len(record.next_steps))

    def _enter_case_studies(self, session: Session) -> list[Reply]:
        record = self._record(session)
        suggestions = self._case_suggestions(session)
        saved_before = [c for c in record.case_studies if c.saved]
        saved_ids = {c.case_study_id for c in saved_before}
        offered = [
            _case_note(case.id, reason, case.id in saved_ids) for case, reason in suggestions
        ]
        # saved earlier but not suggested now (a revision's new words): still saved, after the
        # ones offered; only the leader unsaves one
        offered_ids = {c.case_study_id for c in offered}
        still_saved = [c for c in saved_before if c.case_study_id not in offered_ids]
        record.case_studies = offered + still_saved
        session.conversation.pending["cases_offered"] = str(len(offered))
        intro = self._render(
            "case_studies_intro",
            session,
            count=len(offered),
            still_saved=self._case_titles(still_saved),
        )
        replies: list[Reply] = [Say(intro)]
        for case, reason in suggestions:
            saved = case.id in saved_ids
            replies.append(
                CaseStudyCard(
                    case.id,
                    case.title,
                    case.summary,
                    self._card_reason(session, case.id, reason, saved),
                    saved=saved,
                )
            )
        saved_numbers = [number for number, c in enumerate(offered, start=1) if c.saved]
        return replies + self._ask_generic(
            session, "case_studies", count=len(offered), saved_numbers=saved_numbers
        )

    def _saved_for(self, session: Session, case_id: str) -> list[int]:
        """The numbers of the statements a case study is saved to follow up for: saves are per
        statement (each statement's record keeps its own)."""
        return sorted(
            self.statement_number(record.statement_id)
            for record in session.statements
            if self.framework.has_statement(record.statement_id)
            and any(n.case_study_id == case_id and n.saved for n in record.case_studies)
        )

    def _card_reason(self, session: Session, case_id: str, reason: str, saved: bool) -> str:
        """Why a suggested case study fits, and, when it is not saved for this statement but is
        for another, that it is: otherwise an unticked box reads as if the save was lost. The
        note keeps the plain reason (the other save may go)."""
        here = session.conversation.statement_id
        elsewhere = [n for n in self._saved_for(session, case_id) if n != self._numbers.get(here)]
        if saved or not elsewhere:
            return reason
        return (
            f"{reason} {self._render('case_saved_for', session, numbers=elsewhere, elsewhere=True)}"
        )

    def _case_titles(self, notes: list[CaseStudyNote]) -> list[str]:
        titles = {case.id: case.title for case in self.framework.case_studies}
        return [titles[n.case_study_id] for n in notes if n.case_study_id in titles]

    def _enter_statement_done(self, session: Session) -> list[Reply]:
        record = self._record(session)
        record.status = "done"
        _end_revision(session)
        return [Say(self._render("statement_done", session))]

    def _enter_after_statement(self, session: Session) -> list[Reply]:
        return []

    def _enter_top_priority(self, session: Session) -> list[Reply]:
        statement = self._statement(session)
        assert statement is not None
        area = self.framework.area(statement.area_id)
        pending = session.conversation.pending
        wrapped = pending.get("wrapped", "").split()
        if area.id not in wrapped:
            pending["wrapped"] = " ".join([*wrapped, area.id])
        pending.pop(PRIORITY_RETURN, None)  # the wrap-up moves on to the next statement
        pending["area"] = area.id
        rows = self._area_rows(session, area)
        profile = self._profile(session, f"{area.title}: your profile", rows)
        tied, tied_count = self._commonest_tiers(session, rows)
        common = tied[0] if len(tied) == 1 else None
        overall = area.overall.get(common.id) if common is not None else None
        wording = self._render(
            "area_common",
            session,
            common=common,
            overall=overall,
            tied=tied,
            tied_count=tied_count,
        )
        replies: list[Reply] = [Say(self._render("area_wrap", session)), profile, Say(wording)]
        if common is not None and overall:
            replies.append(Quote(overall, f"{area.title}, overall: {common.name}"))
        return replies + self._ask_priority(session, area)

    def _area_rows(self, session: Session, area: Area) -> list[str]:
        """The area's statements in scope (all of them before any are chosen)."""
        scope = self._scope(session) or [s.id for s in self.framework.statements]
        return [s for s in scope if s.startswith(area.id + ".")]

    def _ask_priority(self, session: Session, area: Area) -> list[Reply]:
        """The area's top-priority question; with a priority given already, it says what it is
        and that Enter keeps it."""
        return self._ask_generic(
            session,
            "top_priority",
            area=area,
            area_number=self.framework.areas.index(area) + 1,
            current=_short(self._priority_of(session, area.id), 120),
        )

    def _enter_summary(self, session: Session) -> list[Reply]:
        session.conversation.statement_id = ""
        # the whole profile, the area just wrapped up included
        session.conversation.pending.pop("area_shown", None)
        replies: list[Reply] = [Say(self._render("summary_intro", session))]
        replies += self._summary(session)
        return replies

    def _enter_done(self, session: Session) -> list[Reply]:
        return self._ask(session, "done", self._render("done", session))

    # --- answering ------------------------------------------------------------------------------

    def _answer(self, session: Session, text: str) -> list[Reply]:
        conv = session.conversation
        state = conv.state
        spec = STATES[state]
        if state == "done":
            said = self._render("after_done", session, empty=not text.strip())
            return [Say(said), self.expected(session)]
        before = _capture(session)
        label = ""
        # the reminder comes once per session; a retyped answer is checked again, as the same
        # reminder continuing
        retyping = conv.pending.pop(RETYPING, "") == state
        if (
            text.strip()
            and spec.ask in ("reflection", "text")
            and (retyping or not conv.privacy_reminded)
            and state != "privacy"
        ):
            found = _personal_data(text)
            if found:
                template = "privacy_still" if conv.privacy_reminded else "privacy_reminder"
                conv.privacy_reminded = True
                conv.pending["held"] = text
                conv.pending["held_state"] = state
                conv.state = "privacy"
                replies: list[Reply] = [
                    Say(self._render(template, session, found=found), tone="warning")
                ]
                replies += [self.expected(session)]
                self._push_undo(session, before, HOLD_LABEL)
                return replies
        if state == "privacy":
            # the reminder and what the leader did with it are one step for /back, and the held
            # text is never kept in the history
            before = self._leave_privacy_undo(session, before)
        handler = getattr(self, f"_answer_{state}", None)
        if handler is None:
            handler = self._answer_reflection if spec.ask == "reflection" else self._answer_text
        replies, label = handler(session, text)
        self._push_undo(session, before, label)
        return replies

    def _push_undo(self, session: Session, before: dict[str, Any], label: str) -> None:
        # the retyping mark alone is not a step to undo
        before, after = _without_retyping(before), _without_retyping(_capture(session))
        if after == before:
            return
        snapshot = _difference(before, after)
        session.history.append(
            Undo(
                label=label or "your last answer",
                snapshot=json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")),
            )
        )
        del session.history[:-MAX_UNDO]  # the oldest step goes; see MAX_UNDO

    def _record_answer(
        self, session: Session, kind: str, text: str, thin: bool = False
    ) -> list[Reply]:
        """Record an answer; when it replaces earlier ones, a note saying so (never silent).

        An answer replaces the earlier answer to the same question. While a finished statement is
        revised, the first answer to a question replaces every earlier answer to it, its
        follow-ups' too (the export would otherwise show out-of-date words beside the new), and
        any note that it was left brief; later answers to its follow-ups are added as usual.
        """
        pending = session.conversation.pending
        question_id = pending.get("question_id", kind)
        base = base_question_id(question_id)
        record = self._record(session)
        whole_question = self._first_in_revision(session, base)
        if whole_question:
            pending[REVISED] = " ".join([*pending.get(REVISED, "").split(), base])
            record.notes = [n for n in record.notes if not n.startswith(_thin_note_start(kind))]

        def replaces(answer: AnswerRecord) -> bool:
            if whole_question:
                return base_question_id(answer.question_id) == base
            return answer.question_id == question_id

        answer = AnswerRecord(
            question_id=question_id,
            kind=kind,
            question=pending.get("question", ""),
            text=text,
            at=now(),
            thin=thin,
        )
        # in the place of the answers it replaces, or after the others to its question, so a
        # recap reads in the order the questions come
        replaced_at = [i for i, a in enumerate(record.answers) if replaces(a)]
        same_question = [
            i for i, a in enumerate(record.answers) if base_question_id(a.question_id) == base
        ]
        old = [record.answers[i] for i in replaced_at]
        kept = [a for a in record.answers if not replaces(a)]
        if replaced_at:
            place = replaced_at[0]  # (none removed before it)
        elif same_question:
            place = same_question[-1] + 1
        else:
            place = len(kept)
        record.answers = [*kept[:place], answer, *kept[place:]]
        replaced = [a.text for a in old if a.text.strip() and a.text != text]
        if not replaced:
            return []
        note = self._render("replaced", session, old=_short(replaced[0]), more=len(replaced) - 1)
        return [Say(note, tone="note")]

    def _keep_earlier(self, session: Session) -> list[Reply]:
        """Revising, nothing new given: the earlier answers stay, and the bot says so."""
        earlier = self._earlier_answers(session)
        note = self._render(
            "kept_answer", session, old=_short(earlier[0].text), more=len(earlier) - 1
        )
        return [Say(note, tone="note")]

    def _answer_reflection(self, session: Session, text: str) -> tuple[list[Reply], str]:
        conv = session.conversation
        state = conv.state
        spec = STATES[state]
        label = _answer_label(text)
        if not spec.follow_up:
            if text.strip():
                if state == "challenge":
                    record = self._record(session)
                    if record.challenge is not None:
                        record.challenge = record.challenge.model_copy(update={"response": text})
                elif state == "top_priority":
                    return self._answer_priority(session, text), label
            return self._advance(session), label
        if _keeps(text) and self._earlier_answers(session):
            return self._keep_earlier(session) + self._advance(session), "keeping your answer"
        thin = is_thin(text)
        if not thin:
            notes = self._record_answer(session, spec.answer_kind, text)
            return notes + self._advance(session), label
        still_thin = conv.follow_ups >= FOLLOW_UPS
        notes = []
        if text.strip():
            notes = self._record_answer(session, spec.answer_kind, text, thin=still_thin)
        if not still_thin:
            # a gentle follow-up: first an example, then a rephrase
            conv.follow_ups += 1
            tag = "example" if conv.follow_ups == 1 else "rephrase"
            base = base_question_id(conv.pending.get("question_id", state))
            statement = self._statement(session)
            area_id = statement.area_id if statement else ""
            question = self._follow_up(spec.answer_kind, tag, area_id, conv.statement_id)
            text_out = question.render(**self._context(session))
            follow_ups = conv.follow_ups
            replies = self._ask(session, f"{base}.follow-up-{follow_ups}", text_out)
            return notes + replies, label if text.strip() else "an empty answer"
        record = self._record(session)
        base = base_question_id(conv.pending.get("question_id", state))
        record.answers = [
            a.model_copy(update={"thin": True}) if base_question_id(a.question_id) == base else a
            for a in record.answers
        ]
        note = self._render("thin_note", session, kind=spec.answer_kind.replace("_", " "))
        record.notes.append(note)
        replies = [*notes, Say(self._render("thin_moving_on", session), tone="note")]
        return replies + self._advance(session), label

    def _answer_priority(self, session: Session, text: str) -> list[Reply]:
        """A top priority given: it replaces any earlier one, and the bot says so; "keep" keeps
        the earlier one (as Enter does)."""
        area = session.area_record(session.conversation.pending.get("area", ""))
        old = area.top_priority
        if old.strip() and _keeps(text):
            note = self._render("kept_answer", session, old=_short(old), more=0)
            return [Say(note, tone="note"), *self._advance(session)]
        area.top_priority = text
        area.top_priority_at = now()
        notes: list[Reply] = []
        if old.strip() and old != text:
            notes.append(Say(self._render("replaced", session, old=_short(old)), tone="note"))
        return notes + self._advance(session)

    def _follow_up(
        self, kind: str, tag: str, area_id: str = "", statement_id: str = ""
    ) -> Question:
        """The follow-up for this kind of answer: the one for the statement itself first (tagged
        with its id: its question asks about something the area's would not fit), then the one
        for the statement's area, then one for any area (no area or statement tag), then one for
        any kind."""
        own_tags = {area.id for area in self.framework.areas}
        own_tags |= {statement.id for statement in self.framework.statements}
        candidates = [
            q for q in self.bank.generic_questions("follow_up") if kind in q.tags and tag in q.tags
        ]
        for wanted in (statement_id, area_id):
            for question in candidates:
                if wanted and wanted in question.tags:
                    return question
        for question in candidates:
            if not own_tags & set(question.tags):
                return question
        for question in self.bank.generic_questions("follow_up"):
            if "any" in question.tags and tag in question.tags:
                return question
        return self.bank.first("follow_up")

    def _answer_text(self, session: Session, text: str) -> tuple[list[Reply], str]:
        """Optional short answers: the opening questions and next steps."""
        conv = session.conversation
        state = conv.state
        value = text.strip()
        label = _answer_label(value)
        if state == "label":
            session.label = value
        elif state == "role":
            session.role = value
        elif state == "next_what":
            keeping = conv.pending.get("replace_steps") == "1" and _keeps(value)
            if value and not keeping:
                return self._add_next_step(session, text), label
            if keeping:
                label = "keeping your next steps"
            return self._keep_next_steps(session) + self._advance(session), label
        elif state in ("next_who", "next_when"):
            record = self._record(session)
            if record.next_steps and value:
                field = "who" if state == "next_who" else "by_when"
                last = record.next_steps[-1].model_copy(update={field: value})
                record.next_steps[-1] = last
        return self._advance(session), label

    def _keep_next_steps(self, session: Session) -> list[Reply]:
        """No next step given while revising: the earlier ones stay, and the bot says so."""
        record = self._record(session)
        if session.conversation.pending.pop("replace_steps", "") != "1":
            return []
        old = [_short(step.what) for step in record.next_steps if step.what.strip()]
        return [Say(self._render("kept_steps", session, old=old), tone="note")] if old else []

    def _add_next_step(self, session: Session, text: str) -> list[Reply]:
        """A next step. When revising a finished statement the first one given replaces the
        earlier next steps, and the bot says so (as for any other answer); more are added."""
        pending = session.conversation.pending
        record = self._record(session)
        notes: list[Reply] = []
        if pending.pop("replace_steps", "") == "1" and record.next_steps:
            old = [_short(step.what) for step in record.next_steps if step.what.strip()]
            record.next_steps = []
            pending["steps_before"] = "0"  # the one given now is the first of this revision
            if old:
                notes.append(Say(self._render("replaced_steps", session, old=old), tone="note"))
        record.next_steps.append(NextStep(what=text))
        pending["step_given"] = "1"
        return notes + self._advance(session)

    def _answer_phase(self, session: Session, text: str) -> tuple[list[Reply], str]:
        value = text.strip()
        wanted = re.sub(r"[^a-z0-9]", "", _plain(value))
        session.phase = value
        for key, label in self.expected(session).options:
            if wanted in (key, re.sub(r"[^a-z0-9]", "", label.lower())):
                session.phase = label
                break
        return self._advance(session), _answer_label(session.phase)

    def _parse_scope(self, text: str) -> int | None:
        """Which scope option an answer means: its number, or words such as "all",
        "everything", "both", "teaching", "parents", "parents first" or "choose"."""
        options = self._scope_options()
        value = _plain(text)
        keys = [k for k, _ in options]
        if value in keys:
            return keys.index(value)
        words = [_singular(w) for w in _word_set(value)]
        areas = self.framework.areas
        named: list[tuple[int, int]] = []  # (where in the answer, area index)
        for index, area in enumerate(areas):
            own = {_singular(w) for w in _word_set(area.short_title)}
            own -= {"and", "&"}
            initials = "".join(w[0] for w in _word_set(area.short_title) if w not in ("and", "&"))
            own |= {initials, "&".join(initials)}
            positions = [i for i, w in enumerate(words) if w in own]
            if positions:
                named.append((positions[0], index))
        named.sort()
        reordered = len(areas) == 2 and len(keys) == len(areas) + 3
        if any(w in _CHOOSING for w in words) and not named:
            return len(keys) - 1
        if named and (len(named) > 1 or any(w in _REVERSED for w in words)):
            first = named[0][1]
            if first == 0 or not reordered:
                return 0
            return len(keys) - 2  # the areas in reverse order
        if named:
            return 1 + named[0][1]
        if reordered and any(w in ("reverse", "reversed", "backwards") for w in words):
            return len(keys) - 2
        if any(w in _ALL for w in words):
            return 0
        return None

    def _answer_scope(self, session: Session, text: str) -> tuple[list[Reply], str]:
        options = self._scope_options()
        keys = [k for k, _ in options]
        conv = session.conversation
        index = self._parse_scope(text)
        if index is None:
            return [
                Say(self._render("invalid_scope", session, keys=keys)),
                self.expected(session),
            ], ""
        areas = self.framework.areas
        conv.pending.pop("scope", None)
        if index == 0:
            conv.scope = [s.id for s in self.framework.statements]
        elif index <= len(areas):
            conv.scope = [s.id for s in areas[index - 1].statements]
        elif index == len(keys) - 1:
            conv.pending["scope"] = "choose"
        else:  # the areas in reverse order
            conv.scope = [s.id for a in reversed(areas) for s in a.statements]
        return self._advance(session), f"your choice “{options[index][1]}”"

    def _answer_scope_statements(self, session: Session, text: str) -> tuple[list[Reply], str]:
        chosen, bad = self._parse_statement_list(text)
        if bad or not chosen:
            return [
                Say(self._render("invalid_statements", session, bad=bad)),
                self.expected(session),
            ], ""
        session.conversation.scope = chosen
        session.conversation.pending.pop("scope", None)
        return self._advance(session), "your choice of statements"

    def _answer_tier(self, session: Session, text: str) -> tuple[list[Reply], str]:
        record = self._record(session)
        if _keeps(text) and self._can_keep(session):  # revising: the earlier choice stays
            note = self._render("kept_answer", session, old=self._tier_label(record), more=0)
            return [Say(note, tone="note"), *self._advance(session)], "keeping your choice"
        choice = self._parse_tier(text)
        if choice is None:
            return [Say(self._render("invalid_tier", session)), self.expected(session)], ""
        before = "?" if record.not_sure else record.tier
        if choice == "?":
            record.tier = ""
            record.not_sure = True
            label = "your choice “not sure yet”"
        else:
            record.tier = choice
            record.not_sure = False
            label = f"your choice “{self.framework.tier(choice).name}”"
        record.challenge = None  # a new choice; a challenge to it is recorded afresh
        notes: list[Reply] = []
        if before and before != choice:  # revising: a changed choice is never silent
            names = {tier.id: tier.name for tier in self.framework.tiers}
            old = "not sure yet" if before == "?" else names.get(before, before)
            notes.append(Say(self._render("replaced", session, old=old, more=0), tone="note"))
        return notes + self._advance(session), label

    def _answer_challenge_decision(self, session: Session, text: str) -> tuple[list[Reply], str]:
        value = _plain(text)
        record = self._record(session)
        before = session.conversation.pending.get("tier_before", record.tier)
        words = re.findall(r"[\w']+", value) or [""]
        keep = ("k", "keep", "keeping", "kept", "same", "stick")
        if not value or words[0] in keep or (words[0] in _YES and words[1:2] in ([], ["keep"])):
            after = before
        else:
            parsed = self._parse_tier(value)
            if parsed is None:
                return [
                    Say(self._render("invalid_keep", session)),
                    self.expected(session),
                ], ""
            after = parsed
        if after == "?":
            record.tier = ""
            record.not_sure = True
        else:
            record.tier = after
            record.not_sure = False
        if record.challenge is not None:
            record.challenge = record.challenge.model_copy(
                update={"tier_after": "" if after == "?" else after}
            )
        if after == before:
            label = "keeping your choice"
            replies: list[Reply] = [Say(self._render("challenge_kept", session))]
        else:
            label = "changing your choice"
            replies = [Say(self._render("challenge_changed", session))]
        return replies + self._advance(session), label

    def _answer_next_more(self, session: Session, text: str) -> tuple[list[Reply], str]:
        answer = _yes_no(text)
        if answer is None:
            return [Say(self._render("invalid_yes_no", session)), self.expected(session)], ""
        session.conversation.pending["more"] = "1" if answer else ""
        return self._advance(session), f"your answer “{'yes' if answer else 'no'}”"

    def _answer_case_studies(self, session: Session, text: str) -> tuple[list[Reply], str]:
        """Which of the case studies offered to save: their numbers (the whole choice, as the
        case-study view sends it), b for both; n (none, no, an empty answer, keep) saves nothing
        more and keeps those saved before. Only "unsave" (with numbers, or alone for all) or a
        choice of numbers leaving one out unsaves a saved one, and the bot says so."""
        record = self._record(session)
        count = self._offered_count(session)
        offered, others = record.case_studies[:count], record.case_studies[count:]
        was_saved = {i for i, note in enumerate(offered) if note.saved}
        value = _plain(text)
        ordinals = {"first": "1", "second": "2", "one": "1", "two": "2"}
        value = " ".join(ordinals.get(w, w) for w in value.split())
        unsave = value.split()[:1] == ["unsave"]
        if unsave:
            value = value.removeprefix("unsave").strip(_EDGE_PUNCTUATION)
        yes_no = None if unsave else _yes_no(value)
        every = ("b", "both", "all", "a", "save both", "both of them", "all of them")
        named = set(range(count))  # the case studies an "unsave" is about
        if yes_no is False or (not unsave and _keeps(value)):
            keep = was_saved  # nothing more to save
        elif (unsave and not value) or value in every or (yes_no and count == 1):
            keep = set() if unsave else set(range(count))
        else:
            numbers = re.findall(r"\d+", value)
            if (
                not numbers
                or re.sub(r"\b(and|the|save|case|study|studies|number)\b|[\d,\s&]", "", value)
                or any(not 1 <= int(n) <= count for n in numbers)
            ):
                keys = [k for k, _ in self.expected(session).options]
                return [
                    Say(self._render("invalid_choice", session, keys=keys)),
                    self.expected(session),
                ], ""
            chosen = {int(n) - 1 for n in numbers}
            keep = was_saved - chosen if unsave else chosen
            named = chosen
        if unsave and not named & was_saved:
            # nothing to unsave here: never a silent move on (it may be saved for another one)
            return [self._not_saved_here(session, sorted(named)), self.expected(session)], ""
        offered = [note.model_copy(update={"saved": i in keep}) for i, note in enumerate(offered)]
        record.case_studies = offered + others
        saved = self._case_titles([n for n in record.case_studies if n.saved])
        unsaved = self._case_titles([n for i, n in enumerate(offered) if i in was_saved - keep])
        replies: list[Reply] = []
        if saved or unsaved:
            text_out = self._render("case_studies_saved", session, saved=saved, unsaved=unsaved)
            replies.append(Say(text_out))
        return replies + self._advance(session), "your case study choice"

    def _not_saved_here(self, session: Session, indices: list[int]) -> Say:
        """Why "unsave" changed nothing: the case studies it named are not saved for this
        statement; for each, the statements it is saved for (/go goes there to unsave it)."""
        offered = self._record(session).case_studies
        titles = {case.id: case.title for case in self.framework.case_studies}
        cases = [
            (titles[note.case_study_id], self._saved_for(session, note.case_study_id))
            for note in (offered[i] for i in indices)
            if note.case_study_id in titles
        ]
        return Say(self._render("case_studies_not_saved", session, cases=cases))

    def _answer_export(self, session: Session, text: str) -> tuple[list[Reply], str]:
        value = _plain(text).lstrip(".")
        names = {
            "markdown": "md",
            "web page": "html",
            "webpage": "html",
            "web": "html",
            "a web page": "html",
            "spreadsheet": "csv",
            "action plan": "csv",
            "an action plan": "csv",
        }
        value = names.get(value, value)
        if value in EXPORT_FORMATS:
            return [Action("export", value), *self._advance(session)], f"your choice “{value}”"
        if _yes_no(value) is False:
            return self._advance(session), "not exporting"
        keys = [k for k, _ in self.expected(session).options]
        return [Say(self._render("invalid_choice", session, keys=keys)), self.expected(session)], ""

    def _answer_privacy(self, session: Session, text: str) -> tuple[list[Reply], str]:
        """Keep the held answer (k, keep, yes, ok, ...) or retype it (r, retype, no, ...). A reply
        of more than a few words that is neither is taken as the new answer, and the bot says so;
        a short one is asked about again. Whenever the held answer is not kept, its text leaves
        the session: the pending value, and the personal data in the transcript."""
        conv = session.conversation
        choice = privacy_choice(text)
        held = conv.pending.get("held", "")
        held_state = conv.pending.get("held_state", "working_well")
        if choice == "retype":
            conv.state = held_state
            self._forget_held(session)
            conv.pending[RETYPING] = held_state  # the next answer to it is checked again
            return [Say(self._render("privacy_retype", session)), self.expected(session)], ""
        notes: list[Reply] = []
        if choice == "keep":
            answer = held
        elif choice == "answer":
            answer = text  # a retyped answer, typed straight away
            self._forget_held(session)
            found = _personal_data(answer)
            if found:  # still personal data: the same reminder goes on, holding the new answer
                conv.pending["held"] = answer
                conv.pending["held_state"] = held_state
                return [
                    Say(self._render("privacy_still", session, found=found), tone="warning"),
                    self.expected(session),
                ], HOLD_LABEL
            notes.append(Say(self._render("privacy_new_answer", session), tone="note"))
        else:
            keys = ["k", "r"]
            return [
                Say(self._render("invalid_privacy", session, keys=keys)),
                self.expected(session),
            ], ""
        conv.state = held_state
        conv.pending.pop("held", None)
        conv.pending.pop("held_state", None)
        spec = STATES[held_state]
        handler = getattr(self, f"_answer_{held_state}", None)
        if handler is None:
            handler = self._answer_reflection if spec.ask == "reflection" else self._answer_text
        replies, label = handler(session, answer)
        return notes + replies, label

    def _leave_privacy_undo(self, session: Session, before: dict[str, Any]) -> dict[str, Any]:
        """Leaving the reminder: drop its own undo step and return `before` as it was before the
        held answer, without the held text."""
        if session.history and session.history[-1].label == HOLD_LABEL:
            session.history.pop()
        conversation = dict(before["conversation"])
        pending = dict(conversation.get("pending", {}))
        conversation["state"] = pending.pop("held_state", "working_well")
        pending.pop("held", None)
        conversation["pending"] = pending
        return {**before, "conversation": conversation}

    def _forget_held(self, session: Session) -> None:
        """Drop the held answer and remove its personal data from the transcript so far (the
        leader's line and the reminder that quoted it)."""
        conv = session.conversation
        held = conv.pending.pop("held", "")
        conv.pending.pop("held_state", None)
        _redact_transcript(session, [held])

    # --- parsing --------------------------------------------------------------------------------

    def _parse_tier(self, text: str) -> str | None:
        value = _plain(text)
        for filler in _TIER_FILLER:
            value = value.removeprefix(filler + " ").strip(_EDGE_PUNCTUATION)
        not_sure = ("?", "not sure", "not sure yet", "unsure", "don't know", "dont know", "?")
        if value in not_sure or value.rstrip("?") in not_sure:
            return "?"
        for tier in self.framework.tiers:
            names = {str(tier.index + 1), tier.id, tier.name.lower(), tier.short.lower()}
            if value in names:
                return tier.id
        # "Tier 2", "tier two", "T2", "level 2", "2. Strengthening Practice", "the second one":
        # every word must name the same tier (or be a filler word)
        words = re.findall(r"[a-z0-9'&-]+", value.replace("tier", " tier "))
        found: set[str] = set()
        for word in words:
            word = re.sub(r"^(?:t|l)(?=\d$)", "", word)
            word = _NUMBER_WORDS.get(word, word)
            if word in _TIER_WORDS:
                continue
            if word.isdigit() and 1 <= int(word) <= len(self.framework.tiers):
                found.add(self.framework.tiers[int(word) - 1].id)
                continue
            owners = {
                t.id
                for t in self.framework.tiers
                if word in {t.id, *t.name.lower().split(), *t.short.lower().split()}
            }
            if len(owners) != 1:
                return None
            found |= owners
        return found.pop() if len(found) == 1 else None

    def _parse_statement(self, text: str) -> str | None:
        value = text.strip().lower()
        if value.isdigit():
            index = int(value)
            statements = self.framework.statements
            return statements[index - 1].id if 1 <= index <= len(statements) else None
        match = re.fullmatch(r"(\d+)\.(\d+)", value)
        if match:
            area_index, number = int(match.group(1)), int(match.group(2))
            if 1 <= area_index <= len(self.framework.areas):
                sid = f"{self.framework.areas[area_index - 1].id}.{number}"
                return sid if self.framework.has_statement(sid) else None
            return None
        return value if self.framework.has_statement(value) else None

    def _parse_statement_list(self, text: str) -> tuple[list[str], list[str]]:
        chosen: list[str] = []
        bad: list[str] = []
        for part in re.split(r"[,\s]+", text.strip()):
            if not part:
                continue
            match = re.fullmatch(r"(\d+)-(\d+)", part)
            if match:
                start, end = int(match.group(1)), int(match.group(2))
                step = 1 if end >= start else -1
                ids = [self._parse_statement(str(n)) for n in range(start, end + step, step)]
                if None in ids:
                    bad.append(part)
                    continue
                items = [i for i in ids if i]
            else:
                sid = self._parse_statement(part)
                if sid is None:
                    bad.append(part)
                    continue
                items = [sid]
            chosen += [i for i in items if i not in chosen]
        return chosen, bad

    # --- commands -------------------------------------------------------------------------------

    def _command(self, session: Session, name: str, argument: str) -> list[Reply]:
        handler = getattr(self, f"_cmd_{name}", None)
        if handler is None:
            return [
                Say(self._render("unknown_command", session, name=name), tone="note"),
                self.expected(session),
            ]
        return handler(session, argument)

    def _cmd_help(self, session: Session, argument: str) -> list[Reply]:
        return [Say(self._render("help", session)), *self._question_again(session)]

    def _cmd_back(self, session: Session, argument: str) -> list[Reply]:
        if not session.history:
            # with answers still there, the leader has gone back as far as MAX_UNDO allows
            capped = any(has_answers(record) for record in session.statements)
            text = self._render("back_nothing", session, capped=capped, limit=MAX_UNDO)
            return [Say(text, tone="note"), *self._reask(session)]  # the question again
        undo = session.history.pop()
        before_statement = session.conversation.statement_id
        before_texts = self._answer_texts(session)
        held = session.conversation.pending.get("held", "")
        undone = [held] if session.conversation.state == "privacy" and held else []
        _restore(session, json.loads(undo.snapshot))
        moved = session.conversation.statement_id != before_statement
        after_texts = self._answer_texts(session)
        # what is undone leaves the record: its personal data goes from the transcript too
        undone += [t for k, t in before_texts.items() if after_texts.get(k) != t]
        _redact_transcript(session, undone)
        restored = [
            text
            for key, text in after_texts.items()
            if key in before_texts and before_texts[key] != text and text.strip()
        ]
        replies: list[Reply] = [
            Say(
                self._render(
                    "back",
                    session,
                    what=redact(undo.label),
                    moved=moved,
                    answer=undo.label.startswith("your") and not restored,
                    restored=_short(redact(restored[-1])) if restored else "",
                ),
                tone="note",
            )
        ]
        return replies + self._reask(session)

    def _cmd_skip(self, session: Session, argument: str) -> list[Reply]:
        conv = session.conversation
        before = _capture(session)
        if conv.state == "privacy":  # skipping the question the held answer was for
            before = self._leave_privacy_undo(session, before)
            conv.state = conv.pending.get("held_state", "working_well")
            self._forget_held(session)
        state = conv.state
        if STATES[state].optional and state != "privacy":
            # an optional question (a next step's who or when, say): skip just that question
            replies = self._advance(session)
            label = "skipping a question"
        elif state in STATEMENT_STATES:
            record = self._record(session)
            record.status = "skipped"
            statement = self._statement(session)
            replies: list[Reply] = [Say(self._render("skipped", session), tone="note")]
            replies += self._goto(session, "after_statement")
            label = f"skipping statement {self._label(statement) if statement else ''}"
        elif state == "scope":
            conv.scope = [s.id for s in self.framework.statements]
            replies = self._advance(session)
            label = "skipping the choice of statements"
        else:
            return [Say(self._render("skip_nothing", session), tone="note"), self.expected(session)]
        self._push_undo(session, before, label)
        return replies

    def _cmd_go(self, session: Session, argument: str) -> list[Reply]:
        target = self._parse_statement(argument) if argument.strip() else None
        if target is None:
            return [
                Say(self._render("go_which", session, argument=argument.strip())),
                self._profile(session, "Statements", [s.id for s in self.framework.statements]),
                self.expected(session),
            ]
        conv = session.conversation
        if target == conv.statement_id and conv.state in STATEMENT_STATES:
            return [Say(self._render("go_here", session)), self.expected(session)]
        before = _capture(session)
        if conv.state == "privacy":  # leaving the reminder: the held answer is set aside
            before = self._leave_privacy_undo(session, before)
            conv.state = conv.pending.get("held_state", "working_well")
            self._forget_held(session)
        conv.pending.pop(PRIORITY_RETURN, None)  # leaving a top priority asked for: not back
        if not conv.scope:
            conv.scope = [s.id for s in self.framework.statements]
        if target not in conv.scope:
            conv.scope.append(target)
        record = session.find_record(target)
        if record is not None and record.status == "done":
            # a finished statement: show what was said and ask before changing anything
            here = conv.statement_id
            if conv.state != "revise":
                conv.pending.pop("return_to", None)
                conv.pending.pop("return_state", None)
                if here and conv.state in STATEMENT_STATES:
                    conv.pending["return_to"] = here
                if conv.state == "done":
                    conv.pending["return_state"] = "done"
            conv.pending.pop("revising", None)
            conv.statement_id = target
            replies = self._goto(session, "revise")
        else:
            conv.statement_id = target
            replies = self._goto(session, "open_statement")
        self._push_undo(session, before, f"going to statement {self.statement_number(target)}")
        return replies

    def _cmd_tiers(self, session: Session, argument: str) -> list[Reply]:
        replies: list[Reply] = [Say(self._render("tiers", session))]
        for tier in self.framework.tiers:
            body = "\n".join([tier.lead, *[f"- {p}" for p in tier.points], tier.closing])
            replies.append(Quote(body, f"{tier.index + 1}. {tier.name}"))
        statement = self._statement(session)
        if statement is not None and session.conversation.state in STATEMENT_STATES:
            record = self._record(session)
            columns = tuple(
                TierColumn(t.id, t.name, statement.descriptors.get(t.id), record.tier == t.id)
                for t in self.framework.tiers
            )
            area = self.framework.area(statement.area_id)
            replies.append(
                TierComparison(statement.id, statement.text, columns, overall=dict(area.overall))
            )
        return replies + self._question_again(session)

    def _cmd_priority(self, session: Session, argument: str) -> list[Reply]:
        """Ask an area's top-priority question now (the current statement's area, or the one
        named), then go back to where the leader was: a priority left for later can be given,
        or changed, at any time."""
        conv = session.conversation
        if conv.state == "privacy":  # the held answer comes first; it is never set aside here
            text = self._render("priority_which", session, privacy=True, argument="")
            return [Say(text, tone="note"), self.expected(session)]
        area = self._priority_area(session, argument)
        if area is None:
            text = self._render("priority_which", session, privacy=False, argument=argument)
            return [Say(text), self.expected(session)]
        if conv.state == "top_priority" and conv.pending.get("area") == area.id:
            return self._reask(session)  # asked already
        before = _capture(session)
        # where to go back to (asked from another area's priority question: where the leader
        # was before that one)
        if PRIORITY_RETURN not in conv.pending:
            where = {
                "state": conv.state,
                "follow_ups": conv.follow_ups,
                **{
                    k: conv.pending[k]
                    for k in ("question_id", "question", "area")
                    if k in conv.pending
                },
            }
            conv.pending[PRIORITY_RETURN] = json.dumps(where, ensure_ascii=False)
        conv.state = "top_priority"
        conv.follow_ups = 0
        conv.pending["area"] = area.id
        # (an area none of whose statements is in today's plan: all of them, as not started)
        rows = self._area_rows(session, area) or [s.id for s in area.statements]
        replies: list[Reply] = [self._profile(session, f"{area.title}: your profile so far", rows)]
        replies += self._ask_priority(session, area)
        self._push_undo(session, before, f"going to the top priority for {area.short_title}")
        return replies

    def _priority_area(self, session: Session, argument: str) -> Area | None:
        """The area /priority means: the one named (its number, id or a word of its name), else
        the one being asked about or reflected on, else the only one there is; None when it is
        unclear."""
        areas = self.framework.areas
        value = _plain(argument)
        if value:
            if value.isdigit():
                index = int(value)
                return areas[index - 1] if 1 <= index <= len(areas) else None
            words = {_singular(w) for w in _word_set(value)} - {"and", "&", "the"}
            named = []
            for area in areas:
                own = {_singular(w) for w in _word_set(f"{area.short_title} {area.title}")}
                initials = "".join(
                    w[0] for w in _word_set(area.short_title) if w not in ("&", "and")
                )
                if value in (area.id, initials, "&".join(initials)) or words <= own - {"and"}:
                    named.append(area)
            return named[0] if len(named) == 1 else None
        conv = session.conversation
        if conv.state == "top_priority" and conv.pending.get("area"):
            return next((a for a in areas if a.id == conv.pending["area"]), None)
        statement = self._statement(session)
        if statement is not None:
            return self.framework.area(statement.area_id)
        return areas[0] if len(areas) == 1 else None

    def _back_from_priority(self, session: Session) -> list[Reply]:
        """After a top priority asked for with /priority: back to the question the leader was
        at, asked again."""
        conv = session.conversation
        area_id = conv.pending.get("area", "")
        area = next((a for a in self.framework.areas if a.id == area_id), None)
        try:
            where = json.loads(conv.pending.pop(PRIORITY_RETURN, "") or "{}")
        except ValueError:
            where = {}
        note = self._render(
            "priority_back",
            session,
            area=area,
            area_number=self.framework.areas.index(area) + 1 if area else 0,
            priority=_short(self._priority_of(session, area.id)) if area else "",
        )
        replies: list[Reply] = [Say(note)]
        state = where.get("state", "")
        if state not in STATES or STATES[state].ask is None or state == "privacy":
            conv.pending.pop("area", None)  # (a hand-edited file): on with the reflection
            return replies + self._goto(session, "next_statement")
        conv.state = state
        conv.follow_ups = int(where.get("follow_ups", 0) or 0)
        for key in ("question_id", "question", "area"):
            if key in where:
                conv.pending[key] = str(where[key])
            else:
                conv.pending.pop(key, None)
        return replies + self._question_again(session)

    def _cmd_cases(self, session: Session, argument: str) -> list[Reply]:
        areas = self._case_areas(session)
        replies: list[Reply] = [Say(self._render("cases", session, areas=areas))]
        return [*replies, *self.case_cards(session), *self._question_again(session)]

    def _case_areas(self, session: Session) -> list[Area]:
        statement = self._statement(session)
        return [self.framework.area(statement.area_id)] if statement else list(self.framework.areas)

    def case_cards(self, session: Session) -> list[CaseStudyCard]:
        """The case studies "/cases" shows (the current area's, or all), each with why it is
        relevant. Changes nothing: a front end may show them as a view of its own."""
        cards: list[CaseStudyCard] = []
        saved = {n.case_study_id for r in session.statements for n in r.case_studies if n.saved}
        for area in self._case_areas(session):
            for case in area.case_studies:
                numbers = [
                    str(self.statement_number(s))
                    for s in case.statement_ids
                    if self.framework.has_statement(s)
                ]
                plural = "s" if len(numbers) > 1 else ""
                reason = f"It relates to statement{plural} {_and(numbers)}" if numbers else "It"
                if case.themes:
                    reason += f"{'; it' if numbers else ''} covers {_and(list(case.themes))}"
                reason += "."
                saved_for = self._saved_for(session, case.id)  # saves are per statement
                if saved_for:
                    reason += " " + self._render("case_saved_for", session, numbers=saved_for)
                cards.append(
                    CaseStudyCard(case.id, case.title, case.summary, reason, case.id in saved)
                )
        return cards

    def _cmd_summary(self, session: Session, argument: str) -> list[Reply]:
        return self._summary(session) + self._question_again(session)

    def _cmd_save(self, session: Session, argument: str) -> list[Reply]:
        return [Say(self._render("saved", session)), self.expected(session)]

    def _cmd_quit(self, session: Session, argument: str) -> list[Reply]:
        return [Say(self._render("quit", session)), Action("quit")]

    def _cmd_export(self, session: Session, argument: str) -> list[Reply]:
        fmt = argument.strip().lower().lstrip(".")
        if fmt and fmt not in EXPORT_FORMATS:
            return [
                Say(self._render("export_format", session, fmt=fmt), tone="note"),
                self.expected(session),
            ]
        return [Action("export", fmt), self.expected(session)]

    # --- summaries ------------------------------------------------------------------------------

    def _label(self, statement: Statement) -> str:
        return f"{self.framework.area(statement.area_id).short_title} {statement.number}"

    def _tier_label(self, record: StatementRecord | None) -> str:
        if record is None:
            return ""
        if record.not_sure:
            return "Not sure yet"
        tier = self._tier_of(record)
        return tier.name if tier else ""

    def _profile(self, session: Session, title: str, statement_ids: list[str]) -> Profile:
        rows = []
        for sid in self._known(statement_ids):
            statement = self.framework.statement(sid)
            record = session.find_record(sid)
            rows.append(
                ProfileRow(
                    sid,
                    f"{self._numbers[sid]}. {self._label(statement)}: {statement.short}",
                    record.status if record else "not_started",
                    record.tier if record else "",
                    self._tier_label(record),
                )
            )
        return Profile(title, tuple(rows))

    def _most_common_tier(self, session: Session, statement_ids: list[str]) -> Tier | None:
        """The one tier chosen most often, or None (none chosen, or a tie)."""
        tied, _ = self._commonest_tiers(session, statement_ids)
        return tied[0] if len(tied) == 1 else None

    def _commonest_tiers(
        self, session: Session, statement_ids: list[str]
    ) -> tuple[list[Tier], int]:
        """The tiers chosen most often (several on a tie), and how often."""
        counts: Counter[str] = Counter()
        for sid in self._known(statement_ids):
            record = session.find_record(sid)
            tier = self._tier_of(record)
            if record and record.status == "done" and tier:
                counts[tier.id] += 1
        if not counts:
            return [], 0
        top = max(counts.values())
        return [t for t in self.framework.tiers if counts.get(t.id) == top], top

    def _summary(self, session: Session) -> list[Reply]:
        """Each area's profile, every statement in scope, then what was recorded."""
        scope = self._scope(session) or [s.id for s in self.framework.statements]
        replies: list[Reply] = []
        for area in self.framework.areas:
            ids = [sid for sid in scope if sid.startswith(area.id + ".")]
            if ids:
                replies.append(self._profile(session, area.title, ids))
        not_done = [
            self.statement_number(sid)
            for sid in scope
            if (r := session.find_record(sid)) is None or r.status != "done"
        ]
        not_sure = [
            self.statement_number(sid)
            for sid in scope
            if (r := session.find_record(sid)) is not None and r.status == "done" and r.not_sure
        ]
        # what the leader recorded for statements this framework has (the rest stay in the file)
        records = [r for r in session.statements if self.framework.has_statement(r.statement_id)]
        steps = sum(len(r.next_steps) for r in records)
        saved = sum(1 for r in records for n in r.case_studies if n.saved)
        areas = {area.id: area for area in self.framework.areas}
        priorities = [
            (areas[a.area_id].short_title, a.top_priority)
            for a in session.areas
            if a.top_priority and a.area_id in areas
        ]
        replies.append(
            Say(
                self._render(
                    "summary",
                    session,
                    not_done=not_done,
                    not_sure=not_sure,
                    steps=steps,
                    saved=saved,
                    priorities=priorities,
                )
            )
        )
        return replies

    # --- challenge ------------------------------------------------------------------------------

    def _challenge_reason(self, session: Session) -> tuple[str, list[str]] | None:
        """Why the chosen tier sits above what the leader's own words support, or None."""
        conv = session.conversation
        if conv.pending.get("challenged"):
            return None
        record = self._record(session)
        chosen = self._tier_of(record)
        if chosen is None or record.not_sure:
            return None
        if chosen.index == 0:
            return None
        texts = " \n".join(self._texts(session))
        lower_words: list[str] = []
        for tier in self.framework.tiers[: chosen.index]:
            for qualifier in tier.qualifiers:
                forms = (qualifier, *self.bank.qualifier_forms.get(qualifier.lower(), ()))
                said = _contains_words(texts, forms)
                lower_words += [w for w in said[:1] if w not in lower_words]
        if lower_words:
            return "qualifiers", lower_words[:4]
        if chosen.index == len(self.framework.tiers) - 1:
            evidence = record.answers_of("evidence")
            if not evidence or all(a.thin or is_thin(a.text) for a in evidence):
                return "no_evidence", []
        hinted = next((t for t in self.framework.tiers if t.id == record.hint_tier), None)
        # only words that tell the tiers apart are cited; with none, there is nothing to ask
        if hinted is not None and hinted.index < chosen.index:
            words = [
                w
                for w in record.hint_words
                if tells_apart(self.framework, record.statement_id, w, hinted.id, chosen.id)
            ]
            if words:
                return "hint", words[:4]
        return None

    def _descriptor_part(self, session: Session, tier_id: str) -> str:
        """The sentence of the chosen tier's descriptor that the challenge quotes (the first
        naming one of the tier's qualifier words, else the first), exactly as the framework has
        it, with "…" where the descriptor goes on before or after it: a quote cut short is
        marked as cut."""
        statement = self._statement(session)
        assert statement is not None
        tier = self.framework.tier(tier_id)
        text = statement.descriptors.get(tier_id)
        if text is None:
            text = self.framework.area(statement.area_id).overall.get(tier_id) or tier.closing
        parts = sentences(text)
        if len(parts) <= 1:
            return text.strip()
        index = next((i for i, p in enumerate(parts) if _contains_words(p, tier.qualifiers)), 0)
        before = "… " if index > 0 else ""
        after = " …" if index < len(parts) - 1 else ""
        return f"{before}{parts[index]}{after}"

    def _descriptor_quote(self, statement: Statement, tier_id: str) -> list[Reply]:
        tier = self.framework.tier(tier_id)
        text = statement.descriptors.get(tier_id)
        if text is not None:
            return [Quote(text, f"{tier.name}, statement {self._label(statement)}")]
        area = self.framework.area(statement.area_id)
        replies: list[Reply] = [
            Say(f"The framework gives no specific descriptor at {tier.name} for this statement.")
        ]
        overall = area.overall.get(tier_id)
        if overall:
            replies.append(Quote(overall, f"{area.title}, overall: {tier.name}"))
        return replies

    # --- resuming -------------------------------------------------------------------------------

    def _welcome_back(self, session: Session) -> list[Reply]:
        conv = session.conversation
        if conv.statement_id and not self.framework.has_statement(conv.statement_id):
            # it stood at a statement this framework no longer has: on to the next one
            conv.pending.pop("held", None)
            conv.pending.pop("held_state", None)
            welcome = Say(self._render("welcome_back", session, last="", where=False))
            return [welcome, *self._unknown_statements(session)]
        statement = self._statement(session)
        record = session.find_record(statement.id) if statement else None
        held_state = conv.pending.get("held_state", "") if conv.state == "privacy" else ""
        on_statement = conv.state in STATEMENT_STATES or held_state in STATEMENT_STATES
        replies: list[Reply] = [
            Say(self._render("welcome_back", session, last="", where=statement is not None)),
            *self._unknown_statements(session),
        ]
        if statement is not None and on_statement:
            if record is not None and updated_since(record, self.framework):
                replies.append(Say(self._render("updated_since", session), tone="note"))
                record.statement_hash = statement.text_hash
            so_far = self._so_far(record)
            if so_far:
                replies.append(Say(self._render("said_so_far", session, items=so_far), "note"))
            replies.append(Quote(statement.text, f"Statement {self._label(statement)}"))
        if conv.state == "privacy":
            held = conv.pending.get("held", "")
            reminder = self._render(
                "privacy_pending",
                session,
                question=conv.pending.get("question", ""),
                held=_short(held, 200),
                found=_personal_data(held),
            )
            return [*replies, Say(reminder, tone="warning"), self.expected(session)]
        if conv.state == "case_studies" and record is not None:
            # the choice names the suggestions by number: show them again
            cases = {case.id: case for case in self.framework.case_studies}
            for note in record.case_studies[: self._offered_count(session)]:
                case = cases.get(note.case_study_id)
                if case is not None:
                    reason = self._card_reason(session, case.id, note.reason, note.saved)
                    replies.append(
                        CaseStudyCard(case.id, case.title, case.summary, reason, note.saved)
                    )
        return replies + self._reask(session)


# --- Commands and snapshots ---------------------------------------------------------------------

_COMMAND_NAMES = {name for name, _, _ in COMMANDS}


def _parse_command(text: str) -> tuple[str, str] | None:
    """("name", "argument") for a command line, or None for an answer."""
    stripped = text.strip()
    if stripped.lower() == "help":
        return "help", ""
    if not stripped.startswith("/") or stripped.startswith("//") or "\n" in stripped:
        return None
    name, _, argument = stripped[1:].partition(" ")
    return name.lower(), argument.strip()


def _end_revision(session: Session) -> None:
    """Forget the working values of revising a statement (it is finished, or left)."""
    for key in ("replace_steps", "cases_offered", IN_REVISION, REVISED):
        session.conversation.pending.pop(key, None)


def _case_note(case_id: str, reason: str, saved: bool) -> CaseStudyNote:
    return CaseStudyNote(case_study_id=case_id, reason=reason, saved=saved)


def _capture(session: Session) -> dict[str, Any]:
    """Everything an answer can change (transcript and history aside): JSON-ready data, but for
    the statement records only their fields, lists copied (see `_fields`)."""
    return {
        "label": session.label,
        "phase": session.phase,
        "role": session.role,
        "conversation": session.conversation.model_dump(mode="json"),
        "areas": [a.model_dump(mode="json") for a in session.areas],
        "records": {r.statement_id: _fields(r) for r in session.statements},
    }


@cache
def _record_field_names() -> tuple[str, ...]:
    return tuple(StatementRecord(statement_id="").model_dump())


def _fields(record: StatementRecord) -> dict[str, Any]:
    """A record's fields, its lists copied. Every step captures every record twice (before and
    after) and most records do not change, so this stays shallow: the answers, steps and notes in
    the lists are never changed in place (the engine replaces them), and only what did change is
    turned into JSON, by `_json_ready`."""
    out = {}
    for name in _record_field_names():
        value = getattr(record, name)
        out[name] = list(value) if isinstance(value, list) else value
    return out


def _json_ready(value: Any) -> Any:
    """A field's value (or `_fields` of a record) as the record's `model_dump(mode="json")`
    gives it."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def _redact_transcript(session: Session, texts: list[str]) -> None:
    """Replace the personal data found in `texts` with "[removed]" wherever the transcript
    holds it (the leader's lines and the bot's, which may quote them)."""
    matched = sorted(
        {item.text for text in texts for item in find_personal_data(text)}, key=len, reverse=True
    )
    if not matched:
        return
    for index, turn in enumerate(session.transcript):
        text = turn.text
        for part in matched:
            # the bot's lines quote the leader's words escaped for Markdown (see `_log`)
            text = text.replace(part, REMOVED).replace(markdown_literal(part), REMOVED)
        if text != turn.text:
            session.transcript[index] = turn.model_copy(update={"text": text})


def _without_retyping(captured: dict[str, Any]) -> dict[str, Any]:
    pending = captured["conversation"].get("pending", {})
    if RETYPING not in pending:
        return captured
    pending = {k: v for k, v in pending.items() if k != RETYPING}
    return {**captured, "conversation": {**captured["conversation"], "pending": pending}}


def _difference(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What `back` needs to return from `after` to `before`, kept small: only what changed, and
    for a list that only grew, just its old length."""
    snapshot: dict[str, Any] = {}
    for key in ("label", "phase", "role", "areas"):
        if before[key] != after[key]:
            snapshot[key] = before[key]
    conversation = {
        k: v for k, v in before["conversation"].items() if after["conversation"].get(k) != v
    }
    if conversation:
        snapshot["conversation"] = conversation
    records: dict[str, Any] = {}
    for sid in [*before["records"], *[s for s in after["records"] if s not in before["records"]]]:
        old, new = before["records"].get(sid), after["records"].get(sid)
        if old == new:
            continue
        if old is None or new is None:
            records[sid] = None if old is None else {"fields": _json_ready(old), "truncate": {}}
            continue
        fields: dict[str, Any] = {}
        truncate: dict[str, int] = {}
        for key, value in old.items():
            current = new.get(key)
            if current == value:
                continue
            grew = isinstance(value, list) and isinstance(current, list)
            if grew and current[: len(value)] == value:
                truncate[key] = len(value)
                continue
            fields[key] = _json_ready(value)
        records[sid] = {"fields": fields, "truncate": truncate}
    snapshot["records"] = records
    return snapshot


def _restore(session: Session, snapshot: dict[str, Any]) -> None:
    """Undo one step, given what `_difference` kept."""
    for key in ("label", "phase", "role"):
        if key in snapshot:
            setattr(session, key, snapshot[key])
    if "areas" in snapshot:
        session.areas = [AreaRecord.model_validate(a) for a in snapshot["areas"]]
    if "conversation" in snapshot:
        data = session.conversation.model_dump(mode="json")
        data.update(snapshot["conversation"])
        # the reminder is once per session: going back past it does not bring it back
        reminded = session.conversation.privacy_reminded
        session.conversation = Conversation.model_validate(data)
        session.conversation.privacy_reminded = reminded
    for sid, change in snapshot.get("records", {}).items():
        current = session.find_record(sid)
        if change is None:
            session.statements = [r for r in session.statements if r.statement_id != sid]
            continue
        data = current.model_dump(mode="json") if current else {"statement_id": sid}
        for key, length in change["truncate"].items():
            data[key] = data.get(key, [])[:length]
        data.update(change["fields"])
        restored = StatementRecord.model_validate(data)
        for index, record in enumerate(session.statements):
            if record.statement_id == sid:
                session.statements[index] = restored
                break
        else:
            session.statements.append(restored)
