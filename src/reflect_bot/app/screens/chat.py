"""The reflection chat: transcript, answer box, progress sidebar and a status line.

The screen sends what the leader writes to the engine and shows what comes back; the engine
alone decides what the bot says. The session is saved after every step.
"""

from __future__ import annotations

import gc
from time import monotonic
from typing import TYPE_CHECKING, cast

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.text_area import Selection

from reflect_bot.app.names import find_statement, statement_label
from reflect_bot.app.screens.start import NewReflection
from reflect_bot.app.widgets.answer_box import AnswerBox
from reflect_bot.app.widgets.cards import card_piece, profile_piece
from reflect_bot.app.widgets.footer import SteadyFooter
from reflect_bot.app.widgets.messages import (
    Framed,
    Message,
    Piece,
    leader_piece,
    messages_for,
    quote_piece,
    tone_piece,
)
from reflect_bot.app.widgets.progress import ProgressSidebar
from reflect_bot.app.widgets.transcript import Transcript
from reflect_bot.errors import UserError
from reflect_bot.framework import Framework
from reflect_bot.replies import (
    Action,
    Ask,
    CaseStudyCard,
    Profile,
    Quote,
    Reply,
    Saved,
    Say,
    TierComparison,
)
from reflect_bot.session import Session, Turn, now

if TYPE_CHECKING:
    from textual.timer import Timer

    from reflect_bot.app.app import ReflectApp

LEFT_BLANK = "(left blank)"
COMPARE_NOTE = "Press Ctrl+T to compare the tiers."
NO_STATEMENT = (
    "No statement is open to compare: Ctrl+G goes to one. F1 shows what the three tiers mean."
)

# Where the conversation stands, in words, for the status line.
STEP_WORDS = {
    "label": "about your school",
    "phase": "about your school",
    "role": "about you",
    "scope": "choosing what to reflect on",
    "scope_statements": "choosing what to reflect on",
    "working_well": "what is working well",
    "evidence": "how you know",
    "consistency": "consistency",
    "impact": "impact on pupils",
    "tier": "choosing the best fit",
    "find_out": "what would settle it",
    "challenge": "a second look",
    "challenge_decision": "keep or change",
    "next_tier": "the next tier",
    "sustain_share": "sustaining and sharing",
    "next_what": "next steps",
    "next_who": "next steps",
    "next_when": "next steps",
    "next_more": "next steps",
    "case_studies": "case studies",
    "top_priority": "the area's top priority",
    "export": "export",
    "done": "finished",
    "privacy": "a privacy check",
}


def keeps_earlier(ask: Ask | None) -> bool:
    """Revising a finished statement: Enter on an empty box keeps the earlier answer here."""
    return ask is not None and ask.keeps


def earlier_choice(comparison: TierComparison) -> str:
    """The tier chosen before, in words ("not sure yet" when none was)."""
    chosen = [column.tier_name for column in comparison.columns if column.chosen]
    return chosen[0] if chosen else "not sure yet"


def ask_hint(ask: Ask | None) -> Content:
    """One or two lines above the answer box: what to type now, and how."""
    keys = "Enter sends · Ctrl+J new line"
    if ask is None:
        return Content(keys)
    if keeps_earlier(ask):
        keys = "Enter on an empty box keeps your earlier answer · Ctrl+J new line"
    if ask.kind == "tier":
        keep = " · Enter keeps your earlier choice" if keeps_earlier(ask) else ""
        return Content.assemble(
            Content.styled("Best fit: ", "bold"),
            f"type 1, 2 or 3, or ? for not sure yet{keep} · Ctrl+T compares the tiers",
        )
    if ask.options:  # the bot's question says what each means; the hint just lists the keys
        options = ", ".join(key for key, _ in ask.options)
        return Content.assemble(Content.styled("Type one of: ", "bold"), f"{options} · {keys}")
    if ask.kind == "yes/no":
        return Content.assemble(Content.styled("Type: ", "bold"), "yes or no · " + keys)
    if ask.kind == "done":
        return Content.assemble(
            Content.styled("Finished. ", "bold"),
            "Ctrl+R summary and export · /go N to revisit a statement",
        )
    if "optional" in ask.prompt:
        from reflect_bot.dialogue import KEEP_PROMPT

        what = ask.prompt.removesuffix(f", {KEEP_PROMPT}").capitalize()
        if keeps_earlier(ask):  # (keys says so)
            return Content.assemble(Content.styled(what, "bold"), f": {keys}")
        return Content.assemble(
            Content.styled(what, "bold"), f": Enter on an empty box leaves it · {keys}"
        )
    return Content(f"{keys} · /help lists commands")


