"""Small text helpers shared by the front ends: pure functions, no I/O."""

from __future__ import annotations

import re

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
