"""The framework data quotes the source exactly, both ways, and maps descriptors as design.md says.

The source is read independently by `seed_source` (tables cell by cell, page breaks joined); the
data is read straight from its TOML files, so a string the loader never uses is checked too.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import seed_source

from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings

FOLDER = Settings.load(environ={}).framework_dir
# Keys whose strings are the project's own, not quoted text.
OWN_KEYS = {"id", "project"}


@pytest.fixture(scope="module")
def seed() -> seed_source.Seed:
    return seed_source.read()


@pytest.fixture(scope="module")
def framework():
    return load_framework(FOLDER)


@pytest.fixture(scope="module")
def source_text(seed) -> str:
    """The whole source as normalised plain text: its reading (page breaks joined) and raw."""
    raw = seed_source.SOURCE.read_text(encoding="utf-8")
    return seed_source.normalise(seed.plain) + "\n" + seed_source.clean(raw)


def quoted_strings(value, path: str = "") -> list[tuple[str, str]]:
    """Every string in a TOML document outside the project's own keys, with where it is."""
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in OWN_KEYS:
                out += quoted_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += quoted_strings(item, f"{path}[{index + 1}]")
    elif isinstance(value, str):
        out.append((path, value))
    return out


def data_files() -> list[Path]:
    return [FOLDER / "framework.toml", FOLDER / "tiers.toml", *sorted(FOLDER.glob("areas/*.toml"))]


def not_in_source(strings: list[tuple[str, str]], source_text: str) -> list[str]:
    return [
        f"{where}: {text[:70]}"
        for where, text in strings
        if seed_source.normalise(text) not in source_text
    ]


# --- Forward: every quoted string of the data is in the source ---------------------------------


def test_every_quoted_string_of_the_data_is_in_the_source(source_text):
    strings = []
    for path in data_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        strings += [(f"{path.name}: {w}", t) for w, t in quoted_strings(data)]
    # titles, introduction, tier texts, area titles, statements, paragraphs, case studies
    assert len(strings) >= 4 + 3 * 8 + 2 * (1 + 5 + 15) + 9 * 2 + 1
    assert not_in_source(strings, source_text) == []


def test_every_resolved_text_is_in_the_source(framework, source_text):
    """What the app shows (sentences picked from a paragraph, overall descriptors) is quoted too."""
    texts = [("title", framework.title)]
    texts += [(f"introduction[{i}]", p) for i, p in enumerate(framework.introduction)]
    for tier in framework.tiers:
        texts += [(tier.id, t) for t in (tier.name, tier.lead, *tier.points, tier.closing)]
    for area in framework.areas:
        texts.append((area.id, area.title))
        texts += [(f"{area.id} overall {k}", v) for k, v in area.overall.items() if v]
        for statement in area.statements:
            texts.append((statement.id, statement.text))
            texts += [(f"{statement.id} {k}", v) for k, v in statement.descriptors.items() if v]
        for case in area.case_studies:
            texts += [(case.id, case.title), (case.id, case.summary)]
    assert not_in_source(texts, source_text) == []


def test_the_check_catches_a_paraphrase(source_text):
    """The forward check is not vacuous: changed wording is caught."""
    changed = [("x", "Leaders and teachers are starting to form working partnerships.")]
    assert not_in_source(changed, source_text) == ["x: " + changed[0][1]]


def test_quoted_strings_have_no_stray_spaces():
    for path in data_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for _, text in quoted_strings(data):
            assert text.strip() == text, f"{path.name}: stray spaces in {text[:40]!r}"


# --- Reverse: everything in the source is in the data ------------------------------------------


def test_introduction_and_tiers_match_the_source(seed, framework):
    assert [seed_source.normalise(p) for p in framework.introduction] == seed.introduction
    got = [
        {"name": t.name, "lead": t.lead, "points": list(t.points), "closing": t.closing}
        for t in framework.tiers
    ]
    assert got == seed.tiers


def test_every_statement_paragraph_and_case_study_of_the_source_is_in_the_data(seed, framework):
    assert [a.title for a in framework.areas] == [a.title for a in seed.areas]
    for area, source in zip(framework.areas, seed.areas, strict=True):
        assert [s.text for s in area.statements] == source.statements, area.id
        for index, tier in enumerate(framework.tiers):
            assert list(area.paragraphs[tier.id]) == source.paragraphs[index], (area.id, tier.id)
        assert [(c.title, c.summary) for c in area.case_studies] == source.case_studies, area.id


def test_the_seed_reading_sees_the_whole_pilot(seed):
    """A guard on the independent reading itself: the counts the source plainly has."""
    assert len(seed.introduction) == 4
    assert [len(t["points"]) for t in seed.tiers] == [5, 5, 5]
    assert [len(a.statements) for a in seed.areas] == [5, 5]
    assert [[len(p) for p in a.paragraphs] for a in seed.areas] == [[5, 5, 5], [5, 5, 5]]
    assert [len(a.case_studies) for a in seed.areas] == [4, 5]
    # page breaks joined: no paragraph ends mid-sentence
    for area in seed.areas:
        for paragraphs in area.paragraphs:
            assert all(p.endswith(".") for p in paragraphs)


# --- The mapping of descriptors to statements (design.md's table) -------------------------------


def sentences_of(paragraph: str) -> list[str]:
    return re.split(r"(?<=\.)\s+", paragraph)


def pick(paragraph: str, numbers: list[int]) -> str:
    parts = sentences_of(paragraph)
    return " ".join(parts[n - 1] for n in numbers)


def test_teaching_and_learning_mapping_follows_the_design(seed, framework):
    f, s, e = seed.areas[0].paragraphs  # each tier's paragraphs
    area = framework.area("teaching-learning")
    expected = {
        1: (f[0], s[0], e[0]),
        2: (f[1], s[1], e[1]),
        3: (f[2], s[2], e[2]),
        4: (pick(f[3], [1, 2]), pick(s[3], [1]), e[3]),
        5: (pick(f[3], [3]), pick(s[3], [2, 3]), None),
    }
    for statement in area.statements:
        got = tuple(statement.descriptors[t.id] for t in framework.tiers)
        assert got == expected[statement.number], statement.id
    assert tuple(area.overall[t.id] for t in framework.tiers) == (f[4], s[4], e[4])


def test_teaching_assistants_and_interventions_split_as_the_seed_does(framework):
    ta = framework.statement("teaching-learning.4").descriptors
    interventions = framework.statement("teaching-learning.5").descriptors
    assert ta["foundations"].startswith("Teaching assistants provide support")
    assert ta["foundations"].endswith("reduce independence or narrow learning.")
    assert ta["strengthening"].startswith("Teaching assistants work more closely")
    assert "Interventions" not in ta["strengthening"]
    assert interventions["foundations"].startswith("Interventions are in place")
    assert interventions["strengthening"].startswith("Interventions are better planned")
    assert interventions["strengthening"].endswith("used to refine practice.")
    assert interventions["excellence"] is None


def test_parents_area_maps_paragraph_n_to_statement_n(seed, framework):
    area = framework.area("pupils-parents-carers")
    for statement in area.statements:
        for index, tier in enumerate(framework.tiers):
            paragraph = seed.areas[1].paragraphs[index][statement.number - 1]
            assert statement.descriptors[tier.id] == paragraph, (statement.id, tier.id)
    assert all(v is None for v in area.overall.values())  # the seed gives no overall here
