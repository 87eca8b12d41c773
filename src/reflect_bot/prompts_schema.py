"""The question files' schema: what each `prompts/questions/*.toml` file may hold.

Pydantic models, used by `reflect_bot.prompts` when a file needs its problems named (a valid file
is checked there, in plain Python, against the same rules: see `prompts.SCHEMAS`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionFile(_Strict):
    id: QuestionId
    kind: Text
    text: Text
    tags: list[Text] = []


class StatementQuestions(_Strict):
    statement: Text  # the framework's statement id, e.g. "teaching-learning.4"
    questions: list[QuestionFile] = Field(min_length=1)


class BankFile(_Strict):
    statements: list[StatementQuestions] = []
    generic: list[QuestionFile] = []
    # other ways leaders say a tier's qualifier word: "variable" -> ["varies", "patchy in places"]
    qualifier_forms: dict[Text, list[Text]] = {}
