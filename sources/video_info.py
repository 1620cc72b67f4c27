"""yt-dlp as a library: a video's metadata (title, channel, length, language, chapters,
thumbnail), a playlist's entries, and a video's audio track for transcription.

Every call goes through `YoutubeDL(options)` with the proxy, cookie file and socket timeout the
captions fetch uses. Tests pass `ydl=` a fake with the same shape (`with ydl(opts) as y:
y.extract_info(url, download=...)`) returning recorded info dicts.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yt_dlp import YoutubeDL
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import DownloadError, YoutubeDLError

from core.config import Settings
from core.domain import Chapter, VideoMetadata
from sources.youtube import TranscriptError, proxy_config

YdlFactory = Callable[[dict[str, Any]], Any]

_UNAVAILABLE = re.compile(
    r"private video|video unavailable|this video is unavailable|has been removed|"
    r"confirm your age|age-restricted|members-only|not available in your country|"
    r"does not exist|account associated with this video has been terminated|"
    r"premieres in|this live event will begin", re.I)
_BLOCKED = re.compile(r"not a bot|too many requests|http error 429|sign in to confirm", re.I)


def ydl_options(settings: Settings, **extra: Any) -> dict[str, Any]:
    """The same network settings as the captions fetch (sources.youtube.build_api)."""
    opts: dict[str, Any] = {"quiet": True, "no_warnings": True, "noprogress": True,
                            "noplaylist": True, "skip_download": True,
                            "socket_timeout": settings.youtube_timeout_seconds}
    proxies = proxy_config(settings)
    if proxies is not None:
        urls = proxies.to_requests_dict()
        opts["proxy"] = urls.get("https") or urls.get("http")
    if settings.youtube_cookie_file:
        opts["cookiefile"] = str(settings.youtube_cookie_file)
    return {**opts, **extra}


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (DownloadError.exc_info, ExtractorError.cause)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        info = getattr(e, "exc_info", None)
        todo += [getattr(e, "cause", None), e.__cause__, e.__context__,
                 info[1] if isinstance(info, tuple) and len(info) > 1 else None]
    return seen


def map_ydl_error(video_id: str, exc: BaseException) -> TranscriptError:
    """yt-dlp's errors as the captions fetch's codes."""
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain)
    if any(isinstance(e, HTTPError) and e.status == 429 for e in chain) or _BLOCKED.search(text):
        return TranscriptError(
            "youtube_blocked", "YouTube is blocking requests from this server. Configure a proxy "
            "(YOUTUBE_PROXY_HTTP/HTTPS or WEBSHARE_PROXY_USERNAME/PASSWORD) or a cookie file "
            "(YOUTUBE_COOKIE_FILE), or upload a transcript file (.srt, .vtt or .txt) instead.")
    if _UNAVAILABLE.search(text):
        return TranscriptError(
            "video_unavailable", f"Video {video_id} cannot be read: it is private, removed, "
            "age-restricted or does not exist. Check the URL, or upload a transcript file "
            "(.srt, .vtt or .txt) instead.")
    if any(isinstance(e, TransportError | TimeoutError | ConnectionError) for e in chain):
        return TranscriptError(
            "upstream_unreachable", "YouTube could not be reached; try again later, or upload "
            "a transcript file (.srt, .vtt or .txt) instead.")
    return TranscriptError(
        "upstream_error", f"YouTube returned a page we could not read ({str(exc)[:200]}); try "
        "again later, or upload a transcript file (.srt, .vtt or .txt) instead.")


def watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def _language(value: Any) -> str | None:
    return value if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_]\w+)?",
                                                            value) else None


def metadata_from_info(info: dict[str, Any]) -> VideoMetadata:
    """The fields we keep from a yt-dlp info dict (keys as yt-dlp documents them)."""
    duration = info.get("duration")
    chapters = []
    for ch in info.get("chapters") or []:
        start = float(ch.get("start_time") or 0)
        end = ch.get("end_time")
        chapters.append(Chapter(title=str(ch.get("title") or "").strip() or "Chapter",
                                start_seconds=max(start, 0.0),
                                end_seconds=float(end) if end is not None else None))
    return VideoMetadata(
        video_id=str(info.get("id") or ""), title=info.get("title") or None,
        channel=info.get("channel") or info.get("uploader") or None,
        duration_seconds=float(duration) if duration is not None else None,
        language=_language(info.get("language")),
        thumbnail_url=info.get("thumbnail") or None,
        webpage_url=info.get("webpage_url") or watch_url(str(info.get("id") or "")),
        chapters=sorted(chapters, key=lambda c: c.start_seconds),
    )


async def _extract(url: str, video_id: str, opts: dict[str, Any], ydl: YdlFactory | None,
                   download: bool) -> dict[str, Any]:
    factory: YdlFactory = ydl or YoutubeDL

    def blocking() -> dict[str, Any]:
        with factory(opts) as client:
            info = client.extract_info(url, download=download)
        if not isinstance(info, dict):
            raise DownloadError(f"no information returned for {url}")
        return info

    try:
        return await asyncio.to_thread(blocking)
    except (YoutubeDLError, OSError) as exc:
        raise map_ydl_error(video_id, exc) from exc


async def fetch_metadata(video_id: str, settings: Settings, *, ydl: YdlFactory | None = None
                         ) -> VideoMetadata:
    """Metadata of one video, without downloading it. Raises TranscriptError."""
    info = await _extract(watch_url(video_id), video_id, ydl_options(settings), ydl, False)
    return metadata_from_info(info).model_copy(update={"video_id": video_id})


async def download_audio(video_id: str, settings: Settings, directory: Path, *,
                         ydl: YdlFactory | None = None) -> Path:
    """The video's smallest audio-only stream, as yt-dlp downloads it (no re-encoding: the
    transcription endpoints accept webm/m4a). Larger than TRANSCRIPTION_MAX_BYTES is refused."""
    opts = ydl_options(settings, skip_download=False, format="worstaudio/bestaudio",
                       outtmpl={"default": str(directory / "%(id)s.%(ext)s")},
                       max_filesize=settings.transcription_max_bytes)
    info = await _extract(watch_url(video_id), video_id, opts, ydl, True)
    paths = [Path(d["filepath"]) for d in info.get("requested_downloads") or []
             if d.get("filepath")]
    found = next((p for p in paths if p.is_file()), None)
    if found is None:  # yt-dlp skips, without an error, a file over max_filesize
        raise TranscriptError(
            "audio_too_large", f"The audio of video {video_id} is larger than "
            f"{settings.transcription_max_bytes // (1024 * 1024)} MB, the transcription "
            "limit; upload a transcript file (.srt, .vtt or .txt) instead.")
    return found


async def fetch_playlist(playlist_id: str, settings: Settings, *, ydl: YdlFactory | None = None
                         ) -> tuple[str | None, list[str]]:
    """A playlist's title and its video ids in playlist order (flat: no per-video request)."""
    url = f"https://www.youtube.com/playlist?list={playlist_id}"
    opts = ydl_options(settings, noplaylist=False, extract_flat="in_playlist")
    info = await _extract(url, playlist_id, opts, ydl, False)
    ids = [str(e["id"]) for e in info.get("entries") or [] if isinstance(e, dict) and e.get("id")]
    return info.get("title") or None, ids
