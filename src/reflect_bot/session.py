"""The session: everything needed to resume a reflection exactly, as plain data.

These models are what a session TOML file holds (the store module reads and writes them). Field
order here is the order a person reading the file sees. TOML has no null, so "nothing yet" is an
empty string or an empty list, never None.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

StatementStatus = Literal["not_started", "in_progress", "done", "skipped"]


def now() -> datetime:
    """The current time in UTC, to the second (files stay readable)."""
    return datetime.now(UTC).replace(microsecond=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Answer(_Model):
    """One answer the leader gave to one question."""

    question_id: str  # the question bank's id, e.g. "teaching-learning.4.deployment" or "evidence"
    kind: str  # what the answer is: working_well, evidence, consistency, impact, find_out, ...
    question: str  # the question as it was asked
    text: str
    at: datetime
    thin: bool = False  # still thin after the follow-ups; the bot moved on and noted it


class Challenge(_Model):
    """The one respectful challenge to a tier choice, and what the leader did with it."""

    question: str
    tier_before: str
    response: str = ""
    tier_after: str = ""  # the tier they settled on (equal to tier_before when kept)
    at: datetime


class NextStep(_Model):
    what: str
    who: str = ""
    by_when: str = ""  # as the leader said it: a date, "by Easter", "September"


class CaseStudyNote(_Model):
    case_study_id: str
    reason: str
    saved: bool = False


class StatementRecord(_Model):
    statement_id: str
    status: StatementStatus = "not_started"
    statement_hash: str = ""  # the framework text this reflection was made against
    answers: list[Answer] = []
    hint_tier: str = ""  # which tier the leader's words sat closest to (a hint only)
    hint_words: list[str] = []
    tier: str = ""  # tier id, or "" when none chosen yet
    not_sure: bool = False
    challenge: Challenge | None = None
    next_steps: list[NextStep] = []
    case_studies: list[CaseStudyNote] = []
    notes: list[str] = []  # what the bot noted, e.g. an answer left thin

    def answers_of(self, kind: str) -> list[Answer]:
        return [a for a in self.answers if a.kind == kind]


class AreaRecord(_Model):
    area_id: str
    top_priority: str = ""
    top_priority_at: datetime | None = None


class Turn(_Model):
    """One line of the transcript."""

    role: Literal["bot", "leader"]
    text: str
    at: datetime


class Undo(_Model):
    """What `back` restores: the conversation before one answer, as a JSON snapshot."""

    label: str  # what the answer was, for the message "Back: ..."
    snapshot: str  # the session's conversation data (not transcript or history) as JSON


class Conversation(_Model):
    """Where the conversation stands: the dialogue state machine's data."""

    state: str = "greeting"
    scope: list[str] = []  # statement ids chosen, in the order to reflect on them
    statement_id: str = ""  # the statement being reflected on, or ""
    follow_ups: int = 0  # follow-ups asked for the current question
    pending: dict[str, str] = {}  # small working values between steps (the state machine's own)
    privacy_reminded: bool = False
    draft: str = ""  # what the leader typed in the answer box and has not sent yet


class Session(_Model):
    schema_version: int = SCHEMA_VERSION
    name: str
    framework_id: str
    framework_version: str
    created: datetime = Field(default_factory=now)
    updated: datetime = Field(default_factory=now)
    label: str = ""  # the school or context, optional
    phase: str = ""
    role: str = ""
    conversation: Conversation = Conversation()
    statements: list[StatementRecord] = []
    areas: list[AreaRecord] = []
    history: list[Undo] = []
    transcript: list[Turn] = []

    def record(self, statement_id: str) -> StatementRecord:
        """The record for a statement, created on first use."""
        for record in self.statements:
            if record.statement_id == statement_id:
                return record
        record = StatementRecord(statement_id=statement_id)
        self.statements.append(record)
        return record

    def find_record(self, statement_id: str) -> StatementRecord | None:
        for record in self.statements:
            if record.statement_id == statement_id:
                return record
        return None

    def area_record(self, area_id: str) -> AreaRecord:
        for record in self.areas:
            if record.area_id == area_id:
                return record
        record = AreaRecord(area_id=area_id)
        self.areas.append(record)
        return record

    def say(self, role: Literal["bot", "leader"], text: str) -> None:
        self.transcript.append(Turn(role=role, text=text, at=now()))
