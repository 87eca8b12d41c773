from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings


def test_pilot_framework_loads_with_its_shape():
    framework = load_framework(Settings.load().framework_dir)
    assert [t.id for t in framework.tiers] == ["foundations", "strengthening", "excellence"]
    assert [a.id for a in framework.areas] == ["teaching-learning", "pupils-parents-carers"]
    assert len(framework.statements) == 10
    assert len(framework.case_studies) == 9
    interventions = framework.statement("teaching-learning.5")
    assert interventions.descriptors["excellence"] is None
    assert interventions.descriptors["foundations"] == (
        "Interventions are in place but are not consistently integrated with classroom practice "
        "or evaluated for impact."
    )


def copy_pilot(tmp_path):
    import shutil

    folder = tmp_path / "framework"
    shutil.copytree(Settings.load(environ={}).framework_dir, folder)
    return folder


def test_windows_line_endings_and_a_byte_order_mark_load_the_same(tmp_path):
    folder = copy_pilot(tmp_path)
    for path in folder.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    framework = load_framework(folder)
    pilot = load_framework(Settings.load(environ={}).framework_dir)
    assert framework.version == pilot.version
    assert framework.statements == pilot.statements


def test_version_follows_the_quoted_text_only(tmp_path):
    pilot = load_framework(Settings.load(environ={}).framework_dir)
    folder = copy_pilot(tmp_path)
    area = folder / "areas" / "1-teaching-learning.toml"
    text = area.read_text(encoding="utf-8")
    area.write_text(text.replace('"homework"]', '"homework", "feedback"]'), encoding="utf-8")
    assert load_framework(folder).version == pilot.version  # the project's own tags changed
    area.write_text(text.replace("Think, Explore & Thrive", "Think & Thrive"), encoding="utf-8")
    changed = load_framework(folder)
    assert changed.version != pilot.version
    assert changed.version.startswith("pilot-")
    # a statement's own hash moves only with its text or descriptors
    assert changed.statement("teaching-learning.1").text_hash == (
        pilot.statement("teaching-learning.1").text_hash
    )


def test_a_problem_reads_as_one_line():
    from reflect_bot.framework import Problem

    problem = Problem("tiers.toml", "line 4, tiers[1]", "the key 'closing' is missing", "x")
    assert str(problem) == "tiers.toml: line 4, tiers[1]: the key 'closing' is missing; expected x"
    assert str(Problem("areas/", "", "no area files found", "y")) == (
        "areas/: no area files found; expected y"
    )


def test_hashes_are_worked_out_as_sessions_saved_earlier_expect():
    """Sessions store `version` and each statement's `text_hash`: the recipe must not change."""
    import hashlib
    import json

    def digest(data):
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    framework = load_framework(Settings.load(environ={}).framework_dir)
    for statement in framework.statements:
        descriptors = [statement.descriptors[t.id] for t in framework.tiers]
        assert statement.text_hash == digest([statement.text, descriptors])[:12]
    quoted = {
        "title": framework.title,
        "introduction": list(framework.introduction),
        "tiers": [[t.name, t.lead, list(t.points), t.closing] for t in framework.tiers],
        "areas": [
            [
                a.title,
                [s.text for s in a.statements],
                {k: list(v) for k, v in a.paragraphs.items()},
                [[c.title, c.summary] for c in a.case_studies],
            ]
            for a in framework.areas
        ],
    }
    assert framework.version == f"{framework.edition}-{digest(quoted)[:10]}"
