"""The backbone test: a whole reflection through the plain console, greeting to summary.

Both areas and all ten statements, tiers, a "not sure yet", a challenge kept and one changed,
thin answers, next steps, case studies, back, skip, a jump, commands, the personal-data reminder,
then the saved session checked field by field, and a resume from it.
"""

import io
import os
import stat
import sys

import pytest

from reflect_bot.console import run_plain
from reflect_bot.locations import Settings
from reflect_bot.store import SessionStore, load_file

SCRIPT = [
    "Oakfield Primary, 2025-26",
    "1",
    "SENCo",
    "1",
    "Leaders and teachers plan units together each half term",
    "Lesson visits and work scrutiny show adaptive teaching in most classes",
    "It is consistent in some classes but not yet in foundation subjects",
    "Pupils with SEND join the same trips and projects as their peers",
    "3",
    "Our visits this term showed strong adaptive teaching in every class we saw",
    "k",
    "We will write it into induction and share it with our trust partners",
    "Share adaptive teaching practice at the trust network meeting",
    "Deputy head",
    "by Easter",
    "n",
    "1",
    "Teachers get pupil passports at transition",
    "/back",
    "Teachers receive pupil profiles before September and meet the SENCo",
    "Planning shows a few adjustments from the profiles",
    "Profiles are beginning to be used, variable across year groups",
    "Limited so far; some pupils access lessons better",
    "1",
    "Profiles used in every planning meeting and shared by all staff",
    "Make profiles part of every planning meeting",
    "SENCo",
    "end of spring term",
    "y",
    "Check profiles in book looks",
    "Phase leaders",
    "September",
    "n",
    "n",
    "Teachers check understanding with mini whiteboards",
    "Some work scrutiny, but we have not looked at homework",
    "Hard to say across subjects",
    "Don't know yet",
    "",
    "",
    "?",
    "Sample homework across three subjects and talk to pupils",
    "Homework review",
    "Assessment lead",
    "by half term",
    "n",
    "b",
    "Teaching assistants are briefed before lessons",
    "/skip",
    "Interventions run daily with trained staff",
    "We are beginning to track entry and exit data",
    "Class teachers are beginning to link interventions to lessons",
    "Some pupils transfer skills to class",
    "3",
    "Honestly the tracking is only beginning",
    "2",
    "Link intervention targets to classroom planning in every class",
    "Termly intervention reviews with class teachers",
    "Intervention lead",
    "summer term",
    "n",
    "n",
    "Consistent adaptive teaching in every class",
    "ok",
    "Our report was rewritten last year in plain English",
    "They ask about it at review meetings and the website shows visits",
    "Families increasingly use the local offer links",
    "Families tell us it is clearer than it was",
    "2",
    "A family-friendly version co-produced with the parent forum",
    "Co-produce a short version of the report",
    "SENCo and parent forum",
    "by Easter",
    "n",
    "1",
    "/go 4",
    "Lesson visits show scaffolding rather than simplified tasks, email jo.bloggs@example.com for notes",
    "r",
    "Lesson visits show scaffolding rather than simplified tasks",
    "More consistent in Key Stage 2 than Key Stage 1",
    "Pupils are increasingly independent in lessons",
    "2",
    "Scaffolding in every class, with TAs stepping back",
    "TA training on scaffolding",
    "Deputy head",
    "October",
    "n",
    "2",
    "/summary",
    "Parents attend forums and workshops termly",
    "Forum minutes show parent ideas adopted in provision",
    "Increasingly involving more families each term",
    "Parents shaped the new homework club",
    "2",
    "Parents in every review from the start",
    "Invite parents before plans are written",
    "SENCo",
    "January",
    "n",
    "n",
    "Reports home start with strengths and progress",
    "Review notes and reports are increasingly strengths-based",
    "Most staff use the strengths-first format",
    "Families tell us meetings feel more positive",
    "2",
    "Every conversation starting from strengths",
    "/tiers",
    "Train new staff in the strengths-first format",
    "",
    "",
    "n",
    "n",
    "Pupils share views through a pupil council",
    "Pupil voice surveys each term",
    "Some classes use one-page profiles",
    "Pupils are beginning to talk about what helps them",
    "1",
    "One-page profiles in every class",
    "Roll out one-page profiles",
    "Class teachers",
    "summer",
    "n",
    "n",
    "We run a range of clubs after school",
    "We are beginning to ask pupils for their views",
    "Participation is not yet tracked",
    "We do not evaluate impact yet",
    "1",
    "Track who takes part",
    "Participation register for clubs",
    "Enrichment lead",
    "next term",
    "n",
    "n",
    "Consistent use of pupil voice across both areas",
    "n",
]


def run(tmp_path, framework, lines, **kwargs):
    settings = Settings.load(sessions_dir=tmp_path / "sessions", environ={})
    store = SessionStore(settings.sessions_dir)
    out = io.StringIO()
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    code = run_plain(settings, framework, store, stdin, out, **kwargs)
    return code, out.getvalue(), store


