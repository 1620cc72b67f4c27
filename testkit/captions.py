"""Canned YouTube captions: `fetch_captions` for an app without network access. Every video id
gets the shipped sample lecture, except VIDEO_WITHOUT_CAPTIONS, which has none."""

from __future__ import annotations

from typing import Any

from core.domain import Transcript
from sources.transcript import parse_transcript
from sources.youtube import TranscriptError
from testkit.client import SAMPLE

VIDEO_WITHOUT_CAPTIONS = "NoCaptions1"


async def canned_captions(video_id: str, **_: Any) -> Transcript:
    if video_id == VIDEO_WITHOUT_CAPTIONS:
        raise TranscriptError("no_captions", "This video has no captions; upload a transcript "
                              "file instead.")
    return parse_transcript(SAMPLE, title=f"Video {video_id}").model_copy(
        update={"video_id": video_id, "source": "youtube"})
