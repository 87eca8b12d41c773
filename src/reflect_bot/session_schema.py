"""The session file's schema as pydantic models: the mirror of `reflect_bot.session`.

Used only when a session's data fails the quick plain-Python check in `session` (a damaged or
hand-edited file), to name its problems or accept what pydantic allows. Same fields, types and
defaults as the models there; test_session_quick.py keeps the two in step.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reflect_bot.session import SCHEMA_VERSION, StatementStatus, now


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Answer(_Model):
    question_id: str
    kind: str
    question: str
    text: str
    at: datetime
    thin: bool = False


class Challenge(_Model):
    question: str
    tier_before: str
    response: str = ""
    tier_after: str = ""
    at: datetime


class NextStep(_Model):
    what: str
    who: str = ""
    by_when: str = ""


class CaseStudyNote(_Model):
    case_study_id: str
    reason: str
    saved: bool = False


class StatementRecord(_Model):
    statement_id: str
    status: StatementStatus = "not_started"
    statement_hash: str = ""
    answers: list[Answer] = []
    hint_tier: str = ""
    hint_words: list[str] = []
    tier: str = ""
    not_sure: bool = False
    challenge: Challenge | None = None
    next_steps: list[NextStep] = []
    case_studies: list[CaseStudyNote] = []
    notes: list[str] = []


class AreaRecord(_Model):
    area_id: str
    top_priority: str = ""
    top_priority_at: datetime | None = None


class Turn(_Model):
    role: Literal["bot", "leader"]
    text: str
    at: datetime


class Undo(_Model):
    label: str
    snapshot: str


class Conversation(_Model):
    state: str = "greeting"
    scope: list[str] = []
    statement_id: str = ""
    follow_ups: int = 0
    pending: dict[str, str] = {}
    privacy_reminded: bool = False
    draft: str = ""


class Session(_Model):
    schema_version: int = SCHEMA_VERSION
    name: str
    framework_id: str
    framework_version: str
    created: datetime = Field(default_factory=now)
    updated: datetime = Field(default_factory=now)
    label: str = ""
    phase: str = ""
    role: str = ""
    conversation: Conversation = Conversation()
    statements: list[StatementRecord] = []
    areas: list[AreaRecord] = []
    history: list[Undo] = []
    transcript: list[Turn] = []
