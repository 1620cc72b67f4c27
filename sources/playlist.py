"""A playlist as one course: its videos fetched in parallel and laid end to end on one timeline,
each video one chapter (so one section, or several for a long video, per video: the modules).

A video that fails (private, no captions…) is skipped and listed in the metadata's `entries`
with its error; the playlist fails only when every video does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from core.config import Settings
from core.domain import Chapter, PlaylistEntry, Segment, Transcript, VideoMetadata
from core.tiers import TierLimits
from sources.video_info import YdlFactory, fetch_playlist
from sources.youtube import TranscriptError

FetchOne = Callable[[str], Awaitable[Transcript]]
GAP_SECONDS = 1.0  # between two videos, so no segment of one touches the next


async def fetch_playlist_transcript(playlist_id: str, fetch_one: FetchOne, settings: Settings,
                                    *, ydl: YdlFactory | None = None,
                                    limits: TierLimits | None = None
                                    ) -> tuple[Transcript, VideoMetadata]:
    """`limits`: the owner's plan, whose playlist cap replaces the global one (the local CLI
    runs without a plan: MAX_PLAYLIST_VIDEOS)."""
    title, ids = await fetch_playlist(playlist_id, settings, ydl=ydl)
    if not ids:
        raise TranscriptError("video_unavailable", f"Playlist {playlist_id} is empty, private "
                              "or does not exist.")
    cap = limits.max_playlist_videos if limits else settings.max_playlist_videos
    whose = f"the {limits.tier} plan" if limits else "a course"
    kept, dropped = ids[:cap], ids[cap:]
    results = await asyncio.gather(*(fetch_one(v) for v in kept), return_exceptions=True)
    segments: list[Segment] = []
    chapters: list[Chapter] = []
    entries: list[PlaylistEntry] = []
    offset = 0.0
    errors: list[TranscriptError] = []
    for vid, got in zip(kept, results, strict=True):
        if isinstance(got, TranscriptError):
            errors.append(got)
            entries.append(PlaylistEntry(video_id=vid, error_code=got.code,
                                         error_message=got.message))
            continue
        if isinstance(got, BaseException):
            raise got  # a bug, not a YouTube condition
        name = got.title or vid
        length = max(got.duration, (got.video.duration_seconds or 0) if got.video else 0)
        segments += [Segment(start=s.start + offset, end=s.end + offset, text=s.text)
                     for s in got.segments]
        chapters.append(Chapter(title=name, start_seconds=offset, end_seconds=offset + length))
        entries.append(PlaylistEntry(video_id=vid, title=name, offset_seconds=offset,
                                     duration_seconds=length))
        offset += length + GAP_SECONDS
    entries += [PlaylistEntry(video_id=v, error_code="playlist_too_long",
                              error_message=f"Left out: {whose} takes the first "
                              f"{cap} videos of a playlist.")
                for v in dropped]
    if not segments:
        raise errors[0]  # every video failed: the course fails with the first reason
    meta = VideoMetadata(video_id=playlist_id, title=title, duration_seconds=round(offset, 3),
                         webpage_url=f"https://www.youtube.com/playlist?list={playlist_id}",
                         chapters=chapters, entries=entries)
    languages = [t.language for t in results if isinstance(t, Transcript) and t.language]
    transcript = Transcript(segments=segments, source="youtube", video_id=playlist_id,
                            title=title, language=languages[0] if languages else None,
                            video=meta)
    return transcript, meta
