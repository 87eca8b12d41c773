"""The framework as data: one loader, and the resolved objects the app uses.

A framework folder holds `framework.toml` (title, introduction), `tiers.toml` (the tiers in order
with their general meanings) and `areas/*.toml` (one key area per file). Quoted text is the
source's exact wording; everything the project adds lives under a `project` table.

`load_framework(folder)` returns a valid `Framework` or raises `FrameworkError` listing every
problem found, one line each, naming the file, where in it, what is wrong and what is expected.
The files' schemas are pydantic models in `framework_schema`, with a quick plain-Python check of
the same rules here (see "File schemas" below).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, get_args, get_origin

from reflect_bot.errors import UserError, field_path
from reflect_bot.quick import REQUIRED, validate

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from reflect_bot.framework_schema import DescriptorRef

# --- File schemas -------------------------------------------------------------------------------

# The schemas are pydantic models (framework_schema.py). Loading the framework is on the way to
# the app's first screen, and importing pydantic costs more than the rest of the load, so a file
# is first checked against the same rules, stated here, in plain Python (reflect_bot.quick); only
# a file this check does not accept goes to pydantic, which then names its problems (or accepts
# what pydantic allows and this check does not, such as "3" for 3). test_framework_quick.py
# keeps the two in step.

# Each model: field -> (rule, default); _REQUIRED as the default means the field must be there.
# A rule is "text" (stripped, not empty), "slug", "int", "int>=1", "bool", a model's name,
# ("list", rule, shortest) or ("dict", rule): the rule language of reflect_bot.quick.
_REQUIRED = REQUIRED
SCHEMAS: dict[str, dict[str, tuple[Any, Any]]] = {
    "FrameworkProject": {"edition": ("text", _REQUIRED), "display_title": ("text", _REQUIRED)},
    "FrameworkFile": {
        "id": ("slug", _REQUIRED),
        "title": ("text", _REQUIRED),
        "introduction": (("list", "text", 1), _REQUIRED),
        "project": ("FrameworkProject", _REQUIRED),
    },
    "TierProject": {"short": ("text", _REQUIRED), "qualifiers": (("list", "text", 0), [])},
    "TierFile": {
        "id": ("slug", _REQUIRED),
        "name": ("text", _REQUIRED),
        "lead": ("text", _REQUIRED),
        "points": (("list", "text", 1), _REQUIRED),
        "closing": ("text", _REQUIRED),
        "project": ("TierProject", _REQUIRED),
    },
    "TiersFile": {"tiers": (("list", "TierFile", 1), _REQUIRED)},
    "DescriptorRef": {
        "paragraph": ("int>=1", None),
        "sentences": (("list", "int>=1", 0), None),
        "specific": ("bool", True),
    },
    "StatementProject": {"short": ("text", _REQUIRED), "tags": (("list", "text", 0), [])},
    "StatementFile": {
        "number": ("int>=1", _REQUIRED),
        "text": ("text", _REQUIRED),
        "descriptors": (("dict", "DescriptorRef"), _REQUIRED),
        "project": ("StatementProject", _REQUIRED),
    },
    "CaseStudyProject": {
        "themes": (("list", "text", 0), []),
        "statements": (("list", "int", 0), []),
    },
    "CaseStudyFile": {
        "id": ("slug", _REQUIRED),
        "title": ("text", _REQUIRED),
        "summary": ("text", _REQUIRED),
        "project": ("CaseStudyProject", _REQUIRED),
    },
    "AreaProject": {"short_title": ("text", _REQUIRED)},
    "AreaFile": {
        "id": ("slug", _REQUIRED),
        "order": ("int", _REQUIRED),
        "title": ("text", _REQUIRED),
        "overall": (("dict", "int"), None),
        "project": ("AreaProject", _REQUIRED),
        "descriptors": (("dict", ("list", "text", 0)), _REQUIRED),
        "statements": (("list", "StatementFile", 1), _REQUIRED),
        "case_studies": (("list", "CaseStudyFile", 0), []),
    },
}
# The files' top-level schemas, by the names load_framework passes to _validate.
FrameworkFile, TiersFile, AreaFile = "FrameworkFile", "TiersFile", "AreaFile"

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The quick check's rules: the schemas, and the pattern "slug" names.
_RULES: dict[str, Any] = {**SCHEMAS, "slug": _SLUG}


# --- Resolved objects ---------------------------------------------------------------------------

# The parts of a framework are named tuples: immutable and compared by value, like frozen
# dataclasses, but a tenth of the cost to define (each frozen dataclass compiles six methods when
# the module is imported, and this module is on the way to the app's first screen). For the same
# reason Framework is a plain class.


class Tier(NamedTuple):
    id: str
    index: int
    name: str
    short: str
    lead: str
    points: tuple[str, ...]
    closing: str
    qualifiers: tuple[str, ...]


class Statement(NamedTuple):
    id: str  # "area-id.number"
    area_id: str
    number: int
    text: str
    short: str  # the project's own short label
    tags: tuple[str, ...]
    # tier id -> the framework's descriptor text for this statement, or None when it has none
    # (every tier of the framework, in the tiers' order)
    descriptors: dict[str, str | None]

    @property
    def text_hash(self) -> str:
        """Changes when the statement or its descriptors change (worked out when asked for: the
        hash needs json and hashlib, which the app's first screen does without)."""
        return _hash([self.text, list(self.descriptors.values())])[:12]


class CaseStudy(NamedTuple):
    id: str  # "area-id.slug"
    area_id: str
    title: str
    summary: str
    themes: tuple[str, ...]
    statement_ids: tuple[str, ...]


class Area(NamedTuple):
    id: str
    order: int
    title: str
    short_title: str
    statements: tuple[Statement, ...]
    case_studies: tuple[CaseStudy, ...]
    # tier id -> the area's overall descriptor, or None where the framework gives none
    overall: dict[str, str | None]
    paragraphs: dict[str, tuple[str, ...]]


class Framework:
    """A whole framework, as `load_framework` returns it (not changed afterwards)."""

    def __init__(
        self,
        *,
        id: str,
        title: str,
        display_title: str,
        edition: str,
        introduction: tuple[str, ...],
        tiers: tuple[Tier, ...],
        areas: tuple[Area, ...],
        folder: Path,
    ) -> None:
        self.id = id
        self.title = title
        self.display_title = display_title
        self.edition = edition
        self.introduction = introduction
        self.tiers = tiers
        self.areas = areas
        self.folder = folder
        self._statements = {s.id: s for area in areas for s in area.statements}
        self._case_studies = {c.id: c for area in areas for c in area.case_studies}

    def _key(self) -> tuple[Any, ...]:
        return (
            self.id,
            self.title,
            self.display_title,
            self.edition,
            self.introduction,
            self.tiers,
            self.areas,
            self.folder,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Framework):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # compared by value (and it holds dicts)

    def __repr__(self) -> str:
        return f"Framework(id={self.id!r}, edition={self.edition!r}, folder={self.folder!r})"

    @cached_property
    def version(self) -> str:
        """The edition and a hash of every quoted text: changes whenever the framework's own
        wording does, not when only the project's additions do. Worked out on first use."""
        quoted = {
            "title": self.title,
            "introduction": list(self.introduction),
            "tiers": [[t.name, t.lead, list(t.points), t.closing] for t in self.tiers],
            "areas": [
                [
                    a.title,
                    [s.text for s in a.statements],
                    {k: list(v) for k, v in a.paragraphs.items()},
                    [[c.title, c.summary] for c in a.case_studies],
                ]
                for a in self.areas
            ],
        }
        return f"{self.edition}-{_hash(quoted)[:10]}"

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for area in self.areas for s in area.statements)

    def statement(self, statement_id: str) -> Statement:
        return self._statements[statement_id]

    def has_statement(self, statement_id: str) -> bool:
        return statement_id in self._statements

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def area_of(self, statement_id: str) -> Area:
        return self.area(self.statement(statement_id).area_id)

    def tier(self, tier_id: str) -> Tier:
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)

    def case_study(self, case_study_id: str) -> CaseStudy:
        return self._case_studies[case_study_id]

    @property
    def case_studies(self) -> tuple[CaseStudy, ...]:
        return tuple(c for area in self.areas for c in area.case_studies)


