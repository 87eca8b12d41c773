"""Exports: the reflection summary (Markdown, HTML) and the action plan (CSV).

Sessions are built with the Session model directly, as a finished and a partly done reflection.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from reflect_bot.export import ExportError, export, md_block, md_escape, render
from reflect_bot.framework import load_framework
from reflect_bot.locations import Settings
from reflect_bot.session import (
    Answer,
    CaseStudyNote,
    Challenge,
    NextStep,
    Session,
)

FRAMEWORK = load_framework(Settings.load().framework_dir)
WHEN = datetime(2026, 12, 3, 14, 5, 7, 123456, tzinfo=UTC)
STARTED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</textarea><script>alert(2)</script>",
    "[x](javascript:alert(1))",
    "![pic](https://example.org/track.png)",
    "# Heading",
    "a|b\n-|-\nc|d",
    "`code` and ```fenced```",
    "Setext\n===",
    "see https://example.org, www.example.org and a@example.org",
    "&lt;b&gt; entity &#60;",
    "    indented like code",
    "1. looks like a list\n- and a bullet",
    "> quoted *emphasis* _under_ ~~struck~~ $x$ \\ back\\slash",
]


def answer(kind: str, text: str, question: str = "", thin: bool = False) -> Answer:
    return Answer(
        question_id=f"q.{kind}",
        kind=kind,
        question=question or f"The question for {kind}?",
        text=text,
        at=WHEN,
        thin=thin,
    )


def new_session(**fields) -> Session:
    return Session(
        name="oakfield-autumn",
        framework_id=FRAMEWORK.id,
        framework_version=FRAMEWORK.version,
        created=STARTED,
        updated=WHEN,
        label="Oakfield Primary School",
        phase="Primary",
        role="SENCo",
        **fields,
    )


def complete_session() -> Session:
    """Every statement in both areas reflected on, with a tier, next steps and priorities."""
    session = new_session()
    session.conversation.scope = [s.id for s in FRAMEWORK.statements]
    session.conversation.state = "done"
    tiers = ["foundations", "strengthening", "excellence"]
    for index, statement in enumerate(FRAMEWORK.statements):
        record = session.record(statement.id)
        record.status = "done"
        record.statement_hash = statement.text_hash
        record.tier = tiers[index % 3]
        number = f"{statement.area_id} {statement.number}"
        record.answers = [
            answer("working_well", f"Strength for {number}: staff know pupils well."),
            answer("evidence", f"Evidence for {number}: lesson visits and pupil voice."),
            answer("consistency", f"Consistency for {number}: most classes."),
            answer("impact", f"Impact for {number}: better attendance."),
        ]
        if record.tier == "excellence":
            record.answers.append(answer("sustain_share", f"Sustain for {number}: share at hub."))
        else:
            record.answers.append(answer("next_tier", f"Priority for {number}: routine reviews."))
        record.next_steps = [
            NextStep(what=f"Step for {number}", who="SENCo", by_when="by Easter"),
        ]
    tl1 = session.record("teaching-learning.1")
    tl1.answers[0] = answer(
        "working_well",
        "Curriculum leads plan with the SENCo.\nAdaptive teaching in maths.\n\n"
        "Pupils say lessons feel “fair” — café, naïve, Zoë.",
    )
    tl1.next_steps.append(
        NextStep(what="Learning walk on “scaffolding”", who="Deputy head", by_when="March 2027")
    )
    tl1.case_studies = [
        CaseStudyNote(
            case_study_id="teaching-learning.think-explore-thrive",
            reason="Its curriculum pathways match your priority.",
            saved=True,
        ),
        CaseStudyNote(
            case_study_id="teaching-learning.independence-in-action",
            reason="It shows independence built into the curriculum.",
        ),
    ]
    tl2 = session.record("teaching-learning.2")
    tl2.challenge = Challenge(
        question="What would a visitor see that shows this?",
        tier_before="excellence",
        response="Our pupil passports are used in every lesson.",
        tier_after="strengthening",
        at=WHEN,
    )
    for area in FRAMEWORK.areas:
        session.area_record(area.id).top_priority = f"Top priority for {area.short_title}."
    return session


def partly_done_session() -> Session:
    """Three statements chosen in Teaching & Learning and two in the other area, part done."""
    session = new_session()
    session.conversation.scope = [
        "teaching-learning.1",
        "teaching-learning.3",
        "teaching-learning.5",
        "pupils-parents-carers.1",
        "pupils-parents-carers.2",
    ]
    session.conversation.state = "evidence"
    tl1 = session.record("teaching-learning.1")
    tl1.status = "done"
    tl1.tier = "strengthening"
    tl1.answers = [answer("working_well", "Planning with the SENCo.")]
    tl1.next_steps = [NextStep(what="Book look")]
    tl3 = session.record("teaching-learning.3")
    tl3.status = "done"
    tl3.not_sure = True
    tl3.answers = [
        answer("working_well", "Marking policy is clear."),
        answer("find_out", "Look at books with the maths lead."),
    ]
    session.record("teaching-learning.5").status = "skipped"
    ppc1 = session.record("pupils-parents-carers.1")
    ppc1.status = "in_progress"
    ppc1.answers = [
        answer("working_well", "The report was rewritten in plain English."),
        answer("mystery_kind", "An answer of a kind the summary does not know.", "Anything else?"),
    ]
    return session


# --- Helpers ------------------------------------------------------------------------------------


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def parse_html(text: str) -> Collect:
    parser = Collect()
    parser.feed(text)
    parser.close()
    return parser


def markdown_to_html(text: str) -> str:
    """Markdown as a GitHub-like renderer shows it: raw HTML, tables and linkify on."""
    md = MarkdownIt("gfm-like", {"linkify": True, "html": True})
    return md.render(text)


def assert_links_show_their_address(html: str) -> None:
    """The only links are a bare web or email address the leader typed, made clickable by a
    linkifying viewer: each shows exactly where it goes (no link text hiding another address,
    no javascript:)."""
    for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', html, flags=re.S):
        assert href in (text, f"http://{text}", f"https://{text}", f"mailto:{text}"), (href, text)
        assert href.startswith(("http://", "https://", "mailto:")), href
    assert html.count("<a ") == len(re.findall(r'<a href="[^"]*">', html))


def words_of(html: str) -> str:
    return " ".join("".join(parse_html(html).text).split())


# --- Contents -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_complete_session_summary_has_every_part(fmt):
    session = complete_session()
    text = render(session, FRAMEWORK, fmt)
    plain = text if fmt == "md" else words_of(text)
    if fmt == "md":
        plain = words_of(markdown_to_html(text))
    for expected in [
        "Inclusion reflection summary",
        "Oakfield Primary School",
        "3 December 2026",
        "started 28 November 2026",
        f"{FRAMEWORK.display_title}, text version "
        f"{FRAMEWORK.version.removeprefix(FRAMEWORK.edition + '-')}",
        "Quality of Teaching & Learning for Pupils with SEND: statements 1 to 5",
        "10 of 10 statements reflected on",
        "At a glance",
        "Top priorities",
        "Strength for teaching-learning 3: staff know pupils well.",
        "Evidence for pupils-parents-carers 4: lesson visits and pupil voice.",
        "Consistency for teaching-learning 4: most classes.",
        "Impact for teaching-learning 4: better attendance.",
        "Priority for teaching-learning 1: routine reviews.",
        "Sustain for teaching-learning 3: share at hub.",
        "Step for pupils-parents-carers 5",
        "Learning walk on “scaffolding”",
        "Deputy head",
        "March 2027",
        "Think, Explore & Thrive",
        "Its curriculum pathways match your priority.",
        "Independence in Action",
        "What would a visitor see that shows this?",
        "Our pupil passports are used in every lesson.",
        "Changed from Sustaining Excellence to Strengthening Practice.",
        "Top priority for Teaching & Learning.",
        "Top priority for Pupils, Parents & Carers.",
        "café, naïve, Zoë",
    ]:
        assert expected in plain, expected
    assert "Not finished yet" not in plain
    assert "Not yet reflected on" not in plain
    # Every statement's text, and each chosen tier's descriptor, quoted exactly.
    for statement in FRAMEWORK.statements:
        assert " ".join(statement.text.split()) in plain
        tier_id = session.find_record(statement.id).tier
        descriptor = statement.descriptors[tier_id]
        if descriptor is not None:
            assert descriptor in plain, (statement.id, tier_id)
    # Teaching & Learning 5 has no specific descriptor at Sustaining Excellence.
    assert session.find_record("teaching-learning.3").tier == "excellence"
    tl5 = session.find_record("teaching-learning.5")
    tl5.tier = "excellence"
    again = render(session, FRAMEWORK, fmt)
    again_plain = words_of(markdown_to_html(again) if fmt == "md" else again)
    assert (
        "The framework gives no specific descriptor for this statement at Sustaining Excellence"
        in again_plain
    )
    assert FRAMEWORK.area("teaching-learning").overall["excellence"] in again_plain


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_partly_done_session_says_what_is_not_done(fmt):
    text = render(partly_done_session(), FRAMEWORK, fmt)
    plain = words_of(markdown_to_html(text) if fmt == "md" else text)
    assert "Not finished yet" in plain
    assert "2 of 5 statements reflected on" in plain
    assert "1 statement not yet reflected on" in plain
    assert "1 statement still in progress" in plain
    assert "1 statement skipped" in plain
    assert "1 statement marked not sure yet" in plain
    assert "Not yet reflected on" in plain
    assert "Co-production with parents and carers" in plain
    assert "Skipped" in plain and "Interventions" in plain
    assert "Not sure yet" in plain
    assert "what would settle it" in plain
    assert "Look at books with the maths lead." in plain
    assert "Reflection in progress: not finished yet." in plain
    assert "Not chosen yet." in plain  # no top priority yet
    # An answer of a kind the summary does not know shows with its question.
    assert "Other notes" in plain
    assert "Anything else?" in plain
    assert "An answer of a kind the summary does not know." in plain
    # Only the statements in scope appear.
    assert "Teachers and teaching assistants" not in plain


def test_the_profile_says_each_tier_in_words():
    session = partly_done_session()
    md = render(session, FRAMEWORK, "md")
    rows = [line for line in md.splitlines() if line.startswith("| ")][1:]
    assert [row.rsplit("|", 2)[-2].strip() for row in rows] == [
        "Strengthening Practice",
        "Not sure yet",
        "Skipped",
        "In progress: no tier chosen yet",
        "Not yet reflected on",
    ]
    html = render(session, FRAMEWORK, "html")
    svg = html[html.index("<svg") : html.index("</svg>")]
    for words in ["Establishing", "Foundations", "Strengthening", "Sustaining", "Not sure yet"]:
        assert words in svg


def test_a_new_session_lists_every_statement_as_not_yet_reflected_on():
    text = words_of(render(new_session(), FRAMEWORK, "html"))
    assert "Not chosen yet; every statement is listed." in text
    assert "0 of 10 statements reflected on" in text
    assert "10 statements not yet reflected on" in text


def test_top_priorities_list_each_area_once():
    """The section lists the areas' top priorities only; what would move a statement on stays
    under the statement."""
    md = render(complete_session(), FRAMEWORK, "md")
    section = md.split("## Top priorities", 1)[1].split("\n## ", 1)[0]
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert items == [
        "- **Teaching & Learning:** Top priority for Teaching & Learning.",
        "- **Pupils, Parents & Carers:** Top priority for Pupils, Parents & Carers.",
    ]
    assert "routine reviews" not in section and "share at hub" not in section


def test_nothing_shows_in_raw_internal_form():
    for session in (complete_session(), partly_done_session()):
        for fmt in ("md", "html"):
            text = render(session, FRAMEWORK, fmt)
            for statement in FRAMEWORK.statements:
                assert statement.id not in text
            for raw in ("not_started", "in_progress", "working_well", "next_tier", "find_out"):
                assert raw not in text
            assert "mystery_kind" not in text
            assert not re.search(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text)
            assert "123456" not in text
            assert "think-explore-thrive" not in text


def test_the_same_session_always_gives_the_same_export():
    for fmt in ("md", "html", "csv"):
        first = render(complete_session(), FRAMEWORK, fmt)
        assert render(complete_session(), FRAMEWORK, fmt) == first
        session = complete_session()
        session.transcript = []
        assert render(session, FRAMEWORK, fmt) == first


def test_rendering_does_not_change_the_session():
    session = partly_done_session()
    before = session.model_dump_json()
    for fmt in ("md", "html", "csv"):
        render(session, FRAMEWORK, fmt)
    assert session.model_dump_json() == before


# --- HTML ---------------------------------------------------------------------------------------


def hostile_session() -> Session:
    session = partly_done_session()
    session.label = "<b>School</b> & “Co”"
    record = session.record("teaching-learning.1")
    record.answers = [answer("working_well", text) for text in HOSTILE]
    record.answers.append(answer("evidence", "\n\n".join(HOSTILE)))
    record.next_steps = [NextStep(what=text, who=text, by_when=text) for text in HOSTILE]
    session.area_record("teaching-learning").top_priority = "# Heading\n<script>x</script>"
    return session


def test_html_is_self_contained_and_inert():
    for session in (complete_session(), partly_done_session(), hostile_session()):
        html = render(session, FRAMEWORK, "html")
        parsed = parse_html(html)
        tags = [tag for tag, _ in parsed.tags]
        assert "script" not in tags
        assert not {"img", "iframe", "object", "embed", "link", "textarea", "base"} & set(tags)
        for tag, attrs in parsed.tags:
            for name, value in attrs:
                assert not name.startswith("on"), (tag, name)
                assert name not in ("src", "srcset", "action", "formaction", "background")
                if name in ("href", "xlink:href"):
                    assert value and value.startswith("#"), value
        style = "".join(parsed.styles)
        assert "url(" not in style and "@import" not in style
        if session.label == "Oakfield Primary School":  # no web address typed by the leader
            assert "http" not in html.replace("http-equiv", "")
        assert "@page" in style and "size: A4" in style
        assert "break-before: page" in style
        assert "break-inside: avoid" in style


def test_html_escapes_what_the_leader_wrote_and_keeps_it_whole():
    html = render(hostile_session(), FRAMEWORK, "html")
    assert "<img" not in html and "</textarea>" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    parsed = parse_html(html)
    text = "".join(parsed.text)
    for hostile in HOSTILE:
        assert hostile in text, hostile
    assert "\n\n".join(HOSTILE) in text  # paragraphs and line breaks as written
    assert "<b>School</b> & “Co”" in text


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_escapes_what_the_leader_wrote():
    md = render(hostile_session(), FRAMEWORK, "md")
    html = markdown_to_html(md)
    parsed = parse_html(html)
    tags = [tag for tag, _ in parsed.tags]
    for forbidden in ("img", "script", "textarea", "code", "pre", "del", "s"):
        assert forbidden not in tags, forbidden
    emphasised = re.findall(r"<(?:em|strong)>(.*?)</(?:em|strong)>", html, flags=re.S)
    assert not any(word in e for e in emphasised for word in ("emphasis", "under", "struck"))
    assert_links_show_their_address(html)
    # The only table is the profile; the only headings are the summary's own.
    assert tags.count("table") == 1
    headings = ["".join(h) for h in re.findall(r"<h[1-6]>(.*?)</h[1-6]>", html, flags=re.S)]
    assert not any("Heading" in h or "Setext" in h for h in headings)
    for _tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name, _ in attrs)
    text = " ".join("".join(parsed.text).split())
    for hostile in HOSTILE:
        assert " ".join(hostile.split()) in text, hostile


@pytest.mark.parametrize("hostile", HOSTILE)
def test_each_hostile_text_is_inert_in_markdown(hostile):
    html = markdown_to_html("Before\n\n" + md_block(hostile) + "\n\nAfter " + md_escape(hostile))
    tags = [tag for tag, _ in parse_html(html).tags]
    assert set(tags) <= {"p", "br", "a"}, tags
    assert_links_show_their_address(html)
    words = words_of(html)
    assert words.count(" ".join(hostile.split())) == 2


def test_markdown_keeps_line_breaks_and_paragraphs():
    text = "Line one\nLine two\r\n\r\n\n  Paragraph two\n"
    html = markdown_to_html(md_block(text))
    assert html == "<p>Line one<br />\nLine two</p>\n<p>Paragraph two</p>\n"
    html = markdown_to_html("- item: " + md_block(text, indent=2))
    assert "<li>\n<p>item: Line one<br />\nLine two</p>\n<p>Paragraph two</p>\n</li>" in html


def test_markdown_quotes_the_framework_exactly():
    session = complete_session()
    html = markdown_to_html(render(session, FRAMEWORK, "md"))
    quotes = [words_of(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)]
    statement = FRAMEWORK.statement("teaching-learning.4")
    assert any(q.startswith(statement.text) for q in quotes)
    descriptor = statement.descriptors[session.find_record(statement.id).tier]
    assert descriptor in quotes


# --- CSV ----------------------------------------------------------------------------------------

HEADER = [
    "Area",
    "Statement",
    "Statement id",
    "Statement text",
    "Action",
    "Owner",
    "By when",
    "Tier now",
    "Tier aimed for",
]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_action_plan_has_a_row_per_next_step():
    rows = read_csv(render(complete_session(), FRAMEWORK, "csv"))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 11
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first == {
        "Area": "Quality of Teaching & Learning for Pupils with SEND",
        "Statement": "1. Partnerships and an ambitious curriculum",
        "Statement id": "teaching-learning.1",
        "Statement text": FRAMEWORK.statement("teaching-learning.1").text,
        "Action": "Step for teaching-learning 1",
        "Owner": "SENCo",
        "By when": "by Easter",
        "Tier now": "Establishing Foundations",
        "Tier aimed for": "Strengthening Practice",
    }
    second = dict(zip(HEADER, rows[2], strict=True))
    assert second["Action"] == "Learning walk on “scaffolding”"
    top = [dict(zip(HEADER, r, strict=True)) for r in rows[1:] if r[2] == "teaching-learning.3"]
    assert top[0]["Tier now"] == "Sustaining Excellence"
    assert top[0]["Tier aimed for"] == "Sustaining Excellence (sustain and share)"


def test_csv_round_trips_hostile_text():
    session = hostile_session()
    rows = read_csv(render(session, FRAMEWORK, "csv"))
    actions = [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]
    steps = session.find_record("teaching-learning.1").next_steps
    assert [a["Action"] for a in actions if a["Statement id"] == "teaching-learning.1"] == [
        s.what for s in steps
    ]
    assert [a["Owner"] for a in actions[: len(steps)]] == [s.who for s in steps]
    assert all(len(r) == len(HEADER) for r in rows)


def test_csv_cells_a_spreadsheet_would_run_are_made_inert():
    session = partly_done_session()
    session.record("teaching-learning.1").next_steps = [
        NextStep(what='=HYPERLINK("http://x")', who="+1", by_when="-2"),
        NextStep(what="@SUM(A1)", who="ok", by_when="fine"),
    ]
    rows = read_csv(render(session, FRAMEWORK, "csv"))
    assert rows[1][4:7] == ['\'=HYPERLINK("http://x")', "'+1", "'-2"]
    assert rows[2][4] == "'@SUM(A1)"


# --- Writing files ------------------------------------------------------------------------------


def test_export_writes_new_private_files_and_never_overwrites(tmp_path):
    session = complete_session()
    exports = tmp_path / "exports"
    first = export(session, FRAMEWORK, "html", exports_dir=exports)
    second = export(session, FRAMEWORK, "html", exports_dir=exports)
    assert first == exports / "oakfield-autumn-summary.html"
    assert second == exports / "oakfield-autumn-summary-2.html"
    assert first.read_text(encoding="utf-8") == render(session, FRAMEWORK, "html")
    for path in (first, second):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(exports.stat().st_mode) == 0o700
    md = export(session, FRAMEWORK, "md", exports_dir=exports)
    assert md.name == "oakfield-autumn-summary.md"


def test_csv_file_starts_with_a_byte_order_mark(tmp_path):
    path = export(complete_session(), FRAMEWORK, "csv", exports_dir=tmp_path)
    assert path.name == "oakfield-autumn-action-plan.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == HEADER
    assert rows[2][4] == "Learning walk on “scaffolding”"


def test_export_to_a_chosen_path(tmp_path):
    session = partly_done_session()
    target = tmp_path / "for-governors.md"
    assert export(session, FRAMEWORK, "md", path=target) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(ExportError, match="already exists"):
        export(session, FRAMEWORK, "md", path=target)
    assert target.read_text(encoding="utf-8") == render(session, FRAMEWORK, "md")
    # A folder: a new file inside it.
    inside = export(session, FRAMEWORK, "csv", path=tmp_path)
    assert inside.parent == tmp_path
    with pytest.raises(ExportError, match="does not exist"):
        export(session, FRAMEWORK, "md", path=tmp_path / "missing" / "x.md")


def test_export_file_names_stay_inside_the_folder(tmp_path):
    session = complete_session()
    session.name = "../../etc/passwd ✓"
    path = export(session, FRAMEWORK, "md", exports_dir=tmp_path / "exports")
    assert path.parent == tmp_path / "exports"


def test_unknown_format_is_a_clear_error():
    with pytest.raises(ExportError, match="use md, html or csv"):
        render(complete_session(), FRAMEWORK, "pdf")
    assert render(complete_session(), FRAMEWORK, "Markdown") == render(
        complete_session(), FRAMEWORK, "md"
    )
