"""Export wording a new user read as raw: the framework version, the tier aimed for at the top
tier, and progress beside a "not sure yet"."""

import csv
import io

import pytest
from test_export import FRAMEWORK, complete_session, markdown_to_html, words_of

from reflect_bot.export import render, text_version, version_words


def test_version_words():
    assert version_words("pilot-176ce45707", "pilot") == "pilot sections (text version 176ce45707)"
    assert version_words("2", "pilot") == "framework version 2"
    assert text_version("pilot-176ce45707", "pilot") == "text version 176ce45707"
    assert text_version("2", "pilot") == "framework version 2"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_framework_version_reads_as_words(fmt):
    session = complete_session()
    session.framework_version = FRAMEWORK.edition + "-0123456789"  # made with an older text
    text = render(session, FRAMEWORK, fmt)
    plain = words_of(markdown_to_html(text) if fmt == "md" else text)
    assert FRAMEWORK.version not in plain  # no raw id
    assert "version pilot-" not in plain
    assert f"{FRAMEWORK.display_title}, text version " in plain
    assert "sections, pilot sections" not in plain  # the edition is named once
    assert "made with the pilot sections (text version 0123456789)" in plain


def test_the_top_tier_aims_to_sustain_and_share():
    rows = list(csv.DictReader(io.StringIO(render(complete_session(), FRAMEWORK, "csv"))))
    assert "Statement id" in rows[0]
    aims = {row["Tier aimed for"] for row in rows}
    assert "Sustaining Excellence (sustain and share)" in aims
    assert "Sustaining Excellence (sustain)" not in aims


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_progress_agrees_with_a_not_sure_yet(fmt):
    session = complete_session()
    record = session.record("teaching-learning.2")
    record.tier, record.not_sure = "", True
    text = render(session, FRAMEWORK, fmt)
    plain = words_of(markdown_to_html(text) if fmt == "md" else text)
    assert "10 of 10 statements reflected on; 1 not sure yet" in plain
    assert "1 statement marked not sure yet" in plain