# --- Errors -------------------------------------------------------------------------------------


class Problem(NamedTuple):
    file: str
    where: str
    what: str
    expected: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{where} {self.what}; expected {self.expected}"


class FrameworkError(Exception):
    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- Loading ------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'‘“])")


def sentences(paragraph: str) -> list[str]:
    """Split a descriptor paragraph into sentences (the source's sentences end in . ! or ?)."""
    return [s for s in _SENTENCE_END.split(paragraph.strip()) if s]


_EXPECTED = {
    "extra_forbidden": ("unknown key", "only the keys this table allows (check the spelling)"),
    "string_too_short": ("empty text", "some text"),
    "too_short": ("empty list", "at least one entry"),
    "string_type": ("not text", "a quoted string"),
    "int_type": ("not a whole number", "a whole number"),
    "int_parsing": ("not a whole number", "a whole number"),
    "list_type": ("not a list", "a list in [ ]"),
    "dict_type": ("not a table", "a table of keys and values"),
    "model_type": ("not a table", "a table of keys and values"),
    "bool_type": ("not true or false", "true or false"),
    "string_pattern_mismatch": ("not a valid id", "lower-case letters, digits and single hyphens"),
    "greater_than_equal": ("too small", "a number of 1 or more"),
}


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The schema model that the table at `loc` follows, to name the keys it allows."""
    from pydantic import BaseModel

    skip_key = False  # inside a dict field the next part is one of its keys, not a field
    for part in loc:
        if isinstance(part, int):
            continue
        if skip_key:
            skip_key = False
            continue
        field_info = model.model_fields.get(str(part))
        if field_info is None:
            return None
        annotation = field_info.annotation
        for _ in range(3):  # list[X] / dict[str, X] / X | None -> X
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                break
            if get_origin(annotation) is dict:
                skip_key = True
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[-1] if args else annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _table_heading(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The heading ("[project]", "[[statements]]") when the key at `loc` holds a table."""
    from pydantic import BaseModel

    parent = _model_at(model, loc[:-1])
    field_info = parent.model_fields.get(str(loc[-1])) if parent is not None else None
    if field_info is None:
        return None
    annotation = field_info.annotation
    name = ".".join(str(part) for part in loc if not isinstance(part, int))
    item = (get_args(annotation) or (None,))[0]
    if get_origin(annotation) is list and isinstance(item, type) and issubclass(item, BaseModel):
        return f"[[{name}]]"
    is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return f"[{name}]" if is_model or get_origin(annotation) is dict else None


