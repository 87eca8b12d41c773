"""What changed in the framework since a session was made: pure functions, no I/O.

A statement's record keeps the hash of the framework wording it was reflected on against
(`StatementRecord.statement_hash`). When the wording changes, the leader is told "updated since
you last reflected"; when a statement is gone, its answers stay in the session and its file.
Both the dialogue engine and the session store use these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reflect_bot.session import Session, StatementRecord

if TYPE_CHECKING:
    from reflect_bot.framework import Framework


def updated_since(record: StatementRecord, framework: Framework) -> bool:
    """True when the framework's wording for this record's statement has changed since the leader
    reflected on it. A record with no hash yet (never reflected on) is never updated; call this
    before setting the record's `statement_hash` to the current `Statement.text_hash`.
    """
    return (
        bool(record.statement_hash)
        and framework.has_statement(record.statement_id)
        and framework.statement(record.statement_id).text_hash != record.statement_hash
    )


def has_answers(record: StatementRecord) -> bool:
    """The leader has said something for this statement that is worth keeping."""
    return bool(record.answers or record.tier or record.not_sure or record.next_steps)


def missing_statements(session: Session, framework: Framework) -> list[str]:
    """Statements with answers in the session that the framework no longer has.

    Their records stay in the session and in the file; nothing is dropped.
    """
    return [
        record.statement_id
        for record in session.statements
        if not framework.has_statement(record.statement_id) and has_answers(record)
    ]
