"""The YouTube tool the graph calls: a video's metadata first (yt-dlp, no download), then its
captions, else — when a transcription endpoint is configured — its audio, transcribed.

`fetch_video` is the default of CourseContext.fetch_captions; tests pass it with fakes at the
library boundaries (`ydl=` a fake YoutubeDL, `api=` a YouTubeTranscriptApi over a fake socket).
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from youtube_transcript_api import YouTubeTranscriptApi

from core.config import Settings, get_settings
from core.domain import Transcript, VideoMetadata
from core.tiers import TierLimits
from sources.playlist import fetch_playlist_transcript
from sources.transcription import HOW_TO_ENABLE, transcribe, transcription_enabled
from sources.video_info import YdlFactory, download_audio, fetch_metadata
from sources.youtube import (
    TranscriptCache,
    TranscriptError,
    default_cache,
    fetch_captions,
    is_playlist_id,
)

MetadataHook = Callable[[VideoMetadata], Awaitable[None]]


def no_captions(video_id: str) -> TranscriptError:
    return TranscriptError(
        "no_captions", f"Video {video_id} has no captions. {HOW_TO_ENABLE}. Or upload a "
        "transcript file (.srt, .vtt or .txt), or the video's audio or video file, instead.")


async def transcribe_video(video_id: str, settings: Settings, *, language: str | None,
                           ydl: YdlFactory | None = None, cache: TranscriptCache | None = None
                           ) -> Transcript:
    """Download the audio only and transcribe it (cached: transcription is slow and paid)."""
    cache = default_cache if cache is None else cache
    key = f"yt-audio:v1:{video_id}:{language or ''}"
    if (hit := await cache.get(key)) is not None:
        return Transcript.model_validate(hit)
    with tempfile.TemporaryDirectory(prefix="coursegen-audio-") as tmp:
        path = await download_audio(video_id, settings, Path(tmp), ydl=ydl)
        transcript = await transcribe(path, settings, language=language, video_id=video_id)
    await cache.set(key, transcript.model_dump(mode="json"), settings.cache_ttl_seconds)
    return transcript


async def fetch_video(video_id: str, *, languages: list[str] | None = None,
                      settings: Settings | None = None, ydl: YdlFactory | None = None,
                      api: YouTubeTranscriptApi | None = None,
                      cache: TranscriptCache | None = None,
                      on_metadata: MetadataHook | None = None,
                      limits: TierLimits | None = None) -> Transcript:
    """A video's timed transcript with its metadata (`Transcript.video`, title = the video's).
    A playlist id (longer than a video's 11 characters) gives the whole playlist on one
    timeline (sources.playlist), cut at `limits.max_playlist_videos` (the owner's plan) or,
    without limits, at MAX_PLAYLIST_VIDEOS.

    `on_metadata` runs once the metadata is known and before captions or audio are fetched
    (progress, limits on the video's length). Raises TranscriptError.
    """
    settings = settings or get_settings()
    if is_playlist_id(video_id):
        async def one(vid: str) -> Transcript:
            return await fetch_video(vid, languages=languages, settings=settings, ydl=ydl,
                                     api=api, cache=cache)

        transcript, meta = await fetch_playlist_transcript(video_id, one, settings, ydl=ydl,
                                                       limits=limits)
        if on_metadata is not None:
            await on_metadata(meta)
        return transcript
    meta = await fetch_metadata(video_id, settings, ydl=ydl)
    if on_metadata is not None:
        await on_metadata(meta)
    try:
        transcript = await fetch_captions(video_id, languages=languages, settings=settings,
                                          api=api, cache=cache)
    except TranscriptError as exc:
        if exc.code != "no_captions":
            raise
        if not transcription_enabled(settings):
            raise no_captions(video_id) from exc
        wanted = meta.language or (languages[0] if languages else None)
        transcript = await transcribe_video(video_id, settings, language=wanted, ydl=ydl,
                                            cache=cache)
    return transcript.model_copy(update={"video": meta, "video_id": video_id,
                                         "title": meta.title or transcript.title})
