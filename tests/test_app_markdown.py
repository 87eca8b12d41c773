"""The bot's simple Markdown (paragraphs and "- " lists) is laid out without rich's Markdown:
only text that Markdown itself reads as exactly that, and read the same way."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from textual.app import App
from textual.content import Content
from textual.widgets import Static

from reflect_bot.app.widgets.messages import Bulleted, bot_piece, markdown_blocks

PARSER = MarkdownIt().enable("strikethrough").enable("table")  # as rich's Markdown has it


def as_markdown_reads_it(text: str) -> list[str | list[str]] | None:
    """Paragraphs and tight bullet lists of one-paragraph items, as markdown-it parses `text`;
    None when it finds anything else (or inline markup)."""
    blocks: list[str | list[str]] = []
    tokens = PARSER.parse(text)
    in_list = False
    for token in tokens:
        kind = token.type
        if kind == "bullet_list_open":
            if token.markup != "-":
                return None
            in_list = True
            blocks.append([])
        elif kind == "bullet_list_close":
            in_list = False
        elif kind == "inline":
            children = token.children or []
            if any(child.type not in ("text", "softbreak", "hardbreak") for child in children):
                return None
            breaks = {"softbreak": " ", "hardbreak": "\n"}
            words = "".join(breaks.get(child.type, child.content) for child in children)
            if in_list:
                blocks[-1].append(words)  # type: ignore[union-attr]
            else:
                blocks.append(words)
        elif kind == "paragraph_open":
            if in_list and not token.hidden:
                return None  # a loose list
        elif kind not in ("list_item_open", "list_item_close", "paragraph_close"):
            return None
    return blocks


MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("ab -*_#>+=[]()!\\&;`~<|.1\t\n")) | st.characters(),
    max_size=60,
)


@settings(max_examples=3000, deadline=None)
@example("0\t ")
@given(MARKDOWNISH)
def test_simple_markdown_is_read_as_markdown_reads_it(text):
    blocks = markdown_blocks(text)
    if blocks is not None:
        assert blocks == as_markdown_reads_it(text)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "- one",
                "- two words",
                "plain",
                "",
                "more text",
                "  indented",
                "  - nested",
                "      code",
                " ",
            ]
        ),
        max_size=8,
    )
)
def test_lines_of_paragraphs_and_items_are_simple_when_markdown_agrees(lines):
    text = "\n".join(lines)
    expected = as_markdown_reads_it(text)
    blocks = markdown_blocks(text)
    if blocks is not None:
        assert blocks == expected


def test_a_top_priority_with_its_line_breaks_is_laid_out_without_rich_markdown():
    """The summary keeps a priority's line breaks as Markdown's backslash at a line's end,
    which sent every resumed long session through rich's Markdown (its import alone about
    50 ms on the first screen)."""
    text = (
        "Top priorities:\n"
        "- Teaching & Learning: Consistent adaptive teaching.\\\n"
        "  Second: close the loop with parents.\n"
        "- Pupils, Parents & Carers: Families in every review\n\n"
        "Next steps recorded: 2."
    )
    assert (
        markdown_blocks(text)
        == as_markdown_reads_it(text)
        == [
            "Top priorities:",
            [
                "Teaching & Learning: Consistent adaptive teaching.\nSecond: close the loop with "
                "parents.",
                "Pupils, Parents & Carers: Families in every review",
            ],
            "Next steps recorded: 2.",
        ]
    )
    assert isinstance(bot_piece(text).visual, Bulleted)


def test_what_the_bot_writes_is_laid_out_without_rich_markdown():
    text = (
        "What you have said for this statement so far:\n"
        "- What is working well: In Year 4 the class teacher plans with the SENCo; C:\\maps\n"
        "as planned [see the plan] & 72% agree\n"
        "- How you know: We looked at books."
    )
    assert markdown_blocks(text) == [
        "What you have said for this statement so far:",
        [
            "What is working well: In Year 4 the class teacher plans with the SENCo; "
            "C:\\maps as planned [see the plan] & 72% agree",
            "How you know: We looked at books.",
        ],
    ]
    assert isinstance(bot_piece(text).visual, Bulleted)


def test_punctuation_escaped_with_a_backslash_is_plain_text():
    """How the leader's words are quoted in the bot's Markdown: `\\[`, `\\*`, `\\-`..."""
    text = "So far:\n- Working well: We use \\[x\\] \\& \\*stars\\*\n\\- not a list C:\\\\maps"
    assert markdown_blocks(text) == [
        "So far:",
        ["Working well: We use [x] & *stars* - not a list C:\\maps"],
    ]
    assert markdown_blocks(text) == as_markdown_reads_it(text)


def test_other_markdown_still_goes_to_rich():
    for text in ("- **bold** item", "# Heading\n- item", "- item\n\n- loose", "- a\n  - nested"):
        assert markdown_blocks(text) is None
        assert not isinstance(bot_piece(text).visual, (Bulleted, Content))


async def test_bulleted_wraps_items_beside_their_bullet():
    class Show(App):
        def compose(self):
            yield Static(Bulleted(["Intro:", ["one two three four five six", "seven"]]))

    app = Show()
    async with app.run_test(size=(15, 8)) as pilot:
        await pilot.pause()
        static = app.query_one(Static)
        lines = [strip.text.rstrip() for strip in static.render_lines(static.region.reset_offset)]
        assert static.size.height == 6
    assert lines == ["Intro:", "", " • one two", "   three four", "   five six", " • seven"]
