"""An independent reading of the seed text, for the verbatim tests.

The framework data is written by hand; this module reads the same source another way (tables cell
by cell, page breaks joined) so the tests can check the data against it in both directions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

SOURCE = (
    Path(__file__).resolve().parents[1]
    / "framework"
    / "source"
    / "inclusion-audit-framework-pilot.md"
)


def clean(text: str) -> str:
    """Plain text of a fragment: tags dropped, entities decoded, emphasis markers and spaces folded."""
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = text.replace("**", "").replace("*", "")
    return normalise(text)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class AreaSource:
    title: str
    statements: list[str] = field(default_factory=list)
    # tier index (0, 1, 2) -> paragraphs, page breaks joined
    paragraphs: list[list[str]] = field(default_factory=lambda: [[], [], []])
    case_studies: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Seed:
    introduction: list[str]
    tiers: list[dict]
    areas: list[AreaSource]
    plain: str  # the whole source as normalised plain text, page-broken paragraphs joined


def _cells(row: str) -> list[str]:
    return [c for c in row.strip().strip("|").split("|")]


def _paragraphs(cell: str) -> list[str]:
    return [clean(p) for p in re.findall(r"<p>(.*?)</p>", cell, re.S) if clean(p)]


def read() -> Seed:
    raw = SOURCE.read_text(encoding="utf-8")
    sections = re.split(r"^## ", raw, flags=re.M)
    intro_section = next(s for s in sections if s.startswith("Introduction"))
    introduction = [clean(p) for p in intro_section.split("\n\n")[1:] if clean(p)]

    tiers_section = next(s for s in sections if s.startswith("Evaluating Effectiveness"))
    tiers = []
    for block in re.split(r"^### ", tiers_section, flags=re.M)[1:]:
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        name = clean(lines[0])
        points = [clean(ln[1:]) for ln in lines[1:] if ln.startswith("-")]
        prose = [clean(ln) for ln in lines[1:] if not ln.startswith("-")]
        tiers.append({"name": name, "lead": prose[0], "points": points, "closing": prose[-1]})

    areas = []
    for section in sections:
        if "### Statements" not in section:
            continue
        title = clean(section.splitlines()[0])
        area = AreaSource(title=title)
        area.statements = [clean(m) for m in re.findall(r"^\d+\.\s+(.*)$", section, flags=re.M)]
        rows = [ln for ln in section.splitlines() if ln.startswith("|")]
        # Descriptor rows: three cells, each holding several <p> paragraphs.
        heading = next(i for i, r in enumerate(rows) if "Case Study" in r)
        descriptor_rows = [
            r
            for r in rows[:heading]
            if len(_cells(r)) == 3 and all(_paragraphs(c) for c in _cells(r))
        ]
        for index, row in enumerate(descriptor_rows):
            for tier, cell in enumerate(_cells(row)):
                paras = _paragraphs(cell)
                if index > 0 and not area.paragraphs[tier][-1].endswith((".", "!", "?")):
                    # A page break split the last paragraph: join it with the first of this table.
                    area.paragraphs[tier][-1] = area.paragraphs[tier][-1] + " " + paras.pop(0)
                area.paragraphs[tier].extend(paras)
        # Case study rows follow the "Case Study/Example" heading row.
        seen_heading = False
        pending: list[str] | None = None
        for row in rows:
            if "Case Study" in row:
                seen_heading = True
                continue
            if not seen_heading or set(row.replace("|", "").strip()) <= {"-", " "}:
                continue
            cells = [clean(c) for c in _cells(row)]
            if not any(cells):
                continue
            title, summary = cells[0], cells[1]
            if not title and pending is not None:
                pending[1] = pending[1] + " " + summary  # summary continued over a page break
                continue
            if title and summary:
                pending = [title, summary]
                area.case_studies.append(pending)  # type: ignore[arg-type]
        area.case_studies = [(t, s) for t, s in area.case_studies]
        areas.append(area)

    plain_parts = [*introduction]
    for tier in tiers:
        plain_parts += [tier["name"], tier["lead"], *tier["points"], tier["closing"]]
    for area in areas:
        plain_parts += [area.title, *area.statements]
        for paras in area.paragraphs:
            plain_parts += paras
        for title, summary in area.case_studies:
            plain_parts += [title, summary]
    return Seed(introduction, tiers, areas, "\n".join(plain_parts))
