"""What the course graph accepts, as a Pydantic model: LangGraph Studio shows it as the input
form, and the first node validates the run's input with it, so a bad input fails at once with a
message Studio shows (a `ValidationError` is a `ValueError`, whose message Studio displays)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.domain import Preferences


class CourseRequest(BaseModel):
    """One source (a YouTube `url` or `video_id`, an uploaded `transcript_text`, or an already
    parsed `transcript`), with the learner's preferences."""

    # extra="ignore": the first node validates the state, which may carry more than the input
    model_config = ConfigDict(extra="ignore")

    course_id: str | None = Field(default=None, max_length=100)
    url: str | None = Field(default=None, max_length=2000,
                            description="A YouTube video URL (or give video_id)")
    video_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{11,64}$",
                                 description="A YouTube video (11 characters) or playlist id")
    transcript_text: str | None = Field(default=None,
                                        description="The text of an .srt, .vtt or .txt file")
    transcript_format: Literal["srt", "vtt", "txt"] | None = None
    title: str | None = Field(default=None, max_length=300)
    preferences: Preferences | None = None
    review: bool = Field(default=False, description="Pause for a human to approve the outline")
    transcript: dict[str, Any] | None = Field(
        default=None, description="An already parsed transcript (sources.transcript.Transcript)")

    @model_validator(mode="after")
    def _one_source(self) -> CourseRequest:
        text_given = self.transcript_text is not None
        if text_given and not (self.transcript_text or "").strip() and not self.transcript:
            raise ValueError("transcript_text is empty; give the text of an .srt, .vtt or .txt "
                             "transcript, or a YouTube url or video_id instead")
        if not (self.url or self.video_id or text_given or self.transcript):
            raise ValueError("no source given; set one of url (a YouTube video URL), video_id, "
                             "transcript_text (an .srt, .vtt or .txt transcript) or transcript")
        return self


def validate_course_input(state: Mapping[str, Any]) -> CourseRequest:
    """The run's input as a CourseRequest, or a ValidationError saying what is wrong."""
    return CourseRequest.model_validate(dict(state))
