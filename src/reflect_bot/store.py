"""The session store: the one module that loads and saves sessions.

One TOML file per session in the sessions folder. Saving is atomic (a temporary file in the same
folder, flushed and synced, then put in place with `os.replace`), so a crash or a kill at any
moment leaves either the old file or the new one, never half of one. A damaged or foreign file is
reported in one line and never overwritten, moved or deleted. A lock file beside each open
session keeps a second copy of the app from writing to it; the operating system releases the lock
when a process ends, so a lock left by a crashed copy is recovered by simply taking it.

Line endings: the engine turns CRLF and CR into LF as text comes in; from then on the store keeps
every character exactly as it is (a lone CR that reaches the store is written escaped and comes
back unchanged). A file whose line endings an editor changed to CRLF still loads, with LF.

Text that UTF-8 cannot encode (lone surrogates, which a terminal can produce for bytes that were
not valid UTF-8) is replaced with U+FFFD before saving and a notice says so
(`SessionStore.take_notices()`); the old file is never at risk.

Speed: a session opens without pydantic (see `reflect_bot.session`), and the bulk of a long
session (its transcript and undo history) is read by a fast reader of exactly what `render`
writes, with tomllib for everything else. Saving keeps the last MAX_UNDO undo steps.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reflect_bot.errors import UserError, field_path

# The session model (reflect_bot.session) and the helpers on it (reflect_bot.revisions) are
# imported where they are used, not here: listing an empty folder, all a new leader's first
# screen asks of the store, needs neither (the start is timed, bench/README.md). The names this
# module used to import from them can still be imported from it (see `__getattr__`).

if TYPE_CHECKING:
    from pydantic import ValidationError

    from reflect_bot.framework import Framework
    from reflect_bot.session import Session

# Names of reflect_bot.session and reflect_bot.revisions that can be imported from here too.
_FROM_ELSEWHERE = {
    "MAX_UNDO": "reflect_bot.session",
    "SCHEMA_VERSION": "reflect_bot.session",
    "Session": "reflect_bot.session",
    "has_answers": "reflect_bot.revisions",
    "missing_statements": "reflect_bot.revisions",
    "updated_since": "reflect_bot.revisions",
}


def __getattr__(name: str) -> Any:
    """`from reflect_bot.store import updated_since` and the like, loaded when first asked for."""
    module = _FROM_ELSEWHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def now() -> datetime:
    """The time a save records (reflect_bot.session.now: UTC, to the second)."""
    from reflect_bot.session import now

    return now()


_WINDOWS = os.name == "nt"
SUFFIX = ".toml"
END_LINE = "# end of session"
HEADER = (
    "# A reflect-bot session: your reflections, in plain TOML. Keep this file private.\n"
    "# You may read or correct it in a text editor; keep it valid TOML and keep the last line.\n"
    "\n"
)
# The lists written last, one flat table per row: they hold the bulk of a long session, and a
# fast reader below reads them (see `_read_fast`).
BULK_FIELDS = ("history", "transcript")


class _Later:
    """A regular expression compiled when first used, standing for it meanwhile (`_X.search`).

    The store's expressions are for saving and opening sessions; compiled when the module is
    imported, they would cost a new leader's first screen, which only lists an empty folder,
    about 2 ms. Each method used is kept once looked up, so later calls cost nothing extra."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for names not kept yet
        compiled = self.__dict__.get("_compiled") or re.compile(*self._args)
        self._compiled = compiled
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


_BACKUP = _Later(r"\.format-\d+(?:-\d+)?\.bak", re.IGNORECASE)


def is_backup(path: Path) -> bool:
    """A copy kept before a migration (NAME.toml.format-N.bak), or one renamed to end in .toml."""
    return _BACKUP.search(path.name) is not None


class SessionError(UserError):
    """A session cannot be created, opened, renamed or deleted; the message says why and what to do.

    One line: the file, the problem, and what to do. For a file that cannot be read, `problem`
    and `advice` hold the parts (a session list shows them beside the file name).
    """

    def __init__(self, message: str, *, problem: str = "", advice: str = "") -> None:
        super().__init__(message)
        self.problem = problem or message
        self.advice = advice


class SaveError(UserError):
    """A save failed; the file on disk is still the last good save."""


# --- Names --------------------------------------------------------------------------------------

_RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$"}
_RESERVED |= {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
_SAFE_STEM = _Later(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONTROL = _Later(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = _Later(r"[\ud800-\udfff]")
MAX_NAME = 80  # enough for "Oak Primary, autumn term review with the SENCo and governors"
_SLUG_LENGTH = 40


def clean_name(name: str) -> str:
    """A session name as it will be kept (NFC, no outer spaces), or SessionError saying why not."""
    if _SURROGATE.search(name):
        raise SessionError("A session name cannot contain characters that cannot be saved.")
    name = unicodedata.normalize("NFC", name).strip()
    if not name:
        raise SessionError("A session name needs at least one visible character.")
    if _CONTROL.search(name):
        raise SessionError("A session name cannot contain line breaks, tabs or control characters.")
    if len(name) > MAX_NAME:
        raise SessionError(
            f"A session name can be at most {MAX_NAME} characters long (this one has "
            f"{len(name)}); choose a shorter name."
        )
    return name


def _slug(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:_SLUG_LENGTH].rstrip("-")


def file_stem(name: str) -> str:
    """The file name (without .toml) for a session name.

    A name that is already a short, lower-case, hyphenated word list is used as it is. Any other
    name becomes an ASCII slug plus "_" and a hash of the exact name. Safe stems never contain "_",
    so the two kinds cannot meet, and two different names never share a file. Stems contain only
    [a-z0-9-_], so they cannot leave the folder or be a reserved device name on Windows.
    """
    name = clean_name(name)
    slug = _slug(name)
    if slug == name and _SAFE_STEM.match(name) and name not in _RESERVED:
        return name
    import hashlib  # here, as tomllib (see _Later): listing sessions needs no hashing

    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return f"{slug or 'session'}_{digest}"


# --- Writing TOML -------------------------------------------------------------------------------

_LITERAL_BAD = _Later(r"[\x00-\x08\x0a-\x1f\x7f]")
_MULTILINE_LITERAL_BAD = _Later(r"[\x00-\x08\x0b-\x1f\x7f]|'''")
_BASIC_ESCAPE = _Later(r'[\x00-\x08\x0b-\x1f\x7f"\\]')
_BASIC_ESCAPE_ONE_LINE = _Later(r'[\x00-\x1f\x7f"\\]')
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"'}
_ESCAPES["\\"] = "\\\\"
_BARE_KEY = _Later(r"[A-Za-z0-9_-]+")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def toml_string(text: str) -> str:
    """A TOML string that reads back as exactly `text`, chosen for readability and fast parsing.

    A short line in double quotes, as TOML is usually written, when it needs no escapes; any
    other text as a literal string (no escapes) wherever it can be one: tomllib and the fast
    reader below take those with one search for the closing quotes, where an escaped string is
    read character by character. Escapes only for what a literal string cannot hold (control
    characters such as a lone CR, three apostrophes in a row, an apostrophe at the very end).
    """
    one_line = "\n" not in text and len(text) < 80
    if one_line and not _BASIC_ESCAPE_ONE_LINE.search(text):
        return f'"{text}"'
    if one_line and "'" not in text and not _LITERAL_BAD.search(text):
        return f"'{text}'"
    if not _MULTILINE_LITERAL_BAD.search(text) and not text.endswith("'"):
        return f"'''\n{text}'''"  # the newline after the opening quotes is not part of it
    if "\n" in text:
        return '"""\n' + _BASIC_ESCAPE.sub(_escape, text) + '"""'
    return '"' + _BASIC_ESCAPE_ONE_LINE.sub(_escape, text) + '"'


def _toml_key(key: str) -> str:
    if _BARE_KEY.fullmatch(key):
        return key
    return '"' + _BASIC_ESCAPE_ONE_LINE.sub(_escape, key) + '"'


def _toml_value(value: Any) -> str:
    """A value on the right of `key = `: a string, number, true/false, time, list or table."""
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | datetime | date):
        return str(value)  # a datetime as "2026-12-03 09:00:00+00:00", which TOML allows
    if isinstance(value, list):
        items = [_toml_value(item) for item in value]
        if sum(len(item) for item in items) < 70 and not any("\n" in item for item in items):
            return f"[{', '.join(items)}]"
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    if isinstance(value, dict):
        pairs = [f"{_toml_key(key)} = {_toml_value(item)}" for key, item in value.items()]
        return f"{{ {', '.join(pairs)} }}" if pairs else "{}"
    raise TypeError(f"cannot write {type(value).__name__} in a session file")


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and bool(value)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_table(out: list[str], name: str, data: dict[str, Any]) -> None:
    """`data` as the body of the table `name` ("" for the top): its plain values, then its tables
    and lists of tables, each under its own header."""
    nested = []
    for key, value in data.items():
        if _is_table(value) or _is_table_list(value):
            nested.append((key, value))
        elif value is not None:  # TOML has no null: None means "leave the key out"
            out.append(f"{_toml_key(key)} = {_toml_value(value)}\n")
    for key, value in nested:
        inner = f"{name}.{_toml_key(key)}" if name else _toml_key(key)
        if isinstance(value, dict):
            out.append(f"\n[{inner}]\n")
            _toml_table(out, inner, value)
        else:
            for row in value:
                out.append(f"\n[[{inner}]]\n")
                _toml_table(out, inner, row)


def render(session: Session) -> str:
    """The session as the text of its file.

    The session's own fields and tables first, then the statements, then the bulk
    (BULK_FIELDS), each row a flat `[[transcript]]` table: the layout `_read_fast` reads.
    """
    import tomli_w  # only when saving: not on the way to the first screen

    data = session.model_dump(exclude_none=True)
    # tomli-w writes the small parts. The leader's words (statements, history, transcript) are
    # written here instead, as literal strings where the text allows: tomli-w writes only
    # escaped strings, which tomllib reads a character at a time, three times slower.
    # (Empty lists stay with tomli-w, which writes them before its tables, at the top level.)
    own = {key: data.pop(key) for key in ("statements", *BULK_FIELDS) if data.get(key)}
    out = [HEADER, tomli_w.dumps(data)]
    _toml_table(out, "", own)
    out.append(f"\n{END_LINE}\n")
    return "".join(out)


# --- Cleaning text that cannot be saved ---------------------------------------------------------


def _clean_text(text: str) -> tuple[str, int]:
    return _SURROGATE.subn("\ufffd", text)


def _clean_value(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return _clean_text(value)
    if is_dataclass(value):
        return value, clean_session_text(value)
    if isinstance(value, list):
        count = 0
        for index, item in enumerate(value):
            value[index], n = _clean_value(item)
            count += n
        return value, count
    if isinstance(value, dict):
        count = 0
        for key in list(value):
            cleaned_key, n = _clean_text(key) if isinstance(key, str) else (key, 0)
            item, m = _clean_value(value.pop(key))
            value[cleaned_key] = item
            count += n + m
        return value, count
    return value, 0


def clean_session_text(model: Any) -> int:
    """Replace characters UTF-8 cannot encode (lone surrogates) with U+FFFD, in place, in a
    session or any of its parts. Returns how many were replaced.
    """
    count = 0
    for field in fields(model):
        value, n = _clean_value(getattr(model, field.name))
        if n:
            setattr(model, field.name, value)
            count += n
    return count


# --- Reading fast -------------------------------------------------------------------------------

# tomllib reads a long transcript slowly (it checks every character of every string in Python),
# so the bulk at the end of a file, as `render` writes it, is read here with a few regular
# expressions: a whole transcript row at a time. Anything this reader is not sure of (a
# hand-edited file, a value written some other way) makes it give up, and tomllib reads the
# whole file as before: a file loads exactly as TOML says, or is refused with tomllib's words.
# test_store_fast.py compares the two on many files.

_BULK_HEADER = _Later(rb"\n\[\[([A-Za-z0-9_-]+)\]\]\n")
_BULK_KEYS = {key.encode(): key for key in BULK_FIELDS}
_FIELD = _Later(rb"([A-Za-z0-9_-]+) = ")
# Every byte but the control characters TOML never allows unescaped (CR among them: tomllib
# reads CRLF line endings, which `render` never writes, so a file with a CR is left to it).
_ALLOWED_BYTES = bytes(b for b in range(256) if b >= 0x20 and b != 0x7F or b in b"\t\n")
# A string as `render` writes one: a multi-line literal string (up to its first '''), a line
# with nothing escaped in double quotes, or a literal line. Three groups, one of them matched.
_TEXT = (
    rb"(?:'''\n([^']*(?:'(?!'')[^']*)*)'''"
    rb'|"([^"\\\n]*)"'
    rb"|'([^'\n]*)')\n"
)
# A time as `render` writes `now()`: UTC, to the second.
_TIME = rb"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00)\n"
# The rows of each bulk list as `render` writes them, fields in order. A row written otherwise
# (say the models gained a field) is read field by field instead, more slowly.
ROW_LAYOUTS = {
    "history": (("label", _TEXT), ("snapshot", _TEXT)),
    "transcript": (("role", _TEXT), ("text", _TEXT), ("at", _TIME)),
}
_ROWS = [
    (
        _Later(
            re.escape(f"\n[[{key}]]\n".encode())
            + b"".join(name.encode() + b" = " + value for name, value in layout)
        ),
        key,
        layout,
    )
    for key, layout in ROW_LAYOUTS.items()
]
_UTC_TIME = _Later(_TIME)
_PLAIN_STRING = _Later(rb'"([^"\\\n]*)"\n')
_PLAIN_INT = _Later(rb"(0|-?[1-9][0-9]{0,17})\n")
_ESCAPED_STRING = _Later(rb'"(?:[^"\\\n]|\\.)*"\n')
_ESCAPED_MULTILINE = _Later(rb'"""(?:[^"\\]|\\.|"(?!""))*"""\n', re.DOTALL)
_END_BYTES = f"\n{END_LINE}\n".encode()


class _NotFast(Exception):
    """The fast reader is not sure of this file: tomllib reads it."""


def _read_fast(raw: bytes) -> dict[str, Any] | None:
    """The file's data as tomllib would read it, or None when the fast reader is not sure.

    The head (up to the first bulk row) goes to tomllib; the bulk rows are read here.
    """
    starts = [raw.find(b"\n[[%s]]\n" % key) for key in _BULK_KEYS]
    start = min((s for s in starts if s >= 0), default=-1)
    end = len(raw) - len(_END_BYTES)
    if start < 0 or not raw.endswith(_END_BYTES) or raw.translate(None, _ALLOWED_BYTES):
        return None  # (translate leaves only the bytes that are not allowed)
    try:
        # A bulk header found inside a string of the head leaves that string unclosed here, so
        # the head does not parse and tomllib reads the whole file.
        import tomllib  # here, not at the top: as the expressions above (see _Later)

        data = tomllib.loads(raw[:start].decode("utf-8"))
        bulk = _read_bulk(raw, start, end)
        # the head may say `history = []`; tomllib would refuse rows added to it
        if any(data.get(key, []) != [] or (key in data and key in bulk) for key in BULK_FIELDS):
            return None
        data.update(bulk)
    except (_NotFast, ValueError):  # ValueError: not UTF-8, not TOML, an impossible date
        return None
    return data


def _read_bulk(raw: bytes, pos: int, end: int) -> dict[str, list[dict[str, Any]]]:
    bulk: dict[str, list[dict[str, Any]]] = {key: [] for key in BULK_FIELDS}
    while pos < end:
        for pattern, key, layout in _ROWS:
            whole = pattern.match(raw, pos, end)
            # a whole row, unless the row goes on (with a field more than the layout knows)
            if whole is not None and (whole.end() == end or raw[whole.end()] == 0x0A):
                bulk[key].append(_row(whole.groups(), layout))
                pos = whole.end()
                break
        else:
            pos = _read_row(raw, pos, end, bulk)
    if pos != end:  # a value ran into the last line
        raise _NotFast
    return {key: rows for key, rows in bulk.items() if rows}


def _row(groups: tuple[Any, ...], layout: tuple[tuple[str, bytes], ...]) -> dict[str, Any]:
    """A row its layout matched whole: its fields by name."""
    row: dict[str, Any] = {}
    i = 0
    for name, value in layout:
        if value is _TIME:
            row[name] = datetime.fromisoformat(groups[i].decode("ascii"))
            i += 1
        else:  # one of the three groups matched (b"" or None when the text is empty)
            row[name] = (groups[i] or groups[i + 1] or groups[i + 2] or b"").decode("utf-8")
            i += 3
    return row


def _read_row(raw: bytes, pos: int, end: int, bulk: dict[str, list[dict[str, Any]]]) -> int:
    """A row no layout matched, read field by field into `bulk`; where the next one starts."""
    header = _BULK_HEADER.match(raw, pos)
    if header is None or header[1] not in _BULK_KEYS:
        raise _NotFast
    row: dict[str, Any] = {}
    bulk[_BULK_KEYS[header[1]]].append(row)
    pos = header.end()
    while pos < end and raw[pos] != 0x0A:  # a blank line ends the row
        field = _FIELD.match(raw, pos)
        if field is None:
            raise _NotFast
        key = field[1].decode("ascii")
        if key in row:
            raise _NotFast
        row[key], pos = _read_value(raw, field.end(), end, pos)
    return pos


def _read_value(raw: bytes, pos: int, end: int, line: int) -> tuple[Any, int]:
    """The value starting at `pos` and where the next line starts. Unusual values on one line
    are handed to tomllib, the line on its own (`line` is where it starts)."""
    import tomllib

    if raw.startswith(b"'''\n", pos):
        close = raw.find(b"'''", pos + 4, end)
        if close < 0 or raw[close + 3] != 0x0A:  # '''' would add an apostrophe: not ours
            raise _NotFast
        return raw[pos + 4 : close].decode("utf-8"), close + 4
    first = raw[pos]
    if first == 0x27:  # '
        close = raw.find(b"'", pos + 1, end)
        if close < 0 or raw[close + 1] != 0x0A or raw.find(b"\n", pos, close) >= 0:
            raise _NotFast
        return raw[pos + 1 : close].decode("utf-8"), close + 2
    if first == 0x22:  # "
        plain = _PLAIN_STRING.match(raw, pos, end)
        if plain is not None:
            return plain[1].decode("utf-8"), plain.end()
        escaped = _ESCAPED_MULTILINE.match(raw, pos, end) or _ESCAPED_STRING.match(raw, pos, end)
        if escaped is None:
            raise _NotFast
        text = raw[pos : escaped.end()].decode("utf-8")
        return tomllib.loads(f"v = {text}")["v"], escaped.end()
    stamp = _UTC_TIME.match(raw, pos, end)
    if stamp is not None:
        return datetime.fromisoformat(stamp[1].decode("ascii")), stamp.end()
    if raw.startswith(b"true\n", pos):
        return True, pos + 5
    if raw.startswith(b"false\n", pos):
        return False, pos + 6
    number = _PLAIN_INT.match(raw, pos, end)
    if number is not None:
        return int(number[1]), number.end()
    stop = raw.find(b"\n", pos, end)
    if stop < 0:
        raise _NotFast
    return next(iter(tomllib.loads(raw[line:stop].decode("utf-8")).values())), stop + 1


# --- Reading ------------------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_WRONG_KIND = {
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "list_type": "should be a list",
    "dict_type": "should be a table",
    "model_type": "should be a table",
    "model_attributes_type": "should be a table",
    "datetime_type": "should be a date and time",
    "datetime_parsing": "should be a date and time",
    "datetime_from_date_parsing": "should be a date and time",
    "literal_error": "has a value that is not allowed",
}
_FIX = "Correct it in a text editor or restore it from a backup; reflect-bot leaves it as it is."
_RESTORE = "Restore it from a backup, or mend it in a text editor; reflect-bot leaves it as it is."

# Migrations from each older schema version to the next: a function on the file's raw data.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _validation_problem(error: ValidationError) -> str:
    item = error.errors()[0]
    loc = tuple(item["loc"])
    more = error.error_count() - 1
    also = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
    if item["type"] == "missing":
        where = field_path(loc[:-1])
        inside = f" in {where}" if where else ""
        return f"the key '{loc[-1]}' is missing{inside}{also}"
    if item["type"] == "extra_forbidden":
        where = field_path(loc[:-1])
        inside = f" in {where}" if where else ""
        return f"it has an unknown key '{loc[-1]}'{inside}{also}"
    what = _WRONG_KIND.get(item["type"], item["msg"].lower())
    return f"'{field_path(loc)}' {what}{also}"


def _read_error(path: Path, problem: str, advice: str = _FIX) -> SessionError:
    return SessionError(f"{path}: {problem}. {advice}", problem=problem, advice=advice)


def _read_toml(path: Path, raw: bytes) -> tuple[dict[str, Any], bool]:
    """Any file, read by tomllib: (its data, whether it ends with the end line)."""
    import tomllib

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _read_error(
            path,
            f"it is not UTF-8 text (byte {error.start + 1})",
            "Save it from your editor as 'UTF-8', or restore it from a backup; "
            "reflect-bot leaves it as it is.",
        ) from None
    ours = text.startswith(HEADER.partition("\n")[0])
    complete = text.rstrip().endswith(END_LINE)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, text, str(error), ours) from None
    if ours and not complete:
        after = _line_after_end(text)
        if after is not None:
            raise _read_error(
                path,
                f"line {after} comes after the line '{END_LINE}', which should be the last",
                f"Remove line {after} (and anything else after '{END_LINE}') in a text editor, "
                "or restore the file from a backup; reflect-bot leaves it as it is.",
            )
        raise _read_error(
            path,
            f"the file is cut short: its last line '{END_LINE}' is missing",
            "If you edited it by hand, add that line back at the end; otherwise restore it from "
            "a backup. reflect-bot leaves it as it is.",
        )
    return data, complete


_AT_LINE = _Later(r"\(at line (\d+), column \d+\)$")
_SHOWN_LINE = 40  # characters of a bad line quoted in a message
# What is wrong with a line, in plain words, for the few of tomllib's messages that say it
# clearly; any other line is "not valid".
_WHAT_IS_WRONG = {
    "Cannot overwrite a value": "sets something that is set already",
    "Cannot declare": "repeats a heading that is in the file already",
}


def _syntax_error(path: Path, text: str, detail: str, ours: bool) -> SessionError:
    """What is wrong with a file TOML cannot read, in words a leader can act on: the line to
    correct or remove, or that the file is cut short. (tomllib's own words, such as "Invalid
    initial character for a key part", mean nothing to a leader: its line number is used.)
    """
    lines = text.split("\n")
    # tomllib says "at end of document" for a problem on the last line that holds anything
    last = max(
        (n for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")),
        default=1,
    )
    found = _AT_LINE.search(detail)
    number = int(found[1]) if found else last
    if not ours:
        return _read_error(
            path,
            f"it does not look like a reflect-bot session (line {number} is not valid TOML)",
            "Move it out of the sessions folder if it is something else; "
            "reflect-bot leaves it as it is.",
        )
    # A file that stops part-way: the end line is nowhere, and TOML gave up at the very end.
    if not any(line.strip() == END_LINE for line in lines) and number >= last:
        return _read_error(
            path, f"the file is cut short: it stops part-way through line {number}", _RESTORE
        )
    shown = lines[number - 1].strip() if number <= len(lines) else ""
    if len(shown) > _SHOWN_LINE:
        shown = shown[: _SHOWN_LINE - 1] + "\u2026"
    quoted = f" ({shown})" if shown else ""
    wrong = next(
        (words for start, words in _WHAT_IS_WRONG.items() if detail.startswith(start)),
        "is not valid in a session file",
    )
    return _read_error(
        path,
        f"line {number}{quoted} {wrong}",
        f"Correct or remove line {number} in a text editor, or restore the file from a backup; "
        "reflect-bot leaves it as it is.",
    )


def _line_after_end(text: str) -> int | None:
    """The first line with something on it after the end line, when the end line is there."""
    lines = text.split("\n")
    ends = [n for n, line in enumerate(lines, 1) if line.strip() == END_LINE]
    if not ends:
        return None
    for number in range(ends[-1] + 1, len(lines) + 1):
        if lines[number - 1].strip():
            return number
    return None


def parse(path: Path, raw: bytes) -> tuple[dict[str, Any], int]:
    """A session file's data (migrated to the current schema) and its original schema version.

    Raises SessionError with one line naming the file, the problem and what to do.
    """
    from reflect_bot.session import SCHEMA_VERSION

    if not raw or raw.isspace():
        raise _read_error(
            path,
            "the file is empty",
            "Restore it from a backup, or delete it; reflect-bot leaves it as it is.",
        )
    if raw.startswith(_BOM):
        raise _read_error(
            path,
            "the file starts with a byte-order mark, which TOML does not allow",
            "Save it from your editor as 'UTF-8' (not 'UTF-8 with BOM') and open it again; "
            "reflect-bot leaves it as it is.",
        )
    data = _read_fast(raw)  # a file as the store writes it: complete, valid TOML
    complete = True
    if data is None:
        data, complete = _read_toml(path, raw)
    version = data.get("schema_version")
    if "schema_version" not in data or "framework_id" not in data:
        raise _read_error(
            path,
            "it is not a reflect-bot session (it has no schema_version or framework_id)",
            "Move it out of the sessions folder if it is something else; "
            "reflect-bot leaves it as it is.",
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _read_error(path, "'schema_version' should be a whole number from 1 up")
    if version > SCHEMA_VERSION:
        raise _read_error(
            path,
            f"it was saved by a newer reflect-bot (session format {version}; "
            f"this copy reads up to {SCHEMA_VERSION})",
            "Update reflect-bot to open it; this copy leaves it as it is.",
        )
    if not complete:
        raise _read_error(
            path,
            f"the file is incomplete: its last line '{END_LINE}' is missing",
            "If you edited it by hand, add that line back at the end; otherwise restore it from "
            "a backup. reflect-bot leaves it as it is.",
        )
    original = version
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            raise _read_error(
                path,
                f"this copy of reflect-bot cannot convert session format {version}",
                "Open it with the version of reflect-bot that saved it.",
            )
        try:
            data = migrate(data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise _read_error(
                path,
                f"it could not be converted from session format {version} ({error!r})",
                "Open it with the version of reflect-bot that saved it; "
                "this copy leaves it as it is.",
            ) from None
        version += 1
        data["schema_version"] = version
    return data, original


def load_file(path: Path) -> tuple[Session, int]:
    """Read and validate one session file: (session, the schema version it was saved with)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SessionError(f"{path}: the file does not exist.") from None
    except OSError as error:
        raise _read_error(
            path, f"it cannot be read ({error.strerror})", "Check its permissions."
        ) from None
    from reflect_bot.session import Session

    data, original = parse(path, raw)
    try:
        session = Session.model_validate(data)
    except ValueError as error:
        # pydantic's ValidationError (a ValueError), raised only when the quick check in
        # reflect_bot.session refused the data; importing it sooner would load pydantic always
        from pydantic import ValidationError

        if not isinstance(error, ValidationError):
            raise
        raise _read_error(path, _validation_problem(error)) from None
    return session, original


# --- Helpers for the engine ---------------------------------------------------------------------


# `updated_since` and `missing_statements` live in reflect_bot.revisions (the engine uses them
# too); `from reflect_bot.store import updated_since` keeps working (see `__getattr__` above).


def changed_statements(session: Session, framework: Framework) -> list[str]:
    """Ids of the statements whose wording changed since the leader reflected on them."""
    from reflect_bot.revisions import updated_since

    return [r.statement_id for r in session.statements if updated_since(r, framework)]


def framework_notices(session: Session, framework: Framework) -> list[str]:
    """What to tell the leader on resuming a session made with another framework version.

    Also records on the session the framework version now in use (saved with the next save).
    """
    from reflect_bot.revisions import missing_statements

    notices = []
    changed = changed_statements(session, framework)
    if changed:
        labels = ", ".join(_label(framework, statement_id) for statement_id in changed)
        notices.append(
            f"The framework's wording has been updated since you last reflected on "
            f"{_count(len(changed), 'statement')} ({labels}); your earlier answers are kept "
            f"and are worth a second look."
        )
    missing = missing_statements(session, framework)
    if missing:
        notices.append(
            f"Your answers to {_count(len(missing), 'statement')} the framework no longer has "
            f"({', '.join(missing)}) are kept in this session's file."
        )
    session.framework_version = framework.version
    return notices


def unknown_tier(session: Session, framework: Framework) -> tuple[str, str, str] | None:
    """The first (statement id, field, tier) the session names that the framework has no tier
    for (a hand-edited file, say hint_tier = "excelent"), or None."""
    return _unknown_tier(_tiers_named(session), framework)


# The fields of a statement's record that hold a tier id, as the file names them.
TIER_FIELDS = ("tier", "hint_tier")


def _tiers_named(session: Session) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (record.statement_id, field, value)
        for record in session.statements
        for field, value in zip(TIER_FIELDS, (record.tier, record.hint_tier), strict=True)
        if value
    )


def _unknown_tier(
    named: tuple[tuple[str, str, str], ...], framework: Framework
) -> tuple[str, str, str] | None:
    known = {tier.id for tier in framework.tiers}
    return next((found for found in named if found[2] not in known), None)


def _unknown_tier_error(
    path: Path, found: tuple[str, str, str], framework: Framework
) -> SessionError:
    """Names the field (`tier` or `hint_tier`) and, when it can be found, its line: the two
    fields sit one above the other, and the leader must edit the right one."""
    statement_id, field, tier = found
    tiers = ", ".join(t.id for t in framework.tiers)
    line = _line_of(path, field, tier, after=("statement_id", statement_id))
    where = f" (line {line})" if line else ""
    return _read_error(
        path,
        f"the session has an unknown tier '{tier}' for statement {statement_id}, "
        f"in its {field} line{where}",
        f'Edit {field} to one of {tiers} (or "" for none); reflect-bot leaves the file as it is.',
    )


def unknown_state(session: Session) -> str | None:
    """A conversation state this copy cannot carry on from (a hand-edited file), or None."""
    return _unknown_state(session.conversation.state, session.conversation.pending)


def _unknown_state(state: str, pending: dict[str, str] | None = None) -> str | None:
    """`state` if the dialogue has no such state; at the personal-data reminder, also the state
    it holds the answer for (`held_state`) when `pending` is given and names an unknown one."""
    from reflect_bot.session import CONVERSATION_STATES

    if state not in CONVERSATION_STATES:
        return state
    held = (pending or {}).get("held_state", "")
    if pending is not None and state == "privacy" and held not in CONVERSATION_STATES:
        return held
    return None


def _unknown_state_error(path: Path, state: str, held: bool = False) -> SessionError:
    """The state line to correct: `state`, or at the personal-data reminder `held_state` (the
    question whose answer the reminder holds)."""
    keep = "or restore the file from a backup; reflect-bot leaves it as it is."
    if held and not state:
        return _read_error(
            path,
            "the session is at the personal-data reminder, but the question it holds an answer "
            "for (held_state) is missing",
            'Add held_state = "working_well" (or the question it was) under '
            f"[conversation.pending], {keep}",
        )
    field = "held_state" if held else "state"
    line = _line_of(path, field, state, after=None)
    where = f" (line {line})" if line else ""
    if held:
        return _read_error(
            path,
            f"the session's held_state{where} is '{state}', a question reflect-bot does not know",
            f'Correct it to the question it was for (for example "working_well"), {keep}',
        )
    return _read_error(
        path,
        f"the session's conversation state{where} is '{state}', which reflect-bot does not know",
        f'Edit it to a known state (for example "next_statement"), {keep}',
    )


def _line_of(path: Path, key: str, value: str, after: tuple[str, str] | None) -> int | None:
    """The number of the line `key = "value"` in a file (the first after the line
    `after[0] = "after[1]"`, when given), for messages; None when it cannot be found."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None

    def holds(line: str, key: str, value: str) -> bool:
        name, equals, rest = line.partition("=")
        return bool(equals) and name.strip() == key and rest.strip().strip("\"'") == value

    start = 0
    if after is not None:
        start = next((n for n, line in enumerate(lines) if holds(line, *after)), len(lines))
    for number in range(start, len(lines)):
        if holds(lines[number], key, value):
            return number + 1
    return None


def _label(framework: Framework, statement_id: str) -> str:
    statement = framework.statement(statement_id)
    return f"{framework.area(statement.area_id).short_title} {statement.number}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


# --- Locks --------------------------------------------------------------------------------------


class _Lock:
    """An exclusive lock on one session, held through an open lock file.

    The operating system drops it when the process ends, however it ends, so a lock file left
    by a process that no longer runs is simply taken over.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.unsupported = False  # the file system cannot lock: held only nominally

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock; False when another process holds it for longer than `wait` seconds."""
        deadline = time.monotonic() + wait
        for _ in range(10):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                locked = _try_lock(fd)
            except _NoLocking:
                # work without the lock rather than not at all; the store tells the leader
                self.unsupported = True
                self.fd = fd
                return True
            while not locked:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(0.02)
                locked = _try_lock(fd)
            # The holder before us may have removed the file after we opened it: then our lock is
            # on a file nobody else will see, so start again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                _write_owner(fd)
                self.fd = fd
                return True
            os.close(fd)
        return False

    def intact(self) -> bool:
        """Whether our lock file is still the one in the folder (not deleted or replaced)."""
        if self.fd is None:
            return False
        try:
            return os.path.samestat(os.fstat(self.fd), os.stat(self.path))
        except OSError:
            return False

    def abandon(self) -> None:
        """Let go of a lock whose file has gone, without touching whatever is at its path now."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        with contextlib.suppress(OSError):
            os.close(fd)

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        if _WINDOWS:
            import msvcrt

            with contextlib.suppress(OSError):
                os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            os.close(fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
        else:
            # only our own lock file: if it was deleted meanwhile, the file now at that path
            # may be another copy's lock
            with contextlib.suppress(OSError):
                if os.path.samestat(os.fstat(fd), os.stat(self.path)):
                    self.path.unlink()
            os.close(fd)

    def owner(self) -> str:
        """Who holds this lock, as written in the lock file ("process 1234 on host")."""
        try:
            with open(self.path, "rb") as file:
                text = file.read(200).decode("utf-8", "replace")
        except OSError:
            return ""
        pid, _, host = text.strip().partition(" ")
        if not pid.isdigit():
            return ""
        return f"process {pid} on {host}" if host else f"process {pid}"


_WINDOWS_LOCK_OFFSET = 1 << 20  # lock a byte beyond the text, so others can still read the owner


def _try_lock(fd: int) -> bool:
    if _WINDOWS:
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise _NoLocking(error.errno, error.strerror) from None
    return True


class _NoLocking(OSError):
    """The file system cannot lock files (some network shares)."""


def _host() -> str:
    """This computer's name (what socket.gethostname says, without importing socket: opening a
    session is on the way to the app's first screen)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    return os.environ.get("COMPUTERNAME", "")


def _write_owner(fd: int) -> None:
    owner = f"{os.getpid()} {_host()}\n".encode()
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, owner)
    os.ftruncate(fd, len(owner))


# --- Writing files ------------------------------------------------------------------------------

_LOCK_WAIT = 0.25  # seconds
# Windows refuses to replace a file another program (an editor, a backup or virus scanner) has
# open; that usually passes within moments.
_RETRY_REFUSED_REPLACE = _WINDOWS
_REPLACE_TRIES = 20  # on Windows, about a second in all
_REPLACE_WAIT = 0.05


def _fsync_folder(folder: Path) -> None:
    if _WINDOWS:
        return  # Windows cannot open a folder this way; NTFS keeps renames in its journal
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(source: Path, target: Path) -> None:
    """os.replace; on Windows retried briefly while another program holds the target open."""
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not _RETRY_REFUSED_REPLACE or attempt == _REPLACE_TRIES - 1:
                raise
            time.sleep(_REPLACE_WAIT)


def write_atomic(path: Path, data: bytes) -> None:
    """Put `data` at `path` whole or not at all, readable by its owner only."""
    import secrets

    temp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        _replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(path.parent)


# --- The store ----------------------------------------------------------------------------------


# A named tuple and a plain class rather than dataclasses: cheaper to define on the way to the
# app's first screen (a dataclass compiles its methods when the module is imported).


class SessionInfo(NamedTuple):
    """One entry of `SessionStore.list()`: a readable session, or an unreadable file and why."""

    path: Path
    name: str  # the session's name, or the file name when unreadable
    readable: bool
    reason: str = ""  # why it is unreadable (one line)
    label: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    done: int = 0  # statements reflected on
    total: int = 0  # statements chosen (0 until the leader has chosen)
    state: str = ""  # the dialogue state it stands at
    statement_id: str = ""  # the statement it stands at, or ""
    framework_id: str = ""
    in_use: bool = False
    tiers: tuple[tuple[str, str, str], ...] = ()  # (statement id, field, tier id) for each tier
    # What picks this file out when resuming: its name, or its file name when the name alone
    # does not (a copy of a session keeps the name inside it). Set by `SessionStore.list`.
    handle: str = ""

    @property
    def progress(self) -> str:
        return f"{self.done}/{self.total}" if self.total else "-"


class _Open:
    """A session this store has open: its file and its lock (which a save may renew)."""

    def __init__(self, session: Session, path: Path, lock: _Lock, disposable: bool = False):
        self.session = session
        self.path = path
        self.lock = lock
        # made by `create` in this run with a name of the store's choosing: removed on close
        # while the leader has put nothing in it (an aborted start leaves no empty session behind)
        self.disposable = disposable


# Commands that only show, save or stop: typed at the greeting they leave nothing of the leader's
# (any other turn, "/go" and "/skip" included, counts as input and keeps the session).
_NOT_INPUT = {"help", "/help", "/tiers", "/cases", "/summary", "/save", "/quit", "/export"}


def _is_input(text: str) -> bool:
    """A leader's turn that counts as input (an empty one too: it moved the conversation on)."""
    words = text.strip().lower().split(maxsplit=1)
    return not words or words[0] not in _NOT_INPUT


def _has_leader_input(session: Session) -> bool:
    """Anything the leader typed or chose: a turn, a detail, an answer or a choice."""
    from reflect_bot.revisions import has_answers

    return (
        any(turn.role == "leader" and _is_input(turn.text) for turn in session.transcript)
        or bool(session.label or session.phase or session.role)
        or any(has_answers(record) for record in session.statements)
        or any(record.top_priority for record in session.areas)
    )


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file does (a list keeps what it read of each file until then)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


_TOP = 4096  # bytes: `render` writes the name within the first few lines
_NAME_LINE = _Later(rb'^name = ("(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\')\r?$', re.MULTILINE)


def _name_at_top(path: Path) -> str | None:
    """The session name as `render` writes it, near the top of the file, before any table;
    None when it is not there like that (a hand-edited or damaged file)."""
    import tomllib

    try:
        with open(path, "rb") as file:
            top = file.read(_TOP)
    except OSError:
        return None
    table = top.find(b"\n[")
    found = _NAME_LINE.search(top, 0, table if table >= 0 else len(top))
    if found is None:
        return None
    try:
        name = tomllib.loads("name = " + found[1].decode("utf-8"))["name"]
    except (UnicodeDecodeError, ValueError):
        return None
    return name if isinstance(name, str) else None


def _matching(wanted: str, named: list[tuple[Path, str]], mapped: Path | None) -> list[Path]:
    """The session files `wanted` may mean, from (file, name of the session in it) pairs.

    A file called exactly `wanted` (with .toml) is that file alone. Otherwise every file it
    may mean: the file a session of that name is saved in (`mapped`), files holding a session
    of that name, and files of that name without .toml; only if there is none, sessions
    whose name differs in case alone.
    """
    exact = [path for path, _ in named if path.name == wanted]
    if exact:
        return exact
    found = [path for path, name in named if path == mapped or wanted in (name, path.stem)]
    if not found:
        folded = wanted.casefold()
        found = [path for path, name in named if name and name.casefold() == folded]
    return found


def _called(name: str, path: Path) -> str:
    """A session in a message: 'name' (file), or the file's name when that is what was given."""
    return f"'{name}'" if name == path.name else f"'{name}' ({path.name})"


class SessionStore:
    """Sessions in one folder: create, open, save, close, list, rename, delete."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._open: dict[int, _Open] = {}
        self._notices: list[str] = []
        self._summaries: dict[Path, tuple[tuple[int, int, int], SessionInfo]] = {}
        self._tightened = False

    # -- paths and names

    def path_for(self, name: str) -> Path:
        """The file a session of this name is saved in (whether or not it exists yet)."""
        return self.folder / f"{file_stem(name)}{SUFFIX}"

    def _lock_path(self, path: Path) -> Path:
        return path.with_name(f".{path.stem}.lock")

    def _ensure_folder(self) -> None:
        if self.folder.is_dir():
            self._tighten()
            return
        try:
            self.folder.mkdir(parents=True, mode=0o700)
            if not _WINDOWS:
                os.chmod(self.folder, 0o700)  # mkdir's mode is reduced by the umask, never raised
        except FileExistsError:
            if not self.folder.is_dir():
                raise SessionError(
                    f"{self.folder} is a file, not a folder; choose another sessions folder."
                ) from None
        except OSError as error:
            raise SessionError(
                f"Cannot create the sessions folder {self.folder} ({error.strerror}); "
                "choose another with --sessions-dir."
            ) from None

    def _tighten(self) -> None:
        """Make an existing sessions folder the user owns private (0700), as a new one is.

        A folder that came with a download or a checkout is often 0755; only the sessions
        folder itself is changed, never the folders above it.
        """
        if _WINDOWS or self._tightened:
            return
        self._tightened = True
        with contextlib.suppress(OSError):
            st = self.folder.stat()
            if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) != 0o700:
                os.chmod(self.folder, 0o700)

    def take_notices(self) -> list[str]:
        """Messages for the leader from the last operations (e.g. text cleaned before saving)."""
        notices, self._notices = self._notices, []
        return notices

    # -- locking

    def _lock(self, path: Path, name: str) -> _Lock:
        lock = _Lock(self._lock_path(path))
        try:
            # wait a moment: another copy may only be checking the lock while listing sessions
            taken = lock.acquire(wait=_LOCK_WAIT)
        except OSError as error:
            raise SessionError(
                f"{path}: cannot take the session's lock ({error.strerror}). "
                "Check the sessions folder's permissions."
            ) from None
        if not taken:
            raise SessionError(
                f"The session {_called(name, path)} is open in another reflect-bot window. "
                "Close it there first, then try again."
            )
        if lock.unsupported:
            self._notices.append(
                f"The folder {path.parent} cannot lock files, so reflect-bot cannot stop two "
                "copies changing this session at once: keep it open in one place only."
            )
        self._remove_leftovers(path)
        return lock

    def _remove_leftovers(self, path: Path) -> None:
        """Temporary files of this session left by a save that was cut off (we hold its lock)."""
        for temp in path.parent.glob(f".{glob.escape(path.stem)}.*.tmp"):
            if re.fullmatch(rf"\.{re.escape(path.stem)}\.[0-9a-f]{{8}}\.tmp", temp.name):
                with contextlib.suppress(OSError):
                    temp.unlink()

    def _forget(self, lock: _Lock) -> None:
        """Undo a create or open that failed half-way: drop its entry and release its lock."""
        for key, entry in list(self._open.items()):
            if entry.lock is lock:
                del self._open[key]
        lock.release()

    def _entry(self, session: Session) -> _Open | None:
        entry = self._open.get(id(session))
        return entry if entry is not None and entry.session is session else None

    # -- create, open, save, close

    def create(self, framework: Framework, name: str | None = None) -> Session:
        """A new session, saved at once and locked until `close`.

        Without a name it gets one like "reflection-2026-12-03-2"; such a session is removed
        again on `close` if the leader has put nothing in it.
        """
        from reflect_bot.session import SCHEMA_VERSION, Session

        disposable = name is None
        name = clean_name(name) if name is not None else self._default_name()
        self._ensure_folder()
        path = self.path_for(name)
        lock = self._lock(path, name)
        try:
            holder = path if path.exists() else self._holder(name)
            if holder is not None:
                raise SessionError(
                    f"A session called '{name}' already exists ({holder.name}); "
                    "choose another name, or resume it."
                )
            session = Session(
                schema_version=SCHEMA_VERSION,
                name=name,
                framework_id=framework.id,
                framework_version=framework.version,
            )
            self._open[id(session)] = _Open(session, path, lock, disposable=disposable)
            self.save(session)
        except BaseException:
            self._forget(lock)
            raise
        return session

    def _default_name(self) -> str:
        base = f"reflection-{datetime.now().date().isoformat()}"
        taken = {held for _, held in self._named()}  # a copy's file keeps the name inside it
        name, n = base, 1
        while self.path_for(name).exists() or name in taken:
            n += 1
            name = f"{base}-{n}"
        return name

    def find(self, name: str) -> Path:
        """The file `name` means: a file of that name (with or without .toml), or the one file
        holding a session called that (see `_matching`).

        The file is what identifies a session: a leader may copy one (a backup), and the copy
        holds the same name. When a name fits more than one file, a SessionError lists the files
        and asks for the file name, rather than picking one.
        """
        wanted = name.strip()
        matches = _matching(wanted, self._named(), self._mapped(wanted))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            files = ", ".join(sorted(path.name for path in matches))
            raise SessionError(
                f"More than one session file in {self.folder} is called '{wanted}' ({files}); "
                "give the file name instead, for example "
                f"'{min(path.name for path in matches)}'."
            )
        raise SessionError(
            f"There is no session called '{wanted}' in {self.folder}. "
            "'reflect-bot sessions list' shows the sessions there."
        )

    def _mapped(self, name: str) -> Path | None:
        """The file a session of this name would be saved in; None for a name that cannot be one."""
        try:
            return self.path_for(name)
        except SessionError:
            return None

    def _session_files(self) -> list[Path]:
        """The session files in the folder: not hidden files, backups or folders."""
        if not self.folder.is_dir():
            return []
        return [
            path
            for path in self.folder.glob(f"*{SUFFIX}")
            if not path.name.startswith(".") and not is_backup(path) and path.is_file()
        ]

    def _named(self) -> list[tuple[Path, str]]:
        """Each session file in the folder and the name of the session in it ("" if unknown)."""
        return [(path, self._name_in(path)) for path in self._session_files()]

    def _name_in(self, path: Path) -> str:
        """The name of the session a file holds, "" when it cannot be read.

        Read from the top of the file, where `render` writes it: opening a session asks this of
        every file in the folder, and reading a long session whole takes a while. A file read
        whole for a list already is not read again.
        """
        key = _stat_key(path)
        cached = self._summaries.get(path)
        if key is not None and cached is not None and cached[0] == key and cached[1].framework_id:
            return cached[1].name
        name = _name_at_top(path)
        if name is None:  # not where `render` puts it (a hand-edited file): read it whole
            info = self._summary(path)
            name = info.name if info.framework_id else ""
        return name

    def _holder(self, name: str, besides: Path | None = None) -> Path | None:
        """A file (other than `besides`) holding a session called `name`, if any."""
        holders = (path for path, held in self._named() if held == name and path != besides)
        return next(holders, None)

    def handle_of(self, session: Session) -> str:
        """What to type to resume an open session (`reflect-bot resume ...`): its name, or its
        file name when the name alone would not pick out its file (a copy holds the same name)."""
        path = self.path_of(session)
        matches = _matching(session.name, self._named(), self._mapped(session.name))
        return session.name if matches == [path] else path.name

    def open(self, name: str, framework: Framework) -> Session:
        """Load a session, migrate it if it is older, and lock it until `close`."""
        from reflect_bot.session import SCHEMA_VERSION

        if self.folder.is_dir():
            self._tighten()
        path = self.find(name)
        lock = self._lock(path, name)
        try:
            session, original = load_file(path)
            if session.framework_id != framework.id:
                raise _read_error(
                    path,
                    f"it was made with the framework '{session.framework_id}', which is not "
                    f"installed (this copy has '{framework.id}')",
                    "Start reflect-bot with --framework DIR pointing at that framework; "
                    "reflect-bot leaves the file as it is.",
                )
            unknown = unknown_tier(session, framework)
            if unknown is not None:
                raise _unknown_tier_error(path, unknown, framework)
            state = unknown_state(session)
            if state is not None:
                held = state != session.conversation.state
                raise _unknown_state_error(path, state, held=held)
            self._open[id(session)] = _Open(session, path, lock)
            if original < SCHEMA_VERSION:
                backup = self._backup(path, original)
                self.save(session)
                self._notices.append(
                    f"This session was saved in an older format and has been updated; "
                    f"the original is kept as {backup.name}."
                )
            self._notices.extend(framework_notices(session, framework))
        except BaseException:
            self._forget(lock)
            raise
        return session

    def _backup(self, path: Path, version: int) -> Path:
        """A byte-exact copy of a file before migration; an existing backup is never replaced."""
        raw = path.read_bytes()
        backup = path.with_name(f"{path.name}.format-{version}.bak")
        n = 1
        while backup.exists():
            if backup.read_bytes() == raw:
                return backup
            n += 1
            backup = path.with_name(f"{path.name}.format-{version}-{n}.bak")
        write_atomic(backup, raw)
        return backup

    def save(self, session: Session) -> Path:
        """Save atomically. Raises SaveError, with the last good save still on disk.

        Only the last MAX_UNDO undo steps are kept: older ones leave the session here too.
        """
        from reflect_bot.session import MAX_UNDO

        entry = self._entry(session)
        if entry is None:
            entry = self._adopt(session)
        session.updated = now()
        del session.history[:-MAX_UNDO]  # the oldest undo steps go (see MAX_UNDO)
        try:
            text = render(session)
        except Exception as error:  # a value the file cannot hold: refuse, keep the old file
            raise SaveError(
                f"Could not save '{session.name}' to {entry.path}: {error}. The last save is kept."
            ) from None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            count = clean_session_text(session)
            self._notices.append(
                f"{count} character{'s' if count != 1 else ''} that cannot be saved "
                f"{'were' if count != 1 else 'was'} replaced with \ufffd."
            )
            data = render(session).encode("utf-8")
        self._keep_lock(entry)
        try:
            self._ensure_folder()
            write_atomic(entry.path, data)
        except (OSError, SessionError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            busy = _RETRY_REFUSED_REPLACE and isinstance(error, PermissionError)
            advice = (
                "Another program is using the file; close it and save again."
                if busy
                else "Check the disk and the folder's permissions, then save again."
            )
            raise SaveError(
                f"Could not save to {entry.path} ({reason}). The last save is kept. {advice}"
            ) from None
        return entry.path

    def _keep_lock(self, entry: _Open) -> None:
        """Before writing: if the folder or the lock file has gone (deleted while the session was
        open), make the folder again and take the lock again, so a second copy cannot open the
        session meanwhile. Raises SaveError when another copy has taken it.
        """
        if entry.lock.unsupported or entry.lock.intact():
            return
        try:
            self._ensure_folder()
        except SessionError as error:
            raise SaveError(f"Could not save to {entry.path}: {error}") from None
        lock = _Lock(self._lock_path(entry.path))
        try:
            taken = lock.acquire(wait=_LOCK_WAIT)
        except OSError as error:
            raise SaveError(
                f"Could not save to {entry.path}: cannot take the session's lock again "
                f"({error.strerror}). The last save is kept. Check the sessions folder."
            ) from None
        if not taken:
            owner = lock.owner()
            by = f" ({owner})" if owner else ""
            raise SaveError(
                f"Could not save to {entry.path}: while it was open here its lock was "
                f"removed and another copy of reflect-bot has opened it{by}. The file there is "
                "kept as it is; close this copy, then resume the session in one place only."
            )
        entry.lock.abandon()
        entry.lock = lock

    def _adopt(self, session: Session) -> _Open:
        """A session built elsewhere: saved as new, so never over another session's file."""
        self._ensure_folder()
        name = clean_name(session.name)
        path = self.path_for(name)
        lock = self._lock(path, name)
        if path.exists():
            lock.release()
            raise SaveError(
                f"A session called '{name}' already exists ({path.name}); it was not overwritten."
            )
        entry = _Open(session, path, lock)
        self._open[id(session)] = entry
        return entry

    def will_discard(self, session: Session) -> bool:
        """Whether closing now would remove the session (new in this run, nothing typed)."""
        entry = self._entry(session)
        return bool(entry and entry.disposable and not _has_leader_input(session))

    def close(self, session: Session) -> bool:
        """Release the session's lock (save first: closing does not save).

        A session `create` named itself in this run, in which the leader has typed or chosen
        nothing, is removed (file and lock): an aborted start leaves nothing behind. Returns True
        when it was removed. A session opened from disk, or with any leader input, always stays.
        """
        entry = self._entry(session)
        if entry is None:
            return False
        del self._open[id(session)]
        removed = False
        if entry.disposable and not _has_leader_input(session) and entry.lock.intact():
            removed = self._remove_if_empty(entry.path)
        entry.lock.release()
        return removed

    def _remove_if_empty(self, path: Path) -> bool:
        """Delete a new session's file, if what is on disk has no leader input either."""
        try:
            on_disk, _ = load_file(path)
        except SessionError:
            return False  # changed by hand, or not ours any more: leave it
        if _has_leader_input(on_disk):
            return False
        try:
            path.unlink()
        except OSError:
            return False
        with contextlib.suppress(OSError):
            _fsync_folder(path.parent)
        self._summaries.pop(path, None)
        return True

    def close_all(self) -> None:
        for entry in list(self._open.values()):
            self.close(entry.session)

    def path_of(self, session: Session) -> Path:
        """Where an open session is saved."""
        entry = self._entry(session)
        return entry.path if entry else self.path_for(session.name)

    # -- listing

    def list(self, framework: Framework | None = None) -> list[SessionInfo]:
        """Every session file in the folder, readable or not, most recently updated first.

        With a framework, a session this copy cannot carry on on it (another framework's, one
        naming an unknown tier or conversation state) is listed as unreadable, with the reason.
        Each entry's `handle` is what picks it out to resume it.
        """
        if not self.folder.is_dir():
            return []
        self._tighten()
        infos = [self._info(path, framework) for path in self._session_files()]
        named = [(info.path, self._name_in(info.path)) for info in infos]  # read already
        infos = [info._replace(handle=self._handle(info, named)) for info in infos]

        def newest(info: SessionInfo) -> float:
            if info.updated is not None:
                return info.updated.timestamp()
            with contextlib.suppress(OSError):
                return info.path.stat().st_mtime
            return 0.0

        infos.sort(key=lambda i: (newest(i), i.path.name), reverse=True)
        return infos

    def _handle(self, info: SessionInfo, named: list[tuple[Path, str]]) -> str:
        """The entry's name if it picks out its file alone, else its file name."""
        if info.readable and _matching(info.name, named, self._mapped(info.name)) == [info.path]:
            return info.name
        return info.path.name

    def _info(self, path: Path, framework: Framework | None) -> SessionInfo:
        info = self._summary(path)
        if info.readable and framework is not None and info.framework_id != framework.id:
            reason = f"made with the framework '{info.framework_id}', which is not installed"
            info = info._replace(readable=False, reason=reason)
        elif info.readable and framework is not None:
            unknown = _unknown_tier(info.tiers, framework)
            state = _unknown_state(info.state)
            error = None
            if unknown is not None:
                error = _unknown_tier_error(path, unknown, framework)
            elif state is not None:
                error = _unknown_state_error(path, state)
            if error is not None:
                info = info._replace(readable=False, reason=f"{error.problem}. {error.advice}")
        return info._replace(in_use=self._in_use(path))

    def _summary(self, path: Path) -> SessionInfo:
        """What a list shows of one file; kept while the file is unchanged (lists stay quick)."""
        key = _stat_key(path)
        cached = self._summaries.get(path)
        if key is not None and cached is not None and cached[0] == key:
            return cached[1]
        try:
            session, _ = load_file(path)
        except SessionError as error:
            reason = f"{error.problem}. {error.advice}".strip()
            info = SessionInfo(path, path.name, False, reason=reason)
        else:
            info = SessionInfo(
                path,
                session.name,
                True,
                label=session.label,
                created=session.created,
                updated=session.updated,
                done=sum(1 for r in session.statements if r.status == "done"),
                total=len(session.conversation.scope),
                state=session.conversation.state,
                statement_id=session.conversation.statement_id,
                framework_id=session.framework_id,
                tiers=_tiers_named(session),
            )
        if key is not None:
            self._summaries[path] = (key, info)
        return info

    def _in_use(self, path: Path) -> bool:
        if any(entry.path == path for entry in self._open.values()):
            return True
        lock_path = self._lock_path(path)
        if not lock_path.exists():
            return False
        lock = _Lock(lock_path)
        try:
            if lock.acquire():
                lock.release()
                return False
        except OSError:
            return False
        return True

    def most_recent(self, framework: Framework | None = None) -> str | None:
        """The most recently updated readable session (for `framework`, if given): its name, or
        its file name when another file holds a session of the same name."""
        for info in self.list(framework):
            if info.readable:
                return info.handle
        return None

    def latest(self, framework: Framework | None = None) -> str:
        """The most recent readable session (of `framework`, if given), as `most_recent`.

        When there is none, a SessionError says why in one line: no sessions at all, session
        files that cannot be read (with where to see why), or only another framework's sessions.
        """
        infos = self.list(framework)
        for info in infos:
            if info.readable:
                return info.handle
        damaged = sum(1 for i in infos if not i.framework_id)  # never read as a session
        foreign = len(infos) - damaged  # read, but made with another framework
        if damaged:
            also = f" ({_count(foreign, 'other')} made with another framework)" if foreign else ""
            raise SessionError(
                f"{_count(damaged, 'session file')} in {self.folder} cannot be read{also}; "
                "run 'reflect-bot sessions list' to see why."
            )
        if foreign and framework is not None:
            raise SessionError(
                f"There are no saved sessions for the {framework.display_title} in "
                f"{self.folder} ({_count(foreign, 'session')} made with another framework). "
                "Start one with 'reflect-bot chat', or use --framework DIR for the others."
            )
        raise SessionError(
            f"There are no saved sessions in {self.folder}. "
            "Start one with 'reflect-bot chat', or point --sessions-dir at another folder."
        )

    # -- rename and delete

    def rename(self, old: str, new: str) -> Path:
        """Give a session a new name (and file). The session must not be open elsewhere."""
        from reflect_bot.session import SCHEMA_VERSION

        path = self.find(old)
        new = clean_name(new)
        target = self.path_for(new)
        lock = self._lock(path, old)
        try:
            session, original = load_file(path)
            if session.name == new:
                return path
            holder = target if target.exists() and target != path else self._holder(new, path)
            if holder is not None:
                raise SessionError(
                    f"A session called '{new}' already exists ({holder.name}); choose another name."
                )
            if original < SCHEMA_VERSION:
                self._backup(path, original)
            target_lock = self._lock(target, new) if target != path else None
            try:
                if target != path and target.exists():
                    raise SessionError(f"A session called '{new}' already exists.")
                session.name = new
                session.updated = now()
                write_atomic(target, render(session).encode("utf-8"))
                if target != path:
                    path.unlink()
                    self._move_backups(path, target)
                    _fsync_folder(self.folder)
            finally:
                if target_lock is not None:
                    target_lock.release()
        except OSError as error:
            raise SessionError(
                f"Could not rename '{old}' ({path.name}): {error.strerror}; nothing was changed."
            ) from None
        finally:
            lock.release()
        return target

    def _backups(self, path: Path) -> list[Path]:
        """The backups kept of a session's file before format changes."""
        return sorted(path.parent.glob(f"{glob.escape(path.name)}.format-*.bak"))

    def _move_backups(self, path: Path, target: Path) -> None:
        """Backups follow their session to its new name (so deleting it later removes them)."""
        for backup in self._backups(path):
            moved = target.with_name(target.name + backup.name[len(path.name) :])
            if not moved.exists():
                with contextlib.suppress(OSError):
                    backup.rename(moved)

    def delete(self, name: str) -> Path:
        """Delete a session's file (and its backups). The session must not be open elsewhere."""
        path = self.find(name)
        lock = self._lock(path, name)
        try:
            # backups made before a format change hold the same reflections: they go too
            for backup in self._backups(path):
                backup.unlink()
            path.unlink()
            _fsync_folder(self.folder)
        except OSError as error:
            raise SessionError(f"Could not delete {path} ({error.strerror}).") from None
        finally:
            lock.release()
        return path
