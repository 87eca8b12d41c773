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