def comparison_piece(comparison: TierComparison) -> Piece:
    """In the transcript: the three descriptors in brief (the same words the saved transcript
    keeps), under a line saying how to compare them again."""
    from reflect_bot.dialogue import reply_text

    return Piece(
        Content.assemble(
            Content.styled("The three tiers for this statement", "bold"),
            Content.styled(" (Ctrl+T compares them again)", "italic"),
            "\n",
            Content(reply_text(comparison)),
        ),
        "quote",
    )


def _wants_retype(text: str) -> bool:
    """Whether a reply to the privacy reminder chooses to retype the answer."""
    from reflect_bot.dialogue import privacy_choice

    return privacy_choice(text) == "retype"


def _location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) in the answer box of a character offset in `text`."""
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)


class ChatScreen(Screen[None]):
    # The chat's and the tier comparison's rules: read only once a reflection is open, so the
    # start screen has less to parse.
    CSS_PATH = "../chat.tcss"
    BINDINGS = [
        Binding("ctrl+t", "tiers", "Tiers", id="chat.tiers"),
        Binding("ctrl+o", "cases", "Case studies", id="chat.cases", show=False),
        Binding("ctrl+r", "summary", "Summary", id="chat.summary"),
        Binding("ctrl+l", "toggle_sidebar", "Progress", id="chat.sidebar"),
        Binding("ctrl+g", "goto", "Go to", id="chat.goto", show=False),
        Binding(
            "pageup",
            "scroll_transcript(-1)",
            "Scroll up",
            id="chat.page_up",
            show=False,
            priority=True,
        ),
        Binding(
            "pagedown",
            "scroll_transcript(1)",
            "Scroll down",
            id="chat.page_down",
            show=False,
            priority=True,
        ),
        Binding("escape", "close_sidebar", "Close list", id="chat.close_sidebar"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    # Very short terminals: a smaller answer box and no status or hint lines, so the
    # conversation keeps a few lines.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (18, "-tall")]
    # The comparison opens by itself only after this long without a key (seconds), so words
    # typed ahead never land in it as a choice.
    TYPING_PAUSE = 0.7
    AUTO_FOCUS = "#answer"

    def __init__(
        self,
        session: Session,
        framework: Framework,
        opening: NewReflection | None = None,
        replies: tuple[int, list[Reply]] | None = None,
    ) -> None:
        """`replies`: what the engine said on starting (and the transcript index it starts at),
        when the app has already started it; otherwise the screen starts the engine itself."""
        super().__init__()
        self.session = session
        self.framework = framework
        self.opening = opening
        self._start_replies = replies
        self._draft = session.conversation.draft  # what is in the answer box, not yet sent
        self._draft_timer: Timer | None = None
        self._retyping = False  # an answer with personal details is back in the box to edit
        self.ask: Ask | None = None
        self.last_comparison: TierComparison | None = None
        self.last_cards: tuple[CaseStudyCard, ...] = ()
        self.saved = True  # whether the last save worked
        self._comparison_timer: Timer | None = None
        self._asked_for_comparison = False  # Ctrl+T or /tiers: open it at once
        self._note = ""  # the note above the answer box
        self._tiers_view: str | None = None  # the name the tier comparison is installed under
        self._gc_threshold: tuple[int, int, int] | None = None  # the collector's, before the chat
        self._box = AnswerBox(id="answer", placeholder="Write here…")
        self._fit_breakpoints()

    def _fit_breakpoints(self) -> None:
        """The width and height classes Textual gives on the first resize, given now: the screen
        is styled once with them, rather than styled, laid out, restyled and laid out again."""
        width, height = self.app.size
        for breakpoints, size in (
            (self.HORIZONTAL_BREAKPOINTS, width),
            (self.VERTICAL_BREAKPOINTS, height),
        ):
            fits = [name for edge, name in breakpoints if size >= edge]
            for _, name in breakpoints:
                self.set_class(name == fits[-1], name, update=False)

    # --- layout ---------------------------------------------------------------------------------

    def compose(self):
        yield Header(show_clock=False, icon="")
        with Horizontal(id="main"):
            yield ProgressSidebar(self.framework, id="sidebar")
            with Vertical(id="conversation"):
                yield Static(id="status")
                yield Static(id="save-error")
                yield self._opening_transcript()
                yield Static(id="ask-hint")
                yield Static(id="box-note")
                yield self._box
        yield SteadyFooter(compact=True)  # not rebuilt as views open over the chat and close

    @property
    def reflect(self) -> ReflectApp:
        return cast("ReflectApp", self.app)

    @property
    def answer_box(self) -> AnswerBox:
        return self._box

    @property
    def transcript(self) -> Transcript:
        return self.query_one("#transcript", Transcript)

    def _opening_transcript(self) -> Transcript:
        """The transcript as the chat opens: the latest turns, then what the engine said on
        starting (already in the session's transcript), built with the screen rather than
        mounted once it is there, so the screen is styled and laid out once."""
        if self._start_replies is None:
            start = len(self.session.transcript)
            self._start_replies = (start, self.reflect.engine.start(self.session))
        start, replies = self._start_replies
        transcript = Transcript(lambda: self.session.transcript, id="transcript")
        transcript.open_with(start, self._step_messages("", replies))
        return transcript

    async def on_mount(self) -> None:
        # Drawn once, when the transcript's messages are all mounted.
        with self.app.batch_update():
            self._open()
            await self.transcript.settled()
        self.answer_box.focus()
        # What is loaded by now (framework, session, screen) lives as long as the chat: moved out
        # of the cyclic collector's way, so its full passes do not stall a reply for 100 ms; and
        # full passes come ten times less often (each frame makes many short-lived objects).
        gc.freeze()
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(*self._gc_threshold[:2], 100)

    def _open(self) -> None:
        self.fit_title()
        self.query_one("#save-error").display = False
        self.query_one("#box-note").display = False
        if self.opening is not None:
            values = {
                "label": self.opening.label,
                "phase": self.opening.phase,
                "role": self.opening.role,
            }
            for state, value in values.items():
                if self.session.conversation.state != state:
                    break
                self.send(value, refresh=False)
        if self._draft:  # words typed but not sent last time
            self.answer_box.load_text(self._draft)
            self.answer_box.move_cursor(self.answer_box.document.end)
        # On resuming nothing is new to save (the welcome back is shown, never saved), so
        # writing a long session does not hold up the first screen.
        self._after_step([], save=self.opening is not None)

    def fit_title(self) -> None:
        """The label and the framework's name in the header, the name shortened (or left out)
        when the terminal is too narrow for both."""
        title = self.session.label or "reflect-bot"
        room = self.size.width - 16  # the header keeps some space either side
        for sub_title in (self.framework.display_title, "Inclusion Audit Framework", ""):
            if len(title) + 3 + len(sub_title) <= room:
                break
        self.title, self.sub_title = title, sub_title

    def on_resize(self) -> None:
        self.fit_title()
        # Whether Escape closes the list depends on the width; and a list the width hides
        # leaves the answer box with the focus.
        if self.query_one(ProgressSidebar).has_focus and not self._sidebar_shown():
            self.answer_box.focus()
        self.refresh_bindings()

    # --- the unsent draft -------------------------------------------------------------------------

    DRAFT_PAUSE = 2.0  # seconds of no typing before the draft is saved

    def keep_draft(self) -> None:
        """Put the answer box's unsent text in the session (the app saves it). The box is read
        directly: its last change may not have been handled yet."""
        self._draft = self._stored(self._box.text)
        self.session.conversation.draft = self._draft

    def _stored(self, text: str) -> str:
        """What of the box is kept as the draft: while the leader retypes an answer the personal
        details they chose to take out are left out of the file, as they are of the rest."""
        if not self._retyping:
            return text
        from reflect_bot.dialogue import REMOVED
        from reflect_bot.privacy import replace_personal_data

        return replace_personal_data(text, REMOVED)

    @on(AnswerBox.Changed, "#answer")
    def _draft_changed(self, event: AnswerBox.Changed) -> None:
        self._draft = self._stored(event.text_area.text)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.DRAFT_PAUSE, self._save_draft)

    def _save_draft(self) -> None:
        self._draft_timer = None
        if self.reflect.session is self.session and self.session.conversation.draft != self._draft:
            self.reflect.save_session()

    # --- sending and showing --------------------------------------------------------------------

    def send(self, text: str, *, refresh: bool = True) -> bool:
        """Give the engine one input; show its replies; save. False when the engine failed."""
        engine = self.reflect.engine
        start = len(self.session.transcript)
        conversation = self.session.conversation
        state_before = conversation.state
        retype = ""  # the answer the privacy reminder held back, when the leader will retype it
        if conversation.state == "privacy" and _wants_retype(text):
            retype = conversation.pending.get("held", "")
        self._asked_for_comparison = text.strip().lower() == "/tiers"
        self.show_note("")
        # Left blank on purpose: said in the transcript, so a question never hangs unanswered.
        blank = (
            not text.strip()
            and self._optional(conversation.state)
            and not keeps_earlier(self.ask)  # Enter keeps what was said: the bot says so
        )
        conversation.draft = ""  # what was in the box is being sent
        self._retyping = False
        shown = self.session.transcript[self.transcript.first_index : start]
        try:
            replies = engine.step(self.session, text)
        except UserError as error:  # one line meant for the leader
            self.reflect.tell(f"{error} Nothing you typed is lost.", error=True)
            return False
        except Exception as error:  # the app must stay usable, and the answer stays in the box
            # (the details go to the log: an exception's text means nothing to a leader)
            self.log.error("engine step failed", repr(error))
            self.reflect.tell(
                "Something went wrong handling that. Nothing you typed is lost: it is back in "
                "the box. Try again, or type /back.",
                error=True,
            )
            return False
        if blank and conversation.state != state_before:
            self.session.transcript.insert(start, Turn(role="leader", text=LEFT_BLANK, at=now()))
            text = LEFT_BLANK
        if self.session.transcript[self.transcript.first_index : start] != shown:
            self.transcript.redraw(start)  # what is on screen no longer shows what was removed
        self._show_step(start, text, replies)
        if retype and self.session.conversation.state != "privacy":
            self._put_back(retype)
        if refresh:
            self._after_step(replies)
        return True

    def _put_back(self, held: str) -> None:
        """The held answer back in the box to edit, its first piece of personal data selected,
        and a note above the box saying what to do."""
        from reflect_bot.privacy import find_personal_data

        box = self.answer_box
        self._retyping = True
        typed = box.text  # anything typed ahead stays, after the answer
        box.load_text(held + (f"\n\n{typed}" if typed.strip() else ""))
        found = find_personal_data(held)
        if found:
            first = found[0]
            start = first.start if first.end > first.start else max(held.find(first.text), 0)
            end = start + len(first.text)
            box.selection = Selection(_location(held, start), _location(held, end))
        else:
            box.move_cursor(box.document.end)
        # One line at 80 columns; the first personal detail is selected, so typing replaces it.
        self.show_note(
            "Your answer is back in the box: edit out the personal details, then send it."
        )

    def show_note(self, text: str) -> None:
        """A one-line note just above the answer box, pointing at it; empty hides it."""
        self._note = text
        note = self.query_one("#box-note", Static)
        note.update(Content(f"↓ {text}"))
        note.display = bool(text)

    def _optional(self, state: str) -> bool:
        ask = self.ask if self.ask is not None else self.reflect.engine.expected(self.session)
        return state in ("label", "phase", "role") or "optional" in ask.prompt

    def _show_step(self, start: int, text: str, replies: list[Reply]) -> None:
        messages = self._step_messages(text, replies)
        if messages:
            self.transcript.add_step(start, messages)

    def _step_messages(self, text: str, replies: list[Reply]) -> list[Message | Framed]:
        """The leader's words and the bot's replies as transcript messages; notes the question
        asked, the last tier comparison and the case study cards shown."""
        messages: list[Message | Framed] = []
        if text.strip():
            messages += messages_for("leader", [leader_piece(text)])
        pieces: list[Piece] = []
        cards: list[CaseStudyCard] = []
        for reply in replies:
            if isinstance(reply, Say):
                pieces.append(tone_piece(reply.text, reply.tone))
            elif isinstance(reply, Quote):
                pieces.append(quote_piece(reply.text, reply.source))
            elif isinstance(reply, TierComparison):
                self.last_comparison = reply
                pieces.append(comparison_piece(reply))
            elif isinstance(reply, CaseStudyCard):
                cards.append(reply)
                pieces.append(card_piece(reply, len(cards)))
            elif isinstance(reply, Profile):
                pieces.append(profile_piece(reply))
            elif isinstance(reply, Ask):
                self.ask = reply
            elif isinstance(reply, Saved) and not reply.ok:
                pieces.append(tone_piece(f"Not saved: {reply.reason}", "warning"))
        if cards:
            self.last_cards = tuple(cards)
        return messages + messages_for("bot", pieces)

    def _after_step(self, replies: list[Reply], *, save: bool = True) -> None:
        # The reply is painted first and saved straight after: a long session takes tens of
        # milliseconds to write, and the leader should not wait for that to see the answer.
        if save:
            self.call_after_refresh(self._save)
        self.refresh_chrome()
        for reply in replies:
            if isinstance(reply, Action):
                self._act(reply)
        if any(isinstance(r, TierComparison) for r in replies) and self.last_comparison:
            if self._asked_for_comparison:
                self.action_tiers()
            else:
                self._offer_comparison()

    def _save(self) -> None:
        problem = self.reflect.save_session()
        self.saved = problem is None
        banner = self.query_one("#save-error", Static)
        banner.display = problem is not None
        if problem is not None:
            banner.update(
                Content.assemble(
                    Content.styled("Not saved: ", "bold"),
                    Content(problem),
                    Content(" What you sent is still on screen; type /save to try again."),
                )
            )

    # --- the comparison, opened by itself only when nobody is typing ----------------------------

    def _offer_comparison(self) -> None:
        """When the tier question comes: open the comparison once the leader has paused, and
        only with the answer box empty; otherwise leave typing in the box and say how to open
        it. Keys typed ahead must never choose a tier."""
        if self._comparison_timer is not None:
            self._comparison_timer.stop()
        if self.answer_box.text.strip():
            self._comparison_not_opened()
            return
        last_key = self.reflect.last_key_at
        wait = self.TYPING_PAUSE - (monotonic() - last_key)
        if wait <= 0:
            self.action_tiers()
            return
        self._comparison_timer = self.set_timer(wait, lambda: self._open_if_quiet(last_key))

    def _open_if_quiet(self, last_key: float) -> None:
        self._comparison_timer = None
        if self.ask is None or self.ask.kind != "tier" or self.app.screen is not self:
            return  # the conversation has moved on, or another view is open
        if self.reflect.last_key_at != last_key or self.answer_box.text.strip():
            self._comparison_not_opened()
        else:
            self.action_tiers()

    def _comparison_not_opened(self) -> None:
        self.show_note(COMPARE_NOTE)

    def _act(self, action: Action) -> None:
        if action.kind == "quit":
            self.app.call_later(self.app.action_quit)
        elif action.kind == "export":
            if action.argument:
                self.export(action.argument)
            else:
                self.action_summary()

    def export(self, fmt: str) -> None:
        message = self.reflect.export_session(fmt)
        note = messages_for("note", [Piece(Content(message))])
        self.transcript.add_step(len(self.session.transcript), note)
        from reflect_bot.privacy import EXPORT_WARNING_START

        self.reflect.tell(
            message,
            error=message.startswith("Could not"),
            warning=EXPORT_WARNING_START in message,  # personal details in it, to check
        )

    def refresh_chrome(self) -> None:
        """Status line, sidebar, the hint above the answer box."""
        engine = self.reflect.engine
        self.ask = engine.expected(self.session)
        self.fit_title()
        self.query_one("#status", Static).update(self._status())
        self.query_one("#ask-hint", Static).update(ask_hint(self.ask))
        self.query_one(ProgressSidebar).refresh_from(self.session)

    def _status(self) -> Content:
        conv = self.session.conversation
        parts: list[Content] = []
        sid = conv.statement_id
        statement = find_statement(self.framework, sid) if sid else None
        if statement is not None:
            parts.append(
                Content.assemble(
                    Content.styled(statement_label(self.framework, sid), "bold"),
                    Content(f": {statement.short}"),
                )
            )
        step = STEP_WORDS.get(conv.state, conv.state.replace("_", " "))
        parts.append(Content(step))
        scope = conv.scope
        if scope:
            done = sum(
                1 for s in scope if (r := self.session.find_record(s)) and r.status == "done"
            )
            parts.append(Content(f"{done} of {len(scope)} done"))
        parts.append(Content("saved") if self.saved else Content.styled("NOT SAVED", "bold"))
        return Content(" · ").join(parts)

    # --- events ---------------------------------------------------------------------------------

    async def send_now(self, text: str) -> bool:
        """`send`, with the reply drawn in one go: nothing is painted until every message it
        adds is mounted, so a reply costs one layout of the screen rather than several."""
        with self.app.batch_update():
            sent = self.send(text)
            await self.transcript.settled()
        return sent

    @on(AnswerBox.Sent)
    async def _sent(self, event: AnswerBox.Sent) -> None:
        if not await self.send_now(event.text):
            event.box.restore(event.text)

    @on(OptionList.OptionSelected, "#sidebar")
    async def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            await self.send_now(self._go_to(event.option.id))
        self._leave_sidebar()

    # --- actions --------------------------------------------------------------------------------

    def action_tiers(self) -> None:
        from reflect_bot.app.screens.tiers import TierScreen

        comparison = self.last_comparison
        current = self.session.conversation.statement_id
        if self._note == COMPARE_NOTE:
            self.show_note("")
        if not current:  # (typed, /tiers says what the tiers mean, in the conversation)
            self.notify(NO_STATEMENT, title="Compare the tiers")
            return
        if comparison is None or comparison.statement_id != current:
            self.send("/tiers")  # the engine answers with the comparison, which opens it
            return
        choosing = self.ask is not None and self.ask.kind == "tier"
        keeps = earlier_choice(comparison) if choosing and keeps_earlier(self.ask) else ""

        async def chosen(key: str | None) -> None:
            if key:
                await self.send_now(key)

        if isinstance(self.app.screen, TierScreen):
            return
        # Built once and kept: opening it again only redraws it (and rebuilds what changed).
        if self._tiers_view is None:
            self._tiers_view = f"tiers-{id(self)}"
            self.app.install_screen(
                TierScreen(comparison, self.framework, choosing, keeps), self._tiers_view
            )
        else:
            view = self.app.get_screen(self._tiers_view)
            cast("TierScreen", view).show(comparison, choosing, keeps)
        self.app.push_screen(self._tiers_view, chosen)

    def on_unmount(self) -> None:
        if self._gc_threshold is not None:  # as it was before the chat (and collectable again)
            gc.set_threshold(*self._gc_threshold)
            gc.unfreeze()
        name = self._tiers_view
        if name is not None and self.app.get_screen(name) not in self.app.screen_stack:
            self.app.uninstall_screen(name)  # (when the app closes with it open, it goes anyway)

    def action_cases(self) -> None:
        from reflect_bot.app.screens.cases import CaseStudiesScreen

        choosing = self.session.conversation.state == "case_studies" and bool(self.last_cards)
        # looking at them is a view, not part of the conversation: the engine gives the cards
        # alone, and the transcript is left as it is
        cards = self.last_cards if choosing else tuple(self.reflect.engine.case_cards(self.session))

        async def chosen(answer: str | None) -> None:
            if answer:
                await self.send_now(answer)

        self.app.push_screen(CaseStudiesScreen(cards, choosing), chosen)

    def action_summary(self) -> None:
        from reflect_bot.app.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.session, self.framework))

    def action_goto(self) -> None:
        from reflect_bot.app.widgets.progress import statement_state

        commands = []
        for area in self.framework.areas:
            for statement in area.statements:
                state = statement_state(self.session, self.framework, statement.id)
                commands.append(
                    (
                        f"{area.short_title} {statement.number}: {statement.short} ({state})",
                        lambda sid=statement.id: self.send(self._go_to(sid)),
                    )
                )
        self.app.search_commands(commands, placeholder="Go to statement…")

    def _go_to(self, statement_id: str) -> str:
        """The command that goes to a statement, as the leader would type it (by its number 1-10,
        not the id the program knows it by): it is shown in the conversation."""
        return f"/go {self.reflect.engine.statement_number(statement_id)}"

    def _sidebar_shown(self) -> bool:
        """From the classes chat.tcss shows it by (its style may not have caught up with them
        yet, just after a resize)."""
        if self.has_class("-narrow"):
            return self.has_class("-sidebar-open")
        return not self.has_class("-sidebar-closed")

    def _set_sidebar(self, show: bool) -> None:
        self.set_class(show, "-sidebar-open")
        self.set_class(not show, "-sidebar-closed")
        self.refresh_bindings()

    def action_toggle_sidebar(self) -> None:
        """Into the list (opening it when hidden); from the list, hide it again."""
        sidebar = self.query_one(ProgressSidebar)
        if sidebar.has_focus:
            self._set_sidebar(False)
            self.answer_box.focus()
        else:
            self._set_sidebar(True)
            sidebar.focus()

    @on(ProgressSidebar.Back)
    def _leave_sidebar(self) -> None:
        """Back to the answer box. A list covering the chat closes; one beside it stays, but
        would not cover the chat should the terminal narrow."""
        if self.has_class("-narrow"):
            self._set_sidebar(False)
        else:
            self.remove_class("-sidebar-open")
        self.answer_box.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_sidebar":  # only while the list covers the chat
            return self.has_class("-narrow") and self._sidebar_shown()
        return True

    def action_close_sidebar(self) -> None:
        if self.has_class("-narrow") and self._sidebar_shown():
            self._set_sidebar(False)
            self.answer_box.focus()

    def action_scroll_transcript(self, direction: int) -> None:
        self.transcript.page(direction)  # at the top, Page Up brings back earlier messages
