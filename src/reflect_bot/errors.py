"""Errors meant for the person using the app: one clear line, no traceback."""


class UserError(Exception):
    """Something the user can act on; the message says what was wrong and what to do."""
