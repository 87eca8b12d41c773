"""The framework as data: file schemas, one loader, and the resolved objects the app uses.

A framework folder holds `framework.toml` (title, introduction), `tiers.toml` (the tiers in order
with their general meanings) and `areas/*.toml` (one key area per file). Quoted text is the
source's exact wording; everything the project adds lives under a `project` table.

`load_framework(folder)` returns a valid `Framework` or raises `FrameworkError` listing every
problem found, one line each, naming the file, where in it, what is wrong and what is expected.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- File schemas -------------------------------------------------------------------------------


class FrameworkProject(_Strict):
    edition: Text
    display_title: Text


class FrameworkFile(_Strict):
    id: Slug
    title: Text
    introduction: list[Text] = Field(min_length=1)
    project: FrameworkProject


class TierProject(_Strict):
    short: Text
    qualifiers: list[Text] = []


class TierFile(_Strict):
    id: Slug
    name: Text
    lead: Text
    points: list[Text] = Field(min_length=1)
    closing: Text
    project: TierProject


class TiersFile(_Strict):
    tiers: list[TierFile] = Field(min_length=1)


class DescriptorRef(_Strict):
    """Where a statement's descriptor sits in a tier's paragraphs, or that there is none."""

    paragraph: int | None = Field(default=None, ge=1)
    sentences: list[Annotated[int, Field(ge=1)]] | None = None
    specific: bool = True


class StatementProject(_Strict):
    short: Text
    tags: list[Text] = []


class StatementFile(_Strict):
    number: int = Field(ge=1)
    text: Text
    descriptors: dict[str, DescriptorRef]
    project: StatementProject


class CaseStudyProject(_Strict):
    themes: list[Text] = []
    statements: list[int] = []


class CaseStudyFile(_Strict):
    id: Slug
    title: Text
    summary: Text
    project: CaseStudyProject


class AreaProject(_Strict):
    short_title: Text


class AreaFile(_Strict):
    id: Slug
    order: int
    title: Text
    overall: dict[str, int] | None = None
    project: AreaProject
    descriptors: dict[str, list[Text]]
    statements: list[StatementFile] = Field(min_length=1)
    case_studies: list[CaseStudyFile] = []


# --- Resolved objects ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    id: str
    index: int
    name: str
    short: str
    lead: str
    points: tuple[str, ...]
    closing: str
    qualifiers: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    id: str  # "area-id.number"
    area_id: str
    number: int
    text: str
    short: str  # the project's own short label
    tags: tuple[str, ...]
    # tier id -> the framework's descriptor text for this statement, or None when it has none
    descriptors: dict[str, str | None]
    text_hash: str  # changes when the statement or its descriptors change


@dataclass(frozen=True)
class CaseStudy:
    id: str  # "area-id.slug"
    area_id: str
    title: str
    summary: str
    themes: tuple[str, ...]
    statement_ids: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    id: str
    order: int
    title: str
    short_title: str
    statements: tuple[Statement, ...]
    case_studies: tuple[CaseStudy, ...]
    # tier id -> the area's overall descriptor, or None where the framework gives none
    overall: dict[str, str | None]
    paragraphs: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    display_title: str
    edition: str
    version: str
    introduction: tuple[str, ...]
    tiers: tuple[Tier, ...]
    areas: tuple[Area, ...]
    folder: Path
    _statements: dict[str, Statement] = field(default_factory=dict, repr=False)
    _case_studies: dict[str, CaseStudy] = field(default_factory=dict, repr=False)

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


@dataclass(frozen=True)
class Problem:
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


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"  # authors count from one
        else:
            out += ("." if out else "") + str(part)
    return out


_EXPECTED = {
    "missing": ("missing", "this key to be present"),
    "extra_forbidden": ("unknown key", "only the keys this file's schema defines (check spelling)"),
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


def _problems_from_validation(file: str, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = item["loc"]
        what, expected = _EXPECTED.get(item["type"], (item["msg"].lower(), "a valid value"))
        if item["type"] == "extra_forbidden":
            what = f"unknown key '{loc[-1]}'"
            loc = loc[:-1]
        elif item["type"] == "missing":
            what = f"missing key '{loc[-1]}'"
            loc = loc[:-1]
        problems.append(Problem(file, _where(loc), what, expected))
    return problems


def _read_toml(path: Path, root: Path, problems: list[Problem]) -> dict[str, Any] | None:
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(name, "", f"cannot be read ({error.strerror})", "a readable file"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(
            Problem(
                name,
                f"byte {error.start + 1}",
                "not UTF-8 text",
                "the file saved as UTF-8 (most editors offer this under 'Save as')",
            )
        )
        return None
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {match.group(1)}, column {match.group(2)}" if match else ""
        what = re.sub(r"\s*\(at line.*\)$", "", message) or "invalid TOML"
        problems.append(Problem(name, where, f"invalid TOML ({what})", "valid TOML syntax"))
        return None


def _validate(model: type[BaseModel], data: dict[str, Any], name: str, problems: list[Problem]):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems.extend(_problems_from_validation(name, error))
        return None


def _resolve_descriptor(
    ref: DescriptorRef, paragraphs: tuple[str, ...], name: str, where: str, problems: list[Problem]
) -> str | None:
    if not ref.specific:
        if ref.paragraph is not None or ref.sentences:
            problems.append(
                Problem(
                    name,
                    where,
                    "says 'specific = false' but also names a paragraph",
                    "either { specific = false } or { paragraph = N }",
                )
            )
        return None
    if ref.paragraph is None:
        problems.append(
            Problem(
                name,
                where,
                "names no paragraph",
                "{ paragraph = N }, { paragraph = N, sentences = [..] } or { specific = false }",
            )
        )
        return None
    if ref.paragraph > len(paragraphs):
        problems.append(
            Problem(
                name,
                where,
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
                where,
                f"sentence {bad[0]} does not exist (paragraph {ref.paragraph} has {len(parts)})",
                f"sentence numbers from 1 to {len(parts)}",
            )
        )
        return None
    return " ".join(parts[n - 1] for n in ref.sentences)


def _hash(data: Any) -> str:
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def load_framework(folder: str | Path) -> Framework:
    """Load and check a framework folder; raise FrameworkError naming every problem."""
    root = Path(folder)
    problems: list[Problem] = []
    if not root.is_dir():
        raise FrameworkError(
            root,
            [Problem(str(root), "", "is not a folder", "a framework folder with framework.toml")],
        )

    meta_data = _read_toml(root / "framework.toml", root, problems)
    meta = _validate(FrameworkFile, meta_data, "framework.toml", problems) if meta_data else None
    tiers_data = _read_toml(root / "tiers.toml", root, problems)
    tiers_file = _validate(TiersFile, tiers_data, "tiers.toml", problems) if tiers_data else None

    tiers: list[Tier] = []
    if tiers_file:
        seen: set[str] = set()
        for index, t in enumerate(tiers_file.tiers):
            if t.id in seen:
                problems.append(
                    Problem(
                        "tiers.toml",
                        f"tiers[{index + 1}].id",
                        f"duplicate id '{t.id}'",
                        "each tier id once",
                    )
                )
            seen.add(t.id)
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
    tier_ids = [t.id for t in tiers]

    area_paths = sorted((root / "areas").glob("*.toml")) if (root / "areas").is_dir() else []
    if not area_paths:
        problems.append(
            Problem("areas/", "", "no area files found", "one or more areas/*.toml files")
        )

    areas: list[Area] = []
    area_ids: set[str] = set()
    for path in area_paths:
        name = str(path.relative_to(root))
        data = _read_toml(path, root, problems)
        parsed = _validate(AreaFile, data, name, problems) if data is not None else None
        if parsed is None:
            continue
        area = _resolve_area(parsed, tier_ids, name, problems)
        if area is None:
            continue
        if area.id in area_ids:
            problems.append(
                Problem(name, "id", f"duplicate area id '{area.id}'", "each area id once")
            )
        area_ids.add(area.id)
        areas.append(area)

    if problems or meta is None:
        raise FrameworkError(root, problems)

    areas.sort(key=lambda a: (a.order, a.id))
    quoted = {
        "title": meta.title,
        "introduction": meta.introduction,
        "tiers": [[t.name, t.lead, list(t.points), t.closing] for t in tiers],
        "areas": [
            [
                a.title,
                [s.text for s in a.statements],
                {k: list(v) for k, v in a.paragraphs.items()},
                [[c.title, c.summary] for c in a.case_studies],
            ]
            for a in areas
        ],
    }
    version = f"{meta.project.edition}-{_hash(quoted)[:10]}"
    framework = Framework(
        id=meta.id,
        title=meta.title,
        display_title=meta.project.display_title,
        edition=meta.project.edition,
        version=version,
        introduction=tuple(meta.introduction),
        tiers=tuple(tiers),
        areas=tuple(areas),
        folder=root,
    )
    for area in areas:
        for statement in area.statements:
            framework._statements[statement.id] = statement
        for case in area.case_studies:
            framework._case_studies[case.id] = case
    return framework


def _resolve_area(
    parsed: AreaFile, tier_ids: list[str], name: str, problems: list[Problem]
) -> Area | None:
    before = len(problems)
    for tier_id in parsed.descriptors:
        if tier_id not in tier_ids:
            problems.append(
                Problem(
                    name,
                    f"descriptors.{tier_id}",
                    f"unknown tier '{tier_id}'",
                    f"one of the tiers in tiers.toml ({', '.join(tier_ids)})",
                )
            )
    for tier_id in tier_ids:
        if tier_id not in parsed.descriptors:
            problems.append(
                Problem(
                    name,
                    "descriptors",
                    f"no paragraphs for tier '{tier_id}'",
                    f"a list of descriptor paragraphs for every tier ({', '.join(tier_ids)})",
                )
            )
    paragraphs = {t: tuple(parsed.descriptors.get(t, ())) for t in tier_ids}

    overall: dict[str, str | None] = {t: None for t in tier_ids}
    for tier_id, number in (parsed.overall or {}).items():
        if tier_id not in tier_ids:
            problems.append(
                Problem(
                    name,
                    f"overall.{tier_id}",
                    f"unknown tier '{tier_id}'",
                    f"one of {', '.join(tier_ids)}",
                )
            )
        elif not 1 <= number <= len(paragraphs[tier_id]):
            problems.append(
                Problem(
                    name,
                    f"overall.{tier_id}",
                    f"paragraph {number} does not exist",
                    f"a paragraph number from 1 to {len(paragraphs[tier_id])}",
                )
            )
        else:
            overall[tier_id] = paragraphs[tier_id][number - 1]

    numbers: set[int] = set()
    statements = []
    for index, st in enumerate(parsed.statements):
        where = f"statements[{index + 1}]"
        if st.number in numbers:
            problems.append(
                Problem(
                    name,
                    f"{where}.number",
                    f"duplicate statement number {st.number}",
                    "each statement number once",
                )
            )
        numbers.add(st.number)
        descriptors: dict[str, str | None] = {}
        for tier_id in st.descriptors:
            if tier_id not in tier_ids:
                problems.append(
                    Problem(
                        name,
                        f"{where}.descriptors.{tier_id}",
                        f"unknown tier '{tier_id}'",
                        f"one of {', '.join(tier_ids)}",
                    )
                )
        for tier_id in tier_ids:
            ref = st.descriptors.get(tier_id)
            if ref is None:
                problems.append(
                    Problem(
                        name,
                        f"{where}.descriptors",
                        f"no descriptor given for tier '{tier_id}'",
                        f"'{tier_id} = {{ paragraph = N }}', or "
                        f"'{tier_id} = {{ specific = false }}' where the framework has none",
                    )
                )
                continue
            descriptors[tier_id] = _resolve_descriptor(
                ref, paragraphs[tier_id], name, f"{where}.descriptors.{tier_id}", problems
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
                _hash([st.text, [descriptors.get(t) for t in tier_ids]])[:12],
            )
        )

    cases = []
    case_ids: set[str] = set()
    for index, cs in enumerate(parsed.case_studies):
        where = f"case_studies[{index + 1}]"
        if cs.id in case_ids:
            problems.append(
                Problem(
                    name,
                    f"{where}.id",
                    f"duplicate case study id '{cs.id}'",
                    "each case study id once",
                )
            )
        case_ids.add(cs.id)
        for number in cs.project.statements:
            if number not in numbers:
                problems.append(
                    Problem(
                        name,
                        f"{where}.project.statements",
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