def _problems_from_validation(
    file: str, error: ValidationError, model: type[BaseModel], source: str = ""
) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = item["loc"]
        line_loc = loc
        what, expected = _EXPECTED.get(item["type"], (item["msg"].lower(), "a valid value"))
        if item["type"] == "extra_forbidden":
            what = f"unknown key '{loc[-1]}'"
            loc = loc[:-1]
            table = _model_at(model, loc)
            if table is not None:
                keys = ", ".join(table.model_fields)
                expected = f"only these keys here: {keys} (check the spelling)"
        elif item["type"] == "missing":
            what = f"the key '{loc[-1]}' is missing"
            place = "this table" if len(loc) > 1 else "this file"
            heading = _table_heading(model, loc)
            expected = (
                f"a {heading} table in {place}" if heading else f"'{loc[-1]} = ...' in {place}"
            )
            line_loc = loc = loc[:-1]
        line = _line_of(source, line_loc)
        where = field_path(loc)
        if line is not None:
            where = f"line {line}, {where}" if where else f"line {line}"
        problems.append(Problem(file, where, what, expected))
    return problems


# Compiled when first needed (re keeps them): only a problem's place is looked for this way.
_ARRAY_HEADER = r"^\s*\[\[\s*([\w.\-]+)\s*\]\]"
_TABLE_HEADER = r"^\s*\[\s*([\w.\-]+)\s*\]"
_KEY_LINE = r"^\s*([\w\-]+)\s*="


