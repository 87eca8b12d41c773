"""`reflect-bot framework check DIR` and `framework show`, as an author of framework files sees them.

Each broken case gets one clear line per problem (file, where, what, expected), no traceback and no
validation-library wording, and a non-zero exit; a valid folder exits 0.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reflect_bot.cli import main
from reflect_bot.framework import FrameworkError, load_framework
from reflect_bot.locations import FRAMEWORK_ENV, Settings

PILOT = Settings.load(environ={}).framework_dir
TL = "areas/1-teaching-learning.toml"
PPC = "areas/2-pupils-parents-carers.toml"


def edit(relative: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    """A change to one file of a copied framework; `old` must be there."""

    def change(folder: Path) -> None:
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return change


def remove_tier_from_tiers_file(folder: Path) -> None:
    path = folder / "tiers.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('[[tiers]]\nid = "excellence"')], encoding="utf-8")


def remove_tier_paragraphs(folder: Path) -> None:
    path = folder / PPC
    text = path.read_text(encoding="utf-8")
    start = text.index("excellence = [\n")
    end = text.index("]\n", start) + 2
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def save_as_windows_1252(folder: Path) -> None:
    path = folder / TL
    text = path.read_text(encoding="utf-8").replace('"Teaching & Learning"', '"Teaching – café"')
    path.write_bytes(text.encode("cp1252"))


def copy_an_area(folder: Path) -> None:
    shutil.copy(folder / PPC, folder / "areas" / "3-copy.toml")


def append(relative: str, text: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        path = folder / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def remove_file(relative: str) -> Callable[[Path], None]:
    return lambda folder: (folder / relative).unlink()


def remove_areas(folder: Path) -> None:
    shutil.rmtree(folder / "areas")


# (case, change, expected problem lines as (file, where, what) patterns)
BROKEN = [
    (
        "invalid TOML",
        edit(TL, 'title = "Think, Explore & Thrive"', 'title = "Think, Explore & Thrive'),
        [(TL, r"line \d+, column \d+", r"not valid TOML: a quoted text runs on past the end")],
    ),
    (
        "invalid TOML: unclosed list",
        edit(TL, "statements = [1, 2, 3]\n", "statements = [1, 2, 3\n"),
        [(TL, r"line \d+, column \d+", r"not valid TOML: a list in \[ \] is not closed")],
    ),
    (
        "invalid TOML: text without quotes",
        edit(TL, 'short_title = "Teaching & Learning"', "short_title = Teaching"),
        [(TL, r"line 12, column \d+", r"not valid TOML: a value that is not valid")],
    ),
    (
        "a tier missing from tiers.toml",
        remove_tier_from_tiers_file,
        [
            (
                TL,
                r"line \d+, descriptors\.excellence and 6 more places",
                "tier 'excellence' is not one of the tiers in tiers.toml",
            ),
            (
                PPC,
                r"line \d+, descriptors\.excellence and 5 more places",
                "tier 'excellence' is not one of the tiers in tiers.toml",
            ),
        ],
    ),
    (
        "a tier missing from an area's descriptors",
        remove_tier_paragraphs,
        [(PPC, r"line 12, descriptors", "no descriptor paragraphs for tier 'excellence'")],
    ),
    (
        "a tier missing from a statement",
        edit(PPC, "excellence = { paragraph = 3 }\n", ""),
        [(PPC, r"line \d+, statements\[3\]\.descriptors", "no descriptor given for tier")],
    ),
    (
        "a misspelt tier in a statement",
        edit(TL, "excellence = { paragraph = 2 }", "exellence = { paragraph = 2 }"),
        [
            (TL, r"line \d+, statements\[2\]\.descriptors", "no descriptor given for tier"),
            (
                TL,
                r"line \d+, statements\[2\]\.descriptors\.exellence",
                "tier 'exellence' is not one of the tiers",
            ),
        ],
    ),
    (
        "a duplicate statement number",
        edit(PPC, "number = 5", "number = 4"),
        [
            (
                PPC,
                r"line \d+, statements\[5\]\.number",
                r"duplicate statement number 4 \(statements\[4\] has it too\)",
            ),
            (PPC, r"line \d+, case_studies\[3\]\.project\.statements", "statement 5 does not"),
            (PPC, r"line \d+, case_studies\[5\]\.project\.statements", "statement 5 does not"),
        ],
    ),
    (
        "a duplicate case study id",
        edit(PPC, 'id = "stronger-together"', 'id = "partnership-triads"'),
        [
            (
                PPC,
                r"line \d+, case_studies\[2\]\.id",
                r"duplicate case study id 'partnership-triads' \(case_studies\[1\] has it too\)",
            )
        ],
    ),
    (
        "a duplicate area id",
        copy_an_area,
        [
            (
                "areas/3-copy.toml",
                r"line 5, id",
                rf"duplicate area id 'pupils-parents-carers' \({PPC} has it too\)",
            )
        ],
    ),
    (
        "a duplicate tier id",
        edit("tiers.toml", 'id = "strengthening"', 'id = "foundations"'),
        [("tiers.toml", r"line \d+, tiers\[2\]\.id", "duplicate tier id 'foundations'")]
        + [(f, r"line \d+, descriptors\.strengthening and \d+ more places", "") for f in (TL, PPC)],
    ),
    (
        "a case study naming a statement that does not exist",
        edit(PPC, "statements = [2, 3, 4]", "statements = [2, 3, 7]"),
        [
            (
                PPC,
                r"line \d+, case_studies\[1\]\.project\.statements",
                "statement 7 does not exist",
            )
        ],
    ),
    (
        "an empty statement",
        edit(TL, 'text = "Teachers use assessment', 'text = "  "\nold = "Teachers use assessment'),
        [
            (TL, r"line \d+, statements\[3\]\.text", "empty text"),
            (TL, r"line \d+, statements\[3\]", "unknown key 'old'"),
        ],
    ),
    (
        "an unknown key",
        edit(TL, 'short_title = "Teaching & Learning"', 'short_title = "T&L"\ncolour = "blue"'),
        [(TL, r"line 13, project", "unknown key 'colour'")],
    ),
    (
        "an unknown key in a descriptor reference",
        edit(TL, "foundations = { paragraph = 1 }", "foundations = { paragraph = 1, para = 2 }"),
        [
            (
                TL,
                r"line 42, statements\[1\]\.descriptors\.foundations",
                "unknown key 'para'; expected only these keys here: paragraph, sentences, specific",
            )
        ],
    ),
    (
        "an unknown key at the top of a file",
        edit("framework.toml", 'id = "inclusion-audit-pilot"', 'id = "x"\nversion = "1"'),
        [("framework.toml", r"line 6", "unknown key 'version'")],
    ),
    (
        "a missing key",
        edit(
            "tiers.toml", 'closing = "At this stage, practice', 'ending = "At this stage, practice'
        ),
        [
            ("tiers.toml", r"line \d+, tiers\[2\]", "the key 'closing' is missing"),
            ("tiers.toml", r"line \d+, tiers\[2\]", "unknown key 'ending'"),
        ],
    ),
    (
        "a file that is not UTF-8",
        save_as_windows_1252,
        [(TL, r"line 12, column 25", "not UTF-8 text")],
    ),
    (
        "a paragraph that does not exist",
        edit(TL, "excellence = { paragraph = 3 }", "excellence = { paragraph = 9 }"),
        [(TL, r"line \d+, statements\[3\]\.descriptors\.excellence", "paragraph 9 does not exist")],
    ),
    (
        "a sentence that does not exist",
        edit(TL, "sentences = [2, 3]", "sentences = [2, 4]"),
        [(TL, r"line \d+, statements\[5\]\.descriptors\.strengthening", "sentence 4 does not")],
    ),
    (
        "no specific descriptor and a paragraph",
        edit(
            TL,
            "excellence = { specific = false }",
            "excellence = { specific = false, paragraph = 4 }",
        ),
        [(TL, r"line \d+, statements\[5\]\.descriptors\.excellence", "says 'specific = false'")],
    ),
    (
        "a number that is text",
        edit(TL, "order = 1", 'order = "first"'),
        [(TL, r"line 6, order", "not a whole number")],
    ),
    (
        "a missing framework.toml",
        remove_file("framework.toml"),
        [("framework.toml", "", "is missing")],
    ),
    ("no areas", remove_areas, [("areas/", "", "no area files found")]),
    (
        "TOML cut off at the end of the file",
        append("tiers.toml", "\nextra = [1, 2"),
        [("tiers.toml", r"line \d+, at the end of the file", "a list in \\[ \\] is not closed")],
    ),
    (
        "a missing table",
        edit("framework.toml", "[project]\nedition", "[colophon]\nedition"),
        [
            ("framework.toml", "", "the key 'project' is missing"),
            ("framework.toml", r"line \d+", "unknown key 'colophon'"),
        ],
    ),
]


def broken_copy(tmp_path: Path, change: Callable[[Path], None]) -> Path:
    folder = tmp_path / "framework"
    shutil.copytree(PILOT, folder, ignore=shutil.ignore_patterns("source"))
    change(folder)
    return folder


@pytest.mark.parametrize(("case", "change", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_check_names_each_problem_on_one_line(tmp_path, capsys, case, change, expected):
    folder = broken_copy(tmp_path, change)
    status = main(["framework", "check", str(folder)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err == ""
    lines = captured.out.splitlines()
    count = len(expected)
    assert lines[-1] == f"{count} problem{'s' if count != 1 else ''} found in {folder}."
    problems = lines[:-1]
    assert len(problems) == count, captured.out
    for line, (file, where, what) in zip(problems, expected, strict=True):
        # file: where: what; expected what is expected
        prefix = re.escape(file) + (f": {where}" if where else "")
        assert re.match(rf"{prefix}: .*{what}", line), line
        assert re.search(r"\S; expected \S", line), line
        assert len(line) < 300, line
    for text in (captured.out, captured.err):
        assert "Traceback" not in text
        assert "pydantic" not in text.lower()
        assert "http" not in text
        assert "validation error" not in text.lower()


def test_check_accepts_the_pilot(capsys):
    assert main(["framework", "check", str(PILOT)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{PILOT}: valid (2 areas, 10 statements, 3 tiers, version pilot-")


def test_check_of_a_missing_folder(tmp_path, capsys):
    assert main(["framework", "check", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().out
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert main(["framework", "check", str(tmp_path / "a-file")]) == 1
    assert "is not a folder" in capsys.readouterr().out


def test_loader_raises_one_typed_error_listing_every_problem(tmp_path):
    def two_problems(folder: Path) -> None:
        edit(TL, "order = 1", 'order = "first"')(folder)
        edit(PPC, "statements = [2, 3, 4]", "statements = [2, 3, 7]")(folder)

    with pytest.raises(FrameworkError) as caught:
        load_framework(broken_copy(tmp_path, two_problems))
    assert [p.file for p in caught.value.problems] == [TL, PPC]
    assert str(caught.value).count("\n") == 1


def test_the_app_refuses_a_broken_framework_in_plain_words(tmp_path, capsys):
    folder = broken_copy(tmp_path, edit(TL, "order = 1", 'order = "first"'))
    assert main(["--framework", str(folder), "framework", "show"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"reflect-bot: The framework in {folder} has problems:")
    assert f"{TL}: line 6, order: not a whole number; expected a whole number" in err
    assert "Traceback" not in err


def test_show_prints_the_pilot_structure(capsys, monkeypatch):
    monkeypatch.delenv(FRAMEWORK_ENV, raising=False)
    assert main(["framework", "show"]) == 0
    out = capsys.readouterr().out
    assert "Tiers (3):" in out
    assert "Areas (2), statements (10), case studies (9):" in out
    for tier in ("Establishing Foundations", "Strengthening Practice", "Sustaining Excellence"):
        assert tier in out
    ids = re.findall(r"^\s+((?:teaching-learning|pupils-parents-carers)\.\d)\s", out, re.M)
    assert ids == [f"teaching-learning.{n}" for n in range(1, 6)] + [
        f"pupils-parents-carers.{n}" for n in range(1, 6)
    ]
    assert "[teaching-learning]: 4 case studies" in out
    assert "[pupils-parents-carers]: 5 case studies" in out
    assert "no specific descriptor at Sustaining Excellence" in out


def test_a_toml_error_at_the_end_of_a_file_still_names_a_line(tmp_path, capsys):
    folder = broken_copy(tmp_path, append("tiers.toml", "\nextra = [1, 2"))
    lines = (folder / "tiers.toml").read_text(encoding="utf-8").splitlines()
    assert main(["framework", "check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"tiers.toml: line {len(lines)}, at the end of the file: not valid TOML" in out


def test_a_missing_table_is_asked_for_as_a_table_and_a_missing_key_as_a_key(tmp_path, capsys):
    def drop_project_and_title(folder: Path) -> None:
        edit("framework.toml", "[project]\nedition", "[colophon]\nedition")(folder)
        edit("framework.toml", 'title = "DFE', 'heading = "DFE')(folder)
        edit("tiers.toml", "[tiers.project]", "[tiers.extras]", count=3)(folder)

    folder = broken_copy(tmp_path, drop_project_and_title)
    assert main(["framework", "check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert (
        "framework.toml: the key 'project' is missing; expected a [project] table in this file"
        in out
    )
    assert "the key 'title' is missing; expected 'title = ...' in this file" in out
    assert "expected a [tiers.project] table in this table" in out
