"""The question bank and the bot's phrasing: data under `prompts/`, checked once at load.

`prompts/questions/*.toml` hold the questions (the project's own words): a `[[statements]]` entry
per framework statement with its questions drawn from the statement's wording, and
`[[generic]]` questions used for every statement (thin-answer follow-ups, challenge questions,
next steps...). `prompts/bot/*.j2` are jinja2 templates for everything else the bot says.
Question texts are templates too. Templates use `StrictUndefined`, so a missing value is an error
rather than a silent blank. Each is checked and compiled when first used (a broken one raises
`BankError` naming its file and line then): parsing them all at load would hold up resuming.

`load_bank(prompts_dir)` returns a valid `QuestionBank` or raises `BankError` naming every
problem, one line each.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflect_bot.errors import UserError, field_path
from reflect_bot.quick import REQUIRED, validate

if TYPE_CHECKING:
    import jinja2
    from pydantic import ValidationError

# Neither jinja2 nor pydantic is imported at the top: the dialogue engine imports this module,
# and jinja2 is first needed by load_bank, pydantic only to name the problems of a broken file.

# What a statement's own questions ask about, in the order the bot asks them.
STATEMENT_KINDS = ("working_well", "evidence", "consistency", "impact")
# After a statement's tier: what would move practice on, the next steps, case studies.
NEXT_STEP_KINDS = (
    "next_tier",
    "sustain_share",
    "next_what",
    "next_who",
    "next_when",
    "next_more",
    "case_studies",
)
# Generic questions, by what they are for.
GENERIC_KINDS = (
    "label",
    "phase",
    "role",
    "scope",
    "scope_statements",
    *STATEMENT_KINDS,
    "follow_up",
    "tier",
    "challenge",
    "challenge_decision",
    "find_out",
    *NEXT_STEP_KINDS,
    "top_priority",
    "export",
)

# --- The question files' schema -----------------------------------------------------------------

# The schema is a set of pydantic models (prompts_schema.py). Loading the bank is on the way to
# the first reply after resuming, and importing pydantic costs more than the rest of the load, so
# a file is first checked against the same rules, stated here, in plain Python (reflect_bot.quick),
# as framework.py does; only a file this check does not accept goes to pydantic, which then names
# its problems (or accepts what pydantic allows and this check does not).
# test_question_bank_quick.py keeps the two in step.

# Each model: field -> (rule, default); _REQUIRED as the default means the field must be there.
# A rule is "text" (stripped, not empty), "id" (a question id), a model's name,
# ("list", rule, shortest) or ("dict", rule) (a table whose keys are text): the rule language of
# reflect_bot.quick.
_REQUIRED = REQUIRED
SCHEMAS: dict[str, dict[str, tuple[Any, Any]]] = {
    "QuestionFile": {
        "id": ("id", _REQUIRED),
        "kind": ("text", _REQUIRED),
        "text": ("text", _REQUIRED),
        "tags": (("list", "text", 0), []),
    },
    "StatementQuestions": {
        "statement": ("text", _REQUIRED),
        "questions": (("list", "QuestionFile", 1), _REQUIRED),
    },
    "BankFile": {
        "statements": (("list", "StatementQuestions", 0), []),
        "generic": (("list", "QuestionFile", 0), []),
        "qualifier_forms": (("dict", ("list", "text", 0)), {}),
    },
}

_QUESTION_ID = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
# The quick check's rules: the schema, and the pattern "id" names.
_RULES: dict[str, Any] = {**SCHEMAS, "id": _QUESTION_ID}


def _validate(data: dict[str, Any], name: str, problems: list[str]) -> Any:
    """A question file's data as `BankFile` reads it, or None with its problems noted."""

    def report(error: ValidationError, schema: Any) -> None:
        for item in error.errors():
            problems.append(f"{name}: {field_path(item['loc'])}: {item['msg'].lower()}")

    return validate("BankFile", data, _RULES, "reflect_bot.prompts_schema", report)


# --- The bank -----------------------------------------------------------------------------------