def _line_of(source: str, loc: tuple[Any, ...]) -> int | None:
    """The line (from 1) where `loc` is written in a TOML file, as near as can be told."""
    if not source or not loc:
        return None
    counts: dict[str, int] = {}  # [[name]] headers seen so far, within the current parent
    table: tuple[Any, ...] = ()  # e.g. ("statements", 1, "project") after [statements.project]
    best, best_depth = None, 0
    array_header, table_header = re.compile(_ARRAY_HEADER), re.compile(_TABLE_HEADER)
    key_line = re.compile(_KEY_LINE)
    for number, line in enumerate(source.splitlines(), start=1):
        path: tuple[Any, ...] | None = None
        if header := array_header.match(line):
            name = header.group(1)
            for nested in [n for n in counts if n.startswith(name + ".")]:
                del counts[nested]  # nested arrays count afresh in each parent
            counts[name] = counts.get(name, 0) + 1
            parts = name.split(".")
            table = path = (*_with_index(table, parts[:-1]), parts[-1], counts[name] - 1)
        elif header := table_header.match(line):
            table = path = _with_index(table, header.group(1).split("."))
        elif key := key_line.match(line):
            path = (*table, key.group(1))
        if path and _is_prefix(path, loc) and len(path) > best_depth:
            best, best_depth = number, len(path)
    return best


def _with_index(current: tuple[Any, ...], names: list[str]) -> tuple[Any, ...]:
    """A [a.b] header inside the latest [[a]]: keep that array's index."""
    out: list[Any] = []
    rest = list(current)
    for name in names:
        out.append(name)
        if rest and rest[0] == name:
            rest = rest[1:]
            if rest and isinstance(rest[0], int):
                out.append(rest[0])
                rest = rest[1:]
        else:
            rest = []
    return tuple(out)


def _is_prefix(prefix: tuple[Any, ...], loc: tuple[Any, ...]) -> bool:
    return len(prefix) <= len(loc) and tuple(loc[: len(prefix)]) == prefix


def _located(source: str, loc: tuple[Any, ...]) -> str:
    where = field_path(loc)
    line = _line_of(source, loc)
    if line is None:
        return where
    return f"line {line}, {where}" if where else f"line {line}"


# tomllib's wording -> what an author needs to hear (checked in order; the first match wins)
_TOML_WORDS = (
    (
        "Illegal character '\\n'",
        'a quoted text runs on past the end of its line (is a closing " missing?)',
    ),
    ("Unterminated string", 'a quoted text is never closed (is a closing " or """ missing?)'),
    ("Illegal character", "a character that is not allowed inside quoted text"),
    ("Unclosed array", "a list in [ ] is not closed (is a ] or a comma missing?)"),
    ("Unclosed inline table", "a table in { } is not closed (is a } or a comma missing?)"),
    ("Expected '=' after a key", "a line has no '=' between its key and its value"),
    ("Invalid value", "a value that is not valid (text needs quotes around it)"),
    ("Invalid statement", "a line that is neither 'key = value' nor a [table] heading"),
    ("Cannot declare", "the same key or table given twice"),
    ("Cannot overwrite a value", "the same key given twice"),
    ("Duplicate inline table key", "the same key given twice in { }"),
    ("Unescaped '\\'", "a backslash in quoted text (write \\\\ or use 'single quotes')"),
    ("Invalid initial character for a key", "a key that starts with a character keys cannot use"),
    ("Expected ']' at the end", "a [table] heading not closed with ]"),
    ("Expected ']]' at the end", "a [[table]] heading not closed with ]]"),
)


