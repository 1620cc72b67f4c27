"""Eval datasets: transcripts (.srt/.vtt/.txt) with optional `<stem>.ref.json` reference notes.

A folder without references (e.g. shared/data/transcripts) still loads: the reference-based
evaluators then report "skipped" instead of a score.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.domain import Difficulty, Preferences, Transcript
from sources.transcript import parse_transcript

TRANSCRIPT_SUFFIXES = (".srt", ".vtt", ".txt")


class Fact(BaseModel):
    """A fact quiz answers must agree with, found by the keywords of the question prompt."""

    question_keywords: list[str] = Field(min_length=1)
    answer: str
    accept: list[str] = Field(default_factory=list, description="other acceptable phrasings")
    reject: list[str] = Field(default_factory=list, description="phrasings that contradict it")


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    language: str | None = None
    difficulty: Difficulty | None = None
    structure: str = "clear"
    preferences: Preferences = Field(default_factory=Preferences)
    # Each concept is a list of alternative spellings; any one of them counts as covered.
    key_concepts: list[list[str]] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    forbidden: list[str] = Field(
        default_factory=list, description="strings that must never reach a course (injections)"
    )

    @field_validator("key_concepts", mode="before")
    @classmethod
    def _wrap_strings(cls, v: Any) -> Any:
        return [[c] if isinstance(c, str) else c for c in v] if isinstance(v, list) else v


class EvalItem(BaseModel):
    id: str
    path: Path
    transcript: Transcript
    reference: Reference | None = None
    content_hash: str

    @property
    def preferences(self) -> Preferences:
        return self.reference.preferences if self.reference else Preferences()

    @property
    def expected_language(self) -> str | None:
        if self.reference and self.reference.language:
            return self.reference.language
        return self.preferences.language or self.transcript.language

    @property
    def expected_difficulty(self) -> Difficulty | None:
        if self.reference and self.reference.difficulty:
            return self.reference.difficulty
        return self.preferences.difficulty


def load_item(path: Path) -> EvalItem:
    raw = path.read_text(encoding="utf-8")
    ref_path = path.with_name(f"{path.stem}.ref.json")
    ref_raw = ref_path.read_text(encoding="utf-8") if ref_path.exists() else ""
    reference = Reference.model_validate(json.loads(ref_raw)) if ref_raw else None
    title = (reference.title if reference else None) or path.stem
    language = reference.language if reference else None
    transcript = parse_transcript(raw, title=title, language=language)
    # The cache key covers what the generator sees: transcript text and preferences.
    digest = hashlib.sha256(raw.encode() + b"\0" + ref_raw.encode()).hexdigest()[:16]
    return EvalItem(id=path.stem, path=path, transcript=transcript, reference=reference,
                    content_hash=digest)


def load_dataset(path: str | Path) -> list[EvalItem]:
    """Every transcript file directly in `path` (sorted by name), with its reference if any."""
    root = Path(path)
    if root.is_file():
        return [load_item(root)]
    if not root.is_dir():
        raise FileNotFoundError(f"no dataset at {root}")
    files = sorted(
        p for p in root.iterdir()
        if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise ValueError(f"{root} has no .srt/.vtt/.txt transcripts")
    return [load_item(p) for p in files]