@pytest.fixture(scope="module")
def whole(tmp_path_factory, framework):
    tmp_path = tmp_path_factory.mktemp("whole")
    code, output, store = run(tmp_path, framework, SCRIPT, session_name="whole")
    session, _ = load_file(store.path_for("whole"))
    return code, output, session, store


def test_it_runs_to_the_end_and_exits_cleanly_saying_how_to_resume(whole):
    code, output, session, store = whole
    assert code == 0
    folder = store.folder
    assert output.rstrip().endswith(
        f"To carry on later, run: reflect-bot resume whole --sessions-dir {folder}"
    )
    assert session.conversation.state == "done"


def test_the_greeting_explains_the_framework_tiers_honesty_and_privacy(whole):
    _, output, _, _ = whole
    opening = output[: output.index("[school or context, optional]> ")]
    assert "DfE Inclusion Audit Framework" in opening
    for tier in ("Establishing Foundations", "Strengthening Practice", "Sustaining Excellence"):
        assert tier in opening
    assert "honest" in opening
    assert "pupils' names" in opening


def test_every_wait_for_input_prints_a_prompt_line_naming_the_kind_expected(whole):
    _, output, _, _ = whole
    prompts = [line for line in output.splitlines() if line.endswith("> ")]
    kinds = {line[1 : line.index("]")] for line in prompts}
    assert {"reflection", "tier 1-3 or ?", "choice", "yes/no"} <= kinds
    assert all(line.startswith("[") and line.endswith("]> ") for line in prompts)
    assert len(prompts) == len(SCRIPT) + 1  # one per line read, and one met by the end of input


def test_the_opening_answers_are_kept(whole):
    _, _, session, _ = whole
    assert session.label == "Oakfield Primary, 2025-26"
    assert session.phase == "Primary"
    assert session.role == "SENCo"
    assert session.conversation.scope == [
        *(f"teaching-learning.{n}" for n in range(1, 6)),
        *(f"pupils-parents-carers.{n}" for n in range(1, 6)),
    ]


def test_all_ten_statements_are_reflected_on_with_their_tiers(whole):
    _, _, session, _ = whole
    tiers = {r.statement_id: (r.status, r.tier, r.not_sure) for r in session.statements}
    assert tiers == {
        "teaching-learning.1": ("done", "excellence", False),
        "teaching-learning.2": ("done", "foundations", False),
        "teaching-learning.3": ("done", "", True),
        "teaching-learning.4": ("done", "strengthening", False),
        "teaching-learning.5": ("done", "strengthening", False),
        "pupils-parents-carers.1": ("done", "strengthening", False),
        "pupils-parents-carers.2": ("done", "strengthening", False),
        "pupils-parents-carers.3": ("done", "strengthening", False),
        "pupils-parents-carers.4": ("done", "foundations", False),
        "pupils-parents-carers.5": ("done", "foundations", False),
    }
    for record in session.statements:
        assert record.statement_hash
        kinds = [a.kind for a in record.answers]
        assert kinds[0] == "working_well" and "evidence" in kinds, record.statement_id


def test_a_challenge_kept_and_a_challenge_changed_are_both_recorded(whole):
    _, output, session, _ = whole
    kept = session.record("teaching-learning.1").challenge
    assert kept is not None
    assert (kept.tier_before, kept.tier_after) == ("excellence", "excellence")
    assert kept.response.startswith("Our visits this term")
    assert "Sustaining Excellence descriptor says" in kept.question
    assert "“some”" in kept.question  # names the leader's own words
    changed = session.record("teaching-learning.5").challenge
    assert changed is not None
    assert (changed.tier_before, changed.tier_after) == ("excellence", "strengthening")
    assert changed.response == "Honestly the tracking is only beginning"
    assert output.count("Can I check one thing?") == 2


def test_not_sure_yet_is_followed_up_and_recorded(whole):
    _, _, session, _ = whole
    record = session.record("teaching-learning.3")
    assert record.not_sure and record.tier == ""
    (find_out,) = record.answers_of("find_out")
    assert find_out.text == "Sample homework across three subjects and talk to pupils"


def test_thin_answers_get_two_follow_ups_at_most_then_a_note(whole):
    _, _, session, _ = whole
    record = session.record("teaching-learning.3")
    impact = record.answers_of("impact")
    assert [a.text for a in impact] == ["Don't know yet"]  # the empty ones are not answers
    assert impact[0].thin
    assert any("left brief" in note for note in record.notes)
    first = session.record("pupils-parents-carers.1").answers_of("working_well")
    assert [a.text for a in first] == ["ok", "Our report was rewritten last year in plain English"]
    assert first[1].question_id.endswith(".follow-up-1")
    assert all(a.text.strip() for r in session.statements for a in r.answers)


def test_back_replaces_the_answer(whole):
    _, output, session, _ = whole
    answers = session.record("teaching-learning.2").answers_of("working_well")
    assert [a.text for a in answers] == [
        "Teachers receive pupil profiles before September and meet the SENCo"
    ]
    assert "I have undone your answer “Teachers get pupil passports at transition”." in output