def _read_toml(
    path: Path, root: Path, problems: list[Problem]
) -> tuple[dict[str, Any] | None, str]:
    """The file's data (None when unreadable, with the problem noted) and its text."""
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, "", "is missing", f"a file {name} in {root}"))
        return None, ""
    except OSError as error:
        problems.append(Problem(name, "", f"cannot be read ({error.strerror})", "a readable file"))
        return None, ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                name,
                f"line {line}, column {column}",
                "not UTF-8 text",
                "the file saved as UTF-8 (most editors offer this under 'Save as' or 'Encoding')",
            )
        )
        return None, ""
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {match.group(1)}, column {match.group(2)}" if match else ""
        if not match and "(at end of document)" in message:
            where = f"line {max(len(text.splitlines()), 1)}, at the end of the file"
        detail = re.sub(r"\s*\(at (?:line|end of document).*\)$", "", message)
        what = next((plain for start, plain in _TOML_WORDS if detail.startswith(start)), detail)
        problems.append(Problem(name, where, f"not valid TOML: {what}", "valid TOML"))
        return None, ""


def _validate(
    model: str,
    data: dict[str, Any],
    name: str,
    source: str,
    problems: list[Problem],
) -> Any:
    """The file's data as its schema `model` (by name) reads it, or None with its problems."""

    def report(error: ValidationError, schema: type[BaseModel]) -> None:
        problems.extend(_problems_from_validation(name, error, schema, source))

    return validate(model, data, _RULES, "reflect_bot.framework_schema", report)


def _resolve_descriptor(
    ref: DescriptorRef,
    paragraphs: tuple[str, ...],
    name: str,
    where: Callable[[], str],
    problems: list[Problem],
) -> str | None:
    """The descriptor text `ref` points at; `where` gives its place, needed only for a problem."""
    if not ref.specific:
        if ref.paragraph is not None or ref.sentences:
            problems.append(
                Problem(
                    name,
                    where(),
                    "says 'specific = false' but also names a paragraph",
                    "either { specific = false } or { paragraph = N }",
                )
            )
        return None
    if ref.paragraph is None:
        problems.append(
            Problem(
                name,
                where(),
                "names no paragraph",
                "{ paragraph = N }, { paragraph = N, sentences = [..] } or { specific = false }",
            )
        )
        return None
    if ref.paragraph > len(paragraphs):
        problems.append(
            Problem(
                name,
                where(),
                f"paragraph {ref.paragraph} does not exist (this tier has {len(paragraphs)})",
                f"a paragraph number from 1 to {len(paragraphs)}",
            )
        )
        return None
    paragraph = paragraphs[ref.paragraph - 1]
    if not ref.sentences:
        return paragraph
    parts = sentences(paragraph)
    bad = [n for n in ref.sentences if n > len(parts)]
    if bad:
        problems.append(
            Problem(
                name,
                where(),
                f"sentence {bad[0]} does not exist (paragraph {ref.paragraph} has {len(parts)})",
                f"sentence numbers from 1 to {len(parts)}",
            )
        )
        return None
    return " ".join(parts[n - 1] for n in ref.sentences)


