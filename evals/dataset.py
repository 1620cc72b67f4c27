"""Eval datasets: transcripts (.srt/.vtt/.txt) with optional `<stem>.ref.json` reference notes.

A folder without references (e.g. shared/data/transcripts) still loads: the reference-based
evaluators then report "skipped" instead of a score.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.domain import Chapter, Difficulty, Preferences, Transcript, VideoMetadata
from sources.transcript import parse_transcript

TRANSCRIPT_SUFFIXES = (".srt", ".vtt", ".txt")


class Fact(BaseModel):
    """A fact quiz answers must agree with, found by the keywords of the question prompt."""

    question_keywords: list[str] = Field(min_length=1)
    answer: str
    accept: list[str] = Field(default_factory=list, description="other acceptable phrasings")
    reject: list[str] = Field(default_factory=list, description="phrasings that contradict it")


class Source(BaseModel):
    """Where a real lecture comes from; ATTRIBUTION.md is generated from these blocks."""

    model_config = ConfigDict(extra="forbid")

    title: str
    speaker: str | None = None
    series: str | None = None
    subject: str | None = None
    url: str | None = None
    origin: str | None = None
    licence: str
    captions: str = "human"  # human | auto (auto-generated: no punctuation, [Music] tags)


class VideoChapter(BaseModel):
    """An author's chapter of the video (only when the video has them)."""

    start: float = Field(ge=0)
    title: str = Field(min_length=1)


class RefSection(BaseModel):
    """A reference topic section: where the lecture moves to a topic a learner would name."""

    title: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)


class Concept(BaseModel):
    """A key concept a learner must leave with, in the lecture's own words."""

    term: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    first_seconds: float | None = Field(default=None, ge=0)

    @property
    def forms(self) -> list[str]:
        return [self.term, *self.aliases]


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
    # The real-lecture set (evals/datasets/real/README.md): where it comes from, the author's
    # chapters (given to the generator), reference topic sections and key concepts.
    source: Source | None = None
    video_chapters: list[VideoChapter] = Field(default_factory=list)
    sections: list[RefSection] = Field(default_factory=list)
    concepts: list[Concept] = Field(default_factory=list)

    @field_validator("key_concepts", mode="before")
    @classmethod
    def _wrap_strings(cls, v: Any) -> Any:
        return [[c] if isinstance(c, str) else c for c in v] if isinstance(v, list) else v

    @model_validator(mode="after")
    def _derive_key_concepts(self) -> Reference:
        # The real set leaves key_concepts empty: each concept with its aliases is one entry.
        if not self.key_concepts and self.concepts:
            self.key_concepts = [c.forms for c in self.concepts]
        return self


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
    if reference and reference.video_chapters:
        # The generator sees the author's chapters as a YouTube video's would reach it.
        transcript.video = VideoMetadata(
            video_id=path.stem, title=title, language=language,
            webpage_url=reference.source.url if reference.source else None,
            chapters=[Chapter(title=c.title, start_seconds=c.start)
                      for c in reference.video_chapters])
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


DATASETS = Path(__file__).parent / "datasets"


def dataset_path(name: str) -> Path:
    """A dataset by short name (`real`, `core`: a folder of evals/datasets) or by path."""
    short = DATASETS / name
    if "/" not in name and short.is_dir():
        return short
    return Path(name)
