"""Domain types shared by the API, the graph and the database (camelCase on the wire)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

Difficulty = Literal["beginner", "intermediate", "advanced"]
QuestionType = Literal["mcq", "true_false", "short"]
ImpactKind = Literal["added", "removed", "renamed", "reordered", "changed"]
# which rule found the impact (the kind groups them for display; decisions use the rule)
ImpactRule = Literal["added", "removed", "renamed", "content_changed", "moved",
                     "duplicate_title", "unbound_range", "against_video_order", "too_short"]
Severity = Literal["info", "warning", "error"]
TranscriptSource = Literal["srt", "vtt", "txt", "youtube", "audio"]  # audio: transcribed
CourseStatus = Literal["draft", "processing", "completed", "failed", "cancelled"]


class CamelModel(BaseModel):
    """Accepts snake_case or camelCase, serialises camelCase."""

    # Defaults required in the serialization schema: a response always carries every field,
    # so generated clients type them as present (requests keep them optional).
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              serialize_by_alias=True,
                              json_schema_serialization_defaults_required=True)


class Preferences(CamelModel):
    difficulty: Difficulty | None = None
    language: str | None = Field(default=None, max_length=35,
                                 pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
    duration: int | None = Field(
        default=None, ge=5, le=1200,
        description="Minutes of study the course should take. It sets the depth of each "
        "section (lesson length, number of quiz questions and exercises), never the number of "
        "sections: those follow the lecture's topics. Default: about 1.5x the video's length.")


class SourceRef(CamelModel):
    start_seconds: float = Field(ge=0)
    end_seconds: float = Field(ge=0)


class OutlineSection(CamelModel):
    id: str = ""
    title: str = Field(min_length=1, max_length=300)
    summary: str = ""
    objectives: list[str] = Field(default_factory=list)
    start_seconds: float = Field(default=0, ge=0)
    end_seconds: float = Field(default=0, ge=0)
    lessons: list[str] = Field(default_factory=list)
    part: str = Field(default="", description="The part of a long video (over 45 minutes) this "
                      "section belongs to, e.g. 'Part 2: Loops'; empty when the course has no "
                      "parts. Consecutive sections of one part form a module.")

    @model_validator(mode="after")
    def _range(self) -> OutlineSection:
        if self.end_seconds < self.start_seconds:
            raise ValueError("endSeconds must not be before startSeconds")
        return self


class CourseOutline(CamelModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    difficulty: Difficulty = "beginner"
    language: str = "en"
    learning_objectives: list[str] = Field(default_factory=list)
    estimated_minutes: int = Field(default=30, ge=1)
    sections: list[OutlineSection] = Field(min_length=1)


class SectionContent(CamelModel):
    section_id: str = ""
    markdown: str
    key_points: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    source_refs: list[SourceRef] = Field(default_factory=list)


class QuizQuestion(CamelModel):
    id: str = ""
    type: QuestionType
    prompt: str
    options: list[str] = Field(default_factory=list)
    answer: str
    explanation: str = ""
    source_ref: SourceRef | None = None


class Quiz(CamelModel):
    questions: list[QuizQuestion] = Field(default_factory=list)


class Exercise(CamelModel):
    id: str = ""
    prompt: str
    solution: str = ""


class Flashcard(CamelModel):
    term: str
    definition: str


class SectionSupplement(CamelModel):
    section_id: str = ""
    quiz: Quiz = Field(default_factory=Quiz)
    exercises: list[Exercise] = Field(default_factory=list)
    flashcards: list[Flashcard] = Field(default_factory=list)


class ModificationImpact(CamelModel):
    section_id: str
    kind: ImpactKind
    rule: ImpactRule | None = None
    severity: Severity
    message: str
    affected_sections: list[str] = Field(default_factory=list)
    suggestion: str = ""


class QuizResult(CamelModel):
    score: float = Field(ge=0)
    total: float = Field(gt=0)
    answers: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _score_within_total(self) -> QuizResult:
        if self.score > self.total:
            raise ValueError("score must not exceed total")
        return self


class AnalysisSegment(CamelModel):
    title: str
    start_seconds: float = Field(ge=0)
    end_seconds: float = Field(ge=0)


class Analysis(CamelModel):
    title: str = ""
    summary: str = ""
    topics: list[str] = Field(default_factory=list)
    key_concepts: list[str] = Field(default_factory=list)
    prerequisites: list[str] = Field(default_factory=list)
    difficulty: Difficulty = "beginner"
    language: str = "en"
    segments: list[AnalysisSegment] = Field(default_factory=list)


class CourseSection(CamelModel):
    """A generated section as served: outline entry + lesson + supplements."""

    id: str
    title: str
    sequence: int
    outline: OutlineSection
    content: SectionContent | None = None
    supplement: SectionSupplement | None = None


class CourseModule(CamelModel):
    """One video of a playlist course and the sections that teach it (core.modules)."""

    id: str = Field(description="m1, m2, … in playlist order")
    title: str = Field(description="The video's title")
    video_id: str
    video_url: str
    offset_seconds: float = Field(ge=0, description="Where the video starts on the course's "
                                  "timeline (section times are on that timeline)")
    duration_seconds: float = Field(ge=0)
    section_ids: list[str] = Field(description="Its sections, in course order")


class GeneratedCourse(CamelModel):
    """What the graph produces and the persist step stores."""

    outline: CourseOutline
    analysis: Analysis | None = None
    sections: list[CourseSection] = Field(default_factory=list)
    modules: list[CourseModule] = Field(
        default_factory=list, description="A playlist course's videos, each grouping its "
        "sections; empty for a course made from one video or transcript. Derived when the "
        "course is read (exports), never stored.")


# --- video metadata (yt-dlp), read before any model call --------------------------------

class Chapter(CamelModel):
    """A chapter the video's author marked (YouTube description timestamps)."""

    title: str
    start_seconds: float = Field(ge=0)
    end_seconds: float | None = Field(default=None, ge=0)


class PlaylistEntry(CamelModel):
    video_id: str
    title: str | None = None
    offset_seconds: float = Field(default=0, ge=0)
    duration_seconds: float = Field(default=0, ge=0)
    error_code: str | None = None  # the video was skipped: why
    error_message: str | None = None


class VideoMetadata(CamelModel):
    video_id: str
    title: str | None = None
    channel: str | None = None
    duration_seconds: float | None = Field(default=None, ge=0)
    language: str | None = None
    thumbnail_url: str | None = None
    webpage_url: str | None = None
    chapters: list[Chapter] = Field(default_factory=list)
    # a playlist: its videos in order, each at its offset on the course's single timeline
    entries: list[PlaylistEntry] = Field(default_factory=list)


# --- transcripts: timed segments as parsed from captions or uploads -------------------

class Segment(BaseModel):
    # Plain fields, no validators: a 3-hour video has thousands of these.
    model_config = ConfigDict(frozen=True)

    start: float
    end: float
    text: str


class Transcript(BaseModel):
    segments: list[Segment]
    language: str | None = None
    source: TranscriptSource
    video_id: str | None = None
    title: str | None = None
    video: VideoMetadata | None = None  # when the transcript is a YouTube video's

    @property
    def chapters(self) -> list[tuple[float, str]]:
        """The author's chapters as (start seconds, title), as nlp.segmentation takes them."""
        return [(c.start_seconds, c.title) for c in self.video.chapters] if self.video else []

    @property
    def duration(self) -> float:
        return max((s.end for s in self.segments), default=0.0)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)