def test_skip_then_jump_back_to_finish_the_statement(whole):
    _, output, session, _ = whole
    assert "Statement 4 is left as not reflected on for now" in output
    assert "Back to statement 4: Teaching & Learning 4" in output
    record = session.record("teaching-learning.4")
    assert record.status == "done"
    # carried on after the answer given before the skip: nothing asked twice, nothing lost
    assert [a.text for a in record.answers_of("working_well")] == [
        "Teaching assistants are briefed before lessons"
    ]
    assert "So far:\n- Working well: Teaching assistants are briefed before lessons" in output


def test_the_personal_data_reminder_quotes_the_match_once_and_the_retyped_answer_is_kept(whole):
    _, output, session, _ = whole
    assert output.count("A gentle reminder") == 1
    assert '"jo.bloggs@example.com"' in output
    assert session.conversation.privacy_reminded
    everything = [a.text for r in session.statements for a in r.answers]
    assert not any("jo.bloggs" in text for text in everything)
    evidence = session.record("teaching-learning.4").answers_of("evidence")
    assert [a.text for a in evidence] == [
        "Lesson visits show scaffolding rather than simplified tasks"
    ]


def test_next_steps_with_who_and_by_when_as_the_leader_said_them(whole):
    _, _, session, _ = whole
    steps = [(s.what, s.who, s.by_when) for s in session.record("teaching-learning.2").next_steps]
    assert steps == [
        ("Make profiles part of every planning meeting", "SENCo", "end of spring term"),
        ("Check profiles in book looks", "Phase leaders", "September"),
    ]
    (open_ended,) = session.record("pupils-parents-carers.3").next_steps
    assert (open_ended.who, open_ended.by_when) == ("", "")
    assert session.record("teaching-learning.1").next_steps[0].by_when == "by Easter"


def test_case_studies_are_suggested_with_reasons_and_the_chosen_ones_saved(whole):
    _, _, session, _ = whole
    for record in session.statements:
        assert 1 <= len(record.case_studies) <= 2, record.statement_id
        assert all(note.reason for note in record.case_studies)
        area = record.statement_id.split(".")[0]
        assert all(note.case_study_id.startswith(area + ".") for note in record.case_studies)
    saved = {r.statement_id: [n.saved for n in r.case_studies] for r in session.statements}
    assert saved["teaching-learning.1"] == [True, False]
    assert saved["teaching-learning.3"] == [True, True]
    assert saved["teaching-learning.4"] == [False, True]
    assert saved["teaching-learning.2"] == [False, False]


def test_area_wrap_ups_and_the_summary(whole):
    _, output, session, _ = whole
    priorities = {a.area_id: a.top_priority for a in session.areas}
    assert priorities == {
        "teaching-learning": "Consistent adaptive teaching in every class",
        "pupils-parents-carers": "Consistent use of pupil voice across both areas",
    }
    assert output.count("That completes") == 2
    # a three-way tie: said as it is, and no area descriptor quoted for a tier picked by a rule
    assert (
        "No single tier is most common: Establishing Foundations, Strengthening Practice and "
        "Sustaining Excellence were each chosen once."
    ) in output
    assert "Overall, teaching and learning for pupils with SEND is emerging." not in output
    summary = output[output.index("Here is your session summary.") :]
    assert "Not sure yet" in summary
    assert "Next steps recorded: 11." in summary
    assert "Would you like to export a reflection summary?" in summary


def test_commands_mid_conversation_do_not_disturb_the_answers(whole):
    _, output, session, _ = whole
    assert "The framework's three tiers and what each means:" in output
    # /summary and /tiers were typed where an answer was expected; neither became an answer
    texts = [a.text for r in session.statements for a in r.answers]
    assert "/summary" not in texts and "/tiers" not in texts


def test_the_transcript_holds_both_sides(whole):
    _, _, session, _ = whole
    roles = {turn.role for turn in session.transcript}
    assert roles == {"bot", "leader"}
    assert session.transcript[0].role == "bot"
    assert session.transcript[0].text.startswith("Hello")
    leader = [t.text for t in session.transcript if t.role == "leader"]
    assert "Teachers get pupil passports at transition" in leader  # undone, but it was said


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_session_file_is_private(whole):
    _, _, _, store = whole
    mode = stat.S_IMODE(os.stat(store.path_for("whole")).st_mode)
    assert mode == 0o600


def test_resume_carries_on_exactly_where_it_stopped(tmp_path, framework):
    cut = SCRIPT.index("Hard to say across subjects")
    code, output, store = run(tmp_path, framework, SCRIPT[:cut], session_name="half")
    assert code == 0
    assert "reflect-bot resume half" in output
    code, output, store = run(tmp_path, framework, SCRIPT[cut:], resume=True)
    assert code == 0
    assert output.count("Welcome back") == 1
    # the pending question is asked again, then the rest runs to the end
    assert "How consistent is this across classes and subjects?" in output
    session, _ = load_file(store.path_for("half"))
    assert session.conversation.state == "done"
    assert len([r for r in session.statements if r.status == "done"]) == 10
