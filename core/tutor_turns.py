"""Tutor answers and conversation turns (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from core.domain import CamelModel


class TutorSourceRef(CamelModel):
    """A transcript passage an answer draws on; `label` is its `[mm:ss]` citation."""

    start_seconds: float = Field(ge=0)
    end_seconds: float = Field(ge=0)
    label: str = Field(description="The citation as it appears in the answer, e.g. [03:20]")
    quote: str = Field(description="The passage's words, as spoken")


class TutorAnswer(CamelModel):
    answer: str
    covered: bool = Field(description="False when the video does not cover the question: the "
                                      "answer then says so and sourceRefs is empty")
    source_refs: list[TutorSourceRef] = Field(default_factory=list)
    strategy: Literal["llm", "extractive"] = "extractive"


class TutorTurn(CamelModel):
    role: Literal["user", "tutor"]
    content: str
    source_refs: list[TutorSourceRef] = Field(default_factory=list)
    covered: bool | None = None
    created_at: datetime
