"""Tier, statement and area names for showing: an id the framework does not know (a hand-edited
session, a framework that changed) shows as words such as "unknown tier", never a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only: the start screen must not load the session models
    from reflect_bot.framework import Framework, Statement
    from reflect_bot.session import StatementRecord

UNKNOWN_TIER = "unknown tier"


def tier_name(framework: Framework, tier_id: str, *, short: bool = False) -> str:
    for tier in framework.tiers:
        if tier.id == tier_id:
            return tier.short if short else tier.name
    return UNKNOWN_TIER


def tier_qualifiers(framework: Framework, tier_id: str) -> tuple[str, ...]:
    for tier in framework.tiers:
        if tier.id == tier_id:
            return tier.qualifiers
    return ()


def area_title(framework: Framework, area_id: str, *, short: bool = True) -> str:
    for area in framework.areas:
        if area.id == area_id:
            return area.short_title if short else area.title
    return "an area no longer in the framework"


def find_statement(framework: Framework, statement_id: str) -> Statement | None:
    return framework.statement(statement_id) if framework.has_statement(statement_id) else None


def statement_label(framework: Framework, statement_id: str) -> str:
    """E.g. "T&L 3"; an unknown id shows as itself (it is what the session file says)."""
    statement = find_statement(framework, statement_id)
    if statement is None:
        return statement_id or "no statement"
    return f"{area_title(framework, statement.area_id)} {statement.number}"


def skipped_or_unsure(record: StatementRecord) -> str | None:
    """The words for a skipped or unsure statement, which come before any tier; else None."""
    if record.status == "skipped":
        return "skipped"
    if record.not_sure:
        return "not sure yet"
    return None