class BankError(UserError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("The question bank has problems:\n" + "\n".join(problems))


class Question:
    """One question. Its text is a template, compiled on first use: a run asks only some of the
    bank's questions, and compiling them all would delay the first reply after resuming."""

    __slots__ = ("id", "kind", "text", "tags", "where", "_environment", "_template")

    def __init__(
        self,
        id: str,
        kind: str,
        text: str,
        tags: tuple[str, ...],
        environment: jinja2.Environment,
        where: str = "",
    ) -> None:
        self.id = id
        self.kind = kind
        self.text = text  # the template source, as written in the bank
        self.tags = tags
        self.where = where or f"question '{id}'"  # for errors: "questions/x.toml: generic[2]"
        self._environment = environment
        self._template: jinja2.Template | None = None

    def __repr__(self) -> str:
        return f"Question(id={self.id!r}, kind={self.kind!r}, text={self.text!r})"

    @property
    def template(self) -> jinja2.Template:
        if self._template is None:
            self._template = compile_template(
                self._environment,
                self.text,
                lambda error: f"{self.where}: template error ({error.message})",
            )
        return self._template

    def render(self, **context: Any) -> str:
        return self.template.render(**context).strip()


def compile_template(
    environment: jinja2.Environment, source: str, problem: Callable[[Any], str]
) -> jinja2.Template:
    """The compiled template; a syntax error is a BankError of one line, `problem(error)`."""
    import jinja2

    try:
        return environment.from_string(source)
    except jinja2.TemplateSyntaxError as error:
        raise BankError([problem(error)]) from None


class LazyTemplates(Mapping[str, "jinja2.Template"]):
    """Bot templates by name, checked and compiled on first use, then kept.

    Parsing all of them at load costs about ten milliseconds that resuming would otherwise spend
    before the welcome back; `check_templates` parses them all (the tests do, for the bank).
    """

    def __init__(self, environment: jinja2.Environment, sources: dict[str, str]) -> None:
        self._environment = environment
        self._sources = sources
        self._compiled: dict[str, jinja2.Template] = {}

    def __getitem__(self, name: str) -> jinja2.Template:
        template = self._compiled.get(name)
        if template is None:
            template = compile_template(
                self._environment,
                self._sources[name],
                lambda error: f"bot/{name}.j2: line {error.lineno}: {error.message}",
            )
            self._compiled[name] = template
        return template

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


class QuestionBank:
    """A loaded question bank, as `load_bank` returns it (not changed afterwards). A plain class,
    not a named tuple: defining one costs a tenth as much when the module is imported."""

    __slots__ = (
        "folder",
        "environment",
        "by_statement",
        "generic",
        "templates",
        "qualifier_forms",
    )

    def __init__(
        self,
        folder: Path,
        environment: jinja2.Environment,
        by_statement: dict[str, tuple[Question, ...]],
        generic: dict[str, tuple[Question, ...]],
        templates: Mapping[str, jinja2.Template],
        qualifier_forms: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.folder = folder
        self.environment = environment
        self.by_statement = by_statement
        self.generic = generic
        self.templates = templates
        self.qualifier_forms = qualifier_forms if qualifier_forms is not None else {}

    def __repr__(self) -> str:
        return f"QuestionBank(folder={self.folder!r})"

    def statement_questions(self, statement_id: str) -> tuple[Question, ...]:
        return self.by_statement.get(statement_id, ())

    def question(self, statement_id: str, kind: str) -> Question | None:
        """The statement's own question of this kind, or None when it has none."""
        for question in self.statement_questions(statement_id):
            if question.kind == kind:
                return question
        return None

    def generic_questions(self, kind: str) -> tuple[Question, ...]:
        return self.generic.get(kind, ())

    def first(self, kind: str, tag: str | None = None) -> Question:
        """The first generic question of a kind (with a tag, the first carrying that tag)."""
        questions = self.generic_questions(kind)
        if tag is not None:
            tagged = [q for q in questions if tag in q.tags]
            questions = tuple(tagged) or questions
        return questions[0]

    def render(self, template: str, /, **context: Any) -> str:
        """Render the bot template named `template` (without `.j2`)."""
        return self.templates[template].render(**context).strip()


def make_environment() -> jinja2.Environment:
    import jinja2

    from reflect_bot.replies import markdown_literal

    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text and Markdown; front ends escape for their own output
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # `{{ answer | literal }}`: the leader's words quoted in the bot's Markdown, shown as typed
    environment.filters["literal"] = markdown_literal
    return environment


def load_bank(prompts_dir: str | Path) -> QuestionBank:
    """Load `questions/*.toml` and `bot/*.j2` under prompts_dir; raise BankError on problems
    (templates are checked when first used, or by `check_templates`)."""
    root = Path(prompts_dir)
    env = make_environment()
    problems: list[str] = []
    by_statement: dict[str, list[Question]] = {}
    generic: dict[str, list[Question]] = {}
    qualifier_forms: dict[str, list[str]] = {}
    seen: set[str] = set()

    def make_question(q: Any, kinds: tuple[str, ...], name: str, where: str) -> Question | None:
        if q.kind not in kinds:
            problems.append(
                f"{name}: {where}.kind: unknown kind '{q.kind}'; expected one of "
                + ", ".join(kinds)
            )
            return None
        if q.id in seen:
            problems.append(f"{name}: {where}: duplicate question id '{q.id}'")
            return None
        seen.add(q.id)
        return Question(q.id, q.kind, q.text, tuple(q.tags), env, f"{name}: {where}")

    paths = sorted((root / "questions").glob("*.toml"))
    if not paths:
        problems.append(f"{root / 'questions'}: no question files found")
    for path in paths:
        name = f"questions/{path.name}"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            problems.append(f"{name}: cannot be read ({error})")
            continue
        parsed = _validate(data, name, problems)
        if parsed is None:
            continue
        for i, entry in enumerate(parsed.statements):
            for j, q in enumerate(entry.questions):
                where = f"statements[{i + 1}].questions[{j + 1}]"
                question = make_question(q, STATEMENT_KINDS, name, where)
                if question:
                    by_statement.setdefault(entry.statement, []).append(question)
        for word, forms in parsed.qualifier_forms.items():
            qualifier_forms.setdefault(word.lower(), []).extend(f.lower() for f in forms)
        for i, q in enumerate(parsed.generic):
            where = f"generic[{i + 1}]"
            question = make_question(q, GENERIC_KINDS, name, where)
            if question:
                generic.setdefault(q.kind, []).append(question)

    for kind in GENERIC_KINDS:
        if kind not in generic:
            problems.append(f"questions/: no generic question of kind '{kind}'")
    for statement_id, questions in by_statement.items():
        kinds = {q.kind for q in questions}
        for needed in ("working_well", "evidence"):
            if needed not in kinds:
                problems.append(f"questions/: statement {statement_id} has no '{needed}' question")

    sources: dict[str, str] = {}
    for path in sorted((root / "bot").glob("*.j2")):
        try:
            sources[path.stem] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"bot/{path.name}: cannot be read ({error})")

    if problems:
        raise BankError(problems)
    return QuestionBank(
        folder=root,
        environment=env,
        by_statement={k: tuple(v) for k, v in by_statement.items()},
        generic={k: tuple(v) for k, v in generic.items()},
        templates=LazyTemplates(env, sources),
        qualifier_forms={k: tuple(v) for k, v in qualifier_forms.items()},
    )


def check_templates(bank: QuestionBank) -> list[str]:
    """Every template's syntax problems, one line each (loading checks none of them)."""
    problems = []
    questions = [q for qs in (*bank.by_statement.values(), *bank.generic.values()) for q in qs]
    compile_all = [lambda q=q: q.template for q in questions]
    compile_all += [lambda name=name: bank.templates[name] for name in bank.templates]
    for compile_one in compile_all:
        try:
            compile_one()
        except BankError as error:
            problems += error.problems
    return problems


def check_bank(bank: QuestionBank, statement_ids: list[str]) -> list[str]:
    """Problems between a bank and a framework: statements without their own questions."""
    problems = []
    for statement_id in statement_ids:
        if len(bank.statement_questions(statement_id)) < 3:
            problems.append(
                f"statement {statement_id} has fewer than three questions of its own; "
                "add them under prompts/questions/"
            )
    return problems
