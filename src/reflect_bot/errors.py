"""Errors meant for the person using the app: one clear line, no traceback."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Something the user can act on; the message says what was wrong and what to do."""


def field_path(loc: tuple[Any, ...]) -> str:
    """Where in a file a validation error is, as people write it: `statements[1].kind`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"  # people count from one
        else:
            out += ("." if out else "") + str(part)
    return out
