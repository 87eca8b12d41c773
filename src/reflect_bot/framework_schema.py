"""The framework files' schemas: what each TOML file of a framework folder may hold.

Pydantic models, used by `reflect_bot.framework` when a file needs its problems named (a valid
file is checked there, in plain Python, against the same rules: see `framework.SCHEMAS`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- File schemas -------------------------------------------------------------------------------


class FrameworkProject(_Strict):
    edition: Text
    display_title: Text


class FrameworkFile(_Strict):
    id: Slug
    title: Text
    introduction: list[Text] = Field(min_length=1)
    project: FrameworkProject


class TierProject(_Strict):
    short: Text
    qualifiers: list[Text] = []


class TierFile(_Strict):
    id: Slug
    name: Text
    lead: Text
    points: list[Text] = Field(min_length=1)
    closing: Text
    project: TierProject


class TiersFile(_Strict):
    tiers: list[TierFile] = Field(min_length=1)


class DescriptorRef(_Strict):
    """Where a statement's descriptor sits in a tier's paragraphs, or that there is none."""

    paragraph: int | None = Field(default=None, ge=1)
    sentences: list[Annotated[int, Field(ge=1)]] | None = None
    specific: bool = True


class StatementProject(_Strict):
    short: Text
    tags: list[Text] = []


class StatementFile(_Strict):
    number: int = Field(ge=1)
    text: Text
    descriptors: dict[str, DescriptorRef]
    project: StatementProject


class CaseStudyProject(_Strict):
    themes: list[Text] = []
    statements: list[int] = []


class CaseStudyFile(_Strict):
    id: Slug
    title: Text
    summary: Text
    project: CaseStudyProject


class AreaProject(_Strict):
    short_title: Text


class AreaFile(_Strict):
    id: Slug
    order: int
    title: Text
    overall: dict[str, int] | None = None
    project: AreaProject
    descriptors: dict[str, list[Text]]
    statements: list[StatementFile] = Field(min_length=1)
    case_studies: list[CaseStudyFile] = []