def _hash(data: Any) -> str:
    import hashlib  # here, not at the top: loading OpenSSL is not needed for the first screen
    import json

    blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def load_framework(folder: str | Path) -> Framework:
    """Load and check a framework folder; raise FrameworkError naming every problem."""
    root = Path(folder)
    problems: list[Problem] = []
    if not root.is_dir():
        raise FrameworkError(
            root,
            [
                Problem(
                    str(root),
                    "",
                    "is not a folder" if root.exists() else "does not exist",
                    "a framework folder with framework.toml",
                )
            ],
        )

    meta_data, meta_text = _read_toml(root / "framework.toml", root, problems)
    meta = (
        _validate(FrameworkFile, meta_data, "framework.toml", meta_text, problems)
        if meta_data is not None
        else None
    )
    tiers_data, tiers_text = _read_toml(root / "tiers.toml", root, problems)
    tiers_file = (
        _validate(TiersFile, tiers_data, "tiers.toml", tiers_text, problems)
        if tiers_data is not None
        else None
    )

    tiers: list[Tier] = []
    if tiers_file:
        seen: dict[str, int] = {}
        for index, t in enumerate(tiers_file.tiers):
            if t.id in seen:
                problems.append(
                    Problem(
                        "tiers.toml",
                        _located(tiers_text, ("tiers", index, "id")),
                        f"duplicate tier id '{t.id}' (tiers[{seen[t.id] + 1}] has it too)",
                        "each tier id once",
                    )
                )
            seen.setdefault(t.id, index)
            tiers.append(
                Tier(
                    t.id,
                    index,
                    t.name,
                    t.project.short,
                    t.lead,
                    tuple(t.points),
                    t.closing,
                    tuple(t.project.qualifiers),
                )
            )
    # Without a valid tiers.toml the areas' tiers cannot be checked: say so once, not everywhere.
    tier_ids = [t.id for t in tiers] if tiers_file else None

    area_paths = sorted((root / "areas").glob("*.toml")) if (root / "areas").is_dir() else []
    if not area_paths:
        problems.append(
            Problem("areas/", "", "no area files found", "one or more areas/*.toml files")
        )

    areas: list[Area] = []
    area_files: dict[str, str] = {}  # area id -> the file that first gave it
    for path in area_paths:
        name = path.relative_to(root).as_posix()
        data, text = _read_toml(path, root, problems)
        parsed = _validate(AreaFile, data, name, text, problems) if data is not None else None
        if parsed is None:
            continue
        if parsed.id in area_files:
            problems.append(
                Problem(
                    name,
                    _located(text, ("id",)),
                    f"duplicate area id '{parsed.id}' ({area_files[parsed.id]} has it too)",
                    "each area id once",
                )
            )
        area_files.setdefault(parsed.id, name)
        area = _resolve_area(parsed, tier_ids, name, text, problems)
        if area is not None:
            areas.append(area)

    if problems or meta is None:
        raise FrameworkError(root, problems)

    areas.sort(key=lambda a: (a.order, a.id))
    return Framework(
        id=meta.id,
        title=meta.title,
        display_title=meta.project.display_title,
        edition=meta.project.edition,
        introduction=tuple(meta.introduction),
        tiers=tuple(tiers),
        areas=tuple(areas),
        folder=root,
    )


def load_or_explain(folder: Path) -> Framework:
    """`load_framework`, its problems told as a UserError: every problem, then what to do."""
    try:
        return load_framework(folder)
    except FrameworkError as error:
        lines = [f"The framework in {folder} has problems:"]
        lines += [f"  {p}" for p in error.problems]
        import shlex

        lines.append(
            f"After fixing them, check with: reflect-bot framework check {shlex.quote(str(folder))}"
        )
        raise UserError("\n".join(lines)) from None


