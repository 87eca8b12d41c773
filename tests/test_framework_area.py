"""Adding an area is adding a file: a third area loads, shows and works with no code change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reflect_bot.cli import main
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.suggest import closest_tier, suggest_case_studies

PILOT = Settings.load(environ={}).framework_dir

# A made-up area for the test only (its wording is not the framework's): three statements, one
# with no specific descriptor at Strengthening Practice, and no case studies.
THIRD_AREA = """\
id = "identification"
order = 3
title = "Test Area: Early Identification of Need"

[project]
short_title = "Identification"

[descriptors]
foundations = [
    "Needs are beginning to be identified. Some staff know the signs.",
    "Referrals are made but are inconsistent.",
]
strengthening = [
    "Needs are increasingly identified early. More staff know the signs.",
]
excellence = [
    "Needs are identified early and consistently. All staff know the signs.",
    "Referrals are timely and embedded in practice.",
]

[[statements]]
number = 1
text = "Needs are identified early."

[statements.descriptors]
foundations = { paragraph = 1 }
strengthening = { paragraph = 1, sentences = [1] }
excellence = { paragraph = 1 }

[statements.project]
short = "Early identification"
tags = ["identification"]

[[statements]]
number = 2
text = "Referrals are timely."

[statements.descriptors]
foundations = { paragraph = 2 }
strengthening = { specific = false }
excellence = { paragraph = 2 }

[statements.project]
short = "Referrals"

[[statements]]
number = 3
text = "Staff know the signs."

[statements.descriptors]
foundations = { paragraph = 1, sentences = [2] }
strengthening = { paragraph = 1, sentences = [2] }
excellence = { paragraph = 1, sentences = [2] }

[statements.project]
short = "Knowing the signs"
"""


def with_third_area(folder: Path) -> Path:
    """The pilot framework copied into `folder`, plus the third area."""
    shutil.copytree(PILOT, folder, ignore=shutil.ignore_patterns("source"))
    (folder / "areas" / "3-identification.toml").write_text(THIRD_AREA, encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path) -> Path:
    return with_third_area(tmp_path / "framework")


def test_a_third_area_loads_with_the_pilot(folder):
    framework = load_framework(folder)
    assert [a.id for a in framework.areas] == [
        "teaching-learning",
        "pupils-parents-carers",
        "identification",
    ]
    area = framework.area("identification")
    assert [s.id for s in area.statements] == [f"identification.{n}" for n in (1, 2, 3)]
    assert len(framework.statements) == 13
    assert area.case_studies == ()
    assert len(framework.case_studies) == 9
    referrals = framework.statement("identification.2")
    assert referrals.descriptors == {
        "foundations": "Referrals are made but are inconsistent.",
        "strengthening": None,
        "excellence": "Referrals are timely and embedded in practice.",
    }
    assert framework.statement("identification.1").descriptors["strengthening"] == (
        "Needs are increasingly identified early."
    )
    assert framework.area_of("identification.3") is area
    assert all(v is None for v in area.overall.values())
    # a different framework, so a different version
    assert framework.version != load_framework(PILOT).version


def test_framework_show_lists_the_third_area(folder, capsys):
    assert main(["--framework", str(folder), "framework", "show"]) == 0
    out = capsys.readouterr().out
    assert "Areas (3), statements (13), case studies (9):" in out
    assert "[identification]: 0 case studies" in out
    for number in (1, 2, 3):
        assert f"identification.{number}" in out
    assert "no specific descriptor at Strengthening Practice" in out


def test_framework_check_accepts_the_third_area(folder, capsys):
    assert main(["framework", "check", str(folder)]) == 0
    assert "valid (3 areas, 13 statements, 3 tiers" in capsys.readouterr().out


def test_suggestions_work_on_the_third_area(folder):
    framework = load_framework(folder)
    assert suggest_case_studies(framework, "identification.1", ["We identify needs early."]) == []
    hint = closest_tier(
        framework,
        "identification.1",
        ["Needs are consistently identified early; all staff know the signs."],
    )
    assert hint is not None and hint.tier_id == "excellence"
    # no descriptor at Strengthening Practice: qualifiers alone still point there
    hint = closest_tier(
        framework, "identification.2", ["Referrals are increasingly timely, more often than not."]
    )
    assert hint is None or hint.tier_id == "strengthening"