def _resolve_area(
    parsed: AreaFile, tier_ids: list[str] | None, name: str, source: str, problems: list[Problem]
) -> Area | None:
    before = len(problems)

    def at(*loc: Any) -> str:
        return _located(source, loc)

    known = list(dict.fromkeys(tier_ids or []))
    # Every place this file names a tier tiers.toml does not define, reported once per tier.
    unknown: dict[str, list[tuple[Any, ...]]] = {}

    def check_tier(tier_id: str, *loc: Any) -> bool:
        if tier_ids is None or tier_id in tier_ids:
            return True
        unknown.setdefault(tier_id, []).append(loc)
        return False

    for tier_id in parsed.descriptors:
        check_tier(tier_id, "descriptors", tier_id)
    missing_paragraphs = {t for t in known if t not in parsed.descriptors}
    for tier_id in known:
        if tier_id in missing_paragraphs:
            problems.append(
                Problem(
                    name,
                    at("descriptors"),
                    f"no descriptor paragraphs for tier '{tier_id}'",
                    f"'{tier_id} = [ ... ]' with the tier's paragraphs, as for every tier "
                    f"({', '.join(known)})",
                )
            )
    paragraphs = {t: tuple(parsed.descriptors.get(t, ())) for t in known}

    overall: dict[str, str | None] = {t: None for t in known}
    for tier_id, number in (parsed.overall or {}).items():
        if (
            tier_ids is None
            or not check_tier(tier_id, "overall", tier_id)
            or tier_id in missing_paragraphs
        ):
            continue
        if not 1 <= number <= len(paragraphs[tier_id]):
            problems.append(
                Problem(
                    name,
                    at("overall", tier_id),
                    f"paragraph {number} does not exist",
                    f"a paragraph number from 1 to {len(paragraphs[tier_id])}",
                )
            )
        else:
            overall[tier_id] = paragraphs[tier_id][number - 1]

    numbers: dict[int, int] = {}  # statement number -> its place in the file
    statements = []
    for index, st in enumerate(parsed.statements):
        if st.number in numbers:
            problems.append(
                Problem(
                    name,
                    at("statements", index, "number"),
                    f"duplicate statement number {st.number} "
                    f"(statements[{numbers[st.number] + 1}] has it too)",
                    "each statement number once",
                )
            )
        numbers.setdefault(st.number, index)
        descriptors: dict[str, str | None] = {}
        for tier_id in st.descriptors:
            check_tier(tier_id, "statements", index, "descriptors", tier_id)
        for tier_id in known:
            ref = st.descriptors.get(tier_id)
            if ref is None:
                problems.append(
                    Problem(
                        name,
                        at("statements", index, "descriptors"),
                        f"no descriptor given for tier '{tier_id}'",
                        f"'{tier_id} = {{ paragraph = N }}', or "
                        f"'{tier_id} = {{ specific = false }}' where the framework has none",
                    )
                )
                continue
            if tier_id in missing_paragraphs:
                continue  # reported once above
            descriptors[tier_id] = _resolve_descriptor(
                ref,
                paragraphs[tier_id],
                name,
                lambda index=index, tier_id=tier_id: at(
                    "statements", index, "descriptors", tier_id
                ),
                problems,
            )
        statement_id = f"{parsed.id}.{st.number}"
        statements.append(
            Statement(
                statement_id,
                parsed.id,
                st.number,
                st.text,
                st.project.short,
                tuple(st.project.tags),
                descriptors,
            )
        )

    cases = []
    case_ids: dict[str, int] = {}
    for index, cs in enumerate(parsed.case_studies):
        if cs.id in case_ids:
            problems.append(
                Problem(
                    name,
                    at("case_studies", index, "id"),
                    f"duplicate case study id '{cs.id}' "
                    f"(case_studies[{case_ids[cs.id] + 1}] has it too)",
                    "each case study id once",
                )
            )
        case_ids.setdefault(cs.id, index)
        for number in cs.project.statements:
            if number not in numbers:
                problems.append(
                    Problem(
                        name,
                        at("case_studies", index, "project", "statements"),
                        f"statement {number} does not exist",
                        f"statement numbers of this area ({', '.join(map(str, sorted(numbers)))})",
                    )
                )
        cases.append(
            CaseStudy(
                f"{parsed.id}.{cs.id}",
                parsed.id,
                cs.title,
                cs.summary,
                tuple(cs.project.themes),
                tuple(f"{parsed.id}.{n}" for n in cs.project.statements),
            )
        )

    for tier_id, places in unknown.items():
        more = len(places) - 1
        problems.append(
            Problem(
                name,
                at(*places[0])
                + (f" and {more} more place{'s' if more > 1 else ''}" if more else ""),
                f"tier '{tier_id}' is not one of the tiers in tiers.toml",
                f'one of {", ".join(known)}, or a [[tiers]] entry with id = "{tier_id}" '
                "added to tiers.toml",
            )
        )
    if len(problems) > before:
        return None
    statements.sort(key=lambda s: s.number)
    return Area(
        parsed.id,
        parsed.order,
        parsed.title,
        parsed.project.short_title,
        tuple(statements),
        tuple(cases),
        overall,
        paragraphs,
    )
